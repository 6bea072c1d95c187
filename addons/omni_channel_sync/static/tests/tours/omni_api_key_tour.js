import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_api_key_tour", {
    steps: () => [
        {
            content: "Choose the integrator",
            trigger: ".o_field_widget[name=user_id] input",
            run: "edit Partner System",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Partner System')",
            run: "click",
        },
        {
            content: "Issue the key",
            trigger: "button[name=action_issue]",
            run: "click",
        },
        {
            content: "The key is shown once, with a warning to copy it",
            trigger: ".modal .alert-warning:contains('Copy this key now')",
        },
        {
            trigger: ".modal .o_field_widget[name=key] span:not(:empty)",
        },
    ],
});
