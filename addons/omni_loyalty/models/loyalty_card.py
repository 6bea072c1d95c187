import logging
import uuid
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_is_zero, float_round

from .omni_loyalty_move import ENGINE_KEY, LOT_TYPES
from .res_partner import LOYALTY_READERS

_logger = logging.getLogger(__name__)

# Set while the engine writes the projection, so the card's write override lets it through.
PROJECTION_KEY = "omni_loyalty_projection"
# Set around sale_loyalty's and pos_loyalty's steps that add an order's points to the card: the
# balance they write on ledger cards is left to the moves the order posts itself (its earn and
# redemptions, keyed on the order).
ORDER_POSTING_KEY = "omni_loyalty_order_posting"
PRECISION = 2
EXPIRE_BATCH = 500


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    omni_ledger = fields.Boolean(
        string="On Points Ledger",
        compute="_compute_omni_ledger",
        store=True,
        help="The card's points are the sum of its posted ledger moves.",
    )
    omni_move_ids = fields.One2many(
        "omni.loyalty.move", "card_id", string="Points Moves", groups=LOYALTY_READERS
    )

    def init(self):
        res = super().init()
        # One card per customer per loyalty program: the ledger posts to "the" card of a customer.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS loyalty_card_omni_partner_program_uniq"
                " ON loyalty_card (partner_id, program_id) WHERE partner_id IS NOT NULL AND omni_ledger"
            )
        )
        return res

    @api.depends("program_id.program_type")
    def _compute_omni_ledger(self):
        for card in self:
            card.omni_ledger = card.program_id.program_type == "loyalty"

    @api.model_create_multi
    def create(self, vals_list):
        cards = super().create(vals_list)
        # Opening points of a ledger card become its first move, so the projection keeps them.
        cards._omni_open_balances()
        return cards

    def _omni_open_balances(self):
        """Ledger cards with points and no move yet (new cards, or cards made before the ledger)
        open their ledger with one ``adjust`` move of their balance, keyed on the card: once."""
        for card in self.sudo().filtered(
            lambda c: c.omni_ledger and not c.omni_move_ids and not float_is_zero(c.points, PRECISION)
        ):
            card._omni_post("adjust", card.points, f"open:{card.id}")

    def write(self, vals):
        if "points" not in vals or self.env.context.get(PROJECTION_KEY):
            return super().write(vals)
        ledger = self.filtered("omni_ledger")
        others = self - ledger
        if others:
            super(LoyaltyCard, others).write(vals)
        rest = {name: value for name, value in vals.items() if name != "points"}
        if ledger and rest:
            super(LoyaltyCard, ledger).write(rest)
        if self.env.context.get(ORDER_POSTING_KEY):
            return True
        # A balance set directly (the update-balance wizard, an edit of the card) posts the difference.
        for card in ledger.sudo():
            card._omni_lock()
            difference = float_round(vals["points"] - card.points, precision_digits=PRECISION)
            if not float_is_zero(difference, PRECISION):
                card._omni_post("adjust", difference, f"adjust:{card.id}:{uuid.uuid4().hex}")
        return True

    # ------------------------------------------------------------------ posting engine

    def _omni_lock(self):
        """Row lock on the cards: every posting of a card waits for the one before it. Several
        cards are locked in id order, so that two batches never wait for each other.

        NO KEY UPDATE, as the posting's own update of the card takes: rows that merely point to the
        card (ledger moves, sale_loyalty's point rows) share its key, and must not wait on it or
        deadlock with it. A concurrent posting committed meanwhile fails this statement with a
        serialization error, which Odoo and the job runner retry: it is not logged as a bad query."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE", self.ids),
            log_exceptions=False,
        )
        self.invalidate_recordset(["points"])

    def _omni_post(
        self,
        move_type,
        points,
        key,
        channel=None,
        reference=None,
        expiry=None,
        state="posted",
        lot=None,
        **values,
    ):
        """Post one move on the card, under the card's row lock; the move posted with ``key``
        before when there is one, so a retried call never posts twice.

        :param lot: for ``expire``, the earn lot whose remaining points expire; for ``reverse``,
            the earn reversed, whose lot gives its points back first
        :param values: more move fields (``sale_order_id``, ``pos_order_id``, ``description``...)
        """
        self.ensure_one()
        if not key:
            raise UserError(self.env._("A loyalty posting needs an idempotency key."))
        self._omni_lock()
        Move = self.env["omni.loyalty.move"].sudo().with_context(**{ENGINE_KEY: True})
        existing = Move.search([("idempotency_key", "=", key)], limit=1)
        if existing:
            if existing.card_id != self:
                raise UserError(self.env._("Key %(key)s was already used on another loyalty card.", key=key))
            return existing
        points = float_round(points, precision_digits=PRECISION)
        if move_type in ("redeem", "hold"):
            available = self._omni_available()
            if float_compare(-points, available, precision_digits=PRECISION) > 0:
                raise UserError(
                    self.env._(
                        "Not enough points: %(points)s requested, %(available)s available.",
                        points=-points,
                        available=available,
                    )
                )
        if move_type == "reverse" and state == "posted" and points < 0:
            # A reversal takes back what is left: points already spent stay spent, the caller
            # reports the rest. Nothing left: no move.
            points = max(points, -self._omni_available())
            if float_compare(points, 0, precision_digits=PRECISION) >= 0:
                return Move
        if state == "posted" and points < 0 and move_type in ("redeem", "expire", "adjust", "reverse"):
            taken = self._omni_consume(-points, lot=lot)
            if move_type == "redeem":
                # Points given back later keep the soonest expiry of the points spent.
                values["expiry_date"] = min(filter(None, taken.mapped("expiry_date")), default=False)
        move = Move.create(
            self._omni_move_values(
                move_type,
                points,
                key,
                channel=channel,
                reference=reference,
                expiry=expiry,
                state=state,
                **values,
            )
        )
        self._omni_update_projection()
        if state == "posted" and move_type == "earn":
            self._omni_tier_upgrade()
        return move

    @api.model
    def _omni_post_earns(self, postings):
        """Post many earns (pending or posted) at once, as ``_omni_post`` posts one: the cards
        locked together, the keys checked in one query, the moves created in one batch, then each
        card's points and tier brought up to date once. A key posted before posts nothing again.

        :param postings: ``[(card, points, key, options)]``, ``options`` the keyword arguments
            ``_omni_post`` takes (``channel``, ``reference``, ``state``, move fields)
        :return: the moves posted now
        """
        cards = self.browse().union(*(card for card, _points, _key, _options in postings))
        cards._omni_lock()
        Move = self.env["omni.loyalty.move"].sudo().with_context(**{ENGINE_KEY: True})
        keys = [key for _card, _points, key, _options in postings]
        if not all(keys):
            raise UserError(self.env._("A loyalty posting needs an idempotency key."))
        known = {
            move.idempotency_key: move.card_id for move in Move.search([("idempotency_key", "in", keys)])
        }
        vals_list = []
        for card, points, key, options in postings:
            if key in known:
                if known[key] != card:
                    raise UserError(
                        self.env._("Key %(key)s was already used on another loyalty card.", key=key)
                    )
                continue
            known[key] = card
            points = float_round(points, precision_digits=PRECISION)
            vals_list.append(card._omni_move_values("earn", points, key, **options))
        moves = Move.create(vals_list)
        posted = moves.filtered(lambda move: move.state == "posted").card_id
        posted._omni_update_projection()
        posted._omni_tier_upgrade()
        return moves

    def _omni_move_values(
        self, move_type, points, key, channel=None, reference=None, expiry=None, state="posted", **values
    ):
        self.ensure_one()
        vals = {
            "card_id": self.id,
            "move_type": move_type,
            "points": points,
            "state": state,
            "idempotency_key": key,
            "channel_id": channel.id if channel else False,
            "reference": reference or False,
            **values,
        }
        if move_type in LOT_TYPES and points > 0:
            # A pending earn opens its lot when it vests.
            vals["remaining"] = points if state == "posted" else 0.0
            vals["expiry_date"] = expiry or self._omni_default_expiry()
        return vals

    def _omni_default_expiry(self):
        months = self.program_id.omni_points_validity_months
        if not months:
            return False
        return fields.Date.context_today(self) + relativedelta(months=months)

    def _omni_available(self):
        """Posted points minus active holds (pending ``hold`` moves carry negative points)."""
        self.ensure_one()
        groups = (
            self.env["omni.loyalty.move"]
            .sudo()
            ._read_group(
                [
                    ("card_id", "=", self.id),
                    "|",
                    ("state", "=", "posted"),
                    "&",
                    ("state", "=", "pending"),
                    ("move_type", "=", "hold"),
                ],
                [],
                ["points:sum"],
            )
        )
        return float_round(groups[0][0] or 0.0, precision_digits=PRECISION)

    def _omni_consume(self, points, lot=None):
        """Take ``points`` from the card's lots: from ``lot`` first when given, then the one expiring
        first first.

        :return: the lots taken from
        """
        lots = self._omni_open_lots()
        if lot:
            lots = lot.filtered("remaining") | (lots - lot)
        consumed = lots.browse()
        for current in lots:
            if float_is_zero(points, PRECISION):
                break
            consumed |= current
            taken = min(points, current.remaining)
            current._omni_engine_write(
                {"remaining": float_round(current.remaining - taken, precision_digits=PRECISION)}
            )
            points = float_round(points - taken, precision_digits=PRECISION)
        return consumed

    def _omni_open_lots(self):
        """The card's posted lots with points left, the one expiring first first."""
        self.ensure_one()
        return (
            self.env["omni.loyalty.move"]
            .sudo()
            .search(
                [("card_id", "=", self.id), ("state", "=", "posted"), ("remaining", ">", 0)],
                order="expiry_date ASC NULLS LAST, id ASC",
            )
        )

    def _omni_update_projection(self):
        """``points`` of the cards = the sum of their posted moves."""
        totals = dict(
            self.env["omni.loyalty.move"]
            .sudo()
            ._read_group([("card_id", "in", self.ids), ("state", "=", "posted")], ["card_id"], ["points:sum"])
        )
        for card in self:
            total = float_round(totals.get(card, 0.0), precision_digits=PRECISION)
            if float_compare(card.points, total, precision_digits=PRECISION):
                card.with_context(**{PROJECTION_KEY: True}).write({"points": total})

    def _omni_order_totals(self, order):
        """``(issued, used)``: the points the card's posted moves of ``order`` gave and took."""
        self.ensure_one()
        moves = (
            self.env["omni.loyalty.move"]
            .sudo()
            .search(
                [
                    ("card_id", "=", self.id),
                    ("state", "=", "posted"),
                    ("sale_order_id" if order._name == "sale.order" else "pos_order_id", "=", order.id),
                ]
            )
        )
        points = moves.mapped("points")
        return sum(p for p in points if p > 0), -sum(p for p in points if p < 0)

    def _omni_vest(self, moves):
        """Pending earns of the cards become points to spend, the cards locked together: each lot
        opens with what its pending reversals left of it and expires a validity from today."""
        self._omni_lock()
        moves = moves.filtered(lambda m: m.card_id in self and m.state == "pending" and m.move_type == "earn")
        if not moves:
            return
        reversals = self._omni_pending_reversals(moves)
        reversed_points = defaultdict(float)
        for reversal in reversals:
            reversed_points[reversal.reversed_move_id] += reversal.points
        for move in moves:
            remaining = float_round(max(move.points + reversed_points[move], 0.0), precision_digits=PRECISION)
            expiry = move.card_id._omni_default_expiry()
            move._omni_engine_write({"state": "posted", "remaining": remaining, "expiry_date": expiry})
        reversals._omni_engine_write({"state": "posted"})
        moves.card_id._omni_update_projection()
        moves.card_id._omni_tier_upgrade()

    def _omni_reverse_earn(self, earn, share, reversed_points, reversed_amount, key_prefix, **values):
        """Bring what was taken back of ``earn`` (an earn of this card) to ``share`` (0 to 1) of it,
        ``reversed_points`` and ``reversed_amount`` being what its reversals took back so far: one
        ``reverse`` move keyed on the share's points, so the same return seen twice posts once.
        Pending points get a pending reversal that vests with them; posted points are taken back as
        far as the card still has points.

        :param values: more move fields (``sale_order_id``, ``pos_order_id``, ``description``...)
        :return: the points that could not be taken back: the customer has spent them already
        """
        self.ensure_one()
        target = float_round(earn.points * share, precision_digits=PRECISION)
        missing = float_round(target - reversed_points, precision_digits=PRECISION)
        key = f"{key_prefix}:{earn.id}:{target}"
        if missing <= 0 or self.env["omni.loyalty.move"].sudo().search_count([("idempotency_key", "=", key)]):
            return 0.0
        reversal = self._omni_post(
            "reverse",
            -missing,
            key,
            channel=earn.channel_id,
            reference=earn.reference,
            state=earn.state,
            lot=earn,
            reversed_move_id=earn.id,
            amount=-(earn.amount * share - reversed_amount),
            **values,
        )
        return float_round(missing + reversal.points, precision_digits=PRECISION)

    def _omni_cancel_pending(self, moves):
        """Pending earns of the card, and their pending reversals, will never be points."""
        self.ensure_one()
        self._omni_lock()
        moves = moves.filtered(lambda m: m.card_id == self and m.state == "pending" and m.move_type == "earn")
        (moves | self._omni_pending_reversals(moves))._omni_engine_write({"state": "cancelled"})

    def _omni_pending_reversals(self, moves):
        return (
            self.env["omni.loyalty.move"]
            .sudo()
            .search([("reversed_move_id", "in", moves.ids), ("state", "=", "pending")])
        )

    @api.model
    def _cron_expire_points(self):
        """Expire what is left of lots past their expiry date, a batch at a time: the batch's cards
        locked together, one ``expire`` move per lot keyed on the lot (a lot expires once), then
        each card's points brought up to date once."""
        Move = self.env["omni.loyalty.move"].sudo()
        domain = [
            ("move_type", "in", LOT_TYPES),
            ("state", "=", "posted"),
            ("remaining", ">", 0),
            ("expiry_date", "<", fields.Date.context_today(self)),
        ]
        batch = Move.search(domain, order="expiry_date ASC, id ASC", limit=EXPIRE_BATCH)
        batch.card_id._omni_lock()
        known = set(
            Move.search([("idempotency_key", "in", [f"expire:{lot.id}" for lot in batch])]).mapped(
                "idempotency_key"
            )
        )
        lots = batch.filtered(lambda lot: f"expire:{lot.id}" not in known)
        Move.with_context(**{ENGINE_KEY: True}).create(
            [
                lot.card_id._omni_move_values(
                    "expire",
                    -lot.remaining,
                    f"expire:{lot.id}",
                    reference=lot.reference,
                    description=self.env._("Points expired on %(date)s", date=lot.expiry_date),
                )
                for lot in lots
            ]
        )
        # Each expiry takes exactly what is left of its own lot.
        lots._omni_engine_write({"remaining": 0.0})
        lots.card_id._omni_update_projection()
        remaining = Move.search_count(domain) if len(batch) == EXPIRE_BATCH else 0
        self.env["ir.cron"]._notify_progress(done=len(lots), remaining=remaining)
        _logger.info("Expired %s loyalty lots, %s left", len(lots), remaining)
