import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_vn_address_convert_tour", {
    steps: () => [
        {
            content: "Select the two contacts of the former map",
            trigger: ".o_data_row:contains('Nguyễn Văn Tour') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('Trần Thị Tour') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Actions",
            trigger: ".o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Convert addresses to the 2025 map')",
            run: "click",
        },
        {
            content: "Convert the selected contacts",
            trigger: ".modal button[name=action_convert]",
            run: "click",
        },
        {
            content: "One converted, one to fix by hand",
            trigger: ".modal .o_field_widget[name=converted_count]:contains('1')",
        },
        {
            trigger: ".modal .o_field_widget[name=failed_partner_ids] .o_data_row:contains('Trần Thị Tour')",
        },
        {
            trigger: ".modal button[name=action_open_failed]",
            run: "click",
        },
        {
            content: "The address to fix",
            trigger: ".o_breadcrumb .active:contains('Addresses to fix')",
        },
        {
            trigger: ".o_list_view .o_data_cell:contains('Trần Thị Tour')",
            run: "click",
        },
        {
            content: "Pick its ward of the 2025 map, its name typed without accents",
            trigger: ".o_form_view .o_field_widget[name=omni_vn_ward_id] input",
            run: "edit thu dau mot",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Phường Thủ Dầu Một')",
            run: "click",
        },
        {
            content: "The ward brings its province; the district is gone",
            trigger: ".o_form_view .o_field_widget[name=state_id] input:value('Hồ Chí Minh')",
        },
        {
            trigger: ".o_form_view:not(:has(.o_field_widget[name=city]:visible))",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
    ],
});
