from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import OmniChannelCase


@tagged("post_install", "-at_install")
class TestInbox(OmniChannelCase):
    def test_unknown_sku_waits_and_the_wizard_imports_it(self):
        order = self.order(lines=[{"sku": "NEW-SKU-9", "quantity": 1, "unit_price": 99000}])
        (result,) = self.ingest(order)
        self.assertEqual(result["status"], "needs_attention")
        self.assertIn("NEW-SKU-9", result["error"])
        inbox = self.env["omni.channel.inbox"].browse(result["inbox_id"])
        self.assertEqual((inbox.state, inbox.missing_skus), ("attention", "NEW-SKU-9"))
        self.assertFalse(self.sale_orders(), "no order with a line silently dropped")

        action = inbox.action_match_listings()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        with wizard.line_ids.edit(0) as line:
            self.assertEqual(line.sku, "NEW-SKU-9")
            line.product_id = self.cap
        wizard.save().action_apply()

        self.assertEqual(inbox.state, "done")
        self.assertEqual(self.sale_orders().order_line.filtered("omni_sku").product_id, self.cap)
        listing = self.env["omni.channel.listing"].search([("external_sku", "=", "NEW-SKU-9")])
        self.assertEqual(listing.product_id, self.cap)

    def test_reprocess_after_fixing_the_cause(self):
        (result,) = self.ingest(self.order(currency="USD"))
        inbox = self.env["omni.channel.inbox"].browse(result["inbox_id"])
        self.assertEqual(inbox.state, "failed")
        usd_pricelist = self.env["product.pricelist"].create(
            {"name": "USD", "currency_id": self.env.ref("base.USD").id}
        )
        self.channel.pricelist_id = usd_pricelist
        inbox.action_reprocess()
        self.assertEqual(inbox.state, "done")
        self.assertEqual(inbox.sale_order_id.currency_id.name, "USD")

    def test_transient_failure_is_retried_with_backoff(self):
        (result,) = self.ingest(self.order(), **{"async": True})
        inbox = self.env["omni.channel.inbox"].browse(result["inbox_id"])
        with freeze_time("2026-11-24 10:00:00"):
            inbox._mark_failed("connection reset", retry=True)
            self.assertEqual(inbox.next_retry_at, fields.Datetime.now() + timedelta(minutes=5))
            inbox._mark_failed("connection reset", retry=True)
            self.assertEqual(inbox.next_retry_at, fields.Datetime.now() + timedelta(minutes=10))
            self.env["omni.channel.inbox"]._cron_retry_failed()
            self.assertEqual(inbox.state, "failed", "not before its time")
        with freeze_time("2026-11-24 10:11:00"):
            self.env["omni.channel.inbox"]._cron_retry_failed()
        self.assertEqual(inbox.state, "done")
        self.assertTrue(self.sale_orders())

    def test_validation_errors_are_not_retried(self):
        (result,) = self.ingest(self.order(currency="XYZ"))
        self.assertFalse(self.env["omni.channel.inbox"].browse(result["inbox_id"]).next_retry_at)

    def test_cron_imports_pending_records(self):
        (result,) = self.ingest(self.order(), **{"async": True})
        self.env["omni.channel.inbox"]._cron_process_pending()
        self.assertEqual(self.env["omni.channel.inbox"].browse(result["inbox_id"]).state, "done")

    def test_purge_keeps_what_is_recent_or_unresolved(self):
        done, failed = self.ingest(self.order("DONE"), self.order("BAD", currency="XYZ"))
        Inbox = self.env["omni.channel.inbox"]
        self.env["ir.config_parameter"].set_param("omni_channel_sync.inbox_retention_days", "10")
        with freeze_time(fields.Datetime.now() + timedelta(days=9)):
            Inbox._cron_purge()
        self.assertTrue(Inbox.browse(done["inbox_id"]).exists())
        with freeze_time(fields.Datetime.now() + timedelta(days=11)):
            Inbox._cron_purge()
        self.assertFalse(Inbox.browse(done["inbox_id"]).exists())
        self.assertTrue(Inbox.browse(failed["inbox_id"]).exists(), "failures wait for a person")
        self.assertTrue(self.sale_orders("DONE"), "purging the inbox never touches orders")
