"""Shopee v2 ``get_order_detail`` order → normalized order.

Timestamps are unix seconds; money is in the order's currency. The deal price (flash sales, shop
promotions) is what the seller takes off the original price. What ``total_amount`` (paid by the
buyer, shipping included) falls short of the items and shipping is what Shopee's own vouchers took
off: a platform discount, spread over the lines.
"""

from decimal import Decimal

from ..normalized_order import whole_return_status
from ..order_lines import amount, finish_lines, json_number
from ..timestamps import from_unix

STATUSES = {
    "UNPAID": "unpaid",
    "PENDING": "pending",
    "INVOICE_PENDING": "pending",
    "IN_CANCEL": "ready_to_ship",  # paid, its cancellation asked, not granted: the order stands
    "READY_TO_SHIP": "ready_to_ship",
    "PROCESSED": "ready_to_ship",
    "RETRY_SHIP": "ready_to_ship",
    "SHIPPED": "shipped",
    "TO_CONFIRM_RECEIVE": "shipped",
    "COMPLETED": "completed",
    "CANCELLED": "cancelled",
    "TO_RETURN": "returned",
}
COD_METHODS = ("Cash on Delivery", "COD")
# Return statuses (v2.returns): refunded, dropped; the others are a return under way.
RETURN_STATUSES = {"REFUND_PAID": "refunded", "CANCELLED": "cancelled", "CLOSED": "cancelled"}


def map_order(order, returns=(), tracking_number=None):
    """The normalized order of a ``get_order_detail`` order, its returns (``get_return_detail``) and
    the carrier's tracking number when a push brought it."""
    currency = order.get("currency") or "VND"
    lines = [_line(item) for item in order.get("item_list") or []]
    shipping = Decimal(str(order.get("actual_shipping_fee") or order.get("estimated_shipping_fee") or 0))
    sold = sum(line["deal_price"] * line["quantity"] for line in lines)
    total = order.get("total_amount")
    platform_voucher = max(Decimal(0), sold + shipping - Decimal(str(total))) if total is not None else 0
    address = order.get("recipient_address") or {}
    lines = finish_lines(lines, currency, platform_voucher=platform_voucher)
    returns = [_return(entry) for entry in returns]
    status = STATUSES.get(order.get("order_status"), "pending")
    return {
        "external_id": order["order_sn"],
        "status": whole_return_status(lines, returns) if status == "returned" and returns else status,
        "created_at": from_unix(order.get("create_time")),
        "updated_at": from_unix(order.get("update_time")),
        "currency": currency,
        "customer": {
            "buyer_id": _text(order.get("buyer_user_id")),
            "name": order.get("buyer_username") or address.get("name"),
            "phone": address.get("phone"),
        },
        "shipping_address": {
            "name": address.get("name"),
            "phone": address.get("phone"),
            "street": address.get("full_address"),
            # Shopee VN: state is the province, city the district, district the ward.
            "ward": address.get("district") or address.get("town"),
            "district": address.get("city"),
            "province": address.get("state"),
            "country": address.get("region") or order.get("region") or "VN",
        },
        "lines": lines,
        "shipping_fee": amount(shipping, currency),
        "payment_method": "cod"
        if order.get("cod") or order.get("payment_method") in COD_METHODS
        else "prepaid",
        "pay_by": None,
        "ship_by": from_unix(order.get("ship_by_date")),
        "note": order.get("message_to_seller") or order.get("note") or None,
        "cancel_requested": order.get("order_status") == "IN_CANCEL",
        "returns": returns,
        "tracking_number": tracking_number or None,
        # RETRY_SHIP: "3PL pickup parcel fail. Need to re arrange shipment."
        "pickup_failed": order.get("order_status") == "RETRY_SHIP",
        # cancel_by: buyer, seller, system or Ops.
        "cancelled_by_buyer": status == "cancelled" and order.get("cancel_by") == "buyer",
    }


def _return(entry):
    return {
        "return_id": _text(entry["return_sn"]),
        "status": RETURN_STATUSES.get(entry.get("status"), "requested"),
        "lines": [
            {
                "sku": item.get("variation_sku")
                or item.get("item_sku")
                or f"{item['item_id']}:{item.get('model_id') or 0}",
                "quantity": json_number(item.get("amount") or 0),
            }
            for item in entry.get("item") or []
        ],
        "refund_amount": amount(
            Decimal(str(entry.get("refund_amount") or 0)), entry.get("currency") or "VND"
        ),
    }


def _line(item):
    return {
        "line_id": _text(item.get("order_item_id")) + ":" + _text(item.get("model_id") or 0),
        "sku": item.get("model_sku")
        or item.get("item_sku")
        or f"{item['item_id']}:{item.get('model_id') or 0}",
        "name": " ".join(filter(None, (item.get("item_name"), item.get("model_name")))),
        "quantity": Decimal(str(item.get("model_quantity_purchased") or 0)),
        "unit_price": Decimal(str(item.get("model_original_price") or 0)),
        "deal_price": Decimal(
            str(item.get("model_discounted_price") or item.get("model_original_price") or 0)
        ),
        "seller_discount": Decimal(0),
        "platform_discount": Decimal(0),
    }


def _text(value):
    return str(value) if value not in (None, "") else ""
