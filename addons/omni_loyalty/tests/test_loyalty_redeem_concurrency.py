from odoo.addons.omni_channel_sync.tests.common import CommittedDataCase, run_concurrently
from odoo.tests import tagged
from odoo.tools import SQL

from .loyalty_common import create_reward_program, order_with_reward

THREADS = 8


@tagged("post_install", "-at_install")
class TestConcurrentOrderRedeem(CommittedDataCase):
    """Eight sale orders spending 100 points each of one card, confirmed at the same moment from
    eight database cursors: the card has 350 points, three orders get their reward."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            # Committed data: other programs are left alone (the race program is the default one,
            # as in a database of its own).
            program = create_reward_program(env, "Race orders", exclusive=False)
            partner = env["res.partner"].create({"name": "Race orders buyer"})
            product = env["product.product"].create({"name": "Race service", "type": "service"})
            card = env["loyalty.card"].create({"partner_id": partner.id, "program_id": program.id})
            card._omni_post("earn", 350, "race-orders-earn")
            orders = env["sale.order"].concat(
                *(order_with_reward(env, partner, product, card) for _index in range(THREADS))
            )
            self.program_id, self.partner_id, self.product_id = program.id, partner.id, product.id
            self.card_id, self.order_ids = card.id, orders.ids
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.committed_env() as env:
            # The ledger refuses deletion through the ORM: only this test's own rows go, by SQL.
            env.cr.execute(SQL("DELETE FROM omni_loyalty_move WHERE card_id = %s", self.card_id))
            env.cr.execute(SQL("DELETE FROM loyalty_history WHERE card_id = %s", self.card_id))
            orders = env["sale.order"].browse(self.order_ids)
            orders.filtered(lambda order: order.state == "sale").with_context(
                disable_cancel_warning=True
            )._action_cancel()
            orders.unlink()
            env.cr.execute(SQL("DELETE FROM loyalty_card WHERE id = %s", self.card_id))
            program = env["loyalty.program"].browse(self.program_id)
            program.active = False
            program.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def test_confirmations_never_overdraw(self):
        def confirm(order_id):
            def call(env):
                env["sale.order"].browse(order_id).action_confirm()
                return "confirmed"

            return call

        results = run_concurrently(self.registry, [confirm(order_id) for order_id in self.order_ids])
        self.assertEqual(len(results), THREADS, results)
        self.assertEqual(results.count("confirmed"), 3, results)
        self.assertTrue(all("Not enough points" in r for r in results if r != "confirmed"), results)
        with self.committed_env() as env:
            card = env["loyalty.card"].browse(self.card_id)
            self.assertEqual(card.points, 50)
            self.assertEqual(sum(card.omni_move_ids.mapped("points")), 50)
            self.assertEqual(
                card.omni_move_ids.filtered(lambda m: m.move_type == "redeem").sale_order_id.mapped("state"),
                ["sale"] * 3,
            )
