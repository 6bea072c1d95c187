from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestAddressTour(HttpCase):
    def test_contacts_of_the_former_map_are_converted_then_fixed_by_hand(self):
        new_test_user(self.env, "omni_vn_address_tour", groups="base.group_user,base.group_partner_manager")
        Partner = self.env["res.partner"]
        vietnam = self.env.ref("base.vn")
        known, unknown = Partner.create(
            [
                {
                    "name": name,
                    "street": street,
                    "street2": ward,
                    "city": district,
                    "state_id": self.env.ref(state).id,
                    "country_id": vietnam.id,
                }
                for name, street, ward, district, state in (
                    ("Nguyễn Văn Tour", "12 Lê Lợi", "Phường Bến Nghé", "Quận 1", "base.state_vn_VN-SG"),
                    (
                        "Trần Thị Tour",
                        "8 Yersin",
                        "Phường Không Có",
                        "Thành phố Thủ Dầu Một",
                        "base.state_vn_VN-57",
                    ),
                )
            ]
        )
        self.start_tour(
            "/odoo/action-contacts.action_contacts?view_type=list",
            "omni_vn_address_convert_tour",
            login="omni_vn_address_tour",
        )
        self.assertEqual(known.omni_vn_ward_id.name, "Phường Sài Gòn")
        self.assertEqual(unknown.omni_vn_ward_id.name, "Phường Thủ Dầu Một")
        self.assertEqual(unknown.state_id, self.env.ref("omni_vn_address.state_vn_79"))
        self.assertEqual(unknown.city, "Phường Thủ Dầu Một")
        self.assertFalse(unknown.street2, "the former ward went with the former address")
        self.assertEqual(unknown.omni_vn_old_address, "Phường Không Có, Thành phố Thủ Dầu Một, Bình Dương")
