from odoo import fields, models
from odoo.exceptions import AccessError

# Personal data a forgotten customer's contact (and its delivery addresses) no longer holds.
FORGOTTEN_FIELDS = (
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "city",
    "zip",
    "vat",
    "comment",
    "website",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_forgotten = fields.Boolean(
        string="Forgotten",
        readonly=True,
        copy=False,
        help="The customer asked to be forgotten: their personal data was erased, their orders and "
        "invoices were kept.",
    )

    def action_omni_forget(self):
        """Erase a customer's personal data on request (right to be forgotten); managers only."""
        if not self.env.user.has_group("omni_channel_sync.group_manager"):
            raise AccessError(self.env._("Only Omnichannel managers may forget a customer."))
        self.check_access("write")
        self._omni_forget()
        return True

    def _omni_forget(self):
        """Anonymize the contacts and their delivery addresses, drop identities and consents, archive.

        Sale orders, invoices and payments keep their link to the (now anonymous) contact, so the
        accounting stays whole.
        """
        partners = self.with_context(active_test=False)
        partners |= partners.child_ids
        # sudo: the caller was checked in action_omni_forget; identities and consents go with the person.
        self.env["omni.customer.identity"].sudo().search([("partner_id", "in", partners.ids)]).unlink()
        self.env["omni.customer.consent"].sudo().search([("partner_id", "in", partners.ids)]).unlink()
        erased = dict.fromkeys(FORGOTTEN_FIELDS, False)
        for partner in partners:
            partner.write(
                {
                    **erased,
                    "name": self.env._("Forgotten customer #%(id)s", id=partner.id),
                    "omni_forgotten": True,
                    "active": False,
                }
            )
