from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import OmniStockCase


@tagged("post_install", "-at_install")
class TestOneStockTruth(OmniStockCase):
    """Free stock is on hand minus reserved in a warehouse's internal locations, and what is held is
    what active holds not past their expiry hold: the allocation, its preview, the oversell check
    and the product's channels tab read both the same way."""

    def allocation(self, listing):
        return listing._omni_allocations()[listing.id]

    def preview_line(self, listing):
        action = listing.channel_id.action_open_allocation_preview()
        preview = self.env["omni.stock.allocation.preview"].browse(action["res_id"])
        return preview.line_ids.filtered(lambda line: line.listing_id == listing)

    def product_tab(self):
        self.env.invalidate_all()  # the tab opened again
        return self.tee.product_tmpl_id.omni_listing_ids.sorted(lambda listing: listing.channel_id.id)

    def test_every_reader_sees_the_same_free_stock(self):
        # 5 units in a location of the warehouse no delivery takes from.
        damaged = self.env["stock.location"].create(
            {"name": "Hàng hỏng", "usage": "inventory", "location_id": self.warehouse.view_location_id.id}
        )
        self.env["stock.quant"]._update_available_quantity(self.tee, damaged, 5)
        # 1 unit reserved by a store's delivery.
        customers = self.env.ref("stock.stock_location_customers")
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "name": "Tee",
                            "product_id": self.tee.id,
                            "product_uom_qty": 1,
                            "location_id": self.warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.action_assign()
        expired, _shortages = self.hold(self.shopee, "cart-0", {self.tee: 2})
        self.hold(self.lazada, "cart-1", {self.tee: 3})
        # Past its expiry, not closed yet by the scheduled action: it holds nothing.
        expired.expires_at = fields.Datetime.now() - timedelta(minutes=1)

        # 10 on hand - 1 reserved = 9 free; 3 held; 6 to sell on both channels.
        allocation = self.allocation(self.shopee_tee)
        self.assertEqual((allocation.free, allocation.held, allocation.ats), (9, 3, 6))
        self.assertRecordValues(
            self.preview_line(self.shopee_tee), [{"free_qty": 9, "held_qty": 3, "ats": 6}]
        )
        self.assertRecordValues(
            self.product_tab(),
            [{"available_to_sell": 6, "held_qty": 0}, {"available_to_sell": 6, "held_qty": 3}],
        )

        # An inventory finds 2 units where Odoo counted 10: 1 free for the 3 held.
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.tee.id), ("location_id", "=", self.warehouse.lot_stock_id.id)]
        )
        quant.inventory_quantity = 2
        quant.action_apply_inventory()
        self.env["omni.stock.oversell"]._detect(self.tee)
        incident = self.env["omni.stock.oversell"].search([("product_id", "=", self.tee.id)])
        self.assertRecordValues(incident, [{"demand": 3, "available": 1, "shortfall": 2}])
        allocation = self.allocation(self.lazada_tee)
        self.assertEqual((allocation.free, allocation.held, allocation.ats), (1, 3, 0))
        self.assertRecordValues(
            self.preview_line(self.lazada_tee), [{"free_qty": 1, "held_qty": 3, "ats": 0}]
        )
        self.assertRecordValues(
            self.product_tab(),
            [{"available_to_sell": 0, "held_qty": 0}, {"available_to_sell": 0, "held_qty": 3}],
        )
