from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OmniStockCase


@tagged("post_install", "-at_install")
class TestHold(OmniStockCase):
    def order(self, external_id="SO-1", status="unpaid", quantity=3, pay_by=None, **values):
        return {
            "external_id": external_id,
            "status": status,
            "currency": "VND",
            "customer": {"buyer_id": "buyer-1", "name": "Trần Thị Bình", "phone": "0912345678"},
            "lines": [{"line_id": "L1", "sku": "SP-TEE", "quantity": quantity, "unit_price": 150000}],
            "pay_by": fields.Datetime.to_string(pay_by or fields.Datetime.now() + timedelta(hours=2)),
            **values,
        }

    def ingest(self, *orders):
        return (
            self.env["omni.channel"]
            .with_user(self.integrator)
            .api_ingest_orders("stock_shopee", list(orders))
        )

    def holds(self, reference):
        return self.env["omni.stock.hold"].search([("reference", "=", reference)])

    def test_holds_lower_ats_of_every_channel(self):
        hold, shortages = self.hold(self.shopee, "cart-1", {self.tee: 4})
        self.assertFalse(shortages)
        self.assertRecordValues(
            hold.line_ids, [{"product_id": self.tee.id, "warehouse_id": self.warehouse.id, "quantity": 4}]
        )
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [6, 6])
        hold.action_release()
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [10, 10])

    def test_hold_is_all_or_nothing(self):
        hold, shortages = self.hold(self.shopee, "cart-1", {self.tee: 2, self.mug: 5})
        self.assertFalse(hold)
        self.assertEqual(shortages, [(self.mug, 5, 4)])
        self.assertFalse(self.holds("cart-1"))
        self.assertEqual(self.ats(self.shopee_tee), [10])

    def test_hold_respects_the_channel_policy(self):
        self.shopee.write({"stock_buffer": 2, "stock_share": 50})
        self.assertTrue(self.hold(self.shopee, "cart-1", {self.tee: 5})[1])
        hold, shortages = self.hold(self.shopee, "cart-2", {self.tee: 4})
        self.assertTrue(hold)
        self.assertFalse(shortages)

    def test_hold_splits_over_warehouses(self):
        self.shopee.warehouse_ids |= self.store
        self.set_stock(self.tee, 3, self.store)
        hold, _shortages = self.hold(self.shopee, "cart-1", {self.tee: 12})
        self.assertEqual(
            {line.warehouse_id: line.quantity for line in hold.line_ids}, {self.warehouse: 10, self.store: 2}
        )

    def test_click_and_collect_holds_in_the_store(self):
        self.set_stock(self.tee, 3, self.store)
        self.assertTrue(self.hold(self.shopee, "cart-1", {self.tee: 4}, warehouse=self.store)[1])
        hold, _shortages = self.hold(self.shopee, "cart-2", {self.tee: 3}, warehouse=self.store)
        self.assertEqual(hold.line_ids.warehouse_id, self.store)
        self.assertEqual(self.ats(self.shopee_tee), [10])

    def test_expiry(self):
        hold, _shortages = self.hold(self.shopee, "cart-1", {self.tee: 4}, minutes=90)
        self.assertFalse(hold.expiring_soon)
        self.assertIn(hold, self.env["omni.stock.hold"].search([("expiring_soon", "=", False)]))
        with freeze_time(fields.Datetime.now() + timedelta(minutes=40)):
            self.assertTrue(
                self.env["omni.stock.hold"].search([("id", "=", hold.id), ("expiring_soon", "=", True)])
            )
            self.env["omni.stock.hold"]._cron_expire()
            self.assertEqual(hold.state, "active")
        with freeze_time(fields.Datetime.now() + timedelta(minutes=91)):
            # Past its expiry a hold holds nothing, even before the scheduled action closes it.
            self.assertEqual(self.ats(self.shopee_tee), [10])
            self.env["omni.stock.hold"]._cron_expire()
        self.assertEqual(hold.state, "expired")
        self.assertTrue(hold.closed_at)

    def test_hold_changes_mark_products_dirty_at_the_commit(self):
        Dirty = self.env["omni.stock.dirty"]
        self.env.cr.flush()  # the commit's precommit hooks: marks of the setup
        Dirty.search([]).unlink()
        hold, _shortages = self.hold(self.shopee, "cart-1", {self.tee: 1})
        self.assertFalse(Dirty.search([]), "marked just before the commit, not earlier")
        self.env.cr.flush()
        self.assertEqual(Dirty.search([]).product_id, self.tee)
        Dirty.search([]).unlink()
        hold.action_release()
        self.env.cr.flush()
        self.assertEqual(Dirty.search([]).product_id, self.tee)

    # ------------------------------------------------------------------ orders

    def test_unpaid_order_holds_then_confirm_converts(self):
        pay_by = fields.Datetime.now() + timedelta(hours=5)
        (result,) = self.ingest(self.order(pay_by=pay_by))
        self.assertEqual(result["status"], "created", result)
        hold = self.holds("SO-1")
        order = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertRecordValues(
            hold, [{"state": "active", "sale_order_id": order.id, "channel_id": self.shopee.id}]
        )
        self.assertEqual(hold.expires_at, pay_by.replace(microsecond=0))
        self.assertEqual(self.ats(self.lazada_tee), [7])
        self.ingest(self.order(status="ready_to_ship", updated_at="2030-01-01T00:00:00Z"))
        self.assertEqual(order.state, "sale")
        self.assertEqual(hold.state, "converted")
        # The delivery reserves the 3 units now; they are not counted twice.
        self.assertEqual(self.ats(self.lazada_tee), [7])

    def test_cancelled_order_releases_its_hold(self):
        self.ingest(self.order())
        self.ingest(self.order(status="cancelled", updated_at="2030-01-01T00:00:00Z"))
        self.assertEqual(self.holds("SO-1").state, "released")
        self.assertEqual(self.ats(self.lazada_tee), [10])

    def test_partial_cancellation_lowers_the_hold_then_the_delivery(self):
        """Units the channel cancels stop being held, and once confirmed stop being delivered;
        the same update again changes nothing more."""
        self.ingest(self.order(quantity=3))
        hold = self.holds("SO-1")
        cancelled = [
            {"line_id": "L1", "sku": "SP-TEE", "quantity": 3, "unit_price": 150000, "cancelled_quantity": 1}
        ]
        self.ingest(self.order(lines=cancelled, updated_at="2030-01-01T00:00:00Z"))
        self.assertEqual(hold.quantity, 2)
        self.assertEqual(self.ats(self.lazada_tee), [8])
        self.ingest(self.order(status="ready_to_ship", lines=cancelled, updated_at="2030-01-02T00:00:00Z"))
        order = hold.sale_order_id
        self.assertEqual((order.state, order.order_line.product_uom_qty), ("sale", 2))
        cancelled[0]["cancelled_quantity"] = 2
        for _again in range(2):
            self.ingest(
                self.order(status="ready_to_ship", lines=cancelled, updated_at="2030-01-03T00:00:00Z")
            )
        self.assertEqual(order.order_line.product_uom_qty, 1)
        self.assertEqual(
            sum(order.picking_ids.move_ids.filtered(lambda m: m.state != "cancel").mapped("product_uom_qty")),
            1,
        )
        self.assertEqual(self.ats(self.lazada_tee), [9])
        told = order.message_ids.filtered(lambda message: "The channel cancelled" in (message.body or ""))
        self.assertEqual(len(told), 1)

    def test_order_without_pay_by_uses_channel_ttl(self):
        self.shopee.hold_ttl_minutes = 15
        order = self.order()
        order.pop("pay_by")
        self.ingest(order)
        hold = self.holds("SO-1")
        self.assertAlmostEqual(
            hold.expires_at, fields.Datetime.now() + timedelta(minutes=15), delta=timedelta(minutes=1)
        )

    def test_order_update_follows_quantities(self):
        self.ingest(self.order(updated_at="2030-01-01T00:00:00Z"))
        self.ingest(self.order(quantity=5, updated_at="2030-01-01T01:00:00Z"))
        hold = self.holds("SO-1")
        self.assertEqual(hold.line_ids.quantity, 5)
        # More than there is: the order follows, the hold keeps what it had, the order says so.
        self.ingest(self.order(quantity=11, updated_at="2030-01-01T02:00:00Z"))
        self.assertEqual(hold.line_ids.quantity, 5)
        self.assertIn(
            "Not enough stock for TEE (asked 11, available 10)", hold.sale_order_id.message_ids[0].body
        )

    def test_short_order_is_imported_without_hold(self):
        (result,) = self.ingest(self.order(quantity=12))
        self.assertEqual(result["status"], "created", result)
        self.assertFalse(self.holds("SO-1"))
        order = self.env["sale.order"].browse(result["sale_order_id"])
        self.assertIn("Not enough stock", order.message_ids[0].body)

    def test_cart_hold_becomes_the_order_hold(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        api.api_hold_stock("stock_shopee", "SO-1", [{"sku": "SP-TEE", "quantity": 3}])
        self.ingest(self.order())
        hold = self.holds("SO-1")
        self.assertEqual(len(hold), 1)
        self.assertTrue(hold.sale_order_id)
        self.assertEqual(self.ats(self.lazada_tee), [7])

    def test_cart_hold_ends_when_its_order_arrives_paid(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        api.api_hold_stock("stock_shopee", "SO-1", [{"sku": "SP-TEE", "quantity": 3}])
        (result,) = self.ingest(self.order(status="ready_to_ship"))
        self.assertEqual(self.env["sale.order"].browse(result["sale_order_id"]).state, "sale")
        self.assertEqual(self.holds("SO-1").state, "converted")
        # The delivery reserves the 3 units: the cart's hold does not count them again.
        self.assertEqual(self.ats(self.lazada_tee), [7])

    def test_cart_hold_ends_when_its_order_is_cancelled(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        api.api_hold_stock("stock_shopee", "SO-1", [{"sku": "SP-TEE", "quantity": 3}])
        self.ingest(self.order(status="cancelled"))
        self.assertEqual(self.holds("SO-1").state, "released")
        self.assertEqual(self.ats(self.lazada_tee), [10])

    def test_salesman_confirms_without_hold_rights(self):
        self.ingest(self.order())
        salesman = new_test_user(
            self.env, "stock_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )
        self.holds("SO-1").sale_order_id.with_user(salesman).action_confirm()
        self.assertEqual(self.holds("SO-1").state, "converted")

    def test_omnichannel_user_releases(self):
        hold, _shortages = self.hold(self.shopee, "cart-1", {self.tee: 1})
        user = new_test_user(self.env, "stock_omni_user", groups="omni_channel_sync.group_user")
        hold.with_user(user).action_release()
        self.assertEqual(hold.state, "released")

    def test_users_release_holds_but_do_not_edit_them(self):
        hold, _shortages = self.hold(self.shopee, "cart-1", {self.tee: 1})
        for groups in ("stock.group_stock_user", "omni_channel_sync.group_user"):
            user = new_test_user(self.env, f"hold_{groups}", groups=groups)
            with self.subTest(groups=groups), self.assertRaises(AccessError):
                hold.with_user(user).write({"expires_at": fields.Datetime.now() + timedelta(days=300)})
        user = new_test_user(self.env, "hold_store_staff", groups="stock.group_stock_user")
        hold.with_user(user).action_release()
        self.assertEqual(hold.state, "released")

    def test_warehouse_user_reads_the_channel_without_opening_it(self):
        """Warehouse staff see a hold's or a delivery's channel; its form is for Omnichannel users."""
        stock_user = new_test_user(self.env, "hold_view_stock", groups="stock.group_stock_user")
        omni_user = new_test_user(
            self.env, "hold_view_omni", groups="stock.group_stock_user,omni_channel_sync.group_user"
        )
        for model, field in (("omni.stock.hold", "channel_id"), ("stock.picking", "omni_channel_id")):
            for user, no_open in ((stock_user, True), (omni_user, False)):
                with self.subTest(model=model, user=user.login):
                    arch = self.env[model].with_user(user).get_view(view_type="form")["arch"]
                    (node,) = etree.fromstring(arch).xpath(f"//field[@name='{field}']")
                    self.assertEqual("no_open" in (node.get("options") or ""), no_open)

    # ------------------------------------------------------------------ API

    def test_api_available_to_sell(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        self.shopee.stock_buffer = 1
        self.assertEqual(
            api.api_available_to_sell("stock_shopee", ["SP-TEE", "MUG"]), {"SP-TEE": 9, "MUG": 3}
        )
        with self.assertRaisesRegex(ValidationError, "Unknown SKU.*NOPE"):
            api.api_available_to_sell("stock_shopee", ["SP-TEE", "NOPE"])
        with self.assertRaises(ValidationError):
            api.api_available_to_sell("stock_shopee", "SP-TEE")

    def test_api_hold_is_idempotent(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        lines = [{"sku": "SP-TEE", "quantity": 2}, {"sku": "MUG", "quantity": 1}]
        first = api.api_hold_stock("stock_shopee", "cart-9", lines, 20)
        self.assertEqual(first["state"], "active")
        self.assertEqual(
            sorted((line["sku"], line["quantity"], line["warehouse"]) for line in first["lines"]),
            [("MUG", 1, self.warehouse.code), ("SP-TEE", 2, self.warehouse.code)],
        )
        self.assertEqual(api.api_hold_stock("stock_shopee", "cart-9", lines, 20), first)
        self.assertEqual(api.api_available_to_sell("stock_shopee", ["SP-TEE"]), {"SP-TEE": 8})
        with self.assertRaisesRegex(ValidationError, "already exists with other lines"):
            api.api_hold_stock("stock_shopee", "cart-9", [{"sku": "SP-TEE", "quantity": 3}])

    def test_api_hold_short_names_the_skus(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        with self.assertRaisesRegex(UserError, r"Not enough stock for SP-TEE \(asked 11, available 10\)"):
            api.api_hold_stock(
                "stock_shopee", "cart-1", [{"sku": "SP-TEE", "quantity": 11}, {"sku": "MUG", "quantity": 1}]
            )
        self.assertFalse(self.holds("cart-1"))

    def test_api_hold_validation(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        for reference, lines, ttl in (
            ("", [{"sku": "SP-TEE", "quantity": 1}], None),
            ("c", [], None),
            ("c", [{"sku": "SP-TEE", "quantity": 0}], None),
            ("c", [{"sku": "SP-TEE", "quantity": 1}], 0),
            ("c", [{"sku": "SP-TEE", "quantity": 1, "warehouse": "NOPE"}], None),
        ):
            with self.subTest(reference=reference, lines=lines, ttl=ttl), self.assertRaises(ValidationError):
                api.api_hold_stock("stock_shopee", reference, lines, ttl)

    def test_api_click_and_collect(self):
        self.set_stock(self.tee, 2, self.store)
        api = self.env["omni.channel"].with_user(self.integrator)
        hold = api.api_hold_stock(
            "stock_shopee", "cc-1", [{"sku": "SP-TEE", "quantity": 2, "warehouse": "Q1"}]
        )
        self.assertEqual(hold["lines"][0]["warehouse"], "Q1")

    def test_api_release_is_idempotent(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        hold = api.api_hold_stock("stock_shopee", "cart-1", [{"sku": "SP-TEE", "quantity": 10}])
        self.assertEqual(api.api_available_to_sell("stock_shopee", ["SP-TEE"]), {"SP-TEE": 0})
        released = {"hold_id": hold["hold_id"], "reference": "cart-1", "state": "released"}
        self.assertEqual(api.api_release_hold("stock_shopee", "cart-1"), released)
        self.assertEqual(api.api_release_hold("stock_shopee", "cart-1"), released)
        self.assertEqual(api.api_available_to_sell("stock_shopee", ["SP-TEE"]), {"SP-TEE": 10})
        with self.assertRaisesRegex(ValidationError, "No hold nope"):
            api.api_release_hold("stock_shopee", "nope")

    def test_api_answers_an_expired_hold_as_expired(self):
        api = self.env["omni.channel"].with_user(self.integrator)
        lines = [{"sku": "SP-TEE", "quantity": 2}]
        hold = api.api_hold_stock("stock_shopee", "cart-1", lines, 20)
        with freeze_time(fields.Datetime.now() + timedelta(minutes=21)):
            # Before the scheduled action runs: the hold holds nothing and says so.
            self.assertEqual(api.api_hold_stock("stock_shopee", "cart-1", lines, 20)["state"], "expired")
            self.assertEqual(
                api.api_release_hold("stock_shopee", "cart-1"),
                {"hold_id": hold["hold_id"], "reference": "cart-1", "state": "expired"},
            )

    def test_api_needs_the_integrator_group(self):
        user = self.env["res.users"].create(
            {
                "name": "Khách",
                "login": "stock_portal",
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        for method, args in (
            ("api_available_to_sell", (["SP-TEE"],)),
            ("api_hold_stock", ("c", [{"sku": "SP-TEE", "quantity": 1}])),
            ("api_release_hold", ("c",)),
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self.env["omni.channel"].with_user(user), method)("stock_shopee", *args)
