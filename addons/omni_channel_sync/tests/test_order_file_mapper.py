import csv
import io
from datetime import datetime

import openpyxl

from odoo.tests import BaseCase, tagged

from ..connectors.normalized_order import parse_order
from ..connectors.order_file_mapper import OrderFileError, read_order_file

SHOPEE_VI = [
    "Mã đơn hàng",
    "Ngày đặt hàng",
    "Trạng Thái Đơn Hàng",
    "SKU sản phẩm",
    "SKU phân loại hàng",
    "Tên sản phẩm",
    "Tên phân loại hàng",
    "Giá gốc",
    "Giá ưu đãi",
    "Số lượng",
    "Mã giảm giá của Shop",
    "Mã giảm giá của Shopee",
    "Phí vận chuyển mà người mua trả",
    "Người Mua",
    "Tên Người nhận",
    "Số điện thoại",
    "Tỉnh/Thành phố",
    "TP / Quận / Huyện",
    "Quận",
    "Địa chỉ nhận hàng",
    "Phương thức thanh toán",
    "Ghi chú",
]
SHOPEE_EN = [
    "Order ID",
    "Order Status",
    "Order Creation Date",
    "Parent SKU Reference No.",
    "SKU Reference No.",
    "Product Name",
    "Variation Name",
    "Original Price",
    "Deal Price",
    "Quantity",
    "Seller Voucher",
    "Shopee Voucher",
    "Estimated Shipping Fee",
    "Username (Buyer)",
    "Receiver Name",
    "Phone Number",
    "Province",
    "City",
    "District",
    "Delivery Address",
    "Payment Method",
    "Remark from buyer",
]


def xlsx(*rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def text_file(*rows, delimiter=",", bom=False):
    content = io.StringIO()
    csv.writer(content, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + content.getvalue()).encode()


def shopee_vi_row(order_id="2411200ABC", changes=None):
    """A row of a Shopee export in Vietnamese; `changes` are cells by header."""
    row = dict.fromkeys(SHOPEE_VI)
    row.update(
        {
            "Mã đơn hàng": order_id,
            "Ngày đặt hàng": "2026-11-20 14:05",
            "Trạng Thái Đơn Hàng": "Chờ lấy hàng",
            "SKU sản phẩm": "AO",
            "SKU phân loại hàng": "AO-DO-M",
            "Tên sản phẩm": "Áo thun",
            "Tên phân loại hàng": "Đỏ, M",
            "Giá gốc": "200.000",
            "Giá ưu đãi": "150.000",
            "Số lượng": 2,
            "Mã giảm giá của Shop": "10.000",
            "Mã giảm giá của Shopee": "5.000",
            "Phí vận chuyển mà người mua trả": "30.000",
            "Người Mua": "binh.tran",
            "Tên Người nhận": "Trần Thị Bình",
            "Số điện thoại": 912345678,
            "Tỉnh/Thành phố": "Hà Nội",
            "TP / Quận / Huyện": "Quận Hoàn Kiếm",
            "Quận": "Phường Hàng Bài",
            "Địa chỉ nhận hàng": "12 Lý Thường Kiệt",
            "Phương thức thanh toán": "Thanh toán khi nhận hàng",
            "Ghi chú": "Giao giờ hành chính",
        }
    )
    row.update(changes or {})
    return [row[header] for header in SHOPEE_VI]


@tagged("post_install", "-at_install")
class TestOrderFileMapper(BaseCase):
    def test_shopee_vietnamese_xlsx_groups_lines_into_one_order(self):
        second_line = shopee_vi_row(
            changes={
                "SKU phân loại hàng": None,  # no variations: the product's SKU is the SKU
                "SKU sản phẩm": "QUAN",
                "Tên sản phẩm": "Quần jean",
                "Tên phân loại hàng": None,
                "Giá gốc": 100000,
                "Giá ưu đãi": 100000,
                "Số lượng": 1,
            }
        )
        orders, problems = read_order_file(xlsx(SHOPEE_VI, shopee_vi_row(), second_line), "Order.all.xlsx")
        self.assertEqual(problems, [])
        (order,) = orders
        self.assertEqual(order["external_id"], "2411200ABC")
        self.assertEqual(order["status"], "ready_to_ship")
        self.assertEqual(order["created_at"], "2026-11-20T07:05:00+00:00")
        self.assertEqual(order["currency"], "VND")
        self.assertEqual(order["payment_method"], "cod")
        self.assertEqual(order["shipping_fee"], 30000)
        self.assertEqual(order["note"], "Giao giờ hành chính")
        self.assertEqual(
            order["customer"],
            {"buyer_id": "binh.tran", "name": "Trần Thị Bình", "phone": "0912345678", "email": None},
        )
        self.assertEqual(
            order["shipping_address"],
            {
                "name": "Trần Thị Bình",
                "phone": "0912345678",
                "street": "12 Lý Thường Kiệt",
                "ward": "Phường Hàng Bài",
                "district": "Quận Hoàn Kiếm",
                "province": "Hà Nội",
                "country": "VN",
            },
        )
        tee, jeans = order["lines"]
        self.assertEqual((tee["sku"], tee["name"], tee["quantity"]), ("AO-DO-M", "Áo thun (Đỏ, M)", 2))
        self.assertEqual((jeans["sku"], jeans["name"], jeans["quantity"]), ("QUAN", "Quần jean", 1))
        self.assertEqual((tee["unit_price"], jeans["unit_price"]), (200000, 100000))
        # deal: 2 x 50,000 off; shop voucher 10,000 and Shopee voucher 5,000 spread 300,000 : 100,000
        self.assertEqual((tee["seller_discount"], jeans["seller_discount"]), (100000 + 7500, 2500))
        self.assertEqual((tee["platform_discount"], jeans["platform_discount"]), (3750, 1250))
        parsed = parse_order(order)
        self.assertEqual(str(parsed.created_at), "2026-11-20 07:05:00")
        self.assertEqual(len(parsed.lines), 2)

    def test_shopee_english_csv_with_bom_and_semicolons(self):
        header = SHOPEE_EN
        row = [
            "2411209XYZ",
            "To ship",
            "20/11/2026 14:05",
            "CAP",
            "",
            "Mũ lưỡi trai",
            "",
            "₫1.234.000",
            "1,134,000",
            "1",
            "0",
            "34.000",
            "15000",
            "an.nguyen",
            "Nguyễn Văn An",
            "0987654321",
            "TP. Hồ Chí Minh",
            "Quận 1",
            "Phường Bến Nghé",
            "1 Lê Lợi",
            "ShopeePay",
            "Gọi trước khi giao",
        ]
        orders, problems = read_order_file(text_file(header, row, delimiter=";", bom=True), "orders.csv")
        self.assertEqual(problems, [])
        (order,) = orders
        self.assertEqual(order["external_id"], "2411209XYZ")
        self.assertEqual(order["status"], "ready_to_ship")
        self.assertEqual(order["created_at"], "2026-11-20T07:05:00+00:00")
        self.assertEqual(order["payment_method"], "prepaid")
        self.assertEqual(order["shipping_fee"], 15000)
        self.assertEqual(order["note"], "Gọi trước khi giao")
        self.assertEqual(order["customer"]["buyer_id"], "an.nguyen")
        self.assertEqual(order["shipping_address"]["district"], "Quận 1")
        self.assertEqual(order["shipping_address"]["ward"], "Phường Bến Nghé")
        (line,) = order["lines"]
        self.assertEqual(line["sku"], "CAP", "the parent SKU when the variation SKU is empty")
        self.assertEqual(line["unit_price"], 1234000)
        self.assertEqual(line["seller_discount"], 100000)
        self.assertEqual(line["platform_discount"], 34000)
        parse_order(order)

    def test_generic_layout_tab_separated(self):
        header = [
            "external_id",
            "status",
            "created_at",
            "currency",
            "buyer_id",
            "customer_name",
            "email",
            "phone",
            "line_id",
            "sku",
            "name",
            "quantity",
            "unit_price",
            "seller_discount",
            "platform_discount",
            "shipping_fee",
            "payment_method",
            "pay_by",
        ]
        buyer = [
            "WEB-1",
            "unpaid",
            "2026-11-20T07:00:00Z",
            "vnd",
            "",
            "Lê Hoa",
            "hoa@example.com",
            "0901234567",
        ]
        rows = [
            [*buyer, "1", "TEE-M", "Áo", "2", "150000", "20000", "0", "30000", "cod", "2026-11-21 14:00"],
            [*buyer, "2", "MUG", "Cốc", "1", "60000", "0", "10000", "30000", "cod", "2026-11-21 14:00"],
        ]
        orders, problems = read_order_file(text_file(header, *rows, delimiter="\t"), "web.tsv")
        self.assertEqual(problems, [])
        (order,) = orders
        self.assertEqual(order["created_at"], "2026-11-20T07:00:00+00:00", "an explicit zone is kept")
        self.assertEqual(order["pay_by"], "2026-11-21T07:00:00+00:00")
        self.assertEqual(order["customer"]["name"], "Lê Hoa")
        self.assertEqual(order["customer"]["email"], "hoa@example.com")
        self.assertEqual(
            [
                (line["line_id"], line["sku"], line["seller_discount"], line["platform_discount"])
                for line in order["lines"]
            ],
            [("1", "TEE-M", 20000, 0), ("2", "MUG", 0, 10000)],
        )
        self.assertEqual(order["shipping_fee"], 30000)
        parse_order(order)

    def test_money_formats(self):
        prices = ["1.234.000", "1,234,000", "₫1.234.000", "1.234.000 ₫", "1234000đ", 1234000, 1234000.0]
        rows = [
            shopee_vi_row(f"O{index}", {"Giá gốc": price, "Giá ưu đãi": None, "Mã giảm giá của Shop": None})
            for index, price in enumerate(prices)
        ]
        orders, problems = read_order_file(xlsx(SHOPEE_VI, *rows), "money.xlsx")
        self.assertEqual(problems, [])
        self.assertEqual([order["lines"][0]["unit_price"] for order in orders], [1234000] * len(prices))
        self.assertEqual({order["lines"][0]["seller_discount"] for order in orders}, {0})

    def test_dates_are_vietnam_time_returned_in_utc(self):
        dates = [
            "2026-11-20 14:05",
            "20/11/2026 14:05",
            datetime(2026, 11, 20, 14, 5),
            "2026-11-20T07:05:00Z",
        ]
        rows = [shopee_vi_row(f"D{index}", {"Ngày đặt hàng": value}) for index, value in enumerate(dates)]
        orders, problems = read_order_file(xlsx(SHOPEE_VI, *rows), "dates.xlsx")
        self.assertEqual(problems, [])
        self.assertEqual({order["created_at"] for order in orders}, {"2026-11-20T07:05:00+00:00"})
        midnight = shopee_vi_row(changes={"Ngày đặt hàng": "01/12/2026"})
        (order,), _problems = read_order_file(xlsx(SHOPEE_VI, midnight), "dates.xlsx")
        self.assertEqual(order["created_at"], "2026-11-30T17:00:00+00:00")

    def test_status_mapping(self):
        expected = {
            "Chờ xác nhận": "unpaid",
            "Chờ thanh toán": "unpaid",
            "Unpaid": "unpaid",
            "Chờ lấy hàng": "ready_to_ship",
            "To ship": "ready_to_ship",
            "Đang giao": "shipped",
            "Shipping": "shipped",
            "Đã giao": "completed",
            "Hoàn thành": "completed",
            "Completed": "completed",
            "Đã hủy": "cancelled",
            "Đã huỷ": "cancelled",  # the other spelling of the accent
            "cancelled": "cancelled",
            "Trả hàng/Hoàn tiền": "returned",
            "Return/Refund": "returned",
        }
        rows = [
            shopee_vi_row(f"S{index}", {"Trạng Thái Đơn Hàng": label}) for index, label in enumerate(expected)
        ]
        orders, problems = read_order_file(xlsx(SHOPEE_VI, *rows), "statuses.xlsx")
        self.assertEqual(problems, [])
        self.assertEqual([order["status"] for order in orders], list(expected.values()))

    def test_payment_methods(self):
        methods = {"COD": "cod", "Thanh toán khi nhận hàng": "cod", "Ví ShopeePay": "prepaid", "": "prepaid"}
        rows = [
            shopee_vi_row(f"P{index}", {"Phương thức thanh toán": method})
            for index, method in enumerate(methods)
        ]
        orders, _problems = read_order_file(xlsx(SHOPEE_VI, *rows), "payments.xlsx")
        self.assertEqual([order["payment_method"] for order in orders], list(methods.values()))

    def test_vouchers_are_spread_to_the_last_dong(self):
        rows = [
            shopee_vi_row(
                "V1",
                {
                    "SKU phân loại hàng": sku,
                    "Giá gốc": 100000,
                    "Giá ưu đãi": 100000,
                    "Số lượng": 1,
                    "Mã giảm giá của Shop": 10000,
                    "Mã giảm giá của Shopee": 0,
                },
            )
            for sku in ("A", "B", "C")
        ]
        (order,), _problems = read_order_file(xlsx(SHOPEE_VI, *rows), "vouchers.xlsx")
        shares = [line["seller_discount"] for line in order["lines"]]
        self.assertEqual(sum(shares), 10000)
        self.assertEqual(sorted(shares), [3333, 3333, 3334])
        self.assertEqual({line["platform_discount"] for line in order["lines"]}, {0})

    def test_rows_of_the_same_sku_and_price_add_up(self):
        unit = {"Số lượng": 1, "Mã giảm giá của Shop": None, "Mã giảm giá của Shopee": None}
        (order,), _problems = read_order_file(
            xlsx(SHOPEE_VI, shopee_vi_row(changes=unit), shopee_vi_row(changes=unit)), "u.xlsx"
        )
        (line,) = order["lines"]
        self.assertEqual((line["quantity"], line["seller_discount"]), (2, 100000))

    def test_problems_name_their_rows_and_keep_the_rest(self):
        rows = [
            ["Báo cáo đơn hàng 20/11/2026"],  # a title above the header
            SHOPEE_VI,
            shopee_vi_row("GOOD"),
            shopee_vi_row("BAD", {"Số lượng": "hai"}),
            shopee_vi_row("BAD"),
            shopee_vi_row(None),
            [],
            shopee_vi_row("ODD", {"Trạng Thái Đơn Hàng": "Đang bay"}),
            shopee_vi_row("NODATE", {"Ngày đặt hàng": "hôm qua", "SKU phân loại hàng": None}),
        ]
        orders, problems = read_order_file(xlsx(*rows), "mixed.xlsx")
        self.assertEqual([order["external_id"] for order in orders], ["GOOD"])
        self.assertEqual(
            [(problem["row"], problem["external_id"]) for problem in problems],
            [(4, "BAD"), (6, None), (8, "ODD"), (9, "NODATE")],
        )
        bad, no_id, odd, no_date = problems
        self.assertEqual(bad["rows"], [4, 5], "the whole order is held back, not only its bad line")
        self.assertIn("Row 4", bad["error"])
        self.assertIn('"hai"', bad["error"])
        self.assertIn("Số lượng", bad["error"])
        self.assertEqual(bad["raw"]["rows"][0]["cells"]["Số lượng"], "hai")
        self.assertEqual(no_id["error"], "Row 6 has no order id.")
        self.assertIn("Đang bay", odd["error"])
        self.assertIn("hôm qua", no_date["error"])
        self.assertEqual(no_date["raw"]["rows"][0]["cells"]["SKU sản phẩm"], "AO")
        template, params = bad["messages"][0]
        self.assertEqual(template % params, bad["error"])

    def test_unknown_layout_is_a_clear_error(self):
        with self.assertRaises(OrderFileError) as caught:
            read_order_file(text_file(["Mã khách", "Tên"], ["K1", "An"]), "customers.csv")
        self.assertIn("customers.csv", str(caught.exception))
        self.assertIn('"Mã đơn hàng" / "Order ID" / "external_id"', str(caught.exception))

    def test_missing_columns_are_named(self):
        with self.assertRaises(OrderFileError) as caught:
            read_order_file(text_file(["Order ID", "Quantity"], ["1", "2"]), "short.csv")
        message = str(caught.exception)
        self.assertIn("reads as the Shopee export with English headers", message)
        self.assertIn('"Order Status"', message)
        self.assertIn('"SKU Reference No." / "Parent SKU Reference No."', message)
        self.assertIn('"Original Price" / "Deal Price"', message)

    def test_files_that_are_not_exports(self):
        for content, needle in (
            (b"", "is empty"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
            (b"PK\x03\x04 not really a workbook", "Excel workbook"),
            ("Mã đơn hàng".encode("utf-16-le"), "UTF-8"),
        ):
            with self.subTest(needle=needle), self.assertRaises(OrderFileError) as caught:
                read_order_file(content, "orders.xlsx")
            self.assertIn(needle, str(caught.exception))
