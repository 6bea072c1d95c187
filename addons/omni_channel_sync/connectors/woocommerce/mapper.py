"""WooCommerce REST v3 order → normalized order. Coupons are the shop's own discounts."""

from decimal import Decimal

from ..order_lines import amount, finish_lines

STATUSES = {
    "pending": "unpaid",
    "on-hold": "pending",
    "checkout-draft": "unpaid",
    "failed": "unpaid",
    "processing": "ready_to_ship",
    "completed": "completed",
    "cancelled": "cancelled",
    "refunded": "returned",
}


def map_order(order):
    currency = order.get("currency") or "VND"
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    return {
        "external_id": str(order["id"]),
        "status": STATUSES.get(order.get("status"), "pending"),
        "created_at": _gmt(order.get("date_created_gmt")),
        "updated_at": _gmt(order.get("date_modified_gmt")),
        "currency": currency,
        "customer": {
            "buyer_id": str(order["customer_id"]) if order.get("customer_id") else None,
            "name": " ".join(filter(None, (billing.get("last_name"), billing.get("first_name")))) or None,
            "phone": billing.get("phone"),
            "email": billing.get("email"),
        },
        "shipping_address": {
            "name": " ".join(filter(None, (shipping.get("last_name"), shipping.get("first_name")))) or None,
            "phone": shipping.get("phone") or billing.get("phone"),
            "street": shipping.get("address_1"),
            "ward": shipping.get("address_2"),
            "district": shipping.get("city"),
            "province": shipping.get("state"),
            "country": shipping.get("country") or "VN",
        },
        "lines": finish_lines([_line(item) for item in order.get("line_items") or []], currency),
        "shipping_fee": amount(Decimal(order.get("shipping_total") or 0), currency),
        "payment_method": "cod" if order.get("payment_method") == "cod" else "prepaid",
        "note": order.get("customer_note") or None,
    }


def _gmt(text):
    return f"{text}+00:00" if text else None


def _line(item):
    quantity = Decimal(item.get("quantity") or 0)
    subtotal, total = Decimal(item.get("subtotal") or 0), Decimal(item.get("total") or 0)
    return {
        "line_id": str(item["id"]),
        "sku": item.get("sku") or str(item.get("variation_id") or item.get("product_id")),
        "name": item.get("name"),
        "quantity": quantity,
        "unit_price": subtotal / quantity if quantity else Decimal(str(item.get("price") or 0)),
        "deal_price": None,
        "seller_discount": subtotal - total,  # coupons applied to the line
        "platform_discount": Decimal(0),
    }
