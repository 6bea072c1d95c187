import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_stock_hold_tour", {
    steps: () => [
        {
            content: "The channel's allocation policy is on its Stock tab",
            trigger: ".o_notebook_headers a[name=stock]",
            run: "click",
        },
        {
            content: "Keep two units back from this channel",
            trigger: ".o_field_widget[name=stock_buffer] input",
            run: "edit 2",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Preview what the channel would be sent",
            trigger: ".o_form_saved button[name=action_open_allocation_preview]",
            run: "click",
        },
        {
            content: "10 free, 3 held, buffer 2: 5 to sell",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Tour Hold Tee') .o_data_cell[name=ats]:contains('5')",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Tour Hold Tee') .o_data_cell[name=held_qty]:contains('3')",
        },
        {
            content: "Back to the channel",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour Hold Shop')",
            run: "click",
        },
        {
            content: "Its active holds",
            trigger: "button[name=action_open_holds]",
            run: "click",
        },
        {
            content: "Release the cart's hold",
            trigger: ".o_data_row:contains('TOUR-CART') button[name=action_release]",
            run: "click",
        },
        {
            content: "Nothing is held any more",
            trigger: ".o_view_nocontent",
        },
    ],
});
