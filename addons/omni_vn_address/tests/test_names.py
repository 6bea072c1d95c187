from odoo.tests import BaseCase

from ..tools.names import name_key, name_keys


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
