"""Order lines as every mapper builds them: prices, discounts, vouchers, one line per SKU.

A mapper collects raw lines as dicts (``line_id``, ``sku``, ``name``, ``quantity``, ``unit_price``
and ``deal_price`` as Decimals or None, ``seller_discount``, ``platform_discount``) and calls
`finish_lines`, which prices them, merges the lines of one SKU and price (platforms that list every
unit on a line of its own), spreads order-level vouchers and rounds money to the currency.
"""

from decimal import ROUND_DOWN, Decimal

ZERO_DECIMAL_CURRENCIES = ("VND", "JPY", "KRW")


def finish_lines(lines, currency, seller_voucher=0, platform_voucher=0):
    """The normalized order's ``lines`` of raw lines, with order-level vouchers spread over them."""
    lines = merge_lines([price_line(line) for line in lines])
    spread(lines, "seller_discount", Decimal(seller_voucher), currency)
    spread(lines, "platform_discount", Decimal(platform_voucher), currency)
    return [line_output(line, currency) for line in lines]


def price_line(line):
    """Original price is the unit price; what the deal takes off it is the seller's discount."""
    unit, deal = line.pop("unit_price"), line.pop("deal_price")
    unit = deal if unit is None else unit
    deal = unit if deal is None else deal
    unit = max(unit, deal)
    line["unit_price"] = unit
    line["seller_discount"] += (unit - deal) * line["quantity"]
    line["sold"] = deal * line["quantity"]
    return line


def merge_lines(lines):
    """One line per SKU and price: exports that list every unit on a row of its own add up."""
    merged = {}
    for line in lines:
        if line["line_id"]:
            key = ("line", line["line_id"])
        else:
            key = (
                "sku",
                line["sku"],
                line["unit_price"],
                line["sold"] / line["quantity"] if line["quantity"] else 0,
            )
        if key in merged:
            kept = merged[key]
            for field in ("quantity", "seller_discount", "platform_discount", "sold"):
                kept[field] += line[field]
            if line.get("cancelled_quantity"):
                kept["cancelled_quantity"] = kept.get("cancelled_quantity", 0) + line["cancelled_quantity"]
        else:
            merged[key] = line
    return list(merged.values())


def spread(lines, field, amount, currency):
    """Spread an order-level amount over the lines in proportion to what they sell for."""
    if not amount:
        return
    unit = currency_unit(currency)
    amount = amount.quantize(unit)
    total = sum(line["sold"] for line in lines)
    if total <= 0:
        lines[0][field] += amount
        return
    shares = [(amount * line["sold"] / total).quantize(unit, rounding=ROUND_DOWN) for line in lines]
    rest = int((amount - sum(shares)) / unit)
    by_remainder = sorted(
        range(len(lines)), key=lambda i: amount * lines[i]["sold"] / total - shares[i], reverse=True
    )
    for i in by_remainder[:rest]:
        shares[i] += unit
    for line, share in zip(lines, shares, strict=True):
        line[field] += share


def line_output(line, currency):
    # Units the platform cancelled, when some were (the raw line's ``cancelled_quantity``).
    cancelled = (
        {"cancelled_quantity": json_number(line["cancelled_quantity"])}
        if line.get("cancelled_quantity")
        else {}
    )
    return cancelled | {
        "line_id": line["line_id"],
        "sku": line["sku"],
        "name": line["name"],
        "quantity": json_number(line["quantity"]),
        "unit_price": amount(line["unit_price"], currency),
        "seller_discount": amount(line["seller_discount"], currency),
        "platform_discount": amount(line["platform_discount"], currency),
    }


def currency_unit(currency):
    return Decimal(1) if currency in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")


def amount(value, currency):
    """Money for the JSON payload: rounded to the currency's smallest unit."""
    return json_number(Decimal(value).quantize(currency_unit(currency)))


def json_number(value):
    """An int when whole, else the exact decimal as a string (what the schema's Decimal accepts)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return str(value.normalize())
