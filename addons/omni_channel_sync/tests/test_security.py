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

    def test_channel_counters_open_for_users_without_sales_rights(self):
        """The channel form's counters are the channel's own: a user who may read the channel but
        not sale orders or the inbox (an Omnichannel user without Sales, a warehouse user) sees them."""
        pricelist = self.env["product.pricelist"].create({"name": "Counters"})
        channel = self.env["omni.channel"].create(
            {"name": "Counters", "code": "counters", "pricelist_id": pricelist.id}
        )
        self.assertFalse(self.omni_user.has_group("sales_team.group_sale_salesman"))
        counters = channel.with_user(self.omni_user).read(
            ["order_count_today", "inbox_failed_count", "listing_count"]
        )
        self.assertEqual(counters[0]["order_count_today"], 0)
