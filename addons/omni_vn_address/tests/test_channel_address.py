from odoo.addons.omni_channel_sync.tests.common import OmniChannelCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestChannelAddress(OmniChannelCase):
    def test_an_order_with_an_old_form_address_lands_in_the_2025_form(self):
        self.ingest(self.order())  # Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội
        buyer = self.sale_orders().partner_id
        self.assertEqual(buyer.omni_vn_ward_id.name, "Phường Cửa Nam")
        self.assertEqual(buyer.state_id, self.env.ref("omni_vn_address.state_vn_01"))
        self.assertEqual(buyer.city, "Phường Cửa Nam")
        self.assertFalse(buyer.street2)
        self.assertEqual(buyer.street, "12 Lý Thường Kiệt")
        self.assertEqual(buyer.omni_vn_old_address, "Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội")

    def test_a_buyer_of_a_merged_province_lands_in_its_new_province(self):
        address = {
            "name": "Vũ Thị Lan",
            "phone": "0908000111",
            "street": "3 Yersin",
            "ward": "P. Phú Cường",
            "district": "TP. Thủ Dầu Một",
            "province": "Tỉnh Bình Dương",
            "country": "VN",
        }
        customer = {"buyer_id": "buyer-88", "name": "Vũ Thị Lan", "phone": "0908000111"}
        self.ingest(self.order("SO-2", customer=customer, shipping_address=address))
        buyer = self.sale_orders("SO-2").partner_id
        self.assertEqual(buyer.omni_vn_ward_id.name, "Phường Thủ Dầu Một")
        self.assertEqual(buyer.state_id, self.env.ref("omni_vn_address.state_vn_79"))

    def test_an_unknown_ward_keeps_its_text_in_the_new_province(self):
        address = {
            "street": "9 Đường Số 1",
            "ward": "Phường Chưa Có",
            "district": "Thành phố Dĩ An",
            "province": "Bình Dương",
            "country": "VN",
        }
        customer = {"buyer_id": "buyer-99", "name": "Khách lạ"}
        self.ingest(self.order("SO-3", customer=customer, shipping_address=address))
        buyer = self.sale_orders("SO-3").partner_id
        self.assertFalse(buyer.omni_vn_ward_id)
        self.assertEqual(buyer.state_id, self.env.ref("omni_vn_address.state_vn_79"))
        self.assertEqual((buyer.street2, buyer.city), ("Phường Chưa Có", "Thành phố Dĩ An"))
