import base64

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import OmniChannelCase
from .test_order_file_mapper import SHOPEE_VI, shopee_vi_row, text_file, xlsx


@tagged("post_install", "-at_install")
class TestOrderImportWizard(OmniChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.omni_user = new_test_user(cls.env, "omni_file_user", groups="omni_channel_sync.group_user")
        cls.export = xlsx(
            SHOPEE_VI,
            shopee_vi_row("2411A", {"SKU phân loại hàng": "TEE-M"}),
            shopee_vi_row(
                "2411A",
                {
                    "SKU phân loại hàng": "SHOP-MUG-01",
                    "Tên phân loại hàng": None,
                    "Giá gốc": 60000,
                    "Giá ưu đãi": 60000,
                    "Số lượng": 1,
                },
            ),
            shopee_vi_row(
                "2411B",
                {"Trạng Thái Đơn Hàng": "Chờ xác nhận", "SKU phân loại hàng": "8930000000017", "Số lượng": 1},
            ),
            shopee_vi_row(None),
        )

    def run_import(self, content, filename="Order.all.20261120.xlsx", user=None):
        wizard = (
            self.env["omni.order.import"]
            .with_user(user or self.omni_user)
            .create(
                {
                    "channel_id": self.channel.id,
                    "file": base64.b64encode(content),
                    "filename": filename,
                }
            )
        )
        action = wizard.action_import()
        self.assertEqual((action["res_model"], action["res_id"]), ("omni.order.import", wizard.id))
        return wizard

    def test_export_lands_in_the_inbox_and_sale_orders(self):
        wizard = self.run_import(self.export)
        self.assertEqual(wizard.state, "done")
        self.assertEqual((wizard.created_count, wizard.failed_count, wizard.duplicate_count), (2, 1, 0))
        self.assertIn("Row 5 has no order id.", wizard.result_text)
        self.assertFalse(wizard.file, "the file is not kept once imported")

        first, second = self.sale_orders("2411A"), self.sale_orders("2411B")
        self.assertEqual((first.state, first.omni_status), ("sale", "ready_to_ship"))
        self.assertEqual((second.state, second.omni_status), ("draft", "unpaid"))
        self.assertTrue(first.omni_is_cod)
        lines = {line.product_id: line for line in first.order_line}
        self.assertEqual((lines[self.tee].product_uom_qty, lines[self.tee].price_unit), (2, 200000))
        self.assertEqual(lines[self.mug].product_uom_qty, 1)
        self.assertEqual(lines[self.channel.shipping_product_id].price_unit, 30000)
        # the deal (2 x 50,000) and the shop voucher are the seller's, the Shopee voucher the platform's
        self.assertEqual(first.omni_seller_discount, 100000 + 10000)
        self.assertEqual(first.omni_platform_discount, 5000)
        self.assertEqual(second.order_line.filtered("omni_sku").product_id, self.cap)

        inbox = wizard.inbox_ids
        self.assertEqual(len(inbox), 3)
        self.assertEqual(set(inbox.mapped("source")), {"file"})
        failed = inbox.filtered(lambda record: record.state == "failed")
        self.assertEqual(failed.error, "Row 5 has no order id.")
        self.assertIn("Order.all.20261120.xlsx", failed.payload)
        self.assertEqual(inbox.filtered(lambda record: record.state == "done").sale_order_id, first | second)
        action = wizard.action_open_inbox()
        self.assertEqual(self.env["omni.channel.inbox"].search(action["domain"]), inbox)

    def test_importing_the_same_file_again_duplicates_nothing(self):
        self.run_import(self.export)
        again = self.run_import(self.export)
        self.assertEqual((again.created_count, again.duplicate_count, again.failed_count), (0, 2, 1))
        self.assertEqual(len(self.sale_orders("2411A")), 1)
        self.assertEqual(
            self.env["omni.channel.inbox"].search_count([("channel_id", "=", self.channel.id)]), 3
        )

    def test_newer_export_updates_the_orders(self):
        self.run_import(self.export)
        cancelled = xlsx(
            SHOPEE_VI,
            shopee_vi_row("2411B", {"Trạng Thái Đơn Hàng": "Đã hủy", "SKU phân loại hàng": "8930000000017"}),
        )
        wizard = self.run_import(cancelled, filename="orders.xlsx")
        self.assertEqual(wizard.updated_count, 1)
        self.assertEqual(self.sale_orders("2411B").state, "cancel")

    def test_unknown_sku_waits_for_a_listing(self):
        wizard = self.run_import(
            xlsx(SHOPEE_VI, shopee_vi_row("2411C", {"SKU phân loại hàng": "NO-SUCH-SKU"}))
        )
        self.assertEqual((wizard.attention_count, wizard.created_count), (1, 0))
        self.assertIn("NO-SUCH-SKU", wizard.result_text)
        self.assertEqual(wizard.inbox_ids.state, "attention")

    def test_a_file_that_is_not_an_export_is_refused(self):
        with self.assertRaisesRegex(UserError, "customers.csv.*Mã đơn hàng"):
            self.run_import(text_file(["Mã khách", "Tên"], ["K1", "An"]), filename="customers.csv")
        with self.assertRaisesRegex(UserError, "no order rows"):
            self.run_import(
                text_file(["Order ID", "Order Status", "SKU Reference No.", "Quantity", "Deal Price"])
            )
        wizard = (
            self.env["omni.order.import"].with_user(self.omni_user).create({"channel_id": self.channel.id})
        )
        with self.assertRaisesRegex(UserError, "Choose the file"):
            wizard.action_import()
