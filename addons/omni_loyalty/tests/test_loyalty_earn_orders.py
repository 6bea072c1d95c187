from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .loyalty_common import assert_one_loyalty_truth
from .loyalty_earn_common import LoyaltyEarnCase

TEE_ONLY = [{"line_id": "L1", "sku": "TEE-M", "quantity": 2, "unit_price": 150000}]


@tagged("post_install", "-at_install")
class TestLoyaltyOrderEarn(LoyaltyEarnCase):
    """1 point per 1,000: two tees at 150,000 earn 300 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.tee, stock, 100)

    def shopee_order(self, status, updated_at, **values):
        values.setdefault("lines", TEE_ONLY)
        values.setdefault("shipping_fee", 0)
        return self.order(status=status, updated_at=updated_at, **values)

    def ship(self, order):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        picking.move_ids.quantity = 2
        picking.button_validate()
        return picking

    def return_one_tee(self, picking):
        wizard = self.env["stock.return.picking"].create({"picking_id": picking.id})
        for line in wizard.product_return_moves:
            line.quantity = 1 if line.product_id == self.tee else 0
        returned = wizard._create_return()
        returned.move_ids.quantity = 1
        returned.button_validate()

    def completed_shopee_order(self):
        """A Shopee order shipped, then completed on 2026-11-22: its points vest on 2026-11-29."""
        self.ingest_on(self.shopee, self.shopee_order("ready_to_ship", "2026-11-20T08:00:00Z"))
        order = self.sale_order(self.shopee)
        self.ship(order)
        self.ingest_on(self.shopee, self.shopee_order("completed", "2026-11-22T03:00:00Z"))
        return order

    def test_marketplace_points_pending_until_the_return_window_closes(self):
        order = self.completed_shopee_order()
        move = self.earn_of(order)
        self.assertEqual((move.state, move.points, move.remaining), ("pending", 300, 0))
        self.assertEqual(str(order.omni_points_vest_on), "2026-11-29")
        card = move.card_id
        self.assertEqual(card.points, 0)
        balance = self.Card.with_user(self.integrator).api_loyalty_balance(order.partner_id.id)
        self.assertEqual((balance["available"], balance["pending"]), (0, 300))
        with freeze_time("2026-11-28"):
            self.Card._cron_vest_points()
        self.assertEqual(move.state, "pending")
        with freeze_time("2026-11-29"):
            self.Card._cron_vest_points()
        self.assertEqual((move.state, move.remaining, str(move.expiry_date)), ("posted", 300, "2027-11-29"))
        self.assertEqual(card.points, 300)
        balance = self.Card.with_user(self.integrator).api_loyalty_balance(order.partner_id.id)
        self.assertEqual((balance["available"], balance["pending"]), (300, 0))
        customer = order.partner_id.with_user(self.manager)
        customer.invalidate_recordset()
        self.assertEqual((customer.omni_loyalty_available, customer.omni_loyalty_pending), (300, 0))
        self.assertEqual(str(customer.omni_loyalty_expiry_date), "2027-11-29")
        self.assertEqual(customer.omni_loyalty_expiry_points, 300)
        self.assertEqual(customer.omni_loyalty_move_ids, move)
        assert_one_loyalty_truth(self, self.program)

    def test_reimports_and_status_updates_earn_once(self):
        self.ingest_on(self.shopee, self.shopee_order("ready_to_ship", "2026-11-20T08:00:00Z"))
        self.ingest_on(self.shopee, self.shopee_order("ready_to_ship", "2026-11-20T08:00:00Z"))
        order = self.sale_order(self.shopee)
        self.ship(order)
        self.ingest_on(self.shopee, self.shopee_order("shipped", "2026-11-21T00:00:00Z"))
        self.ingest_on(self.shopee, self.shopee_order("completed", "2026-11-22T00:00:00Z"))
        self.ingest_on(self.shopee, self.shopee_order("completed", "2026-11-22T00:00:00Z"))
        order._omni_loyalty_earn()
        self.assertEqual(len(self.earn_of(order)), 1)
        self.assertEqual(
            self.earn_of(order).idempotency_key, f"sale-earn:{order.id}:{self.card_of(order.partner_id).id}"
        )

    def test_cancel_before_vesting_cancels_the_pending_points(self):
        self.ingest_on(self.shopee, self.shopee_order("ready_to_ship", "2026-11-20T08:00:00Z"))
        self.ingest_on(self.shopee, self.shopee_order("cancelled", "2026-11-20T09:00:00Z"))
        order = self.sale_order(self.shopee)
        self.assertEqual(order.state, "cancel")
        move = self.earn_of(order)
        self.assertEqual(move.state, "cancelled")
        self.assertFalse(self.reversals_of(move))
        with freeze_time("2027-01-01"):
            self.Card._cron_vest_points()
        self.assertEqual(move.state, "cancelled")

    def test_return_after_vesting_reverses_the_points(self):
        order = self.completed_shopee_order()
        with freeze_time("2026-12-01"):
            self.Card._cron_vest_points()
        move = self.earn_of(order)
        self.ingest_on(self.shopee, self.shopee_order("returned", "2026-12-02T00:00:00Z"))
        reversal = self.reversals_of(move)
        self.assertEqual((reversal.move_type, reversal.points, reversal.state), ("reverse", -300, "posted"))
        self.assertEqual(reversal.amount, -300000)
        self.assertEqual((move.remaining, move.card_id.points), (0, 0))
        # The return picking the channel's return drafted, received: nothing more to take back.
        returned = order.picking_ids.filtered(lambda p: p.state != "done")
        returned.move_ids.quantity = 2
        returned.button_validate()
        self.assertEqual(len(self.reversals_of(move)), 1)

    def test_spent_points_are_not_clawed_below_zero(self):
        order = self.completed_shopee_order()
        with freeze_time("2026-12-01"):
            self.Card._cron_vest_points()
        partner = order.partner_id
        self.Card.with_user(self.integrator).api_loyalty_redeem("loy_shopee", partner.id, 250, "R-1")
        self.ingest_on(self.shopee, self.shopee_order("returned", "2026-12-02T00:00:00Z"))
        reversal = self.reversals_of(self.earn_of(order))
        self.assertEqual(reversal.points, -50)
        self.assertEqual(self.card_of(partner).points, 0)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "250" in m.body and "could not be taken back" in m.body)
        )

    def test_partial_return_before_vesting_vests_the_rest(self):
        order = self.completed_shopee_order()
        self.return_one_tee(order.picking_ids)
        move = self.earn_of(order)
        reversal = self.reversals_of(move)
        self.assertEqual((reversal.points, reversal.state), (-150, "pending"))
        balance = self.Card.with_user(self.integrator).api_loyalty_balance(order.partner_id.id)
        self.assertEqual(balance["pending"], 150)
        with freeze_time("2026-11-30"):
            self.Card._cron_vest_points()
        self.assertEqual((move.state, move.remaining, reversal.state), ("posted", 150, "posted"))
        self.assertEqual(move.card_id.points, 150)

    def test_channel_refund_of_a_return_reverses_once(self):
        """A marketplace return the channel refunded: its credit note takes back the share of the
        points, once however often the channel says so."""
        order = self.completed_shopee_order()
        refunded = {"return_id": "R-1", "status": "refunded", "lines": [{"sku": "TEE-M", "quantity": 1}]}
        for _again in range(2):
            update = self.shopee_order("completed", "2026-11-23T03:00:00Z", returns=[refunded])
            self.ingest_on(self.shopee, update)
        refund = order.invoice_ids
        self.assertEqual(
            (refund.move_type, refund.state, refund.omni_return_ref), ("out_refund", "posted", "R-1")
        )
        self.assertEqual(order.picking_ids.filtered("omni_return_ref").move_ids.product_uom_qty, 1)
        move = self.earn_of(order)
        self.assertEqual(self.reversals_of(move).points, -150)

    def test_units_the_channel_cancels_take_back_their_points_once(self):
        """A tee of two cancelled by the channel after the order earned: half its points go, once
        however often the channel says so."""
        self.ingest_on(self.shopee, self.shopee_order("ready_to_ship", "2026-11-20T08:00:00Z"))
        order = self.sale_order(self.shopee)
        cancelled = [{**TEE_ONLY[0], "cancelled_quantity": 1}]
        for _again in range(2):
            self.ingest_on(
                self.shopee, self.shopee_order("ready_to_ship", "2026-11-20T09:00:00Z", lines=cancelled)
            )
        line = order.order_line.filtered(lambda line: line.product_id == self.tee)
        self.assertEqual((line.product_uom_qty, line.omni_cancelled_qty), (1, 1))
        move = self.earn_of(order)
        self.assertEqual((move.points, self.reversals_of(move).points), (300, -150))

    def backend_order(self):
        partner = self.env["res.partner"].create({"name": "Đỗ Quang"})
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": self.tee.id, "product_uom_qty": 2, "price_unit": 150000}),
                    (0, 0, {"product_id": self.mug.id, "product_uom_qty": 1, "price_unit": 100000}),
                ],
            }
        )
        order.action_confirm()
        return order

    def test_backend_order_earns_at_once_and_partial_return_reverses_pro_rata(self):
        order = self.backend_order()
        move = self.earn_of(order)
        self.assertEqual((move.state, move.points, move.channel_id.id), ("posted", 400, False))
        self.return_one_tee(order.picking_ids)
        reversal = self.reversals_of(move)
        self.assertEqual((reversal.points, reversal.amount, reversal.state), (-150, -150000, "posted"))
        self.assertEqual(move.remaining, 250, "the returned points come out of the order's own lot")
        self.assertEqual(move.card_id.points, 250)

    def test_credit_note_reverses_what_it_refunds(self):
        order = self.backend_order()
        invoice = order._create_invoices()
        invoice.action_post()
        reversal_wizard = Form(
            self.env["account.move.reversal"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ).save()
        refund = self.env["account.move"].browse(reversal_wizard.refund_moves()["res_id"])
        tee_line = refund.invoice_line_ids.filtered(lambda line: line.product_id == self.tee)
        refund.write({"invoice_line_ids": [Command.delete(tee_line.id)]})
        refund.action_post()
        move = self.earn_of(order)
        self.assertEqual(self.reversals_of(move).points, -100)
        self.assertEqual(move.card_id.points, 300)

    def test_cancelled_backend_order_reverses_and_earns_again_when_confirmed_again(self):
        order = self.backend_order()
        order.with_context(disable_cancel_warning=True).action_cancel()
        move = self.earn_of(order)
        self.assertEqual(self.reversals_of(move).points, -400)
        order.action_draft()
        order.action_confirm()
        earns = self.earn_of(order)
        self.assertEqual(len(earns), 2)
        self.assertEqual(earns.card_id.points, 400)
        assert_one_loyalty_truth(self, self.program)
