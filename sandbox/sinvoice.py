"""Viettel SInvoice, as far as Odoo's own module (``l10n_vn_edi_viettel``) speaks to it: the login,
and under ``/services/einvoiceapplication/api/InvoiceAPI`` the creation of an invoice, its files,
its payment status, its cancellation and the search by transaction uuid.

Mounted at ``/sinvoice``: the module's two addresses, ``https://api-vinvoice.viettel.vn/auth/login``
and ``https://api-vinvoice.viettel.vn/services/einvoiceapplication/api/``, reach it when their
``https://api-vinvoice.viettel.vn/`` becomes ``<simulator>/sinvoice/``.

Each seller (a tax code) has its API user and password and the templates and symbols it registered
with the tax authority; its invoices are numbered per symbol (the symbol and a 7-digit serial). A
token from the login is good for ``TOKEN_TTL`` seconds, sent as the ``access_token`` cookie (as
Odoo's module does) or as a bearer token.

Answers, in the shapes Odoo's module reads and integrators publish (Viettel's own guide is not
public; what is not in Odoo's module is marked as an assumption where it is decided):
- success: HTTP 200 ``{"errorCode": null, "description": null, "result": ...}`` (the file call has
  ``fileToBytes`` and ``fileName`` beside them);
- a refusal: HTTP 400 ``{"code": 400, "message": "<CODE>", "data": "<what is wrong>"}``; Odoo's
  module shows ``data``. The codes ``NOT_FOUND_DATA`` (also for a payment status already set, as
  Odoo's module notes) and ``INVOICE_SERIAL_NOT_FOUND`` are SInvoice's own; the other names are the
  simulator's, in the same style;
- no or an expired token: HTTP 401 ``{"error": "invalid_token", ...}`` as the OAuth2 server behind
  the login answers (assumption: one integrator reports HTTP 500 ``GENERAL`` instead);
- more than ``MAX_REQUESTS_PER_SECOND`` calls a second of one seller: HTTP 429 in the refusal's shape
  (assumption: integrators list 429 as SInvoice's rate limit; no public figure exists).

``/_sandbox/sinvoice/...`` is the simulator's own, not SInvoice's: ``GET invoices`` lists what it
issued (``?supplierTaxCode=`` for one seller's), each with its state (issued, cancelled, replaced,
adjusted), payment status and the request it came from; ``POST sellers`` registers a seller
(``register_seller``'s arguments as JSON); ``POST expire`` expires every token.
"""

import base64
import io
import re
import secrets
import time
import unicodedata
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie
from xml.etree import ElementTree

from .platform import PlatformApi, RateLimit

VIETNAM = timezone(timedelta(hours=7))
API = "/services/einvoiceapplication/api/InvoiceAPI"
# Odoo's module: "Tokens are valid for 5 minutes" (one integrator measured 20).
TOKEN_TTL = 300
# Assumption: SInvoice publishes no figure; enough for one Odoo worker sending invoices one by one.
MAX_REQUESTS_PER_SECOND = 20
# Values of taxPercentage (Odoo's module): no tax, not declaring tax, then the rates.
TAX_RATES = (-2, -1, 0, 5, 8, 10)
TAX_CODE = re.compile(r"\d{10}(-\d{3})?")  # a company's 10 digits, a branch's 3 more
ORIGINAL, REPLACEMENT, ADJUSTMENT = "1", "3", "5"  # adjustmentType
PAID, UNPAID = "Đã thanh toán", "Chưa thanh toán"  # the search's status, as Odoo's module reads it
CLOCK_SKEW = 300  # seconds an issue date may be ahead of SInvoice's clock
# The seller of the demo company (omni_retail_demo): its tax code, its API user, its templates.
SANDBOX_SELLER = {
    "tax_code": "0312345678",
    "username": "0312345678",
    "password": "sandbox-sinvoice-password",
    "legal_name": "Phố Việt Retail",
    # C: with the tax authority's code; T: registered by the business, M: from a cash register.
    "templates": {"1/001": {"invoiceType": "1", "symbols": ["C26TAA", "C26MAA", "K26TAA"]}},
}


class SinvoiceApi(PlatformApi):
    # Counted per seller: the "api" windows of the simulator's limits are keyed by tax code here.
    RATE_LIMITS = (RateLimit("api", MAX_REQUESTS_PER_SECOND),)

    def __init__(self, clock=time.time):
        super().__init__(None, TOKEN_TTL, clock=clock)
        self.sellers = {}  # tax code → seller
        self.token_sellers = {}  # access token → the seller's tax code
        self.register_seller(**SANDBOX_SELLER)

    def register_seller(self, tax_code, username, password, templates, legal_name=""):
        """A seller, its API user and ``templates``: ``{code: {"invoiceType": "1", "symbols": [...]}}``."""
        self.sellers[tax_code] = {
            "taxCode": tax_code,
            "username": username,
            "password": password,
            "legalName": legal_name,
            "templates": {
                code: {
                    "invoiceType": str(template["invoiceType"]),
                    "symbols": {symbol: {"last": 0, "lastDay": None} for symbol in template["symbols"]},
                }
                for code, template in templates.items()
            },
            "invoices": [],
            "byUuid": {},
        }
        return self.sellers[tax_code]

    def handle(self, method, path, form, body, headers):
        """``(HTTP status, JSON answer)``; ``form``: the query string's and a form body's parameters
        (Odoo's module sends its "form" calls' parameters in the query string), ``body``: the JSON."""
        if path == "/auth/login":
            return self._login(method, body) if method == "POST" else _spring(405, path)
        route = next(((handler, kind, match.groups()) for pattern, (handler, kind) in ROUTES.items()
                      if (match := re.fullmatch(API + pattern, path))), None)  # fmt: skip
        if not route:
            return _spring(404, path)
        if method != "POST":
            return _spring(405, path)
        seller = self._seller_of(headers)
        if not seller:
            return 401, {"error": "invalid_token", "error_description": "Access token expired or invalid"}
        if throttled := self.over_rate(seller["taxCode"]):
            return _throttled(throttled)
        handler, kind, groups = route
        if kind == "json" and not isinstance(body, dict):
            return _spring(400, path)
        return handler(self, seller, body if kind == "json" else form, *groups)

    def sandbox(self, method, action, query, body):
        """The simulator's own calls (not SInvoice's): what it issued, a new seller, expired tokens."""
        if (method, action) == ("GET", "/invoices"):
            tax_code = query.get("supplierTaxCode")
            sellers = [self.sellers[tax_code]] if tax_code in self.sellers else self.sellers.values()
            return 200, {"invoices": [invoice for seller in sellers for invoice in seller["invoices"]]}
        if (method, action) == ("POST", "/sellers"):
            try:
                seller = self.register_seller(**body)
            except (TypeError, KeyError, AttributeError) as error:
                return 400, {"error": "bad_seller", "message": str(error)}
            return 200, {"taxCode": seller["taxCode"]}
        if (method, action) == ("POST", "/expire"):
            self.expire_tokens()
            return 200, {}
        return 404, {"error": "not_found", "message": f"No simulator call at {action}"}

    # ------------------------------------------------------------------ login and limits

    def _login(self, method, body):
        seller = next((s for s in self.sellers.values() if s["username"] == body.get("username")), None)
        if not seller or body.get("password") != seller["password"]:
            # Assumption: the code integrators list for a wrong user or password.
            return refuse("INVALID_USER_PASSWORD", "Tên đăng nhập hoặc mật khẩu không đúng")
        if throttled := self.over_rate(seller["taxCode"]):
            return _throttled(throttled)
        access, refresh, _expires = self.new_tokens()
        self.token_sellers[access] = seller["taxCode"]
        # The fields of the OAuth2 answer integrators publish; expires_in is what is left of it.
        return 200, {"access_token": access, "token_type": "bearer", "refresh_token": refresh,
                     "expires_in": self.access_token_ttl - 1, "scope": "openid", "iat": int(self.clock()),
                     "invoice_cluster": "cluster1", "type": 1, "jti": str(uuid.uuid4())}  # fmt: skip

    def _seller_of(self, headers):
        cookie = SimpleCookie()
        cookie.load(headers.get("cookie", ""))
        token = cookie["access_token"].value if "access_token" in cookie else ""
        token = token or (headers.get("authorization") or "").removeprefix("Bearer ")
        return self.sellers.get(self.token_sellers.get(token)) if self.token_is_valid(token) else None

    # ------------------------------------------------------------------ create

    def _create(self, seller, body, tax_code):
        if tax_code != seller["taxCode"]:
            return _wrong_seller(tax_code)
        general = body.get("generalInvoiceInfo")
        if not isinstance(general, dict):
            return refuse("INVOICE_INFO_INVALID", "Thiếu generalInvoiceInfo")
        transaction = general.get("transactionUuid")
        if transaction is not None and (not isinstance(transaction, str) or not 0 < len(transaction) <= 36):
            # Assumption: any text of up to a UUID's 36 characters (integrators send non-UUID keys).
            return refuse("INVALID_TRANSACTION_UUID", "transactionUuid phải là chuỗi 1 đến 36 ký tự")
        if transaction in seller["byUuid"]:
            # Assumption: the transaction uuid guards against duplicates, and a repeat answers the
            # invoice already made (one integrator reports a refusal, TRANSACTION_UUID_INVALID).
            return ok(_result(seller["byUuid"][transaction]))
        problem = (
            self._general_problem(seller, general)
            or _seller_problem(body.get("sellerInfo"), tax_code)
            or _buyer_problem(body.get("buyerInfo"))
            or _payments_problem(body.get("payments"))
            or _items_problem(body.get("itemInfo"))
            or _totals_problem(body["itemInfo"], body.get("taxBreakdowns"), body.get("summarizeInfo"))
            or self._origin_problem(seller, general)
        )
        if problem:
            return refuse(*problem)
        return ok(_result(self._issue(seller, body, transaction or str(uuid.uuid4()))))

    def _general_problem(self, seller, general):
        template = seller["templates"].get(general.get("templateCode"))
        if not template:
            return "TEMPLATE_NOT_FOUND", f"Mẫu hóa đơn {general.get('templateCode')} không tồn tại"
        symbol = template["symbols"].get(general.get("invoiceSeries"))
        if not symbol:
            return "INVOICE_SERIAL_NOT_FOUND", f"Ký hiệu hóa đơn {general.get('invoiceSeries')} không tồn tại"
        if "invoiceType" in general and str(general["invoiceType"]) != template["invoiceType"]:
            return (
                "INVOICE_TYPE_INVALID",
                f"Loại hóa đơn của mẫu {general['templateCode']} là {template['invoiceType']}",
            )
        if str(general.get("adjustmentType", ORIGINAL)) not in (ORIGINAL, REPLACEMENT, ADJUSTMENT):
            return (
                "ADJUSTMENT_TYPE_INVALID",
                "adjustmentType phải là 1 (gốc), 3 (thay thế) hoặc 5 (điều chỉnh)",
            )
        currency = general.get("currencyCode")
        if not isinstance(currency, str) or not re.fullmatch("[A-Z]{3}", currency):
            return "CURRENCY_CODE_INVALID", "currencyCode phải là mã tiền tệ 3 chữ cái"
        rate = general.get("exchangeRate")
        if currency != "VND" and not (_is_number(rate) and rate > 0):
            return "EXCHANGE_RATE_INVALID", f"Hóa đơn bằng {currency} cần tỷ giá (exchangeRate)"
        issued = general.get("invoiceIssuedDate", int(self.clock() * 1000))
        if not _is_number(issued):
            return "INVOICE_ISSUED_DATE_INVALID", "invoiceIssuedDate phải là số mili giây"
        if issued / 1000 > self.clock() + CLOCK_SKEW:
            return "INVOICE_ISSUED_DATE_INVALID", "Ngày lập hóa đơn không được sau thời điểm hiện tại"
        # The numbers of a symbol follow the dates of issue (Odoo's module issues at send time for it).
        # Assumption: compared by day, in Vietnam's time.
        if symbol["lastDay"] and _day(issued) < symbol["lastDay"]:
            return "INVOICE_ISSUED_DATE_INVALID", (
                f"Ngày lập hóa đơn không được trước ngày {symbol['lastDay']} của hóa đơn trước cùng ký hiệu"
            )
        return None

    def _origin_problem(self, seller, general):
        """A replacement or an adjustment names the issued invoice it replaces or adjusts, and the
        agreement with the buyer it rests on."""
        kind = str(general.get("adjustmentType", ORIGINAL))
        if kind == ORIGINAL:
            return None
        if kind == ADJUSTMENT and str(general.get("adjustmentInvoiceType")) not in ("1", "2"):
            return (
                "ADJUSTMENT_INVOICE_TYPE_INVALID",
                "adjustmentInvoiceType phải là 1 (tiền) hoặc 2 (thông tin)",
            )
        original = _find(seller, general.get("originalInvoiceId"), general.get("originalTemplateCode"),
                         general.get("originalInvoiceIssueDate"))  # fmt: skip
        if not original:
            return "ORIGINAL_INVOICE_NOT_FOUND", (
                f"Không tìm thấy hóa đơn gốc {general.get('originalInvoiceId')} "
                f"(mẫu {general.get('originalTemplateCode')}, ngày lập originalInvoiceIssueDate)"
            )
        if original["status"] in ("cancelled", "replaced"):
            return "ORIGINAL_INVOICE_INVALID", f"Hóa đơn gốc {original['invoiceNo']} đã bị hủy hoặc thay thế"
        if not general.get("additionalReferenceDesc") or not _is_number(
            general.get("additionalReferenceDate")
        ):
            # Assumption: the agreement's name and date are required, as Odoo's reversal always sends them.
            return "ADDITIONAL_REFERENCE_REQUIRED", "Thiếu văn bản thỏa thuận (additionalReferenceDesc/Date)"
        return None

    def _issue(self, seller, body, transaction):
        general, buyer = body["generalInvoiceInfo"], body["buyerInfo"]
        symbol = seller["templates"][general["templateCode"]]["symbols"][general["invoiceSeries"]]
        issued = general.get("invoiceIssuedDate", int(self.clock() * 1000))
        symbol["last"] += 1
        symbol["lastDay"] = max(symbol["lastDay"] or _day(issued), _day(issued))
        lines = [item for item in body["itemInfo"] if item.get("selection", 1) != 2]
        untaxed = sum(_after_discount(item) for item in lines)
        tax = sum(item["taxAmount"] for item in lines)
        with_code = general["invoiceSeries"].startswith("C")
        invoice = {
            "supplierTaxCode": seller["taxCode"],
            "templateCode": general["templateCode"],
            "invoiceSeries": general["invoiceSeries"],
            "invoiceNo": f"{general['invoiceSeries']}{symbol['last']:07d}",
            "transactionUuid": transaction,
            "transactionID": str(secrets.randbelow(10**17)).zfill(17),
            "reservationCode": secrets.token_hex(5).upper(),  # the buyer's lookup code
            # Assumption: the tax authority gives its code at once (later, in reality).
            "codeOfTax": secrets.token_hex(17).upper() if with_code else None,
            "issueDate": issued,
            "status": "issued",  # then cancelled, replaced or adjusted
            "paymentStatus": bool(general.get("paymentStatus")),
            "adjustmentType": str(general.get("adjustmentType", ORIGINAL)),
            "originalInvoiceId": general.get("originalInvoiceId"),
            "buyerName": buyer.get("buyerName") or buyer.get("buyerLegalName"),
            "buyerTaxCode": buyer.get("buyerTaxCode") or "",
            "currencyCode": general["currencyCode"],
            "totalAmountWithoutTax": untaxed,
            "totalTaxAmount": tax,
            "totalAmountWithTax": untaxed + tax,
            "cancelReason": None,
            "request": body,
        }
        if invoice["adjustmentType"] != ORIGINAL:
            original = _find(seller, general["originalInvoiceId"], general.get("originalTemplateCode"),
                             general["originalInvoiceIssueDate"])  # fmt: skip
            original["status"] = "replaced" if invoice["adjustmentType"] == REPLACEMENT else "adjusted"
        seller["invoices"].append(invoice)
        seller["byUuid"][transaction] = invoice
        return invoice

    # ------------------------------------------------------------------ after issue

    def _file(self, seller, body):
        if body.get("supplierTaxCode") != seller["taxCode"]:
            return _wrong_seller(body.get("supplierTaxCode"))
        if body.get("fileType") not in ("PDF", "ZIP"):
            return refuse("FILE_TYPE_INVALID", "fileType phải là PDF hoặc ZIP")
        invoice = _find(seller, body.get("invoiceNo"), body.get("templateCode"), body.get("strIssueDate"))
        if not invoice or body.get("transactionUuid") not in (None, "", invoice["transactionUuid"]):
            return refuse("NOT_FOUND_DATA", f"Không tìm thấy hóa đơn {body.get('invoiceNo')}")
        name = f"{seller['taxCode']}-{invoice['invoiceNo']}"
        if body["fileType"] == "PDF":
            data, file_name = invoice_pdf(invoice, seller), f"{name}.pdf"
        else:
            # As Odoo's module reads it: a ZIP holding a ZIP of the XML and its stylesheet.
            inner = _zip({f"{name}.xml": invoice_xml(invoice, seller), f"{name}.xsl": STYLESHEET})
            data, file_name = _zip({f"{name}.zip": inner}), f"{name}.zip"
        return 200, {"errorCode": None, "description": None, "fileToBytes": base64.b64encode(data).decode(),
                     "paymentStatus": invoice["paymentStatus"], "fileName": file_name}  # fmt: skip

    def _set_payment(self, seller, form, paid):
        if form.get("supplierTaxCode") != seller["taxCode"]:
            return _wrong_seller(form.get("supplierTaxCode"))
        invoice = _find(seller, form.get("invoiceNo"), form.get("templateCode"), form.get("strIssueDate"))
        # SInvoice answers NOT_FOUND_DATA when the invoice already has that status (Odoo's module).
        if not invoice or invoice["paymentStatus"] == paid:
            return refuse("NOT_FOUND_DATA", f"Không tìm thấy hóa đơn {form.get('invoiceNo')} cần cập nhật")
        if invoice["status"] == "cancelled":
            return refuse("INVOICE_CANCELLED", f"Hóa đơn {invoice['invoiceNo']} đã bị hủy")
        invoice["paymentStatus"] = paid
        return ok(True)

    def _mark_paid(self, seller, form):
        return self._set_payment(seller, form, True)

    def _mark_unpaid(self, seller, form):
        return self._set_payment(seller, form, False)

    def _cancel(self, seller, form):
        if form.get("supplierTaxCode") != seller["taxCode"]:
            return _wrong_seller(form.get("supplierTaxCode"))
        invoice = _find(seller, form.get("invoiceNo"), form.get("templateCode"), form.get("strIssueDate"))
        if not invoice:
            return refuse("NOT_FOUND_DATA", f"Không tìm thấy hóa đơn {form.get('invoiceNo')}")
        if invoice["status"] == "cancelled":
            return refuse("INVOICE_CANCELLED", f"Hóa đơn {invoice['invoiceNo']} đã bị hủy")
        if invoice["status"] == "replaced":
            return refuse("INVOICE_REPLACED", f"Hóa đơn {invoice['invoiceNo']} đã bị thay thế, không thể hủy")
        if not form.get("additionalReferenceDesc") or not str(form.get("additionalReferenceDate")).isdigit():
            # Assumption: cancelling rests on an agreement with the buyer, as Odoo's wizard asks for.
            return refuse(
                "ADDITIONAL_REFERENCE_REQUIRED", "Thiếu văn bản thỏa thuận (additionalReferenceDesc/Date)"
            )
        invoice.update(status="cancelled", cancelReason=form.get("reasonDelete") or "")
        return ok(None)

    def _search(self, seller, form):
        if form.get("supplierTaxCode") != seller["taxCode"]:
            return _wrong_seller(form.get("supplierTaxCode"))
        invoice = seller["byUuid"].get(form.get("transactionUuid"))
        if not invoice:
            return refuse(
                "NOT_FOUND_DATA", f"Không tìm thấy hóa đơn có transactionUuid {form.get('transactionUuid')}"
            )
        found = {
            **_result(invoice),
            "transactionUuid": invoice["transactionUuid"],
            "issueDate": invoice["issueDate"],
            "status": PAID if invoice["paymentStatus"] else UNPAID,
            # Assumption on the names beside the one Odoo's module reads (INVOICE_HAS_CODE_APPROVED).
            "exchangeStatus": "INVOICE_HAS_CODE_APPROVED"
            if invoice["codeOfTax"]
            else "INVOICE_NOT_NEED_CODE",
        }
        return 200, {"errorCode": None, "description": None, "transactionUuid": invoice["transactionUuid"],
                     "result": [found]}  # fmt: skip


# pattern under API → (handler, "json" body or "form" parameters)
ROUTES = {
    r"/InvoiceWS/createInvoice/([^/]+)": (SinvoiceApi._create, "json"),
    "/InvoiceUtilsWS/getInvoiceRepresentationFile": (SinvoiceApi._file, "json"),
    "/InvoiceWS/updatePaymentStatus": (SinvoiceApi._mark_paid, "form"),
    "/InvoiceWS/cancelPaymentStatus": (SinvoiceApi._mark_unpaid, "form"),
    "/InvoiceWS/cancelTransactionInvoice": (SinvoiceApi._cancel, "form"),
    "/InvoiceWS/searchInvoiceByTransactionUuid": (SinvoiceApi._search, "form"),
}


def ok(result):
    return 200, {"errorCode": None, "description": None, "result": result}


def refuse(code, text, status=400):
    """SInvoice's refusal: its code, and in ``data`` what is wrong."""
    return status, {"code": status, "message": code, "data": text}


def _throttled(throttled):
    limit = throttled.limit
    text = f"Vượt quá {limit.calls} yêu cầu trong {limit.seconds:g} giây"
    text += f", thử lại sau {throttled.retry_after:.2f} giây"
    return refuse("TOO_MANY_REQUESTS", text, status=429)


def _wrong_seller(tax_code):
    return refuse("INVALID_SUPPLIER_TAX_CODE", f"Mã số thuế {tax_code} không phải của tài khoản đăng nhập")


def _spring(status, path):
    """The answer of the web server in front of SInvoice (Spring's) for a path or method it has not."""
    error = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[status]
    return status, {"timestamp": int(time.time() * 1000), "status": status, "error": error, "path": path}


def _result(invoice):
    keys = ("supplierTaxCode", "invoiceNo", "transactionID", "reservationCode", "codeOfTax")
    return {key: invoice[key] for key in keys}


def _find(seller, number, template, issue_date):
    """The seller's invoice ``number`` of ``template`` (any, when not given) issued on the day of
    ``issue_date`` (milliseconds; numbers start again each year). Assumption: SInvoice matches the
    day, not the instant (Odoo's module sends the instant it issued at)."""
    text = str(issue_date)
    if not text.isdigit():
        return None
    for invoice in seller["invoices"]:
        if invoice["invoiceNo"] == number and template in (None, "", invoice["templateCode"]):
            if _day(invoice["issueDate"]) == _day(int(text)):
                return invoice
    return None


def _seller_problem(seller, tax_code):
    if not isinstance(seller, dict) or not seller.get("sellerLegalName"):
        return "SELLER_INFO_INVALID", "Thiếu tên người bán (sellerLegalName)"
    if seller.get("sellerTaxCode") != tax_code:
        return (
            "INVALID_SUPPLIER_TAX_CODE",
            f"Mã số thuế người bán {seller.get('sellerTaxCode')} khác {tax_code}",
        )
    return None


def _buyer_problem(buyer):
    """A buyer has a name; a buyer with a tax code is a business: its legal name and address too."""
    if not isinstance(buyer, dict) or not (buyer.get("buyerName") or buyer.get("buyerLegalName")):
        return "BUYER_INFO_INVALID", "Thiếu tên người mua (buyerName hoặc buyerLegalName)"
    tax_code = buyer.get("buyerTaxCode") or ""
    if tax_code and not TAX_CODE.fullmatch(tax_code):
        return "BUYER_TAX_CODE_INVALID", f"Mã số thuế người mua {tax_code} không hợp lệ"
    missing = [field for field in ("buyerLegalName", "buyerAddressLine") if tax_code and not buyer.get(field)]
    if missing:
        return "BUYER_INFO_INVALID", f"Người mua có mã số thuế cần {', '.join(missing)}"
    return None


def _payments_problem(payments):
    if not isinstance(payments, list) or not any(
        isinstance(p, dict) and p.get("paymentMethodName") for p in payments
    ):
        return "PAYMENT_METHOD_INVALID", "Thiếu hình thức thanh toán (payments.paymentMethodName)"
    return None


def _items_problem(items):
    """Each line: a name, and (but a note line, selection 2) its amounts as numbers that agree."""
    if not isinstance(items, list) or not items:
        return "ITEM_INFO_INVALID", "Hóa đơn cần ít nhất một dòng hàng hóa (itemInfo)"
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("itemName") or "").strip():
            return "ITEM_INFO_INVALID", f"Dòng {number}: thiếu tên hàng hóa (itemName)"
        if item.get("selection", 1) not in (1, 2, 3, 4, 5, 6):
            return "ITEM_INFO_INVALID", f"Dòng {number}: selection không hợp lệ"
        if item.get("selection", 1) == 2:
            continue
        required = ("unitPrice", "quantity", "itemTotalAmountWithoutTax", "taxPercentage", "taxAmount")
        optional = ("itemTotalAmountAfterDiscount", "itemTotalAmountWithTax", "discount")
        wrong = [key for key in required if not _is_number(item.get(key))]
        wrong += [key for key in optional if key in item and not _is_number(item[key])]
        if wrong:
            return "ITEM_INFO_INVALID", f"Dòng {number}: {', '.join(wrong)} phải là số"
        if item["taxPercentage"] not in TAX_RATES:
            return "ITEM_INFO_INVALID", f"Dòng {number}: thuế suất {item['taxPercentage']} không hợp lệ"
        problem = _line_amounts_problem(item)
        if problem:
            return "ITEM_AMOUNT_INVALID", f"Dòng {number}: {problem}"
    return None


def _line_amounts_problem(item):
    untaxed, after, tax = item["itemTotalAmountWithoutTax"], _after_discount(item), item["taxAmount"]
    if not _close(untaxed, item["unitPrice"] * item["quantity"]):
        return "itemTotalAmountWithoutTax khác unitPrice x quantity"
    # Not an equality: a price that includes tax (as Odoo sends it) has its tax taken out of it.
    if abs(after) > abs(untaxed) + 1:
        return "itemTotalAmountAfterDiscount lớn hơn itemTotalAmountWithoutTax"
    expected_tax = after * item["taxPercentage"] / 100 if item["taxPercentage"] > 0 else 0
    if not _close(tax, expected_tax):
        return f"taxAmount khác {expected_tax:g} ({item['taxPercentage']:g}% của {after:g})"
    if "itemTotalAmountWithTax" in item and not _close(item["itemTotalAmountWithTax"], after + tax):
        return "itemTotalAmountWithTax khác itemTotalAmountAfterDiscount + taxAmount"
    return None


def _totals_problem(items, breakdowns, summary):
    """The tax breakdown per rate adds the lines of the rate up; so does a summary, when given."""
    lines = [item for item in items if item.get("selection", 1) != 2]
    breakdowns = breakdowns or []
    if not isinstance(breakdowns, list) or not all(isinstance(b, dict) for b in breakdowns):
        return "TAX_BREAKDOWN_INVALID", "taxBreakdowns phải là danh sách"
    rates = [b.get("taxPercentage") for b in breakdowns]
    if len(set(rates)) < len(rates) or not all(rate in TAX_RATES for rate in rates):
        return "TAX_BREAKDOWN_INVALID", "Mỗi thuế suất một dòng taxBreakdowns, thuế suất hợp lệ"
    for breakdown in breakdowns:
        if not (_is_number(breakdown.get("taxableAmount")) and _is_number(breakdown.get("taxAmount"))):
            return "TAX_BREAKDOWN_INVALID", "taxableAmount và taxAmount phải là số"
    # Only the taxed rates are added up: Odoo's module sends lines without tax as -2 and a 0% tax's
    # lines as -2 as well, with a breakdown for the latter only.
    for rate in {item["taxPercentage"] for item in lines if item["taxPercentage"] > 0}:
        rated = [item for item in lines if item["taxPercentage"] == rate]
        breakdown = next((b for b in breakdowns if b["taxPercentage"] == rate), None)
        # Amounts are compared whatever their sign: an adjustment's lines are negative, its
        # breakdown positive with taxableAmountPos false.
        tolerance = max(1, len(rated))
        if not breakdown:
            return "TAX_BREAKDOWN_INVALID", f"Thiếu taxBreakdowns cho thuế suất {rate:g}%"
        if not _close(abs(breakdown["taxableAmount"]), abs(sum(map(_after_discount, rated))), tolerance):
            return "TAX_BREAKDOWN_INVALID", f"taxableAmount của thuế suất {rate:g}% khác tổng các dòng"
        if not _close(abs(breakdown["taxAmount"]), abs(sum(item["taxAmount"] for item in rated)), tolerance):
            return "TAX_BREAKDOWN_INVALID", f"taxAmount của thuế suất {rate:g}% khác tổng các dòng"
    if isinstance(summary, dict):
        untaxed = sum(map(_after_discount, lines))
        tax = sum(item["taxAmount"] for item in lines)
        expected = {
            "totalAmountWithoutTax": untaxed,
            "totalTaxAmount": tax,
            "totalAmountWithTax": untaxed + tax,
        }
        for key, value in expected.items():
            if key in summary and not (_is_number(summary[key]) and _close(summary[key], value, len(lines))):
                return "SUMMARIZE_INFO_INVALID", f"{key} khác tổng các dòng ({value:g})"
    return None


def _after_discount(item):
    return item.get("itemTotalAmountAfterDiscount", item["itemTotalAmountWithoutTax"])


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _close(value, expected, tolerance=1):
    """Equal within rounding (amounts are whole VND, or cents of another currency)."""
    return abs(value - expected) <= tolerance


def _day(milliseconds):
    return datetime.fromtimestamp(milliseconds / 1000, VIETNAM).date()


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---------------------------------------------------------------------- the invoice's files


def _amount(value):
    """A number written out whole (no exponent), with its decimals if it has any."""
    return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _rate_text(rate):
    """The tax authority's TSuat: KCT (no tax), KKKNT (not declared), or the percentage."""
    return {-2: "KCT", -1: "KKKNT"}.get(rate, f"{rate:g}%")


def invoice_xml(invoice, seller):
    """The invoice as XML, in the tax authority's layout (a subset of its HDon elements)."""
    body, general = invoice["request"], invoice["request"]["generalInvoiceInfo"]
    seller_info, buyer = body["sellerInfo"], body["buyerInfo"]
    root = ElementTree.Element("HDon")
    data = ElementTree.SubElement(root, "DLHDon", Id="data")

    def add(parent, tag, value):
        element = ElementTree.SubElement(parent, tag)
        element.text = "" if value is None else _amount(value) if _is_number(value) else str(value)
        return element

    common = ElementTree.SubElement(data, "TTChung")
    issued = datetime.fromtimestamp(invoice["issueDate"] / 1000, VIETNAM)
    for tag, value in (("PBan", "2.0.0"), ("THDon", invoice["templateCode"]),
                       ("KHMSHDon", seller["templates"][invoice["templateCode"]]["invoiceType"]),
                       ("KHHDon", invoice["invoiceSeries"]), ("SHDon", int(invoice["invoiceNo"][-7:])),
                       ("NLap", issued.date().isoformat()), ("DVTTe", invoice["currencyCode"]),
                       ("TGia", general.get("exchangeRate", 1)), ("MSTTCGP", seller["taxCode"])):  # fmt: skip
        add(common, tag, value)
    content = ElementTree.SubElement(data, "NDHDon")
    party = ElementTree.SubElement(content, "NBan")
    for tag, key in (("Ten", "sellerLegalName"), ("MST", "sellerTaxCode"), ("DChi", "sellerAddressLine")):
        add(party, tag, seller_info.get(key))
    party = ElementTree.SubElement(content, "NMua")
    add(party, "Ten", buyer.get("buyerLegalName") or buyer.get("buyerName"))
    add(party, "MST", buyer.get("buyerTaxCode") or "")
    add(party, "DChi", buyer.get("buyerAddressLine") or "")
    add(party, "HVTNMHang", buyer.get("buyerName") or "")
    goods = ElementTree.SubElement(content, "DSHHDVu")
    for number, item in enumerate(body["itemInfo"], 1):
        line = ElementTree.SubElement(goods, "HHDVu")
        add(line, "TChat", item.get("selection", 1))
        add(line, "STT", number)
        add(line, "MHHDVu", item.get("itemCode") or "")
        add(line, "THHDVu", item["itemName"])
        if item.get("selection", 1) != 2:
            for tag, value in (("DVTinh", item.get("unitName") or ""), ("SLuong", item["quantity"]),
                               ("DGia", item["unitPrice"]), ("TLCKhau", item.get("discount", 0)),
                               ("ThTien", _after_discount(item)),
                               ("TSuat", _rate_text(item["taxPercentage"]))):  # fmt: skip
                add(line, tag, value)
    totals = ElementTree.SubElement(content, "TToan")
    for tag, key in (("TgTCThue", "totalAmountWithoutTax"), ("TgTThue", "totalTaxAmount"),
                     ("TgTTTBSo", "totalAmountWithTax")):  # fmt: skip
        add(totals, tag, invoice[key])
    if invoice["codeOfTax"]:
        add(root, "MCCQT", invoice["codeOfTax"])
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


STYLESHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n'
    b'<xsl:template match="/"><html><body><xsl:value-of select="//SHDon"/></body></html></xsl:template>\n'
    b"</xsl:stylesheet>\n"
)


def invoice_pdf(invoice, seller):
    """The invoice as a one-page PDF (Helvetica, so its text is written without Vietnamese marks)."""
    body = invoice["request"]
    buyer = body["buyerInfo"]
    state = {"cancelled": "DA HUY", "replaced": "DA BI THAY THE", "adjusted": "DA BI DIEU CHINH"}
    lines = [
        "HOA DON DIEN TU" + (f" - {state[invoice['status']]}" if invoice["status"] in state else ""),
        f"Mau so: {invoice['templateCode']}  Ky hieu: {invoice['invoiceSeries']}  So: {invoice['invoiceNo']}",
        f"Ngay lap: {datetime.fromtimestamp(invoice['issueDate'] / 1000, VIETNAM):%d/%m/%Y}",
        f"Ma cua co quan thue: {invoice['codeOfTax'] or '-'}",
        f"Nguoi ban: {body['sellerInfo']['sellerLegalName']}   MST: {seller['taxCode']}",
        f"Nguoi mua: {buyer.get('buyerLegalName') or buyer.get('buyerName')}",
        f"MST nguoi mua: {invoice['buyerTaxCode'] or '-'}",
        f"Dia chi: {buyer.get('buyerAddressLine') or '-'}",
        "",
    ]
    for number, item in enumerate(body["itemInfo"], 1):
        if item.get("selection", 1) == 2:
            lines.append(f"{number}. {item['itemName']}")
        else:
            quantity, price = _amount(item["quantity"]), _amount(item["unitPrice"])
            amounts = f"{quantity} x {price} = {_amount(_after_discount(item))}"
            lines.append(f"{number}. {item['itemName']}  {amounts}  Thue {_rate_text(item['taxPercentage'])}")
    lines += [
        "",
        f"Cong tien hang: {_amount(invoice['totalAmountWithoutTax'])} {invoice['currencyCode']}",
        f"Tien thue GTGT: {_amount(invoice['totalTaxAmount'])}",
        f"Tong cong thanh toan: {_amount(invoice['totalAmountWithTax'])}",
        f"Ma tra cuu: {invoice['reservationCode']}",
    ]
    return minimal_pdf(lines)


def minimal_pdf(lines, size=(595, 842)):
    """A valid one-page PDF showing ``lines`` of text, its page ``size`` in points (A4 by default)."""
    width, height = size
    shown = " ".join(f"({_pdf_text(line)}) '" for line in lines)
    stream = f"BT /F1 10 Tf 14 TL {min(50, width // 10)} {height - 42} Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (width, height)
        + b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, content in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(pdf)


def _pdf_text(text):
    """``text`` in Latin-1 without Vietnamese marks, its PDF string delimiters escaped."""
    folded = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    plain = plain.encode("latin-1", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
