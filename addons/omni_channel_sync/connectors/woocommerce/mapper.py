"""WooCommerce REST v3 order → normalized order. Coupons are the shop's own discounts.

WooCommerce has no cancellation of items nor returns of its own, only the store's refunds
(``/orders/<id>/refunds``). Units a refund names before the order is completed are cancelled; after,
the refund is a return, refunded as much as its amount. Refunds of money alone are returns only when
they pay the whole order back: they take back the units no other refund named. An order refunded in
whole before it was completed is cancelled.
"""

from datetime import datetime
from decimal import Decimal

from ..normalized_order import whole_return_status
from ..order_lines import amount, finish_lines, json_number

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


def map_order(order, refunds=()):
    """The normalized order of a WooCommerce ``order`` and its ``refunds`` (``/orders/<id>/refunds``)."""
    currency = order.get("currency") or "VND"
    billing = order.get("billing") or {}
    shipping = order.get("shipping") or {}
    lines = finish_lines(_lines(order, refunds), currency)
    status, returns = _status_and_returns(order, refunds, lines, currency)
    return {
        "external_id": str(order["id"]),
        "status": status,
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
        "lines": lines,
        "shipping_fee": amount(Decimal(order.get("shipping_total") or 0), currency),
        "payment_method": "cod" if order.get("payment_method") == "cod" else "prepaid",
        "note": order.get("customer_note") or None,
        "returns": returns,
        "delivery_failed": _delivery_failed(order),
    }


def _lines(order, refunds):
    """The raw lines, the units refunded before the order was completed cancelled."""
    lines = [_line(item) for item in order.get("line_items") or []]
    by_id = {line["line_id"]: line for line in lines}
    for refund in refunds:
        if _returned(order, refund):
            continue
        for item in refund.get("line_items") or []:
            line = by_id.get(_refunded_item(item)) or next(
                (line for line in lines if line["sku"] == item.get("sku")), None
            )
            if line:
                line["cancelled_quantity"] = min(
                    line["quantity"],
                    line.get("cancelled_quantity", 0) + abs(Decimal(item.get("quantity") or 0)),
                )
    return lines


def _delivery_failed(order):
    """ "failed" is a payment that failed, unless the seller sets it on an order it completed: then
    the parcel came back (Odoo does so when a carrier returns it to the sender)."""
    return order.get("status") == "failed" and bool(order.get("date_completed_gmt"))


def _status_and_returns(order, refunds, lines, currency):
    status = "completed" if _delivery_failed(order) else STATUSES.get(order.get("status"), "pending")
    completed = bool(order.get("date_completed_gmt"))
    if status == "returned" and not completed:
        return "cancelled", []  # paid back in whole before it was completed
    returns, money_only = [], []
    for refund in sorted(refunds, key=lambda refund: refund["id"]):
        if not _returned(order, refund):
            continue
        items = [item for item in refund.get("line_items") or [] if item.get("quantity")]
        if items:
            returns.append(_return(refund, items, lines, currency))
        else:
            money_only.append(refund)
    if status == "returned" and money_only:
        whole = _whole_return(money_only, lines, returns, currency)
        returns += [whole] if whole else []
    if returns and status in ("completed", "returned"):
        status = whole_return_status(lines, returns)
    return status, returns


def _returned(order, refund):
    """A refund made once the order was completed: a return, not a cancellation."""
    completed = order.get("date_completed_gmt")
    return bool(completed) and _moment(refund.get("date_created_gmt")) >= _moment(completed)


def _return(refund, items, lines, currency):
    skus = {line["line_id"]: line["sku"] for line in lines}
    return {
        "return_id": str(refund["id"]),
        "status": "refunded",
        "lines": [
            {
                "line_id": _refunded_item(item),
                "sku": skus.get(_refunded_item(item)) or item.get("sku") or str(item.get("product_id")),
                "quantity": json_number(abs(Decimal(item["quantity"]))),
            }
            for item in items
        ],
        "refund_amount": amount(Decimal(refund.get("amount") or 0), currency),
    }


def _whole_return(refunds, lines, returns, currency):
    """Money alone that paid the order back in whole: the units no other refund took back."""
    left = {
        line["line_id"]: Decimal(str(line["quantity"])) - Decimal(str(line.get("cancelled_quantity") or 0))
        for line in lines
    }
    for entry in returns:
        for line in entry["lines"]:
            if line["line_id"] in left:
                left[line["line_id"]] -= Decimal(str(line["quantity"]))
    kept = [
        {"line_id": line["line_id"], "sku": line["sku"], "quantity": json_number(left[line["line_id"]])}
        for line in lines
        if left[line["line_id"]] > 0
    ]
    if not kept:
        return None
    paid = sum(Decimal(refund.get("amount") or 0) for refund in refunds)
    return {
        "return_id": str(refunds[-1]["id"]),
        "status": "refunded",
        "lines": kept,
        "refund_amount": amount(paid, currency),
    }


def _refunded_item(item):
    """The id of the order's item a refund's item pays back (its ``_refunded_item_id``)."""
    meta = {entry.get("key"): entry.get("value") for entry in item.get("meta_data") or []}
    return str(meta.get("_refunded_item_id") or "")


def _moment(text):
    return datetime.fromisoformat(text) if text else datetime.min


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
