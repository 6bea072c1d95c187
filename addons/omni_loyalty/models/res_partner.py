from odoo import fields, models
from odoo.exceptions import UserError

# Who sees a customer's points on their form (the loyalty tab's groups).
LOYALTY_READERS = "omni_channel_sync.group_user,sales_team.group_sale_salesman"


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_loyalty_card_id = fields.Many2one(
        "loyalty.card",
        compute="_compute_omni_loyalty",
        groups=LOYALTY_READERS,
        string="Loyalty Card",
        compute_sudo=True,
    )
    omni_loyalty_available = fields.Float(
        compute="_compute_omni_loyalty",
        groups=LOYALTY_READERS,
        string="Points Available",
        digits=(16, 2),
        compute_sudo=True,
    )
    omni_loyalty_pending = fields.Float(
        compute="_compute_omni_loyalty",
        groups=LOYALTY_READERS,
        string="Points Pending",
        digits=(16, 2),
        compute_sudo=True,
        help="Earned on marketplace orders whose return window is still open.",
    )
    omni_loyalty_tier_id = fields.Many2one(
        "omni.loyalty.tier",
        compute="_compute_omni_loyalty",
        groups=LOYALTY_READERS,
        string="Loyalty Tier",
        compute_sudo=True,
    )
    omni_loyalty_expiry_date = fields.Date(
        compute="_compute_omni_loyalty", groups=LOYALTY_READERS, string="Next Expiry", compute_sudo=True
    )
    omni_loyalty_expiry_points = fields.Float(
        compute="_compute_omni_loyalty",
        groups=LOYALTY_READERS,
        string="Points Expiring",
        digits=(16, 2),
        compute_sudo=True,
    )
    omni_loyalty_move_ids = fields.One2many(
        "omni.loyalty.move",
        compute="_compute_omni_loyalty",
        groups=LOYALTY_READERS,
        string="Points Moves",
        compute_sudo=True,
    )

    def _compute_omni_loyalty(self):
        for partner in self:
            summary = (partner.id and partner._omni_profile_loyalty()) or {}
            card = self.env["loyalty.card"].browse(summary.get("card_id"))
            expiries = summary.get("next_expiries") or [{}]
            partner.omni_loyalty_card_id = card
            partner.omni_loyalty_available = summary.get("available", 0.0)
            partner.omni_loyalty_pending = summary.get("pending", 0.0)
            partner.omni_loyalty_tier_id = summary.get("tier_id")
            partner.omni_loyalty_expiry_date = expiries[0].get("date")
            partner.omni_loyalty_expiry_points = expiries[0].get("points", 0.0)
            partner.omni_loyalty_move_ids = card.omni_move_ids

    def action_open_omni_loyalty_card(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "res_id": self.omni_loyalty_card_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _omni_profile_loyalty(self):
        """The customer's balance in the company's default loyalty program; False without one."""
        self.ensure_one()
        Card = self.env["loyalty.card"].sudo()
        try:
            program = Card._omni_default_program(self.env.company)
        except UserError:
            return False
        return Card._omni_card_for(self, program, create=False)._omni_balance_summary(self, program)
