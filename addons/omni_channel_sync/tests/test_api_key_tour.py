from odoo.addons.base.models.res_users import name_selection_groups
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestApiKeyTour(HttpCase):
    def test_manager_creates_an_api_account_and_issues_its_key(self):
        self.start_tour(
            "/odoo/action-omni_channel_sync.omni_api_key_issue_action", "omni_api_key_tour", login="admin"
        )
        integrator = self.env["res.users"].search([("login", "=", "partner-system")])
        self.assertTrue(integrator.share)
        self.assertTrue(integrator.has_group("omni_channel_sync.group_integrator"))
        self.assertEqual(self.env["res.users.apikeys"].search_count([("user_id", "=", integrator.id)]), 1)


@tagged("post_install", "-at_install")
class TestAccessOnUserForm(TransactionCase):
    def test_levels_and_integrator_role_without_debug_mode(self):
        """Like Sales or Inventory: a selection per application, not checkboxes behind debug mode."""
        admin = new_test_user(self.env, "rights_admin", groups="base.group_user,base.group_erp_manager")
        self.assertFalse(admin.has_group("base.group_no_one"))
        arch = (
            self.env["res.users"].with_user(admin).get_view(self.env.ref("base.view_users_form").id)["arch"]
        )
        ladder = self.env.ref("omni_channel_sync.group_user") | self.env.ref(
            "omni_channel_sync.group_manager"
        )
        self.assertIn(f'name="{name_selection_groups(ladder.ids)}"', arch)
        integrator = self.env.ref("omni_channel_sync.group_integrator")
        self.assertIn(f'name="{name_selection_groups(integrator.ids)}"', arch)
