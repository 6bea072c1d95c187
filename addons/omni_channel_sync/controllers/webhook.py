import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..connectors.payload import NotJson, PayloadError, read_json
from ..connectors.registry import is_ping, is_recent, notification_topic, verify

_logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 2 * 1024 * 1024


class OmniWebhook(http.Controller):
    @http.route(
        "/omni/webhook/<string:code>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        readonly=False,
        save_session=False,
    )
    def receive(self, code):
        """Verify, read, store in the inbox, answer: the import itself runs in a job, after the answer.

        Every refusal is a 4xx with a JSON body; nothing refused is stored, but a signed body that is
        not JSON, kept as failed so that nobody loses it.
        """
        # Cached: a request replayed after a serialization failure reads the same body again.
        body = request.httprequest.get_data()
        if len(body) > MAX_WEBHOOK_BYTES:
            return _answer({"error": "payload too large", "max_bytes": MAX_WEBHOOK_BYTES}, 413)
        # The signature check below is the authentication: nothing is read or stored before it passes.
        env = request.env(user=SUPERUSER_ID)
        channel = env["omni.channel"].search([("code", "=", code)], limit=2)
        if len(channel) != 1:
            return _answer({"error": "unknown channel"}, 404)
        headers = request.httprequest.headers
        if is_ping(channel.channel_type, headers, request.httprequest.form):
            return request.make_response(b"", status=200)
        credentials = channel._webhook_credentials(request.httprequest.base_url)
        if not verify(channel.channel_type, credentials, body, headers):
            _logger.warning("Webhook for channel %s refused: bad signature", code)
            return _answer({"error": "invalid signature"}, 401)
        channel = channel.with_company(channel.company_id)
        try:
            text, payload = read_json(body)
        except PayloadError as error:
            return _answer({"error": "invalid payload", "message": str(error)}, 400)
        except NotJson as error:
            reason = env._("Invalid JSON: %(error)s", error=error)
            record = channel._store_rejected(None, error.text, reason, "webhook")
            return _answer({"error": "invalid JSON", "inbox_id": record.id}, 400)
        if not is_recent(channel.channel_type, headers, payload, channel.webhook_max_age):
            _logger.warning("Webhook for channel %s refused: sent outside its time window", code)
            return _answer(
                {"error": "stale or undated push", "max_age_minutes": channel.webhook_max_age}, 401
            )
        topic = notification_topic(channel.channel_type, headers)
        status, answer = channel._receive_webhook(payload, text, topic)
        if answer is None:
            return request.make_response(b"", status=status)
        return _answer(answer, status)


def _answer(data, status):
    return request.make_json_response(data, status=status)
