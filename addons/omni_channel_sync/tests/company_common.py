from odoo import Command
from odoo.tests import new_test_user

from .common import OmniChannelCase


class OmniTwoCompaniesCase(OmniChannelCase):
    """Company A (the test company, its channel and integrator) and company B: a channel with A's
    channel code, a channel only B has, a customer of B, and a manager of B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Công ty B", "currency_id": cls.vnd.id})
        cls.env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids))
        pricelist_b = cls.env_b["product.pricelist"].create(
            {"name": "Bảng giá B", "currency_id": cls.vnd.id, "company_id": cls.company_b.id}
        )
        cls.channel_b_same, cls.channel_b = cls.env_b["omni.channel"].create(
            [
                {
                    "name": name,
                    "code": code,
                    "channel_type": "api",
                    "pricelist_id": pricelist_b.id,
                    "company_id": cls.company_b.id,
                }
                for name, code in (("Đối tác API của B", "partner_api"), ("Cửa hàng B", "b_shop"))
            ]
        )
        cls.customer_b = cls.env_b["res.partner"].create(
            {
                "name": "Khách của B",
                "phone": "0987654321",
                "email": "khach.b@example.vn",
                "customer_rank": 1,
                "company_id": cls.company_b.id,
            }
        )
        cls.manager_b = new_test_user(
            cls.env,
            "omni_manager_b",
            groups="omni_channel_sync.group_manager,sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        # The integrator of company A only (new_test_user gives the test company).
        assert cls.integrator.company_ids == cls.company_a
