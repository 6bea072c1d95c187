import hmac
from urllib.parse import urlencode

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..connectors import ADAPTERS


class CarrierWebhook(http.Controller):
    @http.route(
        "/omni_vn_carrier/webhook/<int:carrier_id>", type="http", auth="public", methods=["POST"], csrf=False
    )
    def status_push(self, carrier_id, **_params):
        """A carrier's status push. Neither GHN nor GHTK signs its pushes: each posts to the URL the shop
        gave it, whose secret (``hash``) authenticates the carrier."""
        carrier = request.env["delivery.carrier"].sudo().browse(carrier_id).exists()
        given = request.httprequest.args.get("hash", "")
        if (
            not carrier
            or carrier.delivery_type not in ADAPTERS
            or not carrier.omni_webhook_secret
            or not hmac.compare_digest(given.encode(), carrier.omni_webhook_secret.encode())
        ):
            return request.make_json_response(
                {"success": False, "message": "unknown or unauthenticated"}, status=403
            )
        # A form (GHTK's) is parsed by the framework before this method runs: its fields, encoded again.
        body = (
            request.httprequest.get_data()
            or urlencode(list(request.httprequest.form.items(multi=True))).encode()
        )
        # Applied by the system (OdooBot in the chatter), in the carrier's company.
        Event = request.env(user=SUPERUSER_ID)["omni.carrier.event"].with_company(carrier.company_id)
        event = Event._receive(carrier, body, request.httprequest.content_type)
        if event is None:
            return request.make_json_response({"success": False, "message": "unreadable push"}, status=400)
        return request.make_json_response({"success": True})
