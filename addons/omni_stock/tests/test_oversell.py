from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OmniStockCase


@tagged("post_install", "-at_install")
class TestOversell(OmniStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Oversell = cls.env["omni.stock.oversell"]

    def ingest(self, external_id, status, quantity):
        order = {
            "external_id": external_id,
            "status": status,
            "currency": "VND",
            "customer": {"buyer_id": "buyer-1", "name": "Trần Thị Bình"},
            "lines": [{"line_id": "L1", "sku": "SP-TEE", "quantity": quantity, "unit_price": 150000}],
        }
        (result,) = (
            self.env["omni.channel"].with_user(self.integrator).api_ingest_orders("stock_shopee", [order])
        )
        self.assertIn(result["status"], ("created", "updated"), result)
        return self.env["sale.order"].browse(result["sale_order_id"])

    def lose(self, product, quantity):
        """An inventory adjustment finds ``quantity`` fewer units than Odoo thought."""
        quant = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", self.warehouse.lot_stock_id.id)]
        )
        quant.inventory_quantity = quant.quantity - quantity
        quant.action_apply_inventory()

    def incidents(self):
        return self.Oversell.search([("product_id", "=", self.tee.id)])

    def test_holds_and_orders_above_stock_open_one_incident(self):
        self.hold(self.lazada, "cart-1", {self.tee: 4})
        self.ingest("SO-1", "ready_to_ship", 5)
        self.Oversell._detect(self.tee | self.mug)
        self.assertFalse(self.incidents(), "9 wanted, 10 on hand")
        self.lose(self.tee, 4)
        self.Oversell._cron_detect()
        self.assertRecordValues(
            self.incidents(),
            [{"state": "open", "demand": 9, "available": 6, "shortfall": 3}],
        )
        self.assertEqual(self.incidents().channel_ids, self.shopee | self.lazada)
        # Detected again: the open incident follows, no second one.
        self.lose(self.tee, 1)
        self.env["omni.stock.dirty"]._mark(self.tee)
        self.env["omni.stock.dirty"]._dispatch_job()
        self.assertRecordValues(
            self.incidents(), [{"state": "open", "demand": 9, "available": 5, "shortfall": 4}]
        )

    def test_incident_resolves(self):
        self.ingest("SO-1", "ready_to_ship", 5)
        self.lose(self.tee, 7)
        self.Oversell._detect(self.tee)
        incident = self.incidents()
        self.assertEqual(incident.shortfall, 2)
        incident.action_resolve()
        self.assertEqual(incident.state, "resolved")
        self.assertTrue(incident.resolved_at)
        # Still short: a new incident opens; restocked: it resolves by itself.
        self.Oversell._detect(self.tee)
        reopened = self.incidents() - incident
        self.assertEqual(reopened.state, "open")
        self.set_stock(self.tee, 5)
        self.Oversell._detect(self.tee)
        self.assertEqual(reopened.state, "resolved")

    def test_delivered_goods_are_not_demand_and_unpaid_orders_count_once(self):
        order = self.ingest("SO-1", "ready_to_ship", 3)
        order.picking_ids.move_ids.quantity = 3
        order.picking_ids.button_validate()
        self.ingest("SO-2", "unpaid", 2)  # a quotation: counted through its hold only
        self.lose(self.tee, 5)
        self.Oversell._detect(self.tee)
        self.assertFalse(self.incidents(), "2 on hand, 2 held")
        self.lose(self.tee, 1)
        self.Oversell._detect(self.tee)
        self.assertRecordValues(self.incidents(), [{"demand": 2, "available": 1}])

    def test_users_resolve_incidents_but_do_not_edit_them(self):
        self.ingest("SO-1", "ready_to_ship", 5)
        self.lose(self.tee, 7)
        self.Oversell._detect(self.tee)
        user = new_test_user(self.env, "oversell_store_staff", groups="stock.group_stock_user")
        incident = self.incidents().with_user(user)
        with self.assertRaises(AccessError):
            incident.write({"demand": 0})
        incident.action_resolve()
        self.assertEqual(incident.state, "resolved")

    def test_companies_are_apart(self):
        """Stock of one company never covers the orders of another, and the incident is the company's
        whose orders are short, whoever ran the check."""
        other = self.env["res.company"].create({"name": "Chi nhánh Đà Nẵng"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)], limit=1)
        pricelist = self.env["product.pricelist"].create(
            {"name": "VND Đà Nẵng", "currency_id": self.vnd.id, "company_id": other.id}
        )
        channel = self.env["omni.channel"].create(
            {
                "name": "Tiki Đà Nẵng",
                "pricelist_id": pricelist.id,
                "code": "stock_tiki_dn",
                "channel_type": "api",
                "company_id": other.id,
                "warehouse_ids": [fields.Command.set(warehouse.ids)],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Lê Văn Cường"}).id,
                "company_id": other.id,
                "warehouse_id": warehouse.id,
                "omni_channel_id": channel.id,
                "omni_external_ref": "DN-1",
                "order_line": [fields.Command.create({"product_id": self.tee.id, "product_uom_qty": 2})],
            }
        )
        order.with_company(other).action_confirm()
        self.hold(self.shopee, "cart-1", {self.tee: 4})  # 4 of the 10 in this company: not short
        self.Oversell._detect(self.tee)
        self.assertRecordValues(
            self.incidents(),
            [{"company_id": other.id, "demand": 2, "available": 0, "channel_ids": channel.ids}],
        )

    def test_dropship_takes_nothing_from_the_warehouses(self):
        order = self.ingest("SO-1", "unpaid", 1)
        self.env["stock.move"].create(
            {
                "name": "Dropship",
                "product_id": self.tee.id,
                "product_uom_qty": 20,
                "product_uom": self.tee.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "sale_line_id": order.order_line.id,
            }
        )._action_confirm()
        self.Oversell._detect(self.tee)
        self.assertFalse(self.incidents())
