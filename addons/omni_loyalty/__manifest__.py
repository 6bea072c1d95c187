{
    "name": "Omnichannel Loyalty",
    "summary": "One loyalty program on every channel, on an append-only points ledger",
    "version": "18.0.1.1.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["omni_customer360", "loyalty", "sale_loyalty", "pos_loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "security/omni_loyalty_security.xml",
        "data/ir_cron_data.xml",
        "views/loyalty_program_views.xml",
        "views/loyalty_card_views.xml",
        "views/omni_loyalty_move_views.xml",
        "views/omni_loyalty_menus.xml",
    ],
    "installable": True,
}
