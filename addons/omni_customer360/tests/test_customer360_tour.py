from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged

from .metrics_common import MetricsDataMixin


@tagged("post_install", "-at_install", "omni_tour")
class TestCustomer360Tour(MetricsDataMixin, HttpCase):
    def test_user_sees_a_champion_across_channels(self):
        new_test_user(self.env, "omni_c360_tour_user", groups="omni_channel_sync.group_user")
        with freeze_time("2026-11-20 10:00:00"):
            self.setup_metrics_data()
            self.setup_customers()
            self.env["omni.customer.identity"].create(
                {
                    "partner_id": self.customer.id,
                    "kind": "buyer_id",
                    "channel_id": self.shopee.id,
                    "value": "hoa-shopee-77",
                }
            )
            self.env["res.partner"]._omni_compute_metrics()
        self.assertEqual(self.customer.omni_segment, "champions")
        self.start_tour(
            "/odoo/action-omni_customer360.omni_customer_action",
            "omni_customer360_tour",
            login="omni_c360_tour_user",
        )
