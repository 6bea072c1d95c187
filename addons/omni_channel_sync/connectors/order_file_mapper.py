"""Order export files (XLSX or CSV) → normalized orders.

Reads the order export of Shopee's Seller Centre, with its Vietnamese or its English headers, or
our own "generic" layout whose headers are the field names of `COLUMNS`, so that any channel's
orders can be imported from a spreadsheet. An export has one row per order line and repeats the
order's columns on every line: rows are grouped by order id and the order's columns are read from
its first row.

Money is VND unless the generic layout says otherwise; dates without a time zone are Vietnam local
time (UTC+7) and come out as ISO strings in UTC. Order-level vouchers are spread over the order's
lines in proportion to what each line sells for (deal price times quantity), rounded to the currency's
smallest unit, the rounding rest going to the largest shares.

`read_order_file` returns `(orders, problems)`. A row that cannot be read is never dropped: its
order (or the row, when it has no order id) becomes a problem that names the spreadsheet rows, so
that the caller can store it as a failed record. Messages are English templates marked with `_`
and their parameters, so that the caller can translate them.
"""

import csv
import io
import re
import unicodedata
import zipfile
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .order_lines import amount, finish_lines
from .timestamps import VIETNAM_TZ

HEADER_SCAN_ROWS = 20
LAYOUTS = ("shopee_vi", "shopee_en", "generic")


def _(message):
    """Mark a message for translation; the caller translates it with its parameters."""
    return message


LAYOUT_NAMES = {
    "shopee_vi": _("the Shopee export with Vietnamese headers"),
    "shopee_en": _("the Shopee export with English headers"),
    "generic": _("the generic layout"),
}


# Our field: (Shopee Vietnamese headers, Shopee English headers). The generic layout's header of a
# field is the field's own name. When a field lists several headers, the first non-empty cell wins:
# Shopee leaves "SKU phân loại hàng" empty for a product without variations, for instance.
COLUMNS = {
    # order columns, read from the order's first row
    "external_id": (("Mã đơn hàng",), ("Order ID",)),
    "status": (("Trạng Thái Đơn Hàng",), ("Order Status",)),
    "created_at": (("Ngày đặt hàng",), ("Order Creation Date",)),
    # the latest event of the order first, so that an older export never overrides a newer one
    "updated_at": (
        ("Thời gian hoàn thành đơn hàng", "Ngày gửi hàng", "Thời gian đơn hàng được thanh toán"),
        ("Order Complete Time", "Ship Time", "Order Paid Time"),
    ),
    "pay_by": ((), ()),
    "currency": ((), ()),
    "buyer_id": (("Người Mua",), ("Username (Buyer)",)),
    "customer_name": ((), ()),
    "email": ((), ()),
    "shipping_name": (("Tên Người nhận",), ("Receiver Name",)),
    "phone": (("Số điện thoại",), ("Phone Number",)),
    "street": (("Địa chỉ nhận hàng",), ("Delivery Address",)),
    "ward": (("Phường/Xã", "Quận"), ("Town", "District")),
    "district": (("TP / Quận / Huyện",), ("City",)),
    "province": (("Tỉnh/Thành phố",), ("Province",)),
    "country": ((), ()),
    "seller_voucher": (("Mã giảm giá của Shop", "Shop Voucher"), ("Seller Voucher", "Shop Voucher")),
    "platform_voucher": (("Mã giảm giá của Shopee", "Shopee Voucher"), ("Shopee Voucher",)),
    "shipping_fee": (
        ("Phí vận chuyển mà người mua trả", "Phí vận chuyển (dự kiến)"),
        ("Buyer Paid Shipping Fee", "Estimated Shipping Fee"),
    ),
    "payment_method": (("Phương thức thanh toán",), ("Payment Method",)),
    "note": (("Nhận xét từ Người mua", "Ghi chú"), ("Remark from buyer", "Note")),
    # line columns, read from every row
    "line_id": ((), ()),
    "sku": (("SKU phân loại hàng", "SKU sản phẩm"), ("SKU Reference No.", "Parent SKU Reference No.")),
    "name": (("Tên sản phẩm",), ("Product Name",)),
    "variation": (("Tên phân loại hàng",), ("Variation Name",)),
    "quantity": (("Số lượng",), ("Quantity",)),
    "unit_price": (("Giá gốc",), ("Original Price",)),
    "deal_price": (("Giá ưu đãi",), ("Deal Price",)),
    "seller_discount": ((), ()),
    "platform_discount": ((), ()),
}
REQUIRED = ("external_id", "status", "sku", "quantity")
PRICE_FIELDS = ("unit_price", "deal_price")

# Channel statuses (any layout) → normalized status. Keys are matched like headers.
STATUSES = {
    "unpaid": ("unpaid", "Chờ xác nhận", "Chờ thanh toán"),
    "pending": ("pending",),
    "ready_to_ship": ("ready_to_ship", "Chờ lấy hàng", "Chờ giao hàng", "To ship", "Ready to ship"),
    "shipped": ("shipped", "Đang giao", "Đang giao hàng", "Shipping", "To receive"),
    "completed": ("completed", "Đã giao", "Hoàn thành", "Delivered"),
    "cancelled": ("cancelled", "Đã hủy", "Đơn hủy", "Canceled"),
    "returned": ("returned", "Trả hàng/Hoàn tiền", "Trả hàng", "Hoàn tiền", "Return/Refund", "Refunded"),
}
EMPTY_TEXTS = ("", "-", "--")
COD_MARKERS = ("cod", "thanh toan khi nhan hang", "cash on delivery")
NOT_A_NUMBER = _('Row %(row)s: "%(value)s" in column "%(column)s" is not a number.')
NOT_A_DATE = _('Row %(row)s: "%(value)s" in column "%(column)s" is not a date.')


class OrderFileError(ValueError):
    """A file that cannot be read as an order export at all; `message % params` says why.

    A `layout` parameter is one of `LAYOUT_NAMES`, to be translated too.
    """

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(message % params)


def read_order_file(content, filename=""):
    """Read an order export; return `(orders, problems)`.

    `orders` are normalized order dicts (see `normalized_order`), one per order id, in file order.
    Each problem is a dict: `row` (the first spreadsheet row at fault), `rows` (all rows of the
    order), `external_id` (or None), `error` (English text), `messages` (a list of
    `(template, params)` to translate) and `raw` (the rows as read, for the failed record).
    Raise `OrderFileError` when the file is not a readable export of a known layout.
    """
    filename = filename or "file"
    if not content:
        raise OrderFileError(_("%(file)s is empty."), file=filename)
    rows = _read_rows(content, filename)
    layout, columns, headers = _find_header(rows, filename)
    groups, problems = {}, []
    for number, cells in rows:
        if not any(_is_set(cell) for cell in cells):
            continue
        raw = {"row": number, "cells": _raw_cells(headers, cells)}
        external_id = _text(_pick(cells, columns.get("external_id")))
        if not external_id:
            message = (_("Row %(row)s has no order id."), {"row": number})
            problems.append(_problem([raw], None, [(number, message)], filename, layout))
            continue
        groups.setdefault(external_id, []).append((number, cells, raw))
    orders = []
    for external_id, group in groups.items():
        order, errors = _build_order(external_id, group, columns, headers)
        if errors:
            raws = [raw for _number, _cells, raw in group]
            problems.append(_problem(raws, external_id, errors, filename, layout))
        else:
            orders.append(order)
    problems.sort(key=lambda problem: problem["row"])
    return orders, problems


# --- reading the file ------------------------------------------------------------------------


def _read_rows(content, filename):
    """Return the rows of the file as `[(spreadsheet row number, [cell, ...]), ...]`."""
    if content[:4] == b"PK\x03\x04":
        return _read_xlsx(content, filename)
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise OrderFileError(
            _(
                "%(file)s is an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV UTF-8 and import it "
                "again."
            ),
            file=filename,
        )
    return _read_csv(content, filename)


# What openpyxl raises on a damaged workbook, when opening it or reading its sheets (a sheet's XML
# that does not parse is a SyntaxError).
UNREADABLE_XLSX = (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError)


def _read_xlsx(content, filename):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return _read_sheets(workbook)
    except UNREADABLE_XLSX as error:
        raise OrderFileError(
            _("%(file)s cannot be read as an Excel workbook (.xlsx): %(error)s"),
            file=filename,
            error=str(error),
        ) from None


def _read_sheets(workbook):
    try:
        first = None
        for sheet in workbook.worksheets:
            # Some exporters write a wrong sheet size: read whatever rows the sheet holds.
            sheet.reset_dimensions()
            rows = [
                (number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), 1)
            ]
            # The first sheet with a known header row, else the first sheet (for the error).
            if _header_index(rows) is not None:
                return rows
            first = rows if first is None else first
        return first or []
    finally:
        workbook.close()


def _read_csv(content, filename):
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        raise OrderFileError(
            _("%(file)s is neither an Excel workbook (.xlsx) nor a UTF-8 text file: save it as CSV UTF-8."),
            file=filename,
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    # Numbered by record, as a spreadsheet numbers its rows (a quoted cell may span lines).
    return [(number, cells) for number, cells in enumerate(reader, 1)]


def _sniff_delimiter(text):
    sample = "\n".join(text.splitlines()[:HEADER_SCAN_ROWS])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        return max(",;\t", key=first.count)


def _find_header(rows, filename):
    """Return `(layout, {field: [column, ...]}, headers)` of the header row; drop the rows above it."""
    index = _header_index(rows)
    if index is None:
        raise OrderFileError(
            _(
                "No header row was found in the first %(count)s rows of %(file)s: the order id column "
                "must be named %(names)s."
            ),
            count=HEADER_SCAN_ROWS,
            file=filename,
            names=_alternatives(("external_id",)),
        )
    headers = [_text(cell) for cell in rows[index][1]]
    layout, columns = _match_layout(headers)
    missing = [_alternatives((field,), layout) for field in REQUIRED if field not in columns]
    if not any(field in columns for field in PRICE_FIELDS):
        missing.append(_alternatives(PRICE_FIELDS, layout))
    if missing:
        raise OrderFileError(
            _("%(file)s reads as %(layout)s but misses these columns: %(columns)s."),
            file=filename,
            layout=LAYOUT_NAMES[layout],
            columns="; ".join(missing),
        )
    del rows[: index + 1]
    return layout, columns, headers


def _header_index(rows):
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _match_layout([_text(cell) for cell in cells])[0]:
            return index
    return None


def _match_layout(headers):
    """Return the layout whose headers match best (or None) and its `{field: [column, ...]}`."""
    positions = {}
    for column, header in enumerate(headers):
        if header:
            positions.setdefault(_fold(header), column)
    best, best_columns = None, {}
    for layout in LAYOUTS:
        columns = {}
        for field in COLUMNS:
            found = [positions[key] for key in map(_fold, _headers_of(field, layout)) if key in positions]
            if found:
                columns[field] = found
        if "external_id" in columns and len(columns) > len(best_columns):
            best, best_columns = layout, columns
    return best, best_columns


def _headers_of(field, layout):
    if layout == "generic":
        return (field,)
    return COLUMNS[field][LAYOUTS.index(layout)]


def _alternatives(fields, layout=None):
    """The accepted headers of the fields, quoted: '"Giá gốc" / "Giá ưu đãi"'."""
    names = []
    for each in (layout,) if layout else LAYOUTS:
        for field in fields:
            names += [name for name in _headers_of(field, each) if name not in names]
    return " / ".join(f'"{name}"' for name in names)


# --- building orders -------------------------------------------------------------------------


def _build_order(external_id, group, columns, headers):
    """Return `(order, errors)` of the rows of one order; errors are `(row, (template, params))`."""
    errors = []
    first_number, first, _raw = group[0]

    def cell(cells, field):
        return _pick(cells, columns.get(field))

    def read(number, cells, field, parser=None):
        """The parsed cell of a field (None when empty); an unreadable cell is an error."""
        column = _pick_column(cells, columns.get(field))
        if column is None:
            return None
        try:
            return (parser or _number)(cells[column])
        except ValueError:
            template = NOT_A_DATE if parser is _datetime else NOT_A_NUMBER
            params = {"row": number, "column": headers[column], "value": _text(cells[column])}
            errors.append((number, (template, params)))
            return None

    status_text = _text(cell(first, "status"))
    status = STATUS_OF.get(_fold(status_text))
    if not status_text:
        errors.append((first_number, (_("Row %(row)s has no order status."), {"row": first_number})))
    elif status is None:
        params = {"row": first_number, "status": status_text}
        errors.append((first_number, (_('Row %(row)s: unknown order status "%(status)s".'), params)))
    currency = (_text(cell(first, "currency")) or "VND").upper()
    order = {
        "external_id": external_id,
        "status": status,
        "created_at": read(first_number, first, "created_at", _datetime),
        "updated_at": read(first_number, first, "updated_at", _datetime),
        "currency": currency,
        "customer": {
            "buyer_id": _text(cell(first, "buyer_id")) or None,
            "name": _text(cell(first, "customer_name")) or _text(cell(first, "shipping_name")) or None,
            "phone": _phone(cell(first, "phone")),
            "email": _text(cell(first, "email")) or None,
        },
        "shipping_address": _address(first, cell),
        "lines": [],
        "shipping_fee": read(first_number, first, "shipping_fee") or 0,
        "payment_method": _payment_method(cell(first, "payment_method")),
        "pay_by": read(first_number, first, "pay_by", _datetime),
        "note": _note(first, columns.get("note")),
    }
    seller_voucher = abs(read(first_number, first, "seller_voucher") or 0)
    platform_voucher = abs(read(first_number, first, "platform_voucher") or 0)
    lines = []
    for number, cells, _raw in group:
        line = {
            "line_id": _text(cell(cells, "line_id")) or None,
            "sku": _text(cell(cells, "sku")),
            "name": _line_name(_text(cell(cells, "name")), _text(cell(cells, "variation"))),
            "quantity": read(number, cells, "quantity"),
            "unit_price": read(number, cells, "unit_price"),
            "deal_price": read(number, cells, "deal_price"),
            "seller_discount": abs(read(number, cells, "seller_discount") or 0),
            "platform_discount": abs(read(number, cells, "platform_discount") or 0),
        }
        if not line["sku"]:
            errors.append((number, (_("Row %(row)s has no SKU."), {"row": number})))
        if cell(cells, "quantity") is None:
            errors.append((number, (_("Row %(row)s has no quantity."), {"row": number})))
        if not any(_is_set(cell(cells, field)) for field in PRICE_FIELDS):
            errors.append((number, (_("Row %(row)s has no price."), {"row": number})))
        lines.append(line)
    if errors:
        return None, errors
    order["shipping_fee"] = amount(order["shipping_fee"], currency)
    order["lines"] = finish_lines(lines, currency, seller_voucher, platform_voucher)
    return order, []


def _address(cells, cell):
    address = {
        "name": _text(cell(cells, "shipping_name")) or None,
        "phone": _phone(cell(cells, "phone")),
        "street": _text(cell(cells, "street")) or None,
        "ward": _text(cell(cells, "ward")) or None,
        "district": _text(cell(cells, "district")) or None,
        "province": _text(cell(cells, "province")) or None,
    }
    if not any(address.values()):
        return None
    address["country"] = (_text(cell(cells, "country")) or "VN").upper()
    return address


def _line_name(name, variation):
    if name and variation:
        return f"{name} ({variation})"
    return name or variation or None


def _note(cells, columns):
    texts = []
    for column in columns or ():
        text = _text(cells[column]) if column < len(cells) and _is_set(cells[column]) else ""
        if text and text not in texts:
            texts.append(text)
    return "\n".join(texts) or None


def _problem(raws, external_id, errors, filename, layout):
    return {
        "row": min(number for number, _message in errors),
        "rows": [raw["row"] for raw in raws],
        "external_id": external_id,
        "error": " ".join(template % params for _number, (template, params) in errors),
        "messages": [message for _number, message in errors],
        "raw": {"file": filename, "layout": layout, "rows": raws},
    }


# --- reading values --------------------------------------------------------------------------


def _fold(text):
    """Compare headers and statuses without case, accents, spacing or punctuation."""
    text = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.split(r"[^0-9a-z]+", text)).strip()


STATUS_OF = {_fold(label): status for status, labels in STATUSES.items() for label in labels}


def _is_set(value):
    """Whether a cell holds something: exports write "-" in a cell that has nothing."""
    return value is not None and not (isinstance(value, str) and value.strip() in EMPTY_TEXTS)


def _pick_column(cells, columns):
    """The first of the columns whose cell is not empty."""
    for column in columns or ():
        if column < len(cells) and _is_set(cells[column]):
            return column
    return None


def _pick(cells, columns):
    """The first non-empty cell of the columns."""
    column = _pick_column(cells, columns)
    return None if column is None else cells[column]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _raw_cells(headers, cells):
    raw = {}
    for column, value in enumerate(cells):
        if not _is_set(value):
            continue
        header = headers[column] if column < len(headers) and headers[column] else "column %s" % (column + 1)
        raw[header] = value if isinstance(value, int | float | str) else _text(value)
    return raw


def _payment_method(value):
    words = f" {_fold(_text(value))} "
    return "cod" if any(f" {marker} " in words for marker in COD_MARKERS) else "prepaid"


def _phone(value):
    """A phone as text; a number cell lost its leading zero, which a 9-digit Vietnamese number gets back."""
    if not _is_set(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return "0" + digits if len(digits) == 9 else digits
    return _text(value)


CURRENCY_MARKS = re.compile(r"(₫|đ|vnd|vnđ|\$|\s)", re.IGNORECASE)


def _number(value):
    """A number of a cell: 1234000, "1.234.000", "1,234,000", "₫1.234.000", "12.5"; None when empty.
    A number beyond what money or quantities can be (over 15 digits before the point) is none."""
    number = _parse_number(value)
    if number is not None and (not number.is_finite() or number.adjusted() >= 15):
        raise ValueError(value)
    return number


def _parse_number(value):
    if not _is_set(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = CURRENCY_MARKS.sub("", str(value))
    if not re.fullmatch(r"[+-]?\d[\d.,]*", text):
        raise ValueError(value)
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("+-")
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        # the last separator is the decimal one: "1.234.000,50" or "1,234,000.50"
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        digits = digits.replace(thousands, "").replace(decimal_mark, ".")
    elif dots + commas > 1 or re.fullmatch(r"\d{1,3}[.,]\d{3}", digits):
        # "1.234.000", "1,234,000" and "1.234": thousands separators (VND has no decimals)
        digits = digits.replace(".", "").replace(",", "")
    else:
        digits = digits.replace(",", ".")
    if not re.fullmatch(r"\d+(\.\d+)?", digits):
        raise ValueError(value)
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        raise ValueError(value) from None


DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
)


def _datetime(value):
    """An ISO UTC string of a cell; a time without a zone is Vietnam time. None when empty."""
    if not _is_set(value):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = _parse_datetime(value.strip())
    else:
        raise ValueError(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM_TZ)
    try:
        return moment.astimezone(timezone.utc).isoformat()
    except OverflowError:  # 0001-01-01 in Vietnam time is before the first UTC instant Python knows
        raise ValueError(value) from None


def _parse_datetime(text):
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"  # Python 3.10 reads no "Z"
    parsers = [datetime.fromisoformat]
    parsers += [lambda value, pattern=pattern: datetime.strptime(value, pattern) for pattern in DATE_FORMATS]
    for parse in parsers:
        try:
            return parse(text)
        except ValueError:
            continue
    raise ValueError(text)
