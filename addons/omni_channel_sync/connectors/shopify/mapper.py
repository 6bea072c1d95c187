"""Shopify GraphQL Admin order → normalized order.

Shopify has no single status: payment (``displayFinancialStatus``), fulfilment and cancellation say
together how far the order is; its refunds are the returns. Discounts are the shop's (Shopify funds
none). Ids are GraphQL ids; the normalized order keeps their numbers, as the REST API and webhooks
show them.
"""

from decimal import Decimal

from ..normalized_order import whole_return_status
from ..order_lines import amount, finish_lines, json_number


def map_order(order):
    currency = order.get("currencyCode") or "VND"
    customer = order.get("customer") or {}
    address = order.get("shippingAddress") or {}
    shipping = sum(_money(line.get("originalPriceSet")) for line in _nodes(order.get("shippingLines")))
    raw_lines = [_line(item) for item in _nodes(order.get("lineItems"))]
    skus = {line["line_id"]: line["sku"] for line in raw_lines}
    lines = finish_lines(raw_lines, currency, seller_voucher=_order_discount(order))
    returns = [_return(refund, currency, skus) for refund in order.get("refunds") or []]
    returns = [entry for entry in returns if entry["lines"]]
    tracking = [
        info["number"] for done in order.get("fulfillments") or [] for info in done.get("trackingInfo") or []
    ]
    status = order_status(order)
    return {
        "external_id": _number(order["id"]),
        "status": whole_return_status(lines, returns) if returns and status != "cancelled" else status,
        "created_at": order.get("createdAt"),
        "updated_at": order.get("updatedAt"),
        "currency": currency,
        "customer": {
            "buyer_id": _number(customer["id"]) if customer.get("id") else None,
            "name": " ".join(filter(None, (customer.get("lastName"), customer.get("firstName")))) or None,
            "phone": customer.get("phone") or order.get("phone"),
            "email": customer.get("email") or order.get("email"),
        },
        "shipping_address": {
            "name": " ".join(filter(None, (address.get("lastName"), address.get("firstName")))) or None,
            "phone": address.get("phone"),
            "street": address.get("address1"),
            "ward": address.get("address2"),
            "district": address.get("city"),
            "province": address.get("province"),
            "country": address.get("countryCodeV2") or "VN",
        },
        "lines": lines,
        "shipping_fee": amount(shipping, currency),
        "payment_method": "cod" if _is_cod(order) else "prepaid",
        "note": order.get("note") or None,
        "returns": returns,
        "tracking_number": tracking[-1] if tracking else None,
    }


def order_status(order):
    financial, fulfilment = order.get("displayFinancialStatus"), order.get("displayFulfillmentStatus")
    if order.get("cancelledAt"):
        return "cancelled"
    if financial == "REFUNDED" or fulfilment == "RESTOCKED":
        return "returned"
    if fulfilment == "FULFILLED":
        return "completed" if order.get("closedAt") else "shipped"
    if fulfilment == "PARTIALLY_FULFILLED":
        return "shipped"
    if financial in ("PAID", "PARTIALLY_REFUNDED", "AUTHORIZED", "PARTIALLY_PAID"):
        return "ready_to_ship"
    # A cash-on-delivery order stays "pending" payment until delivered, yet is there to be shipped.
    if financial == "PENDING" and _is_cod(order):
        return "ready_to_ship"
    return "unpaid"


def _is_cod(order):
    return "cod" in " ".join(order.get("paymentGatewayNames") or []).lower()


def _order_discount(order):
    """Order-level discounts: the total less what the lines already carry."""
    lines = sum(_money(item.get("totalDiscountSet")) for item in _nodes(order.get("lineItems")))
    return max(Decimal(0), _money(order.get("totalDiscountsSet")) - lines)


def _line(item):
    return {
        "line_id": _number(item["id"]),
        "sku": item.get("sku") or _number((item.get("variant") or {}).get("id") or item["id"]),
        "name": " ".join(filter(None, (item.get("title"), item.get("variantTitle")))),
        "quantity": Decimal(item.get("quantity") or 0),
        "unit_price": _money(item.get("originalUnitPriceSet")),
        "deal_price": None,
        "seller_discount": _money(item.get("totalDiscountSet")),
        "platform_discount": Decimal(0),
    }


def _return(refund, currency, skus):
    """A refund, with the units it gave money back for (``skus``: the order's SKU per line id): a
    return that is refunded."""
    return {
        "return_id": _number(refund["id"]),
        "status": "refunded",
        "lines": [
            {
                "line_id": _number(entry["lineItem"]["id"]),
                "sku": skus.get(_number(entry["lineItem"]["id"])),
                "quantity": json_number(entry["quantity"]),
            }
            for entry in _nodes(refund.get("refundLineItems"))
            if entry.get("quantity") and _number(entry["lineItem"]["id"]) in skus
        ],
        "refund_amount": amount(_money(refund.get("totalRefundedSet")), currency),
    }


def _nodes(connection):
    return (connection or {}).get("nodes") or []


def _money(money_bag):
    return Decimal(((money_bag or {}).get("shopMoney") or {}).get("amount") or 0)


def _number(gid):
    """The number at the end of a GraphQL id (``gid://shopify/Order/123`` → ``"123"``)."""
    return str(gid).rsplit("/", 1)[-1]
