from odoo import models
from odoo.tools import float_compare, float_round

from .loyalty_card import ORDER_POSTING_KEY, PRECISION


class PosOrder(models.Model):
    """The PoS computes a card's points in the browser by the program's rules and sends the change
    after the order is synced; on ledger cards the server posts an ``earn`` (those points, with our
    layer on top) and a ``redeem`` move keyed on the order's uuid, under the card's lock, so a
    retried sync never posts twice and never overdraws. A paid refund takes back the points of what
    it refunds."""

    _inherit = "pos.order"

    def validate_coupon_programs(self, point_changes, new_codes):
        result = super().validate_coupon_programs(point_changes, new_codes)
        if not result["successful"]:
            return result
        changes = {int(card_id): change for card_id, change in point_changes.items()}
        cards = self.env["loyalty.card"].browse(list(changes)).filtered("omni_ledger")
        for card in cards:
            # The ledger's available points (posted, less active holds), not the PoS's cached balance.
            if float_compare(card._omni_available(), -changes[card.id], precision_digits=PRECISION) < 0:
                return {
                    "successful": False,
                    "payload": {
                        "message": self.env._(
                            "Not enough points on card %(card)s: %(points)s requested, %(available)s"
                            " available.",
                            card=card.code,
                            points=-changes[card.id],
                            available=card._omni_available(),
                        ),
                        "updated_points": {c.id: c._omni_available() for c in cards},
                    },
                }
        return result

    def confirm_coupon_programs(self, coupon_data):
        coupon_data = {int(card_id): values for card_id, values in coupon_data.items()}
        # The same mapping of new cards to the customer's existing card as the parent's.
        by_card = dict(coupon_data)
        self._check_existing_loyalty_cards(by_card)
        result = super(PosOrder, self.with_context(**{ORDER_POSTING_KEY: True})).confirm_coupon_programs(
            coupon_data
        )
        Card = self.env["loyalty.card"].sudo()
        # Cards the PoS created for this order came with negative ids: the parent's answer maps the
        # customers' (nominative) ones, the order's source link the others.
        new_ids = {update["old_id"]: update["id"] for update in result["coupon_updates"]}
        created = Card.search([("source_pos_order_id", "=", self.id)])
        for card_id, values in by_card.items():
            if card_id > 0 or card_id in new_ids:
                card = Card.browse(new_ids.get(card_id, card_id))
            else:
                program_id = values.get("program_id")
                card = created.filtered(lambda c, program_id=program_id: c.program_id.id == program_id)[:1]
            if card.omni_ledger:
                self._omni_post_points(card, values)
        for update in result["coupon_updates"]:
            update["points"] = Card.browse(update["id"]).points
        return result

    def _omni_post_points(self, card, values):
        """Post what this order earns and spends on ``card``, once per order and card: the earn is
        what the till counted by the program's rules, with the channel's rule and the customer's
        tier on top; the redemption is the cost of the order's reward lines."""
        self.ensure_one()
        reward_lines = self.lines.filtered(
            lambda line: line.coupon_id == card or line.reward_identifier_code in values.get("line_codes", [])
        )
        spent = float_round(sum(reward_lines.mapped("points_cost")), precision_digits=PRECISION)
        # The till sends the card's change: what the program's rules give the order less the rewards.
        won = max(float_round(values.get("points", 0.0) + spent, precision_digits=PRECISION), 0.0)
        channel = self._omni_loyalty_channel()
        earned, amount = card._omni_earn_points(
            channel, [(amount, category) for _line, amount, category in self._omni_earn_lines()], points=won
        )
        key = f"pos:{self.uuid or self.access_token or self.id}:card:{card.id}"
        common = {"channel": channel, "reference": self.name, "pos_order_id": self.id}
        # Earned first: the PoS lets an order spend the points it wins.
        if earned > 0:
            description = self.env._("Points won by %(order)s", order=self.name)
            card._omni_post("earn", earned, f"{key}:earn", amount=amount, description=description, **common)
        if spent > 0:
            self._omni_post_redemption(card, spent, f"{key}:redeem", common)

    def _omni_post_redemption(self, card, spent, key, common):
        """The order is paid: the till checked the points before payment (``validate_coupon_programs``),
        so the redemption is never refused now. Points the card no longer has (another till spent
        them meanwhile) are not overdrawn: the shortfall is reported on the order."""
        card._omni_lock()
        if self.env["omni.loyalty.move"].sudo().search_count([("idempotency_key", "=", key)]):
            return
        covered = min(spent, max(card._omni_available(), 0.0))
        if covered > 0:
            description = self.env._("Rewards of %(order)s", order=self.name)
            card._omni_post("redeem", -covered, key, description=description, **common)
        if float_compare(covered, spent, precision_digits=PRECISION) < 0:
            self.message_post(
                body=self.env._(
                    "The rewards of this order cost %(spent)s loyalty points; card %(card)s had only"
                    " %(covered)s left when the order was synced.",
                    spent=spent,
                    card=card.code,
                    covered=covered,
                )
            )

    def _omni_earn_lines(self):
        """``[(line, amount, product category)]`` of the goods, tax included, each bearing its share
        of the order's rewards."""
        self.ensure_one()
        goods = self.lines.filtered(lambda line: not line.is_reward_line)
        gross = sum(goods.mapped("price_subtotal_incl"))
        if gross <= 0:
            return []
        rewards = sum((self.lines - goods).mapped("price_subtotal_incl"))
        factor = max(gross + rewards, 0.0) / gross
        return [(line, line.price_subtotal_incl * factor, line.product_id.categ_id) for line in goods]

    # ------------------------------------------------------------------ refunds

    def action_pos_order_paid(self):
        res = super().action_pos_order_paid()
        self._omni_loyalty_reverse_refunded()
        return res

    def _omni_loyalty_reverse_refunded(self):
        """A paid refund takes back the share of the refunded orders' earns that all their paid
        refunds so far weigh, as far as the customer's card still has the points."""
        self.ensure_one()
        originals = self.lines.refunded_orderline_id.order_id
        if not originals:
            return
        Move = self.env["omni.loyalty.move"].sudo()
        earns = Move.search(
            [("pos_order_id", "in", originals.ids), ("move_type", "=", "earn"), ("state", "=", "posted")]
        )
        reversed_totals = earns._omni_reversed_totals()
        for earn in earns:
            original = earn.pos_order_id
            share = earn.program_id._omni_returned_share(
                original._omni_loyalty_channel(),
                [
                    (amount, category, line._omni_refunded_ratio())
                    for line, amount, category in original._omni_earn_lines()
                ],
            )
            points, amount = reversed_totals.get(earn, (0.0, 0.0))
            spent = earn.card_id._omni_reverse_earn(
                earn, share, -points, -amount, "pos-reverse", pos_order_id=self.id, description=self.name
            )
            if spent > 0:
                self.message_post(
                    body=self.env._(
                        "%(points)s loyalty points of %(order)s could not be taken back: the customer"
                        " has spent them already.",
                        points=spent,
                        order=original.name,
                    )
                )

    def _omni_loyalty_channel(self):
        """The company's point-of-sale channel, when there is one."""
        self.ensure_one()
        return (
            self.env["omni.channel"]
            .sudo()
            .search([("channel_type", "=", "pos"), ("company_id", "=", self.company_id.id)], limit=1)
        )
