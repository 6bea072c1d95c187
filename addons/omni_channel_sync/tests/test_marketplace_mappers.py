"""The platforms' own sample orders (marketplace_apis.md) through the mappers and the schema."""

from odoo.tests import BaseCase, tagged

from ..connectors.lazada import mapper as lazada_mapper
from ..connectors.normalized_order import parse_order
from ..connectors.shopee import mapper as shopee_mapper
from ..connectors.shopify import mapper as shopify_mapper
from ..connectors.tiki import mapper as tiki_mapper
from ..connectors.tiktok import mapper as tiktok_mapper
from ..connectors.woocommerce import mapper as woocommerce_mapper

SHOPEE_ORDER = {
    "order_sn": "2404098R48U37H",
    "region": "VN",
    "currency": "VND",
    "cod": True,
    "order_status": "COMPLETED",
    "create_time": 1712601591,
    "update_time": 1713139948,
    "ship_by_date": 1712671200,
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
        self.assertEqual(str(order.ship_by), "2024-04-09 14:00:00")
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

    def test_cancelled_by_the_buyer(self):
        for cancel_by, expected in (("buyer", True), ("seller", False), ("system", False)):
            order = dict(SHOPEE_ORDER, order_status="CANCELLED", cancel_by=cancel_by)
            self.assertEqual(parse_order(shopee_mapper.map_order(order)).cancelled_by_buyer, expected)


@tagged("post_install", "-at_install")
class TestLazadaMapper(BaseCase):
    def test_one_item_per_unit_becomes_one_line(self):
        items = [LAZADA_ITEM, dict(LAZADA_ITEM, order_item_id=98109)]
        order = parse_order(lazada_mapper.map_order(LAZADA_ORDER, items))
        self.assertEqual(
            (order.external_id, order.status, order.payment_method),
            ("491253082180001", "ready_to_ship", "cod"),
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
        self.assertEqual((line["quantity"], line["cancelled_quantity"]), (2, 1))
        self.assertEqual(line["seller_discount"], 5000, "the cancelled unit's voucher does not apply")

    def test_failed_delivery(self):
        for status, expected in (
            ("failed_delivery", True),
            ("shipped_back_success", True),
            ("delivered", False),
        ):
            items = [dict(LAZADA_ITEM, status=status)]
            self.assertEqual(
                parse_order(lazada_mapper.map_order(LAZADA_ORDER, items)).delivery_failed, expected
            )


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


def _shopify_money(amount):
    return {"shopMoney": {"amount": amount}}


# An order as the GraphQL Admin API answers the adapter's query.
SHOPIFY_ORDER = {
    "id": "gid://shopify/Order/5724521234567",
    "email": "nguyenvana@example.com",
    "phone": "+84901234567",
    "createdAt": "2024-05-10T02:15:00Z",
    "updatedAt": "2024-05-10T02:20:11Z",
    "cancelledAt": None,
    "closedAt": None,
    "currencyCode": "VND",
    "displayFinancialStatus": "PAID",
    "displayFulfillmentStatus": "UNFULFILLED",
    "paymentGatewayNames": ["shopify_payments"],
    "totalDiscountsSet": _shopify_money("0.0"),
    "customer": {
        "id": "gid://shopify/Customer/7012345678901",
        "firstName": "Văn A",
        "lastName": "Nguyễn",
        "phone": "+84901234567",
    },
    "shippingAddress": {
        "firstName": "Văn A",
        "lastName": "Nguyễn",
        "address1": "12 Lý Thường Kiệt",
        "address2": "Phường Hàng Bài",
        "city": "Hoàn Kiếm",
        "province": "Hà Nội",
        "countryCodeV2": "VN",
        "phone": "+84901234567",
    },
    "shippingLines": {"nodes": [{"originalPriceSet": _shopify_money("30000.0")}]},
    "lineItems": {
        "pageInfo": {"hasNextPage": False},
        "nodes": [
            {
                "id": "gid://shopify/LineItem/13579246801",
                "variant": {"id": "gid://shopify/ProductVariant/45123456789012"},
                "sku": "TSHIRT-RED-M",
                "title": "Áo thun",
                "variantTitle": "Đỏ / M",
                "quantity": 2,
                "originalUnitPriceSet": _shopify_money("199000.0"),
                "totalDiscountSet": _shopify_money("0.0"),
            }
        ],
    },
    "fulfillments": [],
    "refunds": [],
}

WOO_ORDER = {
    "id": 727,
    "status": "processing",
    "currency": "VND",
    "date_created_gmt": "2024-05-10T02:15:00",
    "date_modified_gmt": "2024-05-10T02:20:11",
    "shipping_total": "30000",
    "customer_id": 12,
    "billing": {
        "first_name": "Văn A",
        "last_name": "Nguyễn",
        "email": "nguyenvana@example.com",
        "phone": "0901234567",
    },
    "shipping": {
        "first_name": "Văn A",
        "last_name": "Nguyễn",
        "address_1": "12 Lý Thường Kiệt",
        "city": "Hoàn Kiếm",
        "state": "Hà Nội",
        "country": "VN",
    },
    "payment_method": "cod",
    "line_items": [
        {
            "id": 315,
            "name": "Áo thun - Đỏ, M",
            "product_id": 93,
            "variation_id": 95,
            "quantity": 2,
            "sku": "TSHIRT-RED-M",
            "price": 199000,
            "subtotal": "398000",
            "total": "378000",
        }
    ],
}

TIKI_ORDER = {
    "id": 126222876,
    "code": "583518503",
    "status": "queueing",
    "created_at": "2021-10-26 13:06:24",
    "updated_at": "2021-10-26 13:12:15",
    "items": [
        {
            "id": 213040707,
            "qty": 1,
            "price": 92800,
            "product": {
                "id": 102566546,
                "sku": "9243568016837",
                "name": "Bộ 4 quyển Sách Mê Cung",
                "seller_product_code": "",
            },
            "invoice": {"price": 92800, "quantity": 1, "discount_amount": 0},
        }
    ],
    "shipping": {
        "address": {
            "full_name": "Nguyễn Văn A",
            "street": "Số 1 Ấp X",
            "ward": "Xã Lộc Ninh",
            "district": "Huyện Dương Minh Châu",
            "region": "Tây Ninh",
            "country_id": "VN",
            "phone": "",
        }
    },
    "payment": {"method": "cod"},
    "invoice": {"shipping_amount_after_discount": 0},
    "customer": {"id": 1552906, "full_name": "Nguyễn Văn A"},
}


@tagged("post_install", "-at_install")
class TestStorefrontMappers(BaseCase):
    def test_shopify(self):
        order = parse_order(shopify_mapper.map_order(SHOPIFY_ORDER))
        self.assertEqual(
            (order.external_id, order.status, order.shipping_fee), ("5724521234567", "ready_to_ship", 30000)
        )
        (line,) = order.lines
        self.assertEqual((line.sku, line.quantity, line.unit_price), ("TSHIRT-RED-M", 2, 199000))
        self.assertEqual(order.customer.name, "Nguyễn Văn A")
        self.assertEqual((line.line_id, order.customer.buyer_id), ("13579246801", "7012345678901"))
        cancelled = dict(SHOPIFY_ORDER, cancelledAt="2024-05-11T00:00:00Z")
        self.assertEqual(shopify_mapper.order_status(cancelled), "cancelled")
        self.assertEqual(
            shopify_mapper.order_status(dict(SHOPIFY_ORDER, displayFulfillmentStatus="FULFILLED")), "shipped"
        )
        unpaid = dict(SHOPIFY_ORDER, displayFinancialStatus="PENDING", paymentGatewayNames=["bank_transfer"])
        self.assertEqual(shopify_mapper.order_status(unpaid), "unpaid")
        cod = dict(unpaid, paymentGatewayNames=["Cash on Delivery (COD)"])
        self.assertEqual(shopify_mapper.order_status(cod), "ready_to_ship")

    def test_shopify_refunds_are_returns(self):
        shipped = dict(
            SHOPIFY_ORDER,
            displayFulfillmentStatus="FULFILLED",
            fulfillments=[{"trackingInfo": [{"number": "GHN123"}]}],
        )
        refund = {
            "id": "gid://shopify/Refund/9001",
            "totalRefundedSet": _shopify_money("199000.0"),
            "refundLineItems": {
                "nodes": [{"quantity": 1, "lineItem": {"id": "gid://shopify/LineItem/13579246801"}}]
            },
        }
        partly = parse_order(
            shopify_mapper.map_order(
                dict(shipped, displayFinancialStatus="PARTIALLY_REFUNDED", refunds=[refund])
            )
        )
        self.assertEqual((partly.status, partly.tracking_number), ("completed", "GHN123"))
        (returned,) = partly.returns
        self.assertEqual(
            (returned.return_id, returned.status, returned.refund_amount), ("9001", "refunded", 199000)
        )
        self.assertEqual([(line.sku, line.quantity) for line in returned.lines], [("TSHIRT-RED-M", 1)])
        both = dict(
            refund, refundLineItems={"nodes": [dict(refund["refundLineItems"]["nodes"][0], quantity=2)]}
        )
        whole = parse_order(
            shopify_mapper.map_order(dict(shipped, displayFinancialStatus="REFUNDED", refunds=[both]))
        )
        self.assertEqual(whole.status, "returned")

    def test_woocommerce_coupon_is_a_seller_discount(self):
        order = parse_order(woocommerce_mapper.map_order(WOO_ORDER))
        self.assertEqual(
            (order.external_id, order.status, order.payment_method), ("727", "ready_to_ship", "cod")
        )
        (line,) = order.lines
        self.assertEqual((line.quantity, line.unit_price, line.seller_discount), (2, 199000, 20000))
        self.assertEqual(str(order.created_at), "2024-05-10 02:15:00")

    def test_woocommerce_failed_is_a_failed_payment_or_a_parcel_back(self):
        unpaid = parse_order(woocommerce_mapper.map_order(dict(WOO_ORDER, status="failed")))
        self.assertEqual((unpaid.status, unpaid.delivery_failed), ("unpaid", False))
        completed = dict(WOO_ORDER, status="failed", date_completed_gmt="2024-05-12T03:00:00")
        back = parse_order(woocommerce_mapper.map_order(completed))
        self.assertEqual((back.status, back.delivery_failed), ("completed", True))

    def test_tiki_local_times_and_product_sku(self):
        order = parse_order(tiki_mapper.map_order(TIKI_ORDER))
        self.assertEqual(
            (order.external_id, order.status, order.payment_method), ("583518503", "ready_to_ship", "cod")
        )
        self.assertEqual(str(order.created_at), "2021-10-26 06:06:24", "Vietnam time is UTC+7")
        self.assertEqual(order.lines[0].sku, "9243568016837")
        self.assertEqual(order.shipping_address.province, "Tây Ninh")
