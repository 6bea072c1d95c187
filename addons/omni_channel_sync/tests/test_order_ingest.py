from odoo.addons.queue_job.job import Job
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OmniChannelCase


@tagged("post_install", "-at_install")
class TestOrderIngest(OmniChannelCase):
    def test_unpaid_order_becomes_a_quotation_with_channel_fields(self):
        (result,) = self.ingest(self.order())
        self.assertEqual(result["status"], "created", result)
        order = self.sale_orders()
        self.assertEqual(result["sale_order_id"], order.id)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.omni_status, "unpaid")
        self.assertTrue(order.omni_is_cod)
        self.assertEqual(str(order.omni_pay_by), "2026-11-21 07:00:00")
        self.assertEqual(order.currency_id, self.vnd)
        self.assertEqual(order.partner_id.name, "Trần Thị Bình")
        self.assertEqual(order.partner_id.state_id.name, "Hà Nội")
        lines = {line.product_id: line for line in order.order_line}
        self.assertEqual(lines[self.tee].product_uom_qty, 2)
        self.assertEqual(lines[self.tee].price_unit, 150000)
        self.assertEqual(lines[self.mug].omni_sku, "SHOP-MUG-01")
        self.assertEqual(lines[self.channel.shipping_product_id].price_unit, 30000)
        self.assertEqual(lines[self.channel.seller_discount_product_id].price_unit, -20000)
        self.assertEqual(lines[self.channel.platform_discount_product_id].price_unit, -10000)
        self.assertEqual(order.omni_platform_discount, 10000)
        self.assertEqual(order.amount_untaxed, 2 * 150000 + 60000 + 30000 - 20000 - 10000)

    def test_sku_resolves_by_listing_reference_then_barcode(self):
        lines = [
            {"sku": "TEE-M", "quantity": 1, "unit_price": 1},
            {"sku": "8930000000017", "quantity": 1, "unit_price": 1},
            {"sku": "SHOP-MUG-01", "quantity": 1, "unit_price": 1},
        ]
        self.ingest(self.order(lines=lines, shipping_fee=0))
        self.assertEqual(self.sale_orders().order_line.product_id, self.tee | self.cap | self.mug)

    def test_one_new_buyer_in_a_batch_is_one_customer(self):
        buyer = {"name": "Võ Thị Hoa", "email": "Hoa.Vo@example.vn", "phone": "0987654321"}
        results = self.ingest(self.order("A", customer=buyer), self.order("B", customer=buyer))
        self.assertEqual([r["status"] for r in results], ["created", "created"])
        self.assertEqual(len(self.sale_orders("A").partner_id | self.sale_orders("B").partner_id), 1)
        self.ingest(self.order("C", customer=dict(buyer, email="hoa.vo@EXAMPLE.vn")))
        self.assertEqual(self.sale_orders("C").partner_id, self.sale_orders("A").partner_id, "e-mail case")

    def test_a_new_buyer_is_written_to_in_the_shop_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.channel.company_id.partner_id.lang = "vi_VN"
        self.ingest(self.order())
        self.assertEqual(self.sale_orders().partner_id.lang, "vi_VN")

    def test_masked_contacts_never_match(self):
        masked = {"name": "Khách ẩn", "phone": "84*****321", "email": "h***@example.vn"}
        self.ingest(self.order("A", customer=masked), self.order("B", customer=masked))
        self.assertEqual(len(self.sale_orders("A").partner_id | self.sale_orders("B").partner_id), 2)
        self.assertFalse(self.sale_orders("A").partner_id.phone)

    def test_ready_to_ship_confirms_the_order(self):
        (result,) = self.ingest(self.order(status="ready_to_ship"))
        order = self.sale_orders()
        self.assertEqual(result["status"], "created")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids)
        self.assertEqual(str(order.date_order), "2026-11-20 07:00:00", "the day the buyer ordered")

    def test_same_order_three_times_is_one_sale_order(self):
        results = self.ingest(self.order(), self.order())
        results += self.ingest(self.order())
        self.assertEqual([r["status"] for r in results], ["created", "duplicate", "duplicate"])
        self.assertEqual(len(self.sale_orders()), 1)
        self.assertEqual(len({r["sale_order_id"] for r in results}), 1)
        self.assertEqual(self.env["omni.channel.inbox"].search_count([("external_id", "=", "SO-1001")]), 1)

    def test_newer_status_updates_the_same_order(self):
        self.ingest(self.order())
        (result,) = self.ingest(self.order(status="ready_to_ship", updated_at="2026-11-20T08:00:00Z"))
        self.assertEqual(result["status"], "updated")
        order = self.sale_orders()
        self.assertEqual((order.state, order.omni_status), ("sale", "ready_to_ship"))
        (late,) = self.ingest(self.order(status="unpaid", updated_at="2026-11-20T07:30:00Z"))
        self.assertEqual(late["status"], "duplicate", "an older update changes nothing")
        self.assertEqual(order.omni_status, "ready_to_ship")
        self.ingest(self.order(status="cancelled", updated_at="2026-11-20T09:00:00Z"))
        self.assertEqual((order.state, order.omni_status), ("cancel", "cancelled"))
        self.assertEqual(len(self.sale_orders()), 1)

    def test_return_drafts_a_return_picking(self):
        self.env["stock.quant"]._update_available_quantity(
            self.tee, self.env.ref("stock.warehouse0").lot_stock_id, 10
        )
        lines = [{"sku": "TEE-M", "quantity": 2, "unit_price": 1}]
        self.ingest(self.order(status="ready_to_ship", lines=lines))
        order = self.sale_orders()
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.button_validate()
        self.ingest(self.order(status="returned", updated_at="2026-11-22T00:00:00Z", lines=lines))
        self.assertEqual(order.omni_status, "returned")
        self.assertEqual(picking.return_ids.move_ids.product_uom_qty, 2)

    def test_async_ingest_queues_a_job(self):
        (result,) = self.ingest(self.order(), **{"async": True})
        self.assertEqual(result["status"], "queued")
        self.assertFalse(self.sale_orders())
        job = self.env["queue.job"].search([("method_name", "=", "_process_job")])
        self.assertEqual(job.records.ids, [result["inbox_id"]])
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(self.sale_orders().omni_status, "unpaid")
        self.assertEqual(self.env["omni.channel.inbox"].browse(result["inbox_id"]).state, "done")


@tagged("post_install", "-at_install")
class TestOrderIngestBadInput(OmniChannelCase):
    def assertFailedAndStored(self, result, *fragments):
        self.assertEqual(result["status"], "failed", result)
        inbox = self.env["omni.channel.inbox"].browse(result["inbox_id"])
        self.assertEqual(inbox.state, "failed")
        self.assertTrue(inbox.payload, "the payload is kept")
        for fragment in fragments:
            self.assertIn(fragment, result["error"])
            self.assertIn(fragment, inbox.error)
        self.assertFalse(self.env["sale.order"].search([("omni_channel_id", "=", self.channel.id)]))

    def test_missing_fields(self):
        order = self.order()
        del order["lines"], order["status"]
        (result,) = self.ingest(order)
        self.assertFailedAndStored(result, "lines", "status")

    def test_wrong_types(self):
        (result,) = self.ingest(self.order(lines=[{"sku": "TEE-M", "quantity": "two", "unit_price": 1}]))
        self.assertFailedAndStored(result, "lines.0.quantity")

    def test_negative_quantity(self):
        (result,) = self.ingest(self.order(lines=[{"sku": "TEE-M", "quantity": -1, "unit_price": 1}]))
        self.assertFailedAndStored(result, "lines.0.quantity", "greater than 0")

    def test_unknown_currency(self):
        (result,) = self.ingest(self.order(currency="XYZ"))
        self.assertFailedAndStored(result, "Unknown currency XYZ")

    def test_currency_other_than_the_channel(self):
        (result,) = self.ingest(self.order(currency="USD"))
        self.assertFailedAndStored(result, "sells in VND")

    def test_an_order_that_is_not_an_object(self):
        (result,) = self.ingest("not an order")
        self.assertFailedAndStored(result, "must be an object")

    def test_five_megabytes_are_refused_and_nothing_is_created(self):
        inbox_before = self.env["omni.channel.inbox"].search_count([])
        (result, good) = self.ingest(self.order(note="x" * 5 * 1024 * 1024), self.order("SO-OK"))
        self.assertEqual(result["status"], "failed")
        self.assertIn("over the limit", result["error"])
        self.assertEqual(good["status"], "created", "one bad order does not block the others")
        self.assertEqual(self.env["omni.channel.inbox"].search_count([]), inbox_before + 1)
        self.assertFalse(self.sale_orders())

    def test_a_bad_order_does_not_block_the_batch(self):
        results = self.ingest(self.order("A"), self.order("B", currency="XYZ"), self.order("C"))
        self.assertEqual([r["status"] for r in results], ["created", "failed", "created"])

    def test_orders_must_be_a_list_of_at_most_500(self):
        Channel = self.env["omni.channel"].with_user(self.integrator)
        with self.assertRaises(ValidationError):
            Channel.api_ingest_orders("partner_api", {"external_id": "x"})
        with self.assertRaises(ValidationError):
            Channel.api_ingest_orders("partner_api", [self.order(str(n)) for n in range(501)])
        with self.assertRaises(ValidationError):
            Channel.api_ingest_orders("no_such_channel", [])


@tagged("post_install", "-at_install")
class TestOrderIngestAccess(OmniChannelCase):
    def test_employees_without_the_group_cannot_ingest(self):
        clerk = new_test_user(self.env, "clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.ingest(self.order(), user=clerk)

    def test_managers_can_ingest(self):
        (result,) = self.ingest(self.order(), user=self.manager)
        self.assertEqual(result["status"], "created")

    def test_credentials_are_for_managers_only(self):
        user = new_test_user(self.env, "omni_user", groups="omni_channel_sync.group_user")
        for reader in (user, self.integrator):
            with self.assertRaises(AccessError):
                self.channel.with_user(reader).read(["webhook_secret"])
            self.assertNotIn("api_secret", self.channel.with_user(reader).fields_get())
        self.assertEqual(self.channel.with_user(self.manager).webhook_secret, "s3cret-key")

    def test_integrator_results_are_plain_values(self):
        (result,) = self.ingest(self.order())
        self.assertEqual(
            set(result),
            {"external_id", "status", "sale_order_id", "inbox_id", "error"},
            "documented keys only",
        )
        self.assertIsInstance(result["sale_order_id"], int)
