from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _omni_profile_loyalty(self):
        """The customer's balance in the company's default loyalty program; False without one."""
        self.ensure_one()
        Card = self.env["loyalty.card"].sudo()
        try:
            program = Card._omni_default_program(self.env.company)
        except UserError:
            return False
        return Card._omni_card_for(self, program, create=False)._omni_balance_summary(self, program)
