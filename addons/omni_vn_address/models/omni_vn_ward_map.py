from odoo import fields, models


class OmniVnWardMap(models.Model):
    """One ward of the former three-level map and the ward of the 2025 map it became.

    A ward split between several new wards has one row per part; the default row is the part that took
    most of it, the one an address without more detail converts to.
    """

    _name = "omni.vn.ward.map"
    _description = "Former Vietnamese Ward"
    _order = "old_province_code, old_district_code, old_ward_code, id"

    old_ward_code = fields.Char(string="Former Ward Code", index=True, readonly=True)
    old_ward = fields.Char(string="Former Ward", readonly=True)
    old_district_code = fields.Char(string="Former District Code", readonly=True)
    old_district = fields.Char(string="Former District", readonly=True)
    old_province_code = fields.Char(string="Former Province Code", readonly=True)
    old_state_id = fields.Many2one("res.country.state", string="Former Province", readonly=True)
    ward_id = fields.Many2one(
        "omni.vn.ward", string="Ward (2025)", required=True, ondelete="cascade", readonly=True
    )
    is_default = fields.Boolean(
        string="Default", readonly=True, help="Where an address in this former ward goes when it was split."
    )
