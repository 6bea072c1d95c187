from odoo.tests import Form, TransactionCase, new_test_user, tagged, users
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestAddressConversion(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vn = cls.env.ref("base.vn")
        cls.hcmc = cls.env.ref("omni_vn_address.state_vn_79")
        cls.old_hcmc = cls.env.ref("base.state_vn_VN-SG")
        cls.binh_duong = cls.env.ref("base.state_vn_VN-57")
        cls.saigon = cls.env["omni.vn.ward"].search([("code", "=", "26740")])
        cls.thu_dau_mot = cls.env["omni.vn.ward"].search([("code", "=", "25747")])
        Partner = cls.env["res.partner"]
        cls.old_form = Partner.create(
            {
                "name": "Nguyễn Văn An",
                "street": "12 Lê Lợi",
                "street2": "Phường Bến Nghé",
                "city": "Quận 1",
                "state_id": cls.old_hcmc.id,
                "country_id": cls.vn.id,
            }
        )
        cls.unmappable = Partner.create(
            {
                "name": "Lê Thị Bé",
                "street": "5 Đường Số 3",
                "street2": "Phường Không Tồn Tại",
                "city": "Thị xã Dĩ An",
                "state_id": cls.binh_duong.id,
                "country_id": cls.vn.id,
            }
        )
        cls.foreign = Partner.create(
            {
                "name": "Somchai",
                "street": "1 Sukhumvit",
                "city": "Bangkok",
                "country_id": cls.env.ref("base.th").id,
            }
        )
        cls.contact_manager = new_test_user(
            cls.env, "vn_contact_manager", groups="base.group_user,base.group_partner_manager"
        )

    def test_an_old_address_converts_and_stays_readable(self):
        self.assertFalse(self.old_form._omni_vn_convert_address())
        self.assertEqual(self.old_form.omni_vn_ward_id, self.saigon)
        self.assertEqual(self.old_form.state_id, self.hcmc)
        self.assertEqual(self.old_form.city, "Phường Sài Gòn")
        self.assertFalse(self.old_form.street2, "the former ward is the ward now")
        self.assertEqual(self.old_form.street, "12 Lê Lợi")
        self.assertEqual(self.old_form.omni_vn_old_address, "Phường Bến Nghé, Quận 1, TP Hồ Chí Minh")
        self.assertIn("Phường Sài Gòn", self.old_form.contact_address)
        self.assertNotIn("Quận 1", self.old_form.contact_address)

    def test_a_company_s_contacts_follow_its_address(self):
        employee = self.env["res.partner"].create(
            {"name": "Nhân viên", "parent_id": self.old_form.id, "type": "contact"}
        )
        self.assertEqual(employee.street2, "Phường Bến Nghé")
        self.assertFalse((self.old_form | employee)._omni_vn_convert_address())
        self.assertEqual(employee.omni_vn_ward_id, self.saigon)
        self.assertEqual((employee.city, employee.state_id), ("Phường Sài Gòn", self.hcmc))

    def test_an_address_with_its_ward_in_the_street_converts(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Phạm Minh",
                "street": "45 Yersin, Phường Phú Cường, Thành phố Thủ Dầu Một",
                "state_id": self.binh_duong.id,
                "country_id": self.vn.id,
            }
        )
        self.assertFalse(partner._omni_vn_convert_address())
        self.assertEqual(partner.omni_vn_ward_id, self.thu_dau_mot)
        self.assertEqual(partner.state_id, self.hcmc)

    def test_replaced_provinces_are_not_offered(self):
        domain = safe_eval(self.env["res.partner"]._fields["state_id"].domain, {"country_id": self.vn.id})
        offered = self.env["res.country.state"].search(domain)
        self.assertEqual(len(offered), 34)
        self.assertNotIn(self.binh_duong, offered)
        names = [name for _id, name in self.env["res.country.state"].name_search("Bình Dương", domain)]
        self.assertFalse(names)
        self.assertEqual(self.binh_duong.name, "Bình Dương", "a former province stays readable")

    def test_the_form_takes_a_ward_and_fills_city_and_province(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Trần Bình"
            form.country_id = self.vn
            form.omni_vn_ward_id = self.saigon
            self.assertEqual(form.state_id, self.hcmc)
            self.assertEqual(form.city, "Phường Sài Gòn")
            self.assertFalse(form.omni_vn_old_address, "a new address has no former one")
            form.state_id = self.env.ref("omni_vn_address.state_vn_01")
            self.assertFalse(form.omni_vn_ward_id, "a ward of another province goes")

    def test_a_ward_written_over_rpc_brings_its_city_and_province(self):
        partner = self.env["res.partner"].create({"name": "API", "omni_vn_ward_id": self.thu_dau_mot.id})
        self.assertEqual(
            (partner.city, partner.state_id, partner.country_id), ("Phường Thủ Dầu Một", self.hcmc, self.vn)
        )

    @users("vn_contact_manager")
    def test_wizard_on_selected_contacts(self):
        partners = (self.old_form | self.unmappable | self.foreign).with_env(self.env)
        wizard = (
            self.env["omni.vn.address.convert"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({})
        )
        self.assertEqual(wizard.scope, "selected")
        action = wizard.action_convert()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertEqual(wizard.state, "done")
        self.assertEqual(
            (wizard.todo_count, wizard.converted_count), (2, 1), "the Thai contact is not Vietnamese"
        )
        self.assertEqual(wizard.failed_partner_ids, self.unmappable)
        self.assertEqual(self.old_form.omni_vn_ward_id, self.saigon)
        self.assertEqual(
            self.unmappable.state_id, self.binh_duong, "an unmapped address is left for the user"
        )
        self.assertEqual(self.unmappable.street2, "Phường Không Tồn Tại")
        self.assertEqual(wizard.action_open_failed()["domain"], [("id", "in", self.unmappable.ids)])

    def test_wizard_on_all_vietnamese_contacts(self):
        wizard = self.env["omni.vn.address.convert"].create({"scope": "all"})
        wizard.action_convert()
        self.assertIn(self.unmappable, wizard.failed_partner_ids)
        self.assertEqual(self.old_form.omni_vn_ward_id, self.saigon)
        self.assertFalse(self.foreign.omni_vn_ward_id)
        again = self.env["omni.vn.address.convert"].create({"scope": "all"})
        again.action_convert()
        self.assertEqual(again.converted_count, 0, "converted addresses are left alone")

    def test_contacts_imported_from_a_file_land_in_the_2025_form(self):
        result = self.env["res.partner"].load(
            ["name", "street", "street2", "city", "state_id/id", "country_id/id"],
            [["Đỗ Hoa", "8 Bạch Đằng", "P. Phú Cường", "TP Thủ Dầu Một", "base.state_vn_VN-57", "base.vn"]],
        )
        self.assertFalse(result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partner.omni_vn_ward_id, self.thu_dau_mot)
        self.assertEqual(partner.state_id, self.hcmc)

    def test_payload_lines_name_the_2025_units(self):
        lines = self.old_form._omni_vn_address_lines()
        self.assertEqual(
            lines,
            {
                "street": "12 Lê Lợi",
                "ward": "Phường Sài Gòn",
                "province": "Hồ Chí Minh",
                "ward_code": "26740",
                "province_code": "79",
            },
        )
        self.assertFalse(self.old_form.omni_vn_ward_id, "reading the payload does not write the contact")
        self.assertEqual(self.unmappable._omni_vn_address_lines()["province"], "Hồ Chí Minh")
