import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_loyalty_liability_tour", {
    steps: () => [
        {
            content: "Omnichannel > Reporting > Points Liability opens on the pivot",
            trigger: ".o_pivot",
        },
        {
            content: "Look at the open lots in the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Khách Vàng Tour')",
        },
        {
            content: "Back to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot has loaded its rows before the search panel opens",
            trigger: ".o_pivot tbody tr:contains('Thành viên Tour')",
        },
        {
            content: "Group by tier, then by the channel the points were earned on",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_menu_item:contains('Tier')",
            run: "click",
        },
        {
            trigger: ".o_group_by_menu .o_menu_item:contains('Channel')",
            run: "click",
        },
        {
            trigger: ".o_facet_value:contains('Tier')",
        },
        {
            content: "The gold tier's points, earned on Tiki",
            trigger: ".o_pivot tbody tr:contains('Vàng Tour')",
        },
        {
            trigger: ".o_pivot tbody tr:contains('Tiki Tour'):contains('120')",
        },
    ],
});

registry.category("web_tour.tours").add("omni_loyalty_confirm_reward_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=order_line] .o_data_row:contains('Tour Áo')",
        },
        {
            content: "The quotation spends 100 points on its reward",
            trigger: ".o_field_widget[name=order_line] .o_data_row:contains('on your order')",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_statusbar button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
    ],
});

registry.category("web_tour.tours").add("omni_loyalty_card_history_tour", {
    steps: () => [
        {
            content: "Open the card's points ledger",
            trigger: ".o_notebook a.nav-link:contains('Points Ledger')",
            run: "click",
        },
        {
            content: "The redemption of the confirmed order is there",
            trigger: ".o_field_widget[name=omni_move_ids] .o_data_row:contains('Redeem'):contains('-100')",
        },
    ],
});
