from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .loyalty_common import create_reward_program, order_with_reward


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

    def test_points_won_by_the_order_are_not_posted_by_sale_loyalty(self):
        order = order_with_reward(self.env, self.partner, self.product, self.card)
        self.assertTrue(order.coupon_point_ids.points, "sale_loyalty computed points for the order")
        order.action_confirm()
        # What the order earns is the earn rules' to post: sale_loyalty's balance write posts nothing.
        self.assertFalse(self.card.omni_move_ids.filtered(lambda move: move.move_type == "adjust"))
        posted = self.card.omni_move_ids.filtered(lambda move: move.state == "posted")
        self.assertAlmostEqual(sum(posted.mapped("points")), self.card.points, places=2)

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

    def test_only_posted_points_can_be_claimed(self):
        poor = self.env["res.partner"].create({"name": "Hồ Văn Tâm"})
        card = self.env["loyalty.card"].create({"partner_id": poor.id, "program_id": self.program.id})
        card._omni_post("earn", 60, "redeem-test-poor")
        order = self.env["sale.order"].create(
            {
                "partner_id": poor.id,
                "order_line": [Command.create({"product_id": self.product.id, "price_unit": 200})],
            }
        )
        order._update_programs_and_rewards()
        # The order itself would win 200 points: sale_loyalty would let it spend them at once.
        self.assertEqual(order._get_real_points_for_coupon(card), 60)
        self.assertFalse(order._get_claimable_rewards().get(card))


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

    def test_validation_refuses_more_than_available(self):
        # An offline till holds 250 points: the card's projection still shows 300.
        self.card._omni_post("hold", -250, "pos-test-hold", state="pending")
        refused = self.env["pos.order"].validate_coupon_programs({str(self.card.id): -100}, [])
        self.assertFalse(refused["successful"])
        self.assertIn("Not enough points", refused["payload"]["message"])
        accepted = self.env["pos.order"].validate_coupon_programs({str(self.card.id): -50}, [])
        self.assertTrue(accepted["successful"])

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
