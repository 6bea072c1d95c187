"""The platforms Odoo talks to, one entry each: what the models and the webhook controller ask of a
channel type.

Each platform is a folder here (``shopee/``, ``lazada/``...: its adapter, mapper, signing and
webhook), whose ``__init__`` exposes its entry as ``PLATFORM``; the folders are discovered, so adding
a platform is adding its folder, named as its channel type. The package imports this module first
(``connectors/__init__.py``): a platform's entry is built of the classes below.

An adapter (a ``base.Adapter``) declares what it offers in ``CAPABILITIES`` (the method names the
models may call: ``push_stock``, ``ship_order``, ``answer_cancellation``...); the models read that
declaration.
"""

import hashlib
import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .webhook_signature import api_sent_at, verify_api


class AuthorizationNews(NamedTuple):
    """What a platform pushed about the seller's authorization of the app: ``revoked`` (withdrawn),
    ``expiring`` (ends at ``expires_at``, seconds since the epoch, when told) or ``authorized``."""

    event: str
    expires_at: int | None = None


@dataclass(frozen=True)
class Webhook:
    """How a channel type's pushes are checked and told apart."""

    verifier: Callable  # (credentials, raw body, headers) -> True for a signature the credentials made
    credentials: tuple  # the channel credentials the verifier needs
    sent_at: Callable  # (headers, parsed body) -> seconds since the epoch, or None
    dated: bool = True  # a push without a time is refused
    identity: Callable | None = None  # payload -> (order id, event): one event stored once
    ping: Callable | None = None  # (headers, form) -> True for the platform's unsigned check of the URL
    # (payload, topic) -> AuthorizationNews, or None for other pushes
    authorization: Callable | None = None
    # headers -> what the push is about, where a header says it and the body does not (Shopify)
    topic: Callable | None = None


@dataclass(frozen=True)
class Platform:
    adapter: type
    map_order: Callable  # one entry of the adapter's orders -> the normalized order
    # Where the API lives when the channel names no host; None for a store (Shopify, WooCommerce),
    # which has its own address the channel must name.
    default_host: str | None = None
    webhook: Webhook | None = None  # None: the platform pushes nothing (Tiki's events are pulled)


def _gather():
    """Each platform folder's entry (its package's ``PLATFORM``), by channel type: the folder's name."""
    folders = pkgutil.iter_modules([str(Path(__file__).parent)])
    return {
        name: importlib.import_module(f"{__package__}.{name}").PLATFORM
        for _finder, name, package in folders
        if package
    }


PLATFORMS = _gather()
# Odoo's own webhook, for the systems an integrator connects (channel type "api"): pushed, never called.
API_WEBHOOK = Webhook(verify_api, ("secret",), api_sent_at)


def platform(channel_type):
    """The platform entry of a channel type, or None when Odoo does not talk to it."""
    return PLATFORMS.get(channel_type)


def adapter_can(channel_type, capability):
    """Whether the adapter of ``channel_type`` declares ``capability`` (``push_stock``, ``ship_order``...)."""
    entry = PLATFORMS.get(channel_type)
    return bool(entry) and capability in entry.adapter.CAPABILITIES


def webhook(channel_type):
    """The webhook of a channel type, or None when it takes none."""
    if channel_type == "api":
        return API_WEBHOOK
    entry = PLATFORMS.get(channel_type)
    return entry and entry.webhook


def is_ping(channel_type, headers, form):
    """Whether an unsigned request is the platform's check of the webhook's URL (to be answered 2xx)."""
    hook = webhook(channel_type)
    return bool(hook and hook.ping) and hook.ping(headers, form)


def verify(channel_type, credentials, body, headers):
    """False when the type takes no webhooks, a credential is missing, or the signature is wrong."""
    hook = webhook(channel_type)
    return (
        bool(hook)
        and all(credentials.get(key) for key in hook.credentials)
        and hook.verifier(credentials, body, headers)
    )


def is_recent(channel_type, headers, payload, max_age_minutes, now=None):
    """Whether a verified push was sent within ``max_age_minutes`` of now (either way: a clock
    ahead by more is as suspect). A push the platform dates but this one does not is not recent."""
    hook = webhook(channel_type)
    sent_at = hook.sent_at(headers, payload) if hook else None
    if sent_at is None:
        return not (hook and hook.dated)
    now = time.time() if now is None else now
    return abs(now - sent_at) <= max_age_minutes * 60


def notification_topic(channel_type, headers):
    """What a push is about as its headers say it, kept with it (the body does not say it), or None."""
    hook = webhook(channel_type)
    return hook.topic(headers) if hook and hook.topic else None


def authorization_news(channel_type, payload, topic=None):
    """The ``AuthorizationNews`` a notification brings (``topic``: see ``notification_topic``), or
    None when it is about something else."""
    hook = webhook(channel_type)
    if not (hook and hook.authorization) or not isinstance(payload, dict):
        return None
    return hook.authorization(payload, topic)


def notification_identity(channel_type, payload):
    """``(order id, event)`` of a notification, as text. The event is None for a notification that
    names no order (a push about the shop or a product) or none of the event's fields: its content
    is its identity then."""
    hook = webhook(channel_type)
    if not (hook and hook.identity) or not isinstance(payload, dict):
        return None, None
    order_id, event = hook.identity(payload)
    if isinstance(order_id, bool) or not isinstance(order_id, str | int) or not 0 < len(str(order_id)) <= 128:
        return None, None
    if isinstance(event, tuple):
        known = any(value is not None for value in event)
        event = ":".join("" if value is None else str(value) for value in event) if known else None
    event = str(event) if event else None
    if event and len(event) > 128:  # the event is part of an indexed key: a digest of a long one
        event = hashlib.sha256(event.encode()).hexdigest()
    return str(order_id), event
