"""E-invoice benchmark: 1,000 channel orders invoiced, posted and sent to SInvoice.

- Ours: 1,000 confirmed prepaid orders of a channel whose policy issues one e-invoice per order at
  payment, each of another consumer, go through the steps of the scheduled job
  (``sale.order._omni_einvoice_run``) in batches of 100: the orders invoiced and posted
  (``_omni_einvoice_issue``: the batch in one savepoint), then the invoices sent through
  ``l10n_vn_edi_viettel``'s own Send step to the simulator's SInvoice (``_omni_einvoice_send``:
  the invoice, its XML and its PDF, three calls), paced at 18 calls a second under the simulator's
  documented limit of 20 per seller. A commit per batch (Odoo's module commits after each invoice).
- Beside it, stock Odoo posting the same invoices without sending them: 1,000 such orders without
  channel, ``_create_invoices()`` and ``action_post()`` per batch of 100, a commit per batch.

The company is a new one on Odoo's Vietnamese chart of accounts; the simulator runs in a process of
its own. Target: invoicing and posting ≥ 0.8 x stock Odoo's speed; every invoice sent once,
none refused. The sending rate is printed beside its ceiling under the call limit (calls per second
/ 3 invoices a second).
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from common import Bench, verdict

from odoo import Command
from odoo.osv import expression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the simulator, at the repository's root

from sandbox.sinvoice import SANDBOX_SELLER  # noqa: E402

ORDERS = 1000
BATCH = 100
CALLS_PER_SECOND = 18
CALLS_PER_INVOICE = 3


class EinvoiceBench(Bench):
    def _setup(self):
        """A Vietnamese company, the simulator, a channel and 2 x 1,000 confirmed orders (not timed)."""
        env = self.env
        company = env["res.company"].create(
            {
                "name": f"Bench e-invoice {self.tag}",
                "country_id": env.ref("base.vn").id,
                "currency_id": env.ref("base.VND").id,
                "vat": SANDBOX_SELLER["tax_code"],
                "street": "65 Lê Lợi",
                "state_id": env.ref("base.state_vn_VN-SG").id,
                "l10n_vn_edi_username": SANDBOX_SELLER["username"],
                "l10n_vn_edi_password": SANDBOX_SELLER["password"],
            }
        )
        env.ref("base.VND").active = True
        env["account.chart.template"].try_loading("vn", company, install_demo=False)
        env.user.company_ids |= company
        self.env = env = env(context={"allowed_company_ids": [company.id]})
        self.company = company
        self.url = self._start_simulator()
        params = env["ir.config_parameter"]
        params.set_param("omni_vn_einvoice.sinvoice_url", f"{self.url}/sinvoice/")
        params.set_param("omni_vn_einvoice.calls_per_second", CALLS_PER_SECOND)
        Template = env["l10n_vn_edi_viettel.sinvoice.template"]
        template = Template.search([("name", "=", "1/001")]) or Template.create(
            {"name": "1/001", "template_invoice_type": "1"}
        )
        Symbol = env["l10n_vn_edi_viettel.sinvoice.symbol"]
        symbol = Symbol.search([("name", "=", "K26TAA"), ("invoice_template_id", "=", template.id)])
        symbol = symbol or Symbol.create({"name": "K26TAA", "invoice_template_id": template.id})
        pricelist = env["product.pricelist"].create(
            {"name": f"Bench e-invoice {self.tag}", "currency_id": company.currency_id.id}
        )
        self.channel = env["omni.channel"].create(
            {
                "name": f"Bench e-invoice {self.tag}",
                "code": f"bench_einvoice_{self.tag}",
                "channel_type": "api",
                "pricelist_id": pricelist.id,
                "einvoice_trigger": "payment",
                "einvoice_consumer_mode": "per_order",
                "einvoice_symbol_id": symbol.id,
            }
        )
        self.product = env["product.product"].create(
            {
                "name": f"Áo thun {self.tag}",
                "default_code": f"TEE-{self.tag}",
                "type": "service",
                "list_price": 150000,
                "taxes_id": [Command.set(company.account_sale_tax_id.ids)],
            }
        )
        self.ours = self._orders(self.channel, pricelist)
        self.stock = self._orders(None, pricelist)

    def _start_simulator(self):
        """The simulator in a process of its own, as SInvoice is a service of its own."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.simulator = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL
        )
        url = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                requests.get(f"{url}/_sandbox/sinvoice/invoices", timeout=1)
                return url
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("The simulator did not start.")

    def _buyer(self, number):
        return {"name": f"N****n {self.tag}-{number}", "street": "******", "phone": "******89"}

    def _orders(self, channel, pricelist):
        env, orders = self.env, self.env["sale.order"]
        for start in range(0, ORDERS, BATCH):
            partners = env["res.partner"].create(self._buyers(BATCH))
            batch = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "pricelist_id": pricelist.id,
                        "omni_channel_id": channel.id if channel else False,
                        "omni_external_ref": f"EI-{self.tag}-{start + index}" if channel else False,
                        "omni_status": "ready_to_ship" if channel else False,
                        "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 2})],
                    }
                    for index, partner in enumerate(partners)
                ]
            )
            batch.action_confirm()
            env.cr.commit()
            orders |= batch
        return orders

    def run(self):
        env = self.env
        Move = env["account.move"]
        env.invalidate_all()
        started = time.perf_counter()
        for start in range(0, ORDERS, BATCH):
            batch = self.stock[start : start + BATCH]
            batch._create_invoices(final=True).action_post()
            env.cr.commit()
        stock_seconds = time.perf_counter() - started

        env.invalidate_all()
        due = expression.AND(
            [env["sale.order"]._omni_einvoice_due_domain(), [("omni_channel_id", "=", self.channel.id)]]
        )
        sendable = expression.AND(
            [Move._omni_einvoice_sendable_domain(), [("omni_einvoice_channel_id", "=", self.channel.id)]]
        )
        issue_seconds = send_seconds = 0.0
        invoiced = sent = 0
        while True:
            started = time.perf_counter()
            orders = env["sale.order"].search(due, limit=BATCH, order="id")
            invoiced += orders._omni_einvoice_issue()
            env.cr.commit()
            issue_seconds += time.perf_counter() - started
            started = time.perf_counter()
            sent += Move.search(sendable, limit=BATCH, order="id")._omni_einvoice_send()
            env.cr.commit()
            send_seconds += time.perf_counter() - started
            if not orders:
                break
        issued = requests.get(f"{self.url}/_sandbox/sinvoice/invoices", timeout=30).json()["invoices"]
        self.simulator.terminate()
        self.simulator.wait()

        stock_invoices = self.stock.invoice_ids.filtered(lambda move: move.state == "posted")
        our_invoices = self.ours.invoice_ids
        checks = {
            "stock Odoo posted 1,000 invoices": len(stock_invoices) == ORDERS,
            "ours: 1,000 orders invoiced": invoiced == ORDERS and len(our_invoices) == ORDERS,
            "ours: 1,000 e-invoices sent, each once": sent == ORDERS and len(issued) == ORDERS,
            "ours: every PDF and XML attached": all(our_invoices.mapped("l10n_vn_edi_sinvoice_pdf_file_id"))
            and all(our_invoices.mapped("l10n_vn_edi_sinvoice_xml_file_id")),
        }
        rows = [
            ("stock Odoo: invoice + post (no sending)", stock_seconds),
            ("ours: invoice + post per policy", issue_seconds),
            ("ours: send to SInvoice (3 calls each)", send_seconds),
            ("ours: invoiced, posted and sent", issue_seconds + send_seconds),
        ]
        print(f"{'phase':<44} {'s':>7} {'orders/s':>9}")
        for label, seconds in rows:
            print(f"{label:<44} {seconds:>7.1f} {ORDERS / seconds:>9.1f}")
        for label, ok in checks.items():
            print(f"{label:<44} {'ok' if ok else 'FAILED'}")
        ceiling = CALLS_PER_SECOND / CALLS_PER_INVOICE
        rate = ORDERS / send_seconds / ceiling
        print(f"{'send rate / call-limit ceiling':<44} {rate:>7.2f} (ceiling {ceiling:.0f}/s)")
        ok = verdict("invoice+post vs stock", stock_seconds / issue_seconds, 0.8, fmt="{:.2f}")
        return ok and all(checks.values())


def run(env, options):
    return EinvoiceBench(env).run()
