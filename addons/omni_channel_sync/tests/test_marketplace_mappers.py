"""The platforms' own sample orders (marketplace_apis.md) through the mappers and the schema."""

from odoo.tests import BaseCase, tagged

from ..connectors import lazada_mapper, shopee_mapper, tiktok_mapper
from ..connectors.normalized_order import parse_order

SHOPEE_ORDER = {
    "order_sn": "2404098R48U37H",
    "region": "VN",
    "currency": "VND",
    "cod": True,
    "order_status": "COMPLETED",
    "create_time": 1712601591,
    "update_time": 1713139948,
    "buyer_user_id": 1170319091,
    "buyer_username": "xt4fdsf96j",
    "message_to_seller": "",
    "payment_method": "Cash on Delivery",
    "estimated_shipping_fee": 5000,
    "total_amount": 32119,
    "recipient_address": {
        "name": "P******n",
        "phone": "******64",
        "town": "",
        "district": "Xã Phong Thạnh Tây B",
        "city": "Huyện Phước Long",
        "state": "Bạc Liêu",
        "region": "VN",
        "full_address": "Ấp******",
    },
    "item_list": [
        {
            "item_id": 23620853561,
            "item_name": "Kem SADOER 60g",
            "item_sku": "",
            "model_id": 221404189791,
            "model_name": "60g (Papaya)",
            "model_sku": "QAZ-SADOER-05",
            "model_quantity_purchased": 1,
            "model_original_price": 300000,
            "model_discounted_price": 48000,
            "order_item_id": 23620853561,
        }
    ],
}

LAZADA_ITEM = {
    "order_item_id": 98108,
    "order_id": 491253082180001,
    "sku": "TSHIRT-RED-M",
    "shop_sku": "2345678901_VNAMZ-10001",
    "name": "Áo thun đỏ",
    "variation": "Màu:Đỏ;Size:M",
    "item_price": "108000.00",
    "paid_price": "103000.00",
    "currency": "VND",
    "status": "pending",
    "voucher_amount": "5000.00",
    "voucher_seller": "5000.00",
    "voucher_platform": "0.00",
}
LAZADA_ORDER = {
    "order_id": 491253082180001,
    "created_at": "2024-05-09T22:44:30+07:00",
    "updated_at": "2024-05-10T08:01:12+07:00",
    "price": "216000.00",
    "shipping_fee": "15000.00",
    "payment_method": "COD",
    "statuses": ["pending"],
    "customer_first_name": "Nguyen Van A",
    "customer_last_name": "",
    "address_shipping": {
        "first_name": "Nguyen Van A",
        "phone": "84*******89",
        "address1": "12 Ly Thuong Kiet",
        "address3": "Ha Noi",
        "address4": "Quan Hoan Kiem",
        "address5": "Phuong Hang Bai",
        "city": "Quan Hoan Kiem",
        "country": "Vietnam",
    },
}


@tagged("post_install", "-at_install")
class TestShopeeMapper(BaseCase):
    def test_official_sample(self):
        order = parse_order(shopee_mapper.map_order(SHOPEE_ORDER))
        self.assertEqual(
            (order.external_id, order.status, order.currency), ("2404098R48U37H", "completed", "VND")
        )
        self.assertEqual(order.payment_method, "cod")
        self.assertEqual(str(order.created_at), "2024-04-08 18:39:51")
        self.assertEqual(order.customer.buyer_id, "1170319091")
        (line,) = order.lines
        self.assertEqual((line.sku, line.quantity, line.unit_price), ("QAZ-SADOER-05", 1, 300000))
        self.assertEqual(line.seller_discount, 300000 - 48000, "the deal price is the shop's")
        self.assertEqual(line.platform_discount, 48000 + 5000 - 32119, "what Shopee's vouchers took off")
        self.assertEqual(order.shipping_address.province, "Bạc Liêu")
        self.assertEqual(order.shipping_address.district, "Huyện Phước Long")

    def test_statuses(self):
        for shopee, ours in (("UNPAID", "unpaid"), ("PROCESSED", "ready_to_ship"), ("TO_RETURN", "returned")):
            mapped = shopee_mapper.map_order(dict(SHOPEE_ORDER, order_status=shopee))
            self.assertEqual(mapped["status"], ours)

    def test_item_without_variation_uses_the_item_sku(self):
        item = dict(SHOPEE_ORDER["item_list"][0], model_id=0, model_sku="", item_sku="ITEM-1")
        mapped = shopee_mapper.map_order(dict(SHOPEE_ORDER, item_list=[item]))
        self.assertEqual(mapped["lines"][0]["sku"], "ITEM-1")


@tagged("post_install", "-at_install")
class TestLazadaMapper(BaseCase):
    def test_one_item_per_unit_becomes_one_line(self):
        items = [LAZADA_ITEM, dict(LAZADA_ITEM, order_item_id=98109)]
        order = parse_order(lazada_mapper.map_order(LAZADA_ORDER, items))
        self.assertEqual(
            (order.external_id, order.status, order.payment_method), ("491253082180001", "pending", "cod")
        )
        (line,) = order.lines
        self.assertEqual((line.sku, line.quantity, line.unit_price), ("TSHIRT-RED-M", 2, 108000))
        self.assertEqual((line.seller_discount, line.platform_discount), (10000, 0))
        self.assertEqual(order.shipping_fee, 15000)
        self.assertEqual(order.shipping_address.ward, "Phuong Hang Bai")
        self.assertEqual(order.shipping_address.country, "VN")

    def test_order_status_is_the_least_advanced_live_item(self):
        self.assertEqual(lazada_mapper.order_status(["delivered", "shipped", "canceled"]), "shipped")
        self.assertEqual(lazada_mapper.order_status(["canceled", "canceled"]), "cancelled")
        self.assertEqual(lazada_mapper.order_status(["delivered"]), "completed")

    def test_cancelled_units_are_not_sold(self):
        items = [LAZADA_ITEM, dict(LAZADA_ITEM, order_item_id=98109, status="canceled")]
        (line,) = lazada_mapper.map_order(LAZADA_ORDER, items)["lines"]
        self.assertEqual(line["quantity"], 1)


TIKTOK_ITEM = {
    "id": "577087614418520650",
    "sku_id": "1729592969712207012",
    "seller_sku": "TEE-M",
    "product_name": "Áo thun",
    "sku_name": "M",
    "original_price": "150000",
    "sale_price": "130000",
    "seller_discount": "20000",
    "platform_discount": "0",
    "currency": "VND",
}
TIKTOK_ORDER = {
    "id": "576461413038785752",
    "status": "AWAITING_SHIPMENT",
    "create_time": 1644412882,
    "update_time": 1644412885,
    "user_id": "7494049642642441621",
    "is_cod": False,
    "payment": {"currency": "VND", "shipping_fee": "16500", "sub_total": "260000", "total_amount": "276500"},
    "recipient_address": {
        "name": "Lê Thị Hoa",
        "phone_number": "(+84)9******12",
        "address_detail": "5 Nguyễn Huệ",
        "region_code": "VN",
        "district_info": [
            {"address_level_name": "Province", "address_name": "Hồ Chí Minh"},
            {"address_level_name": "District", "address_name": "Quận 1"},
            {"address_level_name": "Ward", "address_name": "Phường Bến Nghé"},
        ],
    },
    "line_items": [TIKTOK_ITEM, dict(TIKTOK_ITEM, id="577087614418520651")],
}


@tagged("post_install", "-at_install")
class TestTiktokMapper(BaseCase):
    def test_units_of_one_sku_become_one_line(self):
        order = parse_order(tiktok_mapper.map_order(TIKTOK_ORDER))
        self.assertEqual(
            (order.external_id, order.status, order.payment_method),
            ("576461413038785752", "ready_to_ship", "prepaid"),
        )
        (line,) = order.lines
        self.assertEqual(
            (line.sku, line.quantity, line.unit_price, line.seller_discount), ("TEE-M", 2, 150000, 40000)
        )
        self.assertEqual(order.shipping_fee, 16500)
        self.assertEqual(
            (order.shipping_address.province, order.shipping_address.ward), ("Hồ Chí Minh", "Phường Bến Nghé")
        )
        self.assertEqual(
            order.customer.phone, "(+84)9******12", "kept as received; masked values match nobody"
        )
