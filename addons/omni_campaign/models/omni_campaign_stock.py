from odoo import api, models
from odoo.tools import SQL


class OmniStockAllocation(models.AbstractModel):
    _inherit = "omni.stock.allocation"

    @api.model
    def _set_apart(self, product_ids):
        """A running campaign keeps its reserved units for its channels: what is reserved less what
        the campaign's orders took already (not cancelled), never below 0."""
        result = super()._set_apart(product_ids)
        if not product_ids:
            return result
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT line.product_id,
                          ARRAY(SELECT channel_id FROM omni_campaign_channel
                                 WHERE campaign_id = campaign.id),
                          line.reserved_qty - COALESCE((
                              SELECT SUM(sol.product_uom_qty)
                                FROM sale_order_line sol
                                JOIN sale_order so ON so.id = sol.order_id
                               WHERE so.omni_campaign_id = campaign.id AND so.state != 'cancel'
                                 AND sol.product_id = line.product_id), 0)
                     FROM omni_campaign_line line
                     JOIN omni_campaign campaign ON campaign.id = line.campaign_id
                    WHERE campaign.state = 'running' AND line.reserved_qty > 0
                      AND line.product_id = ANY(%s)""",
                list(product_ids),
            )
        )
        return result + [
            (product_id, frozenset(channel_ids), quantity)
            for product_id, channel_ids, quantity in self.env.cr.fetchall()
            if quantity > 0
        ]


class OmniCampaign(models.Model):
    _inherit = "omni.campaign"

    def write(self, vals):
        # A window opening or closing gives or takes back the campaign's stock: every channel's
        # quantity of its reserved products is computed again.
        result = super().write(vals)
        if "state" in vals:
            self._omni_mark_reserved_stock()
        return result

    def _omni_mark_reserved_stock(self):
        products = self.line_ids.filtered("reserved_qty").product_id
        if products:
            self.env["omni.stock.dirty"]._mark_on_commit(products.ids)


class OmniCampaignLine(models.Model):
    _inherit = "omni.campaign.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._omni_mark_reserved_stock()
        return lines

    def write(self, vals):
        changed = {"reserved_qty", "product_id"} & set(vals)
        if changed:
            self._omni_mark_reserved_stock()  # the product kept before a change of product
        result = super().write(vals)
        if changed:
            self._omni_mark_reserved_stock()
        return result

    def unlink(self):
        self._omni_mark_reserved_stock()
        return super().unlink()

    def _omni_mark_reserved_stock(self):
        """A running campaign's reserved units changed: their products' quantities are computed
        again for every channel."""
        products = self.filtered(lambda line: line.campaign_id.state == "running").product_id
        if products:
            self.env["omni.stock.dirty"]._mark_on_commit(products.ids)
