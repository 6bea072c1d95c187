import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..connectors.errors import ChannelError
from ..models.advisory_locks import try_work_lock
from ..models.omni_channel_order_pull import PULL_LOCK
from .common import CommittedDataCase, run_concurrently, simulator_connection
from .test_channel_actions import MarketplaceCase

if importlib.util.find_spec("sandbox") is None:
    # The marketplace simulator lives at the repository's root, two levels above this addon.
    sys.path.append(str(Path(__file__).resolve().parents[3]))

from sandbox.server import Simulator, serve_in_thread


@tagged("post_install", "-at_install")
class TestNothingWaitsForAChannel(CommittedDataCase):
    """Calls to a platform hold no channel: a button does not wait behind a running pull, and only
    the renewal of a shop's tokens (single use) is one at a time."""

    def setUp(self):
        super().setUp()
        self.simulator = Simulator(max_requests_per_second=1000)
        self.simulator_url, stop = serve_in_thread(self.simulator)
        self.addCleanup(stop)
        self.api = self.simulator.shopee
        with self.committed_env() as env:
            pricelist = env["product.pricelist"].create({"name": "Locks"})
            channel = env["omni.channel"].create(
                {
                    "name": "Locks",
                    "code": "h3_locks",
                    "channel_type": "shopee",
                    "pricelist_id": pricelist.id,
                    **simulator_connection(self.simulator, self.simulator_url, "shopee"),
                }
            )
            self.channel_id, self.pricelist_id = channel.id, pricelist.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.committed_env() as env:
            env["omni.channel.inbox"].search([("channel_id", "=", self.channel_id)]).unlink()
            env["omni.channel"].browse(self.channel_id).unlink()
            env["product.pricelist"].browse(self.pricelist_id).unlink()

    def channel(self, cr):
        # What the channel's lock made a call wait for is refused after 2 s instead.
        cr.execute("SET LOCAL lock_timeout = '2s'")
        return api.Environment(cr, SUPERUSER_ID, {})["omni.channel"].browse(self.channel_id)

    def test_a_button_does_not_wait_behind_a_running_pull(self):
        with self.registry.cursor() as pull, self.registry.cursor() as button:
            # A pull under way: it holds its pull and has written the channel (its health).
            running = self.channel(pull)
            self.assertTrue(try_work_lock(pull, PULL_LOCK, running.id))
            running.write({"last_error": "a passing trouble"})
            running.env.flush_all()
            channel = self.channel(button)
            answer = channel.action_test_connection()
            self.assertEqual(answer["params"]["type"], "success", answer)
            # A webhook is stored meanwhile, as the ingest API stores its orders.
            channel.env["omni.channel.inbox"]._store(channel, "order", "webhook", [("LOCK-1", "{}")])
            # A second pull of the same shop is refused at once, not queued behind the first.
            with self.assertRaisesRegex(ChannelError, "being pulled already"):
                channel._pull_orders(process=False)
            button.rollback()
            pull.rollback()

    def test_concurrent_renewals_use_the_single_use_refresh_token_once(self):
        with self.committed_env() as env:
            env["omni.channel"].browse(self.channel_id).token_expires_at = fields.Datetime.now()
        issued = len(self.api.access_tokens)

        def call(env):
            return env["omni.channel"].browse(self.channel_id)._call_adapter("test_connection")["shop_name"]

        self.assertEqual(
            run_concurrently(self.registry, [call, call, call]),
            ["Omni Sandbox Shop"] * 3,
            "no call renewed with a refresh token another one had used",
        )
        self.assertEqual(len(self.api.access_tokens), issued + 1, "the shop's tokens were renewed once")
        with self.committed_env() as env:
            channel = env["omni.channel"].browse(self.channel_id)
            self.assertIn(channel.refresh_token, self.api.refresh_tokens, "the new pair is kept")
            self.assertGreater(channel.token_expires_at, fields.Datetime.now() + timedelta(hours=1))

    def test_a_renewal_is_kept_and_the_transaction_that_asked_is_run_again(self):
        """The new pair is committed as the renewal ends (the refresh token it consumed is gone on the
        platform); the transaction that asked, older than the pair, fails at once, to be run again on
        it, rather than later when it writes the channel."""
        with self.committed_env() as env:
            env["omni.channel"].browse(self.channel_id).token_expires_at = fields.Datetime.now()
        with self.registry.cursor() as cr:
            with self.assertRaises(SerializationFailure), mute_logger("odoo.sql_db"):
                self.channel(cr)._call_adapter("test_connection")
            cr.rollback()
        with self.committed_env() as env:
            channel = env["omni.channel"].browse(self.channel_id)
            self.assertIn(channel.refresh_token, self.api.refresh_tokens)
            self.assertEqual(channel._call_adapter("test_connection")["shop_name"], "Omni Sandbox Shop")


@tagged("post_install", "-at_install")
class TestButtonsQueue(MarketplaceCase):
    """A button whose work calls the platform more than once queues it: the user is told so at once,
    and the job tells the user its result."""

    def test_pull_import_and_pushes_are_queued_once(self):
        with trap_jobs() as jobs:
            for action in ("action_pull_orders", "action_import_listings", "action_push_prices"):
                answer = getattr(self.shopee, action)()
                self.assertEqual(answer["params"]["type"], "info", answer)
                self.assertIn("queued", answer["params"]["message"])
                getattr(self.shopee, action)()  # a second click while it waits queues nothing more
            jobs.assert_jobs_count(3)
            jobs.assert_enqueued_job(
                self.shopee._pull_job,
                kwargs={"notify": True},
                properties={"channel": "root.omni", "identity_key": f"omni_pull_orders_{self.shopee.id}"},
            )
            jobs.assert_enqueued_job(
                self.shopee._import_listings_job,
                properties={"identity_key": f"omni_import_listings_job_{self.shopee.id}"},
            )
            jobs.assert_enqueued_job(
                self.shopee._push_prices_job,
                properties={"identity_key": f"omni_push_prices_job_{self.shopee.id}"},
            )

    def test_the_job_tells_the_user_its_result(self):
        self.env["bus.bus"].search([]).unlink()
        # Nothing listens at the channel's host: the platform does not answer.
        self.assertIn("did not answer", self.shopee._pull_job(notify=True))
        self.assertIn("did not answer", self.shopee._import_listings_job())
        self.shopee._pull_job()  # the scheduled pull's: it tells no one
        self.env.cr.flush()  # the bus's messages are written as the transaction commits
        sent = self.env["bus.bus"].search([])
        self.assertEqual(len(sent), 2)
        for message in sent.mapped("message"):
            self.assertIn('"simple_notification"', message)
            self.assertIn("did not answer", message)

    def test_run_at_once_where_jobs_are(self):
        """Where queue_job runs jobs at once (a script, a test over RPC), the answer is the result."""
        answer = self.shopee.with_context(queue_job__no_delay=True).action_pull_orders()
        self.assertEqual(answer["params"]["type"], "danger", answer)
        self.assertIn("did not answer", answer["params"]["message"])
