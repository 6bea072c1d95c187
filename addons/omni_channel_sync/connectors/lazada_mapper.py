"""Lazada ``/orders/get`` order and its ``/order/items/get`` items → normalized order.

Lazada has no order status: each item carries one, and the order is as far as its least advanced
item that is not cancelled. Every purchased unit is an item of its own: items of one SKU and price
become one line. Item vouchers are the seller's or the platform's, as Lazada says.
"""

from decimal import Decimal

from .order_lines import amount, finish_lines

STATUSES = {
    "unpaid": "unpaid",
    "pending": "pending",
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
PROGRESS = ("unpaid", "pending", "ready_to_ship", "shipped", "completed", "returned")
COUNTRIES = {"vietnam": "VN", "viet nam": "VN"}


def map_order(order, items):
    currency = next((item.get("currency") for item in items if item.get("currency")), "VND")
    sold_items = [item for item in items if item.get("status") != "canceled"] or items
    address = order.get("address_shipping") or {}
    name = " ".join(filter(None, (order.get("customer_first_name"), order.get("customer_last_name"))))
    return {
        "external_id": str(order["order_id"]),
        "status": order_status([item.get("status") for item in items] or order.get("statuses") or []),
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
        "lines": finish_lines([_line(item) for item in sold_items], currency),
        "shipping_fee": amount(Decimal(str(order.get("shipping_fee") or 0)), currency),
        "payment_method": "cod" if (order.get("payment_method") or "").upper() == "COD" else "prepaid",
        "note": order.get("buyer_note") or order.get("remarks") or None,
    }


def order_status(item_statuses):
    statuses = [STATUSES.get(status, "pending") for status in item_statuses]
    live = [status for status in statuses if status != "cancelled"]
    if not live:
        return "cancelled" if statuses else "pending"
    return min(live, key=PROGRESS.index)


def _line(item):
    return {
        "line_id": None,  # one item per unit: lines of one SKU and price are merged
        "sku": item.get("sku") or item.get("shop_sku") or str(item.get("sku_id")),
        "name": " ".join(filter(None, (item.get("name"), item.get("variation")))),
        "quantity": Decimal(1),
        "unit_price": Decimal(str(item.get("item_price") or 0)),
        "deal_price": None,
        "seller_discount": Decimal(str(item.get("voucher_seller") or 0)),
        "platform_discount": Decimal(str(item.get("voucher_platform") or 0)),
    }
