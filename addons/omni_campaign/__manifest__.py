{
    "name": "Omnichannel Campaigns",
    "summary": "One promotion on every channel at once: marketplaces' and stores' promotions, the "
    "website's, stores' and back office's pricelists, started and ended on time, price parity",
    "version": "18.0.1.0.0",
    "category": "Sales/Omnichannel",
    "author": "Omni Retail",
    "license": "LGPL-3",
    "depends": ["omni_channel_sync", "omni_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/omni_campaign_security.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/omni_campaign_views.xml",
        "views/omni_campaign_parity_views.xml",
        "views/omni_campaign_menus.xml",
        "views/omni_campaign_results_views.xml",
        "report/omni_channel_report_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["omni_campaign/static/tests/tours/**/*"],
    },
    "installable": True,
}
