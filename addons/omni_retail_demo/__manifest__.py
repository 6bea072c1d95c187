{
    "name": "Omnichannel Retail Demo",
    "summary": "The demo of make run: a Vietnamese retailer (VND, Vietnamese accounting, a warehouse "
    "and two stores) selling on every channel, with months of orders, customers and loyalty",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": [
        "l10n_vn",
        "omni_stock",
        "omni_campaign",
        "omni_loyalty",
        "omni_vn_address",
        "omni_vn_einvoice",
        "omni_vn_carrier",
    ],
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_tests": ["omni_retail_demo/static/tests/tours/**/*"],
    },
    "installable": True,
}
