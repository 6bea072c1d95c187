from odoo.tests import BaseCase

from ..tools.names import is_district_name, name_key, name_keys, name_parts


class TestNameKeys(BaseCase):
    def test_prefixes_accents_spacing_and_case(self):
        for raw in ("Phường Bến Nghé", "P. Ben Nghe", "p.bến  nghé", "Ben Nghe Ward", "PHƯỜNG BẾN NGHÉ"):
            with self.subTest(raw=raw):
                self.assertEqual(name_key(raw), "bennghe")
        for raw in ("Quận 1", "Q.1", "Q1", "quận 01", "District 1"):
            with self.subTest(raw=raw):
                self.assertEqual(name_key(raw), "1")
        for raw in (
            "TP.HCM",
            "TP HCM",
            "Thành phố Hồ Chí Minh",
            "Ho Chi Minh City",
            "TP Hồ Chí Minh",
            "Sài Gòn",
        ):
            with self.subTest(raw=raw):
                self.assertEqual(name_key(raw), "hochiminh")
        self.assertEqual(name_key("Tỉnh Bình Dương"), name_key("binh duong"))
        self.assertEqual(name_key("Thị xã Thuận An"), "thuanan")
        self.assertEqual(name_key("Thanh Hoá"), name_key("Thanh Hóa"))
        self.assertEqual(name_key(""), "")

    def test_a_name_that_starts_like_a_prefix_answers_without_its_own_prefix(self):
        self.assertEqual(name_keys("Xã Xà Phiên"), {"xaphien", "phien"})
        self.assertIn(name_key("Xà Phiên"), name_keys("Xã Xà Phiên"))
        self.assertIn(name_key("Quan Hoá"), name_keys("Huyện Quan Hóa"))

    def test_kind_and_tones(self):
        self.assertEqual(name_parts("Thị trấn Mường Tè"), ("muongte", "town", "muong2te2"))
        self.assertEqual(name_parts("Xã Mường Tè")[1], "commune")
        self.assertEqual(name_parts("P.5")[1], "ward")
        self.assertNotEqual(name_parts("Minh Quán")[2], name_parts("Minh Quân")[2])
        # The tone counts, not the vowel it is written on.
        self.assertEqual(name_parts("Thanh Hoá")[2], name_parts("Thanh Hóa")[2])

    def test_district_names(self):
        for raw in ("Quận 1", "Q.1", "Q1", "Huyện Củ Chi", "TP. Thủ Dầu Một", "Thị xã Dĩ An", "H. Côn Đảo"):
            with self.subTest(raw=raw):
                self.assertTrue(is_district_name(raw))
        for raw in ("Phường Sài Gòn", "Quang Trung", "Hà Đông", "Xã Tân Phú"):
            with self.subTest(raw=raw):
                self.assertFalse(is_district_name(raw))
