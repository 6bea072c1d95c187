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

    def test_program_menu_only_for_who_can_open_programs(self):
        # An Omnichannel manager who is no sales manager may not read loyalty programs.
        omni_manager = new_test_user(self.env, "omni_manager_only", groups="omni_channel_sync.group_manager")
        menu = self.env.ref("omni_loyalty.omni_loyalty_menu")
        for user in (omni_manager, self.manager):
            Menu = self.env["ir.ui.menu"].with_user(user)
            self.assertEqual(
                menu.id in Menu._visible_menu_ids(),
                self.env["loyalty.program"].with_user(user).has_access("read"),
                user.login,
            )

    def test_open_card_button_for_who_can_read_cards(self):
        omni_user = new_test_user(self.env, "omni_user_only", groups="omni_channel_sync.group_user")
        salesman = new_test_user(self.env, "loy_menu_salesman", groups="sales_team.group_sale_salesman")
        view = self.env.ref("base.view_partner_form")
        for user in (omni_user, salesman):
            arch = self.env["res.partner"].with_user(user).get_view(view.id)["arch"]
            self.assertIn('name="omni_loyalty"', arch, "both see the loyalty tab")
            self.assertEqual(
                "action_open_omni_loyalty_card" in arch,
                self.env["loyalty.card"].with_user(user).has_access("read"),
                user.login,
            )

    def test_pos_manager_opens_a_loyalty_program(self):
        """Point of Sale > Products > Discount & Loyalty opens the programs with their tiers and rules."""
        pos_manager = new_test_user(
            self.env, "loy_pos_manager", groups="base.group_user,point_of_sale.group_pos_manager"
        )
        program = self.env["loyalty.program"].create({"name": "Thành viên PoS", "program_type": "loyalty"})
        self.env["omni.loyalty.tier"].create({"program_id": program.id, "name": "Vàng", "threshold": 1000})
        self.env["omni.loyalty.earn.rule"].create({"program_id": program.id, "rate": 2})
        Program = self.env["loyalty.program"].with_user(pos_manager)
        values = Program.browse(program.id).web_read(
            {
                "omni_tier_ids": {"fields": {"name": {}, "threshold": {}}},
                "omni_earn_rule_ids": {"fields": {"rate": {}, "multiplier_ids": {"fields": {}}}},
            }
        )[0]
        self.assertEqual(values["omni_tier_ids"][0]["name"], "Vàng")
        self.assertEqual(values["omni_earn_rule_ids"][0]["rate"], 2)
        Program.browse(program.id).omni_tier_ids.threshold = 2000

    def test_branch_reads_what_its_parent_company_configured(self):
        """A branch sees its parent company's program (Odoo's own rule): its tiers, rules and moves too;
        another company sees none of them."""
        parent = self.env.company
        branch = self.env["res.company"].create({"name": "Chi nhánh Hà Nội", "parent_id": parent.id})
        other = self.env["res.company"].create({"name": "Công ty khác"})
        program = self.env["loyalty.program"].create(
            {"name": "Thành viên chung", "program_type": "loyalty", "company_id": parent.id}
        )
        tier = self.env["omni.loyalty.tier"].create(
            {"program_id": program.id, "name": "Vàng", "threshold": 1}
        )
        rule = self.env["omni.loyalty.earn.rule"].create({"program_id": program.id, "rate": 2})
        category = self.env["product.category"].create({"name": "Giày dép"})
        multiplier = self.env["omni.loyalty.earn.multiplier"].create(
            {"rule_id": rule.id, "categ_id": category.id}
        )
        partner = self.env["res.partner"].create({"name": "Khách chi nhánh"})
        card = self.env["loyalty.card"].create({"partner_id": partner.id, "program_id": program.id})
        move = card._omni_post("earn", 10, "branch-earn")
        for company, sees in ((branch, True), (other, False)):
            user = new_test_user(
                self.env,
                f"loy_manager_{company.id}",
                groups="sales_team.group_sale_manager,omni_channel_sync.group_user",
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )
            for record in (program, tier, rule, multiplier, card, move):
                self.assertEqual(
                    bool(record.with_user(user).search([("id", "=", record.id)])),
                    sees,
                    f"{record._name} for {company.name}",
                )
