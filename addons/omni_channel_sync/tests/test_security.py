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

    def test_odoo_records_read_whole_with_our_fields(self):
        """Whoever may read an Odoo record may read all its fields, as the web client and Odoo's
        own tests do: a list of our records that our addons add to Odoo's models carries the
        groups of those who may read them."""
        roles = (
            "base.group_user",
            "sales_team.group_sale_salesman",
            "sales_team.group_sale_salesman_all_leads",
            "stock.group_stock_user",
            "point_of_sale.group_pos_user",
            "account.group_account_invoice",
        )
        users = [new_test_user(self.env, f"reader_{role}", groups=role) for role in roles]
        unreadable = []
        for model in self.env.values():
            if model._name.startswith("omni.") or model._abstract or model._transient:
                continue
            ours = [
                field
                for field in model._fields.values()
                if field.type in ("one2many", "many2many")
                and any(module.startswith("omni_") for module in field._modules or ())
            ]
            for user, field in ((user, field) for user in users for field in ours):
                as_user = model.with_user(user)
                if not as_user.has_access("read") or not field.is_accessible(as_user.env):
                    continue
                if not self.env[field.comodel_name].with_user(user).has_access("read"):
                    unreadable.append(f"{model._name}.{field.name} ({user.login})")
        self.assertEqual(unreadable, [])
