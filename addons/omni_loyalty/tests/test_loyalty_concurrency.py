from odoo.addons.omni_channel_sync.tests.common import CommittedDataCase, run_concurrently
from odoo.tests import tagged
from odoo.tools import SQL

THREADS = 8


@tagged("post_install", "-at_install")
class TestConcurrentRedeem(CommittedDataCase):
    """Eight redemptions of one card at the same moment, each on its own database cursor."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            self.program_id = (
                env["loyalty.program"]
                .create({"name": "Race loyalty", "program_type": "loyalty", "omni_is_default": True})
                .id
            )
            self.pricelist_id = env["product.pricelist"].create({"name": "Race"}).id
            self.channel_id = (
                env["omni.channel"]
                .create({"name": "Race", "code": "loy-race", "pricelist_id": self.pricelist_id})
                .id
            )
            self.partner_id = env["res.partner"].create({"name": "Race buyer"}).id
            card = env["loyalty.card"].create({"partner_id": self.partner_id, "program_id": self.program_id})
            card._omni_post("earn", 350, "race-earn")
            self.card_id = card.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.committed_env() as env:
            # The ledger refuses deletion through the ORM: only this test's own rows go, by SQL.
            env.cr.execute(SQL("DELETE FROM omni_loyalty_move WHERE card_id = %s", self.card_id))
            env["loyalty.card"].browse(self.card_id).unlink()
            program = env["loyalty.program"].browse(self.program_id)
            program.active = False
            program.unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def test_redemptions_never_overdraw(self):
        def redeem(index):
            return lambda env: env["loyalty.card"].api_loyalty_redeem(
                "loy-race", self.partner_id, 100, f"race-{index}"
            )["points"]

        results = run_concurrently(self.registry, [redeem(index) for index in range(THREADS)], timeout=60)
        self.assertEqual(len(results), THREADS, results)
        self.assertEqual(results.count(-100), 3, results)
        self.assertTrue(all("Not enough points" in r for r in results if r != -100), results)
        with self.committed_env() as env:
            card = env["loyalty.card"].browse(self.card_id)
            self.assertEqual(card.points, 50)
            self.assertEqual(sum(card.omni_move_ids.mapped("points")), 50)
