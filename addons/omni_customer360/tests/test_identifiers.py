from odoo.tests import BaseCase

from ..tools.identifiers import is_masked, normalize, normalize_email, normalize_phone, normalize_text


class TestIdentifierNormalizers(BaseCase):
    def test_phone_formats_give_one_key(self):
        for raw in ("0912345678", "0912 345 678", "+84 912-345-678", "(+84) 912.345.678", "0084912345678"):
            with self.subTest(raw=raw):
                self.assertEqual(normalize_phone(raw), "+84912345678")

    def test_legacy_eleven_digit_mobiles_are_renumbered(self):
        self.assertEqual(normalize_phone("01695678945"), "+84395678945")
        self.assertEqual(normalize_phone("0395678945"), "+84395678945")
        self.assertEqual(normalize_phone("+841695678945"), "+84395678945")
        self.assertEqual(normalize_phone("01225678945"), "+84775678945")

    def test_84_is_a_country_code_or_a_prefix_by_digit_count(self):
        # Nine digits: a national number without its 0, whose mobile prefix is 84.
        self.assertEqual(normalize_phone("844666531"), "+84844666531")
        # Eleven digits: the country code, then a national number.
        self.assertEqual(normalize_phone("84912345678"), "+84912345678")
        self.assertEqual(normalize_phone("84844666531"), "+84844666531")

    def test_masked_invalid_and_empty_phones_are_no_key(self):
        for raw in ("84*****123", "09******78", "", None, "12", "not a phone"):
            with self.subTest(raw=raw):
                self.assertIsNone(normalize_phone(raw))

    def test_foreign_numbers_keep_their_country(self):
        self.assertEqual(normalize_phone("+6591234567"), "+6591234567")

    def test_emails(self):
        self.assertEqual(normalize_email("  Binh.Tran@Example.VN "), "binh.tran@example.vn")
        self.assertIsNone(normalize_email("b***@gmail.com"))
        self.assertIsNone(normalize_email("not-an-email"))
        self.assertIsNone(normalize_email(""))

    def test_opaque_ids(self):
        self.assertEqual(normalize_text(" buyer-77 "), "buyer-77")
        self.assertEqual(normalize_text(12345), "12345")
        self.assertIsNone(normalize_text(""))
        self.assertIsNone(normalize_text("ab***yz"))
        self.assertEqual(normalize("buyer_id", "x1"), "x1")

    def test_is_masked(self):
        self.assertTrue(is_masked("84*****123"))
        self.assertFalse(is_masked("0912345678"))
        self.assertFalse(is_masked(None))
