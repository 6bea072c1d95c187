from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestDuplicateMergeTour(HttpCase):
    def test_manager_merges_and_undoes_a_duplicate(self):
        new_test_user(
            self.env,
            "omni_c360_merge_tour_manager",
            groups="base.group_user,omni_channel_sync.group_manager",
        )
        Partner = self.env["res.partner"]
        kept = Partner.create({"name": "Trương Văn Tour", "phone": "0917888999"})
        duplicate = Partner.create({"name": "Truong Van Tour", "phone": "+84 917 888 999"})
        self.env["omni.merge.candidate"]._scan_duplicates()
        self.start_tour(
            "/odoo/action-omni_customer360.omni_merge_candidate_action",
            "omni_customer_merge_tour",
            login="omni_c360_merge_tour_manager",
        )
        audit = self.env["omni.customer.merge.audit"].search([("dst_partner_id", "=", kept.id)])
        self.assertEqual(audit.state, "undone")
        self.assertTrue(duplicate.active)
        self.assertTrue(self.env["queue.job"].search([("method_name", "=", "_scan_duplicates")]))
