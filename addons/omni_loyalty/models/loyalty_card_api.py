from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_round

MAX_NEXT_EXPIRIES = 5
# Largest amount (company currency) or number of points one API call may post.
MAX_API_AMOUNT = 10**12


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    # ------------------------------------------------------------------ public API (docs/api.md)

    @api.model
    def api_loyalty_balance(self, customer):
        """The customer's points in the company's default loyalty program.

        :param customer: a partner id, or identifiers as ``res.partner.api_resolve_customer`` takes
        :return: ``partner_id``, ``card_id`` (False before the first posting), ``program_id``,
            ``program``, ``available``, ``pending`` (earned, not spendable until the channel's
            return window closes), ``tier`` (its name, False without one), ``tier_id``,
            ``next_expiries``: ``[{"date", "points"}]`` soonest first
        """
        self._omni_api_check_access()
        partner = self._omni_api_customer(customer, self.env.company)
        program = self._omni_default_program(self.env.company)
        card = self.sudo()._omni_card_for(partner, program, create=False)
        return card._omni_balance_summary(partner, program)

    @api.model
    def api_loyalty_earn(self, channel_code, customer, amount, reference):
        """Points for ``amount`` spent on the channel; idempotent on (channel, ``reference``).

        :return: ``move_id`` (False when the amount earns nothing), ``points``, ``duplicate``
            (True when ``reference`` was posted before: nothing new was posted), ``balance``
        """
        Channel = self.env["omni.channel"]
        channel = Channel._api_channel(channel_code)
        amount = Channel._api_number(amount, "amount", MAX_API_AMOUNT)
        reference = self._omni_api_reference(reference)
        partner = self._omni_api_customer(customer, channel.company_id)
        program = self._omni_default_program(channel.company_id)
        card = self.sudo()._omni_card_for(partner, program)
        points, spent = card._omni_earn_points(channel, [(amount, False)])
        return card._omni_api_post(
            "earn", points, f"earn:{channel.id}:{reference}", channel, reference, amount=spent
        )

    @api.model
    def api_loyalty_redeem(self, channel_code, customer, points, reference):
        """Spend ``points`` of the customer's card; refuses more than available; idempotent on
        (channel, ``reference``).

        :return: ``move_id``, ``points`` (negative), ``duplicate``, ``balance``
        """
        Channel = self.env["omni.channel"]
        channel = Channel._api_channel(channel_code)
        points = Channel._api_number(points, "points", MAX_API_AMOUNT, strict=True)
        reference = self._omni_api_reference(reference)
        partner = self._omni_api_customer(customer, channel.company_id)
        program = self._omni_default_program(channel.company_id)
        card = self.sudo()._omni_card_for(partner, program, create=False)
        if not card:
            raise UserError(
                self.env._("Not enough points: %(points)s requested, 0 available.", points=points)
            )
        return card._omni_api_post("redeem", -points, f"redeem:{channel.id}:{reference}", channel, reference)

    # ------------------------------------------------------------------ API helpers

    @api.model
    def _omni_api_check_access(self):
        if not self.env["res.partner"]._omni_is_api_caller():
            raise AccessError(self.env._("Only Omnichannel users and integrators may use loyalty points."))

    @api.model
    def _omni_api_reference(self, reference):
        return self.env["omni.channel"]._api_text(reference, "reference")

    @api.model
    def _omni_api_customer(self, customer, company):
        """The partner a caller names: a partner id, or identifiers resolved (and created when
        unknown) as ``res.partner.api_resolve_customer`` does; a customer ``company`` may serve."""
        self._omni_api_check_access()
        Partner = self.env["res.partner"]
        Channel = self.env["omni.channel"]
        if isinstance(customer, dict):
            customer = Partner.api_resolve_customer(customer)["partner_id"]
        elif isinstance(customer, bool) or not isinstance(customer, int):
            raise ValidationError(self.env._("customer must be a partner id or an object of identifiers."))
        customer = Channel._api_record_id(customer, "customer")
        # sudo: the caller was checked above; integrators read no partners themselves. Archived
        # customers count: a merged one's calls go to the kept customer's card.
        partner = (
            Partner.sudo()
            .with_context(active_test=False)
            .search([("id", "=", customer), *Channel._api_company_domain("res.partner", company)])
            .with_context(active_test=True)
        )
        if not partner:
            raise ValidationError(self.env._("No customer with id %(id)s.", id=customer))
        return partner

    @api.model
    def _omni_default_program(self, company):
        """The company's loyalty program flagged default, or its only active loyalty program."""
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .search(
                [
                    ("program_type", "=", "loyalty"),
                    ("active", "=", True),
                    ("company_id", "in", [company.id, False]),
                ]
            )
        )
        flagged = programs.filtered("omni_is_default")
        program = flagged if flagged else programs
        if len(program) != 1:
            raise UserError(
                self.env._(
                    "Company %(company)s has no default loyalty program: flag one as the default"
                    " Omnichannel program.",
                    company=company.name,
                )
            )
        return program

    @api.model
    def _omni_card_for(self, partner, program, create=True):
        """The customer's card in the program (a new one when ``create``); for a customer merged into
        another, the kept customer's card, where the merge moved the points."""
        card = (
            self.with_context(active_test=False)
            .search([("partner_id", "=", partner.id), ("program_id", "=", program.id)], limit=1)
            .with_env(self.env)
        )
        if card and not card.active:
            kept, _audit = card._omni_merged_into()
            if not kept:
                raise UserError(
                    self.env._(
                        "The loyalty card of %(customer)s in %(program)s is archived.",
                        customer=partner.display_name,
                        program=program.name,
                    )
                )
            return kept
        if not card and create:
            try:
                with self.env.cr.savepoint():
                    card = self.create({"partner_id": partner.id, "program_id": program.id, "points": 0})
            except UniqueViolation as error:
                # Another request created the customer's card since this one started: its snapshot
                # cannot see that card, a new call will (posting is idempotent on the reference).
                raise UserError(
                    self.env._("The customer's loyalty card was created at the same moment: call again.")
                ) from error
        return card

    def _omni_api_post(self, move_type, points, key, channel, reference, **values):
        self.ensure_one()
        if points <= 0 and move_type == "earn":
            return {"move_id": False, "points": 0.0, "duplicate": False, "balance": self._omni_balance()}
        known = self.env["omni.loyalty.move"].sudo().search_count([("idempotency_key", "=", key)])
        move = self._omni_post(move_type, points, key, channel=channel, reference=reference, **values)
        return {
            "move_id": move.id,
            "points": move.points,
            "duplicate": bool(known),
            "balance": self._omni_balance(),
        }

    def _omni_balance(self):
        self.ensure_one()
        return self._omni_available()

    def _omni_balance_summary(self, partner, program):
        """Balance as the API and the customer profile show it; ``self`` may be an empty card."""
        Move = self.env["omni.loyalty.move"].sudo()
        summary = {
            "partner_id": partner.id,
            "card_id": self.id or False,
            "program_id": program.id,
            "program": program.name,
            "available": 0.0,
            "pending": 0.0,
            "tier": False,
            "tier_id": False,
            "next_expiries": [],
        }
        if not self:
            return summary
        pending = Move._read_group(
            [("card_id", "=", self.id), ("state", "=", "pending"), ("move_type", "in", ("earn", "reverse"))],
            [],
            ["points:sum"],
        )
        expiries = Move._read_group(
            [
                ("card_id", "=", self.id),
                ("state", "=", "posted"),
                ("remaining", ">", 0),
                ("expiry_date", "!=", False),
            ],
            ["expiry_date:day"],
            ["remaining:sum"],
            order="expiry_date:day ASC",
            limit=MAX_NEXT_EXPIRIES,
        )
        summary.update(
            available=self._omni_available(),
            pending=float_round(pending[0][0] or 0.0, precision_digits=2),
            tier=self.omni_tier_id.name or False,
            tier_id=self.omni_tier_id.id or False,
            next_expiries=[
                {"date": fields.Date.to_string(day), "points": points} for day, points in expiries
            ],
        )
        return summary
