from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "omni_tour")
class TestWarehouseTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, "omni_tour_store", groups="stock.group_stock_user")
        cls.env.ref("base.VND").active = True
        pricelist = cls.env["product.pricelist"].create(
            {"name": "Tour VND", "currency_id": cls.env.ref("base.VND").id}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.store = cls.env["stock.warehouse"].create({"name": "Cửa hàng Tour", "code": "TOUR"})
        cls.channel = cls.env["omni.channel"].create(
            {
                "name": "Tour Shopee",
                "code": "tour_stock",
                "channel_type": "api",
                "pricelist_id": pricelist.id,
                "warehouse_ids": [fields.Command.set(cls.warehouse.ids)],
            }
        )
        cls.tee = cls.env["product.product"].create(
            {"name": "Tour Tee", "is_storable": True, "list_price": 150000}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.tee, cls.warehouse.lot_stock_id, 10)
        Quant._update_available_quantity(cls.tee, cls.store.lot_stock_id, 3)
        cls.listing = cls.env["omni.channel.listing"].create(
            {"channel_id": cls.channel.id, "external_sku": "TOUR-SP-TEE", "product_id": cls.tee.id}
        )
        cls.listing.write({"last_pushed_qty": 7, "stock_pushed_at": fields.Datetime.now()})

    def order(self, external_id, customer, status="ready_to_ship", **values):
        return {
            "external_id": external_id,
            "status": status,
            "currency": "VND",
            "customer": {
                "buyer_id": external_id,
                "name": customer,
                "email": f"{external_id.lower()}@example.vn",
            },
            "lines": [{"line_id": "L1", "sku": "TOUR-SP-TEE", "quantity": 1, "unit_price": 150000}],
            **values,
        }

    def test_store_staff_prepare_and_hand_over(self):
        now = fields.Datetime.now()
        results = self.channel._ingest_orders(
            [
                self.order("TOUR-1", "Khách Giao Sau", ship_by=(now + timedelta(days=2)).isoformat()),
                self.order("TOUR-2", "Khách Trễ Hạn", ship_by=(now - timedelta(days=1)).isoformat()),
                self.order(
                    "TOUR-3",
                    "Khách Nhận Tại Cửa Hàng",
                    pickup_store="TOUR",
                    ship_by=(now + timedelta(days=5)).isoformat(),
                ),
            ],
            source="api",
        )
        self.assertEqual([result["status"] for result in results], ["created"] * 3, results)
        self.start_tour(
            "/odoo/action-omni_stock.stock_picking_action_channel_deliveries",
            "omni_stock_warehouse_tour",
            login="omni_tour_store",
        )
        pickup = self.env["sale.order"].search([("omni_external_ref", "=", "TOUR-3")])
        self.assertEqual(pickup.picking_ids.state, "done")
        self.assertTrue(pickup.locked)

    def test_product_channels_tab(self):
        self.channel._ingest_orders(
            [
                self.order(
                    "TOUR-4",
                    "Khách Chưa Trả",
                    status="unpaid",
                    lines=[{"line_id": "L1", "sku": "TOUR-SP-TEE", "quantity": 2, "unit_price": 150000}],
                )
            ],
            source="api",
        )
        self.channel._ingest_orders(
            [
                self.order(
                    "TOUR-5",
                    "Khách Đã Trả",
                    lines=[{"line_id": "L1", "sku": "TOUR-SP-TEE", "quantity": 3, "unit_price": 150000}],
                )
            ],
            source="api",
        )
        self.start_tour(
            f"/odoo/action-stock.product_template_action_product/{self.tee.product_tmpl_id.id}",
            "omni_stock_product_channels_tour",
            login="omni_tour_store",
        )
