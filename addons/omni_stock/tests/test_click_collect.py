from ast import literal_eval

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import OmniStockCase


@tagged("post_install", "-at_install")
class TestClickCollect(OmniStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_stock(cls.tee, 3, cls.store)
        cls.store_staff = new_test_user(cls.env, "store_staff", groups="stock.group_stock_user")

    def ingest(self, status="ready_to_ship", quantity=2, store="Q1"):
        order = {
            "external_id": "SO-1",
            "status": status,
            "currency": "VND",
            "customer": {"buyer_id": "buyer-1", "name": "Trần Thị Bình", "email": "binh@example.vn"},
            "lines": [{"line_id": "L1", "sku": "SP-TEE", "quantity": quantity, "unit_price": 150000}],
            "pickup_store": store,
        }
        (result,) = (
            self.env["omni.channel"].with_user(self.integrator).api_ingest_orders("stock_shopee", [order])
        )
        return result, self.env["sale.order"].browse(result["sale_order_id"])

    def test_the_store_ships_the_order(self):
        result, order = self.ingest()
        self.assertEqual(result["status"], "created", result)
        self.assertRecordValues(
            order, [{"omni_pickup_warehouse_id": self.store.id, "warehouse_id": self.store.id}]
        )
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_id.warehouse_id, self.store)
        self.assertRecordValues(
            picking,
            [
                {
                    "state": "assigned",
                    "omni_pickup_warehouse_id": self.store.id,
                    "omni_pickup_state": "preparing",
                }
            ],
        )

    def test_an_unpaid_order_holds_the_store_stock(self):
        _result, order = self.ingest(status="unpaid")
        self.assertEqual(order.omni_hold_ids.line_ids.warehouse_id, self.store)

    def test_unknown_store_is_refused(self):
        result, _order = self.ingest(store="NOPE")
        self.assertEqual(result["status"], "failed")
        self.assertIn("Unknown pickup store NOPE", result["error"])

    def test_backend_order_picks_up_in_store(self):
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.integrator.partner_id
            form.omni_pickup_warehouse_id = self.store
            self.assertEqual(form.warehouse_id, self.store)
            with form.order_line.new() as line:
                line.product_id = self.tee
        self.assertEqual(form.record.warehouse_id, self.store)

    def test_ready_notify_handover(self):
        _result, order = self.ingest()
        picking = order.picking_ids.with_user(self.store_staff)
        picking.action_omni_ready_for_pickup()
        self.assertEqual(picking.omni_pickup_state, "ready")
        self.assertTrue(all(picking.move_ids.mapped("picked")))
        with self.assertRaisesRegex(UserError, "is not a click-and-collect delivery being prepared"):
            picking.action_omni_ready_for_pickup()
        picking.action_omni_notify_pickup()
        message = picking.message_ids[0]
        self.assertIn("is ready for pickup", message.subject)
        self.assertIn(self.store.name, message.body)
        self.assertIn(order.partner_id, message.partner_ids)
        self.assertTrue(picking.omni_notified_at)
        picking.action_omni_handover()
        self.assertRecordValues(picking, [{"state": "done", "omni_pickup_state": "collected"}])
        self.assertTrue(order.locked)
        self.assertIn("Collected by the customer", order.message_ids[0].body)

    def test_a_return_is_not_collected(self):
        _result, order = self.ingest()
        picking = order.picking_ids
        picking.action_omni_ready_for_pickup()
        picking.action_omni_handover()
        wizard = self.env["stock.return.picking"].create({"picking_id": picking.id})
        wizard.product_return_moves.quantity = 2
        returned = wizard._create_return()
        self.assertEqual(returned.sale_id, order)
        self.assertFalse(returned.omni_pickup_state)
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_stock.stock_picking_action_pickup")
        self.assertEqual(self.env["stock.picking"].search(literal_eval(action["domain"])), picking)

    def test_not_ready_before_the_goods_are_reserved(self):
        _result, order = self.ingest(quantity=5)  # 3 in the store
        with self.assertRaisesRegex(UserError, "its goods are not all reserved"):
            order.picking_ids.action_omni_ready_for_pickup()
        with self.assertRaises(UserError):
            order.picking_ids.action_omni_handover()
