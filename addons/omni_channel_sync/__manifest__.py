{
    "name": "Omnichannel Sync",
    "summary": "One business across stores, website, marketplaces and partner systems: "
    "channels, order import, cross-channel stock",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["sale_stock", "point_of_sale", "queue_job"],
    "data": [
        "security/omni_channel_sync_security.xml",
        "security/ir.model.access.csv",
        "views/omni_menus.xml",
        "wizards/omni_api_key_issue_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_channel_sync/static/tests/tours/**/*"],
    },
    "installable": True,
    "application": True,
}
