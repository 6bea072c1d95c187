from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def api_customer_profile(self, partner_id):
        """One customer as every channel knows them (docs/api.md).

        :param partner_id: the id ``api_resolve_customer`` answered
        :return: ``partner_id``, ``name``, ``phone``, ``email``, ``identities``, ``channels``,
            ``metrics``, ``consents``, ``loyalty`` (False without omni_loyalty)
        """
        if not self._omni_is_api_caller():
            raise AccessError(
                self.env._("Only Omnichannel users and integrators may read customer profiles.")
            )
        if not isinstance(partner_id, int) or isinstance(partner_id, bool) or partner_id <= 0:
            raise ValidationError(self.env._("partner_id must be a customer's id (a positive integer)."))
        # sudo: the caller was checked above; a profile gathers identities, orders and consents.
        partner = self.sudo().browse(partner_id).exists()
        if (
            not partner
            or not partner.active
            or partner.omni_forgotten
            or partner.customer_rank <= 0
            or (partner.company_id and partner.company_id not in self.env.user.company_ids)
        ):
            raise ValidationError(self.env._("No active customer with id %(id)s.", id=partner_id))
        return {
            "partner_id": partner.id,
            "name": partner.name,
            "phone": partner.phone or partner.mobile or False,
            "email": partner.email or False,
            "identities": [
                {"kind": identity.kind, "value": identity.value, "channel": identity.channel_id.code or False}
                for identity in partner.omni_identity_ids
            ],
            "channels": partner._omni_profile_channels(),
            "metrics": partner._omni_profile_metrics(),
            "consents": partner._omni_profile_consents(),
            "loyalty": partner._omni_profile_loyalty(),
        }

    # ------------------------------------------------------------------ profile parts

    def _omni_profile_channels(self):
        """Per channel: ``channel`` (code), ``channel_name``, ``order_count``, ``revenue``,
        ``last_order_date``, from the customer's channel statistics.
        """
        self.ensure_one()
        return [
            {
                "channel": stat.channel_id.code or False,
                "channel_name": stat.display_name,
                "order_count": stat.order_count,
                "revenue": stat.revenue,
                "last_order_date": _to_string(stat.last_order_date),
            }
            for stat in self.omni_channel_stat_ids
        ]

    def _omni_profile_metrics(self):
        """The customer's metrics, as res_partner_metrics stores them."""
        self.ensure_one()
        return {
            "order_count": self.omni_order_count,
            "revenue": self.omni_revenue,
            "first_order_date": _to_string(self.omni_first_order_date),
            "last_order_date": _to_string(self.omni_last_order_date),
            "aov": self.omni_aov,
            "ltv": self.omni_ltv,
            "rfm_score": self.omni_rfm_score or False,
            "segment": self.omni_segment or False,
            "preferred_channel": self.omni_preferred_channel_id.code or False,
        }

    def _omni_profile_consents(self):
        self.ensure_one()
        consents = self.env["omni.customer.consent"].search([("partner_id", "=", self.id)])
        return [
            {
                "purpose": consent.purpose,
                "channel": consent.channel_id.code or False,
                "granted": consent.granted,
                "date": _to_string(consent.date),
                "source": consent.source or False,
            }
            for consent in consents
        ]

    def _omni_profile_loyalty(self):
        """Hook: the customer's loyalty summary in their profile; omni_loyalty answers it."""
        self.ensure_one()
        return False


def _to_string(value):
    """Dates as ISO text over RPC; False for no date."""
    if not value:
        return False
    if isinstance(value, fields.datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, fields.date):
        return fields.Date.to_string(value)
    return value
