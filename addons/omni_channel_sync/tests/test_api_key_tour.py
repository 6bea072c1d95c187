from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestApiKeyTour(HttpCase):
    def test_manager_issues_an_api_key(self):
        integrator = new_test_user(
            self.env,
            "partner_system",
            name="Partner System",
            groups="base.group_portal,omni_channel_sync.group_integrator",
        )
        self.start_tour(
            "/odoo/action-omni_channel_sync.omni_api_key_issue_action", "omni_api_key_tour", login="admin"
        )
        self.assertEqual(self.env["res.users.apikeys"].search_count([("user_id", "=", integrator.id)]), 1)
