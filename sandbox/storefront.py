"""What the storefront platforms (Shopify, WooCommerce) show of their shop, unlike the
marketplaces: numeric order ids (`platform.numeric_id`), products that gather the variations of one
article, buyers as they typed themselves in (nothing masked), and shop-local times."""

from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
SHIPPING_FEE = 30000


def products(shop):
    """``[(product id, name, [(sku, item), ...])]``: the items of one name that differ by variation
    (the T-shirt in M and L) are one product; the others are products of their own."""
    grouped = {}
    for sku, item in shop.items.items():
        grouped.setdefault(item["name"] if item["variation"] else sku, []).append((sku, item))
    return [(group[0][1]["item_id"], group[0][1]["name"], group) for group in grouped.values()]


def product_ids(shop):
    """``{sku: id of its product}``."""
    return {sku: product_id for product_id, _name, group in products(shop) for sku, _item in group}


def buyer(order):
    """Names as Vietnamese write them (family name first), a mobile phone and an e-mail."""
    last, _space, first = order["buyer_name"].partition(" ")
    return {
        "first_name": first,
        "last_name": last,
        "phone": (order.get("buyer_phone") or "").replace(" ", "") or f"090{order['buyer_id'] % 10**7:07d}",
        "email": f"buyer{order['buyer_id']}@example.com",
    }


def local_time(seconds):
    return datetime.fromtimestamp(seconds, VIETNAM)


def time_filter(query, name, invalid, default_tz=VIETNAM):
    """The ISO 8601 time of the filter ``name`` in ``query`` (unix seconds); without an offset it is in
    ``default_tz``. None when the filter is not given; ``invalid(name)`` is raised when unreadable."""
    if not query.get(name):
        return None
    try:
        moment = datetime.fromisoformat(query[name])
    except (TypeError, ValueError):
        raise invalid(name) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=default_tz)).timestamp()
