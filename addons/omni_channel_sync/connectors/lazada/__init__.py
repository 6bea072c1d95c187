"""Lazada Open Platform: the registry's entry."""

from ..registry import Platform, Webhook
from . import webhook
from .adapter import LazadaAdapter
from .mapper import map_order

PLATFORM = Platform(
    LazadaAdapter,
    map_order,
    "https://api.lazada.vn/rest",
    Webhook(
        webhook.verify,
        ("secret", "app_key"),
        webhook.sent_at,
        identity=webhook.event,
        authorization=webhook.authorization,
    ),
)
