from ast import literal_eval
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import OmniStockCase


@tagged("post_install", "-at_install")
class TestShipBy(OmniStockCase):
    def ingest(self, external_id, status="ready_to_ship", **values):
        order = {
            "external_id": external_id,
            "status": status,
            "currency": "VND",
            "customer": {"buyer_id": "buyer-1", "name": "Trần Thị Bình"},
            "lines": [{"line_id": "L1", "sku": "SP-TEE", "quantity": 1, "unit_price": 150000}],
            **values,
        }
        (result,) = (
            self.env["omni.channel"].with_user(self.integrator).api_ingest_orders("stock_shopee", [order])
        )
        self.assertEqual(result["status"], "created", result)
        return self.env["sale.order"].browse(result["sale_order_id"])

    def test_the_channel_deadline_is_kept(self):
        order = self.ingest("SO-1", ship_by="2030-01-02T10:00:00+07:00")
        self.assertEqual(order.omni_ship_by, fields.Datetime.to_datetime("2030-01-02 03:00:00"))
        self.assertRecordValues(
            order.picking_ids, [{"omni_channel_id": self.shopee.id, "omni_ship_by": order.omni_ship_by}]
        )

    def test_otherwise_confirmation_plus_handling_time(self):
        self.shopee.handling_hours = 4
        order = self.ingest("SO-1", status="unpaid")
        self.assertFalse(order.omni_ship_by, "not promised before it is confirmed")
        order.action_confirm()
        self.assertEqual(order.omni_ship_by, order.date_order + timedelta(hours=4))
        self.assertEqual(order.picking_ids.omni_ship_by, order.omni_ship_by)

    def test_a_deadline_given_once_paid_replaces_the_handling_time(self):
        order = self.ingest("SO-1", status="unpaid", updated_at="2030-01-01T00:00:00Z")
        self.env["omni.channel"].with_user(self.integrator).api_ingest_orders(
            "stock_shopee",
            [
                {
                    "external_id": "SO-1",
                    "status": "ready_to_ship",
                    "updated_at": "2030-01-01T01:00:00Z",
                    "currency": "VND",
                    "lines": [{"line_id": "L1", "sku": "SP-TEE", "quantity": 1, "unit_price": 150000}],
                    "ship_by": "2030-01-03T00:00:00Z",
                }
            ],
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.omni_ship_by, fields.Datetime.to_datetime("2030-01-03 00:00:00"))
        self.assertEqual(order.picking_ids.omni_ship_by, order.omni_ship_by)

    def test_channel_deliveries_come_by_ship_by(self):
        later = self.ingest("SO-1", ship_by="2030-01-03T00:00:00Z")
        late = self.ingest("SO-2", ship_by="2020-01-01T00:00:00Z")
        sooner = self.ingest("SO-3", ship_by="2030-01-02T00:00:00Z")
        other = self.env["sale.order"].create({"partner_id": self.integrator.partner_id.id})
        other.action_confirm()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_stock.stock_picking_action_channel_deliveries"
        )
        view_id = action["views"][0][0]
        arch = self.env["stock.picking"].get_view(view_id, "list")["arch"]
        self.assertIn('default_order="omni_ship_by, priority desc, id"', arch)
        # Only this test's orders: the database may hold other channels' deliveries.
        mine = [("sale_id", "in", (later | late | sooner | other).ids)]
        pickings = self.env["stock.picking"].search(
            literal_eval(action["domain"]) + mine, order="omni_ship_by, priority desc, id"
        )
        self.assertEqual(pickings.sale_id, late | sooner | later, "the order without channel is not listed")
        self.assertEqual(pickings.mapped("sale_id"), late + sooner + later)
