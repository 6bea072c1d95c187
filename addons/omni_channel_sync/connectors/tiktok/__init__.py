"""TikTok Shop Partner API: the registry's entry."""

from ..registry import Platform, Webhook
from . import webhook
from .adapter import TiktokAdapter
from .mapper import map_order

PLATFORM = Platform(
    TiktokAdapter,
    map_order,
    "https://open-api.tiktokglobalshop.com",
    Webhook(
        webhook.verify,
        ("secret", "app_key"),
        webhook.sent_at,
        identity=webhook.event,
        authorization=webhook.authorization,
    ),
)
