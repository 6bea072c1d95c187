import json
import logging

from odoo import fields, models
from odoo.addons.queue_job.utils import must_run_without_delay
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..connectors.errors import ChannelError

_logger = logging.getLogger(__name__)

# What a notification's one order became, as the inbox says it.
RESULTS = {"created": "created", "updated": "updated", "duplicate": "unchanged"}


class OmniChannelInbox(models.Model):
    """Platform notifications: a webhook in the platform's own shape that names an order.

    The notification is kept as received; processing it asks the platform for the order (a store's
    notification carries it whole) and imports that through the inbox like any other order, so a
    notification and a poll bringing the same order make one sale order.
    """

    _inherit = "omni.channel.inbox"

    kind = fields.Selection(
        selection_add=[("notification", "Notification")], ondelete={"notification": "cascade"}
    )

    def action_reprocess(self):
        """A notification asks the platform for its orders: those selected are processed again by
        their channel's job (as many calls as notifications), the user told so; the others now."""
        notifications = self.filtered(lambda record: record.kind == "notification" and record.state != "done")
        if not notifications or must_run_without_delay(self.env):
            return super().action_reprocess()
        notifications.write({"state": "pending", "next_retry_at": False})
        for channel in notifications.channel_id:
            channel._enqueue_notifications()
        queued = self.env._(
            "%(count)s notification(s) queued: their orders are asked for in the background, their "
            "state shows the result.",
            count=len(notifications),
        )
        others = (self - notifications).filtered(lambda record: record.state != "done")
        if others:
            answer = super(OmniChannelInbox, others).action_reprocess()
            answer["params"]["message"] = f"{answer['params']['message']} {queued}"
            return answer
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "info", "message": queued, "next": {"type": "ir.actions.act_window_close"}},
        }

    def _process(self, payloads=None):
        notifications = self.filtered(lambda record: record.kind == "notification")
        locked = notifications._lock_for_processing()
        for record in locked:
            record._import_notification()
        return locked | super(OmniChannelInbox, self - notifications)._process(payloads)

    def _import_notification(self):
        """Fetch the orders the notification names and ingest them. The platform's refusals (it
        does not answer, the token is refused) leave the notification failed, retried later."""
        self.ensure_one()
        channel = self.channel_id.with_company(self.company_id)
        try:
            # sudo: the credentials are read and the channel's health written for whoever processes.
            orders = channel.sudo()._notified_orders(json.loads(self.payload), self.topic)
            with self.env.cr.savepoint():
                results = channel._ingest_orders(orders, source="webhook")
                refused = [
                    result["error"]
                    for result in results
                    if result["status"] == "failed" and not result["inbox_id"]
                ]
                if refused:
                    # An order Odoo cannot store (a NUL character from the platform, too large) fails
                    # the notification, with the reason, rather than being dropped.
                    raise ValueError(refused[0])
        except ChannelError as error:
            self._mark_failed(str(error), retry=error.retryable or error.auth)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise  # the whole transaction is replayed (the job postponed), with a fresh snapshot
        except (ValueError, LookupError, TypeError, UserError) as error:
            self._mark_failed(self.env._("Invalid notification: %(error)s", error=error))
        except Exception as error:
            _logger.exception("Processing notification %s failed", self.id)
            self._mark_failed(
                self.env._(
                    "The import stopped on an error (%(error_type)s); the server log has the details.",
                    error_type=type(error).__name__,
                ),
                retry=True,
            )
        else:
            sale_orders = self.env["sale.order"].browse(
                {result["sale_order_id"] for result in results if result["sale_order_id"]}
            )
            result = RESULTS.get(results[0]["status"]) if len(results) == 1 else False
            self._mark_done(result, sale_orders if len(sale_orders) == 1 else sale_orders.browse())
