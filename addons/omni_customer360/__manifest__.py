{
    "name": "Omnichannel Customer 360",
    "summary": "One customer across channels: identities, merges, history, RFM and lifetime value",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["omni_channel_sync"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/ir.model.access.csv",
        "security/omni_customer360_security.xml",
        "data/omni_customer_blocked_value_data.xml",
        "views/omni_customer_menus.xml",
        "views/omni_customer_identity_views.xml",
    ],
    "installable": True,
}
