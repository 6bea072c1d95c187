from odoo import Command


def run_commit_hooks(test):
    """What the commit of an order's transaction does: compute its customers' metrics, in a
    transaction of their own. Here the test's, whose cache has not seen what that one wrote."""
    test.env.cr.flush()  # the commit's flush and precommit hooks
    test.registry.enter_test_mode(test.cr)
    try:
        test.env.cr.postcommit.run()
    finally:
        test.registry.leave_test_mode()
    test.env.invalidate_all()


class MetricsDataMixin:
    """Customers with orders on several channels and at the shop, for the metrics tests and tour."""

    @classmethod
    def setup_metrics_data(cls):
        env = cls.env
        cls.product = env["product.product"].create(
            {"name": "Áo dài", "type": "service", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        pricelist = env["product.pricelist"].create(
            {"name": "Bảng giá C360", "currency_id": env.company.currency_id.id}
        )
        cls.shopee, cls.lazada, cls.store = env["omni.channel"].create(
            [
                {"name": name, "code": code, "channel_type": kind, "pricelist_id": pricelist.id}
                for name, code, kind in (
                    ("Shopee C360", "c360_shopee", "shopee"),
                    ("Lazada C360", "c360_lazada", "lazada"),
                    ("Cửa hàng C360", "c360_store", "pos"),
                )
            ]
        )
        pos_config = env["pos.config"].create({"name": "Quầy C360"})
        cls.pos_session = env["pos.session"].create({"config_id": pos_config.id, "user_id": env.uid})

    @classmethod
    def sale_order(cls, partner, amount, date, channel=None, ref=None, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "omni_channel_id": channel.id if channel else False,
                "omni_external_ref": ref,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": amount})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = date
        return order

    @classmethod
    def pos_order(cls, partner, amount, date):
        order = cls.env["pos.order"].create(
            {
                "session_id": cls.pos_session.id,
                "partner_id": partner.id,
                "date_order": date,
                "amount_total": amount,
                "amount_tax": 0.0,
                "amount_paid": amount,
                "amount_return": 0.0,
                "company_id": cls.env.company.id,
            }
        )
        order.write({"state": "paid"})
        return order

    @classmethod
    def setup_customers(cls):
        """A customer on two channels and the shop, and four who bought once, long ago."""
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Nguyễn Thị Hoa", "phone": "0912000111", "customer_rank": 1})
        cls.sale_order(cls.customer, 100, "2026-10-01 08:00:00", cls.shopee, "C360-SHP-1")
        cls.sale_order(cls.customer, 250, "2026-11-10 08:00:00", cls.shopee, "C360-SHP-2")
        cls.sale_order(cls.customer, 300, "2026-11-01 08:00:00", cls.lazada, "C360-LZD-1")
        cls.returned = cls.sale_order(cls.customer, 500, "2026-10-15 08:00:00", cls.lazada, "C360-LZD-2")
        cls.returned.omni_status = "returned"
        cls.cancelled = cls.sale_order(cls.customer, 1000, "2026-11-12 08:00:00", cls.shopee, "C360-SHP-3")
        cls.cancelled.with_context(disable_cancel_warning=True).action_cancel()
        cls.pos_order(cls.customer, 150, "2026-11-15 08:00:00")
        cls.pos_order(cls.customer, -50, "2026-11-16 08:00:00")
        cls.others = Partner.create(
            [{"name": f"Khách lẻ {number}", "customer_rank": 1} for number in range(4)]
        )
        for other in cls.others:
            cls.sale_order(other, 50, "2026-06-01 08:00:00")
