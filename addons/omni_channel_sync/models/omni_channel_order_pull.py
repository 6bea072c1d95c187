from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..connectors.errors import ChannelError
from ..connectors.lazada_adapter import LazadaAdapter
from ..connectors.lazada_mapper import map_order as map_lazada_order
from ..connectors.shopee_adapter import ShopeeAdapter
from ..connectors.shopee_mapper import map_order as map_shopee_order
from ..connectors.tiki_adapter import TikiAdapter
from ..connectors.tiki_mapper import map_order as map_tiki_order
from ..connectors.tiktok_adapter import TiktokAdapter
from ..connectors.tiktok_mapper import map_order as map_tiktok_order

# Channel types whose orders are pulled: (adapter, mapper). The other platforms join as their
# adapters are written. Hosts used when the channel names none.
CONNECTORS = {
    "shopee": (ShopeeAdapter, map_shopee_order),
    "lazada": (LazadaAdapter, map_lazada_order),
    "tiktok": (TiktokAdapter, map_tiktok_order),
    "tiki": (TikiAdapter, map_tiki_order),
}
DEFAULT_HOSTS = {
    "shopee": "https://partner.shopeemobile.com",
    "lazada": "https://api.lazada.vn/rest",
    "tiktok": "https://open-api.tiktokglobalshop.com",
    "tiki": "https://api.tiki.vn",
}
# A pull starts a little before the checkpoint: an order updated while the last pull ran is not missed.
OVERLAP = timedelta(minutes=5)
FIRST_PULL = timedelta(days=1)
RETRY_DELAY = 300


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    api_base_url = fields.Char(
        string="API Base URL", help="The platform's API host; change it only for a sandbox or a proxy."
    )

    def action_pull_orders(self):
        """Pull now and import what came, while the user waits."""
        self.ensure_one()
        self.check_access("write")
        # A refusal is answered, not raised: the channel's health must be saved with it.
        try:
            count = self.sudo()._pull_orders(process=True)
        except ChannelError as error:
            kind, message = (
                "danger",
                self.env._("%(channel)s refused: %(error)s", channel=self.name, error=error),
            )
        else:
            kind = "success"
            message = self.env._(
                "%(count)s order(s) received from %(channel)s.", count=count, channel=self.name
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "message": message, "next": {"type": "ir.actions.act_window_reload"}},
        }

    @api.model
    def _cron_pull_orders(self):
        """Queue a pull for every channel whose interval has passed."""
        now = fields.Datetime.now()
        for channel in self.search([("sync_orders", "=", True), ("channel_type", "in", list(CONNECTORS))]):
            due = (
                not channel.last_sync_at
                or channel.last_sync_at + timedelta(minutes=channel.order_sync_interval) <= now
            )
            if due:
                channel.with_delay(
                    channel="root.omni", identity_key=f"omni_pull_orders_{channel.id}"
                )._pull_job()

    def _pull_job(self):
        """A refusal ends the job with the channel's health saved; a passing one (rate limit, server
        trouble) queues the pull again a little later."""
        try:
            count = self._pull_orders(process=False)
        except ChannelError as error:
            if error.retryable:
                self.with_delay(channel="root.omni", eta=RETRY_DELAY)._pull_job()
            return str(error)
        return self.env._("%(count)s order(s) received.", count=count)

    def _pull_orders(self, process):
        """Store every order updated since the checkpoint, then move the checkpoint up to what is stored.

        The channel row is locked for the whole pull: refresh tokens are single use, so two pulls of one
        shop must never refresh at once.
        """
        self.ensure_one()
        adapter_class, mapper = CONNECTORS.get(self.channel_type, (None, None))
        if not adapter_class:
            raise UserError(self.env._("Orders of %(type)s channels are not pulled.", type=self.channel_type))
        self.env.cr.execute(SQL("SELECT id FROM omni_channel WHERE id = %s FOR UPDATE", self.id))
        until = fields.Datetime.now()
        since = (self.order_checkpoint or until - FIRST_PULL) - OVERLAP
        try:
            adapter = self._adapter(adapter_class)
            fetched = adapter.fetch_orders(_unix(since), _unix(until))
        except ChannelError as error:
            self.write({"health": "warning" if error.retryable else "error", "last_error": str(error)})
            raise
        self._ingest_orders([mapper(*entry) for entry in fetched], source="poll", process=process)
        self.write({"order_checkpoint": until, "last_sync_at": until, "health": "ok", "last_error": False})
        return len(fetched)

    def _adapter(self, adapter_class):
        tokens = {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.token_expires_at and _unix(self.token_expires_at),
        }
        return adapter_class(
            self.api_base_url or DEFAULT_HOSTS[self.channel_type],
            self.api_key,
            self.api_secret,
            self.shop_id,
            tokens,
            self._save_tokens,
        )

    def _save_tokens(self, tokens):
        self.write(
            {
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "token_expires_at": datetime.fromtimestamp(tokens["expires_at"], timezone.utc).replace(
                    tzinfo=None
                ),
            }
        )


def _unix(moment):
    """Odoo's datetimes are naive UTC."""
    return int(moment.replace(tzinfo=timezone.utc).timestamp())
