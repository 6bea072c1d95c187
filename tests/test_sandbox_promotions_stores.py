"""The simulator's promotions of Lazada, Tiki, Shopify and WooCommerce, as each platform takes them:
the refusals per item in the platform's words, the buyer's price following the promotion's window
on the simulator's clock, and orders created meanwhile at that price."""

from test_sandbox_strict import lazada


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
