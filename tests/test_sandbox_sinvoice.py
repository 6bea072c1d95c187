"""The simulated SInvoice answers the calls Odoo's l10n_vn_edi_viettel module makes, as the module
makes them (JSON bodies, "form" parameters in the query string, the token as the access_token
cookie): login, invoice creation with its refusals, the PDF and the XML, payment status,
cancellation and the search by transaction uuid."""

import base64
import io
import time
import uuid
import zipfile
from xml.etree import ElementTree

import pytest
import requests
from PyPDF2 import PdfReader

from sandbox.sinvoice import SANDBOX_SELLER, TOKEN_TTL

TAX_CODE, TEMPLATE, SYMBOL = SANDBOX_SELLER["tax_code"], "1/001", "K26TAA"
FORM = {"Content-Type": "application/x-www-form-urlencoded;"}


class Client:
    """The calls of Odoo's module, its address ``https://api-vinvoice.viettel.vn/`` replaced by the
    simulator's ``/sinvoice/``."""

    def __init__(self, simulator, username=TAX_CODE, password=SANDBOX_SELLER["password"]):
        self.root = f"{simulator.url}/sinvoice/"
        self.api = f"{self.root}services/einvoiceapplication/api/"
        self.username, self.password, self.token = username, password, None

    def login(self):
        answer = requests.post(
            f"{self.root}auth/login", json={"username": self.username, "password": self.password}, timeout=10
        )
        self.token = answer.json().get("access_token")
        return answer

    def post(self, path, json=None, params=None):
        if not self.token:
            self.login()
        headers = FORM if params is not None else None
        return requests.post(
            f"{self.api}{path}",
            json=json,
            params=params,
            headers=headers,
            cookies={"access_token": self.token},
            timeout=10,
        )

    def create(self, invoice, tax_code=TAX_CODE):
        return self.post(f"InvoiceAPI/InvoiceWS/createInvoice/{tax_code}", json=invoice)

    def file(self, issued, file_type, **changes):
        body = {
            "supplierTaxCode": TAX_CODE,
            "templateCode": TEMPLATE,
            "invoiceNo": issued["invoiceNo"],
            "strIssueDate": issued["issueDate"],
            "transactionUuid": issued["transactionUuid"],
            "fileType": file_type,
            **changes,
        }
        return self.post("InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile", json=body)

    def form(self, path, issued, **params):
        base = {
            "supplierTaxCode": TAX_CODE,
            "invoiceNo": issued["invoiceNo"],
            "strIssueDate": issued["issueDate"],
        }
        return self.post(f"InvoiceAPI/InvoiceWS/{path}", params={**base, **params})

    def cancel(self, issued, **params):
        agreement = {
            "templateCode": TEMPLATE,
            "additionalReferenceDesc": "BB-01",
            "additionalReferenceDate": issued["issueDate"],
            "reasonDelete": "Khách trả hàng",
        }
        return self.form("cancelTransactionInvoice", issued, **{**agreement, **params})

    def search(self, transaction_uuid):
        params = {"supplierTaxCode": TAX_CODE, "transactionUuid": transaction_uuid}
        return self.post("InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid", params=params)


def now_ms():
    return int(time.time()) * 1000


def invoice_json(symbol=SYMBOL, buyer_tax_code="0100109106-505", lines=((2, 150000, 10),), **general):
    """An invoice as Odoo's module builds it (``_l10n_vn_edi_generate_invoice_json``): ``lines`` of
    (quantity, unit price, tax %)."""
    items = []
    for quantity, price, rate in lines:
        untaxed = quantity * price
        tax = untaxed * rate / 100 if rate > 0 else 0
        items.append(
            {
                "itemCode": "TEE-M",
                "itemName": "Áo thun cotton",
                "unitName": "Cái",
                "unitPrice": price,
                "quantity": quantity,
                "itemTotalAmountWithoutTax": untaxed,
                "taxPercentage": rate,
                "taxAmount": tax,
                "discount": 0.0,
                "itemTotalAmountAfterDiscount": untaxed,
                "itemTotalAmountWithTax": untaxed + tax,
                "selection": 1,
            }
        )
    breakdowns = {}
    for item in items:
        row = breakdowns.setdefault(
            item["taxPercentage"],
            {
                "taxPercentage": item["taxPercentage"],
                "taxableAmount": 0,
                "taxAmount": 0,
                "taxableAmountPos": True,
                "taxAmountPos": True,
            },
        )
        row["taxableAmount"] += item["itemTotalAmountAfterDiscount"]
        row["taxAmount"] += item["taxAmount"]
    return {
        "generalInvoiceInfo": {
            "transactionUuid": str(uuid.uuid4()),
            "invoiceType": "1",
            "templateCode": TEMPLATE,
            "invoiceSeries": symbol,
            "invoiceIssuedDate": now_ms(),
            "currencyCode": "VND",
            "adjustmentType": "1",
            "paymentStatus": False,
            "cusGetInvoiceRight": True,
            "validation": 1,
            **general,
        },
        "buyerInfo": {
            "buyerName": "Công ty An Phát",
            "buyerLegalName": "Công ty TNHH An Phát",
            "buyerTaxCode": buyer_tax_code,
            "buyerAddressLine": "121 Hàng Bạc",
            "buyerPhoneNumber": "0912345678",
            "buyerEmail": "",
            "buyerDistrictName": "Hà Nội",
            "buyerCityName": "Hoàn Kiếm",
            "buyerCountryCode": "VN",
            "buyerNotGetInvoice": 0,
        },
        "sellerInfo": {
            "sellerLegalName": "Phố Việt Retail",
            "sellerTaxCode": TAX_CODE,
            "sellerAddressLine": "65 Lê Lợi",
            "sellerPhoneNumber": "02838234567",
            "sellerEmail": "lienhe@phoviet.vn",
            "sellerDistrictName": "Hồ Chí Minh",
            "sellerCountryCode": "VN",
            "sellerWebsite": "https://phoviet.vn",
        },
        "payments": [{"paymentMethodName": "TM/CK"}],
        "itemInfo": items,
        "taxBreakdowns": list(breakdowns.values()),
    }


def issued_invoice(simulator, client, invoice=None):
    """Create ``invoice`` (a new one when None); the simulator's record of it."""
    invoice = invoice or invoice_json()
    answer = client.create(invoice)
    assert answer.status_code == 200, answer.text
    return listed(simulator, answer.json()["result"]["invoiceNo"])


def listed(simulator, invoice_no):
    invoices = requests.get(f"{simulator.url}/_sandbox/sinvoice/invoices", timeout=10).json()["invoices"]
    return next(invoice for invoice in invoices if invoice["invoiceNo"] == invoice_no)


def refusal(answer, code, status=400):
    """The refusal's text, once its HTTP status, shape and SInvoice code are checked (Odoo's module
    reads ``code`` and shows ``data``)."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert (body["code"], body["message"]) == (status, code), body
    return body["data"]


@pytest.fixture
def client(simulator):
    return Client(simulator)


# ---------------------------------------------------------------------- login and tokens


def test_login_answers_a_token_odoo_keeps_for_its_lifetime(client):
    answer = client.login()
    assert answer.status_code == 200
    body = answer.json()
    assert body["access_token"] and body["token_type"] == "bearer"
    # Odoo's module stores now + int(expires_in) as the token's expiry.
    assert 0 < int(body["expires_in"]) <= TOKEN_TTL


def test_login_with_a_wrong_password_is_refused(simulator):
    answer = Client(simulator, password="wrong").login()
    assert "mật khẩu" in refusal(answer, "INVALID_USER_PASSWORD")
    assert "access_token" not in answer.json()


def test_calls_without_a_valid_token_are_refused(simulator, client):
    client.token = "not-a-token"
    answer = client.create(invoice_json())
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"
    client.login()
    assert client.create(invoice_json()).status_code == 200


def test_a_token_expires_after_its_lifetime(simulator, client):
    client.login()
    assert client.search(str(uuid.uuid4())).status_code == 400  # known token: a refusal of SInvoice's own
    start = time.time()
    simulator.sinvoice.clock = lambda: start + TOKEN_TTL + 1
    answer = client.search(str(uuid.uuid4()))
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"
    client.login()  # a new login gives a token good from the (simulated) now
    assert client.create(invoice_json(invoiceIssuedDate=int(start + TOKEN_TTL) * 1000)).status_code == 200


def test_the_simulator_expires_every_token_on_request(simulator, client):
    client.login()
    assert requests.post(f"{simulator.url}/_sandbox/sinvoice/expire", timeout=10).status_code == 200
    assert client.create(invoice_json()).status_code == 401


def test_a_token_bearer_header_is_accepted_as_well(simulator, client):
    client.login()
    answer = requests.post(
        f"{client.api}InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid",
        params={"supplierTaxCode": TAX_CODE, "transactionUuid": "unknown"},
        headers={**FORM, "Authorization": f"Bearer {client.token}"},
        timeout=10,
    )
    refusal(answer, "NOT_FOUND_DATA")


def test_unknown_paths_and_methods_get_the_web_server_answer(simulator, client):
    client.login()
    assert client.post("InvoiceAPI/InvoiceWS/noSuchCall", json={}).status_code == 404
    answer = requests.get(f"{client.api}InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid", timeout=10)
    assert answer.status_code == 405 and answer.json()["error"]


# ---------------------------------------------------------------------- creation


def test_invoices_are_numbered_per_symbol_in_sequence(simulator, client):
    answers = [client.create(invoice_json(symbol=symbol)).json() for symbol in (SYMBOL, SYMBOL, "C26TAA")]
    numbers = [answer["result"]["invoiceNo"] for answer in answers]
    assert numbers == [f"{SYMBOL}0000001", f"{SYMBOL}0000002", "C26TAA0000001"]
    first = answers[0]
    assert (first["errorCode"], first["description"]) == (None, None)
    assert first["result"]["supplierTaxCode"] == TAX_CODE
    assert first["result"]["reservationCode"] and first["result"]["transactionID"]
    # An invoice with the tax authority's code (symbol C...) has the code; one without (K...) has none.
    assert answers[2]["result"]["codeOfTax"] and first["result"]["codeOfTax"] is None


def test_a_repeated_transaction_uuid_answers_the_invoice_already_made(simulator, client):
    invoice = invoice_json()
    first = client.create(invoice).json()["result"]
    again = client.create(invoice)
    assert again.status_code == 200 and again.json()["result"] == first
    invoices = requests.get(f"{simulator.url}/_sandbox/sinvoice/invoices", timeout=10).json()["invoices"]
    assert [
        i["invoiceNo"]
        for i in invoices
        if i["transactionUuid"] == invoice["generalInvoiceInfo"]["transactionUuid"]
    ] == [first["invoiceNo"]]
    assert client.create(invoice_json()).json()["result"]["invoiceNo"] == f"{SYMBOL}0000002"


def test_a_consumer_without_tax_code_needs_only_a_name(client):
    invoice = invoice_json(buyer_tax_code="")
    invoice["buyerInfo"].update(buyerLegalName="", buyerAddressLine=False, buyerName="Khách lẻ")
    assert client.create(invoice).status_code == 200


def test_a_foreign_currency_invoice_carries_its_rate(client):
    refusal(client.create(invoice_json(currencyCode="EUR")), "EXCHANGE_RATE_INVALID")
    assert client.create(invoice_json(currencyCode="EUR", exchangeRate=27000.0)).status_code == 200


def broken(change):
    """A valid invoice, then ``change(invoice)``."""
    invoice = invoice_json()
    change(invoice)
    return invoice


def setting(part, **values):
    """A change of the invoice: ``values`` in its ``part`` (``itemInfo`` and ``taxBreakdowns``: the first)."""

    def change(invoice):
        target = invoice[part]
        (target[0] if isinstance(target, list) else target).update(values)

    return change


def replacing(**values):
    return lambda invoice: invoice.update(values)


GENERAL, BUYER, SELLER, LINE = "generalInvoiceInfo", "buyerInfo", "sellerInfo", "itemInfo"
TOMORROW = now_ms() + 86_400_000
REFUSALS = [
    ("unknown template", setting(GENERAL, templateCode="1/999"), "TEMPLATE_NOT_FOUND"),
    ("unknown symbol", setting(GENERAL, invoiceSeries="K26TZZ"), "INVOICE_SERIAL_NOT_FOUND"),
    ("template's type", setting(GENERAL, invoiceType="2"), "INVOICE_TYPE_INVALID"),
    ("adjustment type", setting(GENERAL, adjustmentType="9"), "ADJUSTMENT_TYPE_INVALID"),
    ("issued tomorrow", setting(GENERAL, invoiceIssuedDate=TOMORROW), "INVOICE_ISSUED_DATE_INVALID"),
    ("uuid too long", setting(GENERAL, transactionUuid="x" * 37), "INVALID_TRANSACTION_UUID"),
    ("seller's tax code", setting(SELLER, sellerTaxCode="0100109106"), "INVALID_SUPPLIER_TAX_CODE"),
    ("seller's name", setting(SELLER, sellerLegalName=""), "SELLER_INFO_INVALID"),
    ("buyer's tax code", setting(BUYER, buyerTaxCode="12345"), "BUYER_TAX_CODE_INVALID"),
    ("business without legal name", setting(BUYER, buyerLegalName=""), "BUYER_INFO_INVALID"),
    ("business without address", setting(BUYER, buyerAddressLine=False), "BUYER_INFO_INVALID"),
    (
        "buyer without name",
        setting(BUYER, buyerName="", buyerLegalName="", buyerTaxCode=""),
        "BUYER_INFO_INVALID",
    ),
    ("no payment method", replacing(payments=[]), "PAYMENT_METHOD_INVALID"),
    ("no lines", replacing(itemInfo=[]), "ITEM_INFO_INVALID"),
    ("line without name", setting(LINE, itemName=""), "ITEM_INFO_INVALID"),
    ("quantity as text", setting(LINE, quantity="2"), "ITEM_INFO_INVALID"),
    ("tax rate", setting(LINE, taxPercentage=7), "ITEM_INFO_INVALID"),
    ("selection", setting(LINE, selection=9), "ITEM_INFO_INVALID"),
    ("line total", setting(LINE, itemTotalAmountWithoutTax=299000), "ITEM_AMOUNT_INVALID"),
    ("line tax", setting(LINE, taxAmount=20000), "ITEM_AMOUNT_INVALID"),
    ("line total with tax", setting(LINE, itemTotalAmountWithTax=1), "ITEM_AMOUNT_INVALID"),
    ("breakdown missing", replacing(taxBreakdowns=[]), "TAX_BREAKDOWN_INVALID"),
    ("breakdown base", setting("taxBreakdowns", taxableAmount=100), "TAX_BREAKDOWN_INVALID"),
    ("breakdown tax", setting("taxBreakdowns", taxAmount=100), "TAX_BREAKDOWN_INVALID"),
    ("summary", replacing(summarizeInfo={"totalAmountWithTax": 1}), "SUMMARIZE_INFO_INVALID"),
]


@pytest.mark.parametrize(
    ("change", "code"),
    [(change, code) for _name, change, code in REFUSALS],
    ids=[name for name, _change, _code in REFUSALS],
)
def test_an_invalid_invoice_is_refused_in_sinvoice_form(simulator, client, change, code):
    assert refusal(client.create(broken(change)), code)
    assert requests.get(f"{simulator.url}/_sandbox/sinvoice/invoices", timeout=10).json()["invoices"] == []


def test_another_sellers_tax_code_in_the_address_is_refused(client):
    refusal(client.create(invoice_json(), tax_code="0100109106-505"), "INVALID_SUPPLIER_TAX_CODE")


def test_a_price_including_tax_adds_up_as_odoo_sends_it(client):
    """Odoo sends the price as entered: a price including 10% tax gives a total before discount above
    the amount after it, which bears the tax."""
    invoice = invoice_json(lines=((2, 165000, 10),))
    invoice["itemInfo"][0].update(
        itemTotalAmountAfterDiscount=300000, taxAmount=30000, itemTotalAmountWithTax=330000
    )
    invoice["taxBreakdowns"][0].update(taxableAmount=300000, taxAmount=30000)
    assert client.create(invoice).status_code == 200


def test_lines_without_tax_need_no_breakdown(client):
    invoice = invoice_json(lines=((1, 50000, -2), (2, 150000, 10)))
    invoice["taxBreakdowns"] = [row for row in invoice["taxBreakdowns"] if row["taxPercentage"] == 10]
    assert client.create(invoice).status_code == 200


def test_numbers_follow_the_dates_of_issue(client):
    assert client.create(invoice_json()).status_code == 200
    yesterday = invoice_json(invoiceIssuedDate=now_ms() - 86_400_000)
    assert "trước" in refusal(client.create(yesterday), "INVOICE_ISSUED_DATE_INVALID")


def test_a_seller_limits_its_calls_a_second(simulator, client):
    client.login()
    simulator.sinvoice.set_limit("api", 3)
    answers = [client.search("unknown") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [400, 400, 400, 429]
    assert "thử lại sau" in refusal(answers[-1], "TOO_MANY_REQUESTS", status=429)


# ---------------------------------------------------------------------- replacement and adjustment


def reference_to(original, kind, **extra):
    return {
        "adjustmentType": kind,
        "adjustmentInvoiceType": "1",
        "originalInvoiceId": original["invoiceNo"],
        "originalInvoiceIssueDate": original["issueDate"],
        "originalTemplateCode": TEMPLATE,
        "additionalReferenceDesc": "BB-02",
        "additionalReferenceDate": original["issueDate"],
        **extra,
    }


def adjustment_json(original, **extra):
    """A credit note as Odoo's module sends it: negative lines, positive breakdown marked negative."""
    invoice = invoice_json(lines=((1, -100000, 10),), **reference_to(original, "5", **extra))
    invoice["itemInfo"][0].update(adjustmentTaxAmount=-10000, isIncreaseItem=False)
    invoice["taxBreakdowns"][0].update(
        taxableAmount=100000, taxAmount=10000, taxableAmountPos=False, taxAmountPos=False
    )
    return invoice


def test_an_adjustment_names_its_original_which_becomes_adjusted(simulator, client):
    original = issued_invoice(simulator, client)
    adjustment = issued_invoice(simulator, client, adjustment_json(original))
    assert (adjustment["adjustmentType"], adjustment["originalInvoiceId"]) == ("5", original["invoiceNo"])
    assert adjustment["totalAmountWithTax"] == -110000
    assert listed(simulator, original["invoiceNo"])["status"] == "adjusted"


def test_an_adjustment_without_its_original_is_refused(simulator, client):
    original = issued_invoice(simulator, client)
    refusal(
        client.create(adjustment_json(original, originalInvoiceId=f"{SYMBOL}0000099")),
        "ORIGINAL_INVOICE_NOT_FOUND",
    )
    refusal(
        client.create(adjustment_json(original, originalTemplateCode="1/999")), "ORIGINAL_INVOICE_NOT_FOUND"
    )
    other_day = original["issueDate"] - 86_400_000
    refusal(
        client.create(adjustment_json(original, originalInvoiceIssueDate=other_day)),
        "ORIGINAL_INVOICE_NOT_FOUND",
    )
    refusal(
        client.create(adjustment_json(original, adjustmentInvoiceType="")), "ADJUSTMENT_INVOICE_TYPE_INVALID"
    )
    refusal(
        client.create(adjustment_json(original, additionalReferenceDesc="")), "ADDITIONAL_REFERENCE_REQUIRED"
    )


def test_a_replacement_replaces_its_original_once(simulator, client):
    original = issued_invoice(simulator, client)
    replacement = invoice_json(lines=((2, 140000, 10),), **reference_to(original, "3"))
    assert client.create(replacement).status_code == 200
    assert listed(simulator, original["invoiceNo"])["status"] == "replaced"
    again = invoice_json(**reference_to(original, "3"))
    refusal(client.create(again), "ORIGINAL_INVOICE_INVALID")
    refusal(client.cancel(original), "INVOICE_REPLACED")


# ---------------------------------------------------------------------- files


def test_the_pdf_is_a_real_pdf_of_the_invoice(simulator, client):
    issued = issued_invoice(simulator, client)
    answer = client.file(issued, "PDF")
    assert answer.status_code == 200
    body = answer.json()
    assert body["fileName"] == f"{TAX_CODE}-{issued['invoiceNo']}.pdf" and body["paymentStatus"] is False
    data = base64.b64decode(body["fileToBytes"])
    assert data.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert issued["invoiceNo"] in text and issued["reservationCode"] in text
    assert "Ao thun cotton" in text and "330000" in text


def test_the_xml_comes_zipped_twice_with_its_stylesheet(simulator, client):
    """As Odoo's module reads it: the first file of the ZIP is a ZIP holding the XML."""
    issued = issued_invoice(simulator, client, invoice_json(symbol="C26TAA"))
    body = client.file(issued, "ZIP").json()
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(body["fileToBytes"]))) as outer:
        inner_bytes = outer.read(outer.filelist[0])
    with zipfile.ZipFile(io.BytesIO(inner_bytes)) as inner:
        names = sorted(inner.namelist())
        xml = inner.read(next(name for name in names if name.endswith(".xml")))
    assert [name.rsplit(".", 1)[1] for name in names] == ["xml", "xsl"]
    root = ElementTree.fromstring(xml)
    assert root.findtext("DLHDon/TTChung/KHHDon") == "C26TAA"
    assert root.findtext("DLHDon/TTChung/SHDon") == "1"
    assert root.findtext("DLHDon/NDHDon/NBan/MST") == TAX_CODE
    assert root.findtext("DLHDon/NDHDon/NMua/MST") == "0100109106-505"
    assert root.findtext("DLHDon/NDHDon/NMua/Ten") == "Công ty TNHH An Phát"
    assert root.findtext("DLHDon/NDHDon/DSHHDVu/HHDVu/TSuat") == "10%"
    assert root.findtext("DLHDon/NDHDon/TToan/TgTTTBSo") == "330000"
    assert root.findtext("MCCQT") == issued["codeOfTax"]


def test_a_file_of_an_unknown_invoice_or_type_is_refused(simulator, client):
    issued = issued_invoice(simulator, client)
    refusal(client.file(issued, "DOCX"), "FILE_TYPE_INVALID")
    refusal(client.file(issued, "PDF", invoiceNo=f"{SYMBOL}0000099"), "NOT_FOUND_DATA")
    refusal(client.file(issued, "PDF", transactionUuid=str(uuid.uuid4())), "NOT_FOUND_DATA")
    refusal(client.file(issued, "PDF", supplierTaxCode="0100109106"), "INVALID_SUPPLIER_TAX_CODE")


# ---------------------------------------------------------------------- payment, cancellation, search


def test_payment_status_is_set_and_taken_back(simulator, client):
    issued = issued_invoice(simulator, client)
    assert client.form("updatePaymentStatus", issued, templateCode=TEMPLATE).status_code == 200
    assert listed(simulator, issued["invoiceNo"])["paymentStatus"] is True
    assert client.search(issued["transactionUuid"]).json()["result"][0]["status"] == "Đã thanh toán"
    # Already paid: SInvoice finds no invoice to update (Odoo's module looks the status up first).
    refusal(client.form("updatePaymentStatus", issued, templateCode=TEMPLATE), "NOT_FOUND_DATA")
    assert client.form("cancelPaymentStatus", issued).status_code == 200
    assert client.search(issued["transactionUuid"]).json()["result"][0]["status"] == "Chưa thanh toán"
    refusal(client.form("cancelPaymentStatus", issued), "NOT_FOUND_DATA")


def test_payment_status_of_an_unknown_invoice_is_refused(simulator, client):
    issued = issued_invoice(simulator, client)
    refusal(client.form("updatePaymentStatus", issued, invoiceNo=f"{SYMBOL}0000099"), "NOT_FOUND_DATA")
    refusal(client.form("updatePaymentStatus", issued, strIssueDate="yesterday"), "NOT_FOUND_DATA")


def test_an_issued_invoice_is_cancelled_once(simulator, client):
    issued = issued_invoice(simulator, client)
    refusal(client.cancel(issued, additionalReferenceDesc=""), "ADDITIONAL_REFERENCE_REQUIRED")
    answer = client.cancel(issued)
    assert answer.status_code == 200 and answer.json()["errorCode"] is None
    cancelled = listed(simulator, issued["invoiceNo"])
    assert (cancelled["status"], cancelled["cancelReason"]) == ("cancelled", "Khách trả hàng")
    refusal(client.cancel(issued), "INVOICE_CANCELLED")
    refusal(client.form("updatePaymentStatus", issued, templateCode=TEMPLATE), "INVOICE_CANCELLED")
    refusal(client.create(adjustment_json(issued)), "ORIGINAL_INVOICE_INVALID")
    pdf = base64.b64decode(client.file(issued, "PDF").json()["fileToBytes"])
    assert "DA HUY" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_cancelling_an_unknown_invoice_is_refused(simulator, client):
    issued = issued_invoice(simulator, client)
    refusal(client.cancel(issued, invoiceNo=f"{SYMBOL}0000099"), "NOT_FOUND_DATA")
    refusal(client.cancel(issued, supplierTaxCode="0100109106"), "INVALID_SUPPLIER_TAX_CODE")


def test_search_by_transaction_uuid(simulator, client):
    issued = issued_invoice(simulator, client, invoice_json(symbol="C26TAA"))
    body = client.search(issued["transactionUuid"]).json()
    (found,) = body["result"]
    assert (found["invoiceNo"], found["reservationCode"]) == (issued["invoiceNo"], issued["reservationCode"])
    assert (found["issueDate"], found["status"]) == (issued["issueDate"], "Chưa thanh toán")
    # Odoo's module adjusts or replaces a C... invoice only once the tax authority approved it.
    assert found["exchangeStatus"] == "INVOICE_HAS_CODE_APPROVED"
    # Not found: no "result" at all, which Odoo's module reads as "never created".
    answer = client.search(str(uuid.uuid4()))
    refusal(answer, "NOT_FOUND_DATA")
    assert "result" not in answer.json()


# ---------------------------------------------------------------------- sellers


def test_each_seller_has_its_own_credentials_templates_and_invoices(simulator, client):
    seller = {
        "tax_code": "0109999999",
        "username": "0109999999",
        "password": "other-secret",
        "templates": {"2/001": {"invoiceType": "2", "symbols": ["K26TBB"]}},
    }
    assert (
        requests.post(f"{simulator.url}/_sandbox/sinvoice/sellers", json=seller, timeout=10).status_code
        == 200
    )
    other = Client(simulator, username="0109999999", password="other-secret")
    mine = issued_invoice(simulator, client)
    invoice = invoice_json(symbol="K26TBB", templateCode="2/001", invoiceType="2")
    invoice["sellerInfo"]["sellerTaxCode"] = "0109999999"
    answer = other.create(invoice, tax_code="0109999999")
    assert answer.status_code == 200 and answer.json()["result"]["invoiceNo"] == "K26TBB0000001"
    # A seller's token reaches only its own invoices.
    refusal(other.create(invoice_json()), "INVALID_SUPPLIER_TAX_CODE")
    assert other.search(mine["transactionUuid"]).status_code == 400
    listing = requests.get(
        f"{simulator.url}/_sandbox/sinvoice/invoices", params={"supplierTaxCode": "0109999999"}, timeout=10
    ).json()["invoices"]
    assert [row["invoiceNo"] for row in listing] == ["K26TBB0000001"]
