from odoo import api, models
from odoo.tools import SQL, ormcache

# Vietnamese addresses name provinces with or without their administrative prefix.
PROVINCE_PREFIXES = ("thành phố ", "tỉnh ", "tp. ", "tp.", "tp ")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _omni_resolve_customers(self, channel, orders):
        """Hook: ``[(customer, delivery address)]`` of normalized orders, in their order.

        The channel core matches an existing contact on e-mail, then phone, never on a masked
        value, and creates one contact per new buyer of the batch; omni_customer360 replaces it
        with identity resolution across channels.
        """
        by_email, by_phone = self._omni_match_many(orders)
        slots, new_contacts = [], {}
        for index, order in enumerate(orders):
            buyer = order.customer
            customer = by_email.get(_lower(buyer.email)) or by_phone.get(buyer.phone)
            if customer:
                slots.append(customer)
                continue
            # Two orders of one new buyer in a batch make one contact.
            key = (
                _lower(buyer.email)
                if _usable(buyer.email)
                else buyer.phone
                if _usable(buyer.phone)
                else index
            )
            if key not in new_contacts:
                address = order.shipping_address
                new_contacts[key] = self._omni_contact_values(
                    name=buyer.name or (address and address.name) or buyer.buyer_id,
                    phone=buyer.phone,
                    email=buyer.email,
                    address=address,
                    channel=channel,
                )
            slots.append(key)
        created = dict(zip(new_contacts, self.create(list(new_contacts.values())), strict=True))
        customers = [slot if isinstance(slot, models.BaseModel) else created[slot] for slot in slots]
        return [
            (customer, self._omni_delivery_address(customer, order.shipping_address))
            for customer, order in zip(customers, orders, strict=True)
        ]

    @api.model
    def _omni_match_many(self, orders):
        """Existing contacts by lower-cased e-mail and by phone: one query each for the batch."""
        emails = {_lower(order.customer.email) for order in orders if _usable(order.customer.email)}
        phones = {order.customer.phone for order in orders if _usable(order.customer.phone)}
        by_email, by_phone = {}, {}
        if emails:
            self.flush_model(["email"])
            self.env.cr.execute(
                SQL(
                    """SELECT lower(email), min(id) FROM res_partner
                        WHERE lower(email) IN %s AND active
                        GROUP BY 1""",
                    tuple(emails),
                )
            )
            by_email = {email: self.browse(partner_id) for email, partner_id in self.env.cr.fetchall()}
        if phones:
            for partner in self.search([("phone", "in", list(phones))], order="id desc"):
                by_phone[partner.phone] = partner
        return by_email, by_phone

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
        # A buyer is written to in the shop's language (a delivery address, in its customer's); an
        # integrator who brings the buyer may not read the company's contact.
        company = channel.company_id if channel else self.env.company
        lang = parent.lang if parent else company.sudo().partner_id.lang
        if lang:
            values["lang"] = lang
        if parent:
            values.update(parent_id=parent.id, type="delivery")
        if address:
            country_id = self._omni_country_id(address.country.upper())
            values.update(
                street=address.street,
                street2=address.ward,
                city=address.district,
                country_id=country_id,
                state_id=self._omni_province_id(country_id, address.province),
            )
        return values

    @api.model
    @ormcache("code")
    def _omni_country_id(self, code):
        return self.env["res.country"].search([("code", "=", code)], limit=1).id

    @api.model
    @ormcache("country_id", "province")
    def _omni_province_id(self, country_id, province):
        if not (country_id and province):
            return False
        name = province.strip()
        lowered = name.lower()
        for prefix in PROVINCE_PREFIXES:
            if lowered.startswith(prefix):
                name = name[len(prefix) :].strip()
                break
        return (
            self.env["res.country.state"]
            .search(
                [
                    ("country_id", "=", country_id),
                    "|",
                    ("name", "=ilike", name),
                    ("name", "=ilike", province.strip()),
                ],
                limit=1,
            )
            .id
        )


def _usable(value):
    """Masked values (``84*****123``, ``a***@mail.com``) identify nobody."""
    return bool(value) and "*" not in value


def _lower(value):
    return value.lower() if value else value
