import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

// What a partner system sends: one SKU Odoo knows, one it does not.
const ORDER = {
    external_id: "TOUR-1",
    status: "unpaid",
    currency: "USD",
    customer: { name: "Phạm Minh Châu", email: "chau@example.vn" },
    lines: [
        { sku: "TOUR-TEE", quantity: 1, unit_price: 10 },
        { sku: "TOUR-NEW", quantity: 2, unit_price: 5 },
    ],
};

registry.category("web_tour.tours").add("omni_channel_inbox_tour", {
    steps: () => [
        {
            content: "Create a channel for a partner system",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: "edit Cửa hàng đối tác",
        },
        {
            trigger: ".o_field_widget[name=code] input",
            run: "edit tour_api",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The partner system sends an order",
            trigger: ".o_breadcrumb:contains('Cửa hàng đối tác')",
            async run() {
                await rpc("/web/dataset/call_kw/omni.channel/api_ingest_orders", {
                    model: "omni.channel",
                    method: "api_ingest_orders",
                    args: ["tour_api", [ORDER]],
                    kwargs: {},
                });
            },
        },
        {
            content: "Open the channel's inbox",
            trigger: "button[name=action_open_inbox]",
            run: "click",
        },
        {
            content: "The order waits there: one SKU is unknown",
            trigger: ".o_data_row:contains('Needs Attention') .o_data_cell[name=external_id]:contains('TOUR-1')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=error]:contains('TOUR-NEW')",
        },
        {
            content: "Match the unknown SKU",
            trigger: "button[name=action_match_listings]",
            run: "click",
        },
        {
            trigger: ".modal .o_data_row:contains('TOUR-NEW') .o_data_cell[name=product_id]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=product_id] input",
            run: "edit Tour Mug",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour Mug')",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The order is imported",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            trigger: ".o_field_widget[name=sale_order_id] a",
            run: "click",
        },
        {
            content: "Its sale order knows the channel",
            trigger: ".o_notebook a.nav-link[name=omni_channel]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_external_ref]:contains('TOUR-1')",
        },
        {
            trigger: ".o_field_widget[name=omni_channel_id]:contains('Cửa hàng đối tác')",
        },
    ],
});
