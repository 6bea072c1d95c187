"""Hostile input at the order entry points of a running server, as an integrator or an attacker
sends it: ``api_ingest_orders``, ``api_get_orders`` and ``api_info`` over XML-RPC and JSON-RPC, and
the webhook. Every call answers a result or a clean user error, never a traceback; the server stays
healthy and logs no error.

The property-based tests (hypothesis) generate payloads: orders as arbitrary JSON-like structures,
and near-valid orders with hostile values.
"""

import json
import math
import os
import time
import urllib.request
import uuid
import xmlrpc.client

import pytest
import requests
from conftest import new_vnd_pricelist
from connectors.signing import sign_api_webhook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SECRET = "hostile-webhook-secret"
STATUSES = {"created", "updated", "duplicate", "queued", "needs_attention", "failed"}
USER_ERRORS = {
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
}
# What a readable reason never shows: the internals of a failure.
INTERNALS = ("Traceback", "psycopg2", "Unexpected error", "CONTEXT:", 'File "')
DEEP = 100_000
HOSTILE_DATES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1900-01-01", "2026-02-30"]
EXAMPLES = {"arbitrary": 0, "near_valid": 0, "get_orders": 0}


@pytest.fixture(scope="module")
def channel_code(admin):
    """A VND partner channel signing its webhooks, and a product it sells."""
    code = f"hostile-{uuid.uuid4().hex[:6]}"
    pricelist = new_vnd_pricelist(admin, f"VND {code}")
    admin.env["omni.channel"].create(
        {
            "name": "Hostile partner",
            "code": code,
            "channel_type": "api",
            "pricelist_id": pricelist,
            "webhook_secret": SECRET,
        }
    )
    if not admin.env["product.product"].search([("default_code", "=", "HOSTILE-TEE")]):
        admin.env["product.product"].create({"name": "Áo", "default_code": "HOSTILE-TEE", "list_price": 1})
    return code


@pytest.fixture(scope="module", autouse=True)
def log_offset():
    """Where the server's log stood before these tests: nothing after it may be an ERROR."""
    path = os.environ.get("OMNI_SERVER_LOG")
    if not path:
        pytest.fail("OMNI_SERVER_LOG is not set: run these tests through `make test`.")
    return os.path.getsize(path)


def order(external_id=None, **values):
    return {
        "external_id": external_id or f"HX-{uuid.uuid4().hex[:10]}",
        "status": "unpaid",
        "updated_at": "2026-11-20T07:00:00Z",
        # a customer of its own: these tests are about input, not about one customer's concurrent orders
        "customer": {"name": "Lê Văn Cường", "email": f"{uuid.uuid4().hex[:12]}@example.vn"},
        "lines": [{"sku": "HOSTILE-TEE", "quantity": 1, "unit_price": 150000}],
        **values,
    }


def answer(integrator, transport, method, *args):
    """``("result", value)`` or ``("fault", message)``; anything else fails the test: a fault that
    is not a user error, a traceback, a None XML-RPC cannot send."""
    if transport == "xml":
        try:
            return "result", integrator.call("omni.channel", method, *args)
        except xmlrpc.client.Fault as fault:
            assert fault.faultCode in (2, 3, 4), fault.faultString[-2000:]
            assert "Traceback" not in fault.faultString, fault.faultString[-2000:]
            return "fault", fault.faultString
    reply = integrator.call_json("omni.channel", method, *args)
    if "error" in reply:
        data = reply["error"]["data"]
        assert data["name"] in USER_ERRORS, data["debug"][-2000:]
        return "fault", data["message"]
    return "result", reply["result"]


def assert_results(results, count):
    """One clean answer per order."""
    assert isinstance(results, list) and len(results) == count, results
    for result in results:
        assert set(result) == {"external_id", "status", "sale_order_id", "inbox_id", "error"}, result
        assert result["status"] in STATUSES, result
        assert result["external_id"] is False or isinstance(result["external_id"], str), result
        assert result["sale_order_id"] is False or isinstance(result["sale_order_id"], int), result
        assert result["inbox_id"] is False or isinstance(result["inbox_id"], int), result
        error = result["error"]
        assert error is False or (isinstance(error, str) and error), result
        assert not any(word in (error or "") for word in INTERNALS), result
        if result["status"] == "failed":
            assert error, result


def ingest(integrator, transport, channel_code, orders, options=None):
    """The results of a call expected to answer per order."""
    kind, value = answer(integrator, transport, "api_ingest_orders", channel_code, orders, options)
    assert kind == "result", value
    assert_results(value, len(orders))
    return value


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def raw_xmlrpc(server, integrator, params_xml):
    """An ``execute_kw`` whose argument list is written by hand: what no client library sends."""
    head = "".join(
        f"<param><value>{value}</value></param>"
        for value in (
            f"<string>{server['db']}</string>",
            f"<int>{integrator.uid}</int>",
            f"<string>{integrator.key}</string>",
            "<string>omni.channel</string>",
            "<string>api_ingest_orders</string>",
        )
    )
    body = (
        "<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName><params>"
        f"{head}<param><value><array><data>{params_xml}</data></array></value></param></params></methodCall>"
    ).encode()
    request = urllib.request.Request(
        f"{server['url']}/xmlrpc/2/object", data=body, headers={"Content-Type": "text/xml"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return xmlrpc.client.loads(response.read())[0][0]


TRANSPORTS = ["xml", "json"]


# ------------------------------------------------------------------ the cases measured


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_dates_no_date_can_hold(integrator, channel_code, transport):
    for field in ("created_at", "updated_at", "pay_by", "ship_by"):
        orders = [order(**{field: value}) for value in HOSTILE_DATES]
        for result in ingest(integrator, transport, channel_code, orders):
            assert (result["status"], result["inbox_id"] > 0) == ("failed", True), result
            assert field in result["error"], result


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_orders_without_a_usable_external_id(integrator, channel_code, transport):
    bare = {key: value for key, value in order(note=uuid.uuid4().hex).items() if key != "external_id"}
    orders = [
        bare,
        *(
            {**order(note=uuid.uuid4().hex), "external_id": value}
            for value in ("", "   ", None, [1], 12.5, "X" * 129)
        ),
    ]
    results = ingest(integrator, transport, channel_code, orders)
    for result in results:
        assert result["status"] == "failed" and "external_id" in result["error"], result
    assert [result["external_id"] for result in results] == [
        False,
        False,
        "   ",
        False,
        False,
        False,
        "X" * 128,
    ]


def test_nul_and_lone_surrogates_over_jsonrpc(integrator, channel_code):
    for bad in ("a\x00b", "\ud800", "x\udfffy"):
        orders = [
            order(note=bad),
            order(customer={"name": bad}),
            order(lines=[{"sku": bad, "quantity": 1, "unit_price": 1}]),
            {**order(), bad: 1},
            order(bad),
        ]
        for result in ingest(integrator, "json", channel_code, orders):
            assert (result["status"], result["inbox_id"]) == ("failed", False), result
            assert "Nothing was stored" in result["error"], result


def test_nul_and_control_characters_over_xmlrpc(integrator, channel_code):
    """XML cannot carry them: the request is refused whole, as a user error."""
    for bad in ("a\x00b", "a\x01b", "\x1f"):
        kind, message = answer(integrator, "xml", "api_ingest_orders", channel_code, [order(note=bad)])
        assert kind == "fault" and "not well-formed XML" in message, message


def test_deep_nesting(server, integrator, channel_code):
    (result,) = ingest(integrator, "json", channel_code, [order(note=nested(500))])
    assert (result["status"], result["inbox_id"]) == ("failed", False), result
    assert "nested more than 64 levels" in result["error"]
    # 100,000 deep: no client library writes that; by hand, over XML-RPC.
    deep = "<value><array><data>" * DEEP + "</data></array></value>" * DEEP
    (result,) = raw_xmlrpc(server, integrator, f"<value><string>{channel_code}</string></value>{deep}")
    assert_results([result], 1)
    assert (result["status"], result["inbox_id"]) == ("failed", False), result


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_hostile_quantities_and_prices(integrator, channel_code, transport):
    values = [math.nan, math.inf, -math.inf, -1, 0, 1e300, 2**31 - 1, "abc", None, [1], {"a": 1}, True]
    for field in ("quantity", "unit_price", "seller_discount"):
        orders = [
            order(lines=[{"sku": "HOSTILE-TEE", "quantity": 1, "unit_price": 1, field: v}]) for v in values
        ]
        for value, result in zip(values, ingest(integrator, transport, channel_code, orders), strict=True):
            if value == 0 and field != "quantity":
                assert result["status"] == "created", result
            elif value == 2**31 - 1:
                assert result["status"] in ("created", "failed"), result
            else:
                assert result["status"] == "failed" and field in result["error"], (value, result)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_huge_strings_many_lines_and_non_object_orders(integrator, channel_code, transport):
    lines = [{"sku": f"S-{n}", "quantity": 1, "unit_price": 1} for n in range(10_000)]
    orders = [
        order(note="x" * 2_000_000),
        order(note="ghi chú " * 2_000),
        order(lines=lines),
        1,
        "x",
        [],
        True,
    ]
    if transport == "json":
        orders.append(None)
    results = ingest(integrator, transport, channel_code, orders)
    assert (results[0]["status"], results[0]["inbox_id"]) == ("failed", False)
    assert "over the limit" in results[0]["error"]
    assert "note" in results[1]["error"]
    assert "lines" in results[2]["error"]
    for result in results[3:]:  # the same content as the other transport's call: a duplicate
        assert result["status"] == "duplicate" or "must be an object" in result["error"], result


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_wrong_types_of_the_call(integrator, channel_code, transport):
    calls = [
        ("api_ingest_orders", channel_code, {"external_id": "x"}, None),
        ("api_ingest_orders", channel_code, "orders", None),
        ("api_ingest_orders", channel_code, [order()], "async"),
        ("api_ingest_orders", channel_code, [1] * 501, None),
        ("api_ingest_orders", 42, [], None),
        ("api_ingest_orders", "no-such-channel", [], None),
        ("api_ingest_orders", "x" * 10_000, [], None),
        ("api_ingest_orders", [channel_code], [], None),
        ("api_get_orders", channel_code, "HX-1"),
        ("api_get_orders", channel_code, [1, 2]),
        ("api_get_orders", channel_code, [["HX-1"]]),
        ("api_get_orders", channel_code, ["x"] * 501),
        ("api_get_orders", False, ["HX-1"]),
    ]
    if transport == "json":
        calls += [
            ("api_ingest_orders", None, [], None),
            ("api_ingest_orders", "a\x00b", [], None),
            ("api_ingest_orders", "\ud800", [], None),
            ("api_get_orders", channel_code, ["a\x00b"]),
            ("api_get_orders", channel_code, ["\ud800"]),
            ("api_get_orders", channel_code, None),
        ]
    for method, *args in calls:
        kind, message = answer(integrator, transport, method, *args)
        assert kind == "fault", (method, str(args)[:80], message)
    kind, value = answer(integrator, transport, "api_info")
    assert kind == "result" and value["api_version"]
    kind, value = answer(integrator, transport, "api_get_orders", channel_code, ["nope", "x" * 10_000])
    assert (kind, value) == ("result", [])


def test_stale_and_unstorable_webhooks(server, admin, channel_code):
    url = f"{server['url']}/omni/webhook/{channel_code}"

    def post(body, sent_at=None):
        timestamp = str(int(time.time()) if sent_at is None else sent_at)
        signature = "sha256=" + sign_api_webhook(SECRET, timestamp, body)
        headers = {
            "Content-Type": "application/json",
            "X-Omni-Timestamp": timestamp,
            "X-Omni-Signature": signature,
        }
        return requests.post(url, data=body, headers=headers, timeout=60)

    Inbox = admin.env["omni.channel.inbox"]
    stale = order()
    response = post(json.dumps(stale).encode(), int(time.time()) - 90 * 86400)
    assert (response.status_code, response.json()["error"]) == (401, "stale or undated push")
    assert not Inbox.search([("external_id", "=", stale["external_id"])])
    for body in (b'{"a": "\\u0000"}', b'{"a": "\\ud800"}', b'{"a": "\x00"}', b"[" * DEEP + b"]" * DEEP):
        response = post(body)
        assert (response.status_code, response.json()["error"]) == (400, "invalid payload")
    fresh = order()
    response = post(json.dumps(fresh).encode())
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "queued"


# ------------------------------------------------------------------ generated payloads


def texts(transport):
    """Text the transport carries: JSON any (NUL, lone surrogates); XML no lone surrogate (the
    client cannot encode one), sometimes a control character (refused whole)."""
    if transport == "json":
        return st.text(max_size=40) | st.sampled_from(["\x00", "a\ud800", "\udfff", "x" * 5000])
    alphabet = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\x00\x01")
    return st.text(alphabet, max_size=40) | st.just("x" * 5000)


def scalars(transport):
    # XML-RPC's int is 32 bits; JSON numbers any size.
    bound = 2**31 - 1 if transport == "xml" else 10**30
    return (
        st.none()
        | st.booleans()
        | st.integers(-bound, bound)
        | st.floats(allow_nan=True, allow_infinity=True)
        | texts(transport)
    )


def json_like(transport):
    return st.recursive(
        scalars(transport),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(texts(transport), children, max_size=4)
        ),
        max_leaves=25,
    )


def hostile_values(transport):
    big = 2**31 - 1 if transport == "xml" else 10**15  # XML-RPC's int is 32 bits
    values = [None, "", " ", -1, 0, big, 1e300, math.nan, math.inf, True, [], {}, [1], {"a": 1}, "x" * 20_000]
    return st.sampled_from(values + HOSTILE_DATES)


@st.composite
def near_valid_orders(draw, transport):
    """A valid order with some of its values (anywhere, keys included) replaced by hostile ones."""
    data = order(
        status=draw(st.sampled_from(["unpaid", "pending", "ready_to_ship", "cancelled", "returned"])),
        created_at="2026-11-20T06:00:00Z",
        pay_by="2026-11-21T07:00:00Z",
        shipping_fee=30000,
        shipping_address={"street": "12 Lý Thường Kiệt", "province": "Hà Nội"},
    )
    data["lines"].append({"sku": "HOSTILE-TEE", "quantity": 2, "unit_price": 1000, "seller_discount": 10})
    paths = [("external_id",), ("status",), ("created_at",), ("updated_at",), ("pay_by",), ("ship_by",),
             ("currency",), ("customer",), ("customer", "name"), ("customer", "email"),
             ("shipping_address",), ("shipping_address", "country"), ("lines",), ("lines", 0),
             ("lines", 0, "sku"), ("lines", 0, "quantity"), ("lines", 0, "unit_price"),
             ("lines", 1, "seller_discount"), ("shipping_fee",), ("payment_method",), ("note",),
             ("pickup_store",)]  # fmt: skip
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4, unique=True)):
        target = data
        for key in path[:-1]:
            target = target[key] if isinstance(target, dict | list) and _has(target, key) else None
        if isinstance(target, dict | list) and _has(target, path[-1]):
            target[path[-1]] = draw(hostile_values(transport) | texts(transport) | json_like(transport))
    if draw(st.booleans()):
        data[draw(texts(transport))] = draw(json_like(transport))
    return data


def _has(container, key):
    return key in container if isinstance(container, dict) else isinstance(key, int) and key < len(container)


GENERATED = settings(
    max_examples=150,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def ingest_answer(integrator, transport, channel_code, orders, options):
    kind, value = answer(integrator, transport, "api_ingest_orders", channel_code, orders, options)
    if kind == "result":
        assert_results(value, len(orders))


def test_generated_arbitrary_orders(integrator, channel_code):
    @GENERATED
    @given(data=st.data(), transport=st.sampled_from(TRANSPORTS))
    def check(data, transport):
        EXAMPLES["arbitrary"] += 1
        orders = data.draw(st.lists(json_like(transport), max_size=5) | json_like(transport))
        options = data.draw(st.none() | st.just({"async": True}) | json_like(transport))
        ingest_answer(integrator, transport, channel_code, orders, options)

    check()


def test_generated_near_valid_orders(integrator, channel_code):
    """Imported in the call, so that each answer says how the import went."""

    @GENERATED
    @given(data=st.data(), transport=st.sampled_from(TRANSPORTS))
    def check(data, transport):
        EXAMPLES["near_valid"] += 1
        orders = data.draw(st.lists(near_valid_orders(transport), min_size=1, max_size=2))
        ingest_answer(integrator, transport, channel_code, orders, {})

    check()


def test_generated_order_lookups(integrator, channel_code):
    @settings(GENERATED, max_examples=50)
    @given(data=st.data(), transport=st.sampled_from(TRANSPORTS))
    def check(data, transport):
        EXAMPLES["get_orders"] += 1
        external_ids = data.draw(st.lists(texts(transport), max_size=5) | json_like(transport))
        kind, value = answer(integrator, transport, "api_get_orders", channel_code, external_ids)
        assert kind == "fault" or isinstance(value, list), value

    check()


def test_server_stays_healthy(server, integrator, channel_code, log_offset):
    """After all of the above: the server answers, imports a valid order, and logged no error."""
    assert requests.get(f"{server['url']}/web/health", timeout=30).status_code == 200
    (result,) = ingest(integrator, "xml", channel_code, [order()])
    assert result["status"] == "needs_attention" or result["status"] == "created", result
    with open(os.environ["OMNI_SERVER_LOG"], "rb") as log:
        log.seek(log_offset)
        errors = [line for line in log.read().decode(errors="replace").splitlines() if " ERROR " in line]
    assert not errors, errors[:5]
    print(f"hypothesis examples run: {EXAMPLES}")  # the count is part of the report
