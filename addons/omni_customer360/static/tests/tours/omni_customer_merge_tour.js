import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_customer_merge_tour", {
    steps: () => [
        {
            content: "Scan for duplicates in the background",
            trigger: "button[name=action_scan_duplicates]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('background')",
        },
        {
            content: "The pair found by the scan, with why it looks like one person",
            trigger: ".o_data_row:contains('Trương Văn Tour') .o_data_cell[name=explanation]:contains('Same phone')",
        },
        {
            content: "Merge them",
            trigger: ".o_data_row:contains('Trương Văn Tour') button[name=action_merge]",
            run: "click",
        },
        {
            content: "Keep the first customer",
            trigger: ".modal .o_field_widget[name=dst_partner_id] input",
        },
        {
            trigger: ".modal button[name=action_merge]",
            run: "click",
        },
        {
            content: "The merge is recorded",
            trigger: ".o_form_view .o_field_widget[name=source_partner_names]:contains('Truong Van Tour')",
        },
        {
            content: "Undo it",
            trigger: ".o_form_view button[name=action_undo]",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The customers are two again",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Undone')",
        },
    ],
});
