"""The simulator's promotions of Lazada, Tiki, Shopify and WooCommerce, as each platform takes them:
the refusals per item in the platform's words, the buyer's price following the promotion's window
on the simulator's clock, and orders created meanwhile at that price."""

import requests
from test_sandbox_shopify_graphql import graphql
from test_sandbox_strict import TOKEN, authorized, lazada

from sandbox.storefront import product_ids


def lazada_update(simulator, *skus):
    payload = (
        "<Request><Product><Skus>"
        + "".join(f"<Sku>{sku}</Sku>" for sku in skus)
        + "</Skus></Product></Request>"
    )
    return lazada(simulator, "/product/price_quantity/update", "POST", payload=payload)


def lazada_skus(simulator):
    products = lazada(simulator, "/products/get", filter="all", limit=50)["data"]["products"]
    return {sku["SellerSku"]: sku for product in products for sku in product["skus"]}


def test_lazada_special_price_refusals_per_sku(simulator):
    cap = "<SellerSku>CAP-01</SellerSku>"
    answer = lazada_update(
        simulator,
        f"{cap}<SalePrice>90000</SalePrice>",
        "<SellerSku>MUG-01</SellerSku><SalePrice>50000</SalePrice><SaleStartDate>01/05/2024</SaleStartDate>",
        "<SellerSku>BAG-01</SellerSku><SalePrice>99000</SalePrice><SaleStartDate>2024-05-02</SaleStartDate>"
        "<SaleEndDate>2024-05-01 23:00:00</SaleEndDate>",
        "<SellerSku>TEE-M</SellerSku><SaleStartDate>2024-05-02</SaleStartDate>",
        "<SellerSku>TEE-L</SellerSku><SalePrice>120000</SalePrice>"
        "<SaleStartDate>2024-05-01 10:00:00</SaleStartDate><SaleEndDate>2024-05-01 10:00:00</SaleEndDate>",
    )
    assert answer["code"] == "501"
    assert [(refusal["seller_sku"], refusal["field"]) for refusal in answer["detail"]] == [
        ("CAP-01", "SalePrice"), ("MUG-01", "SaleStartDate"), ("BAG-01", "SaleEndDate"),
        ("TEE-M", "SalePrice"),
    ]  # fmt: skip
    assert lazada_skus(simulator)["TEE-L"]["special_price"] == 120000, "an empty window is taken"


def test_lazada_special_price_follows_its_window_in_reads_and_orders(simulator):
    api, shop = simulator.lazada, simulator.lazada.shop
    answer = lazada_update(
        simulator,
        "<SellerSku>CAP-01</SellerSku><SalePrice>75000</SalePrice>"
        "<SaleStartDate>2024-05-01 10:00:00</SaleStartDate><SaleEndDate>2024-05-02</SaleEndDate>",
    )
    assert answer["code"] == "0"
    listed = lazada_skus(simulator)["CAP-01"]
    special = [listed[name] for name in ("price", "special_price", "special_from_date", "special_to_date")]
    assert special == [90000, 75000, "2024-05-01 10:00:00", "2024-05-02"]
    opens = 1714532400  # 2024-05-01 10:00 in Vietnam
    closes = opens + 14 * 3600 + 24 * 3600  # the end of 2024-05-02, its day included
    assert [api.buyer_price("CAP-01", moment) for moment in (opens - 1, opens, closes - 1, closes)] == [
        90000, 75000, 75000, 90000,
    ]  # fmt: skip
    for moment in (opens - 100_000, opens + 60):
        shop.now = moment
        shop.generate_orders(15, spread_seconds=1)
    prices = {}
    for order in shop.orders.values():
        if "CAP-01" in dict(order["lines"]):
            number = api.ref(order["id"])
            items = lazada(simulator, "/order/items/get", order_id=number)["data"]
            paid = {item["paid_price"] for item in items if item["sku"] == "CAP-01"}
            prices.setdefault(order["create_time"] >= opens, set()).update(paid)
    assert prices == {False: {"90000.00"}, True: {"75000.00"}}


class WooClient:
    """The store's REST API with Basic authentication, as a TLS proxy forwards it (no OAuth timestamp:
    the store's clock is set far from now)."""

    def __init__(self, simulator):
        api = simulator.woocommerce
        self.url, self.auth = (
            f"{simulator.url}/woocommerce/wp-json/wc/v3/",
            (api.consumer_key, api.consumer_secret),
        )

    def _request(self, method, path, **options):
        headers = {"X-Forwarded-Proto": "https"}
        return requests.request(
            method, self.url + path, auth=self.auth, headers=headers, timeout=10, **options
        )

    def get(self, path, params=None):
        return self._request("GET", path, params=params)

    def put(self, path, body):
        return self._request("PUT", path, json=body)


def test_woocommerce_sale_price_dates_and_the_daily_scheduled_sales_run(simulator):
    """WooCommerce core: on sale inside the dates (worked out when read); the price paid is set when
    saved and at the site's midnight run, which ends a past sale and clears it."""
    now = [1_794_366_000.0]  # 2026-11-11 10:00 in Vietnam
    api, client = simulator.woocommerce, WooClient(simulator)
    api.clock = lambda: now[0]
    cap = client.get("products", params={"sku": "CAP-01"}).json()[0]
    sale = {"sale_price": "70000", "date_on_sale_from_gmt": "2026-11-11T02:00:00",
            "date_on_sale_to": "2026-11-11T12:00:00"}  # fmt: skip
    saved = client.put(f"products/{cap['id']}", sale).json()
    assert (saved["price"], saved["sale_price"], saved["on_sale"]) == ("70000", "70000", True)
    assert (saved["date_on_sale_from"], saved["date_on_sale_to_gmt"]) == (
        "2026-11-11T09:00:00",
        "2026-11-11T05:00:00",
    )
    assert api.buyer_price("CAP-01", now[0]) == 70000
    now[0] += 3 * 3600  # 13:00: past the end, the price stays the sale price until midnight
    listed = client.get(f"products/{cap['id']}").json()
    assert (listed["price"], listed["on_sale"]) == ("70000", False)
    now[0] += 11 * 3600  # midnight: the run ended the sale and cleared it
    listed = client.get(f"products/{cap['id']}").json()
    assert (listed["price"], listed["sale_price"], listed["date_on_sale_to"]) == ("90000", "", None)
    # A sale starting later waits for the midnight after its start; one not below the regular price
    # is taken but is no sale; an unreadable date is refused.
    later = client.put(
        f"products/{cap['id']}", {"sale_price": "80000", "date_on_sale_from": "2026-11-12T15:00:00"}
    )
    assert (later.json()["price"], later.json()["on_sale"]) == ("90000", False)
    now[0] += 20 * 3600  # 2026-11-12 20:00: on sale, still at the regular price
    assert (
        client.get(f"products/{cap['id']}").json()["on_sale"] and api.buyer_price("CAP-01", now[0]) == 90000
    )
    assert api.buyer_price("CAP-01", now[0] + 5 * 3600) == 80000, "the midnight run starts it"
    equal = client.put(f"products/{cap['id']}", {"sale_price": "90000", "date_on_sale_from": ""}).json()
    assert (equal["price"], equal["sale_price"], equal["on_sale"]) == ("90000", "90000", False)
    refused = client.put(f"products/{cap['id']}", {"sale_price": "1", "date_on_sale_to_gmt": "11/11/2026"})
    assert (refused.status_code, refused.json()["code"]) == (400, "rest_invalid_param")


UPDATE_VARIANTS = """mutation Prices($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id price compareAtPrice } userErrors { field message code } } }"""


def test_shopify_compare_at_price_in_bulk_updates_and_reads(simulator):
    shop = simulator.shopify.shop
    tee, mug = shop.items["TEE-L"], shop.items["MUG-01"]
    product = f"gid://shopify/Product/{product_ids(shop)['TEE-L']}"
    variant = f"gid://shopify/ProductVariant/{tee['model_id']}"

    def update(price, compare_at):
        variants = [{"id": variant, "price": price, "compareAtPrice": compare_at}]
        answer = graphql(simulator, UPDATE_VARIANTS, {"productId": product, "variants": variants})
        return answer["data"]["productVariantsBulkUpdate"]

    message = "Compare at price must be greater than or equal to 0"
    error = {
        "field": ["variants", "0", "compareAtPrice"],
        "message": message,
        "code": "GREATER_THAN_OR_EQUAL_TO",
    }
    assert update("99000.00", "-1") == {"productVariants": None, "userErrors": [error]}
    # Shopify asks nothing more of a compare-at price: one below the price is taken too.
    assert update("99000.00", "50000.00")["userErrors"] == []
    updated = update("99000.00", "150000.00")
    assert updated["productVariants"] == [{"id": variant, "price": "99000.00", "compareAtPrice": "150000.00"}]
    rest = requests.get(
        f"{simulator.url}/shopify/admin/api/2025-01/variants/{tee['model_id']}.json",
        headers={"X-Shopify-Access-Token": simulator.shopify.access_token}, timeout=10,
    ).json()["variant"]  # fmt: skip
    assert (rest["price"], rest["compare_at_price"]) == ("99000.00", "150000.00")
    assert (
        shop.buyer_price("TEE-L", shop.now) == 99000 and shop.buyer_price("MUG-01", shop.now) == mug["price"]
    )
    cleared = update("150000.00", None)["productVariants"]
    assert cleared == [{"id": variant, "price": "150000.00", "compareAtPrice": None}]


def test_tiki_price_now_at_least_a_tenth_of_the_market_price(simulator):
    """Tiki schedules no promotion: the price updated is the buyer's at once, for the orders too."""
    authorized(simulator.tiki)
    shop, url = simulator.tiki.shop, f"{simulator.url}/tiki/integration/v2.1/products"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    cap = shop.items["CAP-01"]

    def update(price):
        body = {"product_id": cap["item_id"], "price": price}
        return requests.put(f"{url}/updateSku", json=body, headers=headers, timeout=10)

    refused = update(8999)
    assert (refused.status_code, refused.json()) == (
        400, {"errors": ["Price is not valid because less than ten percent listing price"]},
    )  # fmt: skip
    assert update(9000).json() == {"state": "approved"}
    listed = requests.get(url, params={"limit": 50}, headers=headers, timeout=10).json()["data"]
    (row,) = [row for row in listed if row["original_sku"] == "CAP-01"]
    assert (row["price"], row["market_price"]) == (9000, 90000)
    numbers = [
        number for number in shop.generate_orders(10) if "CAP-01" in dict(shop.orders[number]["lines"])
    ]
    assert numbers and update(90000).json() == {"state": "approved"}, "over: orders keep their price"
    for number in numbers:
        order = requests.get(
            f"{simulator.url}/tiki/integration/v2/orders/{simulator.tiki.ref(number)}",
            headers=headers,
            timeout=10,
        ).json()
        assert {
            item["price"] for item in order["items"] if item["product"]["seller_product_code"] == "CAP-01"
        } == {9000}
