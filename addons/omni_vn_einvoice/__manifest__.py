{
    "name": "Omnichannel Vietnam E-invoices",
    "summary": "An SInvoice (Viettel) e-invoice for every channel order, through Odoo's own "
    "l10n_vn_edi_viettel: per-channel policies, batches sent by a scheduled job, refunds as "
    "adjustments, cancellations, and the store's receipts from the cash register",
    "version": "18.0.1.0.0",
    "category": "Accounting/Localizations/EDI",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["l10n_vn_edi_viettel", "omni_channel_sync"],
    "data": [
        "data/res_partner_data.xml",
        "data/ir_cron_data.xml",
        "views/omni_channel_views.xml",
        "views/sale_order_views.xml",
        "views/pos_order_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_vn_einvoice/static/tests/tours/**/*"],
    },
    "installable": True,
}
