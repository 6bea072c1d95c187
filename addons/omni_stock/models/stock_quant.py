from odoo import api, models
from odoo.tools import SQL


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Every change of what is on hand or reserved goes through these two: done moves, inventory
    # adjustments, reservations. The channels' quantities are pushed again after the commit.

    @api.model
    def _update_available_quantity(self, product_id, location_id, *args, **kwargs):
        result = super()._update_available_quantity(product_id, location_id, *args, **kwargs)
        self.env["omni.stock.dirty"]._mark_on_commit(product_id.ids)
        return result

    @api.model
    def _update_reserved_quantity(self, product_id, location_id, *args, **kwargs):
        result = super()._update_reserved_quantity(product_id, location_id, *args, **kwargs)
        self.env["omni.stock.dirty"]._mark_on_commit(product_id.ids)
        return result

    @api.model
    def _omni_lock(self, products, warehouses):
        """Lock, in id order, the quants of ``products`` in ``warehouses`` before a reservation or a
        delivery changes them.

        Odoo's repeatable read refuses to change a quant another transaction changed since this one
        began. Locked first, quietly, before any work, the refusal comes here, unlogged, and the work
        is done again a moment later (the inbox's retry, Odoo's replay of a request) instead of
        failing deep inside stock Odoo's reservation with an error in the log."""
        products = products.filtered("is_storable")
        if not products or not warehouses:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT quant.id FROM stock_quant quant
                     JOIN stock_location location ON location.id = quant.location_id
                    WHERE quant.product_id = ANY(%s) AND location.parent_path LIKE ANY(%s)
                    ORDER BY quant.id
                      FOR NO KEY UPDATE OF quant""",
                products.ids,
                [f"{path}%" for path in warehouses.view_location_id.mapped("parent_path")],
            ),
            log_exceptions=False,
        )
