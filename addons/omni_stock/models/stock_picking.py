from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    omni_channel_id = fields.Many2one(
        related="sale_id.omni_channel_id", string="Sales Channel", store=True, index="btree_not_null"
    )
    omni_ship_by = fields.Datetime(related="sale_id.omni_ship_by", store=True, index=True)
    omni_pickup_warehouse_id = fields.Many2one(
        related="sale_id.omni_pickup_warehouse_id", store=True, index="btree_not_null"
    )
    omni_ready_at = fields.Datetime(string="Ready for Pickup Since", copy=False, readonly=True)
    omni_notified_at = fields.Datetime(string="Customer Notified", copy=False, readonly=True)
    omni_pickup_state = fields.Selection(
        [("preparing", "Preparing"), ("ready", "Ready for Pickup"), ("collected", "Collected")],
        string="Pickup",
        compute="_compute_omni_pickup_state",
        store=True,
        index="btree_not_null",
    )

    @api.depends("omni_pickup_warehouse_id", "picking_type_code", "state", "omni_ready_at")
    def _compute_omni_pickup_state(self):
        for picking in self:
            # Only the delivery is collected: not a pick step of the store, nor a return.
            if (
                not picking.omni_pickup_warehouse_id
                or picking.picking_type_code != "outgoing"
                or picking.state == "cancel"
            ):
                picking.omni_pickup_state = False
            elif picking.state == "done":
                picking.omni_pickup_state = "collected"
            else:
                picking.omni_pickup_state = "ready" if picking.omni_ready_at else "preparing"

    def action_omni_ready_for_pickup(self):
        """The store has the goods aside: they are picked and wait for the customer."""
        for picking in self:
            if picking.omni_pickup_state != "preparing":
                raise UserError(
                    self.env._(
                        "%(picking)s is not a click-and-collect delivery being prepared.",
                        picking=picking.name,
                    )
                )
            if any(move.state != "assigned" for move in picking.move_ids):
                raise UserError(
                    self.env._(
                        "%(picking)s is not ready: its goods are not all reserved.", picking=picking.name
                    )
                )
        self.move_ids.picked = True
        self.omni_ready_at = fields.Datetime.now()
        return True

    def action_omni_notify_pickup(self):
        """Tell the customer the order waits in the store (e-mail and chatter)."""
        template = self.env.ref("omni_stock.mail_template_pickup_ready")
        for picking in self:
            if picking.omni_pickup_state != "ready":
                raise UserError(self.env._("%(picking)s is not ready for pickup.", picking=picking.name))
            picking.message_post_with_source(
                template, subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        self.omni_notified_at = fields.Datetime.now()
        return True

    def action_omni_handover(self):
        """The customer collected the goods: the delivery is done and the order closed."""
        for picking in self:
            if picking.omni_pickup_state != "ready":
                raise UserError(self.env._("%(picking)s is not ready for pickup.", picking=picking.name))
        for move in self.move_ids:
            move.quantity = move.product_uom_qty
        self.move_ids.picked = True
        result = self.with_context(skip_backorder=True, skip_sms=True).button_validate()
        if result is not True:
            return result  # a wizard the user must answer first
        # Store staff may validate the delivery; closing its order is part of that, not a sales right.
        for order in self.sale_id.sudo():
            order.action_lock()
            order.message_post(
                body=self.env._(
                    "Collected by the customer at %(store)s.", store=order.omni_pickup_warehouse_id.name
                )
            )
        return True
