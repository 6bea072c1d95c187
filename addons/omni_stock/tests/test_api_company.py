import math

from odoo import Command
from odoo.addons.omni_channel_sync.tests.company_common import OmniTwoCompaniesCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestStockApiCompany(OmniTwoCompaniesCase):
    """An integrator of company A reaches no stock, listing or hold of company B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Warehouse = cls.env["stock.warehouse"]
        cls.warehouse_a = Warehouse.search([("company_id", "=", cls.company_a.id)], limit=1)
        cls.warehouse_b = Warehouse.search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.channel.warehouse_ids = [Command.set(cls.warehouse_a.ids)]
        (cls.channel_b_same | cls.channel_b).warehouse_ids = [Command.set(cls.warehouse_b.ids)]
        cls.tee_b = cls.env_b["product.product"].create(
            {"name": "Áo của B", "default_code": "B-TEE", "is_storable": True, "company_id": cls.company_b.id}
        )
        cls.env_b["omni.channel.listing"].create(
            {"channel_id": cls.channel_b.id, "external_sku": "B-LISTING", "product_id": cls.tee.id}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.tee, cls.warehouse_a.lot_stock_id, 5)
        Quant.with_company(cls.company_b)._update_available_quantity(cls.tee, cls.warehouse_b.lot_stock_id, 7)
        Quant.with_company(cls.company_b)._update_available_quantity(
            cls.tee_b, cls.warehouse_b.lot_stock_id, 3
        )
        cls.hold_b = (
            cls.env["omni.channel"]
            .with_user(cls.manager_b)
            .api_hold_stock("partner_api", "CART-B", [{"sku": "TEE-M", "quantity": 2}])
        )
        cls.Api = cls.env["omni.channel"].with_user(cls.integrator)

    def test_available_to_sell_counts_only_the_callers_stock(self):
        self.assertEqual(self.Api.api_available_to_sell("partner_api", ["TEE-M"]), {"TEE-M": 5})
        # B's channel, B's product and B's listing do not exist for A.
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            self.Api.api_available_to_sell("b_shop", ["TEE-M"])
        with self.assertRaisesRegex(ValidationError, r"Unknown SKU\(s\): B-LISTING, B-TEE\."):
            self.Api.api_available_to_sell("partner_api", ["B-TEE", "B-LISTING"])

    def test_hold_never_touches_another_companys_hold(self):
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            self.Api.api_hold_stock("b_shop", "CART-X", [{"sku": "TEE-M", "quantity": 1}])
        with self.assertRaisesRegex(ValidationError, "Unknown SKU"):
            self.Api.api_hold_stock("partner_api", "CART-X", [{"sku": "B-TEE", "quantity": 1}])
        # B's reference on the code both companies use: a hold of A's own, B's stays as it was.
        hold = self.Api.api_hold_stock("partner_api", "CART-B", [{"sku": "TEE-M", "quantity": 5}])
        self.assertNotEqual(hold["hold_id"], self.hold_b["hold_id"])
        self.assertEqual(self.env["omni.stock.hold"].browse(hold["hold_id"]).company_id, self.company_a)
        # A holding all of its 5 leaves B's 7 (2 held) alone.
        with self.assertRaises(UserError):
            self.Api.api_hold_stock("partner_api", "CART-Y", [{"sku": "TEE-M", "quantity": 1}])
        b_api = self.env["omni.channel"].with_user(self.manager_b)
        self.assertEqual(b_api.api_available_to_sell("partner_api", ["TEE-M"]), {"TEE-M": 5})

    def test_release_never_touches_another_companys_hold(self):
        with self.assertRaisesRegex(ValidationError, "No hold CART-B on channel partner_api"):
            self.Api.api_release_hold("partner_api", "CART-B")
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            self.Api.api_release_hold("b_shop", "CART-B")
        self.assertEqual(self.env["omni.stock.hold"].browse(self.hold_b["hold_id"]).state, "active")

    def test_hostile_arguments_are_refused_cleanly(self):
        line = {"sku": "TEE-M", "quantity": 1}
        calls = [
            ("api_available_to_sell", ("partner_api", None)),
            ("api_available_to_sell", ("partner_api", [None])),
            ("api_available_to_sell", ("partner_api", ["TEE\x00"])),
            ("api_available_to_sell", ("partner_api", ["\ud800"])),
            ("api_available_to_sell", ("partner_api", ["x" * 100_000])),
            ("api_available_to_sell", ("partner_api", ["TEE-M"] * 1001)),
            ("api_available_to_sell", ("partner_api", [f"NOPE-{i}" for i in range(500)])),
            ("api_hold_stock", ("partner_api", None, [line])),
            ("api_hold_stock", ("partner_api", "R\x00", [line])),
            ("api_hold_stock", ("partner_api", "\udfff", [line])),
            ("api_hold_stock", ("partner_api", "R1", None)),
            ("api_hold_stock", ("partner_api", "R1", ["TEE-M"])),
            ("api_hold_stock", ("partner_api", "R1", [line] * 1001)),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": None, "quantity": 1}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M\x00", "quantity": 1}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": math.nan}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": math.inf}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": -1}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": 10**30}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": "1"}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": 1, "warehouse": "\x00"}])),
            ("api_hold_stock", ("partner_api", "R1", [{"sku": "TEE-M", "quantity": 1, "warehouse": 3}])),
            ("api_hold_stock", ("partner_api", "R1", [line], 10**30)),
            ("api_hold_stock", ("partner_api", "R1", [line], math.nan)),
            ("api_release_hold", ("partner_api", None)),
            ("api_release_hold", ("partner_api", "R\x00")),
            ("api_release_hold", ("partner_api", ["R1"])),
        ]
        for method, args in calls:
            with self.subTest(method=method, args=str(args)[:80]), self.assertRaises(ValidationError):
                getattr(self.Api, method)(*args)
