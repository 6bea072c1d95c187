import logging

from odoo import api, fields, models

from ..connectors import ADAPTERS, CarrierError
from .stock_picking import CARRIER_STATUSES

_logger = logging.getLogger(__name__)


class OmniCarrierEvent(models.Model):
    """A status push of a carrier, stored before it is applied.

    A push that cannot be applied (an unknown waybill, a failure while receiving the returned parcel)
    stays failed with its error until it is reprocessed; the carrier pushing it again changes nothing.
    """

    _name = "omni.carrier.event"
    _description = "Carrier Status Update"
    _order = "event_time desc, id desc"
    _rec_name = "waybill"
    _check_company_auto = True

    carrier_id = fields.Many2one(
        "delivery.carrier", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index="btree_not_null", readonly=True, check_company=True
    )
    sale_id = fields.Many2one(related="picking_id.sale_id", string="Sales Order")
    waybill = fields.Char(required=True, index=True, readonly=True)
    status = fields.Selection(CARRIER_STATUSES, string="Parcel Status", readonly=True)
    carrier_status = fields.Char(string="Carrier's Status", readonly=True)
    event_time = fields.Datetime(string="Time", required=True, readonly=True)
    reason = fields.Char(readonly=True)
    payload = fields.Text(readonly=True)
    dedupe_key = fields.Char(required=True, readonly=True, copy=False)
    state = fields.Selection(
        [("received", "Received"), ("done", "Applied"), ("failed", "Failed")],
        required=True,
        default="received",
        readonly=True,
        index=True,
    )
    error = fields.Text(readonly=True)

    _sql_constraints = [
        ("dedupe_unique", "UNIQUE(carrier_id, dedupe_key)", "A carrier's status update is stored once."),
    ]

    # ------------------------------------------------------------------ actions

    def action_reprocess(self):
        self.filtered(lambda event: event.state != "done")._process()
        return True

    # ------------------------------------------------------------------ business

    @api.model
    def _receive(self, carrier, body, content_type):
        """Stores one push of ``carrier`` (raw bytes) and applies it. A push already stored (the carrier
        retrying) is not stored twice. Returns the event, or None when the push is unreadable."""
        try:
            push = ADAPTERS[carrier.delivery_type].read_push(body, content_type)
        except CarrierError as error:
            _logger.warning("Unreadable status push from %s: %s", carrier.name, error)
            return None
        return self._store(carrier, push, body.decode("utf-8", "replace"))

    @api.model
    def _store(self, carrier, push, payload):
        """Stores the status ``push`` of ``carrier`` (its text ``payload``) and applies it: a push or a
        tracking answer alike. A status already stored is not stored twice. Returns the event."""
        key = f"{push.waybill}|{push.carrier_status}|{push.at.isoformat()}"
        found = self.search([("carrier_id", "=", carrier.id), ("dedupe_key", "=", key)], limit=1)
        if found:
            return found
        picking = self._picking_of(carrier, push.waybill)
        event = self.create(
            {
                "carrier_id": carrier.id,
                "company_id": (picking.company_id or carrier.company_id or self.env.company).id,
                "picking_id": picking.id,
                "waybill": push.waybill,
                "status": push.status or False,
                "carrier_status": push.carrier_status,
                "event_time": push.at,
                "reason": push.reason,
                "payload": payload,
                "dedupe_key": key,
            }
        )
        event._process()
        return event

    @api.model
    def _picking_of(self, carrier, waybill):
        return self.env["stock.picking"].search(
            [
                ("carrier_id", "=", carrier.id),
                ("carrier_tracking_ref", "=", waybill),
                ("picking_type_code", "=", "outgoing"),
            ],
            limit=1,
        )

    def _process(self):
        """Applies the events, oldest first, each in its own savepoint: a failed one keeps its error."""
        for event in self.sorted(lambda e: (e.event_time, e.id)):
            try:
                with self.env.cr.savepoint():
                    event._apply()
                    event.write({"state": "done", "error": False})
            except Exception as error:  # any failure is kept on the event, to be reprocessed
                _logger.info("Carrier status update %s not applied: %s", event.waybill, error)
                event.write({"state": "failed", "error": str(error)})

    def _apply(self):
        self.ensure_one()
        picking = self.picking_id or self._picking_of(self.carrier_id, self.waybill)
        if not picking:
            raise CarrierError(self.env._("No delivery has the waybill %(waybill)s.", waybill=self.waybill))
        self.write({"picking_id": picking.id, "company_id": picking.company_id.id})
        if not self.status:
            raise CarrierError(
                self.env._(
                    "Unknown status %(status)s of %(carrier)s.",
                    status=self.carrier_status,
                    carrier=self.carrier_id.name,
                )
            )
        picking._omni_carrier_apply(self)
