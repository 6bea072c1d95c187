"""A partner system earns and spends a customer's loyalty points over XML-RPC."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def loyalty(admin):
    """A channel, and the company's default loyalty program: 1 point per 1,000 spent."""
    code = f"loy-{uuid.uuid4().hex[:6]}"
    pricelist = admin.env["product.pricelist"].create({"name": f"Loyalty {code}"})
    admin.env["omni.channel"].create(
        {"name": "Loyalty shop", "code": code, "channel_type": "api", "pricelist_id": pricelist}
    )
    Program = admin.env["loyalty.program"]
    Program.write(Program.search([("omni_is_default", "=", True)]), {"omni_is_default": False})
    program = Program.create(
        {
            "name": f"Thành viên {code}",
            "program_type": "loyalty",
            "omni_is_default": True,
            "omni_earn_rate": 1,
        }
    )
    yield code
    Program.write([program], {"active": False})


@pytest.fixture
def customer(integrator):
    phone = f"091{uuid.uuid4().int % 10**7:07d}"  # 091: a mobile prefix in use
    return integrator.call("res.partner", "api_resolve_customer", {"phone": phone, "name": "Võ Thị Hoa"})[
        "partner_id"
    ]


def test_earn_retry_redeem_balance(integrator, loyalty, customer):
    ref = f"SO-{uuid.uuid4().hex[:8]}"
    earned = integrator.call("loyalty.card", "api_loyalty_earn", loyalty, customer, 250000, ref)
    assert earned["points"] == 250 and earned["balance"] == 250 and not earned["duplicate"], earned

    again = integrator.call("loyalty.card", "api_loyalty_earn", loyalty, customer, 250000, ref)
    assert again["move_id"] == earned["move_id"] and again["duplicate"], again
    assert again["balance"] == 250

    redeemed = integrator.call("loyalty.card", "api_loyalty_redeem", loyalty, customer, 100, f"R-{ref}")
    assert redeemed["points"] == -100 and redeemed["balance"] == 150, redeemed

    balance = integrator.call("loyalty.card", "api_loyalty_balance", customer)
    assert balance["available"] == 150 and balance["pending"] == 0 and balance["tier"] is False, balance
    assert [expiry["points"] for expiry in balance["next_expiries"]] == [150], balance


def test_overdraft_is_a_fault(integrator, loyalty, customer):
    integrator.call("loyalty.card", "api_loyalty_earn", loyalty, customer, 50000, f"SO-{uuid.uuid4().hex}")
    with pytest.raises(xmlrpc.client.Fault, match="Not enough points"):
        integrator.call("loyalty.card", "api_loyalty_redeem", loyalty, customer, 51, f"R-{uuid.uuid4().hex}")
    assert integrator.call("loyalty.card", "api_loyalty_balance", customer)["available"] == 50


def test_customer_by_identifiers(integrator, loyalty):
    phone = f"091{uuid.uuid4().int % 10**7:07d}"  # 091: a mobile prefix in use
    who = {"phone": phone, "name": "Đặng Văn Nam"}
    integrator.call("loyalty.card", "api_loyalty_earn", loyalty, who, 10000, f"SO-{uuid.uuid4().hex}")
    assert integrator.call("loyalty.card", "api_loyalty_balance", {"phone": phone})["available"] == 10
