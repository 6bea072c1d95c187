{
    "name": "Omnichannel Stock",
    "summary": "Cross-channel stock allocation, reservations with a time-to-live, stock push to every "
    "channel, click and collect, and the warehouse screens",
    "version": "18.0.1.0.0",
    "category": "Inventory/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["omni_channel_sync", "sale_stock", "queue_job"],
    "data": [],
    "assets": {
        "web.assets_tests": ["omni_stock/static/tests/tours/**/*"],
    },
    "installable": True,
}
