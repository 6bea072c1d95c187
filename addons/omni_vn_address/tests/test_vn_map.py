from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestVnMap(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ward = cls.env["omni.vn.ward"]
        cls.State = cls.env["res.country.state"]
        cls.hcmc = cls.env.ref("omni_vn_address.state_vn_79")
        cls.hanoi = cls.env.ref("omni_vn_address.state_vn_01")

    def ward(self, code):
        return self.Ward.search([("code", "=", code)])

    def test_34_provinces_and_their_wards(self):
        provinces = self.State.search(
            [("country_id.code", "=", "VN"), ("omni_vn_replaced_by_id", "=", False)]
        )
        self.assertEqual(len(provinces), 34)
        self.assertEqual(len(set(provinces.mapped("code"))), 34)
        self.assertEqual(self.hcmc.code, "79")
        self.assertEqual(self.Ward.search_count([]), 3321)
        counts = dict(self.Ward._read_group([], ["state_id"], ["__count"]))
        self.assertEqual(set(counts), set(provinces), "every province has its wards")
        self.assertEqual(counts[self.hcmc], 168)
        self.assertEqual(
            dict(self.Ward._read_group([], ["kind"], ["__count"])),
            {"ward": 697, "commune": 2611, "special_zone": 13},
        )

    def test_the_63_former_provinces_stay_and_are_replaced(self):
        former = self.State.search([("omni_vn_replaced_by_id", "!=", False)])
        self.assertEqual(len(former), 63)
        self.assertEqual(self.env.ref("base.state_vn_VN-57").omni_vn_replaced_by_id, self.hcmc, "Bình Dương")
        self.assertEqual(
            self.env.ref("base.state_vn_VN-43").omni_vn_replaced_by_id, self.hcmc, "Bà Rịa - Vũng Tàu"
        )
        self.assertEqual(self.env.ref("base.state_vn_VN-HN").omni_vn_replaced_by_id, self.hanoi)
        self.assertEqual(self.env["omni.vn.ward.map"].search_count([]), 10602)

    def test_lookup_from_codes(self):
        saigon, tan_dinh = self.ward("26740"), self.ward("26737")
        self.assertEqual(saigon.name, "Phường Sài Gòn")
        # A former ward code with its district is read as a former ward (Tân Định of District 1).
        self.assertEqual(self.Ward._omni_vn_find("79", "760", "26734"), tan_dinh)
        self.assertEqual(self.Ward._omni_vn_find("VN-SG", "Quận 1", "26734"), tan_dinh)
        # Without a district, a code of the 2025 map is that ward.
        self.assertEqual(self.Ward._omni_vn_find("79", None, "26740"), saigon)
        self.assertEqual(self.Ward._omni_vn_find(None, None, "26740"), saigon)
        self.assertEqual(self.Ward._omni_vn_province("VN-57"), self.hcmc)
        self.assertEqual(self.Ward._omni_vn_province("74"), self.hcmc, "Bình Dương's former code")

    def test_lookup_from_marketplace_strings(self):
        saigon = self.ward("26740")
        for address in (
            ("Hồ Chí Minh", "Quận 1", "Phường Bến Nghé"),
            ("TP.HCM", "Q.1", "P. Ben Nghe"),
            ("tp  hcm", "quan 1", "phuong ben nghe"),
            ("Ho Chi Minh City", "District 1", "Ben Nghe Ward"),
            (self.env.ref("base.state_vn_VN-SG"), "Q1", "P.Bến Nghé"),
            ("Hồ Chí Minh", None, "Phường Sài Gòn"),
            (self.hcmc, "", "sai gon"),
        ):
            with self.subTest(address=address):
                self.assertEqual(self.Ward._omni_vn_find(*address), saigon)
        # A ward of a province merged into Ho Chi Minh City.
        thu_dau_mot = self.ward("25747")
        self.assertEqual(thu_dau_mot.name, "Phường Thủ Dầu Một")
        self.assertEqual(thu_dau_mot.state_id, self.hcmc)
        for address in (
            ("Bình Dương", "Thành phố Thủ Dầu Một", "Phường Phú Cường"),
            ("Tỉnh Bình Dương", "TP. Thủ Dầu Một", "P.Phú Cường"),
            ("Hồ Chí Minh", "Thủ Dầu Một", "Phú Cường"),
        ):
            with self.subTest(address=address):
                self.assertEqual(self.Ward._omni_vn_find(*address), thu_dau_mot)
        self.assertEqual(self.Ward._omni_vn_find("Hà Nội", "Quận Hoàn Kiếm", "Phường Hàng Bài").code, "00082")
        self.assertEqual(self.Ward._omni_vn_find("Hồ Chí Minh", "Q3", "F5").name, "Phường Bàn Cờ")

    def test_an_island_district_without_wards_is_its_special_zone(self):
        con_dao = self.ward("26732")
        self.assertEqual((con_dao.name, con_dao.kind), ("Đặc khu Côn Đảo", "special_zone"))
        self.assertEqual(self.Ward._omni_vn_find("Bà Rịa - Vũng Tàu", "Huyện Côn Đảo", ""), con_dao)
        partner = self.env["res.partner"].create(
            {
                "name": "Côn Đảo",
                "city": "H. Côn Đảo",
                "state_id": self.env.ref("base.state_vn_VN-43").id,
                "country_id": self.env.ref("base.vn").id,
            }
        )
        self.assertFalse(partner._omni_vn_convert_address())
        self.assertEqual(partner.omni_vn_ward_id, con_dao)

    def test_names_that_differ_by_kind_or_tone_are_told_apart(self):
        Map = self.env["omni.vn.ward.map"]

        def became(ward, district):
            return Map.search(
                [("old_ward", "=", ward), ("old_district", "=", district), ("is_default", "=", True)]
            )

        town = became("Thị trấn Mường Tè", "Huyện Mường Tè").ward_id
        commune = became("Xã Mường Tè", "Huyện Mường Tè").ward_id
        self.assertNotEqual(town, commune)
        self.assertEqual(self.Ward._omni_vn_find("Lai Châu", "Mường Tè", "TT. Mường Tè"), town)
        self.assertEqual(self.Ward._omni_vn_find("Lai Châu", "Mường Tè", "Xã Mường Tè"), commune)
        quan_acute = became("Xã Minh Quán", "Huyện Trấn Yên").ward_id
        quan_circumflex = became("Xã Minh Quân", "Huyện Trấn Yên").ward_id
        self.assertNotEqual(quan_acute, quan_circumflex)
        self.assertEqual(self.Ward._omni_vn_find("Yên Bái", "Trấn Yên", "Minh Quán"), quan_acute)
        self.assertEqual(self.Ward._omni_vn_find("Yên Bái", "Trấn Yên", "Minh Quân"), quan_circumflex)
        # Without accents the two are one name: nobody guesses.
        self.assertFalse(self.Ward._omni_vn_find("Yen Bai", "Tran Yen", "Minh Quan"))

    def test_what_does_not_convert(self):
        # "Phường 1" exists in many former districts: without one, it is ambiguous.
        self.assertFalse(self.Ward._omni_vn_find("Hồ Chí Minh", None, "Phường 1"))
        self.assertFalse(self.Ward._omni_vn_find("Hồ Chí Minh", "Quận 1", "Phường Không Có"))
        self.assertFalse(self.Ward._omni_vn_find("Hồ Chí Minh", "Quận 1", ""))
        self.assertFalse(self.Ward._omni_vn_find(None, None, "99999"))

    def test_a_split_ward_goes_to_its_default_part(self):
        parts = self.env["omni.vn.ward.map"].search([("old_ward_code", "=", "00007")])
        self.assertEqual(len(parts), 2, "Cống Vị was split")
        default = parts.filtered("is_default")
        self.assertEqual(len(default), 1)
        self.assertEqual(self.Ward._omni_vn_find("Hà Nội", "Ba Đình", "Cống Vị"), default.ward_id)
        self.assertEqual(self.Ward._omni_vn_find("Hà Nội", "Quận Ba Đình", "00007"), default.ward_id)

    def test_wards_and_provinces_are_found_without_accents(self):
        ben_thanh = self.ward("26743")
        self.assertEqual((ben_thanh.name, ben_thanh.search_key), ("Phường Bến Thành", "benthanh"))
        for typed in ("ben thanh", "BẾN THÀNH", "phuong ben thanh", "P. Ben  Thanh", "Bến Thành"):
            with self.subTest(typed=typed):
                found = [ward for ward, _name in self.Ward.name_search(typed)]
                self.assertIn(ben_thanh.id, found)
                # As the address's ward dropdown asks, within the address's province.
                found = self.Ward.name_search(typed, [("state_id", "=?", self.hcmc.id)])
                self.assertEqual([ward for ward, _name in found], ben_thanh.ids)
                self.assertFalse(self.Ward.name_search(typed, [("state_id", "=", self.hanoi.id)]))
        # A ward created later gets its key too.
        other = self.Ward.create(
            {"name": "Xã Đồng Xanh", "code": "99990", "state_id": self.hanoi.id, "kind": "commune"}
        )
        self.assertEqual(self.Ward.name_search("dong xanh")[0][0], other.id)
        # The provinces the address's province dropdown offers: those of the 2025 map.
        offered = [("country_id.code", "=", "VN"), ("omni_vn_replaced_by_id", "=", False)]
        for typed, province in (
            ("ho chi minh", self.hcmc),
            ("TP HCM", self.hcmc),
            ("Hồ Chí Minh", self.hcmc),
            ("ha noi", self.hanoi),
            ("HÀ NỘI", self.hanoi),
        ):
            with self.subTest(typed=typed):
                found = self.State.name_search(typed, offered)
                self.assertEqual([state for state, _name in found], province.ids)
