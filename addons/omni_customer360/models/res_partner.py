from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .omni_customer_identity import PRIORITY

# Contact fields that are identifiers too: a contact typed in by hand is found like a channel buyer.
CONTACT_IDENTIFIERS = (("phone", "phone"), ("mobile", "phone"), ("email", "email"))
# Longest identifier or name an API caller may send.
MAX_IDENTIFIER_LENGTH = 256


class ResPartner(models.Model):
    _inherit = "res.partner"

    omni_identity_ids = fields.One2many("omni.customer.identity", "partner_id", string="Identities")

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._omni_record_contact_identities()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field, _kind in CONTACT_IDENTIFIERS):
            self._omni_record_contact_identities()
        return result

    # ------------------------------------------------------------------ public API

    @api.model
    def api_resolve_customer(self, identifiers):
        """Find or create the one customer behind a buyer's identifiers (docs/api.md).

        :param identifiers: ``{"channel_code", "buyer_id", "phone", "email", "zalo", "name"}``, any
            may be missing; a buyer id needs its channel
        :return: ``partner_id``, ``created``, ``matched_on`` (``buyer_id``, ``phone``, ``email``,
            ``zalo`` or False), ``ignored``: the identifiers that matched nobody and why
        """
        if not self._omni_is_api_caller():
            raise AccessError(self.env._("Only Omnichannel users and integrators may resolve customers."))
        if not isinstance(identifiers, dict):
            raise ValidationError(self.env._("identifiers must be an object."))
        Channel = self.env["omni.channel"]
        channel = Channel
        if identifiers.get("channel_code"):
            channel = Channel._api_channel(identifiers["channel_code"])
        elif identifiers.get("buyer_id"):
            raise ValidationError(self.env._("A buyer_id needs the channel_code of its channel."))
        values = {
            kind: Channel._api_text(identifiers.get(kind), kind, MAX_IDENTIFIER_LENGTH, required=False)
            for kind in (*PRIORITY, "name")
        }
        name = values.pop("name")
        if not any(values.values()):
            raise ValidationError(self.env._("Give at least one of buyer_id, phone, email or zalo."))
        # sudo: the caller was checked above; matching reads the identifiers of the company's customers.
        contact = self._omni_contact_values(
            name=name or values["email"] or values["phone"] or values["buyer_id"],
            phone=values["phone"],
            email=values["email"],
            channel=channel or None,
        )
        (resolution,) = self.sudo()._omni_resolve(channel, [values], [contact])
        return {
            "partner_id": resolution["partner"].id,
            "created": resolution["created"],
            "matched_on": resolution["matched_on"] or False,
            "ignored": resolution["ignored"],
        }

    # ------------------------------------------------------------------ resolution

    @api.model
    def _omni_is_api_caller(self):
        """Whether the user may call the customer API: an Omnichannel user or an integrator."""
        return any(
            self.env.user.has_group(group)
            for group in ("omni_channel_sync.group_integrator", "omni_channel_sync.group_user")
        )

    @api.model
    def _omni_resolve_customers(self, channel, orders):
        """Identity resolution for imported orders: channel buyer id, then phone, then e-mail."""
        identifiers = [self._omni_order_identifiers(order) for order in orders]
        contacts = [
            self._omni_contact_values(
                name=order.customer.name
                or (order.shipping_address and order.shipping_address.name)
                or order.customer.buyer_id,
                phone=order.customer.phone,
                email=order.customer.email,
                address=order.shipping_address,
                channel=channel,
            )
            for order in orders
        ]
        resolutions = self._omni_resolve(channel, identifiers, contacts)
        return [
            (
                resolution["partner"],
                self._omni_delivery_address(resolution["partner"], order.shipping_address),
            )
            for resolution, order in zip(resolutions, orders, strict=True)
        ]

    @api.model
    def _omni_order_identifiers(self, order):
        """The buyer's identifiers of an order.

        The shipping address's phone is the recipient's: a gift goes to someone else, so it counts
        only when the buyer left no identifier at all (a guest checkout ships to themselves).
        """
        buyer = order.customer
        identifiers = {"buyer_id": buyer.buyer_id, "phone": buyer.phone, "email": buyer.email}
        if not any(identifiers.values()) and order.shipping_address:
            identifiers["phone"] = order.shipping_address.phone
        return identifiers

    @api.model
    def _omni_resolve(self, channel, identifiers_list, contact_values):
        """One resolution per identifiers dict: ``partner``, ``created``, ``matched_on``, ``ignored``.

        Identifiers are tried strongest first. One that several customers share (a family phone, a
        shop e-mail) is passed over, so nobody's order lands on someone else; a new buyer becomes one
        new customer however many of their orders the batch holds.
        """
        Identity = self.env["omni.customer.identity"]
        # The customers of the channel's company (of the caller's, without a channel), shared ones
        # included: another company's customer is never matched, and a new one is the company's.
        company = channel.company_id or self.env.company
        parsed = [self._omni_parse_identifiers(channel, identifiers) for identifiers in identifiers_list]
        partners_by_key = Identity._partners_by_key(
            key for keys, _ignored in parsed for key, _raw in keys.values()
        )
        in_company = set(
            self.sudo()
            .browse({id_ for ids in partners_by_key.values() for id_ in ids})
            .filtered_domain(self.env["omni.channel"]._api_company_domain("res.partner", company))
            .ids
        )
        partners_by_key = {
            key: matches
            for key, ids in partners_by_key.items()
            if (matches := [i for i in ids if i in in_company])
        }
        limit = Identity._max_partners()
        resolutions, new_buyers = [], {}
        for (keys, ignored), contact in zip(parsed, contact_values, strict=True):
            resolution = {
                "partner": None,
                "created": False,
                "matched_on": None,
                "ignored": ignored,
                "keys": keys,
            }
            for kind in PRIORITY:
                key = keys.get(kind, (None, None))[0]
                matches = partners_by_key.get(key, ()) if key else ()
                if len(matches) == 1:
                    resolution.update(partner=self.browse(matches[0]), matched_on=kind)
                    break
                if matches:
                    reason = "shared" if len(matches) > limit else "ambiguous"
                    ignored.append(
                        {"kind": kind, "value": key[2], "reason": reason, "customers": len(matches)}
                    )
            if not resolution["partner"]:
                buyer_key = next((keys[kind] for kind in PRIORITY if keys.get(kind)), None) or len(
                    resolutions
                )
                resolution["new_buyer"] = buyer_key
                new_buyers.setdefault(buyer_key, contact)
                resolution["created"] = True
            resolutions.append(resolution)
        created = dict(
            zip(
                new_buyers,
                self.create([dict(contact, company_id=company.id) for contact in new_buyers.values()]),
                strict=True,
            )
        )
        no_channel = self.env["omni.channel"]
        rows = []
        for resolution in resolutions:
            if resolution["created"]:
                resolution["partner"] = created[resolution.pop("new_buyer")]
            for kind, ((_kind, _channel, value), raw) in resolution.pop("keys").items():
                rows.append(
                    (resolution["partner"], kind, channel if kind == "buyer_id" else no_channel, value, raw)
                )
        Identity._attach(rows)
        return resolutions

    @api.model
    def _omni_parse_identifiers(self, channel, identifiers):
        """``({kind: ((kind, channel_id, value), raw)}, ignored)``: usable identifiers, and the others."""
        Identity = self.env["omni.customer.identity"]
        keys, ignored = {}, []
        for kind in PRIORITY:
            raw = identifiers.get(kind)
            if kind == "buyer_id" and not channel:
                continue
            value, reason = Identity._normalized(kind, raw)
            if value:
                keys[kind] = ((kind, channel.id if kind == "buyer_id" else False, value), str(raw))
            elif reason:
                ignored.append({"kind": kind, "value": str(raw), "reason": reason})
        return keys, ignored

    def _omni_record_contact_identities(self):
        Identity = self.env["omni.customer.identity"]
        rows = []
        # A delivery or invoice address is where a parcel goes, not who bought it: its phone is
        # often a recipient's, and would make the buyer and the recipient share an identifier.
        for partner in self.filtered(lambda p: p.type == "contact"):
            for field, kind in CONTACT_IDENTIFIERS:
                value, _reason = Identity._normalized(kind, partner[field])
                if value:
                    rows.append((partner, kind, self.env["omni.channel"], value, partner[field]))
        # sudo: bookkeeping of what anyone who may edit the contact just typed in.
        Identity.sudo()._attach(rows)
