import logging
from datetime import datetime, timedelta, timezone
from functools import partial

from psycopg2.errors import LockNotAvailable

from odoo import api, fields, models
from odoo.tools import SQL

from ..connectors.errors import ChannelError
from ..connectors.registry import PLATFORMS, adapter_can, platform
from .advisory_locks import check_current, try_work_lock

# A pull starts a little before the checkpoint: an order updated while the last pull ran is not missed.
OVERLAP = timedelta(minutes=5)
FIRST_PULL = timedelta(days=1)
RETRY_DELAY = 300
# Advisory locks (with the channel's id): a shop's token renewal; a channel's pull.
TOKEN_LOCK = "omni_channel_tokens"
PULL_LOCK = "omni_channel_pull"
TOKEN_WAIT = "60s"

_logger = logging.getLogger(__name__)


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    api_base_url = fields.Char(
        string="API Base URL", help="The platform's API host; change it only for a sandbox or a proxy."
    )

    def action_pull_orders(self):
        """Pull now: in a job (a pull is several calls: pages, details, returns), which tells the user
        how many orders came."""
        self.ensure_one()
        return self._omni_answer_queued(
            lambda channel: ("success", channel._pulled_message(channel._pull_orders(process=True))),
            lambda channel: channel._queue_pull(notify=True) or channel._omni_queued(),
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

    def _queue_pull(self, eta=None, notify=False):
        """One pending pull per channel: the cron's, a retry's and a user's are the same job, or a
        long outage would start a new chain of retries at every cron run."""
        self.with_delay(channel="root.omni", eta=eta, identity_key=f"omni_pull_orders_{self.id}")._pull_job(
            notify=notify
        )

    def _pull_job(self, notify=False):
        """A refusal ends the job with the channel's health saved; a passing one (rate limit, server
        trouble) queues the pull again a little later. ``notify``: the user who asked is told."""
        # The credentials and the orders are the system's to read and write, whoever asked.
        channel = self.sudo()
        try:
            kind, message = "success", channel._pulled_message(channel._pull_orders(process=False))
        except ChannelError as error:
            if error.retryable:
                channel._queue_pull(eta=RETRY_DELAY)
            kind, message = "danger", str(error)
        if notify:
            self._omni_notify(kind, message)
        return message

    def _pulled_message(self, count):
        return self.env._("%(count)s order(s) received from %(channel)s.", count=count, channel=self.name)

    def _pull_orders(self, process):
        """Store every order updated since the checkpoint, then move the checkpoint up to what is stored.

        One pull of a channel at a time: its checkpoint (and Tiki's cursor) moves with the orders it
        stores, so two pulls would read and store the same window twice and each move it. The lock is
        on the pull, not on the channel's row: buttons, webhooks and pushes do not wait for it.
        """
        self.ensure_one()
        if not try_work_lock(self.env.cr, PULL_LOCK, self.id):
            raise ChannelError(
                self.env._("%(channel)s is being pulled already.", channel=self.name), retryable=True
            )
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
            renew_tokens=self._renew_tokens,
        )

    def _renew_tokens(self, refresh, tokens):
        """The tokens to use after ``refresh()`` renewed them for the adapter that holds ``tokens``.

        Refresh tokens are single use: a shop's renewals are serialized, and the new pair committed
        at once. Not by the channel's row (calls and imports run without it): by an advisory lock on
        the channel's tokens, in a transaction of its own. Once it holds the lock, it reads the tokens
        stored: when another process renewed them meanwhile, they are used as they are.

        A channel this transaction created or changed (its row not free to be written from another
        transaction) renews in this transaction, the lock held until it ends; ``_save_tokens`` keeps
        the new pair after a rollback.
        """
        renewed = self._renew_tokens_apart(refresh, tokens)
        if renewed:
            # Tokens committed since this transaction began: it could not write the channel (a pull's
            # checkpoint) and would fail then, mid-import. It fails now instead, to be run again at
            # once on them (Odoo replays a request, the job runner a job).
            check_current(self.env.cr, "omni_channel", self.id)
            return renewed
        if not try_work_lock(self.env.cr, TOKEN_LOCK, self.id):
            raise ChannelError(self._renewing_message(), retryable=True)
        renewed = refresh()
        self._save_tokens(renewed)
        return renewed

    def _renew_tokens_apart(self, refresh, tokens):
        """The tokens to use, renewed and committed in a transaction of its own under the channel's
        token lock, or those another process renewed meanwhile; None when the channel's row cannot be
        written from another transaction."""
        with self.env.registry.cursor() as lock_cr:
            # Waited for as long as a renewal may take, not forever: this process may hold what the
            # one renewing waits for.
            lock_cr.execute(SQL("SET LOCAL lock_timeout = %s", TOKEN_WAIT))
            try:
                lock_cr.execute(
                    SQL("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", TOKEN_LOCK, self.id),
                    log_exceptions=False,
                )
            except LockNotAvailable:
                raise ChannelError(self._renewing_message(), retryable=True) from None
            # Begun once the lock is held, this transaction reads the last tokens committed; it
            # commits the new ones before the lock is let go.
            with self.env.registry.cursor() as cr:
                if not check_current(cr, "omni_channel", self.id):
                    return None
                stored = _stored_tokens(cr, self.id)
                if stored["access_token"] != (tokens.get("access_token") or None):
                    return stored
                renewed = refresh()
                _write_tokens(
                    cr,
                    self.id,
                    _token_values(renewed, self.authorization_announced_end),
                    consumed=stored["refresh_token"],
                )
                return renewed

    def _renewing_message(self):
        return self.env._("The tokens of %(channel)s are being renewed now.", channel=self.name)

    def _save_tokens(self, tokens):
        values = _token_values(tokens, self.authorization_announced_end)
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


def _token_values(tokens, announced_end=False):
    """The channel's fields for the adapter's ``tokens``. ``announced_end``: when the platform said
    the seller's authorization ends (its expiry reminder); while it is to come, the refresh token's
    end does not move the date past it."""
    ends = tokens.get("refresh_expires_at") and datetime.fromtimestamp(
        tokens["refresh_expires_at"], timezone.utc
    ).replace(tzinfo=None)
    if announced_end and announced_end > fields.Datetime.now():
        ends = min(ends, announced_end) if ends else announced_end
    return {
        "access_token": tokens["access_token"],
        "refresh_token": tokens["refresh_token"],
        "token_expires_at": datetime.fromtimestamp(tokens["expires_at"], timezone.utc).replace(tzinfo=None),
        "authorization_expires_at": ends,
    }


def _stored_tokens(cr, channel_id):
    """The tokens committed on the channel, as the adapter holds them."""
    cr.execute(
        SQL(
            "SELECT access_token, refresh_token, token_expires_at FROM omni_channel WHERE id = %s",
            channel_id,
        )
    )
    access_token, refresh_token, expires_at = cr.fetchone()
    return {
        "access_token": access_token,
        "refresh_token": refresh_token,
        "expires_at": expires_at and _unix(expires_at),
    }


def _write_tokens(cr, channel_id, values, consumed):
    """Save the tokens a refresh gave unless another transaction saved newer ones (its refresh token
    is no longer the one this refresh consumed)."""
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


def _keep_tokens(registry, channel_id, consumed, values):
    """After a rollback, save the tokens a refresh gave (see ``_write_tokens``)."""
    try:
        with registry.cursor() as cr:
            _write_tokens(cr, channel_id, values, consumed)
    except Exception:
        # Raised here, it would hide the error that rolled the transaction back.
        _logger.exception("The new tokens of channel %s could not be saved", channel_id)


def _unix(moment):
    """Odoo's datetimes are naive UTC."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp())
