"""Shopify REST Admin order → normalized order.

Shopify has no single status: payment (``financial_status``), fulfilment and cancellation say
together how far the order is. Discounts are the shop's (Shopify funds none).
"""

from decimal import Decimal

from .order_lines import amount, finish_lines


def map_order(order):
    currency = order.get("currency") or "VND"
    customer = order.get("customer") or {}
    address = order.get("shipping_address") or {}
    shipping = sum(Decimal(line.get("price") or 0) for line in order.get("shipping_lines") or [])
    return {
        "external_id": str(order["id"]),
        "status": order_status(order),
        "created_at": order.get("created_at"),
        "updated_at": order.get("updated_at"),
        "currency": currency,
        "customer": {
            "buyer_id": str(customer["id"]) if customer.get("id") else None,
            "name": " ".join(filter(None, (customer.get("last_name"), customer.get("first_name")))) or None,
            "phone": customer.get("phone") or order.get("phone"),
            "email": customer.get("email") or order.get("email"),
        },
        "shipping_address": {
            "name": " ".join(filter(None, (address.get("last_name"), address.get("first_name")))) or None,
            "phone": address.get("phone"),
            "street": address.get("address1"),
            "ward": address.get("address2"),
            "district": address.get("city"),
            "province": address.get("province"),
            "country": address.get("country_code") or "VN",
        },
        "lines": finish_lines(
            [_line(item) for item in order.get("line_items") or []],
            currency,
            seller_voucher=_order_discount(order),
        ),
        "shipping_fee": amount(shipping, currency),
        "payment_method": "cod" if _is_cod(order) else "prepaid",
        "note": order.get("note") or None,
    }


def order_status(order):
    if order.get("cancelled_at"):
        return "cancelled"
    if order.get("financial_status") in ("refunded",) or order.get("fulfillment_status") == "restocked":
        return "returned"
    if order.get("fulfillment_status") == "fulfilled":
        return "completed" if order.get("closed_at") else "shipped"
    if order.get("fulfillment_status") == "partial":
        return "shipped"
    if order.get("financial_status") in ("paid", "partially_refunded", "authorized"):
        return "ready_to_ship"
    # A cash-on-delivery order stays "pending" payment until delivered, yet is there to be shipped.
    if order.get("financial_status") == "pending" and _is_cod(order):
        return "ready_to_ship"
    return "unpaid"


def _is_cod(order):
    return "cod" in " ".join(order.get("payment_gateway_names") or []).lower()


def _order_discount(order):
    """Order-level discounts: the total less what the lines already carry."""
    lines = sum(Decimal(item.get("total_discount") or 0) for item in order.get("line_items") or [])
    return max(Decimal(0), Decimal(order.get("total_discounts") or 0) - lines)


def _line(item):
    return {
        "line_id": str(item["id"]),
        "sku": item.get("sku") or str(item.get("variant_id")),
        "name": " ".join(filter(None, (item.get("title"), item.get("variant_title")))),
        "quantity": Decimal(item.get("quantity") or 0),
        "unit_price": Decimal(item.get("price") or 0),
        "deal_price": None,
        "seller_discount": Decimal(item.get("total_discount") or 0),
        "platform_discount": Decimal(0),
    }
