import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_vn_carrier_warehouse_tour", {
    steps: () => [
        {
            content: "Validate the delivery: the waybill is booked with GHN",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]:not(.o_invisible_modifier)",
            run: "click",
        },
        {
            content: "Its waybill and parcel status, with the carrier's details",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Additional Info')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=omni_carrier_status]:contains('Booked')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=omni_carrier_cod_amount]:contains('380')",
        },
        {
            content: "Back to the deliveries",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The parcels to hand over to the carrier",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('Parcels to Hand Over')",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains('Parcels to Hand Over')",
        },
        {
            content: "The parcel just booked, alone",
            trigger: ".o_list_view .o_data_row:only-child .o_data_cell:contains('Booked')",
        },
        {
            trigger: ".o_data_row .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_list_selection_box",
        },
        {
            content: "Print their labels as one PDF",
            trigger: ".o_cp_action_menus .dropdown-toggle:contains('Actions')",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Print Carrier Labels')",
            run: "click",
        },
        {
            content: "Hand them over to the driver",
            trigger: ".o_list_selection_box",
        },
        {
            trigger: ".o_cp_action_menus .dropdown-toggle:contains('Actions')",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Hand Over to Carrier')",
            run: "click",
        },
        {
            content: "No parcel is left to hand over",
            trigger: ".o_list_view:not(:has(.o_data_row))",
        },
    ],
});
