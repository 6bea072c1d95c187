import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_stock_warehouse_tour", {
    steps: () => [
        {
            content: "The deliveries of one shop",
            trigger: ".o_searchview_input",
            run: "edit Tour Shopee",
        },
        {
            trigger: ".o_menu_item.dropdown-item:contains(Sales Channel):contains(Tour Shopee)",
            run: "click",
        },
        {
            content: "Channel deliveries: the one past its ship-by deadline comes first",
            trigger: ".o_list_view .o_data_row:first-child .o_data_cell:contains('TOUR-2')",
        },
        {
            trigger: ".o_list_view .o_data_row:nth-child(2) .o_data_cell:contains('TOUR-1')",
        },
        {
            content: "Open the click-and-collect orders",
            trigger: ".o_main_navbar button:contains('Operations')",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains('Click and Collect')",
            run: "click",
        },
        {
            content: "The order to prepare in the store",
            trigger: ".o_kanban_group:contains('Preparing') .o_kanban_record:contains('Khách Nhận Tại Cửa Hàng')",
            run: "click",
        },
        {
            content: "The goods are set aside",
            trigger: "button[name=action_omni_ready_for_pickup]",
            run: "click",
        },
        {
            content: "Tell the customer",
            trigger: "button[name=action_omni_notify_pickup]",
            run: "click",
        },
        {
            trigger: ".o-mail-Message:contains('is ready for pickup at')",
        },
        {
            content: "The customer came: hand the goods over",
            trigger: "button[name=action_omni_handover]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Collected, the delivery done",
            trigger: "div[name=omni_pickup] .o_field_widget[name=omni_pickup_state]:contains('Collected')",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});

registry.category("web_tour.tours").add("omni_stock_product_channels_tour", {
    steps: () => [
        {
            content: "Open the product's Channels tab",
            trigger: ".o_notebook .nav-link:contains('Channels')",
            run: "click",
        },
        {
            content: "What each channel may sell, holds and the last push",
            trigger: ".o_field_widget[name=omni_listing_ids] .o_data_row:contains('Tour Shopee'):contains('TOUR-SP-TEE'):has(.o_data_cell[name=available_to_sell]:contains('5')):has(.o_data_cell[name=held_qty]:contains('2'))",
        },
        {
            trigger: ".o_field_widget[name=omni_listing_ids] .o_data_row:contains('Tour Shopee') .o_data_cell[name=last_pushed_qty]:contains('7')",
        },
    ],
});
