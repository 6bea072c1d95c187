from odoo.tests import BaseCase, tagged

from ..connectors.base import Adapter
from ..connectors.registry import PLATFORMS, adapter_can, webhook


@tagged("post_install", "-at_install")
class TestRegistry(BaseCase):
    def test_every_platform_is_complete(self):
        """Each platform has an adapter on the common base declaring what it offers (each a method it
        has) and signing its requests itself, a mapper, a host or a store address to ask for, and, when
        it pushes orders, a verifier, a sent-at reader and an event identity."""
        self.assertEqual(set(PLATFORMS), {"shopee", "lazada", "tiktok", "tiki", "shopify", "woocommerce"})
        for channel_type, entry in PLATFORMS.items():
            with self.subTest(channel_type=channel_type):
                self.assertTrue(issubclass(entry.adapter, Adapter))
                self.assertTrue(entry.adapter.PLATFORM)
                self.assertIsNot(entry.adapter._sign, Adapter._sign, "the platform signs its requests")
                if entry.adapter.REFRESH_MARGIN is not None:
                    self.assertIsNot(entry.adapter.refresh, Adapter.refresh, "expiring tokens are refreshed")
                capabilities = entry.adapter.CAPABILITIES
                self.assertIsInstance(capabilities, frozenset)
                self.assertIn("fetch_orders", capabilities)
                for capability in capabilities:
                    self.assertTrue(callable(getattr(entry.adapter, capability, None)), capability)
                self.assertTrue(callable(entry.map_order))
                pushes = "webhook_orders" in capabilities
                self.assertEqual(bool(entry.webhook), pushes, "a webhook exactly when orders are pushed")
                if pushes:
                    self.assertTrue(entry.webhook.credentials)
                    for part in (entry.webhook.verifier, entry.webhook.sent_at, entry.webhook.identity):
                        self.assertTrue(callable(part))

    def test_capabilities_are_read_from_the_declaration(self):
        self.assertTrue(adapter_can("shopee", "answer_cancellation"))
        self.assertFalse(adapter_can("tiki", "webhook_orders"))
        self.assertFalse(adapter_can("pos", "push_stock"), "no platform, no capability")
        self.assertFalse(adapter_can("shopee", "__init__"), "a method is not a capability until declared")
        self.assertIsNotNone(webhook("api"), "Odoo's own webhook takes signed pushes")
        self.assertIsNone(webhook("tiki"))
