from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class OmniStockCase(TransactionCase):
    """Two warehouses, two storable products in stock, and two channels selling from the first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vnd = cls.env.ref("base.VND")
        cls.vnd.active = True
        cls.pricelist = cls.env["product.pricelist"].create({"name": "VND", "currency_id": cls.vnd.id})
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.env.company.id)], limit=1)
        cls.store = cls.env["stock.warehouse"].create({"name": "Cửa hàng Quận 1", "code": "Q1"})
        cls.shopee, cls.lazada = cls.env["omni.channel"].create(
            [
                {
                    "name": name,
                    "code": code,
                    "channel_type": "api",
                    "pricelist_id": cls.pricelist.id,
                    "warehouse_ids": [fields.Command.set(cls.warehouse.ids)],
                }
                for name, code in (("Shopee", "stock_shopee"), ("Lazada", "stock_lazada"))
            ]
        )
        Product = cls.env["product.product"]
        cls.tee = Product.create(
            {"name": "Áo thun", "default_code": "TEE", "is_storable": True, "list_price": 150000}
        )
        cls.mug = Product.create(
            {"name": "Cốc sứ", "default_code": "MUG", "is_storable": True, "list_price": 60000}
        )
        cls.set_stock(cls.tee, 10)
        cls.set_stock(cls.mug, 4)
        Listing = cls.env["omni.channel.listing"]
        cls.shopee_tee = Listing.create(
            {"channel_id": cls.shopee.id, "external_sku": "SP-TEE", "product_id": cls.tee.id}
        )
        cls.shopee_mug = Listing.create(
            {"channel_id": cls.shopee.id, "external_sku": "SP-MUG", "product_id": cls.mug.id}
        )
        cls.lazada_tee = Listing.create(
            {"channel_id": cls.lazada.id, "external_sku": "LZ-TEE", "product_id": cls.tee.id}
        )
        cls.integrator = new_test_user(
            cls.env, "stock_integrator", groups="base.group_portal,omni_channel_sync.group_integrator"
        )

    @classmethod
    def set_stock(cls, product, quantity, warehouse=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, (warehouse or cls.warehouse).lot_stock_id, quantity
        )

    def ats(self, *listings):
        result = self.env["omni.channel.listing"].concat(*listings)._omni_compute_ats()
        return [result[listing.id] for listing in listings]

    def hold(self, channel, reference, quantities, minutes=30, warehouse=None):
        hold, shortages = self.env["omni.stock.hold"]._omni_reserve(
            channel,
            reference,
            quantities,
            fields.Datetime.now() + timedelta(minutes=minutes),
            warehouse=warehouse,
        )
        return hold, shortages
