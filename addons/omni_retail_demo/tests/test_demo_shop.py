from datetime import timedelta

from odoo import fields
from odoo.addons.omni_loyalty.tests.loyalty_common import assert_one_loyalty_truth
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoShop(TransactionCase):
    """What the demo of `make run` promises, on the database the addon was installed in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.channels = cls.env["omni.channel"].search([("company_id", "=", cls.company.id)])
        cls.customers = cls.env["res.partner"].search(
            [("customer_rank", ">", 0), ("parent_id", "=", False), ("is_company", "=", False)]
        )

    def test_vietnamese_company(self):
        company = self.company
        self.assertEqual(company.currency_id.name, "VND")
        self.assertEqual(company.currency_id.decimal_places, 0)
        self.assertEqual(company.country_id.code, "VN")
        self.assertIn("Hồ Chí Minh", company.state_id.name)
        # Addresses in the 2025 map: province and ward, the former ones kept readable.
        self.assertEqual(company.partner_id.omni_vn_ward_id.name, "Phường Sài Gòn")
        self.assertEqual(company.partner_id.omni_vn_old_address, "Phường Bến Nghé, Quận 1, Hồ Chí Minh")
        self.assertFalse(
            self.customers.filtered(lambda customer: customer.street and not customer.omni_vn_ward_id)
        )
        self.assertEqual(company.chart_template, "vn")
        self.assertEqual(company.account_price_include, "tax_included")
        self.assertTrue(company.account_sale_tax_id.amount == 10)
        self.assertIn("vi_VN", dict(self.env["res.lang"].get_installed()))
        # Every price list, channel and loyalty program speaks VND.
        self.assertEqual(set(self.env["product.pricelist"].search([]).currency_id.mapped("name")), {"VND"})
        self.assertEqual(set(self.channels.currency_id.mapped("name")), {"VND"})
        programs = self.env["loyalty.program"].search([])
        self.assertEqual(set(programs.currency_id.mapped("name")), {"VND"})

    def test_warehouse_and_stores(self):
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)])
        self.assertEqual(sorted(warehouses.mapped("code")), ["Q1", "Q7", "WH"])
        configs = self.env["pos.config"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            sorted(configs.picking_type_id.warehouse_id.mapped("code")),
            ["Q1", "Q7"],
            "a point of sale per store",
        )

    def test_every_channel_lists_its_products(self):
        self.assertEqual(
            sorted(self.channels.mapped("channel_type")),
            sorted(["shopee", "lazada", "tiktok", "tiki", "shopify", "woocommerce", "api"]),
        )
        for channel in self.channels:
            self.assertGreaterEqual(len(channel.listing_ids), 5, channel.name)
        partner = self.channels.filtered(lambda c: c.code == "partner_api")
        differing = partner.listing_ids.filtered(lambda x: x.external_sku != x.product_id.default_code)
        self.assertEqual(
            sorted(differing.mapped("external_sku")), ["MUG-INTERNAL", "SHOP-TEE-L", "SHOP-TEE-M"]
        )

    def test_customers_are_one_person_each(self):
        self.assertGreater(len(self.customers), 30)
        # Nobody is empty: every customer has a phone and bought something.
        self.assertFalse(self.customers.filtered(lambda p: not p.phone))
        self.assertEqual(set(self.customers.mapped("lang")), {"vi_VN"}, "written to in Vietnamese")
        sale_partners = self.env["sale.order"].search([]).partner_id
        pos_partners = self.env["pos.order"].search([]).partner_id
        self.assertFalse(self.customers - sale_partners - pos_partners, "customers without any order")
        # One customer per phone, however many channels the person buys on.
        identities = self.env["omni.customer.identity"].search([("kind", "=", "phone")])
        by_value = {}
        for identity in identities:
            by_value.setdefault(identity.value, set()).add(identity.partner_id.commercial_partner_id)
        self.assertFalse({value for value, partners in by_value.items() if len(partners) > 1})
        self.assertEqual(
            len(self.customers), len(set(self.customers.mapped("name"))), "no two customers share a name"
        )
        # Store customers also buy on the marketplaces, and some buyers on several channels.
        shopee = self.env["sale.order"].search([("omni_channel_id.channel_type", "=", "shopee")]).partner_id
        self.assertTrue(shopee & pos_partners)
        per_customer = {}
        for order in self.env["sale.order"].search([("omni_channel_id", "!=", False)]):
            per_customer.setdefault(order.partner_id, set()).add(order.omni_channel_id)
        self.assertTrue([partner for partner, channels in per_customer.items() if len(channels) > 1])

    def test_months_of_orders(self):
        SaleOrder = self.env["sale.order"]
        orders = SaleOrder.search([("omni_channel_id", "!=", False)])
        self.assertGreater(len(orders), 60)
        oldest = min(orders.mapped("date_order"))
        self.assertLess(oldest, fields.Datetime.now() - timedelta(days=90))
        statuses = set(orders.mapped("omni_status"))
        self.assertLessEqual(
            {"completed", "cancelled", "returned", "shipped", "ready_to_ship", "unpaid"}, statuses
        )
        self.assertTrue(orders.filtered("omni_pickup_warehouse_id"), "click-and-collect orders")
        returned = orders.filtered(lambda o: o.omni_status == "returned")
        self.assertTrue(
            all(
                returned.picking_ids.filtered(lambda p: p.picking_type_code == "incoming").mapped(
                    lambda p: p.state == "done"
                )
            )
        )
        # Shipped history is delivered and the channels need not hear of it again.
        completed = orders.filtered(lambda o: o.omni_status == "completed")
        self.assertTrue(all(p.state == "done" for p in completed.picking_ids))
        self.assertFalse(self.env["queue.job"].search([("method_name", "=", "_omni_ship_job")]))
        # The stores sold too, and their sessions are closed.
        pos_orders = self.env["pos.order"].search([])
        self.assertEqual(len(pos_orders.session_id.config_id), 2)
        self.assertEqual(set(pos_orders.session_id.mapped("state")), {"closed"})
        # The partner system's order of an unknown SKU waits in the inbox.
        waiting = self.env["omni.channel.inbox"].search([("state", "=", "attention")])
        self.assertEqual(waiting.external_id, "B2B-0002")

    def test_loyalty(self):
        programs = self.env["loyalty.program"].search([("program_type", "=", "loyalty")])
        self.assertEqual(len(programs), 1, "one loyalty program")
        program = programs
        self.assertTrue(program.omni_is_default)
        self.assertEqual(len(program.omni_tier_ids), 4)
        self.assertTrue(program.omni_earn_rule_ids.channel_id)
        self.assertTrue(program.omni_points_validity_months)
        cards = self.env["loyalty.card"].search([("program_id", "=", program.id)])
        self.assertGreater(len(cards), 20)
        self.assertTrue(cards.filtered(lambda c: c.points > 0))
        self.assertGreater(len(cards.omni_tier_id), 1, "customers in several tiers")
        # Store customers earned at the counter; channel buyers on their orders.
        moves = self.env["omni.loyalty.move"].search(
            [("card_id", "in", cards.ids), ("move_type", "=", "earn")]
        )
        self.assertTrue(moves.filtered("pos_order_id"))
        self.assertTrue(moves.filtered("sale_order_id"))
        assert_one_loyalty_truth(self, program)

    def test_customer_metrics(self):
        segments = set(self.customers.mapped("omni_segment"))
        self.assertGreater(len(segments - {False}), 2, segments)

    def test_api_examples(self):
        """docs/api.md's examples run against the demo: its phone is nobody's yet, its SKUs and
        store are the partner system's."""
        phone = self.env["res.partner"].search([("phone", "in", ("0912 345 678", "0912345678"))])
        self.assertFalse(phone)
        self.assertFalse(self.env["omni.customer.identity"].search([("value", "=", "+84912345678")]))
        partner = self.channels.filtered(lambda c: c.code == "partner_api")
        self.assertEqual(partner.warehouse_ids.code, "Q1")
        products = partner._omni_products_of_skus(["SHOP-TEE-M", "MUG-INTERNAL"])
        quantities = partner._omni_ats_by_product(products["SHOP-TEE-M"] | products["MUG-INTERNAL"])
        # What the examples see once their order took 2 T-shirts.
        self.assertEqual(quantities[products["SHOP-TEE-M"].id] - 2, 12)
        self.assertEqual(quantities[products["MUG-INTERNAL"].id], 3)

    def test_e_invoices(self):
        """The demo sends e-invoices to the simulator's SInvoice: the company is its seller there and
        every channel and store has a policy; the scheduled job finds orders due (or has invoiced them)."""
        self.assertEqual(self.company.sudo().l10n_vn_edi_username, "0312345678")
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("omni_vn_einvoice.sinvoice_url"),
            "http://127.0.0.1:8900/sinvoice/",
        )
        self.assertFalse(self.channels.filtered(lambda c: not c.einvoice_trigger or not c.einvoice_symbol_id))
        SaleOrder = self.env["sale.order"]
        due = SaleOrder.search_count(SaleOrder._omni_einvoice_due_domain())
        self.assertGreaterEqual(due + SaleOrder.search_count([("omni_einvoice_state", "!=", False)]), 40)
        # The stores' receipts were invoiced when their sessions closed, for the job to send.
        receipts = self.env["pos.order"].search([])
        self.assertEqual(set(receipts.config_id.omni_einvoice_symbol_id.mapped("name")), {"C26MAA"})
        self.assertEqual(set(receipts.mapped("omni_einvoice_state")), {"to_send"})

    def test_carriers(self):
        """The web stores' and chat orders to ship go with GHN and GHTK, the simulator's accounts."""
        carriers = self.env["delivery.carrier"].search([("delivery_type", "in", ("ghn", "ghtk"))])
        self.assertEqual(sorted(carriers.mapped("delivery_type")), ["ghn", "ghtk"])
        self.assertTrue(
            all(
                url.startswith("http://127.0.0.1:8900/") for url in carriers.sudo().mapped("omni_carrier_url")
            )
        )
        to_ship = self.env["stock.picking"].search([("carrier_id", "in", carriers.ids)])
        self.assertEqual(to_ship.carrier_id, carriers, "parcels for both carriers")
        self.assertTrue(all(picking.state == "assigned" for picking in to_ship), "ready to validate")
        self.assertTrue(
            to_ship.sale_id.filtered("omni_channel_id")
            and to_ship.sale_id.filtered(lambda o: not o.omni_channel_id)
        )
        self.assertTrue(
            all(picking.partner_id.omni_vn_ward_id for picking in to_ship), "addresses of the 2025 map"
        )

    def test_campaigns(self):
        """The 11.11 sale is over, its orders placed at its prices; the 12.12 sale waits to start."""
        Campaign = self.env["omni.campaign"]
        ended = Campaign.search([("name", "=", "Sale 11.11")])
        self.assertEqual(ended.state, "ended")
        orders = self.env["sale.order"].search([("omni_campaign_id", "=", ended.id)])
        self.assertTrue(orders, "the campaign's orders record it")
        self.assertEqual(orders.omni_channel_id, ended.channel_line_ids.channel_id)
        bag = ended.line_ids.filtered(lambda line: line.product_id.default_code == "BAG-01")
        bag_lines = orders.order_line.filtered(lambda line: line.product_id == bag.product_id)
        self.assertEqual(set(bag_lines.mapped("price_unit")), {99000}, "sold at the campaign's price")
        ready = Campaign.search([("name", "=", "Sale 12.12")])
        self.assertEqual(ready.state, "draft")
        self.assertEqual(len(ready.channel_line_ids), 6)
        self.assertGreater(ready.date_start, fields.Datetime.now())
