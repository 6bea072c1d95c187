from collections import defaultdict

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero, float_round

from .loyalty_card import ORDER_POSTING_KEY, PRECISION


class SaleOrder(models.Model):
    """What a sale order earns and spends on loyalty cards goes through the ledger: when the order is
    confirmed, an ``earn`` move of what the program's rules gave it (see ``sale_order_earn``), then a
    ``redeem`` move keyed on the order, posted under the card's lock, given back when the rewards go
    away or the order is cancelled. sale_loyalty's own balance writes on ledger cards give way to
    those moves."""

    _inherit = "sale.order"

    def _get_real_points_for_coupon(self, coupon, post_confirm=False):
        if not coupon.omni_ledger:
            return super()._get_real_points_for_coupon(coupon, post_confirm=post_confirm)
        self.ensure_one()
        # sale_loyalty's count on the ledger: the points the card can spend (posted, less active
        # holds), plus what the order earns when it is posted at confirmation (not pending on a
        # marketplace), less what the order's rewards cost.
        points = coupon._omni_available()
        if coupon.program_id.applies_on != "future" and self.state not in ("sale", "done"):
            # sudo: channels, their rules and tiers are the back office's; a buyer's cart counts them too.
            order = self.sudo()
            if order._omni_loyalty_earn_state() == "posted":
                points += order._omni_loyalty_earn_for(coupon.sudo())[0]
        points -= sum(self.order_line.filtered(lambda line: line.coupon_id == coupon).mapped("points_cost"))
        return coupon.currency_id.round(points)

    def action_confirm(self):
        # The ledger cards the orders spend or earn on are locked first: the confirmation writes
        # sale_loyalty's point rows, which key-share lock the cards, and a card lock taken after
        # that deadlocks with a concurrent confirmation doing the same. Inside the lock, the check.
        cards = (self.order_line.coupon_id | self.coupon_point_ids.coupon_id).filtered("omni_ledger")
        for card in cards.sudo().sorted("id"):
            card._omni_lock()
        for order in self.filtered(lambda o: o.state != "sale"):
            order._omni_check_reward_points()
        res = super(SaleOrder, self.with_context(**{ORDER_POSTING_KEY: True})).action_confirm()
        # Earned first: an order may spend the points it earns, as in sale_loyalty.
        self._omni_loyalty_earn()
        self._omni_sync_redemptions()
        return res

    def _action_cancel(self):
        previously_confirmed = self.filtered(lambda order: order.state == "sale")
        res = super(SaleOrder, self.with_context(**{ORDER_POSTING_KEY: True}))._action_cancel()
        previously_confirmed._omni_sync_redemptions()
        return res

    def _add_points_for_coupon(self, coupon_points):
        # On a confirmed order sale_loyalty adds the points won straight to the card: the ledger
        # posts them as the order's earn instead.
        res = super(SaleOrder, self.with_context(**{ORDER_POSTING_KEY: True}))._add_points_for_coupon(
            coupon_points
        )
        self._omni_loyalty_earn()
        return res

    # ------------------------------------------------------------------ ledger

    def _omni_check_reward_points(self):
        """Refuse, with the card and the shortfall, rewards the customer's points do not cover (the
        error sale_loyalty raises, with the figures)."""
        self.ensure_one()
        for card in self.order_line.filtered("points_cost").coupon_id.filtered("omni_ledger"):
            missing = -self._get_real_points_for_coupon(card)
            if float_compare(missing, 0, precision_digits=PRECISION) > 0:
                raise ValidationError(
                    self.env._(
                        "Not enough points on card %(card)s for the rewards of %(order)s: %(missing)s"
                        " points missing.",
                        card=card.code,
                        order=self.name,
                        missing=missing,
                    )
                )

    def _omni_redemption_moves(self):
        """The ledger moves of these orders' rewards: redemptions and the points given back."""
        return (
            self.env["omni.loyalty.move"]
            .sudo()
            .search(
                [
                    ("sale_order_id", "in", self.ids),
                    ("state", "=", "posted"),
                    "|",
                    ("move_type", "=", "redeem"),
                    "&",
                    ("move_type", "=", "adjust"),
                    ("reversed_move_id.move_type", "=", "redeem"),
                ]
            )
        )

    def _omni_redeemed_points(self):
        """``{card: points}`` the order's rewards took from each card, net of points given back."""
        self.ensure_one()
        redeemed = defaultdict(float)
        for move in self._omni_redemption_moves():
            redeemed[move.card_id] -= move.points
        return redeemed

    def _omni_sync_confirmed_redemptions(self):
        self.filtered(lambda order: order.state == "sale")._omni_sync_redemptions()

    def _omni_sync_redemptions(self):
        """Make the order's redemptions on the ledger what its rewards cost now: a ``redeem`` move for
        points to take, an ``adjust`` giving points back (rewards removed, order cancelled).

        Idempotent: what was posted for the order before counts, so running it again posts nothing;
        under the card's lock, so concurrent orders never overdraw a card.
        """
        # One query for the whole batch: most orders spend no points and never did.
        redeemed_orders = self._omni_redemption_moves().sale_order_id
        for order in self:
            costs = defaultdict(float)
            if order.state == "sale":
                for line in order.order_line.filtered(
                    lambda line: line.points_cost and line.coupon_id.omni_ledger
                ):
                    costs[line.coupon_id] += line.points_cost
            if not costs and order not in redeemed_orders:
                continue
            cards = order._omni_redemption_moves().card_id | order.env["loyalty.card"].concat(*costs)
            for card in cards.sudo().sorted("id"):
                # Lock before reading what was posted: a concurrent run waits, then sees it.
                card._omni_lock()
                moves = order._omni_redemption_moves().filtered(lambda move, card=card: move.card_id == card)
                difference = float_round(
                    costs[card] + sum(moves.mapped("points")), precision_digits=PRECISION
                )
                if float_is_zero(difference, PRECISION):
                    continue
                key = f"sale:{order.id}:card:{card.id}:{len(moves)}"
                values = {
                    "sale_order_id": order.id,
                    "channel": order.omni_channel_id,
                    "reference": order.name,
                }
                if difference > 0:
                    card._omni_post(
                        "redeem",
                        -difference,
                        key,
                        description=order.env._("Rewards of %(order)s", order=order.name),
                        **values,
                    )
                else:
                    redeems = moves.filtered(lambda move: move.move_type == "redeem")
                    card._omni_post(
                        "adjust",
                        -difference,
                        key,
                        # The points come back expiring when the ones spent would have.
                        expiry=min(filter(None, redeems.mapped("expiry_date")), default=None),
                        reversed_move_id=redeems[:1].id,
                        description=order.env._("Points given back by %(order)s", order=order.name),
                        **values,
                    )
