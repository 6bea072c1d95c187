import importlib.util
import sys
from pathlib import Path

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import HttpCase

if importlib.util.find_spec("sandbox") is None:
    # The simulator lives at the repository's root, two levels above this addon.
    sys.path.append(str(Path(__file__).resolve().parents[3]))

from sandbox import ghn, ghtk
from sandbox.server import Simulator, serve_in_thread


class CarrierCase(AccountTestInvoicingCommon, HttpCase):
    """A Vietnamese company shipping from Hồ Chí Minh with GHN and GHTK (the simulator's), a buyer in
    Hà Nội (2025 map: Phường Ba Đình), a product of 600 g in stock."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("vn")
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= (
            cls.env.ref("stock.group_stock_manager")
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("account.group_account_manager")
        )
        cls.simulator = Simulator()
        cls.sim_url, stop = serve_in_thread(cls.simulator)
        cls.addClassCleanup(stop)
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.product = cls.env["product.product"].create(
            {"name": "Áo thun", "is_storable": True, "weight": 0.6, "list_price": 175_000, "taxes_id": False}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.warehouse.lot_stock_id, 100)
        shipping = cls.env["product.product"].create(
            {"name": "Giao hàng", "type": "service", "taxes_id": False, "company_id": cls.env.company.id}
        )
        bank = cls.company_data["default_journal_bank"]
        Carrier = cls.env["delivery.carrier"]
        cls.ghn = Carrier.create(
            {
                "name": "GHN",
                "delivery_type": "ghn",
                "product_id": shipping.id,
                "omni_carrier_url": f"{cls.sim_url}/ghn/",
                "omni_carrier_token": ghn.DEMO_TOKEN,
                "omni_carrier_shop": str(ghn.DEMO_SHOPS[0]["_id"]),
                "omni_cod_journal_id": bank.id,
            }
        )
        cls.ghtk = Carrier.create(
            {
                "name": "GHTK",
                "delivery_type": "ghtk",
                "product_id": shipping.id,
                "omni_carrier_url": f"{cls.sim_url}/ghtk/",
                "omni_carrier_token": ghtk.DEMO_TOKEN,
                "omni_carrier_shop": ghtk.DEMO_PICK_ADDRESSES[0]["pick_address_id"],
                "omni_cod_journal_id": bank.id,
            }
        )
        ward = cls.env["omni.vn.ward"].search([("code", "=", "00004")])
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Trần Thị Bình",
                "phone": "0912 345 678",
                "street": "5 Điện Biên Phủ",
                "omni_vn_ward_id": ward.id,
            }
        )

    def order(self, carrier, quantity=2):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": quantity,
                            "price_unit": 175_000,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        rate = carrier.rate_shipment(order)
        self.assertTrue(rate["success"], rate.get("error_message"))
        order.set_delivery_line(carrier, rate["price"])
        order.action_confirm()
        return order

    def ship(self, order):
        """The order's delivery validated by the warehouse: the waybill booked."""
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertTrue(picking.carrier_tracking_ref)
        return picking

    def invoice(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        return invoice
