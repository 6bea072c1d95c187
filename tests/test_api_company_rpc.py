"""An integrator of company A reaches nothing of company B through any api_* method, and every
odd argument gets a clear refusal (a user error), over XML-RPC and JSON-RPC."""

import json
import math
import urllib.request
import uuid
import xmlrpc.client

import pytest
from conftest import XmlRpcClient

# /xmlrpc/2 fault codes: a user error (UserError, ValidationError) and an access error. Any other
# fault (1) is a server error with a traceback.
USER_ERROR, ACCESS_ERROR = 2, 4
STOCK_A, STOCK_B = 4, 9


def order(external_id, sku, phone, status="ready_to_ship"):
    return {
        "external_id": external_id,
        "status": status,
        "updated_at": "2026-11-20T07:00:00Z",
        "currency": "VND",
        "customer": {"buyer_id": f"buyer-{phone}", "name": "Khách của B", "phone": phone},
        "lines": [{"sku": sku, "quantity": 1, "unit_price": 150000}],
        "payment_method": "prepaid",
    }


def loyalty_program(name, company_id):
    """The company's default loyalty program: 1 point per 1,000 spent."""
    return {
        "name": name,
        "program_type": "loyalty",
        "company_id": company_id,
        "omni_is_default": True,
        "omni_earn_rate": 1,
        "rule_ids": [(0, 0, {"reward_point_mode": "money", "reward_point_amount": 0.001})],
    }


def phone():
    return f"091{uuid.uuid4().int % 10**7:07d}"  # 091: a mobile prefix in use


@pytest.fixture(scope="module")
def world(server, admin, integrator):
    """Company B with its integrator, a channel only B has, a channel code both companies use,
    stock of one product in both, a customer, an order, a hold and points of B; loyalty programs
    of both companies, and a customer both share, with B's points."""
    suffix = uuid.uuid4().hex[:6]
    company_a = admin.env.user.company_id.id
    company_b = admin.env["res.company"].create({"name": f"Công ty B {suffix}"})
    login = f"integrator-b-{suffix}"
    groups = [admin.env.ref("base.group_portal").id, admin.env.ref("omni_channel_sync.group_integrator").id]
    user_b = admin.env["res.users"].create(
        {
            "name": "Partner system of B",
            "login": login,
            "company_id": company_b,
            "company_ids": [(6, 0, [company_b])],
            "groups_id": [(6, 0, groups)],
        }
    )
    Issue = admin.env["omni.api.key.issue"]
    wizard = Issue.create({"user_id": user_b, "name": "company isolation tests"})
    Issue.browse(wizard).action_issue()
    b = XmlRpcClient(server["url"], server["db"], login, Issue.read([wizard], ["key"])[0]["key"])

    def in_both(model, method, *args, **kwargs):
        """A call of the admin acting in both companies."""
        context = {"allowed_company_ids": [company_a, company_b], **kwargs.pop("context", {})}
        return admin.execute_kw(model, method, list(args), {**kwargs, "context": context})

    (vnd,) = in_both("res.currency", "search", [("name", "=", "VND")], context={"active_test": False})
    in_both("res.currency", "write", [vnd], {"active": True})
    sku = f"ISO-{suffix}"
    product = in_both(
        "product.product", "create", {"name": "Áo dùng chung", "default_code": sku, "is_storable": True}
    )
    # Odoo makes a new company's warehouse in its own tests only.
    in_both(
        "stock.warehouse",
        "create",
        {"name": f"Kho B {suffix}", "code": f"B{suffix[:4]}", "company_id": company_b},
    )
    warehouses = {}
    for company, quantity in ((company_a, STOCK_A), (company_b, STOCK_B)):
        (warehouse,) = in_both(
            "stock.warehouse", "search_read", [("company_id", "=", company)], ["lot_stock_id"], limit=1
        )
        quant = in_both(
            "stock.quant",
            "create",
            {
                "product_id": product,
                "location_id": warehouse["lot_stock_id"][0],
                "inventory_quantity": quantity,
            },
            context={"inventory_mode": True},
        )
        in_both("stock.quant", "action_apply_inventory", [quant])
        warehouses[company] = warehouse["id"]
    both_code, b_code = f"both-{suffix}", f"b-{suffix}"
    channels = {}
    for company, code in ((company_a, both_code), (company_b, both_code), (company_b, b_code)):
        pricelist = in_both(
            "product.pricelist",
            "create",
            {"name": f"{code} {company}", "currency_id": vnd, "company_id": company},
        )
        channels[company, code] = in_both(
            "omni.channel",
            "create",
            {
                "name": f"Kênh {code}",
                "code": code,
                "channel_type": "api",
                "company_id": company,
                "pricelist_id": pricelist,
                "warehouse_ids": [(6, 0, [warehouses[company]])],
            },
        )

    programs = in_both("loyalty.program", "search", [("omni_is_default", "=", True)])
    in_both("loyalty.program", "write", programs, {"omni_is_default": False})
    programs = [
        in_both("loyalty.program", "create", loyalty_program(f"Thành viên {name} {suffix}", company))
        for name, company in (("A", company_a), ("B", company_b))
    ]

    phone_b, phone_shared = phone(), phone()
    shared = in_both(
        "res.partner", "create", {"name": "Khách chung", "phone": phone_shared, "customer_rank": 1}
    )
    order_b, order_shared = f"ISO-B-{suffix}", f"ISO-S-{suffix}"
    results = b.call(
        "omni.channel",
        "api_ingest_orders",
        both_code,
        [order(order_b, sku, phone_b), order(order_shared, sku, phone_shared)],
    )
    assert [result["status"] for result in results] == ["created", "created"], results
    (sale_b, sale_shared) = in_both(
        "sale.order", "read", [result["sale_order_id"] for result in results], ["partner_id"]
    )
    assert sale_shared["partner_id"][0] == shared
    customer_b = sale_b["partner_id"][0]
    holds_b = [
        b.call("omni.channel", "api_hold_stock", both_code, f"{cart}-{suffix}", [{"sku": sku, "quantity": 1}])
        for cart in ("cart", "cart-2")
    ]
    for customer in (customer_b, shared):
        b.call("loyalty.card", "api_loyalty_earn", b_code, customer, 500000, f"B-{customer}")
    yield {
        "b": b,
        "admin": in_both,
        "company_a": company_a,
        "company_b": company_b,
        "both_code": both_code,
        "b_code": b_code,
        "b_channel": channels[company_b, both_code],
        "sku": sku,
        "customer_b": customer_b,
        "phone_b": phone_b,
        "shared": shared,
        "order_b": order_b,
        "hold_b": holds_b[0],
        "hold_b2": holds_b[1],
        "program_b": programs[1],
    }
    for hold in holds_b:
        b.call("omni.channel", "api_release_hold", both_code, hold["reference"])
    in_both("loyalty.program", "write", programs, {"active": False, "omni_is_default": False})


def refused(call, *args, code=USER_ERROR, match=""):
    """The fault of a refused call: a user (or access) error, never a server error."""
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(*args)
    assert fault.value.faultCode == code, fault.value.faultString
    assert match in fault.value.faultString
    return fault.value


def b_cards(world):
    return world["admin"](
        "loyalty.card", "search_read", [("program_id", "=", world["program_b"])], ["points"]
    )


# ---------------------------------------------------------------------------------- order API


def test_api_info_names_the_callers_company(admin, integrator, world):
    info = integrator.call("omni.channel", "api_info")
    (company_a,) = admin.env["res.company"].read([world["company_a"]], ["name"])
    assert info["company"] == company_a["name"]


def test_ingest_refuses_another_companys_channel(integrator, world):
    refused(
        integrator.call,
        "omni.channel",
        "api_ingest_orders",
        world["b_code"],
        [order("ISO-X", world["sku"], phone())],
        match="No channel with code",
    )


def test_get_orders_answers_only_the_callers_orders(integrator, world):
    assert integrator.call("omni.channel", "api_get_orders", world["both_code"], [world["order_b"]]) == []
    refused(integrator.call, "omni.channel", "api_get_orders", world["b_code"], [world["order_b"]])
    (mine,) = world["b"].call("omni.channel", "api_get_orders", world["both_code"], [world["order_b"]])
    assert mine["external_id"] == world["order_b"]


# ---------------------------------------------------------------------------------- customer API


def test_resolve_never_finds_another_companys_customer(admin, integrator, world):
    answer = integrator.call("res.partner", "api_resolve_customer", {"phone": world["phone_b"]})
    assert answer["created"] and answer["partner_id"] != world["customer_b"]
    (partner,) = world["admin"]("res.partner", "read", [answer["partner_id"]], ["company_id"])
    assert partner["company_id"][0] == world["company_a"]
    refused(
        integrator.call,
        "res.partner",
        "api_resolve_customer",
        {"channel_code": world["b_code"], "buyer_id": f"buyer-{world['phone_b']}"},
    )


def test_profile_of_another_companys_customer_is_refused(integrator, world):
    refused(
        integrator.call,
        "res.partner",
        "api_customer_profile",
        world["customer_b"],
        match="No active customer",
    )


def test_profile_of_a_shared_customer_hides_what_company_b_knows(integrator, world):
    profile = integrator.call("res.partner", "api_customer_profile", world["shared"])
    assert profile["channels"] == []
    assert all(identity["kind"] != "buyer_id" for identity in profile["identities"])
    assert profile["metrics"]["order_count"] == 0
    assert profile["loyalty"] is False or profile["loyalty"]["available"] == 0
    # What company B itself sees: its channel, its order.
    theirs = world["b"].call("res.partner", "api_customer_profile", world["shared"])
    assert [channel["channel"] for channel in theirs["channels"]] == [world["both_code"]]


# ---------------------------------------------------------------------------------- stock API


def test_available_to_sell_counts_only_the_callers_stock(integrator, world):
    sku = world["sku"]
    assert integrator.call("omni.channel", "api_available_to_sell", world["both_code"], [sku]) == {
        sku: STOCK_A
    }
    refused(integrator.call, "omni.channel", "api_available_to_sell", world["b_code"], [sku])


def test_hold_never_touches_another_companys_hold(admin, integrator, world):
    code, reference = world["both_code"], world["hold_b"]["reference"]
    refused(
        integrator.call,
        "omni.channel",
        "api_hold_stock",
        world["b_code"],
        reference,
        [{"sku": world["sku"], "quantity": 1}],
    )
    hold = integrator.call(
        "omni.channel", "api_hold_stock", code, reference, [{"sku": world["sku"], "quantity": 1}]
    )
    assert hold["hold_id"] != world["hold_b"]["hold_id"]
    integrator.call("omni.channel", "api_release_hold", code, reference)
    (hold_b,) = world["admin"]("omni.stock.hold", "read", [world["hold_b"]["hold_id"]], ["state"])
    assert hold_b["state"] == "active"


def test_release_never_touches_another_companys_hold(admin, integrator, world):
    reference = world["hold_b2"]["reference"]
    refused(integrator.call, "omni.channel", "api_release_hold", world["b_code"], reference)
    refused(
        integrator.call, "omni.channel", "api_release_hold", world["both_code"], reference, match="No hold"
    )
    (hold_b,) = world["admin"]("omni.stock.hold", "read", [world["hold_b2"]["hold_id"]], ["state"])
    assert hold_b["state"] == "active"


# ---------------------------------------------------------------------------------- loyalty API


def test_balance_reads_only_the_callers_program(integrator, world):
    refused(integrator.call, "loyalty.card", "api_loyalty_balance", world["customer_b"], match="No customer")
    balance = integrator.call("loyalty.card", "api_loyalty_balance", world["shared"])
    assert (balance["card_id"], balance["available"]) == (False, 0)


def test_earn_never_credits_another_companys_card(admin, integrator, world):
    refused(
        integrator.call, "loyalty.card", "api_loyalty_earn", world["b_code"], world["shared"], 1000, "E-1"
    )
    refused(
        integrator.call,
        "loyalty.card",
        "api_loyalty_earn",
        world["both_code"],
        world["customer_b"],
        1000,
        "E-1",
    )
    assert [card["points"] for card in b_cards(world)] == [500, 500]


def test_redeem_never_spends_another_companys_points(admin, integrator, world):
    refused(
        integrator.call, "loyalty.card", "api_loyalty_redeem", world["b_code"], world["shared"], 10, "R-1"
    )
    refused(
        integrator.call,
        "loyalty.card",
        "api_loyalty_redeem",
        world["both_code"],
        world["customer_b"],
        10,
        "R-1",
    )
    refused(
        integrator.call,
        "loyalty.card",
        "api_loyalty_redeem",
        world["both_code"],
        world["shared"],
        10,
        "R-1",
        match="Not enough points",
    )
    assert [card["points"] for card in b_cards(world)] == [500, 500]


# ---------------------------------------------------------------------------------- odd arguments

HOSTILE = [
    ("res.partner", "api_resolve_customer", lambda w: [None]),
    ("res.partner", "api_resolve_customer", lambda w: [["0912345678"]]),
    ("res.partner", "api_resolve_customer", lambda w: [{"phone": ["0912345678"]}]),
    ("res.partner", "api_resolve_customer", lambda w: [{"phone": "0912345678", "name": "x" * 100_000}]),
    ("res.partner", "api_customer_profile", lambda w: [None]),
    ("res.partner", "api_customer_profile", lambda w: ["1"]),
    ("res.partner", "api_customer_profile", lambda w: [-1]),
    ("res.partner", "api_customer_profile", lambda w: [2**31 - 1]),
    ("res.partner", "api_customer_profile", lambda w: [math.nan]),
    ("omni.channel", "api_available_to_sell", lambda w: [w["both_code"], None]),
    ("omni.channel", "api_available_to_sell", lambda w: [w["both_code"], [None, 3]]),
    ("omni.channel", "api_available_to_sell", lambda w: [w["both_code"], ["x" * 100_000]]),
    ("omni.channel", "api_available_to_sell", lambda w: [w["both_code"], [w["sku"]] * 10_000]),
    ("omni.channel", "api_available_to_sell", lambda w: [w["both_code"], [f"NOPE-{i}" for i in range(1000)]]),
    ("omni.channel", "api_hold_stock", lambda w: [w["both_code"], "R1", [w["sku"]]]),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": math.nan}]],
    ),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": math.inf}]],
    ),
    ("omni.channel", "api_hold_stock", lambda w: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": -2}]]),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": 1e300}]],
    ),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": 1}] * 10_000],
    ),
    ("omni.channel", "api_hold_stock", lambda w: [w["both_code"], "R1", [{"sku": "NOPE", "quantity": 1}]]),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": 1}], 1e300],
    ),
    ("omni.channel", "api_hold_stock", lambda w: [w["both_code"], None, [{"sku": w["sku"], "quantity": 1}]]),
    ("omni.channel", "api_release_hold", lambda w: [w["both_code"], {"reference": "R1"}]),
    ("omni.channel", "api_release_hold", lambda w: [w["both_code"], "x" * 100_000]),
    ("loyalty.card", "api_loyalty_balance", lambda w: [None]),
    ("loyalty.card", "api_loyalty_balance", lambda w: [[w["shared"]]]),
    ("loyalty.card", "api_loyalty_earn", lambda w: [w["both_code"], w["shared"], math.nan, "E-1"]),
    ("loyalty.card", "api_loyalty_earn", lambda w: [w["both_code"], w["shared"], -math.inf, "E-1"]),
    ("loyalty.card", "api_loyalty_earn", lambda w: [w["both_code"], w["shared"], 1e300, "E-1"]),
    ("loyalty.card", "api_loyalty_earn", lambda w: [w["both_code"], w["shared"], "1000", "E-1"]),
    ("loyalty.card", "api_loyalty_earn", lambda w: [w["both_code"], w["shared"], 1000, None]),
    ("loyalty.card", "api_loyalty_redeem", lambda w: [w["both_code"], w["shared"], -5, "R-1"]),
    ("loyalty.card", "api_loyalty_redeem", lambda w: [w["both_code"], w["shared"], math.nan, "R-1"]),
    ("loyalty.card", "api_loyalty_redeem", lambda w: [w["both_code"], None, 5, "R-1"]),
]


def case_ids(cases):
    return [f"{method}-{index}" for index, (_model, method, _args) in enumerate(cases)]


@pytest.mark.parametrize(("model", "method", "args"), HOSTILE, ids=case_ids(HOSTILE))
def test_odd_arguments_get_a_user_error_over_xmlrpc(integrator, world, model, method, args):
    refused(integrator.call, model, method, *args(world))


def json_rpc(server, client, model, method, *args):
    """``execute_kw`` over JSON-RPC, with the API key: the error's data, or None on success."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [client.db, client.uid, client.key, model, method, list(args)],
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{server['url']}/jsonrpc", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    return answer.get("error", {}).get("data")


# Text JSON carries and XML cannot: NUL characters and lone surrogates, everywhere a text goes.
BAD_TEXTS = ["a\x00b", "\ud800", "x\udfff"]
JSON_CASES = [
    ("omni.channel", "api_available_to_sell", lambda w, text: [text, [w["sku"]]]),
    ("omni.channel", "api_available_to_sell", lambda w, text: [w["both_code"], [text]]),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w, text: [w["both_code"], text, [{"sku": w["sku"], "quantity": 1}]],
    ),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w, text: [w["both_code"], "R1", [{"sku": text, "quantity": 1}]],
    ),
    (
        "omni.channel",
        "api_hold_stock",
        lambda w, text: [w["both_code"], "R1", [{"sku": w["sku"], "quantity": 1, "warehouse": text}]],
    ),
    ("omni.channel", "api_release_hold", lambda w, text: [w["both_code"], text]),
    ("res.partner", "api_resolve_customer", lambda w, text: [{"phone": text}]),
    ("res.partner", "api_resolve_customer", lambda w, text: [{"email": "a@b.vn", "name": text}]),
    ("res.partner", "api_resolve_customer", lambda w, text: [{"channel_code": text, "buyer_id": "b"}]),
    ("loyalty.card", "api_loyalty_balance", lambda w, text: [{"zalo": text}]),
    ("loyalty.card", "api_loyalty_earn", lambda w, text: [w["both_code"], w["shared"], 1000, text]),
    ("loyalty.card", "api_loyalty_redeem", lambda w, text: [w["both_code"], w["shared"], 1, text]),
]


@pytest.mark.parametrize("text", BAD_TEXTS, ids=["nul", "surrogate", "trailing-surrogate"])
@pytest.mark.parametrize(("model", "method", "args"), JSON_CASES, ids=case_ids(JSON_CASES))
def test_bad_text_gets_a_user_error_over_jsonrpc(server, integrator, world, model, method, args, text):
    error = json_rpc(server, integrator, model, method, *args(world, text))
    assert error and error["name"] == "odoo.exceptions.ValidationError", error


def test_nan_gets_a_user_error_over_jsonrpc(server, integrator, world):
    for model, method, args in (
        ("loyalty.card", "api_loyalty_earn", [world["both_code"], world["shared"], math.nan, "E-1"]),
        (
            "omni.channel",
            "api_hold_stock",
            [world["both_code"], "R1", [{"sku": world["sku"], "quantity": math.inf}]],
        ),
        ("res.partner", "api_customer_profile", [10**30]),
    ):
        error = json_rpc(server, integrator, model, method, *args)
        assert error and error["name"] == "odoo.exceptions.ValidationError", error
