from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .company_common import OmniTwoCompaniesCase


@tagged("post_install", "-at_install")
class TestApiCompany(OmniTwoCompaniesCase):
    """An integrator of company A reaches nothing of company B through the order API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tee_only = [{"line_id": "L1", "sku": "TEE-M", "quantity": 1, "unit_price": 150000}]
        cls.order_b = cls.order("SO-B-1", lines=tee_only)
        (result,) = (
            cls.env["omni.channel"].with_user(cls.manager_b).api_ingest_orders("partner_api", [cls.order_b])
        )
        cls.sale_b = cls.env["sale.order"].browse(result["sale_order_id"])
        assert cls.sale_b.omni_channel_id == cls.channel_b_same, result

    def test_api_info_names_the_callers_company(self):
        info = self.env["omni.channel"].with_user(self.integrator).api_info()
        self.assertEqual(info["company"], self.company_a.name)

    def test_ingest_reaches_only_the_callers_channels(self):
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop in your companies"):
            self.env["omni.channel"].with_user(self.integrator).api_ingest_orders(
                "b_shop", [self.order("SO-X")]
            )
        # The code both companies use names A's channel for A's integrator.
        (result,) = self.ingest(self.order("SO-B-1"))
        self.assertEqual(result["status"], "created", result)
        self.assertEqual(self.sale_orders("SO-B-1").company_id, self.company_a)
        self.assertEqual(self.sale_b.omni_channel_id, self.channel_b_same)
        self.assertEqual(self.sale_orders("SO-B-1").partner_id.company_id, self.company_a)

    def test_get_orders_answers_only_the_callers_orders(self):
        Channel = self.env["omni.channel"].with_user(self.integrator)
        self.assertEqual(Channel.api_get_orders("partner_api", ["SO-B-1"]), [])
        with self.assertRaisesRegex(ValidationError, "No channel with code b_shop"):
            Channel.api_get_orders("b_shop", ["SO-B-1"])
        # B's manager, for the same call, gets B's order.
        (order,) = (
            self.env["omni.channel"].with_user(self.manager_b).api_get_orders("partner_api", ["SO-B-1"])
        )
        self.assertEqual(order["sale_order_id"], self.sale_b.id)

    def test_channel_code_of_any_type_is_refused_cleanly(self):
        Channel = self.env["omni.channel"].with_user(self.integrator)
        for code in (None, 42, ["partner_api"], "", "a\x00b", "\ud800", "x" * 10_000):
            with self.subTest(code=code), self.assertRaises(ValidationError):
                Channel.api_get_orders(code, ["SO-1"])
