import importlib.util
import json
import sys
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.tests import tagged

from ..connectors.errors import ChannelError
from ..connectors.registry import authorization_news, notification_topic
from .common import SimulatorCase, simulator_connection

if importlib.util.find_spec("sandbox") is None:
    # The marketplace simulator lives at the repository's root, two levels above this addon.
    sys.path.append(str(Path(__file__).resolve().parents[3]))


@tagged("post_install", "-at_install")
class TestPlatformPushes(SimulatorCase):
    """What the platforms (the simulator) push beyond an order's status, followed by Odoo: Shopee's
    failed pickup (the shipment arranged again), Lazada's buyer cancellation request (answered from
    Odoo), and the seller's authorization withdrawn or ending (the channel stops calling the platform
    and says so until it is connected again)."""

    catalog_stock = 100

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sim, url = cls.simulator, cls.simulator_url
        cls.manager = cls.env.ref("base.user_admin")
        common = {"pricelist_id": cls.pricelist.id, "user_id": cls.manager.id}
        cls.shopee, cls.lazada, cls.tiktok, cls.shopify = cls.env["omni.channel"].create(
            [
                {
                    **common,
                    **simulator_connection(sim, url, kind),
                    "name": f"{kind} pushes",
                    "code": f"{kind}_push",
                    "channel_type": kind,
                }
                for kind in ("shopee", "lazada", "tiktok", "shopify")
            ]
        )
        for channel in (cls.shopee, cls.lazada, cls.tiktok, cls.shopify):
            sim.webhooks.register(
                channel.channel_type, f"https://odoo.example.com/omni/webhook/{channel.code}"
            )

    def setUp(self):
        super().setUp()
        # A deauthorization revokes the simulated shop's tokens; the next test finds them again.
        for api in (self.simulator.shopee, self.simulator.tiktok, self.simulator.shopify):
            saved = (dict(api.access_tokens), set(api.refresh_tokens))
            self.addCleanup(lambda api=api, saved=saved: (api.access_tokens.update(saved[0]),
                                                          api.refresh_tokens.update(saved[1])))  # fmt: skip

    def receive(self, channel, deliveries):
        """Deliver the pushes (each twice), with the topic their headers name, then process the
        channel's notifications."""
        for _twice in range(2):
            for body, headers in deliveries:
                topic = notification_topic(channel.channel_type, headers)
                self.assertEqual(
                    channel._receive_webhook(json.loads(body), body.decode(), topic), (200, None)
                )
        channel._process_notifications_job()
        failed = self.env["omni.channel.inbox"].search(
            [("channel_id", "=", channel.id), ("state", "!=", "done")]
        )
        self.assertFalse(failed, failed.mapped("error"))

    def push(self, channel, number, topic=None):
        with self.simulator.lock:
            deliveries = self.simulator.webhooks.notifications(channel.channel_type, number, topic)
        self.receive(channel, deliveries)

    def push_authorization(self, channel, event):
        with self.simulator.lock:
            delivery = self.simulator.webhooks.authorization_notification(channel.channel_type, event)
        self.receive(channel, [delivery])

    def sale_order(self, channel, number):
        reference = getattr(self.simulator, channel.channel_type).ref(number)
        return self.env["sale.order"].search(
            [("omni_channel_id", "=", channel.id), ("omni_external_ref", "=", reference)]
        )

    def new_order(self, channel):
        shop = getattr(self.simulator, channel.channel_type).shop
        (number,) = shop.generate_orders(1, spread_seconds=1)
        shop.orders[number].update(cod=True, status="READY_TO_SHIP", lines=[("TEE-M", 1)])
        return number

    def told_manager(self, channel, text):
        return channel.message_ids.filtered(
            lambda message: text in (message.body or "") and self.manager.partner_id in message.partner_ids
        )

    # ------------------------------------------------------------------ Shopee RETRY_SHIP

    def test_failed_pickup_arranges_the_shipment_again(self):
        number = self.new_order(self.shopee)
        self.push(self.shopee, number)
        order = self.sale_order(self.shopee, number)
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        order._omni_ship_to_channel()
        shop = self.simulator.shopee.shop
        shop.assign_tracking(number)
        void = shop.orders[number]["tracking_number"]
        self.push(self.shopee, number, "tracking")
        self.assertEqual(order.picking_ids.carrier_tracking_ref, void)
        self.assertTrue(self.simulator.shopee.fail_pickup(number))
        self.push(self.shopee, number)
        self.assertEqual(order.omni_ship_state, "to_send", "the shipment is to be arranged again")
        self.assertFalse(order.picking_ids.carrier_tracking_ref, "the failed pickup's number is void")
        order._omni_ship_to_channel()
        self.assertEqual((shop.orders[number]["status"], order.omni_ship_state), ("PROCESSED", "sent"))
        self.push(self.shopee, number)
        self.assertEqual(order.omni_ship_state, "sent", "arranged once")
        shop.assign_tracking(number)
        self.push(self.shopee, number, "tracking")
        self.assertEqual(order.picking_ids.carrier_tracking_ref, shop.orders[number]["tracking_number"])

    # ------------------------------------------------------------------ Lazada cancellation requests

    def test_lazada_buyer_cancellation_request_answered_from_odoo(self):
        api = self.simulator.lazada
        accepted, rejected = self.new_order(self.lazada), self.new_order(self.lazada)
        for number in (accepted, rejected):
            self.push(self.lazada, number)
            self.assertTrue(api.request_cancellation(number, "Đổi ý"))
            self.push(self.lazada, number, "cancellation")
            self.assertTrue(self.sale_order(self.lazada, number).omni_cancel_requested)
        order = self.sale_order(self.lazada, accepted)
        answer = order.with_context(queue_job__no_delay=True).action_omni_accept_cancellation()
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertEqual(api.shop.orders[accepted]["status"], "CANCELLED")
        self.assertEqual((order.state, order.omni_cancel_requested), ("cancel", False))
        order = self.sale_order(self.lazada, rejected)
        answer = order.with_context(queue_job__no_delay=True).action_omni_reject_cancellation()
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertEqual(api.shop.orders[rejected]["status"], "READY_TO_SHIP")
        self.push(self.lazada, rejected, "cancellation")
        self.assertEqual((order.state, order.omni_cancel_requested), ("sale", False))

    # ------------------------------------------------------------------ the seller's authorization

    def test_deauthorization_stops_the_channel_until_connected_again(self):
        channel = self.shopee
        self.push_authorization(channel, "deauthorized")
        self.assertTrue(channel.needs_authorization)
        self.assertEqual(channel.health, "error")
        self.assertTrue(self.told_manager(channel, "withdrew the app's authorization"))
        with self.assertRaisesRegex(ChannelError, "needs a new authorization"):
            channel._call_adapter("fetch_listings")
        self.assertFalse(channel.search([("needs_authorization", "=", True)]) - channel)
        self.push_authorization(channel, "deauthorized")
        self.assertEqual(len(self.told_manager(channel, "withdrew the app's authorization")), 1, "told once")
        wizard = self.env["omni.channel.connect"].create(
            {"channel_id": channel.id, "authorization_code": self.simulator.shopee.authorize()}
        )
        wizard.update({"api_base_url": channel.api_base_url, "api_key": channel.api_key,
                       "api_secret": channel.api_secret, "shop_id": channel.shop_id})  # fmt: skip
        answer = wizard.action_connect()
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertFalse(channel.needs_authorization)
        self.assertEqual(channel.health, "ok")
        self.assertTrue(channel._call_adapter("fetch_listings"))

    def test_tiktok_and_shopify_deauthorizations(self):
        for channel in (self.tiktok, self.shopify):
            self.push_authorization(channel, "deauthorized")
            self.assertTrue(channel.needs_authorization, channel.channel_type)
            self.assertTrue(self.told_manager(channel, "withdrew the app's authorization"))
        # Shopify says it in the X-Shopify-Topic header, kept with the notification: the shop's body
        # under another topic is no deauthorization.
        notification = self.env["omni.channel.inbox"].search(
            [("channel_id", "=", self.shopify.id), ("kind", "=", "notification")]
        )
        self.assertEqual(notification.mapped("topic"), ["app/uninstalled"])
        for topic in ("shop/update", None):
            self.assertIsNone(authorization_news("shopify", json.loads(notification.payload), topic))
        # The store installs the app again: its new token, typed in the Connect wizard.
        wizard = self.env["omni.channel.connect"].create(
            {"channel_id": self.shopify.id, "access_token": self.simulator.shopify.install()}
        )
        wizard.api_base_url = self.shopify.api_base_url
        answer = wizard.action_connect()
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertFalse(self.shopify.needs_authorization)

    def test_expiry_reminder_dates_the_authorization_and_calls_go_on(self):
        for channel in (self.lazada, self.tiktok, self.shopee):
            self.push_authorization(channel, "expiring")
            self.assertFalse(channel.needs_authorization)
            self.assertTrue(channel.authorization_expires_at)
            self.assertLess(channel.authorization_expires_at, fields.Datetime.now() + timedelta(days=8))
            self.assertTrue(self.told_manager(channel, "connect the channel again"))
        self.assertTrue(self.lazada._call_adapter("fetch_listings"))

    def test_token_refresh_keeps_the_announced_authorization_end(self):
        channel = self.shopee
        self.push_authorization(channel, "expiring")
        announced = channel.authorization_expires_at
        self.assertLess(announced, fields.Datetime.now() + timedelta(days=8))
        # The access token ends: the refresh gives a refresh token of 30 days, not past the reminder.
        channel.token_expires_at = fields.Datetime.now()
        refresh_token = channel.refresh_token
        self.assertTrue(channel._call_adapter("fetch_listings"))
        self.assertNotEqual(channel.refresh_token, refresh_token, "the tokens were renewed")
        self.assertEqual(channel.authorization_expires_at, announced)
        # A new authorization: its own end, the reminder's date forgotten.
        wizard = self.env["omni.channel.connect"].create(
            {"channel_id": channel.id, "authorization_code": self.simulator.shopee.authorize()}
        )
        wizard.update({"api_base_url": channel.api_base_url, "api_key": channel.api_key,
                       "api_secret": channel.api_secret, "shop_id": channel.shop_id})  # fmt: skip
        self.assertEqual(wizard.action_connect()["params"]["type"], "success")
        self.assertFalse(channel.authorization_announced_end)
        self.assertGreater(channel.authorization_expires_at, fields.Datetime.now() + timedelta(days=20))
