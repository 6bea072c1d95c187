import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

TIER_BATCH = 1000
VEST_BATCH = 500


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    omni_tier_id = fields.Many2one(
        "omni.loyalty.tier",
        string="Tier",
        index=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="Rises as soon as an earn reaches a higher threshold; falls only when the review at a"
        " period end finds the qualifying window below the current tier.",
    )
    omni_tier_reviewed_on = fields.Date(
        string="Tier Reviewed On", readonly=True, copy=False, help="The last period-end review of the tier."
    )

    # ------------------------------------------------------------------ earning

    def _omni_earn_points(self, channel, lines, points=None):
        """Points the card's customer earns for ``lines`` bought on ``channel``: what the program's
        rules give (``points``), with the channel's rule and the tier's multiplier on top (see
        ``loyalty.program._omni_earn_points``)."""
        self.ensure_one()
        return self.program_id._omni_earn_points(
            channel, lines, points=points, multiplier=self.omni_tier_id.earn_multiplier or 1.0
        )

    @api.model
    def _cron_vest_points(self):
        """Pending points of completed orders whose return window has closed become points to spend,
        a batch at a time."""
        Move = self.env["omni.loyalty.move"].sudo()
        domain = [
            ("move_type", "=", "earn"),
            ("state", "=", "pending"),
            ("sale_order_id.omni_status", "=", "completed"),
            ("sale_order_id.omni_points_vest_on", "<=", fields.Date.context_today(self)),
        ]
        moves = Move.search(domain, order="id", limit=VEST_BATCH)
        moves.card_id._omni_vest(moves)
        remaining = Move.search_count(domain) if len(moves) == VEST_BATCH else 0
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=remaining)
        _logger.info("Vested %s pending loyalty earns, %s left", len(moves), remaining)

    # ------------------------------------------------------------------ tiers

    def _omni_tier_qualification(self, end=None):
        """{card: net spend or earned points} over each program's rolling window ending on ``end``
        (today when not given); earns count once vested, their reversals take them back."""
        end = end or fields.Date.context_today(self)
        Move = self.env["omni.loyalty.move"].sudo()
        result = {}
        for program, cards in self.grouped("program_id").items():
            start = end - relativedelta(months=program.omni_tier_window_months)
            domain = [
                ("card_id", "in", cards.ids),
                ("state", "=", "posted"),
                ("date", ">", start),
                ("date", "<=", end),
            ]
            if program.omni_tier_basis == "spend":
                domain += [("move_type", "in", ("earn", "reverse")), ("amount", "!=", 0)]
                measure = "amount:sum"
            else:
                domain += [
                    "|",
                    ("move_type", "=", "earn"),
                    "&",
                    ("move_type", "=", "reverse"),
                    ("reversed_move_id.move_type", "=", "earn"),
                ]
                measure = "points:sum"
            result.update(Move._read_group(domain, ["card_id"], [measure]))
        return result

    def _omni_tier_upgrade(self):
        """Move the cards up to the tier their window now reaches; never down (that waits for the
        period end)."""
        cards = self.filtered(lambda card: card.program_id.omni_tier_ids)
        if not cards:
            return
        qualification = cards._omni_tier_qualification()
        Tier = self.env["omni.loyalty.tier"]
        for card in cards:
            tier = Tier._omni_tier_for(card.program_id, qualification.get(card, 0.0))
            if tier and (not card.omni_tier_id or tier.threshold > card.omni_tier_id.threshold):
                card.sudo().omni_tier_id = tier

    @api.model
    def _cron_review_tiers(self):
        """At each period end (the turn of a month) every card of a program with tiers takes the tier
        of its rolling window up to that day: up or down. Cards reviewed this period are skipped, so
        the action runs daily and resumes where it stopped."""
        today = fields.Date.context_today(self)
        period_start = today.replace(day=1)
        domain = [
            ("program_id.active", "=", True),
            ("program_id.omni_tier_ids", "!=", False),
            "|",
            ("omni_tier_reviewed_on", "=", False),
            ("omni_tier_reviewed_on", "<", period_start),
        ]
        cards = self.sudo().search(domain, order="id", limit=TIER_BATCH)
        at_period_end = cards._omni_tier_qualification(end=period_start - relativedelta(days=1))
        # What was earned since the period start upgraded the card on the event: it stays.
        up_to_today = cards._omni_tier_qualification(end=today)
        Tier = self.env["omni.loyalty.tier"]
        by_tier = defaultdict(lambda: self.browse())
        for card in cards:
            qualification = max(at_period_end.get(card, 0.0), up_to_today.get(card, 0.0))
            by_tier[Tier._omni_tier_for(card.program_id, qualification)] |= card
        for tier, group in by_tier.items():
            group.write({"omni_tier_id": tier.id, "omni_tier_reviewed_on": today})
        remaining = self.sudo().search_count(domain) if len(cards) == TIER_BATCH else 0
        self.env["ir.cron"]._notify_progress(done=len(cards), remaining=remaining)
        _logger.info("Reviewed the tier of %s loyalty cards, %s left", len(cards), remaining)
