from odoo.addons.queue_job.job import Job
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDuplicateMerge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "c360_merge_manager", groups="base.group_user,omni_channel_sync.group_manager"
        )
        cls.user = new_test_user(
            cls.env, "c360_merge_user", groups="base.group_user,omni_channel_sync.group_user"
        )
        pricelist = cls.env["product.pricelist"].create({"name": "Bảng giá gộp khách"})
        cls.channel = cls.env["omni.channel"].create(
            {
                "name": "Shopee gộp",
                "code": "c360_merge_shopee",
                "channel_type": "shopee",
                "pricelist_id": pricelist.id,
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Áo dài", "list_price": 500000})
        cls.Partner = cls.env["res.partner"]
        cls.Candidate = cls.env["omni.merge.candidate"]

    def _candidate(self, partner_a, partner_b):
        low, high = sorted((partner_a.id, partner_b.id))
        return self.Candidate.search([("partner_a_id", "=", low), ("partner_b_id", "=", high)])

    def _order(self, partner):
        return self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": self.product.id})]}
        )

    def test_scan_finds_same_phone_in_other_format(self):
        an = self.Partner.create({"name": "Nguyễn Văn An", "phone": "0912345678"})
        an_again = self.Partner.create({"name": "Nguyen Van An", "phone": "+84 912 345 678"})
        other = self.Partner.create({"name": "Trần Thị Bình", "phone": "0987654321"})
        self.Candidate._scan_duplicates()
        candidate = self._candidate(an, an_again)
        self.assertEqual(len(candidate), 1)
        self.assertEqual(candidate.state, "new")
        self.assertEqual(candidate.score, 55, "phone 45 + similar names 10")
        self.assertIn("+84912345678", candidate.explanation)
        self.assertIn("Same phone", candidate.explanation)
        self.assertIn("similar names", candidate.explanation)
        self.assertFalse(self._candidate(an, other))
        # A second scan updates the pair, it does not add another one.
        self.Candidate._scan_duplicates()
        self.assertEqual(len(self._candidate(an, an_again)), 1)

    def test_scan_scores_several_identifiers(self):
        lan = self.Partner.create({"name": "Lê Lan", "phone": "0912000111", "email": "Lan@Example.vn"})
        mai = self.Partner.create({"name": "Phạm Mai", "phone": "0912000111", "email": "lan@example.vn"})
        self.env["omni.customer.identity"].create(
            [
                {"partner_id": partner.id, "kind": "buyer_id", "channel_id": self.channel.id, "value": "b-77"}
                for partner in (lan, mai)
            ]
        )
        self.Candidate._scan_duplicates()
        candidate = self._candidate(lan, mai)
        self.assertEqual(candidate.score, 100, "capped")
        self.assertIn("lan@example.vn", candidate.explanation)
        self.assertIn("b-77", candidate.explanation)
        self.assertIn("Shopee gộp", candidate.explanation)
        self.assertNotIn("similar names", candidate.explanation)

    def test_value_shared_by_too_many_customers_gives_no_candidate(self):
        limit = self.env["omni.customer.identity"]._max_partners()
        family = self.Partner.create(
            [{"name": f"Khách {index}", "phone": "0913555666"} for index in range(limit + 1)]
        )
        self.Candidate._scan_duplicates()
        self.assertFalse(self.Candidate.search([("partner_a_id", "in", family.ids)]))

    def test_blocked_and_masked_values_give_no_candidate(self):
        masked = self.Partner.create([{"name": f"Ẩn {index}", "phone": "84*****123"} for index in range(2)])
        placeholder = self.Partner.create(
            [{"name": f"Không số {index}", "phone": "0900000000"} for index in range(2)]
        )
        shop = self.Partner.create(
            [{"name": f"Quầy {index}", "email": "shop@cuahang.vn"} for index in range(2)]
        )
        # Blocked after the identities were recorded: the scan still skips it.
        self.env["omni.customer.blocked.value"].create(
            {"kind": "email", "value": "SHOP@cuahang.vn", "reason": "Shop address"}
        )
        self.Candidate._scan_duplicates()
        partners = masked | placeholder | shop
        self.assertFalse(self.Candidate.search([("partner_a_id", "in", partners.ids)]))

    def test_archived_customers_are_not_candidates(self):
        kept = self.Partner.create({"name": "Hoa", "phone": "0914222333"})
        archived = self.Partner.create({"name": "Hoa", "phone": "0914222333"})
        self.Candidate._scan_duplicates()
        self.assertTrue(self._candidate(kept, archived))
        archived.active = False
        self.Candidate._scan_duplicates()
        self.assertFalse(self._candidate(kept, archived), "a stale undecided candidate is dropped")

    def test_scan_button_queues_one_job(self):
        with self.assertRaises(AccessError):
            self.Candidate.with_user(self.user).action_scan_duplicates()
        first = self.Partner.create({"name": "Quân", "phone": "0916333444"})
        second = self.Partner.create({"name": "Quân", "phone": "0916 333 444"})
        self.Candidate.with_user(self.manager).action_scan_duplicates()
        self.Candidate.with_user(self.manager).action_scan_duplicates()
        job = self.env["queue.job"].search([("method_name", "=", "_scan_duplicates")])
        self.assertEqual(len(job), 1, "the same scan is not queued twice")
        self.assertEqual(job.channel, "root.omni")
        self.assertFalse(self._candidate(first, second))
        Job.load(self.env, job.uuid).perform()
        self.assertTrue(self._candidate(first, second))

    def _merge_setup(self):
        dst = self.Partner.create({"name": "Võ Minh Khang", "phone": "0915111222"})
        src = self.Partner.create(
            {"name": "Vo Minh Khang", "phone": "+84915111222", "email": "khang@example.vn"}
        )
        self.env["omni.customer.identity"].create(
            {"partner_id": src.id, "kind": "buyer_id", "channel_id": self.channel.id, "value": "khang-1"}
        )
        order = self._order(src)
        self.Candidate._scan_duplicates()
        candidate = self._candidate(dst, src)
        return dst, src, order, candidate

    def _merge(self, candidate, dst):
        action = candidate.with_user(self.manager).action_merge()
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        wizard.dst_partner_id = dst
        result = wizard.save().action_merge()
        return self.env["omni.customer.merge.audit"].browse(result["res_id"])

    def test_merge_moves_identities_and_orders_and_writes_audit(self):
        dst, src, order, candidate = self._merge_setup()
        src_identities = src.omni_identity_ids
        audit = self._merge(candidate, dst)
        self.assertEqual(audit.dst_partner_id, dst)
        self.assertEqual(audit.source_partner_ids, src)
        self.assertIn("Vo Minh Khang", audit.source_partner_names)
        self.assertEqual(audit.source_snapshot[str(src.id)]["email"], "khang@example.vn")
        self.assertEqual(audit.sale_order_ids, order)
        self.assertEqual(audit.user_id, self.manager)
        self.assertEqual(audit.candidate_id, candidate)
        self.assertEqual(audit.identity_count, len(src_identities))
        self.assertEqual(candidate.state, "merged")
        self.assertEqual(order.partner_id, dst)
        self.assertEqual(dst.email, "khang@example.vn", "filled from the source by Odoo's merge")
        self.assertFalse(src.active, "archived, not deleted")
        self.assertEqual(
            sorted(dst.omni_identity_ids.mapped("value")),
            ["+84915111222", "khang-1", "khang@example.vn"],
            "the duplicate phone is kept once",
        )
        self.assertFalse(src.with_context(active_test=False).omni_identity_ids)

    def test_users_cannot_merge(self):
        dst, src, _order, candidate = self._merge_setup()
        with self.assertRaises(AccessError):
            candidate.with_user(self.user).action_merge()
        wizard = self.env["omni.customer.merge"].create(
            {"partner_ids": [(6, 0, (dst | src).ids)], "dst_partner_id": dst.id}
        )
        with self.assertRaises(AccessError):
            wizard.with_user(self.user).action_merge()

    def test_merge_from_selected_customers(self):
        first = self.Partner.create({"name": "Đặng Thu", "email": "thu@example.vn"})
        second = self.Partner.create({"name": "Dang Thu", "email": "thu.dang@example.vn"})
        wizard = Form(
            self.env["omni.customer.merge"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=(first | second).ids)
        ).save()
        self.assertEqual(wizard.dst_partner_id, first)
        audit = self.env["omni.customer.merge.audit"].browse(wizard.action_merge()["res_id"])
        self.assertFalse(audit.candidate_id)
        self.assertFalse(second.active)
        self.assertIn("thu.dang@example.vn", first.omni_identity_ids.mapped("value"))

    def test_undo_restores_customer_identities_and_orders(self):
        dst, src, order, candidate = self._merge_setup()
        before = {(i.kind, i.channel_id.id, i.value) for i in src.omni_identity_ids}
        audit = self._merge(candidate, dst)
        with self.assertRaises(AccessError):
            audit.with_user(self.user).action_undo()
        audit.with_user(self.manager).action_undo()
        self.assertEqual(audit.state, "undone")
        self.assertEqual(audit.undo_user_id, self.manager)
        self.env.invalidate_all()
        self.assertTrue(src.active)
        self.assertEqual(src.commercial_partner_id, src)
        self.assertEqual(order.partner_id, src)
        self.assertEqual(order.partner_invoice_id, src)
        self.assertEqual({(i.kind, i.channel_id.id, i.value) for i in src.omni_identity_ids}, before)
        self.assertEqual(dst.omni_identity_ids.mapped("value"), ["+84915111222"])
        self.assertFalse(dst.email, "the e-mail the merge copied from the source is emptied again")
        self.assertEqual(src.email, "khang@example.vn")
        self.assertEqual(candidate.state, "new")
        with self.assertRaises(UserError):
            audit.with_user(self.manager).action_undo()

    def test_undo_recreates_a_deleted_source(self):
        dst, src, order, candidate = self._merge_setup()
        audit = self._merge(candidate, dst)
        src_id = src.id
        src.unlink()
        audit.with_user(self.manager).action_undo()
        restored = order.partner_id
        self.assertNotEqual(restored, dst)
        self.assertNotEqual(restored.id, src_id)
        self.assertEqual(restored.name, "Vo Minh Khang")
        self.assertTrue(restored.active)
        self.assertIn("khang-1", restored.omni_identity_ids.mapped("value"))
