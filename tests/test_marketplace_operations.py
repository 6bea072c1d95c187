"""Beyond order pull, on each marketplace of the simulator: connecting (authorization code, test
call), importing listings, pushing stock and prices, shipping an order. The same test runs for every
platform through our adapter; refusals come back as the platform gives them."""

import pytest
import requests
from connectors.errors import ChannelError
from connectors.lazada.adapter import LazadaAdapter
from connectors.shopee.adapter import ShopeeAdapter
from connectors.tiki.adapter import TikiAdapter
from connectors.tiktok.adapter import TiktokAdapter
from lazop_sdk.base import LazopClient, LazopRequest

PLATFORMS = ["shopee", "lazada", "tiktok", "tiki"]
OAUTH_PLATFORMS = ["shopee", "lazada", "tiktok"]
UNKNOWN = {"sku": "NOT-ON-SALE", "item_id": "999999", "model_id": "999999"}


def unconnected(sim, platform):
    """Our adapter for the simulated shop on ``platform``, without tokens yet; what it saves is kept."""
    shopee, lazada, tiktok, tiki = sim.shopee, sim.lazada, sim.tiktok, sim.tiki
    adapter_class, path, key, secret, shop = {
        "shopee": (ShopeeAdapter, "/shopee", shopee.partner_id, shopee.partner_key, shopee.shop_id),
        "lazada": (LazadaAdapter, "/lazada/rest", lazada.app_key, lazada.app_secret, None),
        "tiktok": (TiktokAdapter, "/tiktok", tiktok.app_key, tiktok.app_secret, tiktok.cipher),
        "tiki": (TikiAdapter, "/tiki", tiki.app_id, tiki.app_secret, None),
    }[platform]
    saved = []
    adapter = adapter_class(sim.url + path, key, secret, shop, {}, saved.append)
    adapter.saved = saved
    return adapter


def connected(sim, platform):
    """Connected as a seller connects it: the code of the consent page traded for tokens (Tiki needs
    none, its app credentials buy tokens)."""
    adapter = unconnected(sim, platform)
    if platform in OAUTH_PLATFORMS:
        adapter.exchange_code(authorize(sim, platform))
    return adapter


def authorize(sim, platform):
    return requests.get(f"{sim.url}/_sandbox/{platform}/authorize", timeout=10).json()["code"]


def api_of(sim, platform):
    return getattr(sim, platform)


@pytest.fixture
def shop(simulator):
    """The simulator with a catalog longer than one page of any platform, on every platform."""
    for seller in simulator.shops:
        for n in range(120):
            item = {
                "item_id": 5000 + n,
                "model_id": 6000 + n,
                "name": f"Sản phẩm {n}",
                "variation": "XL" if n % 3 == 0 else "",
                "price": 10000 + n * 1000,
                "barcode": f"893{9000000000 + n:010d}",
            }
            seller.add_item(f"EXTRA-{n:03d}", item, stock=n)
    return simulator


def entries_for(listings, skus, **value):
    by_sku = {listing["sku"]: listing for listing in listings}
    return [{key: by_sku[sku][key] for key in ("sku", "item_id", "model_id")} | value for sku in skus]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_test_connection_names_the_shop(shop, platform):
    assert connected(shop, platform).test_connection() == {"shop_name": api_of(shop, platform).shop_name}


@pytest.mark.parametrize("platform", OAUTH_PLATFORMS)
def test_exchange_code_saves_tokens_and_a_used_code_is_refused(shop, platform):
    code = authorize(shop, platform)
    adapter = unconnected(shop, platform)
    adapter.exchange_code(code)
    (tokens,) = adapter.saved
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["expires_at"]
    assert adapter.test_connection()["shop_name"]
    with pytest.raises(ChannelError) as refusal:
        unconnected(shop, platform).exchange_code(code)
    assert not refusal.value.retryable


@pytest.mark.parametrize("platform", PLATFORMS)
def test_listing_import_returns_the_catalog(shop, platform):
    listings, seller = connected(shop, platform).fetch_listings(), api_of(shop, platform).shop
    assert len(listings) == len({listing["sku"] for listing in listings}) == len(seller.items)
    for listing in listings:
        item = seller.items[listing["sku"]]
        assert listing["item_id"] == str(item["item_id"])
        assert (listing["price"], listing["quantity"]) == (item["price"], seller.available(listing["sku"]))
        assert listing["name"].startswith(item["name"])
        assert listing["barcode"] in ("", item["barcode"])
        # Shopee names the models of items with variations, and only those.
        if platform == "shopee":
            assert listing["model_id"] == (str(item["model_id"]) if item["variation"] else "")
        if platform in ("shopee", "tiktok"):
            assert listing["barcode"] == item["barcode"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_stock_push_answers_per_sku_and_changes_the_shop(shop, platform):
    adapter, seller = connected(shop, platform), api_of(shop, platform).shop
    untouched = seller.available("MUG-01")
    skus = ["TEE-M", "CAP-01", "EXTRA-000", "EXTRA-001"]
    entries = entries_for(adapter.fetch_listings(), skus, quantity=7)
    unlinked = {"sku": "NO-ITEM-ID", "item_id": "", "model_id": "", "quantity": 1}
    results = adapter.push_stock([*entries[:2], {**UNKNOWN, "quantity": 3}, *entries[2:], unlinked])
    assert [(result["sku"], result["ok"]) for result in results] == [
        ("TEE-M", True), ("CAP-01", True), ("NOT-ON-SALE", False), ("EXTRA-000", True), ("EXTRA-001", True),
        ("NO-ITEM-ID", False),
    ]  # fmt: skip
    assert results[2]["error"] and results[5]["error"] and not results[0]["error"]
    assert {sku: seller.available(sku) for sku in skus} == dict.fromkeys(skus, 7)
    assert seller.available("MUG-01") == untouched


@pytest.mark.parametrize("platform", PLATFORMS)
def test_price_push_answers_per_sku_and_changes_the_shop(shop, platform):
    adapter, seller = connected(shop, platform), api_of(shop, platform).shop
    entries = entries_for(adapter.fetch_listings(), ["TEE-L", "BAG-01"], price=99000.0)
    results = adapter.push_prices([*entries, {**UNKNOWN, "price": 1000.0}])
    assert [result["ok"] for result in results] == [True, True, False]
    assert seller.items["TEE-L"]["price"] == seller.items["BAG-01"]["price"] == 99000
    assert seller.items["TEE-M"]["price"] == 150000


@pytest.mark.parametrize("platform", PLATFORMS)
def test_ship_order_moves_it_once_and_a_cancelled_order_is_refused(shop, platform):
    adapter, api = connected(shop, platform), api_of(shop, platform)
    ready, cancelled = api.shop.generate_orders(2)
    api.shop.advance(ready, "READY_TO_SHIP")
    api.shop.cancel(cancelled)
    shipped = adapter.ship_order(api.ref(ready), "SPXVN0123456789", "GHN")
    order = api.shop.orders[ready]
    assert order["status"] == "PROCESSED" and shipped == {"tracking_number": order["tracking_number"]}
    # Tiki's own carrier picks up: the tracking code is Tiki's.
    assert order["tracking_number"] == "SPXVN0123456789" or platform == "tiki"
    # A job tried again after the shipment was arranged: nothing changes, the same number answers.
    assert adapter.ship_order(api.ref(ready), "SPXVN0000000000", "GHN") == shipped
    with pytest.raises(ChannelError) as refusal:
        adapter.ship_order(api.ref(cancelled), "SPXVN0000000000", "GHN")
    assert not refusal.value.retryable and not refusal.value.auth
    assert api.shop.orders[cancelled]["status"] == "CANCELLED"
    assert api.shop.orders[ready]["tracking_number"] == order["tracking_number"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_expired_token_is_refreshed_once_for_a_push(shop, platform):
    adapter = connected(shop, platform)
    entries = entries_for(adapter.fetch_listings(), ["MUG-01"], quantity=4)
    saved = len(adapter.saved)
    api_of(shop, platform).expire_tokens()
    assert adapter.push_stock(entries)[0]["ok"]
    assert len(adapter.saved) == saved + 1
    assert api_of(shop, platform).shop.available("MUG-01") == 4


@pytest.mark.parametrize("platform", PLATFORMS)
def test_rate_limit_mid_push_raises_retryable(shop, platform):
    adapter = connected(shop, platform)
    # More calls than one: one product a call, and 50 SKUs a call on Lazada.
    api = api_of(shop, platform)
    entries = entries_for(adapter.fetch_listings(), sorted(api.shop.items), quantity=77)
    api.set_limit("shop", 1)  # the push's first call goes through, the next is one too many
    with pytest.raises(ChannelError) as refusal:
        adapter.push_stock(entries)
    assert refusal.value.retryable
    pushed = [sku for sku in api.shop.items if api.shop.available(sku) == 77]
    assert 0 < len(pushed) < len(entries)


def test_official_lazada_sdk_lists_products_and_updates_stock(shop):
    rest = f"{shop.url}/lazada/rest"
    client = LazopClient(rest, shop.lazada.app_key, shop.lazada.app_secret)
    create = LazopRequest("/auth/token/create")
    create.add_api_param("code", authorize(shop, "lazada"))
    token = client.execute(create).body["access_token"]
    products = LazopRequest("/products/get", "GET")
    products.add_api_param("filter", "all")
    products.add_api_param("limit", "50")
    answer = client.execute(products, token)
    assert answer.code == "0" and answer.body["data"]["total_products"] == len(shop.lazada.shop.items)
    assert len(answer.body["data"]["products"]) == 50
    seller = client.execute(LazopRequest("/seller/get", "GET"), token)
    assert seller.body["data"]["name"] == shop.lazada.shop_name
    update = LazopRequest("/product/price_quantity/update")
    update.add_api_param(
        "payload",
        "<Request><Product><Skus><Sku><SellerSku>CAP-01</SellerSku><Quantity>12</Quantity></Sku>"
        "<Sku><SellerSku>NOT-ON-SALE</SellerSku><Quantity>1</Quantity></Sku></Skus></Product></Request>",
    )
    answer = client.execute(update, token)
    assert answer.code == "501" and [d["seller_sku"] for d in answer.body["detail"]] == ["NOT-ON-SALE"]
    assert shop.lazada.shop.available("CAP-01") == 12
