{
    "name": "Omnichannel Vietnam Carriers (GHN, GHTK)",
    "summary": "GHN and GHTK as delivery carriers: fees, waybills and labels, status pushes, "
    "cash on delivery reconciled from their statements, parcels returned to the sender, batch labels",
    "version": "18.0.1.0.0",
    "category": "Inventory/Delivery",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["stock_delivery", "omni_channel_sync", "omni_customer360", "omni_loyalty", "omni_vn_address"],
    "data": [
        "security/ir.model.access.csv",
        "security/omni_vn_carrier_security.xml",
        "data/ir_cron.xml",
        "views/delivery_carrier_views.xml",
        "views/stock_picking_views.xml",
        "views/sale_order_views.xml",
        "views/omni_carrier_event_views.xml",
        "views/omni_carrier_cod_line_views.xml",
        "wizards/omni_carrier_cod_import_views.xml",
        "views/omni_vn_carrier_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_vn_carrier/static/tests/tours/**/*"],
    },
    "installable": True,
}
