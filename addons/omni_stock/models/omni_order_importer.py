from odoo import api, models
from odoo.exceptions import UserError


class OmniOrderImporter(models.AbstractModel):
    _inherit = "omni.order.importer"

    @api.model
    def _import_order(self, channel, order, products):
        result, sale_order = super()._import_order(channel, order, products)
        # Marketplaces set the deadline once the order is paid: an update brings it.
        if result == "updated" and order.ship_by and sale_order.omni_ship_by != order.ship_by:
            sale_order.omni_ship_by = order.ship_by
        return result, sale_order

    @api.model
    def _sale_order_values(self, channel, order, products, currency, customer, delivery):
        values = super()._sale_order_values(channel, order, products, currency, customer, delivery)
        if order.ship_by:
            values["omni_ship_by"] = order.ship_by
        if order.pickup_store:
            store = self.env["stock.warehouse"].search(
                [("code", "=", order.pickup_store), ("company_id", "=", channel.company_id.id)], limit=1
            )
            if not store:
                raise UserError(self.env._("Unknown pickup store %(code)s.", code=order.pickup_store))
            values.update(omni_pickup_warehouse_id=store.id, warehouse_id=store.id)
        return values
