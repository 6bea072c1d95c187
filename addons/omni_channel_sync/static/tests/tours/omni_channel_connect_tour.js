import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("omni_channel_connect_tour", {
    steps: () => [
        {
            content: "The token's days left show beside the health",
            trigger: ".o_form_statusbar .o_field_widget[name=token_state]:contains('Token days left')",
        },
        {
            content: "The Connect wizard asks for what Shopee gives a seller",
            trigger: ".o_form_view button[name=action_open_connect]",
            run: "click",
        },
        {
            trigger: ".modal label:contains('Partner ID')",
        },
        {
            trigger: ".modal .o_field_widget[name=authorization_code] input",
        },
        {
            trigger: ".modal .modal-footer button:contains('Cancel')",
            run: "click",
        },
        {
            content: "Check the connection to the shop",
            trigger: "body:not(:has(.modal)) .o_form_view button[name=action_test_connection]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Connected to Omni Sandbox Shop')",
        },
        {
            content: "The channel is healthy",
            trigger: ".o_form_statusbar .o_field_widget[name=health]:contains('Healthy')",
        },
        {
            content: "Read the shop's catalog",
            trigger: ".o_form_view button[name=action_import_listings]",
            run: "click",
        },
        {
            content: "The catalog is read in the background: the manager does not wait for it",
            trigger: ".o_notification:contains('queued')",
        },
    ],
});
