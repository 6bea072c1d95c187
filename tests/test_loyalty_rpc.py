"""A partner system earns and spends a customer's loyalty points over XML-RPC."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture(scope="module")
def loyalty(admin):
    """A channel, and the company's default loyalty program: 1 point per 1,000 spent, by its rule
    on orders and by its rate through the API."""
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
            "trigger": "auto",
            "applies_on": "both",
            "rule_ids": [(0, 0, {"reward_point_mode": "money", "reward_point_amount": 0.001})],
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


def test_balance_shows_pending_points_and_tier(admin, integrator, loyalty, vnd_pricelist):
    """Gold from 300,000 spent (points x 2); a marketplace order's points wait for its return window."""
    (program,) = admin.env["loyalty.program"].search([("omni_is_default", "=", True)])
    tier = admin.env["omni.loyalty.tier"].create(
        {"program_id": program, "name": "Vàng", "threshold": 300000, "earn_multiplier": 2}
    )
    code = f"shp-{uuid.uuid4().hex[:6]}"
    channel = admin.env["omni.channel"].create(
        {"name": "Shopee loyalty", "code": code, "channel_type": "shopee", "pricelist_id": vnd_pricelist}
    )
    sku = f"LOY-{uuid.uuid4().hex[:6]}"
    admin.env["product.product"].create({"name": "Áo khoác", "default_code": sku, "taxes_id": [(6, 0, [])]})
    phone = f"091{uuid.uuid4().int % 10**7:07d}"  # 091: a mobile prefix in use
    try:
        earned = integrator.call("loyalty.card", "api_loyalty_earn", loyalty, {"phone": phone}, 400000, sku)
        assert earned["points"] == 400, earned
        order = {
            "external_id": sku,
            "status": "ready_to_ship",
            "updated_at": "2026-11-20T07:00:00Z",
            "currency": "VND",
            "customer": {"buyer_id": f"b-{sku}", "name": "Phan Thị Hạnh", "phone": phone},
            "lines": [{"sku": sku, "quantity": 1, "unit_price": 100000}],
            "shipping_fee": 30000,
            "payment_method": "prepaid",
        }
        (result,) = integrator.call("omni.channel", "api_ingest_orders", code, [order])
        assert result["status"] == "created", result
        balance = integrator.call("loyalty.card", "api_loyalty_balance", {"phone": phone})
        assert (balance["available"], balance["pending"]) == (400, 200), balance
        assert (balance["tier"], balance["tier_id"]) == ("Vàng", tier), balance
    finally:
        admin.env["omni.loyalty.tier"].unlink([tier])
        admin.env["omni.channel"].write([channel], {"active": False})


def test_retried_redeem_spends_once(integrator, loyalty, customer):
    integrator.call("loyalty.card", "api_loyalty_earn", loyalty, customer, 300000, f"SO-{uuid.uuid4().hex}")
    ref = f"R-{uuid.uuid4().hex[:8]}"
    first = integrator.call("loyalty.card", "api_loyalty_redeem", loyalty, customer, 120, ref)
    again = integrator.call("loyalty.card", "api_loyalty_redeem", loyalty, customer, 120, ref)
    assert not first["duplicate"] and again["duplicate"], (first, again)
    assert again["move_id"] == first["move_id"] and again["points"] == -120
    assert first["balance"] == again["balance"] == 180
    # A retry is answered by the first posting even when the points are no longer there.
    integrator.call("loyalty.card", "api_loyalty_redeem", loyalty, customer, 180, f"R2-{ref}")
    assert integrator.call("loyalty.card", "api_loyalty_redeem", loyalty, customer, 120, ref)["duplicate"]
    assert integrator.call("loyalty.card", "api_loyalty_balance", customer)["available"] == 0


def test_retried_pos_sync_posts_once(admin, loyalty, customer):
    """The PoS sends a paid order's points with ``confirm_coupon_programs``; a till that retries the
    call (lost answer, offline sync) must not earn or spend twice."""
    Card = admin.env["loyalty.card"]
    program = admin.env["loyalty.program"].search([("omni_is_default", "=", True)])[0]
    reward = admin.env["loyalty.reward"].create(
        {
            "program_id": program,
            "reward_type": "discount",
            "discount_mode": "per_order",
            "discount": 50,
            "required_points": 100,
            "discount_applicability": "order",
        }
    )
    card = Card.create({"partner_id": customer, "program_id": program})
    Card.write([card], {"points": 300})  # the back office's update balance: an adjustment
    config = admin.env["pos.config"].create({"name": f"Cửa hàng {uuid.uuid4().hex[:6]}"})
    session = admin.env["pos.session"].create({"config_id": config, "user_id": admin.env.uid})
    product = admin.env["product.product"].create({"name": "Nón lá", "list_price": 200000})
    discount_product = admin.env["loyalty.reward"].read([reward], ["discount_line_product_id"])[0][
        "discount_line_product_id"
    ][0]
    line = {"qty": 1, "price_subtotal": 0, "price_subtotal_incl": 0}
    order = admin.env["pos.order"].create(
        {
            "session_id": session,
            "partner_id": customer,
            "uuid": str(uuid.uuid4()),
            "amount_tax": 0,
            "amount_total": 150000,
            "amount_paid": 150000,
            "amount_return": 0,
            "lines": [
                (0, 0, dict(line, product_id=product, price_unit=200000, price_subtotal_incl=200000)),
                (
                    0,
                    0,
                    dict(
                        line,
                        product_id=discount_product,
                        price_unit=-50000,
                        price_subtotal_incl=-50000,
                        is_reward_line=True,
                        reward_id=reward,
                        coupon_id=card,
                        points_cost=100,
                        reward_identifier_code="rpc-r1",
                    ),
                ),
            ],
        }
    )
    refused = admin.execute("pos.order", "validate_coupon_programs", [], {str(card): -301}, [])
    assert not refused["successful"], refused
    data = {str(card): {"points": 50, "program_id": program, "coupon_id": card, "line_codes": ["rpc-r1"]}}
    for _attempt in range(2):
        admin.execute("pos.order", "confirm_coupon_programs", [order], data)
    # 150,000 spent at 1 point per 1,000 earns 150; the reward costs 100.
    assert Card.read([card], ["points"])[0]["points"] == 350
    moves = admin.env["omni.loyalty.move"].search_read(
        [("pos_order_id", "=", order)], ["move_type", "points"]
    )
    assert sorted((m["move_type"], m["points"]) for m in moves) == [("earn", 150), ("redeem", -100)], moves
