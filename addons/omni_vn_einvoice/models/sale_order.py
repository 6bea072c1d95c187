import logging
import time
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.osv import expression
from odoo.tools import float_compare

from .account_move import SENT_STATES, take_rows
from .sinvoice_service import BATCH_PARAM, DEFAULT_BATCH_SIZE

_logger = logging.getLogger(__name__)

# The channel statuses of an order the buyer has paid for, unless it is cash on delivery.
PAID_STATUSES = ("ready_to_ship", "shipped", "completed")
# The seconds a scheduled run takes new work for, well inside a cron worker's time limit.
CRON_SECONDS = 30
# The invoices of an order a refund or a cancellation applies to on SInvoice.
ISSUED_STATES = ("ready_to_send", *SENT_STATES, "adjusted")


def _commit(env):
    """Commit what is done so far, outside tests. Posted invoices hold their journal's next numbers
    until committed: committing them before SInvoice is called (seconds; a minute when it is down)
    keeps the till, a session's closing and the channel jobs, which number invoices in the same
    journal or change the same orders, from waiting on it."""
    if env["account.move"]._can_commit():
        env.cr.commit()  # pylint: disable=invalid-commit


def _pick(model, domain, fresh, limit):
    """Up to ``limit`` records of ``domain``, those never tried (``fresh``) first: a refusal that
    keeps failing is retried on each run without holding back the others."""
    records = model.search(expression.AND([domain, fresh]), limit=limit, order="id")
    if len(records) < limit:
        records |= model.search(
            expression.AND([domain, [("id", "not in", records.ids)]]), limit=limit - len(records), order="id"
        )
    return records


class SaleOrder(models.Model):
    _inherit = "sale.order"

    omni_einvoice_state = fields.Selection(
        [
            ("to_send", "To Send"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("to_cancel", "To Cancel"),
            ("cancelled", "Cancelled"),
        ],
        string="E-invoice",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Where the order's SInvoice e-invoice is, when its channel issues e-invoices: a failure is "
        "tried again by the next run of the scheduled job.",
    )
    omni_einvoice_error = fields.Text(string="E-invoice Error", copy=False, readonly=True)
    omni_einvoice_count = fields.Integer(string="E-invoices", compute="_compute_omni_einvoice_count")

    def _compute_omni_einvoice_count(self):
        for order in self:
            order.omni_einvoice_count = len(order.invoice_ids.filtered("l10n_vn_edi_invoice_number"))

    # ------------------------------------------------------------------ actions

    def action_omni_einvoice_view(self):
        self.ensure_one()
        return self.action_view_invoice(invoices=self.invoice_ids.filtered("l10n_vn_edi_invoice_number"))

    def action_omni_einvoice_download(self):
        """The PDF SInvoice issued for the order (its latest e-invoice)."""
        self.ensure_one()
        return self.invoice_ids._omni_einvoice_pdf_action()

    def action_omni_einvoice_issue(self):
        """Invoice and send the selected orders due per their channels' policies now."""
        self.check_access("write")
        return self._omni_einvoice_notify(self.sudo()._omni_einvoice_run(orders=self))

    @api.model
    def _omni_einvoice_notify(self, counts=None, message=None):
        if counts is not None:
            message = self.env._(
                "%(invoiced)s orders invoiced, %(sent)s e-invoices sent, %(failed)s failed, "
                "%(cancelled)s cancelled, %(paid)s payment statuses sent.",
                **counts,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "info", "sticky": False},
        }

    # ------------------------------------------------------------------ the scheduled job

    @api.model
    def _cron_omni_einvoice(self):
        """Batches until the work is done or the run's time is up, each committed; then, if work is
        left, another run right away rather than at the next hour. Not Odoo's progress loop: that
        runs up to ten batches in the same cron worker, which is killed past its time limit
        (``limit_time_real_cron``, else ``limit_time_real``: 120 s by default, the worker's sleep
        before the sweep of every due job included) with its batch lost."""
        deadline = time.monotonic() + CRON_SECONDS
        while time.monotonic() < deadline:
            counts = self._omni_einvoice_run(deadline=deadline)
            stores = self.env["pos.order"]._omni_einvoice_run(deadline=deadline)
            counts = {key: count + stores[key] for key, count in counts.items()}
            _commit(self.env)
            if not self._omni_einvoice_remaining():
                return
            if not counts["invoiced"] + counts["sent"] + counts["cancelled"] + counts["paid"]:
                return  # only refusals left: the next scheduled run tries them again
        self.env.ref("omni_vn_einvoice.ir_cron_einvoice")._trigger()

    @api.model
    def _omni_einvoice_remaining(self):
        """The orders never tried whose e-invoice is due, and the invoices to send never refused."""
        Move = self.env["account.move"]
        fresh_orders = [("omni_einvoice_state", "=", False)]
        due = expression.AND([self._omni_einvoice_due_domain(), fresh_orders])
        fresh = [("omni_einvoice_error", "=", False)]
        sendable = expression.AND([Move._omni_einvoice_sendable_domain(), fresh])
        due_at_stores = expression.AND([self.env["pos.order"]._omni_einvoice_due_domain(), fresh_orders])
        return (
            self.search_count(due, limit=1)
            + Move.search_count(sendable, limit=1)
            + self.env["pos.order"].search_count(due_at_stores, limit=1)
        )

    @api.model
    def _omni_einvoice_batch_size(self):
        size = self.env["ir.config_parameter"].sudo().get_param(BATCH_PARAM)
        return int(size or DEFAULT_BATCH_SIZE) or DEFAULT_BATCH_SIZE

    @api.model
    def _omni_einvoice_due_domain(self):
        """Orders whose channel's policy says their e-invoice is due and which are not invoiced yet."""
        return [
            ("state", "=", "sale"),
            ("invoice_status", "=", "to invoice"),
            ("omni_einvoice_state", "in", (False, "failed")),
            ("omni_status", "not in", ("cancelled", "returned")),
            "|",
            "|",
            "&",
            ("omni_channel_id.einvoice_trigger", "=", "delivery"),
            ("delivery_status", "=", "full"),
            "&",
            ("omni_channel_id.einvoice_trigger", "=", "completion"),
            ("omni_status", "=", "completed"),
            "&",
            ("omni_channel_id.einvoice_trigger", "=", "payment"),
            "|",
            ("omni_status", "=", "completed"),
            "&",
            ("omni_is_cod", "=", False),
            ("omni_status", "in", PAID_STATUSES),
        ]

    @api.model
    def _omni_einvoice_run(self, channels=None, orders=None, limit=None, deadline=None):
        """One batch: invoice the orders due, send the invoices ready (refused ones again), cancel
        those of cancelled orders. ``channels``/``orders``: only theirs; ``deadline`` (a
        ``time.monotonic()`` moment): no invoice is sent after it, the rest waits."""
        Move = self.env["account.move"]
        limit = limit or self._omni_einvoice_batch_size()
        due, sendable = self._omni_einvoice_due_domain(), Move._omni_einvoice_sendable_domain()
        moves = [("omni_einvoice_channel_id", "!=", False), ("state", "=", "posted")]
        if channels is not None:
            due = expression.AND([due, [("omni_channel_id", "in", channels.ids)]])
            moves = expression.AND([moves, [("omni_einvoice_channel_id", "in", channels.ids)]])
        if orders is not None:
            due = expression.AND([due, [("id", "in", orders.ids)]])
            moves = expression.AND([moves, [("line_ids.sale_line_ids.order_id", "in", orders.ids)]])
        invoiced = _pick(self, due, [("omni_einvoice_state", "=", False)], limit)._omni_einvoice_issue()
        if invoiced:
            _commit(self.env)
        to_send = _pick(Move, expression.AND([moves, sendable]), [("omni_einvoice_error", "=", False)], limit)
        sent = to_send._omni_einvoice_send(deadline)
        cancelled = Move.search(
            expression.AND([moves, [("omni_einvoice_cancel_reason", "!=", False)]]), limit=limit, order="id"
        )._omni_einvoice_cancel()
        paid = Move.search(
            expression.AND([moves, [("l10n_vn_edi_invoice_state", "=", "payment_state_to_update")]]),
            limit=limit,
            order="id",
        )._omni_einvoice_update_payment()
        return {
            "invoiced": invoiced,
            "sent": sent,
            "failed": len(to_send.filtered("omni_einvoice_error")),
            "cancelled": cancelled,
            "paid": paid,
        }

    def _omni_einvoice_issue(self):
        """Invoice and post the due orders as their channels' policies group them. All together in
        one savepoint first (Odoo invoices a batch much faster than one order at a time); when that
        fails, each invoice in its own savepoint: an order that cannot be invoiced is marked failed,
        the others go on. Orders another transaction is changing wait for the next run. Returns the
        number of orders invoiced."""
        orders = self._omni_einvoice_free()
        retail_buyer = self.env.ref("omni_vn_einvoice.partner_retail_buyer")
        consumers = defaultdict(lambda: self.browse())
        groups = []
        for order in orders:
            if (
                order.partner_invoice_id.commercial_partner_id.vat
                or order.omni_channel_id.einvoice_consumer_mode == "per_order"
            ):
                groups.append((order, None))
            else:
                consumers[order.omni_channel_id, order.company_id, order.currency_id] |= order
        groups += [(orders, retail_buyer) for orders in consumers.values()]
        try:
            with self.env.cr.savepoint():
                self._omni_einvoice_invoice(groups)
            return len(orders)
        except Exception as error:  # rolled back; each group alone then tells which one fails
            _logger.info(
                "Invoicing %s orders together failed (%s): one invoice at a time", len(orders), error
            )
        return sum(self._omni_einvoice_invoice_one(group, buyer) for group, buyer in groups)

    def _omni_einvoice_free(self):
        """The orders no other transaction has changed since this one began nor is changing now,
        locked with their lines for this one. Channel jobs change orders all day (a status, a
        delivery); invoicing one of them meanwhile would fail at its first write and take the
        whole run down: it is left to the next run instead."""
        cr = self.env.cr
        return self.filtered(
            lambda order: (
                take_rows(cr, "sale_order", "id", order.id)
                and take_rows(cr, "sale_order_line", "order_id", order.id)
            )
        )

    def _omni_einvoice_invoice_one(self, orders, buyer):
        try:
            with self.env.cr.savepoint():
                self._omni_einvoice_invoice([(orders, buyer)])
        except Exception as error:  # rolled back to the savepoint, kept on the orders
            orders.write({"omni_einvoice_state": "failed", "omni_einvoice_error": str(error)})
            return 0
        return len(orders)

    def _omni_einvoice_invoice(self, groups):
        """The posted invoices of ``groups``: ``(orders, buyer)``, one invoice per order without
        ``buyer``, else one invoice of the orders (of one channel) to ``buyer``, the retail buyer of
        a consolidated invoice instead of the (often masked) buyers of the orders."""
        Order, Move = self.env["sale.order"], self.env["account.move"]
        singles = Order.concat(*(orders for orders, buyer in groups if not buyer))
        invoices = singles._create_invoices(grouped=True, final=True) if singles else Move
        for orders, buyer in groups:
            if buyer:
                consolidated = orders.with_context(omni_vn_einvoice_consolidate=True)._create_invoices(
                    final=True
                )
                consolidated.write({"partner_id": buyer.id, "partner_shipping_id": buyer.id})
                invoices |= consolidated
        # After the buyer: the module takes the buyer's default symbol when the buyer changes.
        by_channel = defaultdict(lambda: Move)
        for invoice in invoices:
            by_channel[invoice.line_ids.sale_line_ids.order_id.omni_channel_id[:1]] |= invoice
        for channel, moves in by_channel.items():
            moves.omni_einvoice_channel_id = channel
            if channel.einvoice_symbol_id:
                moves.l10n_vn_edi_invoice_symbol = channel.einvoice_symbol_id
        invoices.action_post()
        Order.concat(*(orders for orders, _buyer in groups)).write(
            {"omni_einvoice_state": "to_send", "omni_einvoice_error": False}
        )

    def _get_invoice_grouping_keys(self):
        keys = super()._get_invoice_grouping_keys()
        if self.env.context.get("omni_vn_einvoice_consolidate"):
            # The consumers of a consolidated invoice are one buyer: the retail buyer.
            keys = [key for key in keys if key != "partner_id"]
        return keys

    # ------------------------------------------------------------------ refunds and cancellations

    def _omni_refund(self, entry):
        # The channel's refund is an adjustment of the order's e-invoice (see _prepare_invoice).
        return super(SaleOrder, self.with_context(omni_vn_einvoice_refund=True))._omni_refund(entry)

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        original = self.env.context.get("omni_vn_einvoice_refund") and self._omni_einvoice_original()
        if original:
            values.update(original._omni_einvoice_adjustment_values())
        return values

    def _omni_einvoice_original(self):
        """The order's channel e-invoice a refund adjusts."""
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.omni_einvoice_channel_id
                and move.l10n_vn_edi_invoice_state in ISSUED_STATES
            )
        ).sorted("id")[-1:]

    def _action_cancel(self):
        invoices = self.invoice_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and move.omni_einvoice_channel_id
                and move.l10n_vn_edi_invoice_state in ("ready_to_send", *SENT_STATES)
            )
        )
        result = super()._action_cancel()
        for invoice in invoices:
            orders = invoice._omni_einvoice_orders()
            if all(order.state == "cancel" for order in orders):
                invoice.omni_einvoice_cancel_reason = self.env._(
                    "Order %(orders)s cancelled", orders=", ".join(orders.mapped("name"))
                )
                orders.omni_einvoice_state = "to_cancel"
            else:
                for order in orders & self:
                    order._omni_einvoice_refund_cancelled()
        return result

    def _omni_einvoice_refund_cancelled(self):
        """A cancelled order of a consolidated e-invoice that goes on for the other orders: the
        credit note of what was invoiced, sent to SInvoice as the adjustment of that e-invoice."""
        self.ensure_one()
        refund = self._omni_einvoice_credit(
            {
                line: line.qty_invoiced
                for line in self.order_line
                if not line.display_type and line.qty_invoiced > 0
            },
            self.env._("Order %(orders)s cancelled", orders=self.name),
        )
        self.omni_einvoice_state = "to_cancel"
        self.message_post(
            body=self.env._(
                "E-invoice %(invoice)s covers other orders too: credit note %(refund)s adjusts it.",
                invoice=refund.reversed_entry_id.name,
                refund=refund.name,
            )
        )

    def _omni_cancel_lines(self, lines):
        """Units the channel cancels after the order's e-invoice was issued: the credit note of those
        invoiced, sent to SInvoice as the adjustment of that e-invoice. Once: the credit note brings
        the invoiced quantities down to the order's, and the same cancellation said again changes no
        line."""
        changed = super()._omni_cancel_lines(lines)
        over = {
            line: line.qty_invoiced - line.product_uom_qty
            for line in changed
            if float_compare(
                line.qty_invoiced, line.product_uom_qty, precision_rounding=line.product_uom.rounding
            )
            > 0
        }
        original = over and self._omni_einvoice_original()
        if original:
            refund = self._omni_einvoice_credit(
                over, self.env._("Order %(order)s: units cancelled by the channel", order=self.name)
            )
            self.omni_einvoice_state = "to_send"
            self.message_post(
                body=self.env._(
                    "The channel cancelled units already on e-invoice %(invoice)s: credit note "
                    "%(refund)s adjusts it.",
                    invoice=original.name,
                    refund=refund.name,
                )
            )
        return changed

    def _omni_einvoice_credit(self, quantities, reason):
        """The posted credit note of ``quantities`` (``{order line: quantity}``) of the order's
        e-invoice, sent to SInvoice as the adjustment of that e-invoice (see _prepare_invoice)."""
        values = self.with_context(omni_vn_einvoice_refund=True)._prepare_invoice()
        values.update(
            move_type="out_refund",
            ref=reason,
            invoice_line_ids=[
                Command.create(line._prepare_invoice_line(quantity=quantity))
                for line, quantity in quantities.items()
            ],
        )
        refund = self.env["account.move"].sudo().with_company(self.company_id).create(values)
        refund.action_post()
        return refund
