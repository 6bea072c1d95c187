from odoo import api, fields, models


class OmniCampaign(models.Model):
    """What a campaign sold: the orders and receipts it priced, and the way to Channel Performance."""

    _inherit = "omni.campaign"

    order_count = fields.Integer(compute="_compute_results", string="Orders")
    pos_order_count = fields.Integer(compute="_compute_results", string="Receipts")

    def _compute_results(self):
        for model, field in (("sale.order", "order_count"), ("pos.order", "pos_order_count")):
            counts = dict(
                self.env[model]._read_group(
                    [("omni_campaign_id", "in", self.ids)], ["omni_campaign_id"], ["__count"]
                )
            )
            for campaign in self:
                campaign[field] = counts.get(campaign, 0)

    @api.model
    def _omni_pricing_campaigns(self, orders):
        """The campaigns whose window meets the dates of ``orders``, as the system: an order records
        its campaign whoever placed it."""
        dates = [order.date_order for order in orders if order.date_order]
        if not dates:
            return self.browse()
        return self.sudo().search(
            [
                ("state", "in", ("scheduled", "running", "ended")),
                ("date_start", "<=", max(dates)),
                ("date_end", ">", min(dates)),
            ]
        )

    def _omni_priced(self, order, products, window=None):
        """Whether this campaign priced ``order`` (of its company, placed in its window, or in
        ``window``, ``(start, end)``, where a platform ran it) for one of ``products``."""
        self.ensure_one()
        start, end = window or (self.date_start, self.date_end)
        return (
            self.company_id == order.company_id
            and bool(order.date_order)
            and start <= order.date_order < end
            and bool(products & self.line_ids.product_id)
        )

    def action_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(domain=[("omni_campaign_id", "=", self.id)], context={"create": False})
        return action

    def action_open_pos_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("point_of_sale.action_pos_pos_form")
        action.update(domain=[("omni_campaign_id", "=", self.id)], context={"create": False})
        return action

    def action_open_performance(self):
        """Channel Performance of the campaign's orders, by channel."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_channel_sync.omni_channel_report_action")
        action.update(
            domain=[("campaign_id", "=", self.id)],
            context={"pivot_row_groupby": ["channel_id"], "graph_groupbys": ["channel_id"]},
        )
        return action
