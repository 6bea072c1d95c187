from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .metrics_common import MetricsDataMixin, run_commit_hooks


@tagged("post_install", "-at_install")
@freeze_time("2026-11-20 10:00:00")
class TestCustomerMetrics(MetricsDataMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_metrics_data()
        cls.setup_customers()
        cls.env["res.partner"]._omni_compute_metrics()

    def stats(self, partner):
        return {
            (stat.channel_id, stat.origin): (stat.order_count, stat.revenue)
            for stat in partner.omni_channel_stat_ids
        }

    def test_metrics_across_channels_net_of_returns_and_refunds(self):
        customer = self.customer
        # Cancelled orders do not count, a returned one counts without revenue, a POS refund is no order.
        self.assertEqual(customer.omni_order_count, 5)
        self.assertAlmostEqual(customer.omni_revenue, 100 + 250 + 300 + 150 - 50)
        self.assertAlmostEqual(customer.omni_aov, 750 / 5)
        self.assertEqual(customer.omni_first_order_date, date(2026, 10, 1))
        self.assertEqual(customer.omni_last_order_date, date(2026, 11, 15))
        # A year more at the pace of a customer who started less than a year ago.
        self.assertAlmostEqual(customer.omni_ltv, 1500)
        self.assertEqual(customer.omni_metrics_date, date(2026, 11, 20))
        self.assertEqual(
            self.stats(customer),
            {
                (self.shopee, "channel"): (2, 350),
                (self.lazada, "channel"): (2, 300),
                (self.store, "channel"): (1, 100),
            },
        )
        self.assertEqual(customer.omni_preferred_channel_id, self.shopee)

    def test_rfm_scores_and_segments(self):
        self.assertEqual(
            (
                self.customer.omni_rfm_recency,
                self.customer.omni_rfm_frequency,
                self.customer.omni_rfm_monetary,
            ),
            (5, 5, 5),
        )
        self.assertEqual(self.customer.omni_rfm_score, "555")
        self.assertEqual(self.customer.omni_segment, "champions")
        self.assertEqual(
            self.customer.omni_segment_reason, "Bought recently, buys often and spends the most."
        )
        for other in self.others:
            self.assertEqual(other.omni_rfm_score, "411")
            self.assertEqual(other.omni_segment, "new")
            self.assertEqual(other.omni_order_count, 1)
            self.assertFalse(other.omni_preferred_channel_id)
            self.assertEqual(other.omni_preferred_origin, "direct")

    def test_recomputed_when_an_order_is_confirmed_or_cancelled(self):
        order = self.sale_order(
            self.customer, 400, "2026-11-19 08:00:00", self.lazada, "C360-LZD-3", confirm=False
        )
        order.action_confirm()
        run_commit_hooks(self)
        self.assertEqual(self.customer.omni_order_count, 6)
        self.assertAlmostEqual(self.customer.omni_revenue, 750 + 400)
        self.assertEqual(self.customer.omni_preferred_channel_id, self.lazada)
        order.with_context(disable_cancel_warning=True).action_cancel()
        run_commit_hooks(self)
        self.assertEqual(self.customer.omni_order_count, 5)
        self.assertEqual(self.customer.omni_preferred_channel_id, self.shopee)

    def test_computed_after_the_commit_not_at_a_savepoint(self):
        """A savepoint flushes the transaction: the metrics wait for its commit, so that the
        transaction of the order (a POS session closing) keeps its cache and rows meanwhile."""
        stats = self.customer.omni_channel_stat_ids
        order = self.sale_order(
            self.customer, 400, "2026-11-19 08:00:00", self.lazada, "C360-LZD-4", confirm=False
        )
        with self.env.cr.savepoint():
            order.action_confirm()
        self.assertEqual(self.customer.omni_order_count, 5)
        self.assertEqual(self.customer.omni_channel_stat_ids, stats)
        run_commit_hooks(self)
        self.assertEqual(self.customer.omni_order_count, 6)
        run_commit_hooks(self)
        self.assertEqual(self.customer.omni_order_count, 6)

    def test_recomputed_when_returned_or_paid_at_the_shop(self):
        shopee_order = self.customer.sale_order_ids.filtered(lambda o: o.omni_external_ref == "C360-SHP-2")
        shopee_order.omni_status = "returned"
        run_commit_hooks(self)
        self.assertAlmostEqual(self.customer.omni_revenue, 750 - 250)
        self.pos_order(self.others[0], 80, "2026-11-19 09:00:00")
        run_commit_hooks(self)
        self.assertEqual(self.others[0].omni_order_count, 2)
        self.assertEqual(self.others[0].omni_last_order_date, date(2026, 11, 19))

    def test_contacts_roll_up_and_pos_without_channel(self):
        self.store.active = False
        contact = self.env["res.partner"].create({"name": "Hoa (giao hàng)", "parent_id": self.customer.id})
        self.pos_order(contact, 20, "2026-11-18 08:00:00")
        self.env["res.partner"]._omni_compute_metrics(contact)
        self.assertEqual(self.customer.omni_order_count, 6)
        self.assertEqual(self.stats(self.customer)[(self.env["omni.channel"], "pos")], (2, 120))
        self.assertFalse(contact.omni_order_count)

    def test_nightly_cron_and_timeline(self):
        self.env["res.partner"].flush_model()
        self.env.cr.execute("UPDATE res_partner SET omni_metrics_date = NULL, omni_segment = NULL")
        self.env["res.partner"].invalidate_model()
        for _batch in range(3):
            self.env["res.partner"]._cron_compute_metrics(batch_size=2)
        self.assertEqual(self.customer.omni_segment, "champions")
        self.assertTrue(all(self.others.mapped("omni_segment")))
        kinds = sorted(self.customer.omni_touchpoint_ids.mapped("kind"))
        self.assertEqual(kinds, ["cancel", "order", "order", "order", "order", "pos", "refund", "return"])
        # Newest first: the return was reported today, after the refund at the shop.
        self.assertEqual(self.customer.omni_touchpoint_ids[:2].mapped("kind"), ["return", "refund"])

    def test_customer_pivot_groups_by_segment(self):
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (self.customer | self.others).ids)],
            groupby=["omni_segment"],
            aggregates=["omni_revenue:sum", "__count"],
        )
        self.assertEqual({segment: count for segment, _revenue, count in groups}, {"champions": 1, "new": 4})

    def test_buttons_open_the_customers_orders(self):
        action = self.customer.action_omni_open_channel_orders()
        self.assertEqual(action["context"]["group_by"], ["omni_channel_id"])
        self.assertEqual(len(self.env["sale.order"].search(action["domain"])), 5)
        action = self.customer.action_omni_open_pos_orders()
        self.assertEqual(len(self.env["pos.order"].search(action["domain"])), 2)
        # The timeline is a SQL view: a new customer's empty timeline stays in the cache.
        self.customer.invalidate_recordset(["omni_touchpoint_ids"])
        refund = self.customer.omni_touchpoint_ids.filtered(lambda touchpoint: touchpoint.kind == "refund")
        action = refund.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("pos.order", refund.pos_order_id.id))

    def test_merges_in_the_timeline(self):
        self.env["omni.customer.merge.audit"].create(
            {"dst_partner_id": self.customer.id, "source_partner_names": "Hoa Nguyễn (Lazada)"}
        )
        self.env.flush_all()
        self.customer.invalidate_recordset(["omni_touchpoint_ids"])
        merge = self.customer.omni_touchpoint_ids.filtered(lambda touchpoint: touchpoint.kind == "merge")
        self.assertEqual(merge.reference, "Hoa Nguyễn (Lazada)")
        self.assertFalse(merge.action_open_document())
