from odoo.addons.omni_channel_sync.tests.common import OmniChannelCase
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestIdentityResolution(OmniChannelCase):
    """The pitfalls of recognizing one Vietnamese buyer across channels, one test each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.env["ir.config_parameter"].set_param("omni_customer360.max_partners_per_identifier", 3)

    def resolve(self, **identifiers):
        return self.Partner.with_user(self.integrator).api_resolve_customer(identifiers)

    def assertMatched(self, answer, partner_id, matched_on):
        self.assertEqual(
            (answer["partner_id"], answer["created"], answer["matched_on"]), (partner_id, False, matched_on)
        )

    def test_legacy_eleven_digit_mobile_matches_its_new_number(self):
        first = self.resolve(phone="01695678945", name="Phạm Minh Đức")
        self.assertTrue(first["created"])
        self.assertMatched(self.resolve(phone="0395678945"), first["partner_id"], "phone")

    def test_84_is_read_by_digit_count(self):
        short = self.resolve(phone="844666531")
        long_ = self.resolve(phone="84912345678")
        self.assertNotEqual(short["partner_id"], long_["partner_id"])
        self.assertMatched(self.resolve(phone="+84844666531"), short["partner_id"], "phone")
        self.assertMatched(self.resolve(phone="0912345678"), long_["partner_id"], "phone")

    def test_same_phone_in_other_formats_matches(self):
        first = self.resolve(phone="0987 123 456")
        for raw in ("+84987123456", "84-987-123-456", "(+84) 987.123.456", "0084987123456"):
            with self.subTest(raw=raw):
                self.assertMatched(self.resolve(phone=raw), first["partner_id"], "phone")

    def test_masked_values_never_match(self):
        first = self.resolve(phone="84*****123", name="Người mua 1")
        second = self.resolve(phone="84*****123", name="Người mua 2")
        self.assertTrue(first["created"] and second["created"])
        self.assertNotEqual(first["partner_id"], second["partner_id"])
        self.assertEqual(second["ignored"], [{"kind": "phone", "value": "84*****123", "reason": "masked"}])
        email = self.resolve(email="b***@gmail.com")
        self.assertTrue(email["created"])
        self.assertEqual(email["ignored"][0]["reason"], "masked")
        self.assertFalse(
            self.env["omni.customer.identity"].search([("value", "like", "*")]), "no masked value is kept"
        )

    def test_blocked_placeholders_never_match(self):
        first = self.resolve(phone="0900000000", name="Khách A")
        second = self.resolve(phone="090 000 0000", name="Khách B")
        self.assertNotEqual(first["partner_id"], second["partner_id"])
        self.assertEqual(second["ignored"][0]["reason"], "blocked")
        self.assertEqual(self.resolve(email="test@test.com")["ignored"][0]["reason"], "blocked")

    def test_invalid_values_are_reported(self):
        answer = self.resolve(phone="12", email="khong-phai-email")
        self.assertEqual({item["reason"] for item in answer["ignored"]}, {"invalid"})

    def test_shared_phone_matches_nobody(self):
        family = self.Partner.create([{"name": f"Thành viên {i}", "phone": "0977000111"} for i in range(4)])
        answer = self.resolve(phone="+84977000111", email="con.gai@example.vn")
        self.assertTrue(answer["created"])
        self.assertNotIn(answer["partner_id"], family.ids)
        self.assertEqual(
            answer["ignored"],
            [{"kind": "phone", "value": "+84977000111", "reason": "shared", "customers": 4}],
        )

    def test_phone_of_a_few_customers_is_ambiguous(self):
        pair = self.Partner.create([{"name": f"Anh em {i}", "phone": "0977000222"} for i in range(2)])
        answer = self.resolve(phone="0977000222", email="anh.ca@example.vn")
        self.assertNotIn(answer["partner_id"], pair.ids)
        self.assertEqual(answer["ignored"][0]["reason"], "ambiguous")

    def test_priority_buyer_id_then_phone_then_email(self):
        customer_a = self.resolve(channel_code="partner_api", buyer_id="buyer-A", phone="0911000001")
        customer_b = self.resolve(phone="0911000002")
        customer_c = self.resolve(email="c@example.vn")
        self.assertNotEqual(customer_b["partner_id"], customer_c["partner_id"])
        self.assertMatched(
            self.resolve(phone="0911000002", email="c@example.vn"), customer_b["partner_id"], "phone"
        )
        self.assertMatched(
            self.resolve(channel_code="partner_api", buyer_id="buyer-A", phone="0911000002"),
            customer_a["partner_id"],
            "buyer_id",
        )
        # B's phone now names two customers: it no longer decides alone.
        answer = self.resolve(phone="0911000002")
        self.assertTrue(answer["created"])
        self.assertEqual(answer["ignored"][0]["reason"], "ambiguous")

    def test_buyer_id_belongs_to_its_channel(self):
        other = self.channel.copy({"code": "other_api", "name": "Kênh khác"})
        first = self.resolve(channel_code="partner_api", buyer_id="777")
        second = self.resolve(channel_code=other.code, buyer_id="777")
        self.assertNotEqual(first["partner_id"], second["partner_id"])

    def test_gift_order_lands_on_the_buyer_not_the_recipient(self):
        recipient = self.resolve(phone="0933444555", name="Bà ngoại")
        order = self.order(
            "GIFT-1",
            customer={"buyer_id": "gift-buyer", "name": "Cháu", "email": "chau@example.vn"},
            shipping_address={
                "name": "Bà ngoại",
                "phone": "0933444555",
                "street": "3 Hàng Gai",
                "district": "Quận Hoàn Kiếm",
                "province": "Hà Nội",
            },
        )
        (result,) = self.ingest(order)
        self.assertEqual(result["status"], "created", result)
        sale = self.sale_orders("GIFT-1")
        self.assertNotEqual(sale.partner_id.id, recipient["partner_id"])
        self.assertEqual(sale.partner_id.email, "chau@example.vn")
        self.assertNotIn("+84933444555", sale.partner_id.omni_identity_ids.mapped("value"))
        # The recipient stays the only customer behind their phone.
        self.assertMatched(self.resolve(phone="0933444555"), recipient["partner_id"], "phone")

    def test_guest_checkout_uses_the_address_phone(self):
        guest = self.resolve(phone="0933444666")
        order = self.order("GUEST-1", customer={"name": "Khách vãng lai"})
        order["shipping_address"]["phone"] = "0933 444 666"
        self.ingest(order)
        self.assertEqual(self.sale_orders("GUEST-1").partner_id.id, guest["partner_id"])

    def test_second_address_keeps_one_customer(self):
        """A delivery address with the buyer's phone is not a second customer behind the phone."""
        first = self.order("ADDR-1", customer={"name": "Võ Thị Em", "phone": "0944555666"})
        second = self.order("ADDR-2", customer={"name": "Võ Thị Em", "phone": "0944555666"})
        second["shipping_address"] = {
            **second["shipping_address"],
            "street": "99 Trần Phú",
            "phone": "0944555666",
        }
        third = self.order("ADDR-3", customer={"name": "Võ Thị Em", "phone": "+84944555666"})
        for order in (first, second, third):
            self.ingest(order)
        customers = self.sale_orders("ADDR-1") | self.sale_orders("ADDR-2") | self.sale_orders("ADDR-3")
        self.assertEqual(len(customers.partner_id), 1)
        self.assertEqual(self.sale_orders("ADDR-2").partner_shipping_id.parent_id, customers.partner_id)

    def test_imported_orders_land_on_the_resolved_customer(self):
        resolved = self.resolve(phone="0911222333", email="lan@example.vn", name="Đỗ Thị Lan")
        order = self.order("RES-1", customer={"buyer_id": "lan-77", "name": "Lan", "phone": "+84911222333"})
        self.ingest(order)
        self.assertEqual(self.sale_orders("RES-1").partner_id.id, resolved["partner_id"])
        # The buyer id the order brought is now hers too.
        self.ingest(self.order("RES-2", customer={"buyer_id": "lan-77"}))
        self.assertEqual(self.sale_orders("RES-2").partner_id.id, resolved["partner_id"])
        self.assertMatched(
            self.resolve(channel_code="partner_api", buyer_id="lan-77"), resolved["partner_id"], "buyer_id"
        )

    def test_batch_of_one_new_buyer_makes_one_customer(self):
        results = self.ingest(
            self.order("BATCH-1", customer={"buyer_id": "new-1", "phone": "0966000111"}),
            self.order("BATCH-2", customer={"buyer_id": "new-1", "phone": "0966000111"}),
        )
        self.assertEqual([r["status"] for r in results], ["created", "created"])
        self.assertEqual(self.sale_orders("BATCH-1").partner_id, self.sale_orders("BATCH-2").partner_id)

    def test_api_checks_its_input_and_caller(self):
        with self.assertRaises(ValidationError):
            self.Partner.with_user(self.integrator).api_resolve_customer(["0912345678"])
        with self.assertRaises(ValidationError):
            self.resolve(buyer_id="no-channel")
        with self.assertRaises(ValidationError):
            self.resolve(name="Chỉ có tên")
        outsider = new_test_user(self.env, "c360_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.Partner.with_user(outsider).api_resolve_customer({"phone": "0912345678"})
