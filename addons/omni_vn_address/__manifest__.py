{
    "name": "Omnichannel Vietnam 2025 Addresses",
    "summary": "Vietnam's two-level map of 2025 (34 provinces, their wards) on addresses, "
    "and the conversion of addresses of the former map from channels, files and contacts",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["contacts", "omni_channel_sync"],
    "data": [
        "security/ir.model.access.csv",
        "data/res_country_state_data.xml",
        "data/omni_vn_ward_data.xml",
        "views/omni_vn_ward_views.xml",
        "views/res_country_state_views.xml",
        "views/res_partner_views.xml",
        "wizards/omni_vn_address_convert_views.xml",
        "views/omni_vn_address_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_vn_address/static/tests/tours/**/*"],
    },
    # Loaded by omni.vn.ward._omni_vn_load_data (plain SQL), not by Odoo's CSV loader.
    "oca_data_manual": ["data/omni_vn_ward.csv", "data/omni_vn_ward_map.csv"],
    "installable": True,
}
