import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_vn_einvoice_policy_tour", {
    steps: () => [
        {
            content: "The channel's E-invoices tab",
            trigger: ".o_notebook .nav-link:contains('E-invoices')",
            run: "click",
        },
        {
            content: "Its orders get their e-invoice once paid",
            trigger: ".o_field_widget[name=einvoice_trigger] select",
            run: 'select "payment"',
        },
        {
            content: "Under the SInvoice symbol registered for the channel",
            trigger: ".o_field_widget[name=einvoice_symbol_id] input",
            run: "edit K26TAA",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('K26TAA')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "Send the channel's e-invoices due now",
            trigger: "button[name=action_omni_einvoice_run]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('1 e-invoices sent')",
        },
    ],
});

registry.category("web_tour.tours").add("omni_vn_einvoice_failed_tour", {
    steps: () => [
        {
            content: "The orders whose e-invoice failed",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('E-invoice failed')",
            run: "click",
        },
        {
            content: "Only the order whose e-invoice failed is left",
            trigger: ".o_list_view .o_data_row:only-child:contains('SO-FAILED')",
        },
        {
            trigger: ".o_data_row:contains('SO-FAILED') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_list_selection_box",
        },
        {
            content: "Send its e-invoice again",
            trigger: ".o_cp_action_menus .dropdown-toggle:contains('Actions')",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Send E-invoices')",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('1 e-invoices sent')",
        },
        {
            content: "The order, its e-invoice sent",
            trigger: ".o_data_row:contains('SO-FAILED') .o_data_cell[name=name]",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Channel')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=omni_einvoice_state]:contains('Sent')",
        },
        {
            trigger: "button[name=action_omni_einvoice_view]:contains('1')",
        },
        {
            content: "Download its e-invoice PDF",
            trigger: "button[name=action_omni_einvoice_download]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=omni_einvoice_state]:contains('Sent')",
        },
    ],
});

registry.category("web_tour.tours").add("omni_vn_einvoice_pos_tour", {
    steps: () => [
        {
            content: "The store's receipts whose e-invoice failed",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('E-invoice failed')",
            run: "click",
        },
        {
            content: "Only the refused receipt is left",
            trigger: ".o_list_view .o_data_row:only-child:contains('POS-REFUSED')",
        },
        {
            trigger: ".o_data_row:contains('POS-REFUSED') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "SInvoice's reason, on the receipt",
            trigger: ".o_form_view .alert-danger:contains('buyerAddressLine')",
        },
        {
            trigger: ".o_back_button, .breadcrumb-item:first-child a",
            run: "click",
        },
        {
            content: "The receipts whose e-invoice is sent",
            trigger: ".o_searchview_facet:contains('E-invoice failed') .o_facet_remove",
            run: "click",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('E-invoice sent')",
            run: "click",
        },
        {
            trigger: ".o_data_row:contains('POS-SENT') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Its e-invoice number, under the cash-register symbol",
            trigger: ".o_form_view .o_field_widget[name=omni_einvoice_number]:contains('C26MAA')",
        },
        {
            content: "Download its e-invoice PDF",
            trigger: "button[name=action_omni_einvoice_download]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=omni_einvoice_state]:contains('Sent')",
        },
    ],
});
