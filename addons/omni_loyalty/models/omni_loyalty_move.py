from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

# Only the posting engine (loyalty.card) sets this context key, and only for these fields.
ENGINE_KEY = "omni_loyalty_engine"
ENGINE_FIELDS = {"state", "remaining", "expiry_date", "transfer_move_id"}
# Moves that add points open a lot that redemptions and expiry consume, oldest expiry first.
LOT_TYPES = ("earn", "adjust")


class OmniLoyaltyMove(models.Model):
    _name = "omni.loyalty.move"
    _description = "Loyalty Points Move"
    _order = "id desc"
    _check_company_auto = True

    card_id = fields.Many2one("loyalty.card", string="Card", required=True, index=True, ondelete="restrict")
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True, string="Customer")
    program_id = fields.Many2one(related="card_id.program_id", store=True, index=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    move_type = fields.Selection(
        [
            ("earn", "Earn"),
            ("redeem", "Redeem"),
            ("expire", "Expire"),
            ("adjust", "Adjustment"),
            ("reverse", "Reversal"),
            ("hold", "Hold"),
            ("release", "Release"),
        ],
        string="Type",
        required=True,
    )
    points = fields.Float(required=True, digits=(16, 2))
    state = fields.Selection(
        [("pending", "Pending"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        required=True,
        default="posted",
        index=True,
    )
    channel_id = fields.Many2one("omni.channel", string="Channel", index=True, check_company=True)
    reference = fields.Char(help="The source document as the channel names it.")
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", index="btree_not_null")
    pos_order_id = fields.Many2one("pos.order", string="PoS Order", index="btree_not_null")
    idempotency_key = fields.Char(
        required=True, help="Posting the same key again returns this move instead of a new one."
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
        help="When the points were earned or spent.",
    )
    amount = fields.Float(
        string="Amount Spent",
        digits=(16, 2),
        help="Net spend an earn is for (negative on its reversals): what spend-based tiers count.",
    )
    expiry_date = fields.Date(
        help="When the points left in this lot expire; on a redemption, the soonest expiry of the"
        " points it spent, which points given back keep."
    )
    remaining = fields.Float(digits=(16, 2), help="Points of this lot not yet redeemed or expired.")
    reversed_move_id = fields.Many2one("omni.loyalty.move", string="Reverses", index="btree_not_null")
    description = fields.Char()
    transfer_move_id = fields.Many2one(
        "omni.loyalty.move",
        string="Transfer Counterpart",
        index="btree_not_null",
        help="The other half of a transfer between two cards: points out of one card, into the other.",
    )
    merge_audit_id = fields.Many2one(
        "omni.customer.merge.audit",
        string="Customer Merge",
        index="btree_not_null",
        ondelete="restrict",
        help="The merge of customers that moved these points to the kept customer's card, or back.",
    )

    _sql_constraints = [
        ("idempotency_key_unique", "UNIQUE(idempotency_key)", "A loyalty move with this key already exists."),
        ("earn_positive", "CHECK(move_type != 'earn' OR points > 0)", "Earned points must be positive."),
        (
            "spend_negative",
            "CHECK(move_type NOT IN ('redeem', 'expire', 'hold') OR points < 0)",
            "Redeemed, expired and held points must be negative.",
        ),
        ("points_not_zero", "CHECK(points != 0)", "A loyalty move must move points."),
        (
            "remaining_in_lot",
            "CHECK(remaining >= 0 AND (remaining = 0"
            " OR (move_type IN ('earn', 'adjust') AND remaining <= points)))",
            "A lot's remaining points must lie between zero and its points.",
        ),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Loyalty moves cannot be deleted: post a reversal or an adjustment."))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get(ENGINE_KEY):
            raise UserError(
                self.env._(
                    "Loyalty moves are posted by the points engine: update the card's balance instead."
                )
            )
        moves = super().create(vals_list)
        moves.filtered(lambda move: move.state == "posted")._omni_write_history()
        return moves

    def write(self, vals):
        if not self.env.context.get(ENGINE_KEY) or set(vals) - ENGINE_FIELDS:
            raise UserError(self.env._("Loyalty moves cannot be changed: post a reversal or an adjustment."))
        return super().write(vals)

    def _omni_engine_write(self, vals):
        """The engine's own updates: a lot's remaining points, a pending move's state, the expiry
        of a lot opened when pending points vest."""
        vesting = (
            self.filtered(lambda move: move.state != "posted") if vals.get("state") == "posted" else None
        )
        res = self.with_context(**{ENGINE_KEY: True}).write(vals)
        if vesting:
            vesting._omni_write_history()
        return res

    def _omni_write_history(self):
        """Odoo's card history from the posted moves, so the History tab and the portal add up to
        the card's points: one row per card and order, as Odoo keeps it, of all that the order's
        moves gave and took; one row per other move. A card's opening move only adds what its
        history lacked."""
        History = self.env["loyalty.history"].sudo().with_context(**{ENGINE_KEY: True})
        types = dict(self._fields["move_type"]._description_selection(self.env))
        vals_list = []
        for move in self:
            card, order = move.card_id, move.sale_order_id or move.pos_order_id
            if order:
                issued, used = card._omni_order_totals(order)
                description = order.display_name
                row = History.search(
                    [
                        ("card_id", "=", card.id),
                        ("order_model", "=", order._name),
                        ("order_id", "=", order.id),
                    ],
                    limit=1,
                )
                if order.state == "cancel" and float_is_zero(issued - used, precision_digits=2):
                    # A cancelled order's points are all given back: its row goes, as in Odoo.
                    row.unlink()
                    continue
                if row:
                    row.write({"issued": issued, "used": used})
                    continue
            else:
                points = move.points
                if move.idempotency_key == f"open:{card.id}":
                    points -= sum(card.history_ids.mapped(lambda row: row.issued - row.used))
                issued, used = max(points, 0.0), max(-points, 0.0)
                description = " - ".join(
                    filter(None, [types[move.move_type], move.reference, move.description])
                )
            if float_is_zero(issued, precision_digits=2) and float_is_zero(used, precision_digits=2):
                continue
            vals = {
                "card_id": card.id,
                "description": description,
                "issued": issued,
                "used": used,
                "order_model": order._name if order else False,
                "order_id": order.id,
            }
            # An order's row at once, for its next move in this batch to find; the others together.
            if order:
                History.create(vals)
            else:
                vals_list.append(vals)
        History.create(vals_list)

    def _omni_reversed_totals(self):
        """``{move: (points, amount)}``: what the live (not cancelled) reversals of these moves took
        back so far, both negative; moves without reversals are left out."""
        return {
            move: (points, amount)
            for move, points, amount in self._read_group(
                [("reversed_move_id", "in", self.ids), ("state", "!=", "cancelled")],
                ["reversed_move_id"],
                ["points:sum", "amount:sum"],
            )
        }
