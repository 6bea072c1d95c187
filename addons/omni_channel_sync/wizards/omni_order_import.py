import base64

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..connectors.order_file_mapper import OrderFileError, read_order_file

# Up to this many orders are imported while the user waits; a bigger file is imported by jobs.
SYNC_LIMIT = 500
# Lines of failures listed in the summary; the inbox keeps them all.
SUMMARY_LINES = 50


class OmniOrderImport(models.TransientModel):
    """Imports a marketplace's order export (XLSX or CSV) through the channel's inbox."""

    _name = "omni.order.import"
    _description = "Import Channel Orders from a File"

    channel_id = fields.Many2one(
        "omni.channel",
        string="Channel",
        required=True,
        help="The channel the orders were sold on: an order imported before is updated, not duplicated.",
    )
    file = fields.Binary(
        attachment=False,
        help="The order export of the channel's seller centre (XLSX or CSV) or a file in the generic layout.",
    )
    filename = fields.Char()
    state = fields.Selection([("draft", "Upload"), ("done", "Done")], default="draft", required=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    duplicate_count = fields.Integer(string="Already Imported", readonly=True)
    attention_count = fields.Integer(string="Needs Attention", readonly=True)
    queued_count = fields.Integer(string="Queued", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    result_text = fields.Text(string="Details", readonly=True)
    inbox_ids = fields.Many2many("omni.channel.inbox", string="Inbox Records", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "channel_id" in fields_list and context.get("active_model") == "omni.channel":
            values.setdefault("channel_id", context.get("active_id"))
        return values

    def action_import(self):
        self.ensure_one()
        self._action_import()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Orders"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_open_inbox(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Orders"),
            "res_model": "omni.channel.inbox",
            "view_mode": "list,form",
            "domain": [("id", "in", self.inbox_ids.ids)],
            "context": {"create": False},
        }

    def _action_import(self):
        if self.state != "draft":
            raise UserError(self.env._("This file was already imported; start a new import."))
        if not self.file:
            raise UserError(self.env._("Choose the file to import."))
        channel = self._import_channel()
        try:
            orders, problems = read_order_file(base64.b64decode(self.file), self.filename)
        except OrderFileError as error:
            params = dict(error.params)
            layout = params.pop("layout", None)
            if layout:
                params.update(layout=self.env._(layout))
            raise UserError(self.env._(error.message, **params)) from None
        if not orders and not problems:
            raise UserError(self.env._("%(file)s has no order rows.", file=self.filename or ""))
        results = channel._ingest_orders(orders, source="file", process=len(orders) <= SYNC_LIMIT)
        for problem in problems:
            error = self._problem_error(problem)
            record = channel._store_rejected(problem["external_id"], problem["raw"], error, source="file")
            results.append(
                {
                    "external_id": problem["external_id"],
                    "status": "failed",
                    "sale_order_id": False,
                    "inbox_id": record.id,
                    "error": record.error or error,
                }
            )
        self.write(self._result_values(results))

    def _import_channel(self):
        """The channel to import into, as the importer: after checking the user may use it."""
        channel = self.channel_id
        if not self.env.user.has_group("omni_channel_sync.group_user"):
            raise AccessError(self.env._("Only Omnichannel users may import orders."))
        channel.check_access("read")
        # sudo: checked above; importing creates partners and sale orders the user may not write,
        # as the channel's API and scheduled imports do.
        return channel.sudo().with_company(channel.company_id)

    def _problem_error(self, problem):
        """The reader's messages in the user's language."""
        return " ".join(self.env._(template, **params) for template, params in problem["messages"])

    def _result_values(self, results):
        counts = dict.fromkeys(("created", "updated", "duplicate", "needs_attention", "queued", "failed"), 0)
        lines = []
        for result in results:
            status = result["status"] if result["status"] in counts else "failed"
            counts[status] += 1
            if status in ("failed", "needs_attention") and result.get("error"):
                lines.append(
                    self.env._(
                        "%(order)s: %(error)s",
                        order=result.get("external_id") or self.env._("(no order id)"),
                        error=result["error"],
                    )
                )
        if len(lines) > SUMMARY_LINES:
            more = len(lines) - SUMMARY_LINES
            lines = lines[:SUMMARY_LINES]
            lines.append(self.env._("… and %(count)s more: open the inbox records.", count=more))
        if counts["queued"]:
            lines.insert(
                0,
                self.env._(
                    "%(count)s order(s) are imported in the background: the inbox shows their progress.",
                    count=counts["queued"],
                ),
            )
        return {
            "state": "done",
            "file": False,
            "created_count": counts["created"],
            "updated_count": counts["updated"],
            "duplicate_count": counts["duplicate"],
            "attention_count": counts["needs_attention"],
            "queued_count": counts["queued"],
            "failed_count": counts["failed"],
            "result_text": "\n".join(lines) or False,
            "inbox_ids": [Command.set([r["inbox_id"] for r in results if r.get("inbox_id")])],
        }
