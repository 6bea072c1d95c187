import threading

from odoo import SUPERUSER_ID, api
from odoo.addons.omni_channel_sync.tests.common import registry_lock_released
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

THREADS = 8


@tagged("post_install", "-at_install")
class TestConcurrentRedeem(BaseCase):
    """Eight redemptions of one card at the same moment, each on its own database cursor.

    The data must be committed for other cursors to see it, so this test holds no transaction of
    its own, commits its data and removes it afterwards.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
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
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # The ledger refuses deletion through the ORM: only this test's own rows go, by SQL.
            cr.execute(SQL("DELETE FROM omni_loyalty_move WHERE card_id = %s", self.card_id))
            env["loyalty.card"].browse(self.card_id).unlink()
            program = env["loyalty.program"].browse(self.program_id)
            program.active = False
            program.unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _redeem_from_own_cursor(self, barrier, index, results):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            barrier.wait()
            try:
                # The way Odoo runs an RPC call: replayed with a fresh snapshot on a serialization failure.
                result = retrying(
                    lambda: env["loyalty.card"].api_loyalty_redeem(
                        "loy-race", self.partner_id, 100, f"race-{index}"
                    ),
                    env,
                )
                results.append(result["points"])
            except UserError as error:
                results.append(str(error))

    def test_redemptions_never_overdraw(self):
        barrier, results = threading.Barrier(THREADS), []
        threads = [
            threading.Thread(target=self._redeem_from_own_cursor, args=(barrier, index, results))
            for index in range(THREADS)
        ]
        # mute: the losers' serialization failures are logged before retrying() replays them
        with registry_lock_released(), mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual(len(results), THREADS, results)
        self.assertEqual(results.count(-100), 3, results)
        self.assertTrue(all("Not enough points" in r for r in results if r != -100), results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(self.card_id)
            self.assertEqual(card.points, 50)
            self.assertEqual(sum(card.omni_move_ids.mapped("points")), 50)
