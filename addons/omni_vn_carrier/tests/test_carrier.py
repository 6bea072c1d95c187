import base64
import csv
import io
import time
from datetime import timedelta
from unittest.mock import patch

import requests

from odoo import Command, fields
from odoo.addons.omni_loyalty.tests.loyalty_common import create_default_program
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from ..models import stock_picking
from ..models.stock_picking import POLL_AFTER_HOURS
from .common import CarrierCase

HANOI_FEE = 30_000  # from the shop in Hồ Chí Minh to Hà Nội, up to 3 kg, with either carrier


@tagged("post_install", "-at_install")
class TestCarrier(CarrierCase):
    def webhook_url(self, carrier, secret=None):
        return f"/omni_vn_carrier/webhook/{carrier.id}?hash={secret or carrier.omni_webhook_secret}"

    def push(self, carrier, picking, statuses=None, secret=None):
        """Posts the simulator's pushes of the parcel's log (or of its ``statuses``), as the carrier does."""
        api = self.simulator.ghn if carrier.delivery_type == "ghn" else self.simulator.ghtk
        parcel = api.orders[picking.carrier_tracking_ref]
        answers = []
        for status, at in parcel["log"]:
            if statuses is None or status in statuses:
                body, headers = api.webhook(parcel, status, at)
                answers.append(self.url_open(self.webhook_url(carrier, secret), data=body, headers=headers))
        return answers

    def step(self, carrier, picking, status):
        key, code_key, status_key = (
            ("ghn", "order_code", "status")
            if carrier.delivery_type == "ghn"
            else ("ghtk", "label", "status_id")
        )
        answer = requests.post(
            f"{self.sim_url}/_sandbox/{key}/step",
            json={code_key: picking.carrier_tracking_ref, status_key: status},
            timeout=10,
        )
        self.assertEqual(answer.status_code, 200, answer.text)

    # ------------------------------------------------------------------ rate, book, cancel, track

    def test_the_service_address_defaults_to_the_carriers_production_api(self):
        carrier = self.env["delivery.carrier"].create(
            {"name": "GHN 2", "delivery_type": "ghn", "product_id": self.ghn.product_id.id}
        )
        self.assertEqual(carrier.omni_carrier_url, "https://online-gateway.ghn.vn/")
        carrier.delivery_type = "ghtk"
        self.assertEqual(carrier.omni_carrier_url, "https://services.giaohangtietkiem.vn/")
        self.assertIn(f"/omni_vn_carrier/webhook/{carrier.id}?hash=", carrier.omni_webhook_url)
        self.assertNotEqual(carrier.omni_webhook_secret, self.ghn.omni_webhook_secret)

    def test_rate_shows_the_carriers_fee_on_the_order(self):
        for carrier in (self.ghn, self.ghtk):
            order = self.order(carrier)
            delivery = order.order_line.filtered("is_delivery")
            self.assertEqual(delivery.price_unit, HANOI_FEE)
            self.assertEqual(order.amount_total, 2 * 175_000 + HANOI_FEE)

    def test_validation_books_the_waybill_with_its_label_and_the_cash_to_collect(self):
        for carrier, api in ((self.ghn, self.simulator.ghn), (self.ghtk, self.simulator.ghtk)):
            order = self.order(carrier)
            picking = self.ship(order)
            parcel = api.orders[picking.carrier_tracking_ref]
            self.assertEqual(picking.omni_carrier_status, "booked")
            self.assertEqual(picking.omni_carrier_cod_amount, order.amount_total)
            self.assertEqual(parcel["cod"], 380_000)
            self.assertEqual(picking.carrier_price, HANOI_FEE)
            label = picking._omni_carrier_labels()
            self.assertEqual(len(label), 1)
            self.assertTrue(base64.b64decode(label.datas).startswith(b"%PDF"))
            self.assertIn(picking.carrier_tracking_ref, picking.carrier_tracking_url)
            self.assertEqual(order.omni_carrier_status, "booked")
        # The 2025 address: GHN gets the ward's code alone, GHTK the province and ward.
        self.assertEqual(parcel["order"]["ward"], "Phường Ba Đình")
        self.assertNotIn("district", parcel["order"])

    def test_a_prepaid_order_collects_nothing(self):
        order = self.order(self.ghtk)
        invoice = self.invoice(order)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        picking = self.ship(order)
        self.assertEqual(picking.omni_carrier_cod_amount, 0)
        self.assertEqual(self.simulator.ghtk.orders[picking.carrier_tracking_ref]["cod"], 0)
        # A channel's order: paid on the channel unless cash on delivery.
        channel = (
            self.env["omni.channel"]
            .sudo()
            .create({"name": "Web", "code": "web_carrier", "channel_type": "api"})
        )
        for cod, expected in ((False, 0), (True, 380_000)):
            order = self.order(self.ghn)
            order.write({"omni_channel_id": channel.id, "omni_is_cod": cod})
            self.assertEqual(self.ship(order).omni_carrier_cod_amount, expected)

    def test_cancel_before_pickup_only(self):
        for carrier in (self.ghn, self.ghtk):
            picking = self.ship(self.order(carrier))
            waybill = picking.carrier_tracking_ref
            picking.cancel_shipment()
            self.assertFalse(picking.carrier_tracking_ref)
            self.assertEqual(picking.omni_carrier_status, "cancelled")
            self.assertIn(waybill, picking.message_ids[0].body)
        picking = self.ship(self.order(self.ghn))
        self.step(self.ghn, picking, "picked")
        with self.assertRaisesRegex(UserError, "GHN did not cancel .*không được phép hủy"):
            picking.cancel_shipment()
        self.assertTrue(picking.carrier_tracking_ref)

    def test_a_carrier_refusal_stops_the_validation(self):
        self.buyer.phone = "12345"
        order = self.order(self.ghn)
        with self.assertRaisesRegex(UserError, "GHN refused the delivery .*không hợp lệ"):
            self.ship(order)

    # ------------------------------------------------------------------ status pushes

    def test_ghn_pushes_applied_in_order_once_and_authenticated(self):
        order = self.order(self.ghn)
        picking = self.ship(order)
        self.step(self.ghn, picking, "delivered")
        answers = self.push(self.ghn, picking)
        self.assertEqual({answer.status_code for answer in answers}, {200})
        self.assertEqual(picking.omni_carrier_status, "delivered")
        self.assertEqual(order.omni_carrier_status, "delivered")
        events = picking.omni_carrier_event_ids
        self.assertEqual(len(events), 6)
        self.assertEqual(set(events.mapped("state")), {"done"})
        # The carrier retrying: nothing stored twice; an older status does not move the parcel back.
        self.push(self.ghn, picking, statuses=["transporting"])
        self.assertEqual(len(picking.omni_carrier_event_ids), 6)
        self.assertEqual(picking.omni_carrier_status, "delivered")
        # Without the shop's secret: refused, nothing stored.
        refused = self.push(self.ghn, picking, statuses=["delivered"], secret="wrong")
        self.assertEqual(refused[0].status_code, 403)
        self.assertEqual(len(picking.omni_carrier_event_ids), 6)

    def test_the_simulated_carrier_pushes_to_the_status_url(self):
        """End to end: GHTK's webhook set to the carrier's Status URL, the parcel picked up."""
        picking = self.ship(self.order(self.ghtk))
        self.env.flush_all()  # the pushes' requests read the database
        callback = f"{self.sim_url}/_sandbox/ghtk/callback"
        url = f"{self.base_url()}{self.webhook_url(self.ghtk)}"
        requests.post(
            callback, json={"token": self.ghtk.omni_carrier_token, "url": url}, timeout=10
        ).raise_for_status()
        # Later tests' parcels are not pushed to this test's server.
        self.addCleanup(
            requests.post, callback, json={"token": self.ghtk.omni_carrier_token, "url": ""}, timeout=10
        )
        self.step(self.ghtk, picking, 3)
        for _attempt in range(150):
            time.sleep(0.2)
            with self.registry.test_lock:  # the pushes' requests share this test's cursor
                self.env.invalidate_all()
                if picking.omni_carrier_status == "picked_up":
                    break
        self.assertEqual(picking.omni_carrier_status, "picked_up")
        self.assertEqual(picking.omni_carrier_event_ids.mapped("carrier_status"), ["3", "12"])

    def test_a_push_for_an_unknown_waybill_fails_visibly_and_is_reprocessed(self):
        picking = self.ship(self.order(self.ghtk))
        waybill = picking.carrier_tracking_ref
        picking.carrier_tracking_ref = "OTHER"
        parcel = self.simulator.ghtk.orders[waybill]
        self.simulator.ghtk.step(waybill, 3)
        body, headers = self.simulator.ghtk.webhook(parcel, 3, parcel["log"][-1][1])
        self.url_open(self.webhook_url(self.ghtk), data=body, headers=headers)
        event = self.env["omni.carrier.event"].search([("waybill", "=", waybill)])
        self.assertEqual(event.state, "failed")
        self.assertIn(waybill, event.error)
        picking.carrier_tracking_ref = waybill
        event.action_reprocess()
        self.assertEqual(event.state, "done")
        self.assertEqual(picking.omni_carrier_status, "picked_up")

    def test_returned_to_sender_received_once_and_the_buyer_marked(self):
        create_default_program(
            self.env,
            "Thành viên",
            trigger="auto",
            applies_on="both",
            rule_ids=[Command.create({"reward_point_mode": "money", "reward_point_amount": 0.001})],
        )
        order = self.order(self.ghtk)
        earn = self.env["omni.loyalty.move"].search(
            [("sale_order_id", "=", order.id), ("move_type", "=", "earn")]
        )
        self.assertEqual(earn.points, 350, "1 point per 1,000 of goods, shipping excluded")
        picking = self.ship(order)
        stock = self.product.qty_available
        self.step(self.ghtk, picking, 21)
        self.push(self.ghtk, picking)
        self.assertEqual(picking.omni_carrier_status, "returned")
        receipt = picking.omni_carrier_return_id
        self.assertEqual(receipt.state, "done")
        self.assertEqual(self.product.qty_available, stock + 2)
        self.assertTrue(order.omni_delivery_refused)
        self.assertEqual(earn.card_id.points, 0, "the order's points taken back with the parcel")
        self.assertIn("Khách hàng từ chối nhận hàng", " ".join(picking.message_ids.mapped("body")))
        # The same push again, and reprocessing: still one return.
        self.push(self.ghtk, picking, statuses=[21])
        picking.omni_carrier_event_ids.action_reprocess()
        self.assertEqual(len(order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")), 1)

    def test_a_returned_parcel_of_a_store_order_fails_it_at_the_store_once(self):
        """A WooCommerce order shipped with GHTK and refused: the store's order is set failed with one
        note, however often the return is pushed; a channel that cannot be told gets a note instead."""
        woo = self.simulator.woocommerce
        channel = (
            self.env["omni.channel"]
            .sudo()
            .create(
                {
                    "name": "Web",
                    "code": "web_carrier",
                    "channel_type": "woocommerce",
                    "api_base_url": f"{self.sim_url}/woocommerce",
                    "api_key": woo.consumer_key,
                    "api_secret": woo.consumer_secret,
                }
            )
        )
        (number,) = woo.shop.generate_orders(1, spread_seconds=1)
        order = self.order(self.ghtk)
        order.write({"omni_channel_id": channel.id, "omni_external_ref": woo.ref(number)})
        with trap_jobs() as jobs:
            picking = self.ship(order)
            jobs.perform_enqueued_jobs()  # the shipment told to the store
            # Its pushes lost, the return is asked for (a push's job would be queued in the request's
            # cursor, gone once answered).
            self.step(self.ghtk, picking, 21)
            picking.date_done = fields.Datetime.now() - timedelta(hours=POLL_AFTER_HOURS + 1)
            self.env["stock.picking"]._cron_omni_carrier_poll()
            self.assertEqual(picking.omni_carrier_status, "returned")
            self.assertEqual(order.omni_delivery_failed_state, "to_send")
            jobs.perform_enqueued_jobs()
            self.push(self.ghtk, picking, statuses=[21])
            picking.omni_carrier_event_ids.action_reprocess()
            order._omni_queue_delivery_failed()
            jobs.assert_jobs_count(0, only=order._omni_delivery_failed_job)
        self.assertEqual(order.omni_delivery_failed_state, "sent")
        self.assertEqual(woo.order(woo.shop.orders[number])["status"], "failed")
        notes = [note["note"] for note in woo.notes[number] if "came back" in note["note"]]
        self.assertEqual(notes, [f"The parcel {picking.carrier_tracking_ref} came back to the sender: "
                                 "the delivery failed."])  # fmt: skip
        channel.channel_type = "tiki"
        order.omni_delivery_failed_state = False
        order._omni_queue_delivery_failed()
        self.assertIn("was not told", order.message_ids[0].body)

    def test_a_returned_parcel_of_a_shopify_order_fails_its_fulfilment_once(self):
        """A Shopify order shipped with GHN and refused: its fulfilment's tracking says FAILURE once,
        even when told again."""
        shopify = self.simulator.shopify
        channel = (
            self.env["omni.channel"]
            .sudo()
            .create(
                {
                    "name": "Shopify",
                    "code": "shopify_carrier",
                    "channel_type": "shopify",
                    "api_base_url": f"{self.sim_url}/shopify",
                    "access_token": shopify.access_token,
                }
            )
        )
        (number,) = shopify.shop.generate_orders(1, spread_seconds=1)
        shopify.shop.orders[number].update(status="READY_TO_SHIP")
        order = self.order(self.ghn)
        order.write({"omni_channel_id": channel.id, "omni_external_ref": shopify.ref(number)})
        with trap_jobs() as jobs:
            picking = self.ship(order)
            jobs.perform_enqueued_jobs()
            self.step(self.ghn, picking, "returned")
            picking.date_done = fields.Datetime.now() - timedelta(hours=POLL_AFTER_HOURS + 1)
            self.env["stock.picking"]._cron_omni_carrier_poll()
            jobs.perform_enqueued_jobs()
            self.assertEqual(order.omni_delivery_failed_state, "sent")
            order.omni_delivery_failed_state = "failed"  # as if its answer was lost: told again
            order._omni_queue_delivery_failed()
            jobs.perform_enqueued_jobs()
        (fulfillment,) = shopify.fulfillments[number]
        events = shopify.graphql.fulfillment_events[fulfillment["id"]]
        self.assertEqual(
            [(event["status"], event["message"]) for event in events],
            [
                (
                    "FAILURE",
                    f"The parcel {picking.carrier_tracking_ref} came back to the sender: "
                    "the delivery failed.",
                )
            ],
        )

    def test_the_poll_applies_a_status_no_push_brought(self):
        """Parcels without news for hours are asked for: each answer applied as a push, a waybill the
        carrier does not know leaving the others."""
        hours_ago = fields.Datetime.now() - timedelta(hours=POLL_AFTER_HOURS + 1)
        lost = self.ship(self.order(self.ghn))
        lost.carrier_tracking_ref = "GHNUNKNOWN"
        parcels = {carrier: self.ship(self.order(carrier)) for carrier in (self.ghn, self.ghtk)}
        for carrier, picking in parcels.items():
            self.step(carrier, picking, "delivering" if carrier == self.ghn else 4)
        (lost | parcels[self.ghn] | parcels[self.ghtk]).date_done = hours_ago
        self.env["stock.picking"]._cron_omni_carrier_poll()
        for picking in parcels.values():
            self.assertEqual(picking.omni_carrier_status, "in_transit")
            self.assertEqual(picking.omni_carrier_event_ids.mapped("state"), ["done"])
        self.assertEqual(lost.omni_carrier_status, "booked")
        # Fresh news: not asked again; the push of the same status later stores nothing more.
        self.env["stock.picking"]._cron_omni_carrier_poll()
        self.push(self.ghn, parcels[self.ghn], statuses=["delivering"])
        self.assertEqual(len(parcels[self.ghn].omni_carrier_event_ids), 1)

    def test_a_poll_past_its_time_calls_itself_again_for_the_rest(self):
        picking = self.ship(self.order(self.ghn))
        self.step(self.ghn, picking, "delivering")
        picking.date_done = fields.Datetime.now() - timedelta(hours=POLL_AFTER_HOURS + 1)
        cron = self.env.ref("omni_vn_carrier.ir_cron_omni_carrier_poll")
        with patch.object(stock_picking, "POLL_SECONDS", -1):  # its time is up before the first parcel
            self.env["stock.picking"]._cron_omni_carrier_poll()
        self.assertEqual(picking.omni_carrier_status, "booked", "left to the next call")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.env["stock.picking"]._cron_omni_carrier_poll()
        self.assertEqual(picking.omni_carrier_status, "in_transit")

    # ------------------------------------------------------------------ COD statements

    def statement(self, carrier, edit=None):
        key, account = (
            ("ghn", self.ghn.omni_carrier_shop)
            if carrier == self.ghn
            else ("ghtk", carrier.omni_carrier_token)
        )
        account_key = "shop_id" if key == "ghn" else "token"
        data = requests.get(
            f"{self.sim_url}/_sandbox/{key}/cod-statement", params={account_key: account}, timeout=10
        ).content
        if edit:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            edit(rows)
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            data = out.getvalue().encode()
        wizard = self.env["omni.carrier.cod.import"].create(
            {"carrier_id": carrier.id, "file": base64.b64encode(data), "filename": f"{key}.csv"}
        )
        return self.env["omni.carrier.cod.line"].search(wizard.action_import()["domain"])

    def test_cod_statement_pays_invoices_and_lists_differences(self):
        paid, uninvoiced, short, returned = (self.order(self.ghn) for _ in range(4))
        invoice = self.invoice(paid)
        self.invoice(short)
        pickings = {order: self.ship(order) for order in (paid, uninvoiced, short, returned)}
        for order in (paid, uninvoiced, short):
            self.step(self.ghn, pickings[order], "delivered")
        self.step(self.ghn, pickings[returned], "returned")
        self.push(self.ghn, pickings[returned])

        def edit(rows):
            for row in rows:
                if row[0] == pickings[short].carrier_tracking_ref:
                    row[4] = "300000"
            rows.append(["GXX99999", "WH/OUT/X", "01/12/2026 10:00", "delivered", "100000", "20000", "80000"])

        lines = self.statement(self.ghn, edit)
        by_waybill = {line.waybill: line for line in lines}
        line = by_waybill[pickings[paid].carrier_tracking_ref]
        self.assertEqual((line.state, line.collected), ("paid", 380_000))
        self.assertEqual(invoice.payment_state in ("paid", "in_payment"), True)
        self.assertEqual(line.payment_id.journal_id, self.ghn.omni_cod_journal_id)
        self.assertEqual(by_waybill[pickings[uninvoiced].carrier_tracking_ref].difference, "no_invoice")
        self.assertEqual(by_waybill[pickings[short].carrier_tracking_ref].difference, "amount")
        self.assertEqual(by_waybill[pickings[returned].carrier_tracking_ref].state, "returned")
        self.assertEqual(by_waybill["GXX99999"].difference, "unknown")
        # The same statement again adds nothing; the missing invoice posted, the line is matched again.
        self.assertFalse(self.statement(self.ghn))
        self.invoice(uninvoiced)
        late = by_waybill[pickings[uninvoiced].carrier_tracking_ref]
        late.action_match()
        self.assertEqual(late.state, "paid")
        by_waybill["GXX99999"].action_resolve()
        self.assertEqual(by_waybill["GXX99999"].state, "done")

    def test_a_file_of_another_carrier_is_refused(self):
        with self.assertRaisesRegex(UserError, "Not a GHTK COD statement"):
            self.env["omni.carrier.cod.import"].create(
                {
                    "carrier_id": self.ghtk.id,
                    "file": base64.b64encode("Mã đơn GHN,x\n".encode()),
                    "filename": "x.csv",
                }
            ).action_import()

    # ------------------------------------------------------------------ labels, hand over

    def test_batch_labels_as_one_pdf_and_hand_over(self):
        pickings = self.ship(self.order(self.ghn)) | self.ship(self.order(self.ghtk))
        action = pickings.action_omni_carrier_print_labels()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        self.assertEqual(PdfFileReader(io.BytesIO(attachment.raw)).getNumPages(), 2)
        pickings.action_omni_carrier_hand_over()
        self.assertTrue(all(pickings.mapped("omni_carrier_handover_date")))
        with self.assertRaises(UserError):
            pickings.action_omni_carrier_hand_over()
