from odoo.tests import new_test_user, tagged

from .common import CarrierCase


@tagged("post_install", "-at_install", "omni_tour")
class TestCarrierTour(CarrierCase):
    def test_warehouse_books_prints_and_hands_over(self):
        new_test_user(
            self.env,
            "omni_carrier_warehouse",
            groups="stock.group_stock_user,sales_team.group_sale_salesman",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        self.order(self.ghtk)  # another delivery, not booked yet: not among the parcels to hand over
        order = self.order(self.ghn)
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_outgoing/{picking.id}",
            "omni_vn_carrier_warehouse_tour",
            login="omni_carrier_warehouse",
        )
        self.assertEqual(picking.state, "done")
        self.assertIn(picking.carrier_tracking_ref, self.simulator.ghn.orders)
        self.assertTrue(picking.omni_carrier_handover_date)
        labels = self.env["ir.attachment"].search(
            [("name", "=like", "Labels %"), ("res_model", "=", "stock.picking")]
        )
        self.assertEqual(len(labels), 1)
