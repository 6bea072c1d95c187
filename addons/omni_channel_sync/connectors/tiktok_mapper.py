"""TikTok Shop 202309 order → normalized order.

Every unit is a line item of its own (there is no quantity): items of one SKU and price become one
line, its cancelled units counted apart. Money comes as strings; timestamps as unix seconds.
Shipping the buyer pays is the original shipping fee less what the seller and the platform took off
it.
"""

from decimal import Decimal

from .order_lines import amount, finish_lines
from .timestamps import from_unix

STATUSES = {
    "UNPAID": "unpaid",
    "ON_HOLD": "pending",
    "AWAITING_SHIPMENT": "ready_to_ship",
    "AWAITING_COLLECTION": "ready_to_ship",
    "PARTIALLY_SHIPPING": "shipped",
    "IN_TRANSIT": "shipped",
    "DELIVERED": "shipped",
    "COMPLETED": "completed",
    "CANCELLED": "cancelled",
    "CANCEL": "cancelled",
}


def map_order(order):
    payment = order.get("payment") or {}
    currency = payment.get("currency") or "VND"
    address = order.get("recipient_address") or {}
    levels = {
        level.get("address_level_name"): level.get("address_name")
        for level in address.get("district_info") or []
    }
    return {
        "external_id": str(order["id"]),
        "status": STATUSES.get(order.get("status"), "pending"),
        "created_at": from_unix(order.get("create_time")),
        "updated_at": from_unix(order.get("update_time")),
        "currency": currency,
        "customer": {
            "buyer_id": str(order["user_id"]) if order.get("user_id") else None,
            "name": address.get("name"),
            "phone": address.get("phone_number"),
            "email": order.get("buyer_email"),
        },
        "shipping_address": {
            "name": address.get("name"),
            "phone": address.get("phone_number"),
            "street": address.get("address_detail") or address.get("full_address"),
            "ward": levels.get("Ward"),
            "district": levels.get("District"),
            "province": levels.get("Province") or levels.get("City"),
            "country": address.get("region_code") or "VN",
        },
        "lines": finish_lines([_line(item) for item in order.get("line_items") or []], currency),
        "shipping_fee": amount(Decimal(payment.get("shipping_fee") or 0), currency),
        "payment_method": "cod" if order.get("is_cod") else "prepaid",
        "note": order.get("buyer_message") or None,
    }


def _line(item):
    # A line item cancelled while the others go on is not sold: none of its discounts apply.
    cancelled = item.get("display_status") == "CANCELLED"
    return {
        "line_id": None,  # one line item per unit: merged by SKU and price
        "sku": item.get("seller_sku") or str(item.get("sku_id")),
        "name": " ".join(filter(None, (item.get("product_name"), item.get("sku_name")))),
        "quantity": Decimal(1),
        "cancelled_quantity": Decimal(cancelled),
        "unit_price": Decimal(item.get("original_price") or item.get("sale_price") or 0),
        "deal_price": None,
        "seller_discount": Decimal(0 if cancelled else item.get("seller_discount") or 0),
        "platform_discount": Decimal(0 if cancelled else item.get("platform_discount") or 0),
    }
