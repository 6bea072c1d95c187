from collections import defaultdict
from datetime import timedelta

from odoo import fields, models
from odoo.tools import float_compare

from .loyalty_card import PRECISION

# Marketplaces take returns for a while after completion: what their orders earn waits for that.
MARKETPLACES = ("shopee", "lazada", "tiktok", "tiki")


class SaleOrder(models.Model):
    """Confirmed orders earn on the ledger the points the program's own rules gave them
    (sale_loyalty's points of the order), with the channel's rule and the customer's tier on top,
    once per order and card: pending on marketplaces until the order is completed and the channel's
    return window has closed, posted at once on the other channels and in the back office.
    Cancellations, returns and credit notes take back the share of the points they undo."""

    _inherit = "sale.order"

    omni_points_vest_on = fields.Date(
        string="Points Vest On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The loyalty points of this marketplace order become spendable on this day: its"
        " completion plus the channel's return window.",
    )

    def _action_cancel(self):
        res = super()._action_cancel()
        self._omni_loyalty_reverse()
        return res

    def _omni_cancel_lines(self, lines):
        changed = super()._omni_cancel_lines(lines)
        if changed:
            self._omni_loyalty_reverse()
        return changed

    def _omni_follow_status(self):
        res = super()._omni_follow_status()
        for order in self.filtered(lambda o: o.omni_status == "completed" and not o.omni_points_vest_on):
            completed = (
                order.omni_updated_at.date() if order.omni_updated_at else fields.Date.context_today(order)
            )
            window = order.omni_channel_id.sudo().return_window_days
            order.omni_points_vest_on = completed + timedelta(days=window)
        self.filtered(lambda o: o.omni_status == "returned")._omni_loyalty_reverse()
        return res

    # ------------------------------------------------------------------ earning

    def _omni_earn_lines(self):
        """``[(line, amount, product category)]``: the goods that earn, tax included, each bearing its
        share of the order's discounts (the seller's, the platform's, rewards); shipping earns
        nothing."""
        self.ensure_one()
        roles = self.order_line.grouped(lambda line: line._omni_earn_role())
        goods = roles.get("goods", self.env["sale.order.line"])
        gross = sum(goods.mapped("price_total"))
        if gross <= 0:
            return []
        discount = sum(roles["discount"].mapped("price_total")) if "discount" in roles else 0.0
        factor = max(gross + discount, 0.0) / gross
        return [(line, line.price_total * factor, line.product_id.categ_id) for line in goods]

    def _get_no_effect_on_threshold_lines(self):
        # The channel's shipping earns nothing, as sale_loyalty_delivery has delivery lines do.
        lines = super()._get_no_effect_on_threshold_lines()
        # sudo: a salesperson confirming a channel's order reads which product is its shipping.
        shipping = self.omni_channel_id.sudo().shipping_product_id
        return lines | self.order_line.filtered(lambda line: shipping and line.product_id == shipping)

    def _omni_loyalty_earn_state(self):
        """Marketplaces take returns for a while after completion: what their orders earn waits."""
        self.ensure_one()
        return "pending" if self.omni_channel_type in MARKETPLACES else "posted"

    def _omni_loyalty_rule_points(self):
        """``{card: points}`` the program's rules give the order on each ledger card."""
        self.ensure_one()
        points = defaultdict(float)
        for entry in self.coupon_point_ids.filtered(lambda entry: entry.coupon_id.omni_ledger):
            points[entry.coupon_id] += entry.points
        return points

    def _omni_loyalty_earn_for(self, card, lines=None):
        """``(points, amount)`` the order earns on ``card``: the program's rules' points with our
        layer on top (see ``loyalty.program._omni_earn_points``)."""
        self.ensure_one()
        if lines is None:
            lines = [(amount, category) for _line, amount, category in self._omni_earn_lines()]
        return card._omni_earn_points(
            self.omni_channel_id, lines, points=self._omni_loyalty_rule_points().get(card, 0.0)
        )

    def _omni_loyalty_earns(self):
        """``{(order, card): {"move", "count", "reversed_points", "reversed_amount"}}``: the order's
        live earn on the card (pending or posted, not wholly taken back; None when there is none),
        how many earns the order had on it, and what their reversals took back so far."""
        Move = self.env["omni.loyalty.move"].sudo()
        moves = Move.search([("sale_order_id", "in", self.ids), ("move_type", "=", "earn")], order="id")
        reversed_totals = moves._omni_reversed_totals()
        result = {}
        for move in moves:
            info = result.setdefault((move.sale_order_id, move.card_id), {"move": None, "count": 0})
            info["count"] += 1
            points, amount = reversed_totals.get(move, (0.0, 0.0))
            live = (
                move.state != "cancelled"
                and float_compare(move.points + points, 0, precision_digits=PRECISION) > 0
            )
            info.update(move=move if live else None, reversed_points=-points, reversed_amount=-amount)
        return result

    def _omni_loyalty_earn(self):
        """Post the points the confirmed orders earn on the ledger cards their program rules gave
        points to, for the cards they have not earned on yet, in batches: a card's orders go into
        successive batches, so each earns with the tier the one before may have reached."""
        orders = self.filtered(lambda o: o.state == "sale")
        entries = orders.coupon_point_ids.filtered(lambda e: e.coupon_id.omni_ledger and e.points > 0)
        if not entries:
            return
        earns = orders._omni_loyalty_earns()
        rounds, seen, lines = defaultdict(list), defaultdict(int), {}
        for order, card in dict.fromkeys((entry.order_id, entry.coupon_id.sudo()) for entry in entries):
            if earns.get((order, card), {}).get("move"):
                continue
            if order not in lines:
                lines[order] = [(amount, category) for _line, amount, category in order._omni_earn_lines()]
            rounds[seen[card]].append((order, card))
            seen[card] += 1
        Card = self.env["loyalty.card"].sudo()
        for index in sorted(rounds):
            postings = []
            for order, card in rounds[index]:
                points, amount = order._omni_loyalty_earn_for(card, lines[order])
                if points <= 0:
                    continue
                count = earns.get((order, card), {}).get("count", 0)
                options = {
                    "channel": order.omni_channel_id,
                    "reference": order.omni_external_ref or order.name,
                    "state": order._omni_loyalty_earn_state(),
                    "sale_order_id": order.id,
                    "amount": amount,
                    "description": order.name,
                }
                key = f"sale-earn:{order.id}:{card.id}" + (f":{count}" if count else "")
                postings.append((card, points, key, options))
            Card._omni_post_earns(postings)

    # ------------------------------------------------------------------ taking points back

    def _omni_loyalty_returned_share(self, program):
        """The share (0 to 1) of the order's earn undone: everything for a cancelled or returned
        order, otherwise what its lines returned or refunded weigh, as they weighed for earning."""
        self.ensure_one()
        if self.state == "cancel" or self.omni_status in ("cancelled", "returned"):
            return 1.0
        return program._omni_returned_share(
            self.omni_channel_id,
            [
                (line._omni_earned_amount(amount), category, line._omni_returned_ratio())
                for line, amount, category in self._omni_earn_lines()
            ],
        )

    def _omni_loyalty_reverse(self):
        """Take back the share of each order's earn that was cancelled, returned or refunded.

        Pending points are cancelled (all of them) or reduced by a pending reversal that vests with
        them. Posted points are reversed as far as the card still has points: what the customer has
        already spent is not clawed back below zero, it is reported on the order. Each reversal is
        keyed on the share it brings the earn to, so the same return seen twice posts once."""
        for (order, _card), info in self._omni_loyalty_earns().items():
            move = info["move"]
            if not move:
                continue
            share = order._omni_loyalty_returned_share(move.program_id)
            if move.state == "pending" and share >= 1.0:
                move.card_id._omni_cancel_pending(move)
                continue
            spent = move.card_id._omni_reverse_earn(
                move,
                share,
                info["reversed_points"],
                info["reversed_amount"],
                "sale-reverse",
                sale_order_id=order.id,
                description=order.name,
            )
            if spent > 0:
                order.message_post(
                    body=self.env._(
                        "%(points)s loyalty points of this order could not be taken back: the customer"
                        " has spent them already.",
                        points=spent,
                    )
                )
