"""TikTok Shop's Python client from PyPI (``tiktok-shop-api``, generated from the Partner API
documents) talks to the simulator: every call our adapter makes, signed and read by code nobody here
wrote.

The client's base URL is an origin (it signs the request path), so a transport puts the simulator's
``/tiktok`` prefix in front of the path after signing, where a real host would have none.

The client speaks the newest version of four of the adapter's calls (order detail 202507, product
search 202502, cancellation and return search 202602). For those its generated request (query and
body as it writes them) goes to the 202309 path the adapter calls, signed by its ``Signer``, and the
answer is read by its model of the newer version, which keeps every field 202309 has.
"""

import re
import time

import httpx
import pytest
import requests
from tiktok_shop_api import Signer, TikTokShop, TikTokShopAuth, TikTokShopError
from tiktok_shop_api.generated.api.orders import get_order_detail
from tiktok_shop_api.generated.api.products import search_products
from tiktok_shop_api.generated.api.return_and_refund import search_cancellations, search_returns
from tiktok_shop_api.generated.models import (
    GetOrderDetailResponse,
    GetOrderListRequest,
    GetOrderListSortField,
    GetOrderListSortOrder,
    RejectCancellationRequest,
    SearchCancellationsRequest,
    SearchCancellationsRequestCancelStatusItem,
    SearchCancellationsResponse,
    SearchProductsRequest,
    SearchProductsRequestStatus,
    SearchProductsResponse,
    SearchReturnsRequest,
    SearchReturnsResponse,
    ShipPackageRequest,
    UpdateInventoryRequest,
    UpdatePriceRequest,
)


class Prefixed(httpx.HTTPTransport):
    """Sends the signed request under the simulator's ``/tiktok`` prefix."""

    def handle_request(self, request):
        request.url = request.url.copy_with(raw_path=b"/tiktok" + request.url.raw_path)
        return super().handle_request(request)


def auth_for(sim):
    return TikTokShopAuth(sim.tiktok.app_key, sim.tiktok.app_secret, base_url=sim.url, transport=Prefixed())


def authorized(sim):
    """The tokens of a fresh authorization and a client of the shop holding them."""
    code = requests.get(f"{sim.url}/_sandbox/tiktok/authorize", timeout=10).json()["code"]
    tokens = auth_for(sim).exchange_code(code)
    api = sim.tiktok
    client = TikTokShop(api.app_key, api.app_secret, tokens.access_token, api.cipher, base_url=sim.url,
                        transport=Prefixed())  # fmt: skip
    return tokens, client


def at_202309(sim, tokens, operation, model, **arguments):
    """The client's request for ``operation`` (a later version) sent to the adapter's 202309 path,
    signed by the client's ``Signer``; its answer read by the client's ``model``."""
    kwargs = operation._get_kwargs(**arguments)
    path = re.sub(r"^/(\w+)/\d{6}/", r"/\1/202309/", kwargs["url"])
    api, method, body = sim.tiktok, kwargs["method"], kwargs.get("json")
    params = httpx.QueryParams(kwargs.get("params") or {}).multi_items()
    params += [("shop_cipher", api.cipher), ("app_key", api.app_key), ("timestamp", str(int(time.time())))]
    unsigned = httpx.Request(method, sim.url + path, params=params, json=body)
    sign = Signer.sign(
        path=path,
        query=params,
        content_type=unsigned.headers.get("content-type"),
        body=unsigned.content or None,
        app_secret=api.app_secret,
    )
    headers = {"x-tts-access-token": tokens.access_token}
    url = f"{sim.url}/tiktok{path}"
    request = httpx.Request(method, url, params=[*params, ("sign", sign)], json=body, headers=headers)
    answer = httpx.Client().send(request).json()
    assert answer["code"] == 0, answer
    return model.from_dict(answer)


def order_numbers(sim, count):
    sim.tiktok.shop.now = int(time.time())
    return [sim.tiktok.ref(number) for number in sim.tiktok.shop.generate_orders(count, spread_seconds=60)]


def stock_of(client, item):
    """The SKU's quantity over its warehouses, as the product detail tells it."""
    (sku,) = client.products.get_product(str(item["item_id"])).to_dict()["data"]["skus"]
    return sum(place["quantity"] for place in sku["inventory"])


def test_exchanges_a_code_then_refreshes(simulator):
    tokens, _client = authorized(simulator)
    assert tokens.access_token.startswith("ROW_") and tokens.seller_base_region == "VN"
    # TikTok's *_expire_in are moments, not durations.
    assert tokens.access_token_expire_in > time.time() + 6 * 24 * 3600
    assert tokens.refresh_token_expire_in > tokens.access_token_expire_in
    renewed = auth_for(simulator).refresh(tokens.refresh_token)
    assert renewed.access_token != tokens.access_token
    with pytest.raises(TikTokShopError) as refusal:  # a refresh token is used once
        auth_for(simulator).refresh(tokens.refresh_token)
    assert refusal.value.code == 36004009


def test_authorized_shops(simulator):
    _tokens, client = authorized(simulator)
    (shop,) = client.authorization.get_authorized_shops().to_dict()["data"]["shops"]
    assert (shop["cipher"], shop["region"], shop["name"]) == (
        simulator.tiktok.cipher, "VN", simulator.tiktok.shop_name,
    )  # fmt: skip


def test_order_search_pages_by_update_time(simulator):
    numbers = order_numbers(simulator, 7)
    _tokens, client = authorized(simulator)
    window = GetOrderListRequest(
        update_time_ge=simulator.tiktok.shop.now - 3600, update_time_lt=simulator.tiktok.shop.now + 1
    )
    found, token = [], ""
    while True:
        paging = {"page_token": token} if token else {}
        page = client.orders.get_order_list(
            body=window,
            page_size=3,
            sort_field=GetOrderListSortField.UPDATE_TIME,
            sort_order=GetOrderListSortOrder.ASC,
            **paging,
        )
        data = page.to_dict()["data"]
        found += data["orders"]
        token = data["next_page_token"]
        if not token:
            break
    assert sorted(order["id"] for order in found) == sorted(numbers)
    times = [order["update_time"] for order in found]
    assert times == sorted(times)


def test_order_details(simulator):
    numbers = order_numbers(simulator, 2)
    tokens, _client = authorized(simulator)
    # ids as documented (and as the adapter sends them): one value, the ids joined by commas. The
    # client would repeat the name (ids=1&ids=2) and sign each pair; how TikTok signs a repeated name
    # is not documented and the client's signing is unverified (its README), so the simulator keeps
    # signing a repeated name as one comma-joined value.
    answer = at_202309(simulator, tokens, get_order_detail, GetOrderDetailResponse, ids=[",".join(numbers)])
    orders = answer.to_dict()["data"]["orders"]
    assert [order["id"] for order in orders] == numbers
    order = orders[0]
    assert int(order["payment"]["total_amount"]) == int(order["payment"]["sub_total"]) + int(
        order["payment"]["shipping_fee"]
    )
    assert {line["package_id"] for line in order["line_items"]} == {order["packages"][0]["id"]}


def test_product_search_and_detail(simulator):
    tokens, client = authorized(simulator)
    body = SearchProductsRequest(status=SearchProductsRequestStatus.ACTIVATE)
    found = at_202309(simulator, tokens, search_products, SearchProductsResponse, body=body, page_size=100)
    products = found.to_dict()["data"]["products"]
    assert len(products) == len(simulator.tiktok.shop.items)
    item = simulator.tiktok.shop.items["TEE-M"]
    detail = client.products.get_product(str(item["item_id"])).to_dict()["data"]
    (sku,) = detail["skus"]
    assert (sku["seller_sku"], sku["identifier_code"]["code"], int(sku["price"]["sale_price"])) == (
        "TEE-M", item["barcode"], item["price"],
    )  # fmt: skip


def test_inventory_update(simulator):
    _tokens, client = authorized(simulator)
    item = simulator.tiktok.shop.items["MUG-01"]
    body = UpdateInventoryRequest.from_dict(
        {"skus": [{"id": str(item["model_id"]), "inventory": [{"quantity": 17}]}]}
    )
    client.products.update_inventory(str(item["item_id"]), body=body)
    assert stock_of(client, item) == 17
    stranger = UpdateInventoryRequest.from_dict({"skus": [{"id": "1", "inventory": [{"quantity": 3}]}]})
    with pytest.raises(TikTokShopError) as refusal:
        client.products.update_inventory(str(item["item_id"]), body=stranger)
    assert (refusal.value.code, stock_of(client, item)) == (12052048, 17)


def test_price_update(simulator):
    _tokens, client = authorized(simulator)
    item = simulator.tiktok.shop.items["MUG-01"]
    sku = {"id": str(item["model_id"]), "price": {"amount": "129000", "currency": "VND"}}
    client.products.update_price(str(item["item_id"]), body=UpdatePriceRequest.from_dict({"skus": [sku]}))
    (sku,) = client.products.get_product(str(item["item_id"])).to_dict()["data"]["skus"]
    assert sku["price"]["sale_price"] == "129000"


def test_ship_package_with_the_sellers_tracking_number(simulator):
    (number,) = order_numbers(simulator, 1)
    order = simulator.tiktok.order_of(number)
    order.update(status="READY_TO_SHIP", cod=True)
    tokens, client = authorized(simulator)
    package = simulator.tiktok._order(order)["packages"][0]["id"]
    shipment = {"tracking_number": "JTVN0012345678", "shipping_provider_id": "6617675021119438849"}
    body = ShipPackageRequest.from_dict({"handover_method": "DROP_OFF", "self_shipment": shipment})
    client.fulfillment.ship_package(package, body=body)
    (shipped,) = at_202309(
        simulator, tokens, get_order_detail, GetOrderDetailResponse, ids=[number]
    ).to_dict()["data"]["orders"]
    assert (shipped["status"], shipped["tracking_number"]) == ("AWAITING_COLLECTION", "JTVN0012345678")
    with pytest.raises(TikTokShopError) as refusal:  # shipped once only
        client.fulfillment.ship_package(package, body=body)
    assert refusal.value.code == 21011016


def test_cancellation_requests_answered(simulator):
    approved, rejected = order_numbers(simulator, 2)
    for number in (approved, rejected):
        order = simulator.tiktok.order_of(number)
        order.update(status="READY_TO_SHIP", cod=True)
        simulator.tiktok.shop.request_cancellation(order["id"])
    tokens, client = authorized(simulator)
    pending = SearchCancellationsRequestCancelStatusItem.CANCELLATION_REQUEST_PENDING
    body = SearchCancellationsRequest(order_ids=[approved, rejected], cancel_status=[pending])
    found = at_202309(simulator, tokens, search_cancellations, SearchCancellationsResponse, body=body,
                      page_size="20").to_dict()["data"]["cancellations"]  # fmt: skip
    by_order = {entry["order_id"]: entry for entry in found}
    assert set(by_order) == {approved, rejected}
    assert by_order[approved]["cancel_type"] == "BUYER_CANCEL"
    client.return_and_refund.approve_cancellation(by_order[approved]["cancel_id"])
    cancel_id = by_order[rejected]["cancel_id"]
    with pytest.raises(TikTokShopError) as refusal:  # a reject needs a reason TikTok offers
        client.return_and_refund.reject_cancellation(
            cancel_id, body=RejectCancellationRequest(reject_reason="we changed our mind")
        )
    assert refusal.value.code == 36009001
    reasons = client.return_and_refund.get_reject_reasons(return_or_cancel_id=cancel_id, locale="vi-VN")
    offered = reasons.to_dict()["data"]["reasons"]
    assert {
        "name": "seller_reject_apply_product_has_been_packed",
        "text": "Sản phẩm đã được đóng gói",
    } in offered
    chosen = offered[-1]["name"]
    client.return_and_refund.reject_cancellation(
        cancel_id, body=RejectCancellationRequest(reject_reason=chosen)
    )
    assert simulator.tiktok.order_of(approved)["status"] == "CANCELLED"
    assert simulator.tiktok.order_of(rejected)["status"] == "READY_TO_SHIP"
    assert not simulator.tiktok.order_of(rejected).get("cancel_request")
    assert simulator.tiktok.order_of(rejected)["cancel_rejected_for"] == chosen
    with pytest.raises(TikTokShopError) as refusal:
        client.return_and_refund.get_reject_reasons(return_or_cancel_id="1")
    assert refusal.value.code == 36009001


def test_returns_search(simulator):
    (number,) = order_numbers(simulator, 1)
    order = simulator.tiktok.order_of(number)
    order.update(status="COMPLETED", lines=[("TEE-M", 2)])
    return_id = simulator.tiktok.shop.request_return(order["id"], [("TEE-M", 1)])
    simulator.tiktok.shop.refund(return_id)
    tokens, _client = authorized(simulator)
    body = SearchReturnsRequest(order_ids=[number])
    answer = at_202309(simulator, tokens, search_returns, SearchReturnsResponse, body=body, page_size="20")
    (found,) = answer.to_dict()["data"]["return_orders"]
    assert (found["return_id"], found["return_status"], len(found["return_line_items"])) == (
        return_id, "RETURN_OR_REFUND_REQUEST_COMPLETE", 1,
    )  # fmt: skip
    assert int(found["refund_amount"]["refund_total"]) == simulator.tiktok.shop.items["TEE-M"]["price"]
