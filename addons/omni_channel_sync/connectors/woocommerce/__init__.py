"""WooCommerce REST API v3: the registry's entry. A store has no default host; its pushes are undated."""

from ..registry import Platform, Webhook
from . import webhook
from .adapter import WooCommerceAdapter
from .mapper import map_order

PLATFORM = Platform(
    WooCommerceAdapter,
    map_order,
    webhook=Webhook(
        webhook.verify,
        ("secret",),
        webhook.sent_at,
        dated=False,
        identity=webhook.event,
        ping=webhook.is_ping,
    ),
)
