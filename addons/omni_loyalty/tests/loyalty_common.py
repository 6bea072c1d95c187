from odoo import Command


def create_default_program(env, name, exclusive=True, **values):
    """The default ledger loyalty program. ``exclusive``: the only loyalty program, so the only
    default one (within a test's own transaction)."""
    if exclusive:
        env["loyalty.program"].search([("program_type", "=", "loyalty")]).active = False
    return env["loyalty.program"].create(
        {"name": name, "program_type": "loyalty", "omni_is_default": True, **values}
    )


def create_reward_program(env, name, exclusive=True, **values):
    """A ledger loyalty program on every channel: a reward of 50 off the order for 100 points.
    Its rule gives 1 point per unit spent from a minimum no test order reaches, and the API's earn
    rate is 0, so that the tests of redemptions see no earned points."""
    return create_default_program(
        env,
        name,
        exclusive,
        **{
            "applies_on": "both",
            "trigger": "auto",
            "omni_earn_rate": 0,
            "rule_ids": [
                Command.create(
                    {"reward_point_mode": "money", "reward_point_amount": 1, "minimum_amount": 10**9}
                )
            ],
            "reward_ids": [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount_mode": "per_order",
                        "discount": 50,
                        "required_points": 100,
                        "discount_applicability": "order",
                    }
                )
            ],
            **values,
        },
    )


def create_channel(env, name, code, **values):
    """A channel selling on a pricelist of its own, both called ``name``."""
    pricelist = env["product.pricelist"].create({"name": name})
    return env["omni.channel"].create({"name": name, "code": code, "pricelist_id": pricelist.id, **values})


def order_with_reward(env, partner, product, card):
    """A quotation of ``product`` for ``partner`` with the program's reward claimed on ``card``."""
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 200})
            ],
        }
    )
    order._update_programs_and_rewards()
    result = order._apply_program_reward(card.program_id.reward_ids, card)
    assert "error" not in result, result
    return order


def assert_one_loyalty_truth(case, programs):
    """Every card of ``programs`` shows its ledger: its points are the sum of its posted moves, and
    Odoo's history of the card (its History tab, the portal) adds up to the same, issued less used."""
    cards = case.env["loyalty.card"].sudo().search([("program_id", "in", programs.ids)])
    case.assertTrue(cards, "no card to check")
    for card in cards:
        posted = card.omni_move_ids.filtered(lambda move: move.state == "posted")
        history = card.history_ids
        case.assertAlmostEqual(card.points, sum(posted.mapped("points")), 2, f"{card.display_name}: ledger")
        case.assertAlmostEqual(
            card.points,
            sum(history.mapped("issued")) - sum(history.mapped("used")),
            2,
            f"{card.display_name}: history",
        )
