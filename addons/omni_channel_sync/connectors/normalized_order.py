"""The normalized order: what every mapper produces and `api_ingest_orders` accepts.

One schema for every channel, so that validation errors read the same wherever an order comes
from. Money is in the order's currency (VND has no decimals); timestamps are UTC.
"""

import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .payload import PayloadError, check_payload

STATUSES = ("unpaid", "pending", "ready_to_ship", "shipped", "completed", "cancelled", "returned")
Status = Literal["unpaid", "pending", "ready_to_ship", "shipped", "completed", "cancelled", "returned"]

Text = Annotated[str, Field(max_length=1024)]
Money = Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=6)]
# Dates an order can carry; beyond them a date is a mistake, and date arithmetic would overflow.
EARLIEST, LATEST = datetime(1970, 1, 1), datetime(2100, 1, 1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)


class Customer(_Strict):
    buyer_id: Text | None = None
    name: Text | None = None
    phone: Text | None = None
    email: Text | None = None


class Address(_Strict):
    name: Text | None = None
    phone: Text | None = None
    street: Text | None = None
    ward: Text | None = None
    district: Text | None = None
    province: Text | None = None
    country: Annotated[str, Field(min_length=2, max_length=2)] = "VN"


class Line(_Strict):
    line_id: Text | None = None
    sku: Annotated[str, Field(min_length=1, max_length=255)]
    name: Text | None = None
    quantity: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=4)]
    unit_price: Money
    seller_discount: Money = Decimal(0)
    platform_discount: Money = Decimal(0)
    # Units the platform cancelled (out of stock, the buyer's request) while the rest goes on.
    cancelled_quantity: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)] = Decimal(0)


class ReturnLine(_Strict):
    line_id: Text | None = None
    sku: Annotated[str, Field(min_length=1, max_length=255)]
    quantity: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=4)]


class Return(_Strict):
    """A buyer's return of some of the order's goods: requested (the goods come back), then refunded
    (the platform paid the buyer back), or cancelled."""

    return_id: Annotated[str, Field(min_length=1, max_length=128)]
    status: Literal["requested", "refunded", "cancelled"]
    lines: Annotated[list[ReturnLine], Field(min_length=1, max_length=1000)]
    refund_amount: Money = Decimal(0)


class Order(_Strict):
    external_id: Annotated[str, Field(min_length=1, max_length=128)]
    status: Status
    created_at: datetime | None = None
    updated_at: datetime | None = None
    currency: Annotated[str, Field(min_length=3, max_length=3)] = "VND"
    customer: Customer = Customer()
    shipping_address: Address | None = None
    lines: Annotated[list[Line], Field(min_length=1, max_length=1000)]
    shipping_fee: Money = Decimal(0)
    payment_method: Literal["cod", "prepaid"] = "prepaid"
    pay_by: datetime | None = None
    ship_by: datetime | None = None
    pickup_store: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    note: Annotated[str, Field(max_length=10000)] | None = None
    # The buyer asked to cancel; the seller accepts or rejects on the platform.
    cancel_requested: bool = False
    # The platform's id of that request, where answering it needs one (TikTok's cancel_id).
    cancel_request_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    returns: Annotated[list[Return], Field(max_length=1000)] = []
    # The carrier's tracking number, when the platform gives it after the shipment was booked.
    tracking_number: Annotated[str, Field(max_length=128)] | None = None
    # The carrier could not pick the parcel up: the shipment is to be arranged again.
    pickup_failed: bool = False
    # The platform says the buyer cancelled the order (not the seller, nor the platform itself).
    cancelled_by_buyer: bool = False
    # The carrier could not deliver the parcel (refused, nobody there): it goes back to the seller.
    delivery_failed: bool = False

    @field_validator("currency")
    @classmethod
    def _upper(cls, value):
        return value.upper()

    @field_validator("created_at", "updated_at", "pay_by", "ship_by")
    @classmethod
    def _utc(cls, value):
        """Naive timestamps are UTC; aware ones are converted to UTC."""
        if value is None:
            return value
        if value.tzinfo is not None:
            try:
                value = value.astimezone(timezone.utc).replace(tzinfo=None)
            except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first representable instant
                value = None
        if value is None or not EARLIEST <= value < LATEST:
            raise ValueError(f"must be from {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d} (UTC)")
        return value


def whole_return_status(lines, returns):
    """The status of an order the platform says is being returned, from the mapped ``lines`` and
    ``returns``: ``returned`` when its returns (cancelled ones aside) take back every unit the buyer
    kept, else ``completed``: the returns say which units come back."""
    kept = {}
    for line in lines:
        left = Decimal(str(line["quantity"])) - Decimal(str(line.get("cancelled_quantity") or 0))
        kept[line["sku"]] = kept.get(line["sku"], 0) + left
    for entry in returns:
        if entry["status"] != "cancelled":
            for line in entry["lines"]:
                kept[line["sku"]] = kept.get(line["sku"], 0) - Decimal(str(line["quantity"]))
    return "returned" if all(left <= 0 for left in kept.values()) else "completed"


def parse_order_json(text):
    """`parse_order` of a stored JSON text; whatever the text holds, the answer is an `Order` or an
    `OrderError`."""
    try:
        payload = json.loads(text)
    except RecursionError:
        raise OrderError(["the order is nested too deeply"]) from None
    except ValueError as error:
        raise OrderError([f"not JSON: {error}"]) from None
    return parse_order(payload)


def parse_order(payload):
    """Return the validated `Order` of a dict, or raise `OrderError` saying what is wrong where."""
    try:
        check_payload(payload)
    except PayloadError as error:
        raise OrderError([str(error)]) from None
    return validate_order(payload)


def validate_order(payload):
    """`parse_order` of a payload `check_payload` passed already (where it came in)."""
    if not isinstance(payload, dict):
        raise OrderError(["the order must be an object (a dict)"])
    try:
        return Order.model_validate(payload)
    except ValidationError as error:
        raise OrderError([_describe(issue) for issue in error.errors()]) from None


def _describe(issue):
    where = ".".join(str(part) for part in issue["loc"]) or "order"
    return f"{where}: {issue['msg']}"


class OrderError(ValueError):
    """An order that does not follow the normalized schema; `problems` lists each issue."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))
