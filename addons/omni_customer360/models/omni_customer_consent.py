from odoo import fields, models
from odoo.tools import create_unique_index

PURPOSES = [
    ("marketing", "Marketing Messages"),
    ("analytics", "Analytics"),
    ("personalization", "Personalized Offers"),
    ("third_party", "Sharing with Partners"),
]


class OmniCustomerConsent(models.Model):
    """What a customer agreed to, or refused, for one purpose on one channel or on all of them."""

    _name = "omni.customer.consent"
    _description = "Customer Consent"
    _order = "partner_id, purpose, channel_id, id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    channel_id = fields.Many2one(
        "omni.channel", ondelete="cascade", help="Empty: the consent holds on every channel."
    )
    purpose = fields.Selection(PURPOSES, required=True)
    granted = fields.Boolean(help="Ticked: the customer agreed; unticked: the customer refused or withdrew.")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    source = fields.Char(help="Where the customer said so: a checkout form, a store, a call.")

    def init(self):
        # One answer per customer, purpose and channel; channel_id is empty for "every channel".
        create_unique_index(
            self.env.cr,
            "omni_customer_consent_unique",
            self._table,
            ["partner_id", "purpose", "COALESCE(channel_id, 0)"],
        )
