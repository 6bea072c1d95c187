from odoo.tests import Form, tagged

from .common import OmniChannelCase

UNKNOWN = [{"sku": "NEW-SKU-9", "quantity": 1, "unit_price": 99000}]


@tagged("post_install", "-at_install")
class TestInboxQueue(OmniChannelCase):
    """The inbox as a work queue: what needs action first, one waiting row per order."""

    def inbox(self, result):
        return self.env["omni.channel.inbox"].browse(result["inbox_id"])

    def test_inbox_opens_on_what_needs_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_channel_sync.omni_channel_inbox_action")
        self.assertEqual(action["context"], "{'search_default_needs_action': 1}")

    def test_waiting_for_a_listing_is_counted_apart_from_failures(self):
        self.ingest(self.order("WAIT", lines=UNKNOWN), self.order("BAD", currency="XYZ"), self.order("OK"))
        self.channel.invalidate_recordset(["inbox_failed_count", "inbox_attention_count"])
        self.assertEqual((self.channel.inbox_failed_count, self.channel.inbox_attention_count), (1, 1))

    def test_updates_of_a_waiting_order_fold_into_one_waiting_row(self):
        (first,) = self.ingest(self.order(lines=UNKNOWN))
        (second,) = self.ingest(self.order(lines=UNKNOWN, shipping_fee=40000))
        first, second = self.inbox(first), self.inbox(second)
        self.assertEqual(second.state, "attention", second.error)
        self.assertEqual(first.state, "ignored", "kept, with the reason, never deleted")
        self.assertEqual(first.error, "Replaced by a newer update of this order.")
        self.assertEqual(second.state, "attention")
        waiting = self.env["omni.channel.inbox"].search(
            [
                ("channel_id", "=", self.channel.id),
                ("external_id", "=", "SO-1001"),
                ("state", "=", "attention"),
            ]
        )
        self.assertEqual(waiting, second)

    def test_an_unreadable_update_replaces_nothing(self):
        (first,) = self.ingest(self.order(lines=UNKNOWN))
        (unreadable,) = self.ingest(self.order(lines=[{"sku": "NEW-SKU-9", "quantity": "many"}]))
        self.assertEqual(self.inbox(unreadable).state, "failed")
        self.assertEqual(self.inbox(first).state, "attention")

    def test_match_listings_on_a_selection(self):
        results = self.ingest(
            self.order("A", lines=UNKNOWN),
            self.order("B", lines=[{"sku": "NEW-SKU-8", "quantity": 1, "unit_price": 50000}]),
            self.order("OK"),
        )
        selection = self.env["omni.channel.inbox"].browse([result["inbox_id"] for result in results])
        action = selection.action_match_listings()
        self.assertEqual(len(action["context"]["default_inbox_ids"]), 2, "the waiting rows only")
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        for index in range(2):
            with wizard.line_ids.edit(index) as line:
                line.product_id = self.cap
        wizard = wizard.save()
        self.assertEqual(wizard.line_ids.mapped("sku"), ["NEW-SKU-8", "NEW-SKU-9"], "all their unknown SKUs")
        wizard.action_apply()
        self.assertEqual(set(selection.mapped("state")), {"done"})
        self.assertTrue(self.sale_orders("A") and self.sale_orders("B"))

    def test_reprocess_says_what_happened(self):
        waiting, failed = (
            self.inbox(r)
            for r in self.ingest(self.order("W", lines=UNKNOWN), self.order("F", currency="XYZ"))
        )
        message = waiting.action_reprocess()["params"]["message"]
        self.assertEqual(message, "Still waiting for a listing of SKU(s) NEW-SKU-9.")
        self.assertEqual(waiting.state, "attention")
        notification = failed.action_reprocess()["params"]
        self.assertEqual(notification["type"], "warning")
        self.assertTrue(notification["message"].startswith("Failed: "))
        self.env["omni.channel.listing"].create(
            {"channel_id": self.channel.id, "external_sku": "NEW-SKU-9", "product_id": self.cap.id}
        )
        self.assertEqual(waiting.action_reprocess()["params"]["message"], "Imported.")
        both = (waiting | failed).filtered(lambda r: r.state != "done") | self.inbox(
            self.ingest(self.order("W2", lines=[{"sku": "NOPE", "quantity": 1, "unit_price": 1000}]))[0]
        )
        self.assertEqual(
            both.action_reprocess()["params"]["message"],
            "0 imported, 1 still waiting for a listing, 1 failed, 0 still being imported.",
        )
