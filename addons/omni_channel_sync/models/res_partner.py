from odoo import api, models

# Vietnamese addresses name provinces with or without their administrative prefix.
PROVINCE_PREFIXES = ("thành phố ", "tỉnh ", "tp. ", "tp.", "tp ")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _omni_resolve_customer(self, channel, order):
        """Hook: ``(customer, delivery address)`` of a normalized order.

        The channel core matches an existing contact on e-mail, then phone, never on a masked
        value; omni_customer360 replaces it with identity resolution across channels.
        """
        buyer = order.customer
        address = order.shipping_address
        customer = self._omni_match(buyer.email, buyer.phone) or self.create(
            self._omni_contact_values(
                name=buyer.name or (address and address.name) or buyer.buyer_id,
                phone=buyer.phone,
                email=buyer.email,
                address=address,
                channel=channel,
            )
        )
        return customer, self._omni_delivery_address(customer, address)

    @api.model
    def _omni_match(self, email, phone):
        if _usable(email):
            partner = self.search([("email", "=ilike", email)], limit=1)
            if partner:
                return partner
        if _usable(phone):
            return self.search([("phone", "=", phone)], limit=1)
        return self.browse()

    @api.model
    def _omni_delivery_address(self, customer, address):
        if not address or not address.street:
            return customer
        values = self._omni_contact_values(
            name=address.name or customer.name, phone=address.phone, address=address, parent=customer
        )
        same = customer.child_ids.filtered(
            lambda child: (
                child.type == "delivery" and (child.name, child.street) == (values["name"], values["street"])
            )
        )
        if customer.street == values["street"] and not same:
            return customer
        return same[:1] or self.create(values)

    @api.model
    def _omni_contact_values(self, name, phone=None, email=None, address=None, channel=None, parent=None):
        values = {
            "name": name or self.env._("Channel buyer"),
            "phone": phone if _usable(phone) else False,
            "email": email if _usable(email) else False,
            "customer_rank": 1,
        }
        if channel:
            values["comment"] = self.env._("Created from channel %(channel)s.", channel=channel.name)
        if parent:
            values.update(parent_id=parent.id, type="delivery")
        if address:
            country = self.env["res.country"].search([("code", "=", address.country.upper())], limit=1)
            values.update(
                street=address.street,
                street2=address.ward,
                city=address.district,
                country_id=country.id,
                state_id=self._omni_province(country, address.province).id,
            )
        return values

    @api.model
    def _omni_province(self, country, province):
        if not (country and province):
            return self.env["res.country.state"]
        name = province.strip()
        lowered = name.lower()
        for prefix in PROVINCE_PREFIXES:
            if lowered.startswith(prefix):
                name = name[len(prefix) :].strip()
                break
        return self.env["res.country.state"].search(
            [
                ("country_id", "=", country.id),
                "|",
                ("name", "=ilike", name),
                ("name", "=ilike", province.strip()),
            ],
            limit=1,
        )


def _usable(value):
    """Masked values (``84*****123``, ``a***@mail.com``) identify nobody."""
    return bool(value) and "*" not in value
