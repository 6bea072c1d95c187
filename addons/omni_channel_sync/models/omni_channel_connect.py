import logging
from datetime import datetime, timezone
from functools import partial

from odoo import api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.utils import must_run_without_delay
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from ..connectors.errors import ChannelError
from ..connectors.registry import PLATFORMS, adapter_can

_logger = logging.getLogger(__name__)

# What the client does once the user has read the answer: show the channel as it is now.
RELOAD = {"type": "ir.actions.client", "tag": "soft_reload"}
# The calls that connect a channel again: the only ones made while it needs a new authorization.
RECONNECTING = ("exchange_code", "test_connection")


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    has_connector = fields.Boolean(
        compute="_compute_has_connector", help="Odoo talks to this channel's platform itself."
    )

    token_state = fields.Char(compute="_compute_token_state", string="Access Token State")
    needs_authorization = fields.Boolean(
        string="Needs New Authorization",
        copy=False,
        readonly=True,
        tracking=True,
        help="The seller withdrew the app's authorization (the platform said so): Odoo calls the "
        "platform no more until the channel is connected again with a new authorization.",
    )
    authorization_announced_end = fields.Datetime(
        string="Authorization Ends",
        copy=False,
        readonly=True,
        help="When the platform said the seller's authorization ends (its expiry reminder). Until "
        "then a token refresh does not move Reauthorize By past it; connecting the channel again "
        "with a new authorization clears it.",
    )

    @api.depends("channel_type")
    def _compute_has_connector(self):
        for channel in self:
            channel.has_connector = channel.channel_type in PLATFORMS

    @api.depends("token_days_left", "authorization_expires_at")
    def _compute_token_state(self):
        # Only what will not renew itself: an access token refreshed every hour is no warning.
        for channel in self:
            if not channel.authorization_expires_at:
                channel.token_state = False
            elif channel.token_days_left < 0:
                channel.token_state = self.env._("Token expired")
            else:
                channel.token_state = self.env._("Token days left: %(days)s", days=channel.token_days_left)

    def action_open_connect(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_channel_sync.omni_channel_connect_action"
        )
        action["context"] = {"default_channel_id": self.id}
        return action

    def action_test_connection(self):
        self.ensure_one()
        return self._omni_answer(lambda channel: ("success", channel._test_connection()))

    def _test_connection(self):
        shop = self._call_adapter("test_connection")
        return self.env._("Connected to %(shop)s.", shop=shop["shop_name"])

    def _omni_answer(self, work, next_action=None):
        """Run ``work(channel)`` for a manager's button and answer with a notification.

        ``work`` gets the channel as superuser (credentials are read, tokens and health written) and
        returns ``(kind, message)``. A refusal of the platform is answered, not raised: the health
        :meth:`_call_adapter` saved on the channel must be committed with the answer.
        """
        self.ensure_one()
        self.check_access("write")
        try:
            kind, message = work(self.sudo())
        except ChannelError as error:
            kind, message = (
                "danger",
                self.env._("%(channel)s refused: %(error)s", channel=self.name, error=error),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "message": message, "next": next_action or RELOAD},
        }

    def _omni_answer_queued(self, work, queue):
        """The answer to a manager's button whose work calls the platform more than once: the user
        does not wait for those calls. ``queue(channel)`` queues the job that does the work and tells
        the user its result (``_omni_job(..., notify=True)``); the answer says it is queued.

        Where queue_job runs jobs at once (its ``queue_job__no_delay`` context: a script, a test over
        RPC), ``work(channel)`` runs now and the answer is its result, as ``_omni_answer`` gives it.
        """
        if must_run_without_delay(self.env):
            return self._omni_answer(work)
        return self._omni_answer(queue)

    def _queue_job(self, method, **kwargs):
        """Queue ``method`` of the channel once: a second click while it waits queues nothing more."""
        getattr(
            self.with_delay(channel="root.omni", identity_key=f"omni_{method.strip('_')}_{self.id}"), method
        )(**kwargs)
        return self._omni_queued()

    def _omni_queued(self):
        return "info", self.env._(
            "%(channel)s: queued. A notification tells you the result when it is done; the channel "
            "shows it too.",
            channel=self.name,
        )

    def _omni_job(self, work, notify=False):
        """Run ``work()`` (returns ``(kind, message)``) in a queue job; the job's result is the message,
        told to the user who queued it when ``notify``.

        A passing refusal (rate limit, server trouble) is tried again later, per the job's retry
        pattern; any other refusal, or the last try, ends the job with the refusal saved where
        ``work`` saves it (the channel's health, the order...).
        """
        try:
            kind, message = work()
        except ChannelError as error:
            if error.retryable and self._omni_job_retries_left():
                # The retry rolls this transaction back: the channel shows the trouble meanwhile.
                self.env.cr.postrollback.add(partial(_keep_health, self.env.registry, self.id, str(error)))
                raise RetryableJobError(str(error)) from error
            kind, message = (
                "danger",
                self.env._("%(channel)s refused: %(error)s", channel=self.name, error=error),
            )
        if notify:
            self._omni_notify(kind, message)
        return message

    def _omni_notify(self, kind, message):
        """Tell the user who asked for this work its result, in their browser (a job runs as the user
        who queued it)."""
        self.env.user._bus_send(
            "simple_notification", {"type": kind, "message": message, "sticky": kind != "success"}
        )

    def _omni_job_retries_left(self):
        """True when the running job will be tried again after this try."""
        uuid = self.env.context.get("job_uuid")
        job = uuid and self.env["queue.job"].sudo().search([("uuid", "=", uuid)])
        # The stored count lags by the try under way.
        return bool(job) and (not job.max_retries or job.retry + 1 < job.max_retries)

    def _call_adapter(self, method, *args, **kwargs):
        """``method(*args, **kwargs)`` of the channel's adapter; the channel's health follows the answer.

        Nothing is locked for the call: calls for one shop run side by side, and only the renewal of
        its tokens (single use) is one at a time (``_renew_tokens``). A refusal is saved on the
        channel (``health``, ``last_error``) and raised again for the caller to answer or retry.
        """
        self.ensure_one()
        if not adapter_can(self.channel_type, method):
            raise UserError(
                self.env._(
                    "Odoo cannot do this with %(type)s channels.",
                    type=dict(self._fields["channel_type"]._description_selection(self.env)).get(
                        self.channel_type
                    ),
                )
            )
        if self.needs_authorization and method not in RECONNECTING:
            # Refused as a token would be: a notification waiting for it is tried again later.
            raise ChannelError(
                self.env._(
                    "%(channel)s needs a new authorization from the seller: connect it again.",
                    channel=self.name,
                ),
                auth=True,
            )
        try:
            answer = getattr(self._adapter(), method)(*args, **kwargs)
        except ChannelError as error:
            self.write({"health": "warning" if error.retryable else "error", "last_error": str(error)})
            raise
        if self.health != "ok" or self.last_error:
            # Only then: the row written is held until the transaction ends.
            self.write({"health": "ok", "last_error": False})
        return answer

    def _omni_authorization_news(self, news):
        """What the platform pushed about the seller's authorization of the app (``news``: an
        ``AuthorizationNews``): withdrawn, the channel stops calling the platform until connected
        again; ending soon, its date is kept. Either way the channel's salesperson is told."""
        self.ensure_one()
        expires_at = news.expires_at and datetime.fromtimestamp(news.expires_at, timezone.utc).replace(
            tzinfo=None
        )
        if news.event == "revoked":
            if self.needs_authorization:
                return  # told already: the channel waits to be connected again
            message = self.env._(
                "The seller withdrew the app's authorization of %(channel)s: Odoo no longer calls the "
                "platform. Connect the channel again with a new authorization.",
                channel=self.name,
            )
            self.write({"needs_authorization": True, "health": "error"})
        elif news.event == "expiring":
            message = self.env._(
                "The seller's authorization of %(channel)s ends on %(date)s: connect the channel again "
                "with a new authorization before then.",
                channel=self.name,
                date=format_datetime(self.env, expires_at) if expires_at else "-",
            )
            if expires_at:
                self.authorization_announced_end = expires_at
                if not self.authorization_expires_at or expires_at < self.authorization_expires_at:
                    self.authorization_expires_at = expires_at
        else:
            message = self.env._("The seller authorized the app for %(channel)s.", channel=self.name)
        self.message_post(body=message, partner_ids=self.user_id.partner_id.ids)

    def _omni_authorized_again(self):
        """The channel is connected again: it calls the platform again."""
        if self.needs_authorization:
            self.write({"needs_authorization": False, "health": "ok", "last_error": False})
            self.message_post(
                body=self.env._(
                    "%(channel)s is authorized again: Odoo calls the platform again.", channel=self.name
                )
            )


def _keep_health(registry, channel_id, error):
    """After a rollback, show a passing refusal on the channel while its job waits to try again."""
    try:
        with registry.cursor() as cr:
            cr.execute(
                SQL(
                    "UPDATE omni_channel SET health = 'warning', last_error = %s WHERE id = %s",
                    error,
                    channel_id,
                )
            )
    except Exception:
        # Raised here, it would hide the error that rolled the transaction back.
        _logger.exception("The health of channel %s could not be saved", channel_id)
