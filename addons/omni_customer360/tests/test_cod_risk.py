from odoo.addons.omni_channel_sync.tests.common import OmniChannelCase
from odoo.tests import tagged

from .metrics_common import run_commit_hooks


@tagged("post_install", "-at_install")
class TestCodRisk(OmniChannelCase):
    """One buyer's refusals and cancellations on any channel, and a channel's rule for risky COD orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.web = cls.env["omni.channel"].create(
            {"name": "Website", "code": "web_api", "channel_type": "api", "pricelist_id": cls.pricelist.id}
        )

    def ingest_web(self, order):
        """An order of the website, whose SKUs are the products' internal references."""
        order["lines"] = order["lines"][:1]
        Channel = self.env["omni.channel"].with_user(self.integrator)
        (result,) = Channel.api_ingest_orders(self.web.code, [order])
        self.assertIn(result["status"], ("created", "updated"), result["error"])
        return self.env["sale.order"].browse(result["sale_order_id"])

    def refused_customer(self):
        """The buyer of an order on the API channel whose parcel came back: one refusal out of one."""
        (result,) = self.ingest(self.order("R-1", status="shipped"))
        order = self.env["sale.order"].browse(result["sale_order_id"])
        order.omni_delivery_refused = True
        run_commit_hooks(self)
        return order.partner_id.commercial_partner_id

    def test_score_counts_the_same_phone_on_two_channels(self):
        self.ingest(self.order("A-1", status="shipped"))
        # Another channel, another buyer account, the same phone: the same customer.
        web_buyer = {"buyer_id": "web-5", "name": "Chị Bình", "phone": "+84 912 345 678"}
        web = self.ingest_web(
            self.order("W-1", status="ready_to_ship", customer=web_buyer, cancel_requested=True)
        )
        refused = self.sale_orders("A-1")
        self.assertEqual(refused.partner_id, web.partner_id)
        refused.omni_delivery_refused = True
        # The channel grants the buyer's cancellation request.
        self.ingest_web(
            self.order("W-1", status="cancelled", customer=web_buyer, updated_at="2026-11-20T08:00:00Z")
        )
        self.assertEqual(web.state, "cancel")
        self.assertTrue(web.omni_buyer_cancelled)
        run_commit_hooks(self)
        customer = refused.partner_id.commercial_partner_id
        counts = (customer.omni_refused_count, customer.omni_buyer_cancel_count, customer.omni_return_count)
        self.assertEqual(counts, (1, 1, 0))
        # Two bad outcomes out of two orders, with a prior of two good ones: 50 %.
        self.assertEqual(customer.omni_cod_risk_score, 50.0)
        self.assertEqual(customer.omni_cod_risk, "high")
        self.assertEqual(refused.omni_cod_risk, "high")

    def test_channel_reports_refusal_and_buyer_cancellation(self):
        later = "2026-11-22T07:00:00Z"
        self.ingest(self.order("F-1", status="shipped"), self.order("C-1", status="ready_to_ship"))
        self.ingest(
            self.order("F-1", status="returned", delivery_failed=True, updated_at=later),
            self.order("C-1", status="cancelled", cancelled_by_buyer=True, updated_at=later),
        )
        refused, cancelled = self.sale_orders("F-1"), self.sale_orders("C-1")
        self.assertTrue(refused.omni_delivery_refused)
        self.assertEqual((cancelled.state, cancelled.omni_buyer_cancelled), ("cancel", True))
        run_commit_hooks(self)
        customer = refused.partner_id.commercial_partner_id
        counts = (customer.omni_refused_count, customer.omni_buyer_cancel_count, customer.omni_return_count)
        self.assertEqual(counts, (1, 1, 0), "a refused parcel that came back counts once")

    def test_one_refusal_among_good_orders_is_low(self):
        customer = self.refused_customer()
        self.assertEqual((customer.omni_cod_risk_score, customer.omni_cod_risk), (33.3, "medium"))
        for number in range(4):
            self.ingest(self.order(f"G-{number}", status="completed"))
        run_commit_hooks(self)
        self.assertEqual((customer.omni_cod_risk_score, customer.omni_cod_risk), (14.3, "low"))

    def test_risky_cod_order_is_held(self):
        customer = self.refused_customer()
        self.channel.write({"cod_risk_threshold": "medium", "cod_risk_action": "hold"})
        self.ingest(self.order("H-1", status="ready_to_ship"))
        held = self.sale_orders("H-1")
        self.assertEqual(held.partner_id.commercial_partner_id, customer)
        self.assertEqual((held.state, held.omni_cod_risk_action), ("draft", "hold"))
        self.assertIn("Held", held.message_ids[0].body)
        self.assertEqual(held.activity_ids.summary, "Risky cash-on-delivery order")
        # The channel goes on: the order stays held until someone confirms it.
        self.ingest(self.order("H-1", status="shipped", updated_at="2026-11-20T09:00:00Z"))
        self.assertEqual(held.state, "draft")
        self.assertEqual(len(held.activity_ids), 1)
        held.action_confirm()
        self.assertEqual(held.state, "sale")

    def test_prepaid_order_is_never_held(self):
        self.refused_customer()
        self.channel.write({"cod_risk_threshold": "medium", "cod_risk_action": "hold"})
        self.ingest(self.order("P-1", status="ready_to_ship", payment_method="prepaid"))
        prepaid = self.sale_orders("P-1")
        self.assertEqual((prepaid.state, prepaid.omni_cod_risk_action), ("sale", False))

    def test_prepayment_is_asked_above_the_threshold_only(self):
        self.refused_customer()
        self.channel.write({"cod_risk_threshold": "high", "cod_risk_action": "prepayment"})
        self.ingest(self.order("M-1", status="ready_to_ship"))
        self.assertEqual(self.sale_orders("M-1").omni_cod_risk_action, False, "medium is under the threshold")
        self.channel.cod_risk_threshold = "medium"
        self.ingest(self.order("M-2", status="ready_to_ship"))
        asked = self.sale_orders("M-2")
        self.assertEqual((asked.state, asked.omni_cod_risk_action), ("sale", "prepayment"))
        self.assertIn("Prepayment required", asked.message_ids[0].body)
