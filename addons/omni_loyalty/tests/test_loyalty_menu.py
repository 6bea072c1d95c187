from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestLoyaltyMenu(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "omni_manager", groups="omni_channel_sync.group_manager,sales_team.group_sale_manager"
        )
        cls.action = cls.env.ref("omni_loyalty.omni_loyalty_program_action")

    def test_action_lists_loyalty_programs_only(self):
        Program = self.env["loyalty.program"].with_user(self.manager)
        loyalty = Program.create({"name": "Thành viên", "program_type": "loyalty"})
        promo = Program.create({"name": "Khuyến mãi", "program_type": "promotion"})
        found = Program.search(safe_eval(self.action.domain))
        self.assertIn(loyalty, found)
        self.assertNotIn(promo, found)

    def test_new_program_from_menu_is_a_loyalty_program(self):
        Program = self.env["loyalty.program"].with_user(self.manager)
        program = Program.with_context(**safe_eval(self.action.context)).create(
            {"name": "Khách hàng thân thiết"}
        )
        self.assertEqual(program.program_type, "loyalty")
