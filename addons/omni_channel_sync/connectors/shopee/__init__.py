"""Shopee Open Platform v2: the registry's entry."""

from ..registry import Platform, Webhook
from . import webhook
from .adapter import ShopeeAdapter
from .mapper import map_order

PLATFORM = Platform(
    ShopeeAdapter,
    map_order,
    "https://partner.shopeemobile.com",
    Webhook(
        webhook.verify,
        ("secret", "callback_url"),
        webhook.sent_at,
        identity=webhook.event,
        authorization=webhook.authorization,
    ),
)
