"""Lazada ``/orders/get`` order and its ``/order/items/get`` items → normalized order.

Lazada has no order status: each item carries one, and the order is as far as its least advanced
item that is not cancelled. Every purchased unit is an item of its own: items of one SKU and price
become one line, its cancelled units counted apart (an item cancelled while the others go on is a
partial cancellation). Item vouchers are the seller's or the platform's, as Lazada says.
"""

from decimal import Decimal

from ..normalized_order import whole_return_status
from ..order_lines import amount, finish_lines

STATUSES = {
    "unpaid": "unpaid",
    "pending": "ready_to_ship",  # paid (or cash on delivery): the seller packs it
    "topack": "ready_to_ship",
    "packed": "ready_to_ship",
    "ready_to_ship": "ready_to_ship",
    "toship": "ready_to_ship",
    "shipping": "shipped",
    "shipped": "shipped",
    "failed": "shipped",
    "failed_delivery": "shipped",
    "lost": "shipped",
    "lost_by_3pl": "shipped",
    "damaged_by_3pl": "shipped",
    "delivered": "completed",
    "returned": "returned",
    "shipped_back": "returned",
    "shipped_back_success": "returned",
    "canceled": "cancelled",
}
# The parcel was not delivered and goes (or went) back to the seller.
FAILED_DELIVERY = ("failed_delivery", "shipped_back", "shipped_back_success", "shipped_back_failed")
PROGRESS = ("unpaid", "pending", "ready_to_ship", "shipped", "completed", "returned")
COUNTRIES = {"vietnam": "VN", "viet nam": "VN"}


# Reverse order line statuses: the buyer was refunded, the return was dropped; others are under way.
REVERSE_STATUSES = {
    "REFUND_SUCCESS": "refunded",
    "REQUEST_CANCEL": "cancelled",
    "REQUEST_REJECT": "cancelled",
}


def map_order(order, items, reverse_orders=()):
    currency = next((item.get("currency") for item in items if item.get("currency")), "VND")
    address = order.get("address_shipping") or {}
    name = " ".join(filter(None, (order.get("customer_first_name"), order.get("customer_last_name"))))
    lines = finish_lines([_line(item) for item in items], currency)
    # Reverse orders of type CANCEL are buyers' cancellation requests, not returns.
    returns = [
        _return(reverse, currency)
        for reverse in reverse_orders
        if reverse.get("reverse_order_lines") and reverse.get("request_type") != "CANCEL"
    ]
    item_statuses = [item.get("status") for item in items] or order.get("statuses") or []
    status = order_status(item_statuses)
    return {
        "external_id": str(order["order_id"]),
        "status": whole_return_status(lines, returns) if returns and status == "returned" else status,
        "created_at": order.get("created_at"),
        "updated_at": order.get("updated_at"),
        "currency": currency,
        "customer": {
            "buyer_id": next((str(item["buyer_id"]) for item in items if item.get("buyer_id")), None),
            "name": name or None,
            "phone": address.get("phone"),
        },
        "shipping_address": {
            "name": " ".join(filter(None, (address.get("first_name"), address.get("last_name")))) or None,
            "phone": address.get("phone"),
            "street": address.get("address1"),
            "ward": address.get("address5"),
            "district": address.get("address4") or address.get("city"),
            "province": address.get("address3"),
            "country": COUNTRIES.get((address.get("country") or "").lower(), "VN"),
        },
        "lines": lines,
        "shipping_fee": amount(Decimal(str(order.get("shipping_fee") or 0)), currency),
        "payment_method": "cod" if (order.get("payment_method") or "").upper() == "COD" else "prepaid",
        "note": order.get("buyer_note") or order.get("remarks") or None,
        # The buyer asked to cancel items not packed yet: the seller agrees or refuses.
        "cancel_requested": any(item.get("is_cancel_pending") for item in items),
        "returns": returns,
        "delivery_failed": any(item_status in FAILED_DELIVERY for item_status in item_statuses),
    }


def _return(reverse, currency):
    """A reverse order: refunded once every line is, dropped when every line is."""
    lines = reverse["reverse_order_lines"]
    states = {REVERSE_STATUSES.get(line.get("reverse_status"), "requested") for line in lines}
    quantities = {}
    for line in lines:
        sku = line.get("seller_sku_id") or str(line.get("platform_sku_id"))
        quantities[sku] = quantities.get(sku, 0) + 1  # one line per unit, as the order's items
    return {
        "return_id": str(reverse["reverse_order_id"]),
        "status": states.pop() if len(states) == 1 else "requested",
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in quantities.items()],
        "refund_amount": amount(sum(Decimal(str(line.get("refund_amount") or 0)) for line in lines), "VND"),
    }


def order_status(item_statuses):
    statuses = [STATUSES.get(status, "pending") for status in item_statuses]
    live = [status for status in statuses if status != "cancelled"]
    if not live:
        return "cancelled" if statuses else "pending"
    return min(live, key=PROGRESS.index)


def _line(item):
    # A cancelled unit is not sold: none of its vouchers apply.
    cancelled = item.get("status") == "canceled"
    return {
        "line_id": None,  # one item per unit: lines of one SKU and price are merged
        "sku": item.get("sku") or item.get("shop_sku") or str(item.get("sku_id")),
        "name": " ".join(filter(None, (item.get("name"), item.get("variation")))),
        "quantity": Decimal(1),
        "cancelled_quantity": Decimal(cancelled),
        "unit_price": Decimal(str(item.get("item_price") or 0)),
        "deal_price": None,
        "seller_discount": Decimal(0 if cancelled else str(item.get("voucher_seller") or 0)),
        "platform_discount": Decimal(0 if cancelled else str(item.get("voucher_platform") or 0)),
    }
