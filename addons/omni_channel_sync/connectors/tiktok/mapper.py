"""TikTok Shop 202309 order → normalized order.

Every unit is a line item of its own (there is no quantity): items of one SKU and price become one
line, its cancelled units counted apart. Money comes as strings; timestamps as unix seconds.
Shipping the buyer pays is the original shipping fee less what the seller and the platform took off
it.
"""

from decimal import Decimal

from ..normalized_order import whole_return_status
from ..order_lines import amount, finish_lines
from ..timestamps import from_unix

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


# Return statuses (202309 returns): refunded, dropped; the others are a return under way.
RETURN_STATUSES = {
    "RETURN_OR_REFUND_REQUEST_COMPLETE": "refunded",
    "RETURN_OR_REFUND_REQUEST_CANCEL": "cancelled",
    "RETURN_OR_REFUND_REQUEST_REJECT": "cancelled",
}


def map_order(order, returns=(), cancel_id=None):
    """The normalized order of a 202309 order, its returns (``returns/search``) and the id of the
    buyer's cancellation request waiting for the seller (``cancellations/search``)."""
    payment = order.get("payment") or {}
    currency = payment.get("currency") or "VND"
    address = order.get("recipient_address") or {}
    levels = {
        level.get("address_level_name"): level.get("address_name")
        for level in address.get("district_info") or []
    }
    lines = finish_lines([_line(item) for item in order.get("line_items") or []], currency)
    returns = [_return(entry) for entry in returns if entry.get("return_line_items")]
    return {
        "external_id": str(order["id"]),
        # TikTok keeps a returned order COMPLETED: its returns say what came back.
        "status": STATUSES.get(order.get("status"), "pending")
        if not returns
        else _status(order, lines, returns),
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
        "lines": lines,
        "shipping_fee": amount(Decimal(payment.get("shipping_fee") or 0), currency),
        "payment_method": "cod" if order.get("is_cod") else "prepaid",
        "note": order.get("buyer_message") or None,
        "cancel_requested": bool(order.get("is_buyer_request_cancel")),
        "cancel_request_id": cancel_id,
        "returns": returns,
    }


def _status(order, lines, returns):
    status = STATUSES.get(order.get("status"), "pending")
    return whole_return_status(lines, returns) if status == "completed" else status


def _return(entry):
    quantities = {}
    for line in entry["return_line_items"]:
        sku = line.get("seller_sku") or str(line.get("sku_id"))
        quantities[sku] = quantities.get(sku, 0) + 1  # one line item per unit
    refund = entry.get("refund_amount") or {}
    return {
        "return_id": str(entry["return_id"]),
        "status": RETURN_STATUSES.get(entry.get("return_status"), "requested"),
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in quantities.items()],
        "refund_amount": amount(Decimal(refund.get("refund_total") or 0), refund.get("currency") or "VND"),
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
