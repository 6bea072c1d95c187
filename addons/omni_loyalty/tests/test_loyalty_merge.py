from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged

from .loyalty_common import create_channel, create_reward_program


@tagged("post_install", "-at_install")
class TestLoyaltyMerge(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, "loy_merge_manager", groups="base.group_user,omni_channel_sync.group_manager"
        )
        cls.program = create_reward_program(cls.env, "Thành viên gộp", omni_points_validity_months=12)
        cls.channel = create_channel(cls.env, "Lazada gộp", "loy-merge-lazada", channel_type="lazada")
        cls.Partner = cls.env["res.partner"]
        cls.Card = cls.env["loyalty.card"]

    def _card(self, partner, *lots):
        card = self.Card.create({"partner_id": partner.id, "program_id": self.program.id})
        for index, (points, day) in enumerate(lots):
            with freeze_time(day):
                card._omni_post("earn", points, f"merge-{partner.id}-{index}", channel=self.channel)
        return card

    def _merge(self, dst, src):
        wizard = (
            self.env["omni.customer.merge"]
            .with_user(self.manager)
            .create({"partner_ids": [(6, 0, (dst | src).ids)], "dst_partner_id": dst.id})
        )
        return self.env["omni.customer.merge.audit"].browse(wizard.action_merge()["res_id"])

    def test_points_move_lot_by_lot_and_come_back_on_undo(self):
        dst = self.Partner.create({"name": "Trương Văn Long"})
        src = self.Partner.create({"name": "Truong Van Long"})
        dst_card = self._card(dst, (40, "2026-03-01"))
        src_card = self._card(src, (100, "2026-01-15"), (30, "2026-05-20"))
        src_card._omni_post("redeem", -20, "merge-src-spent")  # from the oldest lot: 80 left of it

        audit = self._merge(dst, src)
        self.assertFalse(src_card.active, "closed, kept for its history")
        self.assertEqual(src_card.partner_id, src, "the history stays the merged customer's")
        self.assertEqual(src_card.points, 0)
        self.assertEqual(dst_card.points, 150)
        moved_in = dst_card.omni_move_ids.filtered(lambda move: move.merge_audit_id == audit)
        self.assertEqual(sorted(moved_in.mapped("points")), [30, 80])
        self.assertEqual(
            sorted(moved_in.mapped("expiry_date")),
            sorted(src_card.omni_move_ids.filtered(lambda m: m.move_type == "earn").mapped("expiry_date")),
            "the points keep their expiry",
        )
        self.assertEqual(moved_in.channel_id, self.channel, "and the channel they were earned on")
        for move in moved_in:
            out = move.transfer_move_id
            self.assertEqual(out.card_id, src_card)
            self.assertEqual(out.points, -move.points)
            self.assertEqual(out.transfer_move_id, move)
            self.assertEqual(out.merge_audit_id, audit)
        self.assertEqual(audit.omni_loyalty_move_ids, moved_in | moved_in.transfer_move_id)

        # The kept customer spends 100: the lot expiring first (the merged customer's 80) then 20 more.
        dst_card._omni_post("redeem", -100, "merge-dst-spent")
        audit.with_user(self.manager).action_undo()
        self.assertTrue(src_card.active)
        self.assertEqual(src_card.points, 30, "what the kept customer had not spent goes back")
        self.assertEqual(dst_card.points, 20)
        back = src_card.omni_move_ids.filtered(lambda m: m.reversed_move_id and m.points > 0)
        self.assertEqual(back.points, 30)
        self.assertEqual(back.reversed_move_id.card_id, dst_card)
        self.assertEqual(sum(src_card.omni_move_ids.mapped("points")), 30)

    def test_pending_points_vesting_after_the_merge_follow_it(self):
        dst = self.Partner.create({"name": "Ngô Bảo"})
        src = self.Partner.create({"name": "Ngo Bao (Lazada)"})
        dst_card = self._card(dst, (10, "2026-03-01"))
        src_card = self._card(src)
        pending = src_card._omni_post("earn", 60, "merge-pending", channel=self.channel, state="pending")
        audit = self._merge(dst, src)
        self.assertEqual(dst_card.points, 10)
        src_card._omni_vest(pending)  # the marketplace's return window closes
        self.assertEqual(src_card.points, 0)
        self.assertEqual(dst_card.points, 70)
        received = dst_card.omni_move_ids.filtered(lambda move: move.merge_audit_id == audit)
        self.assertEqual(received.transfer_move_id.card_id, src_card)
        self.assertEqual(received.channel_id, self.channel)

    def test_clawback_after_the_merge_follows_the_points(self):
        dst = self.Partner.create({"name": "Lý Hoa"})
        src = self.Partner.create({"name": "Ly Hoa (Tiki)"})
        dst_card = self._card(dst, (10, "2026-03-01"))
        src_card = self._card(src, (50, "2026-04-01"))
        earn = src_card.omni_move_ids
        self._merge(dst, src)
        # The order of the merged customer's earn is returned: its points are taken back.
        reversal = src_card._omni_post("reverse", -50, "merge-clawback", lot=earn, reversed_move_id=earn.id)
        self.assertEqual(reversal.card_id, dst_card)
        self.assertEqual(dst_card.points, 10)
        self.assertEqual(src_card.points, 0)

    def test_card_of_a_customer_without_one_moves_whole(self):
        dst = self.Partner.create({"name": "Mai Anh"})
        src = self.Partner.create({"name": "Mai Anh (Shopee)"})
        src_card = self._card(src, (70, "2026-02-01"))
        audit = self._merge(dst, src)
        self.assertEqual(src_card.partner_id, dst)
        self.assertEqual(src_card.omni_move_ids.partner_id, dst)
        self.assertEqual(src_card.points, 70)
        self.assertFalse(audit.omni_loyalty_move_ids)
        audit.with_user(self.manager).action_undo()
        self.assertEqual(src_card.partner_id, src)
        self.assertEqual(src_card.points, 70)

    def test_other_cards_follow_the_kept_customer(self):
        dst = self.Partner.create({"name": "Phan Hùng"})
        src = self.Partner.create({"name": "Phan Hung"})
        gift_program = self.env["loyalty.program"].create(
            {"name": "Thẻ quà tặng", "program_type": "gift_card"}
        )
        gift = self.Card.create({"program_id": gift_program.id, "partner_id": src.id, "points": 100})
        self._merge(dst, src)
        self.assertEqual(gift.partner_id, dst)

    def test_api_on_a_merged_customer_uses_the_kept_card(self):
        """An integrator still naming the merged customer earns and spends on the kept customer's card."""
        dst = self.Partner.create({"name": "Lý Thị Hoa"})
        src = self.Partner.create({"name": "Ly Thi Hoa"})
        dst_card = self._card(dst, (40, "2026-03-01"))
        self._card(src, (100, "2026-03-02"))
        self._merge(dst, src)
        integrator = new_test_user(self.env, "loy_merge_api", groups="omni_channel_sync.group_integrator")
        Api = self.Card.with_user(integrator)
        self.assertEqual(Api.api_loyalty_balance(src.id)["card_id"], dst_card.id)
        Api.api_loyalty_earn("loy-merge-lazada", src.id, 100000, "MERGED-E")
        redeemed = Api.api_loyalty_redeem("loy-merge-lazada", src.id, 120, "MERGED-R")
        self.assertEqual((redeemed["balance"], dst_card.points), (20, 20))
