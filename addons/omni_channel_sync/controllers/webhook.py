import json
import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..connectors.webhook_signature import verify

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
        """Verify, store in the inbox, answer: the import itself runs in a job, after the answer."""
        body = request.httprequest.get_data(cache=False)
        if len(body) > MAX_WEBHOOK_BYTES:
            return _answer({"error": "payload too large", "max_bytes": MAX_WEBHOOK_BYTES}, 413)
        # The signature check below is the authentication: nothing runs before it passes.
        env = request.env(user=SUPERUSER_ID)
        channel = env["omni.channel"].search([("code", "=", code)], limit=2)
        if len(channel) != 1:
            return _answer({"error": "unknown channel"}, 404)
        credentials = channel._webhook_credentials(request.httprequest.base_url)
        if not verify(channel.channel_type, credentials, body, request.httprequest.headers):
            _logger.warning("Webhook for channel %s refused: bad signature", code)
            return _answer({"error": "invalid signature"}, 401)
        channel = channel.with_company(channel.company_id)
        try:
            payload = json.loads(body)
        except ValueError as error:
            record = channel._store_rejected(
                None,
                body.decode("utf-8", "replace"),
                env._("Invalid JSON: %(error)s", error=error),
                "webhook",
            )
            return _answer({"error": "invalid JSON", "inbox_id": record.id}, 400)
        orders = payload["orders"] if isinstance(payload, dict) and "orders" in payload else [payload]
        if not isinstance(orders, list):
            orders = [orders]
        results = channel._ingest_orders(orders, source="webhook", process=False)
        return _answer({"results": results}, 200)


def _answer(data, status):
    return request.make_json_response(data, status=status)
