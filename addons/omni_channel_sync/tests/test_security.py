from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOmniSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.omni_user = new_test_user(cls.env, "omni_user", groups="omni_channel_sync.group_user")
        cls.omni_manager = new_test_user(cls.env, "omni_manager", groups="omni_channel_sync.group_manager")
        cls.integrator = new_test_user(
            cls.env, "omni_integrator", groups="base.group_portal,omni_channel_sync.group_integrator"
        )
        cls.root_menu = cls.env.ref("omni_channel_sync.omni_menu_root")

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_manager_is_a_user(self):
        self.assertTrue(self.omni_manager.has_group("omni_channel_sync.group_user"))
        self.assertFalse(self.omni_user.has_group("omni_channel_sync.group_manager"))

    def test_integrator_is_not_an_employee(self):
        """An API account must not inherit the employee's read access to the whole database."""
        self.assertFalse(self.integrator.has_group("base.group_user"))
        self.assertTrue(self.integrator.share)
        with self.assertRaises(AccessError):
            self.env["stock.quant"].with_user(self.integrator).search([])

    def test_top_menu_is_for_omnichannel_users_only(self):
        self.assertIn(self.root_menu.id, self._visible_menus(self.omni_user))
        plain = new_test_user(self.env, "plain_employee", groups="base.group_user")
        self.assertNotIn(self.root_menu.id, self._visible_menus(plain))
        with self.assertRaises(AccessError):
            self._visible_menus(self.integrator)

    def test_configuration_menu_is_for_managers(self):
        config = self.env.ref("omni_channel_sync.omni_menu_config")
        self.assertNotIn(config.id, self._visible_menus(self.omni_user))
