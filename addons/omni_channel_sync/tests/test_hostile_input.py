"""Every order entry point answers any input cleanly: an API answer or a user error, a 4xx with a
JSON body, a stored payload that ends failed with a readable reason — never a server error."""

import base64
import json
import time
import xmlrpc.client
from datetime import UTC, datetime

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..connectors.lazada.signing import sign_lazada_push
from ..connectors.shopee.signing import sign_shopee_push
from ..connectors.signing import sign_api_webhook, sign_base64_body
from .common import OmniChannelCase

APP_KEY, SECRET = "app-key-1", "platform-secret"
DEEP = 100_000
HOSTILE_DATES = ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1900-01-01", 10**20)
HOSTILE_AMOUNTS = (float("nan"), float("inf"), float("-inf"), -1, 0, 10**30, 1e300, "abc", None, [1], True)


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def marshalled(answer):
    """The answer as Odoo's XML-RPC sends it (no None, valid Unicode): a TypeError otherwise."""
    return xmlrpc.client.dumps((answer,), methodresponse=True, allow_none=False).encode()


def with_order(order, path, value):
    """A copy of ``order`` with ``value`` at ``path`` (keys and list indexes)."""
    order = json.loads(json.dumps(order))
    target = order
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return order


@tagged("post_install", "-at_install")
class TestHostileOrders(OmniChannelCase):
    """``api_ingest_orders`` and ``api_get_orders`` as an integrator calls them."""

    def answer(self, *orders, **options):
        results = self.ingest(*orders, **options)
        marshalled(results)
        self.assertEqual(len(results), len(orders))
        return results

    def assert_failed(self, result, *words, stored=True):
        self.assertEqual(result["status"], "failed", result)
        for word in words:
            self.assertIn(word, result["error"])
        self.assertNotIn("Traceback", result["error"])
        inbox = self.env["omni.channel.inbox"].browse(result["inbox_id"])
        self.assertEqual(bool(inbox), stored, result)
        if stored:
            self.assertEqual(inbox.state, "failed")
            self.assertEqual(inbox.error, result["error"])

    def test_dates_beyond_what_a_date_holds(self):
        for value in HOSTILE_DATES:
            for field in ("created_at", "updated_at", "pay_by", "ship_by"):
                with self.subTest(field=field, value=value):
                    (result,) = self.answer(self.order(f"D-{field}-{value}", **{field: value}))
                    self.assert_failed(result, field)

    def test_order_without_a_usable_external_id(self):
        for value in (None, "", "   ", 12.5, ["A"], {"a": 1}, True, "X" * 129):
            with self.subTest(value=value):
                (result,) = self.answer(self.order(value))
                self.assert_failed(result, "external_id")
        (result,) = self.answer({k: v for k, v in self.order().items() if k != "external_id"})
        self.assert_failed(result, "external_id: Field required")
        self.assertIs(result["external_id"], False, "False, not None: XML-RPC has no None")

    def test_nul_and_lone_surrogates_anywhere_are_refused_unstored(self):
        for bad in ("a\x00b", "\ud800", "x\udfffy"):
            for path in (
                ("external_id",),
                ("note",),
                ("customer", "name"),
                ("lines", 0, "sku"),
                ("shipping_address", "street"),
                ("extra", "deep", "field"),
            ):
                with self.subTest(bad=bad, path=path):
                    order = self.order("NUL-1")
                    if path[0] == "extra":
                        order["extra"] = {"deep": {}}
                    (result,) = self.answer(with_order(order, path, bad))
                    self.assert_failed(result, "Nothing was stored", stored=False)
                    if path != ("external_id",):
                        self.assertEqual(result["external_id"], "NUL-1")
        (result,) = self.answer({**self.order("NUL-2"), "k\x00ey": 1})
        self.assert_failed(result, "NUL", stored=False)

    def test_deep_nesting_and_non_json_values(self):
        results = self.answer(
            self.order("DEEP-1", note=nested(DEEP)),
            nested(DEEP),
            self.order("DT-1", created_at=datetime(2026, 1, 1)),
            self.order("BIN-1", note=b"bytes"),
        )
        self.assert_failed(results[0], "nested more than 64 levels", stored=False)
        self.assert_failed(results[1], "nested more than 64 levels", stored=False)
        self.assert_failed(results[2], "Only JSON values", stored=False)
        self.assert_failed(results[3], "Only JSON values", stored=False)

    def test_hostile_quantities_and_prices(self):
        for value in HOSTILE_AMOUNTS:
            for path in (("lines", 0, "quantity"), ("lines", 0, "unit_price"), ("shipping_fee",)):
                with self.subTest(value=value, path=path):
                    (result,) = self.answer(with_order(self.order(f"Q-{path[-1]}-{value!r}"), path, value))
                    if value == 0 and path[-1] != "quantity":
                        self.assertEqual(result["status"], "created", result)
                    else:
                        self.assert_failed(result, path[-1])

    def test_largest_valid_amounts_are_imported(self):
        line = {"sku": "TEE-M", "quantity": "999999999999.9999", "unit_price": "99999999999999.999999"}
        for status in ("unpaid", "ready_to_ship"):
            with self.subTest(status=status):
                order = self.order(f"MAX-{status}", status, lines=[line], shipping_fee=10**13)
                (result,) = self.answer(order)
                self.assertIn(result["status"], ("created", "failed"), result)
                self.assertNotIn("Unexpected", result["error"] or "")

    def test_huge_strings_many_lines_and_non_object_orders(self):
        results = self.answer(
            self.order("HUGE-1", note="x" * 2_000_000),
            self.order("HUGE-2", note="ghi chú " * 2_000),
            self.order(
                "LINES-1",
                lines=[{"sku": f"S-{n}", "quantity": 1, "unit_price": 1} for n in range(10_000)],
            ),
            1,
            "text",
            None,
            [],
            True,
        )
        self.assert_failed(results[0], "over the limit", stored=False)
        self.assert_failed(results[1], "note")
        self.assert_failed(results[2], "lines")
        for result in results[3:]:
            self.assert_failed(result, "must be an object")
            self.assertIs(result["external_id"], False)

    def test_wrong_types_of_the_call_itself(self):
        Channel = self.env["omni.channel"].with_user(self.integrator)
        calls = [
            ("partner_api", {"external_id": "x"}, None),
            ("partner_api", "orders", None),
            ("partner_api", None, None),
            ("partner_api", [self.order()], "async"),
            ("partner_api", [self.order()] * 501, None),
            (None, [], None),
            (42, [], None),
            ("partner\x00api", [], None),
            ("\ud800", [], None),
            ("x" * 10_000, [], None),
            (["partner_api"], [], None),
        ]
        for args in calls:
            with self.subTest(args=str(args)[:60]), self.assertRaises(ValidationError) as caught:
                Channel.api_ingest_orders(*args)
            marshalled(str(caught.exception))
        for external_ids in (None, "SO-1", [1], [None], ["a\x00"], ["\ud800"], [["SO-1"]], ["x"] * 501):
            with self.subTest(external_ids=str(external_ids)[:40]), self.assertRaises(ValidationError):
                Channel.api_get_orders("partner_api", external_ids)
        self.assertEqual(Channel.api_get_orders("partner_api", ["nope", "x" * 10_000]), [])
        marshalled(Channel.api_info())

    def test_poisoned_rows_fail_alone_and_the_cron_runs_on(self):
        """Rows stored before input was checked at the edge (or by any other path) fail with a
        readable reason; the others are imported, and the pending cron does not fail."""
        Inbox = self.env["omni.channel.inbox"]
        poisons = [
            json.dumps(self.order("P-1", created_at="0001-01-01T00:00:00+01:00")),
            json.dumps(self.order("P-2", note="a\x00b")),
            json.dumps(self.order("P-3", note="\ud800")),
            "[" * DEEP + "]" * DEEP,
            '{"external_id": "P-5", "lines": [',
            json.dumps(self.order("P-6", lines=[{"sku": "TEE-M", "quantity": float("nan")}])),
        ]
        entries = [(f"P-{number}", raw) for number, raw in enumerate(poisons)]
        stored = Inbox._store(self.channel, "order", "api", entries)
        good = self.ingest(self.order("GOOD-1"), **{"async": True})[0]["inbox_id"]
        Inbox._cron_process_pending()
        rows = Inbox.browse([record_id for record_id, _new in stored])
        self.assertEqual(set(rows.mapped("state")), {"failed"})
        for row in rows:
            self.assertTrue(row.error.startswith("Invalid order"), row.error)
        self.assertEqual(Inbox.browse(good).state, "done")


@tagged("post_install", "-at_install")
class TestHostileWebhooks(HttpCase, OmniChannelCase):
    """Every platform's webhook: refusals are 4xx with a JSON body; stale pushes stored nowhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channels = {"api": cls.channel}
        for platform in ("shopee", "lazada", "tiktok", "shopify", "woocommerce"):
            cls.channels[platform] = cls.env["omni.channel"].create(
                {
                    "name": f"{platform} hostile",
                    "code": f"hostile_{platform}",
                    "channel_type": platform,
                    "pricelist_id": cls.pricelist.id,
                    "api_key": APP_KEY,
                    "api_secret": SECRET,
                    "api_base_url": "http://127.0.0.1:9",
                    "sync_orders": False,
                }
            )

    def payload(self, platform, sent_at):
        """A push of the platform, sent at ``sent_at`` (unix seconds), in its own shape."""
        if platform == "api":
            return self.order("WH-1")
        if platform == "shopee":
            data = {"ordersn": "WH-1", "status": "UNPAID"}
            return {"data": data, "shop_id": 1, "code": 3, "timestamp": sent_at}
        if platform == "lazada":
            data = {"trade_order_id": "WH-1", "trade_order_line_id": "1", "order_status": "unpaid"}
            return {"seller_id": "1", "message_type": 0, "data": data, "timestamp": sent_at * 1000}
        if platform == "tiktok":
            data = {"order_id": "WH-1", "order_status": "UNPAID"}
            return {"type": 1, "tts_notification_id": "N-1", "timestamp": sent_at, "data": data}
        if platform == "shopify":
            return {"id": 1001, "updated_at": "2026-11-20T07:00:00Z", "financial_status": "paid"}
        modified = datetime.fromtimestamp(sent_at, UTC).replace(tzinfo=None).isoformat(timespec="seconds")
        return {"id": 1001, "date_modified_gmt": modified, "status": "processing"}

    def post(self, platform, body, sent_at=None, headers=None):
        """POST ``body`` (bytes) signed as the platform signs, dated ``sent_at`` where the date is
        a header; the answer."""
        channel = self.channels[platform]
        sent_at = int(time.time()) if sent_at is None else sent_at
        path = f"/omni/webhook/{channel.code}"
        headers = {"Content-Type": "application/json", **(headers or {})}
        if platform == "api":
            timestamp = headers.setdefault("X-Omni-Timestamp", str(sent_at))
            headers["X-Omni-Signature"] = "sha256=" + sign_api_webhook("s3cret-key", timestamp, body)
        elif platform == "shopee":
            headers["Authorization"] = sign_shopee_push(SECRET, self.base_url() + path, body)
        elif platform in ("lazada", "tiktok"):
            headers["Authorization"] = sign_lazada_push(APP_KEY, SECRET, body)
        elif platform == "shopify":
            headers.setdefault("X-Shopify-Triggered-At", datetime.fromtimestamp(sent_at, UTC).isoformat())
            headers["X-Shopify-Hmac-Sha256"] = sign_base64_body(SECRET, body)
        else:
            headers["X-WC-Webhook-Signature"] = sign_base64_body(SECRET, body)
        return self.url_open(path, data=body, headers=headers)

    def push(self, platform, sent_at=None, **changes):
        sent_at = int(time.time()) if sent_at is None else sent_at
        body = json.dumps({**self.payload(platform, sent_at), **changes}).encode()
        return self.post(platform, body, sent_at)

    def stored(self, platform):
        return self.env["omni.channel.inbox"].search([("channel_id", "=", self.channels[platform].id)])

    def assert_refused(self, response, status, error):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.json()["error"], error)

    def test_recent_push_is_stored_on_every_platform(self):
        for platform in self.channels:
            with self.subTest(platform=platform):
                response = self.push(platform)
                self.assertEqual(response.status_code, 200, response.text)
                self.assertEqual(len(self.stored(platform)), 1)

    def test_stale_or_future_push_is_refused_and_stored_nowhere(self):
        now = int(time.time())
        for platform in self.channels:
            for sent_at in (now - 90 * 86400, now - 16 * 60, now + 3600):
                with self.subTest(platform=platform, sent_at=sent_at - now):
                    response = self.push(platform, sent_at)
                    self.assert_refused(response, 401, "stale or undated push")
                    self.assertEqual(response.json()["max_age_minutes"], 15)
            self.assertFalse(self.stored(platform))

    def test_the_window_is_the_channels(self):
        for platform in self.channels:
            with self.subTest(platform=platform):
                self.channels[platform].webhook_max_age = 120
                self.assertEqual(self.push(platform, int(time.time()) - 90 * 60).status_code, 200)

    def test_the_window_is_a_manager_setting(self):
        user = new_test_user(self.env, "omni_window_user", groups="omni_channel_sync.group_user")

        def shown_to(user):
            views = self.env["omni.channel"].with_user(user).get_views([(False, "form")])["views"]
            return 'name="webhook_max_age"' in views["form"]["arch"]

        self.assertEqual((shown_to(self.manager), shown_to(user)), (True, False))
        self.assertEqual(self.env["omni.channel"].new({}).webhook_max_age, 15)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.channel.webhook_max_age = 0
            self.channel.flush_recordset()

    def test_undated_or_unreadable_time_is_refused_where_the_platform_dates_pushes(self):
        for platform in ("shopee", "lazada", "tiktok"):
            for value in (None, "abc", "", 1e400, True, [1], {"t": 1}, -(10**30)):
                with self.subTest(platform=platform, value=value):
                    body = {k: v for k, v in self.payload(platform, 0).items() if k != "timestamp"}
                    if value is not None:
                        body["timestamp"] = value
                    body = json.dumps(body).encode()
                    self.assert_refused(self.post(platform, body), 401, "stale or undated push")
        for value in ("", "abc", "9" * 400, "nan", "0001-01-01T00:00:00+01:00"):
            with self.subTest(header=value):
                body = json.dumps(self.payload("api", 0)).encode()
                headers = {"X-Omni-Timestamp": value}
                self.assert_refused(self.post("api", body, headers=headers), 401, "stale or undated push")
                headers = {"X-Shopify-Triggered-At": value}
                body = json.dumps(self.payload("shopify", 0)).encode()
                self.assert_refused(self.post("shopify", body, headers=headers), 401, "stale or undated push")
        # WooCommerce dates no delivery: a resource without a modification time is not refused for it.
        self.assertEqual(self.post("woocommerce", b'{"id": 5, "status": "processing"}').status_code, 200)
        self.assertFalse(self.stored("shopee") | self.stored("lazada") | self.stored("tiktok"))

    def test_a_re_dated_signed_push_is_refused(self):
        """Our own scheme signs the timestamp: a captured push cannot be given a new one."""
        body = json.dumps(self.order("WH-2")).encode()
        old = str(int(time.time()) - 86400)
        signature = "sha256=" + sign_api_webhook("s3cret-key", old, body)
        headers = {
            "Content-Type": "application/json",
            "X-Omni-Timestamp": str(int(time.time())),
            "X-Omni-Signature": signature,
        }
        response = self.url_open("/omni/webhook/partner_api", data=body, headers=headers)
        self.assert_refused(response, 401, "invalid signature")

    def test_unstorable_bodies_are_refused_on_every_platform(self):
        for platform in self.channels:
            good = json.dumps(self.payload(platform, int(time.time())))[:-1]
            bodies = {
                "escaped NUL": (good + ', "x": "a\\u0000b"}').encode(),
                "escaped NUL in a key": (good + ', "a\\u0000": 1}').encode(),
                "raw NUL": (good + ', "x": "a\x00b"}').encode(),
                "escaped surrogate": (good + ', "x": "\\ud800"}').encode(),
                "deep": b"[" * DEEP + b"]" * DEEP,
                "deep in a field": (good + ', "x": ' + "[" * DEEP + "]" * DEEP + "}").encode(),
                "moderately deep": (good + ', "x": ' + "[" * 100 + "]" * 100 + "}").encode(),
            }
            for name, body in bodies.items():
                with self.subTest(platform=platform, body=name):
                    self.assert_refused(self.post(platform, body), 400, "invalid payload")
            self.assertFalse(self.stored(platform))

    def test_bodies_that_are_not_json_are_kept_failed(self):
        for platform in self.channels:
            for body in (b'{"external_id": "SO-9", "lines": [', b"\xed\xa0\x80", b"\xff\xfe{", b"NaN-ish"):
                with self.subTest(platform=platform, body=body):
                    response = self.post(platform, body)
                    self.assert_refused(response, 400, "invalid JSON")
                    inbox = self.env["omni.channel.inbox"].browse(response.json()["inbox_id"])
                    self.assertEqual(inbox.state, "failed")
                    self.assertIn("Invalid JSON", inbox.error)

    def test_hostile_orders_pushed_by_a_partner_end_failed_with_a_reason(self):
        lines = [{"sku": f"S-{n}", "quantity": 1, "unit_price": 1} for n in range(10_000)]
        orders = [
            self.order("H-1", created_at="0001-01-01T00:00:00+01:00"),
            self.order("H-2", updated_at="9999-12-31T23:59:59-01:00"),
            {k: v for k, v in self.order("H-3").items() if k != "external_id"},
            self.order("H-4", lines=[{"sku": "TEE-M", "quantity": -1, "unit_price": 10**30}]),
            self.order("H-5", lines=lines),
            1,
            "text",
            None,
        ]
        body = json.dumps({"orders": orders}).encode()
        response = self.post("api", body)
        self.assertEqual(response.status_code, 200, response.text)
        results = response.json()["results"]
        self.assertEqual([result["status"] for result in results], ["queued"] * len(orders))
        inbox = self.stored("api")
        inbox._process()
        self.assertEqual(set(inbox.mapped("state")), {"failed"})
        for record in inbox:
            self.assertTrue(record.error.startswith("Invalid order: "), record.error)
        # NaN and Infinity, which Python's JSON reads, are stored and fail the same way.
        line = b'{"sku": "TEE-M", "quantity": NaN, "unit_price": Infinity}'
        body = b'{"external_id": "H-9", "status": "unpaid", "lines": [' + line + b"]}"
        self.assertEqual(self.post("api", body).status_code, 200)
        record = self.stored("api").filtered(lambda r: r.external_id == "H-9")
        record._process()
        self.assertIn("finite number", record.error)

    def test_too_many_orders_or_a_huge_order(self):
        body = json.dumps({"orders": [1] * 501}).encode()
        self.assert_refused(self.post("api", body), 400, "too many orders")
        body = json.dumps(self.order("BIG-1", note="x" * 1_500_000)).encode()
        (result,) = self.post("api", body).json()["results"]
        self.assertEqual((result["status"], result["inbox_id"]), ("failed", False))
        for platform in ("shopee", "woocommerce"):
            with self.subTest(platform=platform):
                response = self.push(platform, x="x" * 1_500_000)
                self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(self.post("api", b"x" * (3 * 1024 * 1024)).status_code, 413)

    def test_non_object_bodies(self):
        for body in (b"[]", b"123", b'"text"', b"null", b"true"):
            with self.subTest(body=body):
                # The marketplaces date their pushes in the body: one that is not an object is undated.
                self.assert_refused(self.post("shopee", body), 401, "stale or undated push")
                self.assertEqual(self.post("api", body).status_code, 200)
                self.assertEqual(self.post("woocommerce", body).status_code, 200)


@tagged("post_install", "-at_install")
class TestHostileFiles(OmniChannelCase):
    """The order file import: a user error, or a summary with every order's outcome."""

    HEADER = "external_id,status,sku,quantity,unit_price,created_at,note\n"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.omni_user = new_test_user(cls.env, "omni_hostile_file", groups="omni_channel_sync.group_user")

    def run_import(self, content, filename="orders.csv"):
        wizard = (
            self.env["omni.order.import"]
            .with_user(self.omni_user)
            .create({"channel_id": self.channel.id, "file": base64.b64encode(content), "filename": filename})
        )
        wizard.action_import()
        return wizard

    def csv(self, *rows):
        return (self.HEADER + "".join(row + "\n" for row in rows)).encode()

    def test_hostile_rows_are_failures_in_the_summary(self):
        cases = {
            "A1,unpaid,TEE-M,1,100,0001-01-01,x": "is not a date",
            "A2,unpaid,TEE-M,1,100,9999-12-31T23:59:59-01:00,x": "is not a date",
            "A3,unpaid,TEE-M,NaN,100,2026-01-01,x": "is not a number",
            "A4,unpaid,TEE-M,1,inf,2026-01-01,x": "is not a number",
            "A5,unpaid,TEE-M,-5,100,2026-01-01,x": "quantity",
            "A6,unpaid,TEE-M,1" + "0" * 5000 + ",100,2026-01-01,x": "is not a number",
            "A7,unpaid,TEE-M,1,100,1900-01-01,x": "created_at",
            "A8,unpaid,TEE-M,1,100,2026-01-01,a\x00b": "NUL",
            "A\x009,unpaid,TEE-M,1,100,2026-01-01,x": "NUL",
            "B" * 100_000 + ",unpaid,TEE-M,1,100,2026-01-01,x": "external_id",
        }
        for row, error in cases.items():
            with self.subTest(row=row[:40]):
                wizard = self.run_import(self.csv(row))
                self.assertEqual((wizard.state, wizard.failed_count), ("done", 1), wizard.result_text)
                self.assertIn(error, wizard.result_text)

    def test_ten_thousand_lines(self):
        rows = [f"L1,unpaid,SKU-{n},1,100,2026-01-01,x" for n in range(10_000)]
        wizard = self.run_import(self.csv(*rows))
        self.assertEqual(wizard.failed_count, 1)
        self.assertRegex(wizard.result_text, "over the limit|lines: List should have at most 1000 items")

    def test_unreadable_files_are_user_errors(self):
        good = self.csv("A1,unpaid,TEE-M,1,100,2026-01-01,x")
        for name, content in {
            "binary": bytes(range(256)) * 10,
            "not UTF-8": self.HEADER.encode() + b"A1,unpaid,TEE-M,1,100,2026-01-01,\xed\xa0\x80\n",
            "zip junk": b"PK\x03\x04" + b"junk" * 100,
            "truncated": good[: len(self.HEADER) // 2],
            "only a header": self.HEADER.encode(),
        }.items():
            with self.subTest(file=name), self.assertRaises(UserError):
                self.run_import(content, "orders.xlsx" if name == "zip junk" else "orders.csv")
