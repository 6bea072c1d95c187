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
        Channel = self.env["omni.channel"]
        partner_id = Channel._api_record_id(partner_id, "partner_id")
        # sudo: the caller was checked above; a profile gathers identities, orders and consents.
        partner = self.sudo().search(
            [
                ("id", "=", partner_id),
                ("customer_rank", ">", 0),
                ("omni_forgotten", "=", False),
                *Channel._api_company_domain("res.partner"),
            ]
        )
        if not partner:
            raise ValidationError(self.env._("No active customer with id %(id)s.", id=partner_id))
        # A customer shared by every company may buy from other companies too: what those know of
        # them (their channels, orders, revenue, consents) stays theirs.
        channels = (
            Channel.sudo().with_context(active_test=False).search(Channel._api_company_domain("omni.channel"))
        )
        stats = partner.omni_channel_stat_ids.filtered(
            lambda stat: stat.channel_id in channels if stat.channel_id else partner.company_id
        )
        return {
            "partner_id": partner.id,
            "name": partner.name,
            "phone": partner.phone or partner.mobile or False,
            "email": partner.email or False,
            "identities": [
                {"kind": identity.kind, "value": identity.value, "channel": identity.channel_id.code or False}
                for identity in partner.omni_identity_ids
                if not identity.channel_id or identity.channel_id in channels
            ],
            "channels": partner._omni_profile_channels(stats),
            "metrics": partner._omni_profile_metrics(stats, complete=stats == partner.omni_channel_stat_ids),
            "consents": partner._omni_profile_consents(channels),
            "loyalty": partner._omni_profile_loyalty(),
        }

    # ------------------------------------------------------------------ profile parts

    def _omni_profile_channels(self, stats):
        """Per channel of ``stats``: ``channel`` (code), ``channel_name``, ``order_count``,
        ``revenue``, ``last_order_date``.
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
            for stat in stats
        ]

    def _omni_profile_metrics(self, stats, complete):
        """The customer's metrics, as res_partner_metrics stores them when ``stats`` are all their
        orders (``complete``); else the sums of ``stats``, without the scores of every order."""
        self.ensure_one()
        if not complete:
            count, revenue = sum(stats.mapped("order_count")), sum(stats.mapped("revenue"))
            preferred = stats.sorted(lambda stat: (-stat.order_count, -stat.revenue))[:1]
            return {
                "order_count": count,
                "revenue": revenue,
                "first_order_date": _to_string(
                    min(stats.filtered("first_order_date").mapped("first_order_date"), default=False)
                ),
                "last_order_date": _to_string(
                    max(stats.filtered("last_order_date").mapped("last_order_date"), default=False)
                ),
                "aov": revenue / count if count else 0.0,
                "ltv": False,
                "rfm_score": False,
                "segment": False,
                "preferred_channel": preferred.channel_id.code or False,
            }
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

    def _omni_profile_consents(self, channels):
        """The customer's consents for every channel, and for ``channels``."""
        self.ensure_one()
        consents = self.env["omni.customer.consent"].search(
            [("partner_id", "=", self.id), ("channel_id", "in", [False, *channels.ids])]
        )
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
