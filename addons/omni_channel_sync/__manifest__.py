{
    "name": "Omnichannel Sync",
    "summary": "One business across stores, website, marketplaces and partner systems: "
    "channels, order import, cross-channel stock",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["sale_stock", "point_of_sale", "queue_job"],
    "external_dependencies": {"python": ["pydantic", "openpyxl"]},
    "data": [
        "security/omni_channel_sync_security.xml",
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/omni_menus.xml",
        "views/res_config_settings_views.xml",
        "wizards/omni_api_key_issue_views.xml",
        "wizards/omni_listing_match_views.xml",
        "wizards/omni_order_import_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_channel_sync/static/tests/tours/**/*"],
    },
    "installable": True,
    "application": True,
}
