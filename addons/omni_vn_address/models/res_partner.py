"""Vietnamese addresses in the 2025 form: street, ward, province; no district.

An address of the 2025 form has its ward (``omni_vn_ward_id``), whose name is also its ``city`` (what
Odoo prints, and what SInvoice's ``buyerCityName`` and the carriers read), and a province of the 2025
map. An address of the former form keeps its former province, district (``city``) and ward
(``street2``) until it is converted; the conversion keeps them, as one line, in
``omni_vn_old_address``.

Where addresses arrive: orders of every channel build their buyer's contact with omni_channel_sync's
``_omni_contact_values`` (omni_customer360 calls the same method), which this module extends, so a
marketplace's province / district / ward lands in the 2025 form; an import of contacts from a file
(``load``) converts what it imported; the "Convert addresses to the 2025 map" wizard converts existing
contacts. This module depends on omni_channel_sync for that one hook, rather than the channel core
depending on a Vietnamese module or a third glue module.
"""

from collections import defaultdict

from odoo import api, fields, models

from ..tools.names import is_district_name

ADDRESS_TEXT_FIELDS = ("street", "street2", "city", "state_id", "country_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # A province replaced in 2025 stays on the addresses that have it, but is not offered for new ones.
    state_id = fields.Many2one(
        domain="[('country_id', '=?', country_id), ('omni_vn_replaced_by_id', '=', False)]"
    )
    omni_vn_ward_id = fields.Many2one(
        "omni.vn.ward",
        string="Ward",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('state_id', '=?', omni_vn_province_id)]",
        help="Ward or commune of Vietnam's 2025 map; its name is the address's city.",
    )
    omni_vn_province_id = fields.Many2one(
        "res.country.state",
        string="Province (2025)",
        compute="_compute_omni_vn_province_id",
        help="The province of the 2025 map of the address: its own, or the one its former province joined.",
    )
    omni_vn_old_address = fields.Char(
        string="Address Before 2025",
        readonly=True,
        copy=False,
        help="Ward, district and province of the address before its conversion to the 2025 map.",
    )

    @api.depends("state_id")
    def _compute_omni_vn_province_id(self):
        for partner in self:
            partner.omni_vn_province_id = partner.state_id.omni_vn_replaced_by_id or partner.state_id

    @api.onchange("omni_vn_ward_id")
    def _onchange_omni_vn_ward_id(self):
        if not self.omni_vn_ward_id:
            return
        # A ward picked by hand for an address of the former form: the former ward (street2), district
        # and province are kept as the address before 2025, as the conversion does.
        former = self.state_id.omni_vn_replaced_by_id or is_district_name(self.city)
        if former and not self._origin.omni_vn_ward_id and not self.omni_vn_old_address:
            self.omni_vn_old_address = ", ".join(
                part for part in (self.street2, self.city, self.state_id.name) if part
            )
            self.street2 = False
        self.update(self._omni_vn_ward_fields(self.omni_vn_ward_id))

    @api.onchange("state_id", "country_id")
    def _onchange_omni_vn_province(self):
        if self.omni_vn_ward_id and self.omni_vn_ward_id.state_id != self.state_id:
            self.omni_vn_ward_id = False

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._omni_vn_sync_ward(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._omni_vn_sync_ward(vals))

    @api.model
    def load(self, fields, data):
        """Contacts imported from a file land in the 2025 form when their address can be mapped."""
        result = super().load(fields, data)
        if result.get("ids") and any(field.split("/")[0] in ADDRESS_TEXT_FIELDS for field in fields):
            self.browse(result["ids"])._omni_vn_convert_address()
        return result

    @api.model
    def _address_fields(self):
        return [*super()._address_fields(), "omni_vn_ward_id"]

    # ------------------------------------------------------------------ conversion

    def _omni_vn_convert_address(self):
        """Moves the Vietnamese addresses of the former map to the 2025 one.

        The former ward is read from ``street2`` (else the last part of ``street``), the former district
        from ``city``; an address already written in the 2025 form without its ward (the ward in
        ``city``) is completed too. Addresses already in the 2025 form are left alone.

        :return: the contacts whose address could not be mapped (to be fixed by hand)
        """
        failed = self.browse()
        # One write per distinct result: customers live in a few hundred wards, not one each.
        groups = defaultdict(lambda: self.browse())
        for partner in self.filtered(
            lambda partner: partner.country_id.code == "VN" and not partner.omni_vn_ward_id
        ):
            values = partner._omni_vn_address_values(
                partner.state_id, partner.city, partner.street2, street=partner.street
            )
            if values.get("omni_vn_ward_id"):
                groups[tuple(sorted(values.items()))] |= partner
            else:
                failed |= partner
        for values, partners in groups.items():
            partners.write(dict(values))
        return failed

    @api.model
    def _omni_vn_address_values(self, province, district=None, ward=None, street=None):
        """Contact values of the 2025 form for an address given in either form (empty if unmapped).

        Used by every path that brings addresses in: a channel's order, a file, the wizard.

        :param province: ``res.country.state`` record, name or code
        :param district: former district, empty for an address of the 2025 form
        :param ward: ward (former or 2025), name or code
        :param street: the street line, whose last parts may hold the ward and district when the other
            fields are empty
        """
        Ward = self.env["omni.vn.ward"]
        attempts = [(district, ward)]
        if not ward:
            # The 2025 form typed in the text fields: the ward in city (never a former district).
            if district and not is_district_name(district) and not Ward._omni_vn_is_former(province):
                attempts.append((None, district))
            # "12 Lê Lợi, P. Bến Nghé, Q.1": the ward (and district) at the end of the street line.
            parts = [part.strip() for part in (street or "").split(",") if part.strip()]
            if len(parts) > 2:
                attempts.append((district or parts[-1], parts[-2]))
            elif len(parts) == 2:
                attempts.append((district, parts[-1]))
        for attempt_district, attempt_ward in attempts:
            # A district without a ward is found only if it had no wards (an island, now a special zone).
            found = (
                Ward._omni_vn_find(province, attempt_district, attempt_ward)
                if attempt_ward or attempt_district
                else Ward
            )
            if found:
                break
        if not found:
            new_province = Ward._omni_vn_province(province)
            return {"state_id": new_province.id} if new_province else {}
        values = self._omni_vn_ward_fields(found)
        if attempt_district or Ward._omni_vn_is_former(province):
            province_name = province.name if isinstance(province, models.BaseModel) else province
            values["omni_vn_old_address"] = ", ".join(
                part for part in (attempt_ward, attempt_district, province_name) if part
            )
        if attempt_ward == ward and ward:
            values["street2"] = False
        return values

    @api.model
    def _omni_vn_ward_fields(self, ward):
        """The address fields a ward of the 2025 map sets: itself, its name as city, its province."""
        return {
            "omni_vn_ward_id": ward.id,
            "city": ward.name,
            "state_id": ward.state_id.id,
            "country_id": ward.state_id.country_id.id,
        }

    @api.model
    def _omni_vn_sync_ward(self, vals):
        """The values with what a ward brings along (its name as city, its province): the ward is the
        reference, whoever writes it."""
        if not vals.get("omni_vn_ward_id"):
            return vals
        return dict(
            vals, **self._omni_vn_ward_fields(self.env["omni.vn.ward"].browse(vals["omni_vn_ward_id"]))
        )

    # ------------------------------------------------------------------ channels

    @api.model
    def _omni_contact_values(self, name, phone=None, email=None, address=None, channel=None, parent=None):
        """A channel buyer's Vietnamese address lands in the 2025 form (omni_channel_sync's hook)."""
        values = super()._omni_contact_values(
            name, phone=phone, email=email, address=address, channel=channel, parent=parent
        )
        if address and (address.country or "").upper() == "VN":
            values.update(
                self._omni_vn_address_values(
                    address.province, address.district, address.ward, street=address.street
                )
            )
        return values

    # ------------------------------------------------------------------ payloads

    def _omni_vn_address_lines(self):
        """``{street, ward, province, ward_code, province_code}`` of a Vietnamese address, 2025 form.

        For e-invoice and carrier payloads, which must name the 2025 units: a former address is converted
        on the fly (not written), and an address that cannot be mapped keeps its text.
        """
        self.ensure_one()
        ward, street2 = self.omni_vn_ward_id, self.street2
        if not ward:
            values = self._omni_vn_address_values(self.state_id, self.city, self.street2, street=self.street)
            ward = self.env["omni.vn.ward"].browse(values.get("omni_vn_ward_id"))
            street2 = values.get("street2", street2)
        province = ward.state_id or self.env["omni.vn.ward"]._omni_vn_province(self.state_id) or self.state_id
        return {
            "street": ", ".join(part for part in (self.street, street2 if ward else None) if part),
            "ward": ward.name or self.street2 or "",
            "province": province.name or "",
            "ward_code": ward.code or "",
            "province_code": province.omni_vn_code or "",
        }
