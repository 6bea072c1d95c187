import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_api_key_tour", {
    steps: () => [
        {
            content: "No API account yet: create one for the partner system",
            trigger: ".o_field_widget[name=new_user_name] input",
            run: "edit Partner System",
        },
        {
            trigger: ".o_field_widget[name=new_user_login] input",
            run: "edit partner-system",
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
