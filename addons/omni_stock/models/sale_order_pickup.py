from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_pickup_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Pick Up In Store",
        check_company=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Click and collect: the customer collects the order in this store, which ships it from "
        "its own stock.",
    )

    @api.depends("omni_pickup_warehouse_id")
    def _compute_warehouse_id(self):
        result = super()._compute_warehouse_id()
        for order in self:
            if order.omni_pickup_warehouse_id and order.state in ("draft", "sent"):
                order.warehouse_id = order.omni_pickup_warehouse_id
        return result

    def _omni_queue_ship(self):
        # A collected order is handed over at the store: there is no parcel to tell the channel about.
        return super(
            SaleOrder, self.filtered(lambda order: not order.omni_pickup_warehouse_id)
        )._omni_queue_ship()
