import json
import time
from dataclasses import replace
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ..connectors.errors import ChannelError
from ..connectors.lazada.signing import sign_lazada_push
from ..connectors.registry import PLATFORMS, notification_identity
from ..connectors.shopee.signing import sign_shopee_push
from .common import OmniChannelCase

SHOPEE_KEY = "partner-key"
LAZADA_KEY, LAZADA_SECRET = "123456", "lazada-secret"
# Pushes are refused outside the channel's time window: these are sent now.
NOW = int(time.time())


def shopee_push(number="2611200001", status="UNPAID", timestamp=NOW):
    data = {
        "items": [],
        "ordersn": number,
        "status": status,
        "completed_scenario": "",
        "update_time": timestamp,
    }
    return {"data": data, "shop_id": 14701711, "code": 3, "timestamp": timestamp}


def lazada_push(line="L-1", status="unpaid", sent_at=NOW * 1000 + 123):
    data = {"order_status": status, "trade_order_id": "26112", "trade_order_line_id": line,
            "status_update_time": NOW}  # fmt: skip
    return {
        "seller_id": "1234567",
        "message_type": 0,
        "data": data,
        "timestamp": sent_at,
        "site": "lazada_vn",
    }


def receive(channel, payload):
    """What the endpoint does with a verified, recent push."""
    return channel._receive_webhook(payload, json.dumps(payload))


class FakePlatform:
    """An adapter whose platform answers ``answer`` (orders, or a refusal to raise) to every call."""

    CAPABILITIES = frozenset({"webhook_orders"})
    answer = []
    payloads = []

    def __init__(self, *connection, **options):
        pass

    def webhook_orders(self, payload):
        FakePlatform.payloads.append(payload)
        if isinstance(FakePlatform.answer, Exception):
            raise FakePlatform.answer
        return [(order,) for order in FakePlatform.answer]


@tagged("post_install", "-at_install")
class TestWebhookNotification(HttpCase, OmniChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"pricelist_id": cls.pricelist.id, "api_base_url": "http://127.0.0.1:9"}  # nothing listens
        cls.shopee = cls.env["omni.channel"].create(
            {
                "name": "Shopee HCM",
                "code": "wh_shopee",
                "channel_type": "shopee",
                "api_key": "2001887",
                "api_secret": SHOPEE_KEY,
                "shop_id": "14701711",
                **common,
            }
        )
        cls.lazada = cls.env["omni.channel"].create(
            {
                "name": "Lazada",
                "code": "wh_lazada",
                "channel_type": "lazada",
                "api_key": LAZADA_KEY,
                "api_secret": LAZADA_SECRET,
                **common,
            }
        )

    def post(self, channel, payload, key=None):
        body = json.dumps(payload).encode()
        url = f"/omni/webhook/{channel.code}"
        if channel == self.shopee:
            signature = sign_shopee_push(key or SHOPEE_KEY, self.base_url() + url, body)
        else:
            signature = sign_lazada_push(LAZADA_KEY, key or LAZADA_SECRET, body)
        headers = {"Content-Type": "application/json", "Authorization": signature}
        return self.url_open(url, data=body, headers=headers)

    def notifications(self, channel):
        return self.env["omni.channel.inbox"].search(
            [("channel_id", "=", channel.id), ("kind", "=", "notification")]
        )

    def fake_platform(self, answer):
        FakePlatform.answer, FakePlatform.payloads = answer, []
        shopee = replace(PLATFORMS["shopee"], adapter=FakePlatform, map_order=lambda order: order)
        return patch.dict(PLATFORMS, {"shopee": shopee})

    def shopee_order(self, status="unpaid", updated_at="2026-11-20T07:00:00Z"):
        line = {"line_id": "1", "sku": "TEE-M", "quantity": 1, "unit_price": 150000}
        return self.order("2611200001", status, updated_at=updated_at, lines=[line])

    # ------------------------------------------------------------------ storing

    def test_push_is_stored_as_received_once_and_queued(self):
        answers = [self.post(self.shopee, shopee_push()) for _ in range(3)]
        self.assertEqual([(answer.status_code, answer.text) for answer in answers], [(200, "")] * 3)
        notification = self.notifications(self.shopee)
        self.assertEqual(len(notification), 1, "the same push three times is one notification")
        self.assertEqual(
            (notification.state, notification.source, notification.external_id),
            ("pending", "webhook", "2611200001"),
        )
        self.assertEqual(json.loads(notification.payload), shopee_push())
        jobs = self.env["queue.job"].search([("method_name", "=", "_process_notifications_job")])
        self.assertEqual(
            len(jobs.filtered(lambda job: job.records == self.shopee)), 1, "the channel's job processes it"
        )
        self.assertFalse(self.sale_orders("2611200001"), "nothing is imported before the answer")

        self.post(self.shopee, shopee_push(status="READY_TO_SHIP", timestamp=NOW + 600))
        self.assertEqual(len(self.notifications(self.shopee)), 2, "a new status is a new event")

    def test_redelivered_push_is_one_event(self):
        """Lazada stamps each delivery with its time and pushes each order line apart."""
        self.post(self.lazada, lazada_push(sent_at=NOW * 1000 + 123))
        self.post(self.lazada, lazada_push(sent_at=NOW * 1000 + 60456))
        self.assertEqual(len(self.notifications(self.lazada)), 1)
        self.post(self.lazada, lazada_push(line="L-2"))
        self.assertEqual(len(self.notifications(self.lazada)), 2)

    def test_forged_push_is_refused_and_nothing_stored(self):
        self.assertEqual(self.post(self.shopee, shopee_push(), key="not-the-key").status_code, 401)
        self.assertEqual(self.post(self.lazada, lazada_push(), key="not-the-secret").status_code, 401)
        self.assertFalse(self.notifications(self.shopee) | self.notifications(self.lazada))

    def test_woocommerce_url_check_is_answered(self):
        shop = self.env["omni.channel"].create(
            {
                "name": "Web",
                "code": "wh_woo",
                "channel_type": "woocommerce",
                "pricelist_id": self.pricelist.id,
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self.assertEqual(
            self.url_open("/omni/webhook/wh_woo", data=b"webhook_id=12", headers=headers).status_code, 200
        )
        self.assertFalse(self.env["omni.channel.inbox"].search([("channel_id", "=", shop.id)]))

    def test_event_identity_of_the_platforms_samples(self):
        tiktok = {"type": 1, "tts_notification_id": "7327112393057371910", "shop_id": "7494049642642441621",
                  "timestamp": 1644412885, "data": {"order_id": "576461413038785752",
                  "order_status": "AWAITING_SHIPMENT", "update_time": 1644412882}}  # fmt: skip
        self.assertEqual(
            notification_identity("tiktok", tiktok), ("576461413038785752", "7327112393057371910")
        )
        self.assertEqual(notification_identity("shopee", shopee_push())[0], "2611200001")
        shopify = {"id": 820982911946154508, "updated_at": "2026-11-20T14:00:00+07:00"}
        self.assertEqual(
            notification_identity("shopify", shopify), ("820982911946154508", "2026-11-20T14:00:00+07:00:::")
        )
        self.assertEqual(notification_identity("shopee", {"code": 1, "shop_id": 1, "data": {}}), (None, None))

    def test_storefront_states_within_one_second_are_two_events(self):
        # Created then paid in the same second: the same modification time, not the same order.
        created = {"id": 727, "date_modified_gmt": "2026-11-20T07:00:00", "status": "pending"}
        paid = dict(created, status="processing")
        self.assertNotEqual(
            notification_identity("woocommerce", created), notification_identity("woocommerce", paid)
        )
        self.assertEqual(
            notification_identity("woocommerce", created), notification_identity("woocommerce", dict(created))
        )
        created = {"id": 8209, "updated_at": "2026-11-20T14:00:00+07:00", "financial_status": "pending"}
        paid = dict(created, financial_status="paid")
        self.assertNotEqual(notification_identity("shopify", created), notification_identity("shopify", paid))

    # ------------------------------------------------------------------ processing

    def test_processing_asks_the_platform_and_imports_one_order(self):
        receive(self.shopee, shopee_push())
        notification = self.notifications(self.shopee)
        with self.fake_platform([self.shopee_order()]):
            self.shopee._process_notifications_job()
        self.assertEqual(FakePlatform.payloads, [shopee_push()])
        sale_order = self.env["sale.order"].search([("omni_channel_id", "=", self.shopee.id)])
        self.assertEqual((notification.state, notification.result), ("done", "created"))
        self.assertEqual(notification.sale_order_id, sale_order)
        self.assertEqual(sale_order.state, "draft")

        # The order moves on: the next push brings the new status, the same sale order follows it.
        receive(self.shopee, shopee_push(status="READY_TO_SHIP", timestamp=NOW + 600))
        update = self.notifications(self.shopee) - notification
        with self.fake_platform([self.shopee_order("ready_to_ship", "2026-11-20T07:10:00Z")]):
            update._process()
        self.assertEqual((update.state, update.result, update.sale_order_id), ("done", "updated", sale_order))
        self.assertEqual((sale_order.state, sale_order.omni_status), ("sale", "ready_to_ship"))

    def test_same_order_from_another_push_is_not_imported_twice(self):
        receive(self.shopee, shopee_push())
        # A tracking-number push about the same order, before any status change.
        receive(self.shopee, {**shopee_push(), "code": 4})
        notifications = self.notifications(self.shopee)
        self.assertEqual(len(notifications), 2)
        with self.fake_platform([self.shopee_order()]):
            notifications._process()
        self.assertEqual(sorted(notifications.mapped("result")), ["created", "unchanged"])
        self.assertEqual(len(self.env["sale.order"].search([("omni_channel_id", "=", self.shopee.id)])), 1)

    def test_an_order_odoo_cannot_store_fails_its_notification(self):
        receive(self.shopee, shopee_push())
        notification = self.notifications(self.shopee)
        with self.fake_platform([{**self.shopee_order(), "note": "a\x00b"}]):
            notification._process()
        self.assertEqual(notification.state, "failed")
        self.assertIn("NUL", notification.error)
        self.assertFalse(self.sale_orders("2611200001"))

    def test_unreachable_platform_leaves_the_notification_to_retry(self):
        receive(self.shopee, shopee_push())
        notification = self.notifications(self.shopee)
        self.shopee._process_notifications_job()  # the real adapter: nothing answers at the channel's host
        self.assertEqual((notification.state, notification.attempts), ("failed", 1))
        self.assertIn("Shopee did not answer", notification.error)
        self.assertTrue(notification.next_retry_at, "retried later with the inbox's backoff")
        self.assertEqual(self.shopee.health, "warning")

        with self.fake_platform(ChannelError("error_auth: Invalid access_token.", auth=True)):
            notification.with_context(queue_job__no_delay=True).action_reprocess()
        self.assertEqual((notification.state, notification.attempts), ("failed", 2))
        self.assertTrue(notification.next_retry_at, "a refused token may be authorized again")

        with self.fake_platform([self.shopee_order()]):
            notification.with_context(queue_job__no_delay=True).action_reprocess()
        self.assertEqual(notification.state, "done")
        self.assertTrue(notification.sale_order_id)

    def test_partner_systems_still_send_normalized_orders(self):
        results = receive(self.channel, self.order())[1]["results"]
        self.assertEqual(results[0]["status"], "queued")
        inbox = self.env["omni.channel.inbox"].browse(results[0]["inbox_id"])
        self.assertEqual(inbox.kind, "order")
