import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_campaign_tour", {
    steps: () => [
        {
            content: "A new campaign",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tết Sale",
        },
        {
            content: "20% off everything without a price of its own",
            trigger: ".o_form_view .o_field_widget[name=discount_percent] input",
            run: "edit 20",
        },
        {
            content: "Its products",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Túi vải",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Túi vải canvas')",
            run: "click",
        },
        {
            content: "Its channels",
            trigger: ".o_notebook .nav-link:contains('Channels')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=channel_line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=channel_line_ids] .o_data_row .o_field_widget[name=channel_id] input",
            run: "edit Lazada",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Lazada')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Start it: the channels get it at once, the pricelists for its window",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_start]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Scheduled')",
        },
        {
            content: "Each channel's answer",
            trigger: ".o_notebook .nav-link:contains('Channels')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=channel_line_ids] .o_data_row td[name=state]:contains('Scheduled')",
        },
        {
            trigger: ".o_field_widget[name=channel_line_ids] .o_data_row td[name=accepted_count]:contains('1')",
        },
        {
            content: "The stores' pricelist rules",
            trigger: ".o_notebook .nav-link:contains('Website, Stores and Back Office')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=pricelist_item_ids] .o_data_row td[name=fixed_price]:contains('96')",
        },
    ],
});
