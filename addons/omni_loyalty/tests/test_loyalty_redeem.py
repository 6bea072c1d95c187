from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .loyalty_common import assert_one_loyalty_truth, create_channel, create_reward_program, order_with_reward


@tagged("post_install", "-at_install")
class TestSaleOrderRedeem(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = create_reward_program(cls.env, "Thành viên")
        cls.partner = cls.env["res.partner"].create({"name": "Lê Thị Mai"})
        cls.product = cls.env["product.product"].create({"name": "Áo dài", "list_price": 200})
        cls.card = cls.env["loyalty.card"].create(
            {"partner_id": cls.partner.id, "program_id": cls.program.id}
        )
        cls.card._omni_post("earn", 150, "redeem-test-earn")

    def _redemptions(self, order):
        """The order's redemptions and the points given back (not what the order earns)."""
        return self.card.omni_move_ids.filtered(
            lambda move: move.sale_order_id == order and move.move_type in ("redeem", "adjust")
        ).sorted("id")

    def test_confirm_posts_one_redeem(self):
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        order.action_confirm()
        redeem = self._redemptions(order)
        self.assertEqual(redeem.move_type, "redeem")
        self.assertEqual(redeem.points, -100)
        self.assertEqual(redeem.reference, order.name)
        self.assertEqual(self.card.points, 50)
        # Running the posting again (a retried request, a later change of the order) posts nothing more.
        order._omni_sync_redemptions()
        order.write({"note": "Giao buổi sáng"})
        self.assertEqual(self._redemptions(order), redeem)
        self.assertEqual(self.card.points, 50)

    def test_salesman_confirms(self):
        salesman = new_test_user(
            self.env, "loy_redeem_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        order.with_user(salesman).action_confirm()
        self.assertEqual(self._redemptions(order).points, -100)
        self.assertEqual(self.card.points, 50)

    def test_portal_buyer_confirms(self):
        """The customer accepts the quotation on the portal, which confirms it as sudo."""
        portal = new_test_user(self.env, "loy_redeem_portal", groups="base.group_portal")
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        order.with_user(portal).sudo().action_confirm()
        self.assertEqual(self._redemptions(order).points, -100)
        self.assertEqual(self.card.points, 50)

    def test_overdraft_refused(self):
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        # Another channel spends the points while the quotation waits.
        self.card._omni_post("redeem", -100, "redeem-test-elsewhere")
        with self.assertRaisesRegex(UserError, "Not enough points on card"):
            order.action_confirm()
        self.assertEqual(self.card.points, 50)

    def test_cancel_and_confirm_again(self):
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        order.action_confirm()
        order._action_cancel()
        given_back = self._redemptions(order).filtered(lambda move: move.move_type == "adjust")
        self.assertEqual(given_back.points, 100)
        self.assertEqual(given_back.reversed_move_id.move_type, "redeem")
        self.assertEqual(self.card.points, 150)
        order.action_draft()
        order._update_programs_and_rewards()
        order._apply_program_reward(self.program.reward_ids, self.card)
        order.action_confirm()
        self.assertEqual(self._redemptions(order).mapped("points"), [-100, 100, -100])
        self.assertEqual(self.card.points, 50)

    def test_points_given_back_keep_their_expiry(self):
        soon = fields.Date.today() + timedelta(days=5)
        self.card.omni_move_ids._omni_engine_write({"expiry_date": soon})
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        order.action_confirm()
        self.assertEqual(self._redemptions(order).expiry_date, soon)
        order._action_cancel()
        given_back = self._redemptions(order).filtered(lambda move: move.move_type == "adjust")
        # Cancelling an order does not buy the spent points another validity.
        self.assertEqual((given_back.remaining, given_back.expiry_date), (100, soon))

    def test_reward_cost_changed_after_confirmation(self):
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        order.action_confirm()
        order.order_line.filtered("reward_id").points_cost = 60
        self.assertEqual(self._redemptions(order).mapped("points"), [-100, 40])
        order.order_line.filtered("reward_id").points_cost = 120
        self.assertEqual(self._redemptions(order).mapped("points"), [-100, 40, -60])
        self.assertEqual(self._redemptions(order).mapped("move_type"), ["redeem", "adjust", "redeem"])
        self.assertEqual(self.card.points, 30)


@tagged("post_install", "-at_install")
class TestSaleOrderEarnAndSpend(TransactionCase):
    """A program whose rule gives 1 point per unit spent, as sale_loyalty computes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = create_reward_program(
            cls.env,
            "Thành viên tích điểm",
            rule_ids=[Command.create({"reward_point_mode": "money", "reward_point_amount": 1})],
        )
        cls.partner = cls.env["res.partner"].create({"name": "Hồ Văn Tâm"})
        cls.product = cls.env["product.product"].create(
            {"name": "Áo dài", "list_price": 200, "taxes_id": False}
        )
        cls.card = cls.env["loyalty.card"].create(
            {"partner_id": cls.partner.id, "program_id": cls.program.id}
        )
        cls.card._omni_post("earn", 60, "earn-spend-test")

    def quotation(self, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "order_line": [Command.create({"product_id": self.product.id, "price_unit": 200})],
                **values,
            }
        )
        order._update_programs_and_rewards()
        return order

    def test_order_spends_the_points_it_earns(self):
        order = self.quotation()
        self.assertEqual(order._get_real_points_for_coupon(self.card), 260)
        self.assertNotIn("error", order._apply_program_reward(self.program.reward_ids, self.card))
        order.action_confirm()
        moves = self.card.omni_move_ids.filtered(lambda move: move.sale_order_id == order).sorted("id")
        # The rule's 200 points (the reward's discount is not counted, as in sale_loyalty), then the cost.
        self.assertEqual(moves.mapped("move_type"), ["earn", "redeem"])
        self.assertEqual(moves.mapped("points"), [200, -100])
        self.assertEqual(moves[0].amount, 150, "the net spend, for the tiers")
        self.assertEqual(self.card.points, 160)
        history = self.env["loyalty.history"].search(
            [("card_id", "=", self.card.id), ("order_id", "=", order.id)]
        )
        self.assertEqual((sum(history.mapped("issued")), sum(history.mapped("used"))), (200, 100))

    def test_pending_marketplace_points_cannot_be_spent(self):
        shopee = create_channel(self.env, "Shopee Tích", "loy-earn-spend-shopee", channel_type="shopee")
        order = self.quotation(omni_channel_id=shopee.id, omni_external_ref="SP-1")
        self.assertEqual(order.coupon_point_ids.points, 200, "the program's rule counts the order")
        self.assertEqual(order._get_real_points_for_coupon(self.card), 60)
        self.assertFalse(order._get_claimable_rewards().get(self.card))
        order.action_confirm()
        earn = self.card.omni_move_ids.filtered(lambda move: move.sale_order_id == order)
        self.assertEqual((earn.move_type, earn.points, earn.state), ("earn", 200, "pending"))
        self.assertEqual(self.card.points, 60)

    def test_cancelled_order_takes_back_what_it_earned_and_gives_back_what_it_spent(self):
        order = self.quotation()
        order._apply_program_reward(self.program.reward_ids, self.card)
        order.action_confirm()
        order._action_cancel()
        self.assertEqual(self.card.points, 60)
        assert_one_loyalty_truth(self, self.program)


@tagged("post_install", "-at_install")
class TestPosRedeem(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 point per unit spent, by the ledger's earn rate as on every channel.
        cls.program = create_reward_program(cls.env, "Thành viên PoS", omni_earn_rate=1000)
        cls.partner = cls.env["res.partner"].create({"name": "Đỗ Thu Hà"})
        cls.card = cls.env["loyalty.card"].create(
            {"partner_id": cls.partner.id, "program_id": cls.program.id}
        )
        cls.card._omni_post("earn", 300, "pos-test-earn")
        product = cls.env["product.product"].create({"name": "Nón lá", "list_price": 200})
        session = cls.env["pos.session"].create(
            {"config_id": cls.env["pos.config"].create({"name": "Cửa hàng"}).id, "user_id": cls.env.uid}
        )
        reward = cls.program.reward_ids
        cls.order = cls.env["pos.order"].create(
            {
                "session_id": session.id,
                "partner_id": cls.partner.id,
                "uuid": "pos-redeem-test-1",
                "amount_tax": 0,
                "amount_total": 150,
                "amount_paid": 150,
                "amount_return": 0,
                "lines": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "qty": 1,
                            "price_unit": 200,
                            "price_subtotal": 200,
                            "price_subtotal_incl": 200,
                        }
                    ),
                    Command.create(
                        {
                            "product_id": reward.discount_line_product_id.id,
                            "qty": 1,
                            "price_unit": -50,
                            "price_subtotal": -50,
                            "price_subtotal_incl": -50,
                            "is_reward_line": True,
                            "reward_id": reward.id,
                            "coupon_id": cls.card.id,
                            "points_cost": 100,
                            "reward_identifier_code": "pos-r1",
                        }
                    ),
                ],
            }
        )

    def test_retried_sync_posts_once(self):
        # The PoS sends the net change it computed; the server posts 150 points won (200 less the
        # 50 of the reward, by the earn rate) and the 100 the reward costs.
        data = {
            str(self.card.id): {
                "points": 50,
                "program_id": self.program.id,
                "coupon_id": self.card.id,
                "partner_id": self.partner.id,
                "line_codes": ["pos-r1"],
            }
        }
        first = self.order.confirm_coupon_programs(data)
        again = self.order.confirm_coupon_programs(data)
        moves = self.card.omni_move_ids.filtered(lambda move: move.pos_order_id == self.order)
        self.assertEqual(sorted(moves.mapped("move_type")), ["earn", "redeem"])
        self.assertEqual(sorted(moves.mapped("points")), [-100, 150])
        self.assertEqual(self.card.points, 350)
        self.assertEqual(first["coupon_updates"][0]["points"], 350)
        self.assertEqual(again["coupon_updates"][0]["points"], 350)
        # The till then records the order's history, as Odoo's PoS does: the ledger's rows stand.
        self.order.add_loyalty_history_lines(
            [{"card_id": str(self.card.id), "won": 200, "spent": 100}], first["coupon_updates"]
        )
        assert_one_loyalty_truth(self, self.program)

    def test_validation_refuses_more_than_available(self):
        # An offline till holds 250 points: the card's projection still shows 300.
        self.card._omni_post("hold", -250, "pos-test-hold", state="pending")
        refused = self.env["pos.order"].validate_coupon_programs({str(self.card.id): -100}, [])
        self.assertFalse(refused["successful"])
        self.assertIn("Not enough points", refused["payload"]["message"])
        accepted = self.env["pos.order"].validate_coupon_programs({str(self.card.id): -50}, [])
        self.assertTrue(accepted["successful"])

    def test_order_spends_the_points_it_wins(self):
        """The till counts 150 points won (the program's rules) and a reward of 100 on a card with
        none: the check before payment and the posting after it agree."""
        partner = self.env["res.partner"].create({"name": "Khách mới PoS"})
        card = self.env["loyalty.card"].create({"partner_id": partner.id, "program_id": self.program.id})
        reward_line = self.order.lines.filtered("is_reward_line")
        order = self._pos_order(
            "pos-earn-spend-test",
            [
                {
                    "product_id": (self.order.lines - reward_line).product_id.id,
                    "qty": 1,
                    "price_unit": 200,
                    "price_subtotal": 200,
                    "price_subtotal_incl": 200,
                },
                {
                    "product_id": reward_line.product_id.id,
                    "qty": 1,
                    "price_unit": -50,
                    "price_subtotal": -50,
                    "price_subtotal_incl": -50,
                    "is_reward_line": True,
                    "reward_id": reward_line.reward_id.id,
                    "coupon_id": card.id,
                    "points_cost": 100,
                    "reward_identifier_code": "pos-r2",
                },
            ],
            150,
        )
        self.assertTrue(self.env["pos.order"].validate_coupon_programs({str(card.id): 50}, [])["successful"])
        data = {str(card.id): {"points": 50, "program_id": self.program.id, "line_codes": ["pos-r2"]}}
        result = order.confirm_coupon_programs(data)
        moves = card.omni_move_ids.sorted("id")
        self.assertEqual(moves.mapped("move_type"), ["earn", "redeem"])
        self.assertEqual(moves.mapped("points"), [150, -100])
        self.assertEqual((card.points, result["coupon_updates"][0]["points"]), (50, 50))

    def test_paid_order_is_never_refused(self):
        """Another till spent the points between this till's check and its sync: the paid order's
        redemption takes what is left, never more, and the order says what was missing."""
        self.card._omni_post("redeem", -300, "pos-test-elsewhere")
        data = {str(self.card.id): {"points": -100, "program_id": self.program.id, "line_codes": ["pos-r1"]}}
        self.order.confirm_coupon_programs(data)
        self.assertFalse(self.card.omni_move_ids.filtered(lambda move: move.pos_order_id == self.order))
        self.assertEqual(self.card.points, 0)
        self.assertTrue(self.order.message_ids.filtered(lambda m: "cost 100.0 loyalty points" in m.body))

    def _pos_order(self, uuid, lines, amount):
        return self.env["pos.order"].create(
            {
                "session_id": self.order.session_id.id,
                "partner_id": self.partner.id,
                "uuid": uuid,
                "amount_tax": 0,
                "amount_total": amount,
                "amount_paid": amount,
                "amount_return": 0,
                "lines": [Command.create(line) for line in lines],
            }
        )

    def test_paid_refund_takes_back_what_it_refunds(self):
        product = self.order.lines.filtered(lambda line: not line.is_reward_line).product_id
        sold = self._pos_order(
            "pos-refund-test-sale",
            [
                {
                    "product_id": product.id,
                    "qty": 2,
                    "price_unit": 200,
                    "price_subtotal": 400,
                    "price_subtotal_incl": 400,
                }
            ],
            400,
        )
        data = {
            str(self.card.id): {
                "points": 400,
                "program_id": self.program.id,
                "coupon_id": self.card.id,
                "partner_id": self.partner.id,
            }
        }
        sold.confirm_coupon_programs(data)
        earn = self.card.omni_move_ids.filtered(lambda move: move.pos_order_id == sold)
        self.assertEqual((earn.move_type, earn.points, self.card.points), ("earn", 400, 700))

        cashier = new_test_user(
            self.env, "loy_pos_cashier", groups="base.group_user,point_of_sale.group_pos_user"
        )

        def refund(uuid):
            line = {
                "product_id": product.id,
                "qty": -1,
                "price_unit": 200,
                "price_subtotal": -200,
                "price_subtotal_incl": -200,
                "refunded_orderline_id": sold.lines.id,
            }
            order = self._pos_order(uuid, [line], -200)
            order.with_user(cashier).action_pos_order_paid()
            return order

        first = refund("pos-refund-test-1")
        first._omni_loyalty_reverse_refunded()  # the same refund seen again
        reversals = self.card.omni_move_ids.filtered(lambda move: move.reversed_move_id == earn)
        self.assertEqual(reversals.mapped("points"), [-200])
        self.assertEqual(reversals.pos_order_id, first)
        self.assertEqual(reversals.amount, -200)
        self.assertEqual(self.card.points, 500)
        refund("pos-refund-test-2")
        reversals = self.card.omni_move_ids.filtered(lambda move: move.reversed_move_id == earn)
        self.assertEqual(sorted(reversals.mapped("points")), [-200, -200])
        self.assertEqual(self.card.points, 300)
        self.assertEqual(earn.remaining, 0)
