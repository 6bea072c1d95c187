{
    "name": "Omnichannel Loyalty",
    "summary": "One loyalty program on every channel, on an append-only points ledger",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["omni_customer360", "loyalty", "sale_loyalty", "pos_loyalty"],
    "data": [
        "views/omni_loyalty_menus.xml",
    ],
    "installable": True,
}
