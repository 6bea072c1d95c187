import json
import time

from odoo.tests import HttpCase, tagged

from ..connectors.signing import sign_api_webhook
from .common import OmniChannelCase


@tagged("post_install", "-at_install")
class TestWebhook(HttpCase, OmniChannelCase):
    def post(self, body, signature=None, code="partner_api", timestamp=None):
        timestamp = str(int(time.time())) if timestamp is None else timestamp
        headers = {"Content-Type": "application/json", "X-Omni-Timestamp": timestamp}
        if signature is not False:
            headers["X-Omni-Signature"] = signature or self.post_signature(body, timestamp)
        return self.url_open(f"/omni/webhook/{code}", data=body, headers=headers)

    def inbox(self):
        return self.env["omni.channel.inbox"].search([("channel_id", "=", self.channel.id)])

    def test_signed_order_is_stored_and_queued(self):
        response = self.post(json.dumps(self.order()).encode())
        self.assertEqual(response.status_code, 200, response.text)
        (result,) = response.json()["results"]
        self.assertEqual(result["status"], "queued")
        self.assertEqual(self.inbox().state, "pending")
        self.assertEqual(self.inbox().source, "webhook")
        job = self.env["queue.job"].search([("method_name", "=", "_process_job")])
        self.assertEqual(job.records.ids, self.inbox().ids)

    def test_the_same_webhook_three_times_is_stored_once(self):
        body = json.dumps({"orders": [self.order()]}).encode()
        statuses = [self.post(body).json()["results"][0]["status"] for _ in range(3)]
        self.assertEqual(statuses, ["queued", "duplicate", "duplicate"])
        self.assertEqual(len(self.inbox()), 1)

    def test_forged_signature_is_refused_and_nothing_stored(self):
        body = json.dumps(self.order()).encode()
        forged = "sha256=" + sign_api_webhook("not-the-secret", str(int(time.time())), body)
        self.assertEqual(self.post(body, forged).status_code, 401)
        self.assertEqual(self.post(body, False).status_code, 401)
        self.assertEqual(
            self.post(body + b" ", self.post_signature(body)).status_code, 401, "body was altered"
        )
        self.assertFalse(self.inbox())

    def post_signature(self, body, timestamp=None):
        return "sha256=" + sign_api_webhook("s3cret-key", timestamp or str(int(time.time())), body)

    def test_invalid_json_is_kept_as_failed(self):
        response = self.post(b'{"external_id": "SO-9", "lines": [')
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "invalid JSON")
        inbox = self.inbox()
        self.assertEqual(inbox.state, "failed")
        self.assertIn("Invalid JSON", inbox.error)
        self.assertEqual(inbox.payload, '{"external_id": "SO-9", "lines": [')

    def test_unknown_channel_and_oversized_body(self):
        self.assertEqual(self.post(b"{}", code="nope").status_code, 404)
        self.assertEqual(self.post(b"x" * (3 * 1024 * 1024)).status_code, 413)
        self.assertFalse(self.inbox())
