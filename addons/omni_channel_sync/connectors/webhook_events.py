"""What a platform's webhook notification is about: the order it names and the event's identity.

The identity leaves out what changes from one delivery of an event to the next (the delivery time,
the delivery id), so an event the platform sends again, or many times at once, is stored once.
Storefronts send the whole order: its id, last modification time and status are the event, rather
than a delivery header, as one change comes under several topics (``orders/updated``, ``orders/paid``).
"""


def _data(payload):
    data = payload.get("data")
    return data if isinstance(data, dict) else {}


def shopee_event(payload):
    data = _data(payload)
    event = (payload.get("shop_id"), payload.get("code"), data.get("status"), payload.get("timestamp"))
    return data.get("ordersn"), event


def lazada_event(payload):
    # Lazada pushes once per order line, and its ``timestamp`` is the delivery's.
    data = _data(payload)
    line_status = (data.get("trade_order_line_id"), data.get("order_status"), data.get("status_update_time"))
    return data.get("trade_order_id"), (payload.get("seller_id"), payload.get("message_type"), *line_status)


def tiktok_event(payload):
    data = _data(payload)
    event = payload.get("tts_notification_id") or (
        payload.get("shop_id"),
        payload.get("type"),
        data.get("order_status"),
        data.get("update_time"),
    )
    return data.get("order_id"), event


# The modification time counts whole seconds: two states of an order within one second (created,
# then paid) must stay two events, or the later one is never imported.
def shopify_event(payload):
    states = (payload.get("financial_status"), payload.get("fulfillment_status"), payload.get("cancelled_at"))
    return payload.get("id"), (payload.get("updated_at"), *states)


def woocommerce_event(payload):
    return payload.get("id"), (
        payload.get("date_modified_gmt") or payload.get("date_modified"),
        payload.get("status"),
    )


def is_ping(channel_type, headers, form):
    """WooCommerce checks a new webhook's URL with an unsigned form post ``webhook_id=<id>``, which
    must be answered 2xx; it carries no data."""
    return (
        channel_type == "woocommerce"
        and not headers.get("X-WC-Webhook-Signature")
        and str(form.get("webhook_id") or "").isdigit()
    )
