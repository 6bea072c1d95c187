"""E-invoices over RPC: an integrator's order of a channel that issues e-invoices at payment gets one
SInvoice e-invoice (from the simulator) when the accountant sends them, its refund the adjustment of
that e-invoice; sending again sends nothing twice."""

import time
import uuid

import pytest
import requests
from conftest import XmlRpcClient

TEMPLATE, SYMBOL = "1/001", "K26TAA"
URL_PARAM = "omni_vn_einvoice.sinvoice_url"


@pytest.fixture
def shop(server, admin, simulator):
    """A company in Vietnam (Odoo's Vietnamese chart, the simulator's seller), its channel issuing
    e-invoices at payment one per order, its integrator; Odoo's SInvoice calls go to the simulator."""
    from sandbox.sinvoice import SANDBOX_SELLER  # noqa: PLC0415 - the simulator is at the root

    suffix = uuid.uuid4().hex[:6]
    company = admin.env["res.company"].create(
        {
            "name": f"Công ty hóa đơn {suffix}",
            "country_id": admin.env.ref("base.vn").id,
            "currency_id": admin.env.ref("base.VND").id,
            "vat": SANDBOX_SELLER["tax_code"],
            "street": "65 Lê Lợi",
            "state_id": admin.env.ref("base.state_vn_VN-SG").id,
            "phone": "028 3823 4567",
            "l10n_vn_edi_username": SANDBOX_SELLER["username"],
            "l10n_vn_edi_password": SANDBOX_SELLER["password"],
        }
    )
    admin.env["res.currency"].with_context(active_test=False).browse(admin.env.ref("base.VND").id).write(
        {"active": True}
    )
    admin.env["account.chart.template"].try_loading("vn", company, False)
    admin.env.user.write({"company_ids": [(4, company)]})

    def call(model, method, *args, **kwargs):
        """The accountant at work in the company."""
        return admin.execute_kw(
            model, method, list(args), {**kwargs, "context": {"allowed_company_ids": [company]}}
        )

    def one(model, values):
        """The record with ``values``, made if there is none."""
        found = call(model, "search", [(name, "=", value) for name, value in values.items()], limit=1)
        return found[0] if found else call(model, "create", values)

    template = one("l10n_vn_edi_viettel.sinvoice.template", {"name": TEMPLATE, "template_invoice_type": "1"})
    symbol = one("l10n_vn_edi_viettel.sinvoice.symbol", {"name": SYMBOL, "invoice_template_id": template})
    (tax,) = call(
        "account.tax",
        "search",
        [("company_id", "=", company), ("type_tax_use", "=", "sale"), ("amount", "=", 10)],
        limit=1,
    )
    sku = f"EINV-{suffix}"
    call("product.product", "create", {"name": "Áo thun", "default_code": sku, "taxes_id": [(6, 0, [tax])]})
    pricelist = call(
        "product.pricelist", "create", {"name": f"VND {suffix}", "currency_id": admin.env.ref("base.VND").id}
    )
    code = f"einv-{suffix}"
    # Odoo makes a new company's warehouse in its own tests only.
    warehouse = call(
        "stock.warehouse",
        "create",
        {"name": f"Kho {suffix}", "code": f"E{suffix[:4]}", "company_id": company},
    )
    channel = call(
        "omni.channel",
        "create",
        {
            "name": f"Kênh hóa đơn {suffix}",
            "code": code,
            "channel_type": "api",
            "company_id": company,
            "pricelist_id": pricelist,
            "warehouse_ids": [(6, 0, [warehouse])],
            "einvoice_trigger": "payment",
            "einvoice_consumer_mode": "per_order",
            "einvoice_symbol_id": symbol,
        },
    )
    login = f"integrator-einv-{suffix}"
    groups = [admin.env.ref("base.group_portal").id, admin.env.ref("omni_channel_sync.group_integrator").id]
    user = admin.env["res.users"].create(
        {
            "name": "Partner system (e-invoices)",
            "login": login,
            "company_id": company,
            "company_ids": [(6, 0, [company])],
            "groups_id": [(6, 0, groups)],
        }
    )
    Issue = admin.env["omni.api.key.issue"]
    wizard = Issue.create({"user_id": user, "name": "e-invoice tests"})
    Issue.browse(wizard).action_issue()
    integrator = XmlRpcClient(server["url"], server["db"], login, Issue.read([wizard], ["key"])[0]["key"])
    Param = admin.env["ir.config_parameter"]
    before = Param.get_param(URL_PARAM)
    Param.set_param(URL_PARAM, f"{simulator.url}/sinvoice/")
    yield {"call": call, "channel": channel, "code": code, "sku": sku, "integrator": integrator}
    Param.set_param(URL_PARAM, before or False)  # none: Viettel's address again


def order(ref, sku, returns=()):
    return {
        "external_id": ref,
        "status": "ready_to_ship",
        "updated_at": f"2026-11-20T07:0{len(returns)}:00Z",
        "currency": "VND",
        "customer": {"buyer_id": f"b-{ref}", "name": "Công ty TNHH Cà Phê Sài Gòn", "phone": "0912345678"},
        "lines": [{"sku": sku, "quantity": 2, "unit_price": 100000}],
        "payment_method": "prepaid",
        "returns": list(returns),
    }


def issued(simulator):
    return requests.get(f"{simulator.url}/_sandbox/sinvoice/invoices", timeout=10).json()["invoices"]


def test_an_integrators_order_gets_one_e_invoice_and_its_refund_the_adjustment(shop, simulator):
    call, integrator = shop["call"], shop["integrator"]
    ref = f"EINV-{uuid.uuid4().hex[:8]}"
    (result,) = integrator.call("omni.channel", "api_ingest_orders", shop["code"], [order(ref, shop["sku"])])
    assert result["status"] == "created", result
    sale_id = result["sale_order_id"]

    def send_now():
        answer = call("omni.channel", "action_omni_einvoice_run", [shop["channel"]])
        assert answer["tag"] == "display_notification", answer

    def send_until(done):
        """Sends now until ``done()``: the scheduled job, which other tests' till sales wake, may
        be invoicing or sending the same orders at that moment (a run leaves those to it)."""
        deadline = time.monotonic() + 60
        while True:
            send_now()
            if done() or time.monotonic() > deadline:
                return
            time.sleep(0.5)

    def sale():
        (values,) = call("sale.order", "read", [sale_id], ["omni_einvoice_state", "invoice_ids"])
        return values

    send_until(lambda: sale()["omni_einvoice_state"] == "sent")
    sale_values = sale()
    assert sale_values["omni_einvoice_state"] == "sent"
    (invoice,) = call(
        "account.move",
        "read",
        sale_values["invoice_ids"],
        ["l10n_vn_edi_invoice_number", "l10n_vn_edi_invoice_state"],
    )
    assert invoice["l10n_vn_edi_invoice_state"] == "sent"
    assert [i["invoiceNo"] for i in issued(simulator)] == [invoice["l10n_vn_edi_invoice_number"]]

    send_now()
    assert len(issued(simulator)) == 1, "a rerun sends nothing twice"

    refund = {"return_id": f"RT-{ref}", "status": "refunded", "lines": [{"sku": shop["sku"], "quantity": 1}],
              "refund_amount": 110000}  # fmt: skip
    (result,) = integrator.call(
        "omni.channel", "api_ingest_orders", shop["code"], [order(ref, shop["sku"], [refund])]
    )
    assert result["status"] == "updated", result

    def credit_notes():
        moves = call(
            "account.move",
            "read",
            sale()["invoice_ids"],
            ["move_type", "reversed_entry_id", "l10n_vn_edi_invoice_number", "l10n_vn_edi_invoice_state"],
        )
        return [move for move in moves if move["move_type"] == "out_refund"]

    send_until(lambda: [move["l10n_vn_edi_invoice_state"] for move in credit_notes()] == ["sent"])
    (credit_note,) = credit_notes()
    assert credit_note["reversed_entry_id"][0] == invoice["id"]
    assert credit_note["l10n_vn_edi_invoice_state"] == "sent"
    by_number = {i["invoiceNo"]: i for i in issued(simulator)}
    assert len(by_number) == 2, "the original once, its adjustment once"
    adjustment = by_number[credit_note["l10n_vn_edi_invoice_number"]]
    assert adjustment["adjustmentType"] == "5"
    assert adjustment["originalInvoiceId"] == invoice["l10n_vn_edi_invoice_number"]
    assert by_number[invoice["l10n_vn_edi_invoice_number"]]["status"] == "adjusted"


def test_a_stores_receipts_get_cash_register_e_invoices_in_the_background(shop, simulator):
    """The till sells and closes its session over RPC, never waiting on SInvoice; the scheduled job,
    which each sale has run in the background, sends one e-invoice per receipt under the
    cash-register symbol, and the closing entry leaves the invoiced receipts out."""
    call = shop["call"]
    company = call("omni.channel", "read", [shop["channel"]], ["company_id"])[0]["company_id"][0]
    (template,) = call("l10n_vn_edi_viettel.sinvoice.template", "search", [("name", "=", TEMPLATE)], limit=1)
    symbol_values = {"name": "C26MAA", "invoice_template_id": template}
    Symbol = "l10n_vn_edi_viettel.sinvoice.symbol"
    found = call(Symbol, "search", [(name, "=", value) for name, value in symbol_values.items()], limit=1)
    symbol = found[0] if found else call(Symbol, "create", symbol_values)
    journals = {
        kind: call("account.journal", "search", [("company_id", "=", company), ("type", "=", kind)], limit=1)[
            0
        ]
        for kind in ("cash", "sale")
    }
    cash = call("pos.payment.method", "create", {"name": "Tiền mặt", "journal_id": journals["cash"]})
    config = call(
        "pos.config",
        "create",
        {
            "name": f"Cửa hàng {shop['code']}",
            "invoice_journal_id": journals["sale"],
            "payment_method_ids": [(6, 0, [cash])],
            "omni_einvoice": True,
            "omni_einvoice_symbol_id": symbol,
        },
    )
    call("pos.config", "open_ui", [config])
    (session,) = call("pos.session", "search", [("config_id", "=", config), ("state", "!=", "closed")])
    call("pos.session", "set_opening_control", [session], 0, False)
    (product,) = call("product.product", "search_read", [("default_code", "=", shop["sku"])], ["taxes_id"])

    def receipt(ref):
        return {
            "uuid": ref, "name": f"Order {ref}", "session_id": session,
            "date_order": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), "sequence_number": 1,
            "amount_total": 110000, "amount_tax": 10000, "amount_paid": 110000, "amount_return": 0,
            "fiscal_position_id": False, "partner_id": False, "to_invoice": False,
            "lines": [(0, 0, {"product_id": product["id"], "qty": 1, "price_unit": 100000, "discount": 0,
                              "price_subtotal": 100000, "price_subtotal_incl": 110000,
                              "tax_ids": [(6, 0, product["taxes_id"])], "pack_lot_ids": []})],
            "payment_ids": [(0, 0, {"amount": 110000, "payment_method_id": cash})],
        }  # fmt: skip

    result = call("pos.order", "sync_from_ui", [receipt(str(uuid.uuid4())), receipt(str(uuid.uuid4()))])
    orders = [order["id"] for order in result["pos.order"]]
    call("pos.session", "post_closing_cash_details", [session], 220000)
    assert call("pos.session", "close_session_from_ui", [session])["successful"]

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        read = call("pos.order", "read", orders, ["omni_einvoice_state", "omni_einvoice_number"])
        if {order["omni_einvoice_state"] for order in read} == {"sent"}:
            break
        time.sleep(1)
    assert {order["omni_einvoice_state"] for order in read} == {"sent"}, read
    by_number = {invoice["invoiceNo"]: invoice for invoice in issued(simulator)}
    for order in read:
        assert by_number[order["omni_einvoice_number"]]["invoiceSeries"] == "C26MAA"
    (closing,) = call("pos.session", "read", [session], ["move_id"])
    lines = call(
        "account.move.line", "search_read", [("move_id", "=", closing["move_id"][0])], ["account_type"]
    )
    assert "income" not in {line["account_type"] for line in lines}, (
        "the receipts are booked by their invoices"
    )
