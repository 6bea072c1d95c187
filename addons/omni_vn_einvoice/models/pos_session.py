from odoo import models
from odoo.tools import SQL


class PosSession(models.Model):
    _inherit = "pos.session"

    def _validate_session(self, balancing_account=False, amount_to_balance=0, bank_payment_method_diffs=None):
        # The orders still without e-invoice are invoiced before the closing entry is made, which
        # then leaves them out (Odoo books an invoiced order through its invoice). SInvoice is called
        # by the scheduled job, triggered once the session is closed.
        Order = self.env["pos.order"]
        due = [*Order._omni_einvoice_due_domain(), ("session_id", "=", self.id)]
        orders = Order.search(due, order="id")
        if orders:
            # Taken first: a run of the scheduled job invoicing some of them is waited for, not raced
            # for the journal's numbers. When that run changed them, the closing is refused here and
            # Odoo replays it at once (a serialization failure), which is no error to log.
            self.env.cr.execute(
                SQL("SELECT 1 FROM pos_order WHERE id IN %s FOR NO KEY UPDATE", tuple(orders.ids)),
                log_exceptions=False,
            )
        issued = bool(orders)
        while orders:
            orders._omni_einvoice_issue()
            # A refund is due once the order it refunds is invoiced: its adjustment, now as well.
            orders = Order.search([*due, ("omni_einvoice_state", "=", False)], order="id") - orders
        result = super()._validate_session(balancing_account, amount_to_balance, bank_payment_method_diffs)
        if issued:
            self.env.ref("omni_vn_einvoice.ir_cron_einvoice").sudo()._trigger()
        return result
