import json
import logging
from functools import partial

from odoo import api, fields, models

from ..connectors.errors import ChannelError
from ..connectors.payload import check_payload
from ..connectors.registry import adapter_can, authorization_news, notification_identity, platform
from ..connectors.webhook_signature import DEFAULT_MAX_AGE_MINUTES
from .omni_channel import MAX_ORDERS_PER_CALL

NOTIFICATION_BATCH = 100

_logger = logging.getLogger(__name__)


class OmniChannel(models.Model):
    _inherit = "omni.channel"

    webhook_max_age = fields.Integer(
        string="Webhook Time Window (min)",
        default=DEFAULT_MAX_AGE_MINUTES,
        help="A signed webhook sent longer ago than this (by the time it carries) is refused: a push "
        "captured and replayed later is not imported again. Orders a refused push was about are still "
        "imported by the scheduled pull.",
    )

    can_subscribe_webhooks = fields.Boolean(
        compute="_compute_can_subscribe_webhooks",
        help="Odoo gives the platform its webhook URL itself (Shopify).",
    )

    _sql_constraints = [
        (
            "webhook_max_age_positive",
            "CHECK(webhook_max_age > 0)",
            "The webhook time window must be at least one minute.",
        ),
    ]

    @api.depends("channel_type")
    def _compute_can_subscribe_webhooks(self):
        for channel in self:
            channel.can_subscribe_webhooks = adapter_can(channel.channel_type, "subscribe_webhooks")

    def action_subscribe_webhooks(self):
        """Have the platform push its orders' news to this channel's webhook URL: in a job (a call
        per topic), which tells the user what was subscribed."""
        self.ensure_one()
        return self._omni_answer_queued(
            lambda channel: channel._subscribe_webhooks(),
            lambda channel: channel._queue_job("_subscribe_webhooks_job"),
        )

    def _subscribe_webhooks_job(self):
        channel = self.sudo()  # the credentials are the system's, whoever asked
        return channel._omni_job(channel._subscribe_webhooks, notify=True)

    def _subscribe_webhooks(self):
        url = f"{self.get_base_url()}/omni/webhook/{self.code}"
        added = self._call_adapter("subscribe_webhooks", url)
        if not added:
            return "info", self.env._("%(channel)s pushes to %(url)s already.", channel=self.name, url=url)
        return "success", self.env._(
            "%(channel)s now pushes to %(url)s (%(count)s webhooks subscribed).",
            channel=self.name,
            url=url,
            count=len(added),
        )

    def _receive_webhook(self, payload, raw, topic=None):
        """Store what a verified, recent webhook brings (its JSON value, its text and the topic its
        headers name: see ``notification_topic``); answer ``(HTTP status, JSON answer or None)``.

        Platforms Odoo has a connector for notify in their own shape: the notification is stored as
        it came, answered at once (with an empty body, as Shopee requires), and a job asks the
        platform for the orders it names. Partner systems send normalized orders, stored and queued
        as the ingest API does.
        """
        self.ensure_one()
        if self._takes_notifications():
            self._store_notification(payload, raw, topic)
            return 200, None
        orders = payload["orders"] if isinstance(payload, dict) and "orders" in payload else [payload]
        if not isinstance(orders, list):
            orders = [orders]
        if len(orders) > MAX_ORDERS_PER_CALL:
            return 400, {"error": "too many orders", "max_orders": MAX_ORDERS_PER_CALL}
        return 200, {"results": self._ingest_orders(orders, source="webhook", process=False, checked=True)}

    def _takes_notifications(self):
        return adapter_can(self.channel_type, "webhook_orders")

    def _store_notification(self, payload, raw, topic=None):
        """Store the notification once per platform event, with its topic; a new one is processed by
        the channel's notification job."""
        self.ensure_one()
        Inbox = self.env["omni.channel.inbox"]
        external_id, event = notification_identity(self.channel_type, payload)
        # One notification per platform event, however often and however differently delivered; a
        # push that names no event is told apart by its content.
        keys = [f"{self.id}:notification:{external_id}:{event}"] if event else None
        ((record_id, is_new),) = Inbox._store(self, "notification", "webhook", [(external_id, raw)], keys)
        if is_new:
            if topic:
                Inbox.browse(record_id).topic = topic
            self._enqueue_notifications()
        return Inbox.browse(record_id)

    def _enqueue_notifications(self):
        # One waiting job per channel: it takes every notification pending when it starts (a burst
        # of pushes made one job each, most of which then found nothing left).
        self.with_delay(
            channel="root.omni", identity_key=f"omni_notifications_{self.id}"
        )._process_notifications_job()

    def _process_notifications_job(self):
        """Every pending notification of the channel, oldest first, a batch at a time: the first job
        of a burst takes what the others were queued for, which then find nothing left to do (or
        the notifications no other job holds: see ``_lock_for_processing``)."""
        self.ensure_one()
        notifications = self.env["omni.channel.inbox"].search(
            [("channel_id", "=", self.id), ("kind", "=", "notification"), ("state", "=", "pending")],
            order="id",
            limit=NOTIFICATION_BATCH,
        )
        notifications._process()
        if len(notifications) == NOTIFICATION_BATCH:
            self._enqueue_notifications()

    def _recover_lost_pushes(self):
        """Store the pushes the platform could not deliver (Shopee keeps them for 3 days), each for
        the channel of its shop, as if they had come; once they are committed, the platform is told
        to forget them. A push that did come after all is stored once, as any other."""
        self.ensure_one()
        pushes, last = self._call_adapter("lost_pushes")
        channels = self.search(
            [
                ("channel_type", "=", self.channel_type),
                ("api_key", "=", self.api_key),
                ("shop_id", "!=", False),
            ]
        )
        by_shop = {channel.shop_id: channel for channel in channels}
        for push in pushes:
            channel = by_shop.get(str(push.get("shop_id")))
            if channel:
                channel._store_notification(check_payload(push), json.dumps(push))
        if last:
            adapter = self._adapter()
            self.env.cr.postcommit.add(partial(_confirm_lost_pushes, adapter, last, self.id))
        return len(pushes)

    def _notified_orders(self, payload, topic=None):
        """The normalized orders a notification names: the platform is asked for them (or, for the
        storefronts that send the whole order, they are read from the notification). A push about
        the seller's authorization names none: the channel follows it."""
        self.ensure_one()
        news = authorization_news(self.channel_type, payload, topic)
        if news:
            self._omni_authorization_news(news)
            return []
        map_order = platform(self.channel_type).map_order
        return [map_order(*entry) for entry in self._call_adapter("webhook_orders", payload)]


def _confirm_lost_pushes(adapter, last_message_id, channel_id):
    """After the commit that stored them: the platform may forget the lost pushes. If it cannot be
    told now, the next pull stores them again (once) and tells it then."""
    try:
        adapter.confirm_lost_pushes(last_message_id)
    except ChannelError as error:
        _logger.info("Lost pushes of channel %s not confirmed yet: %s", channel_id, error)
