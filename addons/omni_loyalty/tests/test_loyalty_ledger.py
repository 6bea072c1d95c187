from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.addons.omni_loyalty import post_init_hook
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .loyalty_common import assert_one_loyalty_truth, create_channel, create_default_program


@tagged("post_install", "-at_install")
class TestLoyaltyLedger(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = create_default_program(
            cls.env, "Thành viên", omni_earn_rate=2, omni_points_validity_months=12
        )
        cls.channel = create_channel(cls.env, "Shopee VN", "loy-shopee")
        cls.partner = cls.env["res.partner"].create({"name": "Nguyễn Thị Lan"})
        cls.integrator = new_test_user(cls.env, "loy_integrator", groups="omni_channel_sync.group_integrator")
        cls.Card = cls.env["loyalty.card"].with_user(cls.integrator)

    def _earn(self, amount, reference, customer=None):
        return self.Card.api_loyalty_earn("loy-shopee", customer or self.partner.id, amount, reference)

    def _card(self):
        return self.env["loyalty.card"].search(
            [("partner_id", "=", self.partner.id), ("program_id", "=", self.program.id)]
        )

    def test_earn_redeem_projection(self):
        earned = self._earn(150000, "SO-1")
        self.assertEqual(earned["points"], 300)
        self.assertFalse(earned["duplicate"])
        redeemed = self.Card.api_loyalty_redeem("loy-shopee", self.partner.id, 120, "R-1")
        self.assertEqual(redeemed["points"], -120)
        self.assertEqual(redeemed["balance"], 180)
        card = self._card()
        self.assertEqual(card.points, 180)
        self.assertEqual(card.omni_move_ids.sorted("id").mapped("move_type"), ["earn", "redeem"])
        balance = self.Card.api_loyalty_balance(self.partner.id)
        self.assertEqual(balance["available"], 180)
        self.assertEqual(balance["card_id"], card.id)
        self.assertFalse(balance["tier"])
        self.assertEqual(len(balance["next_expiries"]), 1)
        self.assertEqual(balance["next_expiries"][0]["points"], 180)
        self.assertEqual(self.partner._omni_profile_loyalty()["available"], 180)
        assert_one_loyalty_truth(self, self.program)

    def test_customer_by_identifiers(self):
        result = self._earn(10000, "SO-ID", customer={"phone": "0912345678", "name": "Trần Văn Bình"})
        balance = self.Card.api_loyalty_balance({"phone": "+84912345678"})
        self.assertEqual(balance["available"], 20)
        self.assertEqual(result["balance"], 20)

    def test_retry_posts_once(self):
        first = self._earn(100000, "SO-2")
        again = self._earn(100000, "SO-2")
        self.assertEqual(first["move_id"], again["move_id"])
        self.assertTrue(again["duplicate"])
        self.assertEqual(self._card().points, 200)
        card = self._card()
        card._omni_post("adjust", 5, "same-key")
        card._omni_post("adjust", 5, "same-key")
        self.assertEqual(card.points, 205)
        self.assertEqual(len(card.omni_move_ids), 2)

    def test_overdraft_refused(self):
        self._earn(50000, "SO-3")
        with self.assertRaisesRegex(UserError, "Not enough points"):
            self.Card.api_loyalty_redeem("loy-shopee", self.partner.id, 101, "R-3")
        self.assertEqual(self._card().points, 100)
        with self.assertRaises(ValidationError):
            self.Card.api_loyalty_redeem("loy-shopee", self.partner.id, -5, "R-4")

    def test_access(self):
        outsider = new_test_user(self.env, "loy_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["loyalty.card"].with_user(outsider).api_loyalty_balance(self.partner.id)

    def test_moves_are_append_only(self):
        self._earn(100000, "SO-4")
        move = self._card().omni_move_ids
        with self.assertRaises(UserError):
            move.write({"points": 1000})
        with self.assertRaises(UserError):
            move.unlink()
        with self.assertRaises(UserError):
            self.env["omni.loyalty.move"].create(
                {"card_id": move.card_id.id, "move_type": "earn", "points": 5, "idempotency_key": "x"}
            )

    def test_fifo_expiry_by_cron(self):
        with freeze_time("2026-01-10"):
            self._earn(100000, "OLD")  # 200 points, expire 2027-01-10
        with freeze_time("2026-06-10"):
            self._earn(50000, "NEW")  # 100 points, expire 2027-06-10
            self.Card.api_loyalty_redeem("loy-shopee", self.partner.id, 150, "R-5")  # from the old lot
        card = self._card()
        old, new = (
            card.omni_move_ids.filtered(lambda m, ref=ref: m.reference == ref) for ref in ("OLD", "NEW")
        )
        self.assertEqual((old.remaining, new.remaining), (50, 100))
        with freeze_time("2027-02-01"):
            self.env["loyalty.card"]._cron_expire_points()
            self.env["loyalty.card"]._cron_expire_points()
        expired = card.omni_move_ids.filtered(lambda m: m.move_type == "expire")
        self.assertEqual(expired.points, -50)
        self.assertEqual(expired.idempotency_key, f"expire:{old.id}")
        self.assertEqual((old.remaining, new.remaining), (0, 100))
        self.assertEqual(card.points, 100)

    def test_one_card_per_customer_and_program(self):
        self._earn(10000, "SO-6")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["loyalty.card"].create({"partner_id": self.partner.id, "program_id": self.program.id})

    def test_update_balance_posts_adjustment(self):
        self._earn(100000, "SO-7")
        card = self._card()
        wizard = Form(self.env["loyalty.card.update.balance"].with_context(default_card_id=card.id))
        wizard.new_balance = 150
        wizard.description = "Bù điểm"
        wizard.save().action_update_card_point()
        adjust = card.omni_move_ids.filtered(lambda m: m.move_type == "adjust")
        self.assertEqual(adjust.points, -50)
        self.assertEqual(card.points, 150)
        card.points = 170
        self.assertEqual(card.points, 170)
        assert_one_loyalty_truth(self, self.program)
        self.assertEqual(len(card.history_ids), 3, "the wizard's own row gives way to the ledger's")

    def test_opening_points_become_a_move(self):
        other = self.env["res.partner"].create({"name": "Phạm Minh"})
        card = self.env["loyalty.card"].create(
            {"partner_id": other.id, "program_id": self.program.id, "points": 40}
        )
        self.assertEqual(card.points, 40)
        self.assertEqual(card.omni_move_ids.points, 40)

    def test_install_opens_the_ledger_of_cards_with_points(self):
        """Cards that had points before the ledger (written as Odoo does, beneath the ORM, with
        their history) get one opening move each, once."""
        other = self.env["res.partner"].create({"name": "Võ Thanh"})
        card = self.env["loyalty.card"].create({"partner_id": other.id, "program_id": self.program.id})
        self.env.cr.execute("UPDATE loyalty_card SET points = 75 WHERE id = %s", [card.id])
        card.invalidate_recordset(["points"])
        self.env["loyalty.history"].sudo().with_context(omni_loyalty_engine=True).create(
            {"card_id": card.id, "description": "Odoo", "issued": 100, "used": 25}
        )
        post_init_hook(self.env)
        post_init_hook(self.env)
        self.assertEqual(card.omni_move_ids.mapped("move_type"), ["adjust"])
        self.assertEqual(card.points, 75)
        self.assertEqual(len(card.history_ids), 1, "its history already said 75")
        assert_one_loyalty_truth(self, self.program)

    def test_expiry_cron_batches_lots(self):
        """The expiry cron posts a batch of lots with the same queries whatever their number."""
        customers = self.env["res.partner"].create([{"name": f"Khách {i}"} for i in range(4)])
        with freeze_time("2025-01-10"):
            self._earn(100000, "LOT-A", customer=customers[0].id)
            for index, customer in enumerate(customers[1:]):
                for lot in range(3):
                    self._earn(10000, f"LOT-{index}-{lot}", customer=customer.id)
        cards = self.env["loyalty.card"].search([("partner_id", "in", customers.ids)])
        Card = self.env["loyalty.card"]
        with freeze_time("2026-02-01"):
            self.env.flush_all()
            # One lot on one card, then nine lots on three cards.
            cards.filtered(lambda c: c.partner_id != customers[0]).omni_move_ids._omni_engine_write(
                {"expiry_date": "2026-06-01"}
            )
            self.env.flush_all()
            before = self.cr.sql_log_count
            Card._cron_expire_points()
            self.env.flush_all()
            one_lot = self.cr.sql_log_count - before
            cards.omni_move_ids.filtered(lambda m: m.move_type == "earn")._omni_engine_write(
                {"expiry_date": "2026-01-01"}
            )
            self.env.flush_all()
            before = self.cr.sql_log_count
            Card._cron_expire_points()
            self.env.flush_all()
            nine_lots = self.cr.sql_log_count - before
            Card._cron_expire_points()
        self.assertLessEqual(nine_lots, one_lot + 2 * 2, "one projection write more per card, no more")
        for card in cards:
            lots = card.omni_move_ids.filtered(lambda m: m.move_type == "earn")
            expired = card.omni_move_ids.filtered(lambda m: m.move_type == "expire")
            self.assertEqual(
                sorted(expired.mapped("idempotency_key")), sorted(f"expire:{lot.id}" for lot in lots)
            )
            self.assertEqual(sum(expired.mapped("points")), -sum(lots.mapped("points")))
            self.assertFalse(any(lots.mapped("remaining")))
            self.assertEqual(card.points, 0)

    def test_vesting_batches_cards(self):
        """Vesting the pending earns of several cards costs the queries of one card."""
        partners = self.env["res.partner"].create([{"name": f"Khách chờ {i}"} for i in range(4)])
        cards = self.env["loyalty.card"].create(
            [{"partner_id": partner.id, "program_id": self.program.id} for partner in partners]
        )
        moves = [
            card._omni_post("earn", 10 * (index + 1), f"vest-batch-{index}", state="pending")
            for index, card in enumerate(cards)
        ]
        cards[1]._omni_post("reverse", -5, "vest-batch-rev", state="pending", reversed_move_id=moves[1].id)
        self.env.flush_all()
        before = self.cr.sql_log_count
        cards[0]._omni_vest(moves[0])
        self.env.flush_all()
        one_card = self.cr.sql_log_count - before
        before = self.cr.sql_log_count
        cards[1:]._omni_vest(self.env["omni.loyalty.move"].concat(*moves[1:]))
        self.env.flush_all()
        three_cards = self.cr.sql_log_count - before
        self.assertLessEqual(three_cards, one_card + 2, "no query per card")
        self.assertEqual(set(self.env["omni.loyalty.move"].concat(*moves).mapped("state")), {"posted"})
        self.assertEqual([move.remaining for move in moves], [10, 15, 30, 40])
        self.assertEqual(cards.mapped("points"), [10, 15, 30, 40])
