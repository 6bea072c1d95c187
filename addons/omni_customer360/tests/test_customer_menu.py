from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestCustomerMenu(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.omni_user = new_test_user(cls.env, "omni_user", groups="omni_channel_sync.group_user")
        cls.action = cls.env.ref("omni_customer360.omni_customer_action")

    def test_customers_menu_lists_customers_only(self):
        buyer = self.env["res.partner"].create({"name": "Nguyễn Văn An", "customer_rank": 1})
        vendor = self.env["res.partner"].create({"name": "Nhà cung cấp", "supplier_rank": 1})
        found = self.env["res.partner"].with_user(self.omni_user).search(safe_eval(self.action.domain))
        self.assertIn(buyer, found)
        self.assertNotIn(vendor, found)

    def test_omnichannel_users_see_customers(self):
        menu = self.env.ref("omni_customer360.omni_customer_menu")
        visible = self.env["ir.ui.menu"].with_user(self.omni_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertIn(self.env.ref("omni_channel_sync.omni_menu_root").id, visible)
