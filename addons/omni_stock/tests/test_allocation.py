from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import OmniStockCase


@tagged("post_install", "-at_install")
class TestAllocation(OmniStockCase):
    def test_ats_is_free_quantity_by_default(self):
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee, self.shopee_mug), [10, 10, 4])

    def test_buffer_then_share(self):
        self.shopee.write({"stock_buffer": 2, "stock_share": 50})
        # (10 - 2) x 50% = 4; Lazada keeps the whole stock.
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [4, 10])

    def test_share_rounds_down(self):
        self.shopee.stock_share = 33
        self.assertEqual(self.ats(self.shopee_tee, self.shopee_mug), [3, 1])

    def test_cap(self):
        self.shopee.stock_cap = 6
        self.assertEqual(self.ats(self.shopee_tee, self.shopee_mug), [6, 4])

    def test_send_zero_below(self):
        self.shopee.stock_zero_below = 5
        self.assertEqual(self.ats(self.shopee_tee, self.shopee_mug), [10, 0])

    def test_reserved_stock_is_not_free(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Khách"}).id,
                "warehouse_id": self.warehouse.id,
                "order_line": [(0, 0, {"product_id": self.tee.id, "product_uom_qty": 3})],
            }
        )
        order.action_confirm()
        self.assertEqual(self.ats(self.shopee_tee), [7])

    def test_other_warehouses_do_not_count(self):
        self.set_stock(self.tee, 5, self.store)
        self.assertEqual(self.ats(self.shopee_tee), [10])
        self.shopee.warehouse_ids |= self.store
        self.assertEqual(self.ats(self.shopee_tee), [15])

    def test_priority_when_scarce(self):
        # 60% + 60% of 10 units is more than there is: Shopee (higher) first, Lazada gets the rest.
        self.shopee.write({"stock_share": 60, "stock_priority": 20})
        self.lazada.write({"stock_share": 60, "stock_priority": 10})
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [6, 4])
        # With a buffer, the lower level keeps it on what is left.
        self.lazada.stock_buffer = 1
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [6, 3])

    def test_priority_when_shares_fit(self):
        self.shopee.write({"stock_share": 40, "stock_priority": 20})
        self.lazada.write({"stock_share": 60, "stock_priority": 10})
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [4, 6])

    def test_equal_priorities_share_the_stock(self):
        self.shopee.stock_share = 60
        self.lazada.stock_share = 60
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [6, 6])

    def test_listing_override(self):
        self.shopee_tee.write(
            {
                "stock_policy_override": True,
                "stock_buffer": 1,
                "stock_share": 50,
                "stock_cap": 3,
                "stock_zero_below": 0,
                "stock_priority": 10,
            }
        )
        self.shopee.stock_share = 10
        # The listing's own policy: min((10 - 1) x 50%, 3) = 3; the mug follows the channel: 0.
        self.assertEqual(self.ats(self.shopee_tee, self.shopee_mug), [3, 0])
        self.shopee_tee.stock_policy_override = False
        self.assertEqual(self.ats(self.shopee_tee), [1])
        self.shopee_mug.stock_policy_override = True  # switched on alone: no buffer, full share
        self.assertEqual(self.ats(self.shopee_mug), [4])

    def test_listing_override_starts_from_channel_policy(self):
        self.shopee.write({"stock_buffer": 3, "stock_share": 70})
        self.shopee_tee._onchange_stock_policy_override()  # no override: untouched
        self.assertEqual(self.shopee_tee.stock_buffer, 0)
        self.shopee_tee.stock_policy_override = True
        self.shopee_tee._onchange_stock_policy_override()
        self.assertEqual((self.shopee_tee.stock_buffer, self.shopee_tee.stock_share), (3, 70))

    def test_ats_by_product(self):
        unlisted = self.env["product.product"].create({"name": "Túi", "is_storable": True})
        self.set_stock(unlisted, 2)
        self.lazada.stock_buffer = 1
        self.assertEqual(
            self.lazada._omni_ats_by_product(self.tee | self.mug | unlisted),
            {self.tee.id: 9, self.mug.id: 3, unlisted.id: 1},
        )
        self.assertEqual(self.lazada._omni_ats_by_product(self.tee, warehouse=self.store), {self.tee.id: 0})

    def test_listing_without_product(self):
        listing = self.env["omni.channel.listing"].create(
            {"channel_id": self.shopee.id, "external_sku": "NEW"}
        )
        self.assertEqual(listing._omni_compute_ats(), {listing.id: 0})

    def test_archived_listing_answers_but_does_not_compete(self):
        self.lazada.write({"stock_share": 100, "stock_priority": 20})
        self.assertEqual(self.ats(self.shopee_tee), [0])
        self.lazada_tee.active = False
        self.assertEqual(self.ats(self.shopee_tee, self.lazada_tee), [10, 10])

    def queries(self, listings):
        """The queries of computing ``listings``' quantities with a cold cache."""
        listings._omni_compute_ats()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        listings._omni_compute_ats()
        return self.env.cr.sql_log_count - before

    def test_batched_queries(self):
        """As many queries for several products and channels as for one listing (whatever the
        addons that extend the allocation add to each computation)."""
        self.assertEqual(
            self.queries(self.shopee_tee | self.shopee_mug | self.lazada_tee), self.queries(self.shopee_tee)
        )

    def test_batched_queries_for_channels_without_warehouses(self):
        """A channel without source warehouses sells from its company's: one query for all of them."""
        channels = self.env["omni.channel"].create(
            [
                {"name": f"Kênh {index}", "code": f"stock_wh_{index}", "channel_type": "api"}
                for index in range(4)
            ]
        )
        listings = self.env["omni.channel.listing"].create(
            [
                {"channel_id": channel.id, "external_sku": f"K{channel.id}", "product_id": self.tee.id}
                for channel in channels
            ]
        )
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)]).ids
        policies = self.env["omni.stock.allocation"]._channel_policies(channels.ids)
        self.assertEqual({policy[0] for policy in policies.values()}, {tuple(warehouses)})
        self.assertEqual(self.queries(listings), self.queries(listings[0]))

    def test_other_companies_listings_do_not_stop_a_user(self):
        """A product both companies sell: a user of one company reads its channels' figures."""
        other = self.env["res.company"].create({"name": "Chi nhánh Cần Thơ"})
        pricelist = self.env["product.pricelist"].create(
            {"name": "VND Cần Thơ", "currency_id": self.vnd.id, "company_id": other.id}
        )
        channel = self.env["omni.channel"].create(
            {
                "name": "Lazada Cần Thơ",
                "code": "stock_ct",
                "channel_type": "api",
                "company_id": other.id,
                "pricelist_id": pricelist.id,
            }
        )
        self.env["omni.channel.listing"].create(
            {"channel_id": channel.id, "external_sku": "CT-TEE", "product_id": self.tee.id}
        )
        user = new_test_user(
            self.env, "alloc_store_staff", groups="stock.group_stock_user,omni_channel_sync.group_user"
        )
        self.assertEqual(self.shopee_tee.with_user(user).available_to_sell, 10)
        template = self.tee.product_tmpl_id.with_user(user)
        self.assertEqual(template.omni_listing_ids.mapped("available_to_sell"), [10, 10])
        preview = (
            self.env["omni.stock.allocation.preview"]
            .with_user(user)
            .create(
                {"channel_ids": [Command.set(self.shopee.ids)], "product_ids": [Command.set(self.tee.ids)]}
            )
        )
        preview.action_compute()
        self.assertEqual(preview.line_ids.mapped("ats"), [10])

    def test_preview(self):
        self.shopee.write({"stock_buffer": 1, "stock_share": 50})
        self.shopee_tee.last_pushed_qty = 2
        action = self.shopee.action_open_allocation_preview()
        preview = self.env["omni.stock.allocation.preview"].browse(action["res_id"])
        line = preview.line_ids.filtered(lambda line: line.listing_id == self.shopee_tee)
        self.assertRecordValues(
            line,
            [
                {
                    "free_qty": 10,
                    "held_qty": 0,
                    "buffer": 1,
                    "share": 50,
                    "ats": 4,
                    "last_pushed_qty": 2,
                    "difference": 2,
                }
            ],
        )
        self.assertEqual(preview.line_ids.channel_id, self.shopee)
        preview.product_ids = self.mug
        preview.action_compute()
        self.assertEqual(preview.line_ids.product_id, self.mug)

    def test_preview_menu_opens_computed_for_every_listed_channel(self):
        self.lazada.sync_stock = False
        action = self.env.ref("omni_stock.omni_stock_allocation_preview_server_action").run()
        preview = self.env["omni.stock.allocation.preview"].browse(action["res_id"])
        self.assertEqual(preview.display_name, "Allocation Preview")
        self.assertLessEqual(self.shopee | self.lazada, preview.line_ids.channel_id)
