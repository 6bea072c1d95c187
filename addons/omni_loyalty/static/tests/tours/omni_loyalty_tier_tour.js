import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";

function callKw(model, method, args) {
    return rpc(`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs: {} });
}

registry.category("web_tour.tours").add("omni_loyalty_tier_tour", {
    steps: () => [
        {
            content: "Open the program",
            trigger: ".o_data_row .o_data_cell:contains('Thành viên Tour')",
            run: "click",
        },
        {
            content: "Add a tier",
            trigger: ".o_notebook a.nav-link[name=omni_tiers]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_tier_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_tier_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Vàng",
        },
        {
            trigger: ".o_field_widget[name=omni_tier_ids] .o_data_row .o_field_widget[name=threshold] input",
            run: "edit 1000000",
        },
        {
            trigger: ".o_field_widget[name=omni_tier_ids] .o_data_row .o_field_widget[name=earn_multiplier] input",
            run: "edit 2",
        },
        {
            content: "Add a rule for the marketplace",
            trigger: ".o_notebook a.nav-link[name=omni_earn_rules]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_earn_rule_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=channel_id] input",
            run: "edit Tour Shopee",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Tour Shopee')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=rate] input",
            run: "edit 3",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_earn_rule_ids] .o_data_row:contains('Tour Shopee')",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The customer buys 1,500,000 on the marketplace, then the manager opens the customer",
            trigger: ".o_form_saved",
            async run() {
                const [customer] = await callKw("res.partner", "search_read", [
                    [["name", "=", "Khách Tour"]],
                    ["id"],
                ]);
                await callKw("loyalty.card", "api_loyalty_earn", [
                    "tour_shopee",
                    customer.id,
                    1500000,
                    "TOUR-EARN-1",
                ]);
                window.location.href = `/odoo/action-base.action_partner_form/${customer.id}`;
            },
        },
        {
            trigger: ".o_notebook a.nav-link[name=omni_loyalty]",
            run: "click",
        },
        {
            content: "Available, pending and tier",
            trigger: ".o_field_widget[name=omni_loyalty_available]:contains('4,500')",
        },
        {
            trigger: ".o_field_widget[name=omni_loyalty_pending]:contains('120')",
        },
        {
            trigger: ".o_field_widget[name=omni_loyalty_tier_id]:contains('Vàng')",
        },
        {
            trigger: ".o_field_widget[name=omni_loyalty_move_ids] .o_data_row:contains('TOUR-EARN-1')",
        },
        {
            content: "Open the card",
            trigger: "button[name=action_open_omni_loyalty_card]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=omni_tier_id]:contains('Vàng')",
        },
    ],
});
