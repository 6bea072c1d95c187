import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_customer360_tour", {
    steps: () => [
        {
            content: "Omnichannel > Customers lists the customers with their metrics",
            trigger: ".o_breadcrumb:contains('Customers')",
        },
        {
            trigger: ".o_list_renderer th[data-name=omni_segment]",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep the Champions",
            trigger: ".o_filter_menu .o_menu_item:contains('Champions')",
            run: "click",
        },
        {
            trigger: ".o_facet_value:contains('Champions')",
        },
        {
            content: "Open the customer who buys on two channels and at the shop",
            trigger: ".o_data_row .o_data_cell[name=name]:contains('Nguyễn Thị Hoa')",
            run: "click",
        },
        {
            content: "Open the Omnichannel tab",
            trigger: ".o_notebook a.nav-link[name=omni_customer360]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_segment]:contains('Champions')",
        },
        {
            content: "The segment says why, in words",
            trigger: ".o_field_widget[name=omni_segment_reason]:contains('spends the most')",
        },
        {
            // The scores depend on every customer in the database: each is out of 5.
            trigger: ".o_field_widget[name=omni_rfm_recency]:not(:empty)",
        },
        {
            content: "Orders on each channel",
            trigger: ".o_field_widget[name=omni_channel_stat_ids] .o_data_row:contains('Shopee C360')",
        },
        {
            trigger: ".o_field_widget[name=omni_channel_stat_ids] .o_data_row:contains('Lazada C360')",
        },
        {
            content: "The ways the customer is recognized",
            trigger: ".o_field_widget[name=omni_identity_ids] .o_data_row:contains('hoa-shopee-77')",
        },
        {
            content: "The timeline of the customer's touchpoints",
            trigger: ".o_field_widget[name=omni_touchpoint_ids] .o_data_row:contains('C360-LZD-2'):contains('Return')",
        },
        {
            trigger: ".o_field_widget[name=omni_touchpoint_ids] .o_data_row:contains('POS Refund')",
        },
    ],
});
