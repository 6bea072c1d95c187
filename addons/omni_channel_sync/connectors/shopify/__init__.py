"""Shopify's GraphQL Admin API: the registry's entry. A store has no default host."""

from ..registry import Platform, Webhook
from . import webhook
from .adapter import ShopifyAdapter
from .mapper import map_order

PLATFORM = Platform(
    ShopifyAdapter,
    map_order,
    webhook=Webhook(
        webhook.verify,
        ("secret",),
        webhook.sent_at,
        identity=webhook.event,
        authorization=webhook.authorization,
        topic=webhook.topic,
    ),
)
