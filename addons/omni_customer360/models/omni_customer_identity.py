from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, create_unique_index

from ..tools.identifiers import is_masked, normalize

KINDS = [("buyer_id", "Channel Buyer ID"), ("phone", "Phone"), ("email", "E-mail"), ("zalo", "Zalo ID")]
# Resolution tries identifiers in this order: the strongest first.
PRIORITY = ("buyer_id", "phone", "email", "zalo")
MAX_PARTNERS_PARAM = "omni_customer360.max_partners_per_identifier"
LAST_SEEN_STEP = timedelta(hours=1)


class OmniCustomerIdentity(models.Model):
    """One way to recognize a customer: a channel's buyer id, a phone, an e-mail, a Zalo id."""

    _name = "omni.customer.identity"
    _description = "Customer Identity"
    _order = "partner_id, kind, id"
    _rec_name = "value"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(KINDS, required=True)
    value = fields.Char(required=True, index=True, help="Normalized: E.164 phones, lower-case e-mails.")
    raw_value = fields.Char(string="As Received")
    channel_id = fields.Many2one(
        "omni.channel",
        ondelete="restrict",
        help="The channel a buyer id belongs to; empty for phones and e-mails.",
    )
    trust = fields.Selection(
        [("verified", "Verified"), ("channel", "From a channel"), ("unverified", "Unverified")],
        default="channel",
        required=True,
    )
    last_seen_at = fields.Datetime(
        default=fields.Datetime.now, help="When an order or a call last brought it, to the hour."
    )

    def init(self):
        # One row per customer and identifier; channel_id is empty for phones and e-mails.
        create_unique_index(
            self.env.cr,
            "omni_customer_identity_unique",
            self._table,
            ["partner_id", "kind", "COALESCE(channel_id, 0)", "value"],
        )

    @api.constrains("kind", "channel_id")
    def _check_channel(self):
        for identity in self:
            if (identity.kind == "buyer_id") != bool(identity.channel_id):
                raise ValidationError(self.env._("A channel buyer id, and only it, names its channel."))

    @api.model
    def _normalized(self, kind, value):
        """``(normalized value, reason)``: the value, or None and why it cannot identify anyone."""
        if not value:
            return None, None
        if is_masked(str(value)):
            return None, "masked"
        normalized = normalize(kind, value)
        if not normalized:
            return None, "invalid"
        if self.env["omni.customer.blocked.value"]._is_blocked(kind, normalized):
            return None, "blocked"
        return normalized, None

    @api.model
    def _partners_by_key(self, keys):
        """{(kind, channel_id, value): partner ids} for identifier keys, in one query."""
        keys = {key for key in keys if key[2]}
        if not keys:
            return {}
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT i.kind, COALESCE(i.channel_id, 0), i.value, array_agg(DISTINCT i.partner_id)
                     FROM omni_customer_identity i
                     JOIN res_partner p ON p.id = i.partner_id AND p.active
                    WHERE i.value IN %s
                 GROUP BY 1, 2, 3""",
                tuple({key[2] for key in keys}),
            )
        )
        found = {(kind, channel or False, value): ids for kind, channel, value, ids in self.env.cr.fetchall()}
        return {key: found[key] for key in keys if key in found}

    @api.model
    def _max_partners(self):
        """Merge protection: an identifier on more customers than this is shared and matches nobody."""
        return int(self.env["ir.config_parameter"].sudo().get_param(MAX_PARTNERS_PARAM, 3))

    @api.model
    def _attach(self, partner_identifiers):
        """Record identifiers on customers, skipping those already there.

        :param partner_identifiers: ``[(partner, kind, channel, value, raw value)]``
        """
        rows = {
            (p.id, kind, channel.id or False, value): raw
            for p, kind, channel, value, raw in partner_identifiers
        }
        if not rows:
            return
        existing = self.search(
            [
                ("partner_id", "in", list({row[0] for row in rows})),
                ("value", "in", list({row[3] for row in rows})),
            ]
        )
        known = {(i.partner_id.id, i.kind, i.channel_id.id or False, i.value) for i in existing}
        rows = {key: raw for key, raw in rows.items() if key not in known}
        self.create(
            [
                {
                    "partner_id": partner_id,
                    "kind": kind,
                    "channel_id": channel_id,
                    "value": value,
                    "raw_value": raw,
                }
                for (partner_id, kind, channel_id, value), raw in rows.items()
            ]
        )
        # A coarse fact, written at most once an hour per identifier: a buyer's orders imported at
        # once by several workers would otherwise all update the same row.
        now = fields.Datetime.now()
        existing.filtered(lambda i: not i.last_seen_at or i.last_seen_at < now - LAST_SEEN_STEP).write(
            {"last_seen_at": now}
        )
