import importlib.util
import json
import sys
import time
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import tagged

from .common import SimulatorCase, simulator_connection

if importlib.util.find_spec("sandbox") is None:
    # The marketplace simulator lives at the repository's root, two levels above this addon.
    sys.path.append(str(Path(__file__).resolve().parents[3]))

from sandbox.tiki import WAREHOUSE_ID
from sandbox.tiktok import CANCEL_REJECT_REASONS


@tagged("post_install", "-at_install")
class TestOrderLifecycle(SimulatorCase):
    """A Shopee shop (the simulator) lives its orders' lives; Odoo follows each step once, whether it
    learns of it by a push (delivered twice) or by a pull."""

    catalog_stock = 100

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.simulator.shopee.shop
        cls.simulator.webhooks.register("shopee", "https://odoo.example.com/omni/webhook/shopee_lc")
        sim, url = cls.simulator, cls.simulator_url
        cls.lazada, cls.tiktok = cls.env["omni.channel"].create(
            [
                {
                    "name": "Lazada lifecycle",
                    "code": "lazada_lc",
                    "channel_type": "lazada",
                    "pricelist_id": cls.pricelist.id,
                    **simulator_connection(sim, url, "lazada"),
                },
                {
                    "name": "TikTok lifecycle",
                    "code": "tiktok_lc",
                    "channel_type": "tiktok",
                    "pricelist_id": cls.pricelist.id,
                    **simulator_connection(sim, url, "tiktok"),
                },
            ]
        )
        cls.tiki, cls.woocommerce = cls.env["omni.channel"].create(
            [
                {
                    "name": "Tiki lifecycle",
                    "code": "tiki_lc",
                    "channel_type": "tiki",
                    "pricelist_id": cls.pricelist.id,
                    **simulator_connection(sim, url, "tiki"),
                },
                {
                    "name": "WooCommerce lifecycle",
                    "code": "woocommerce_lc",
                    "channel_type": "woocommerce",
                    "pricelist_id": cls.pricelist.id,
                    **simulator_connection(sim, url, "woocommerce"),
                },
            ]
        )
        for platform in ("lazada", "tiktok", "woocommerce"):
            cls.simulator.webhooks.register(platform, f"https://odoo.example.com/omni/webhook/{platform}_lc")
        cls.shopee = cls.env["omni.channel"].create(
            {
                "name": "Shopee lifecycle",
                "code": "shopee_lc",
                "channel_type": "shopee",
                "pricelist_id": cls.pricelist.id,
                **simulator_connection(sim, url, "shopee"),
                "authorization_expires_at": fields.Datetime.now() + timedelta(days=20),
            }
        )

    def new_order(self, cod=True):
        (number,) = self.shop.generate_orders(1, spread_seconds=1)
        self.shop.orders[number].update(cod=cod, status="READY_TO_SHIP" if cod else "UNPAID")
        return number

    def push(self, number, topic=None, channel=None):
        """The platform's push about the order, every delivery made twice, then processed; the inbox
        rows."""
        channel = channel or self.shopee
        Inbox = self.env["omni.channel.inbox"]
        before = Inbox.search([("channel_id", "=", channel.id)])
        with self.simulator.lock:
            deliveries = self.simulator.webhooks.notifications(channel.channel_type, number, topic)
        for _twice in range(2):
            for body, _headers in deliveries:
                self.assertEqual(channel._receive_webhook(json.loads(body), body.decode()), (200, None))
        channel._process_notifications_job()
        received = Inbox.search([("channel_id", "=", channel.id)]) - before
        notifications = received.filtered(lambda record: record.kind == "notification")
        self.assertLessEqual(len(notifications), len(deliveries), "a push delivered twice is stored once")
        self.assertFalse(received.filtered(lambda record: record.state != "done"), received.mapped("error"))
        return received

    def pull(self, channel=None):
        channel = channel or self.shopee
        channel.order_checkpoint = fields.Datetime.now() - timedelta(minutes=5)
        channel._pull_orders(process=True)

    def sale_order(self, number, channel=None):
        channel = channel or self.shopee
        reference = getattr(self.simulator, channel.channel_type).ref(number)
        return self.env["sale.order"].search(
            [("omni_channel_id", "=", channel.id), ("omni_external_ref", "=", reference)]
        )

    def deliver_in_odoo(self, order):
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()

    def test_buyer_cancellation_accepted_cancels_the_order_once(self):
        number = self.new_order()
        self.push(number)
        order = self.sale_order(number)
        self.assertEqual(
            (order.state, order.omni_status, order.picking_ids.state), ("sale", "ready_to_ship", "assigned")
        )
        self.shop.request_cancellation(number)
        self.push(number)
        self.assertTrue(order.omni_cancel_requested)
        self.assertEqual(order.state, "sale", "the order goes on until the seller answers")
        self.shopee._call_adapter("answer_cancellation", number, True)
        self.assertEqual(self.shop.orders[number]["status"], "CANCELLED")
        self.push(number)
        self.pull()
        self.assertEqual((order.state, order.omni_status), ("cancel", "cancelled"))
        self.assertFalse(order.omni_cancel_requested)
        self.assertEqual(set(order.picking_ids.mapped("state")), {"cancel"})

    def test_buyer_cancellation_rejected_goes_on(self):
        number = self.new_order()
        self.shop.request_cancellation(number)
        self.pull()
        order = self.sale_order(number)
        self.assertEqual((order.state, order.omni_cancel_requested), ("sale", True))
        self.shopee._call_adapter("answer_cancellation", number, False)
        self.push(number)
        self.pull()
        self.assertEqual(
            (order.state, order.omni_status, order.omni_cancel_requested), ("sale", "ready_to_ship", False)
        )
        self.assertEqual(order.picking_ids.state, "assigned")

    def test_return_picking_then_credit_note_once(self):
        number = self.new_order()
        self.push(number)
        order = self.sale_order(number)
        delivery = order.picking_ids
        delivery.move_ids.picked = True
        delivery.button_validate()
        self.shop.hand_over(number)
        self.shop.deliver(number)
        self.push(number)
        self.assertEqual(order.omni_status, "completed")
        sku, quantity = self.shop.orders[number]["lines"][0]
        return_sn = self.shop.request_return(number, [(sku, 1)])
        self.push(number, "return")
        self.pull()
        returned = order.picking_ids.filtered(lambda picking: picking.omni_return_ref == return_sn)
        self.assertEqual(len(returned), 1)
        self.assertEqual(
            (returned.picking_type_code, returned.move_ids.product_id.default_code), ("incoming", sku)
        )
        self.assertEqual(returned.move_ids.product_uom_qty, 1)
        self.assertEqual(
            order.omni_status,
            "returned" if len(self.shop.orders[number]["lines"]) == quantity == 1 else "completed",
        )
        self.assertFalse(order.invoice_ids, "no refund before the platform pays the buyer back")
        self.shop.refund(return_sn)
        self.push(number, "return")
        self.pull()
        refund = order.invoice_ids
        self.assertEqual(
            (len(refund), refund.move_type, refund.state, refund.omni_return_ref),
            (1, "out_refund", "posted", return_sn),
        )
        self.assertEqual(refund.invoice_line_ids.product_id.default_code, sku)
        self.assertEqual(refund.invoice_line_ids.quantity, 1)
        self.assertAlmostEqual(
            refund.amount_total,
            self.shop.returns[return_sn]["refund_amount"],
            delta=1,
            msg="what Shopee refunded (to the dong its taxes round to), not the order's price and taxes",
        )
        self.assertEqual(len(order.picking_ids), 2)

    def test_status_only_return_takes_back_the_whole_order_once(self):
        """A channel that says only that the order is returned: the same return path, one return
        named after the order, however often it is said."""
        lines = [{"line_id": "L1", "sku": "TEE-M", "quantity": 2, "unit_price": 150000}]
        self.ingest(self.order("SO-RET-1", status="ready_to_ship", lines=lines, shipping_fee=0))
        order = self.sale_orders("SO-RET-1")
        self.deliver_in_odoo(order)
        # Said twice, the second time as a newer update: it is followed again, and changes nothing.
        for moment in ("2026-11-22T00:00:00Z", "2026-11-22T01:00:00Z"):
            self.ingest(self.order("SO-RET-1", status="returned", lines=lines, updated_at=moment))
        returned = order.picking_ids.filtered(lambda picking: picking.picking_type_code == "incoming")
        self.assertEqual((len(returned), returned.omni_return_ref), (1, "SO-RET-1"))
        self.assertEqual(returned.move_ids.product_uom_qty, 2)
        self.assertEqual(order.omni_status, "returned")
        self.assertFalse(order.invoice_ids, "nothing says the buyer was refunded")

    def test_tracking_number_given_later_by_the_carrier(self):
        number = self.new_order()
        self.push(number)
        order = self.sale_order(number)
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        # The delivery left without a tracking number: Shopee books a pickup, the carrier gives one later.
        order._omni_ship_to_channel()
        self.assertEqual((self.shop.orders[number]["status"], order.omni_ship_state), ("PROCESSED", "sent"))
        self.assertFalse(order.picking_ids.carrier_tracking_ref)
        self.shop.assign_tracking(number)
        tracking = self.shop.orders[number]["tracking_number"]
        self.push(number, "tracking")
        self.push(number, "tracking")
        self.assertEqual(order.picking_ids.carrier_tracking_ref, tracking)
        told = order.message_ids.filtered(lambda message: tracking in (message.body or ""))
        self.assertEqual(len(told), 1)

    def test_lazada_item_cancelled_then_reverse_order_refunded(self):
        shop = self.simulator.lazada.shop
        (number,) = shop.generate_orders(1, spread_seconds=1)
        shop.orders[number].update(cod=True, status="READY_TO_SHIP", lines=[("TEE-M", 2), ("MUG-01", 1)])
        self.push(number, channel=self.lazada)
        order = self.sale_order(number, self.lazada)
        self.assertEqual((order.state, order.omni_status), ("sale", "ready_to_ship"))
        shop.cancel_items(number, ["MUG-01"])
        self.push(number, channel=self.lazada)
        self.pull(self.lazada)
        mug = order.order_line.filtered(lambda line: line.omni_sku == "MUG-01")
        self.assertEqual(mug.product_uom_qty, 0)
        moves = order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel")
        self.assertEqual(moves.product_id.mapped("default_code"), ["TEE-M"])
        self.deliver_in_odoo(order)
        shop.hand_over(number)
        shop.deliver(number)
        return_id = shop.request_return(number, [("TEE-M", 1)])
        self.push(number, "return", channel=self.lazada)
        shop.refund(return_id)
        self.push(number, "return", channel=self.lazada)
        self.pull(self.lazada)
        returned = order.picking_ids.filtered(lambda picking: picking.omni_return_ref == return_id)
        self.assertEqual(returned.move_ids.product_uom_qty, 1)
        self.assertEqual(order.invoice_ids.mapped("omni_return_ref"), [return_id])
        self.assertEqual(order.omni_status, "completed", "one of two units came back")

    def test_tiktok_hold_then_cancellation_approved_from_odoo(self):
        shop = self.simulator.tiktok.shop
        (number,) = shop.generate_orders(1, spread_seconds=1)
        shop.orders[number].update(cod=False, status="UNPAID")
        shop.pay(number)
        self.push(number, channel=self.tiktok)
        order = self.sale_order(number, self.tiktok)
        self.assertEqual((order.state, order.omni_status), ("draft", "pending"), "on hold: not confirmed yet")
        shop.end_hold(number)
        self.push(number, channel=self.tiktok)
        self.assertEqual((order.state, order.omni_status), ("sale", "ready_to_ship"))
        shop.request_cancellation(number)
        self.push(number, channel=self.tiktok)
        self.assertTrue(order.omni_cancel_requested)
        # The push brought the request's id: the answer is one call, no search for the request.
        api = self.simulator.tiktok
        cancel_id = api._cancellation(shop.orders[number])["cancel_id"]
        self.assertEqual(order.omni_cancel_request_id, cancel_id)
        api.windows.clear()  # the calls the simulator counts for its rate limits, from now
        answer = order.with_context(queue_job__no_delay=True).action_omni_accept_cancellation()
        self.assertEqual(answer["params"]["type"], "success", answer)
        # Per API (the shop's own limit counts every call again, under no API).
        calls = [path for (_limit, path), times in api.windows.items() if path for _time in times]
        self.assertEqual(calls, [f"/return_refund/202309/cancellations/{cancel_id}/approve"])
        self.assertFalse(order.omni_cancel_request_id)
        self.assertEqual(shop.orders[number]["status"], "CANCELLED")
        self.assertEqual((order.state, order.omni_cancel_requested), ("cancel", False))
        self.push(number, channel=self.tiktok)
        self.pull(self.tiktok)
        self.assertEqual(order.state, "cancel")

    def test_tiktok_cancellation_rejected_with_the_reason_picked_in_odoo(self):
        """TikTok wants a reason for a rejection: the manager picks one of those TikTok offers for the
        request (in the manager's language), the first one unless told otherwise."""
        shop = self.simulator.tiktok.shop
        (number,) = shop.generate_orders(1, spread_seconds=1)
        shop.orders[number].update(cod=True, status="READY_TO_SHIP")
        shop.request_cancellation(number)
        self.push(number, channel=self.tiktok)
        order = self.sale_order(number, self.tiktok)
        self.assertTrue(order.omni_cancel_requested)
        # Without the request's id (an order imported before it was kept), TikTok is asked for it.
        order.omni_cancel_request_id = False
        self.env["res.lang"]._activate_lang("vi_VN")
        action = order.with_context(lang="vi_VN").action_omni_reject_cancellation()
        self.assertEqual((action["res_model"], action["target"]), ("omni.cancellation.reject", "new"))
        wizard = self.env["omni.cancellation.reject"].browse(action["res_id"])
        offered = [(reason, texts["vi-VN"]) for reason, texts in CANCEL_REJECT_REASONS.items()]
        self.assertEqual([(reason.code, reason.name) for reason in wizard.reason_ids], offered)
        self.assertEqual(wizard.reason_id, wizard.reason_ids[0], "the first reason offered is chosen")
        wizard.reason_id = wizard.reason_ids[-1]
        answer = wizard.with_context(queue_job__no_delay=True).action_reject()
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertEqual(shop.orders[number]["cancel_rejected_for"], offered[-1][0])
        self.assertEqual(shop.orders[number]["status"], "READY_TO_SHIP")
        self.assertEqual((order.state, order.omni_cancel_requested), ("sale", False))
        self.push(number, channel=self.tiktok)
        self.assertEqual((order.state, order.omni_cancel_requested), ("sale", False))
        answer = order.action_omni_reject_cancellation()
        self.assertEqual(answer["params"]["type"], "info", "nothing waits for an answer: no reasons asked")

    def test_lost_push_recovered_by_the_next_pull(self):
        """A push Odoo never took (it was down): Shopee keeps it, the next pull stores it once, as if
        it had come, and its order is imported."""
        number = self.new_order()
        with self.simulator.lock:
            ((body, _headers),) = self.simulator.webhooks.notifications("shopee", number)
        self.simulator.shopee.lose_push(body)
        # The pull's window misses the order: only the lost push brings it.
        self.shopee.order_checkpoint = fields.Datetime.now() + timedelta(hours=1)
        self.shopee._pull_orders(process=True)
        self.shopee._process_notifications_job()
        self.assertEqual(self.sale_order(number).state, "sale")
        domain = [
            ("channel_id", "=", self.shopee.id),
            ("kind", "=", "notification"),
            ("external_id", "=", number),
        ]
        recovered = self.env["omni.channel.inbox"].search(domain)
        self.assertEqual((len(recovered), recovered.state), (1, "done"))
        # The push arrives after all: it is the one stored.
        self.assertEqual(self.shopee._receive_webhook(json.loads(body), body.decode()), (200, None))
        self.assertEqual(self.env["omni.channel.inbox"].search(domain), recovered)

    def test_tiki_partial_confirmation_then_return_refunded(self):
        """Tiki: the seller confirms the T-shirts only (the mug is cancelled), the order is delivered
        and returned: the return picking, and the credit note of what Tiki refunded; each pull made
        twice."""
        shop, api = self.simulator.tiki.shop, self.simulator.tiki
        shop.now = int(time.time()) - 60  # a new order: the pull's window holds it
        (number,) = shop.generate_orders(1, spread_seconds=1)
        shop.orders[number].update(cod=True, status="READY_TO_SHIP", lines=[("TEE-M", 2), ("MUG-01", 1)])
        for _twice in range(2):
            self.pull(self.tiki)
        order = self.sale_order(number, self.tiki)
        self.assertEqual((order.state, order.omni_status), ("sale", "ready_to_ship"), "queueing: to confirm")
        code = api.ref(number)
        items = {
            row["product"]["seller_product_code"]: row["id"]
            for row in api._order(shop.orders[number])["items"]
        }
        confirm = {"available_item_ids": [items["TEE-M"]], "seller_inventory_id": WAREHOUSE_ID}
        self.assertEqual(api._confirm_available({}, confirm, code)[0], 200)
        for _twice in range(2):
            self.pull(self.tiki)
        mug = order.order_line.filtered(lambda line: line.omni_sku == "MUG-01")
        self.assertEqual((mug.product_uom_qty, mug.omni_cancelled_qty), (0, 1))
        moves = order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel")
        self.assertEqual(moves.product_id.mapped("default_code"), ["TEE-M"])
        self.deliver_in_odoo(order)
        order._omni_ship_to_channel()
        self.assertEqual(order.omni_ship_state, "sent", "the confirmed order is not confirmed again")
        shop.hand_over(number)
        shop.deliver(number)
        self.pull(self.tiki)
        self.assertEqual(order.omni_status, "completed")
        shop.refund(shop.request_return(number))
        for _twice in range(2):
            self.pull(self.tiki)
        self.assertEqual(order.omni_status, "returned")
        returned = order.picking_ids.filtered(lambda picking: picking.picking_type_code == "incoming")
        self.assertEqual((len(returned), returned.omni_return_ref), (1, code))
        self.assertEqual(returned.move_ids.product_uom_qty, 2)
        refund = order.invoice_ids
        self.assertEqual((len(refund), refund.state), (1, "posted"))
        # What Tiki refunded, to the dong its taxes round to.
        self.assertAlmostEqual(refund.amount_total, 300000, delta=1)

    def test_woocommerce_refund_before_shipping_cancels_and_after_returns(self):
        """WooCommerce: a refund of the mug before the order is completed cancels it; a refund of a
        T-shirt after it is a return, credited as much as the store refunded; each webhook twice."""
        shop, api = self.simulator.woocommerce.shop, self.simulator.woocommerce
        (number,) = shop.generate_orders(1, spread_seconds=1)
        shop.orders[number].update(cod=False, status="UNPAID", lines=[("TEE-M", 2), ("MUG-01", 1)])
        shop.pay(number)
        self.push(number, channel=self.woocommerce)
        order, ref = self.sale_order(number, self.woocommerce), api.ref(number)
        self.assertEqual((order.state, order.omni_status), ("sale", "ready_to_ship"))
        lines = {line["sku"]: line["id"] for line in api.order(shop.orders[number])["line_items"]}

        def refund(sku, amount):
            body = {"amount": amount, "api_refund": False,
                    "line_items": [{"id": lines[sku], "quantity": 1, "refund_total": amount}]}  # fmt: skip
            self.assertEqual(api._create_refund({"body": body}, ref)[0], 201)

        refund("MUG-01", "60000")
        self.push(number, channel=self.woocommerce)
        mug = order.order_line.filtered(lambda line: line.omni_sku == "MUG-01")
        self.assertEqual(mug.product_uom_qty, 0)
        self.assertFalse(order.invoice_ids, "a cancellation, not a return")
        self.deliver_in_odoo(order)
        order._omni_ship_to_channel()
        self.assertEqual(shop.orders[number]["status"], "COMPLETED")
        self.push(number, channel=self.woocommerce)
        self.assertEqual(order.omni_status, "completed")
        refund("TEE-M", "100000")
        self.push(number, channel=self.woocommerce)
        self.pull(self.woocommerce)
        returned = order.picking_ids.filtered(lambda picking: picking.picking_type_code == "incoming")
        self.assertEqual((len(returned), returned.move_ids.product_uom_qty), (1, 1))
        credit = order.invoice_ids.filtered(lambda move: move.move_type == "out_refund")
        self.assertEqual((len(credit), credit.state), (1, "posted"))
        # What the store refunded, to the dong its taxes round to (15 % of a whole base cannot make
        # every total).
        self.assertAlmostEqual(credit.amount_total, 100000, delta=1)
        self.assertEqual(order.omni_status, "completed", "one T-shirt of two came back")
