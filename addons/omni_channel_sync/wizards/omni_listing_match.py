from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class OmniListingMatch(models.TransientModel):
    """Maps the unknown SKUs of waiting orders to products, then imports those orders."""

    _name = "omni.listing.match"
    _description = "Match Channel SKUs to Products"

    channel_id = fields.Many2one("omni.channel", required=True)
    inbox_ids = fields.Many2many("omni.channel.inbox", string="Waiting Orders")
    line_ids = fields.One2many("omni.listing.match.line", "wizard_id", string="SKUs")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" not in fields_list or not values.get("channel_id"):
            return values
        Inbox = self.env["omni.channel.inbox"]
        inbox = Inbox.browse(self.env.context.get("default_inbox_ids") or []) or Inbox.search(
            [("channel_id", "=", values["channel_id"]), ("state", "=", "attention")]
        )
        skus = sorted(
            {sku.strip() for record in inbox for sku in (record.missing_skus or "").split(",")} - {""}
        )
        values["inbox_ids"] = [Command.set(inbox.ids)]
        values["line_ids"] = [Command.create({"sku": sku}) for sku in skus]
        return values

    def action_apply(self):
        self.ensure_one()
        matched = self.line_ids.filtered("product_id")
        if not matched:
            raise UserError(self.env._("Choose a product for at least one SKU."))
        listings = self.env["omni.channel.listing"].search(
            [("channel_id", "=", self.channel_id.id), ("external_sku", "in", matched.mapped("sku"))]
        )
        by_sku = {listing.external_sku: listing for listing in listings}
        for line in matched:
            if line.sku in by_sku:
                by_sku[line.sku].product_id = line.product_id
        self.env["omni.channel.listing"].create(
            [
                {"channel_id": self.channel_id.id, "external_sku": line.sku, "product_id": line.product_id.id}
                for line in matched
                if line.sku not in by_sku
            ]
        )
        waiting = self.inbox_ids.filtered(lambda record: record.state == "attention")
        waiting.action_reprocess()
        imported = waiting.filtered(lambda record: record.state == "done")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if len(imported) == len(waiting) else "warning",
                "message": self.env._(
                    "%(matched)s SKU(s) matched; %(imported)s of %(waiting)s waiting order(s) imported.",
                    matched=len(matched),
                    imported=len(imported),
                    waiting=len(waiting),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class OmniListingMatchLine(models.TransientModel):
    _name = "omni.listing.match.line"
    _description = "SKU to Match"

    wizard_id = fields.Many2one("omni.listing.match", required=True, ondelete="cascade")
    sku = fields.Char(string="Channel SKU", required=True)
    product_id = fields.Many2one("product.product", domain=[("sale_ok", "=", True)])
