"""Tiki Open API v2 order → normalized order. Times are Vietnam local time without an offset.

Items the seller did not confirm (``confirmation.status`` ``seller_canceled``) are cancelled while the
rest goes on. Tiki's return requests have no API: a ``returned`` order is one return of every item kept,
refunded (Tiki refunds the buyer once the goods are back), named after the order."""

from decimal import Decimal

from ..order_lines import amount, finish_lines, json_number
from ..timestamps import from_local

STATUSES = {
    "waiting_payment": "unpaid",
    "payment_review": "pending",
    "holded": "pending",
    # Assumption (the documents list statuses, not their meanings): waiting for the seller's
    # confirmation, the goods promised.
    "queueing": "ready_to_ship",
    "processing": "ready_to_ship",
    "picking": "ready_to_ship",
    "packaging": "ready_to_ship",
    "finished_packing": "ready_to_ship",
    "ready_to_ship": "ready_to_ship",
    "paid": "ready_to_ship",
    "handover_to_partner": "shipped",
    "shipping": "shipped",
    "delivered": "shipped",
    "successful_delivery": "completed",
    "complete": "completed",
    "closed": "completed",
    "canceled": "cancelled",
    "returned": "returned",
}


def map_order(order):
    address = (order.get("shipping") or {}).get("address") or order.get("billing_address") or {}
    customer = order.get("customer") or {}
    invoice = order.get("invoice") or {}
    payment = order.get("payment") or {}
    status = STATUSES.get(order.get("status"), "pending")
    return {
        "external_id": str(order["code"]),
        "status": status,
        "created_at": from_local(order.get("created_at")),
        "updated_at": from_local(order.get("updated_at")),
        "currency": "VND",
        "customer": {
            "buyer_id": str(customer["id"]) if customer.get("id") else None,
            "name": customer.get("full_name") or address.get("full_name"),
            "phone": address.get("phone"),
        },
        "shipping_address": {
            "name": address.get("full_name"),
            "phone": address.get("phone"),
            "street": address.get("street"),
            "ward": address.get("ward"),
            "district": address.get("district"),
            "province": address.get("region"),
            "country": address.get("country_id") or "VN",
        },
        "lines": finish_lines([_line(item) for item in order.get("items") or []], "VND"),
        "shipping_fee": amount(Decimal(invoice.get("shipping_amount_after_discount") or 0), "VND"),
        "payment_method": "cod" if payment.get("method") == "cod" else "prepaid",
        "note": None,
        "returns": _returns(order) if status == "returned" else [],
    }


def _returns(order):
    """The whole order back, refunded: every item kept, at what the buyer paid for it."""
    kept = [item for item in order.get("items") or [] if not _cancelled(item)]
    paid = sum(
        Decimal(str((item.get("invoice") or {}).get(field) or 0)) * sign
        for item in kept
        for field, sign in (("row_total", 1), ("discount_amount", -1))
    )
    lines = [
        {
            "line_id": str(item["id"]),
            "sku": _sku(item),
            "quantity": json_number(Decimal(item.get("qty") or 0)),
        }
        for item in kept
    ]
    if not lines:
        return []
    return [
        {
            "return_id": str(order["code"]),
            "status": "refunded",
            "lines": lines,
            "refund_amount": amount(paid, "VND"),
        }
    ]


def _cancelled(item):
    return (item.get("confirmation") or {}).get("status") == "seller_canceled"


def _sku(item):
    product = item.get("product") or {}
    return product.get("seller_product_code") or product.get("sku") or str(product.get("id"))


def _line(item):
    product = item.get("product") or {}
    line_invoice = item.get("invoice") or {}
    return {
        "line_id": str(item["id"]),
        "sku": _sku(item),
        "name": product.get("name"),
        "quantity": Decimal(item.get("qty") or 0),
        "cancelled_quantity": Decimal(item.get("qty") or 0) if _cancelled(item) else Decimal(0),
        "unit_price": Decimal(str(item.get("price") or 0)),
        "deal_price": None,
        "seller_discount": Decimal(str(line_invoice.get("discount_amount") or 0)),
        "platform_discount": Decimal(0),
    }
