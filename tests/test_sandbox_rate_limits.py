"""Each simulated platform limits calls as it documents (per shop, per API, per app) and refuses
the call past a limit in its own words; the windows follow an injected clock, so nothing here waits.
"""

from sandbox.catalog import Shop
from sandbox.lazada import LazadaApi
from sandbox.platform import Query, RateLimit
from sandbox.server import Simulator
from sandbox.shopee import ShopeeApi
from sandbox.shopify import ShopifyApi
from sandbox.tiki import TikiApi
from sandbox.tiktok import TiktokApi
from sandbox.woocommerce import WooCommerceApi

DAY = 24 * 3600


class Clock:
    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        return self.now


def shopee_call(api, path):
    """An unsigned call: the rate is checked (and the call counted) before the signature."""
    return api.handle("GET", path, Query(""), {})


def test_the_platforms_declare_their_documented_limits():
    assert ShopeeApi.RATE_LIMITS == (RateLimit("api", 50, 1),)
    assert LazadaApi.RATE_LIMITS == (RateLimit("api", 50, 1), RateLimit("app", 10_000_000, DAY))
    assert TiktokApi.RATE_LIMITS == TikiApi.RATE_LIMITS == (RateLimit("api", 50, 1),)
    assert WooCommerceApi.RATE_LIMITS == (), "WooCommerce core limits nothing"
    shopify = ShopifyApi(Shop(1))
    assert (shopify.bucket_size, shopify.leak_rate) == (40, 2.0), "Shopify REST: Standard plan bucket"
    assert Simulator().shopee.limits == [RateLimit("api", 50, 1)], "no cap of the simulator's own"


def test_shopee_refuses_past_an_apis_limit_and_counts_each_api_alone():
    clock = Clock()
    api = ShopeeApi(Shop(1), clock=clock)
    for _ in range(50):
        assert shopee_call(api, "/api/v2/order/get_order_list")[1]["error"] == "error_param"  # no sign
    status, answer = shopee_call(api, "/api/v2/order/get_order_list")
    assert (status, answer["error"]) == (429, "error_server")
    assert answer["message"] == "Too many requests, please try again later"
    assert shopee_call(api, "/api/v2/order/get_order_detail")[0] != 429, "another API has its own count"
    clock.now += 0.5
    assert shopee_call(api, "/api/v2/order/get_order_list")[0] == 429, "the window slides, not resets"
    clock.now += 0.5
    assert shopee_call(api, "/api/v2/order/get_order_list")[0] != 429


def test_a_test_lowers_a_shops_limit_and_the_refusal_says_when_to_come_back():
    clock = Clock()
    api = ShopeeApi(Shop(1), clock=clock)
    api.set_limit("shop", 2)
    assert api.over_rate("/a") is None
    clock.now += 0.25
    assert api.over_rate("/b") is None
    throttled = api.over_rate("/c")
    assert throttled.limit == RateLimit("shop", 2, 1) and throttled.retry_after == 0.75
    clock.now += 0.75
    assert api.over_rate("/c") is None, "the refused call was not counted"


def test_lazada_answers_901_per_api_and_api_call_limit_per_app():
    clock = Clock()
    api = LazadaApi(Shop(1), clock=clock)
    api.set_limit("api", 1)
    assert api.handle("GET", "/orders/get", {})[1]["code"] == "MissingParameter"
    answer = api.handle("GET", "/orders/get", {})[1]
    assert (answer["code"], answer["type"]) == ("901", "ISP")
    assert answer["message"] == "Limit service request speed in server side temporarily."
    api.set_limit("app", 2, DAY)
    assert api.handle("GET", "/orders/get", {})[1]["code"] == "MissingParameter"
    clock.now += 1
    assert api.handle("GET", "/order/get", {})[1]["code"] == "MissingParameter"
    clock.now += 1
    assert api.handle("GET", "/seller/get", {})[1]["code"] == "ApiCallLimit", "the app's day is spent"
    clock.now += DAY
    assert api.handle("GET", "/seller/get", {})[1]["code"] == "MissingParameter"


def test_tiktok_answers_429_with_its_throttling_code():
    api = TiktokApi(Shop(1), clock=Clock())
    api.set_limit("api", 1)
    first = api.handle("GET", "/order/202309/orders", Query(""), b"", {})
    assert first[0] != 429
    status, answer = api.handle("GET", "/order/202309/orders", Query(""), b"", {})
    assert (status, answer["code"]) == (429, 36009002)


def test_tiki_answers_429():
    api = TikiApi(Shop(1), clock=Clock())
    api.set_limit("api", 1)
    assert api.handle("GET", "/integration/v2/orders", Query(""), {}, {})[0] == 401
    assert api.handle("GET", "/integration/v2/orders", Query(""), {}, {})[0] == 429


def test_shopify_rest_bucket_holds_40_calls_and_leaks_2_a_second():
    clock = Clock()
    api = ShopifyApi(Shop(1), clock=clock)
    headers = {"x-shopify-access-token": api.access_token}
    path = "/admin/api/2024-07/shop.json"
    answers = [api.handle("GET", path, Query(""), {}, headers) for _ in range(41)]
    assert all(status != 429 for status, _answer, _headers in answers[:40])
    status, _answer, refused = answers[40]
    assert (status, refused["Retry-After"], refused["X-Shopify-Shop-Api-Call-Limit"]) == (429, "2.0", "40/40")
    clock.now += 0.5
    assert api.handle("GET", path, Query(""), {}, headers)[0] != 429, "one call leaked out"


def test_woocommerce_limits_nothing_unless_its_host_does():
    api = WooCommerceApi(Shop(1), clock=Clock())
    assert all(api.handle("GET", "/wp-json", Query(""), {}, {}, {})[0] == 200 for _ in range(500))
    api.set_limit("shop", 1)
    api.handle("GET", "/wp-json", Query(""), {}, {}, {})
    status, answer, headers = api.handle("GET", "/wp-json", Query(""), {}, {}, {})
    assert (status, answer["code"], headers["Retry-After"]) == (429, "too_many_requests", "1")
