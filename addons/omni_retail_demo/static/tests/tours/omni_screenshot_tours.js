import { registry } from "@web/core/registry";

// Each tour brings one screen of the demo shop to what its picture in docs/screenshots/ shows
// (scripts/screenshots.sh). Selectors, not words: the pictures are taken in Vietnamese.
const loaded = (trigger) => ({ trigger: `.o_action_manager ${trigger}` });
const openTab = (name) => [
    { trigger: `.o_notebook a.nav-link[name=${name}]`, run: "click" },
    { trigger: `.o_notebook a.nav-link.active[name=${name}]` },
];

const screens = {
    omni_shot_dashboard: [loaded(".o_kanban_record:contains('Shopee VN')")],
    omni_shot_inbox: [loaded(".o_data_row")],
    omni_shot_channel: [loaded(".o_form_view .o_field_widget[name=name]"), ...openTab("stock")],
    omni_shot_allocation: [loaded(".o_form_view .o_field_widget[name=line_ids] .o_data_row")],
    omni_shot_customer: [
        loaded(".o_form_view .o_field_widget[name=name]"),
        ...openTab("omni_customer360"),
        { trigger: ".o_field_widget[name=omni_segment_reason]:not(:empty)" },
    ],
    omni_shot_loyalty: [loaded(".o_form_view .o_field_widget[name=name]"), ...openTab("omni_tiers")],
    omni_shot_liability: [loaded(".o_pivot tbody tr")],
    omni_shot_performance: [loaded(".o_pivot tbody tr")],
    omni_shot_deliveries: [loaded(".o_data_row")],
    omni_shot_product: [loaded(".o_form_view .o_field_widget[name=name]"), ...openTab("omni_channels")],
};

for (const [name, steps] of Object.entries(screens)) {
    registry.category("web_tour.tours").add(name, { steps: () => steps });
}
