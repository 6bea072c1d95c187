import logging
from datetime import datetime, timedelta, timezone
from functools import partial

from odoo import api, fields, models
from odoo.tools import SQL

from ..connectors.errors import ChannelError
from ..connectors.registry import PLATFORMS, adapter_can, platform

# A pull starts a little before the checkpoint: an order updated while the last pull ran is not missed.
OVERLAP = timedelta(minutes=5)
FIRST_PULL = timedelta(days=1)
RETRY_DELAY = 300

_logger = logging.getLogger(__name__)


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    api_base_url = fields.Char(
        string="API Base URL", help="The platform's API host; change it only for a sandbox or a proxy."
    )

    def action_pull_orders(self):
        """Pull now and import what came, while the user waits."""
        self.ensure_one()
        return self._omni_answer(
            lambda channel: (
                "success",
                channel.env._(
                    "%(count)s order(s) received from %(channel)s.",
                    count=channel._pull_orders(process=True),
                    channel=channel.name,
                ),
            )
        )

    @api.model
    def _cron_pull_orders(self):
        """Queue a pull for every channel whose interval has passed."""
        now = fields.Datetime.now()
        domain = [
            ("sync_orders", "=", True),
            ("channel_type", "in", list(PLATFORMS)),
            ("needs_authorization", "=", False),
        ]
        for channel in self.search(domain):
            due = (
                not channel.last_sync_at
                or channel.last_sync_at + timedelta(minutes=channel.order_sync_interval) <= now
            )
            if due:
                channel._queue_pull()

    def _queue_pull(self, eta=None):
        """One pending pull per channel: the cron's and a retry's are the same job, or a long outage
        would start a new chain of retries at every cron run."""
        self.with_delay(channel="root.omni", eta=eta, identity_key=f"omni_pull_orders_{self.id}")._pull_job()

    def _pull_job(self):
        """A refusal ends the job with the channel's health saved; a passing one (rate limit, server
        trouble) queues the pull again a little later."""
        try:
            count = self._pull_orders(process=False)
        except ChannelError as error:
            if error.retryable:
                self._queue_pull(eta=RETRY_DELAY)
            return str(error)
        return self.env._("%(count)s order(s) received.", count=count)

    def _pull_orders(self, process):
        """Store every order updated since the checkpoint, then move the checkpoint up to what is stored.

        The channel row stays locked for the whole pull (see ``_call_adapter``): two pulls of one shop
        must never import, nor refresh tokens, at once.
        """
        self.ensure_one()
        map_order = platform(self.channel_type).map_order
        if adapter_can(self.channel_type, "lost_pushes"):
            # What the platform could not push comes first, so its orders are not left behind.
            self._recover_lost_pushes()
        until = fields.Datetime.now()
        since = (self.order_checkpoint or until - FIRST_PULL) - OVERLAP
        fetched = self._call_adapter("fetch_orders", _unix(since), _unix(until))
        orders = []
        for entry in fetched:
            try:
                orders.append(map_order(*entry))
            except (ValueError, LookupError, TypeError, ArithmeticError) as error:
                # Kept, failed, in the inbox: one order Odoo cannot read must not hold back the others.
                error = self.env._("The channel's order could not be read: %(error)s", error=error)
                self._store_rejected(None, list(entry), error, "poll")
        results = self._ingest_orders(orders, source="poll", process=process)
        for order, result in zip(orders, results, strict=True):
            if result["status"] == "failed" and not result["inbox_id"]:
                # Refused before it was stored (too large): kept as it came, before the checkpoint passes it.
                self._store_rejected(result["external_id"], order, result["error"], "poll")
        self.write({"order_checkpoint": until, "last_sync_at": until})
        return len(fetched)

    def _adapter(self):
        tokens = {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.token_expires_at and _unix(self.token_expires_at),
            # Where the platform's event queue is read up to (Tiki); "" before the first pull.
            "cursor": self.order_cursor or "",
        }
        entry = platform(self.channel_type)
        host = self.api_base_url or entry.default_host
        if not host:
            raise ChannelError(self.env._("The store's address (API Base URL) is not set."))
        return entry.adapter(
            host,
            self.api_key,
            self.api_secret,
            self.shop_id,
            tokens,
            self._save_tokens,
        )

    def _save_tokens(self, tokens):
        expires_at = datetime.fromtimestamp(tokens["expires_at"], timezone.utc).replace(tzinfo=None)
        values = {
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "token_expires_at": expires_at,
            "authorization_expires_at": tokens.get("refresh_expires_at")
            and datetime.fromtimestamp(tokens["refresh_expires_at"], timezone.utc).replace(tzinfo=None),
        }
        if tokens.get("refresh_token") != self.refresh_token:
            # Refresh tokens are single use: the new pair must outlive a transaction that fails after
            # the refresh (a job tried again, an import error), or the shop stays disconnected. The
            # cursor is not kept that way: it must only move with the orders it covers.
            self.env.cr.postrollback.add(
                partial(_keep_tokens, self.env.registry, self.id, self.refresh_token, dict(values))
            )
        if "cursor" in tokens:
            # Written in the pull's transaction: the queue is read past a batch only once its orders
            # are stored with it (the next pull acknowledges it).
            values["order_cursor"] = tokens["cursor"]
        self.write(values)


def _keep_tokens(registry, channel_id, consumed, values):
    """After a rollback, save the tokens a refresh gave unless another transaction saved newer ones
    (its refresh token is no longer the one this refresh consumed)."""
    try:
        with registry.cursor() as cr:
            cr.execute(
                SQL(
                    """UPDATE omni_channel SET access_token = %s, refresh_token = %s, token_expires_at = %s,
                                               authorization_expires_at = %s
                        WHERE id = %s AND refresh_token IS NOT DISTINCT FROM %s""",
                    values["access_token"],
                    values["refresh_token"],
                    values["token_expires_at"],
                    values["authorization_expires_at"],
                    channel_id,
                    consumed or None,
                )
            )
    except Exception:
        # Raised here, it would hide the error that rolled the transaction back.
        _logger.exception("The new tokens of channel %s could not be saved", channel_id)


def _unix(moment):
    """Odoo's datetimes are naive UTC."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp())
