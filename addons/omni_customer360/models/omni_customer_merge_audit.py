import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The customer links of orders a merge re-points, and so an undo points back.
ORDER_LINKS = {
    "sale.order": ("partner_id", "partner_invoice_id", "partner_shipping_id"),
    "pos.order": ("partner_id",),
}
# Fields of the kept customer the merge fills from a source when they were empty: an undo empties them.
FILLED_FIELDS = (
    "ref",
    "vat",
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "comment",
)
# What is kept of a source customer: enough to recognize it, and to re-create it if it is gone.
SNAPSHOT_FIELDS = (
    "name",
    "is_company",
    "type",
    *FILLED_FIELDS,
    "lang",
    "company_id",
    "parent_id",
    "customer_rank",
)


class OmniCustomerMergeAudit(models.Model):
    """One merge of customers: what moved where, so that it can be checked and undone."""

    _name = "omni.customer.merge.audit"
    _description = "Customer Merge Audit"
    _order = "id desc"
    _rec_name = "dst_partner_name"

    dst_partner_id = fields.Many2one(
        "res.partner", string="Kept Customer", ondelete="set null", index=True, readonly=True
    )
    dst_partner_name = fields.Char(string="Kept Customer Name", readonly=True)
    source_partner_ids = fields.Many2many(
        "res.partner",
        "omni_customer_merge_audit_source_rel",
        "audit_id",
        "partner_id",
        string="Merged Customers",
        context={"active_test": False},
        readonly=True,
    )
    source_partner_names = fields.Char(string="Merged Customer Names", readonly=True)
    source_snapshot = fields.Json(readonly=True, help="{source id: its main fields before the merge}")
    dst_snapshot = fields.Json(
        string="Kept Customer Snapshot",
        readonly=True,
        help="The kept customer's main fields before the merge.",
    )
    order_links = fields.Json(readonly=True, help="{model: [[order id, field, source id]]}")
    identity_moves = fields.Json(readonly=True, help="The source customers' identities before the merge.")
    sale_order_ids = fields.Many2many("sale.order", string="Sale Orders Moved", readonly=True)
    pos_order_ids = fields.Many2many("pos.order", string="POS Orders Moved", readonly=True)
    identity_count = fields.Integer(string="Identities Moved", readonly=True)
    candidate_id = fields.Many2one("omni.merge.candidate", ondelete="set null", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Merged By", readonly=True, default=lambda self: self.env.user
    )
    merge_date = fields.Datetime(string="Merged On", readonly=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("merged", "Merged"), ("undone", "Undone")], default="merged", required=True, readonly=True
    )
    undo_user_id = fields.Many2one("res.users", string="Undone By", readonly=True)
    undo_date = fields.Datetime(string="Undone On", readonly=True)

    # ------------------------------------------------------------------ actions

    def action_undo(self):
        """Bring the merged customers back with their identities and the customer links of orders."""
        self.ensure_one()
        if not self.env.user.has_group("omni_channel_sync.group_manager"):
            raise AccessError(self.env._("Only Omnichannel managers may undo a merge."))
        self.check_access("write")
        if self.state != "merged":
            raise UserError(self.env._("This merge has already been undone."))
        # sudo: the manager was checked above; the merge itself ran with the same rights.
        self.sudo()._undo()
        return True

    # ------------------------------------------------------------------ merge

    @api.model
    def _merge_partners(self, dst_partner, src_partners, candidate=None):
        """Merge ``src_partners`` into ``dst_partner`` with Odoo's partner merge, recording it first.

        The caller checks access. The sources are archived, not deleted, so the merge can be undone.

        :return: the audit record
        """
        partners = (dst_partner | src_partners).sudo().with_context(active_test=False)
        src_partners = src_partners.sudo().with_context(active_test=False)
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT id FROM res_partner WHERE id IN %s FOR UPDATE", tuple(partners.ids)))
        order_links, orders = self._order_links_of(src_partners)
        identities = src_partners.omni_identity_ids
        audit = self.sudo().create(
            {
                "dst_partner_id": dst_partner.id,
                "dst_partner_name": dst_partner.display_name,
                "source_partner_ids": [fields.Command.set(src_partners.ids)],
                "source_partner_names": ", ".join(src_partners.mapped("display_name")),
                "source_snapshot": {str(partner.id): self._snapshot(partner) for partner in src_partners},
                "dst_snapshot": self._snapshot(dst_partner),
                "order_links": order_links,
                "identity_moves": [
                    dict(self._identity_values(identity), id=identity.id) for identity in identities
                ],
                "identity_count": len(identities),
                "sale_order_ids": [fields.Command.set(orders.get("sale.order", []))],
                "pos_order_ids": [fields.Command.set(orders.get("pos.order", []))],
                "candidate_id": candidate.id if candidate else False,
            }
        )
        wizard = self.env["base.partner.merge.automatic.wizard"].sudo()
        wizard.with_context(
            omni_customer360_merge_archive=src_partners.ids, omni_customer360_merge_audit_id=audit.id
        )._merge(partners.ids, dst_partner.sudo(), extra_checks=False)
        decided = (
            self.env["omni.merge.candidate"]
            .sudo()
            .search(
                [
                    ("state", "=", "new"),
                    ("partner_a_id", "in", partners.ids),
                    ("partner_b_id", "in", partners.ids),
                ]
            )
        )
        if candidate:
            decided |= candidate.sudo()
        decided.write({"state": "merged", "merge_audit_id": audit.id})
        _logger.info("Customers %s merged into %s (audit %s).", src_partners.ids, dst_partner.id, audit.id)
        return audit

    def _undo(self):
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT state FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id)
        )
        if self.env.cr.fetchone()[0] != "merged":
            raise UserError(self.env._("This merge has already been undone."))
        Partner = self.env["res.partner"].with_context(active_test=False)
        dst_partner = self.dst_partner_id
        sources = {}
        for source_id, values in (self.source_snapshot or {}).items():
            partner = Partner.browse(int(source_id)).exists()
            sources[int(source_id)] = partner or Partner.create(self._snapshot_to_values(values))
        restored = Partner.browse([partner.id for partner in sources.values()])
        restored.filtered(lambda partner: not partner.active).write({"active": True})
        # The merge re-pointed the sources' own commercial partner to the kept customer.
        restored._compute_commercial_partner()
        restored.flush_recordset()
        self._restore_kept_customer(dst_partner)
        self._restore_order_links(sources, dst_partner)
        self._restore_identities(sources)
        self.env["omni.merge.candidate"].search([("merge_audit_id", "=", self.id)]).write(
            {"state": "new", "merge_audit_id": False}
        )
        self.write({"state": "undone", "undo_user_id": self.env.uid, "undo_date": fields.Datetime.now()})

    def _restore_kept_customer(self, dst_partner):
        """Empty again what the merge copied from the sources into the kept customer's empty fields."""
        before = self.dst_snapshot or {}
        source_values = list((self.source_snapshot or {}).values())
        values = {}
        for field_name in FILLED_FIELDS:
            if field_name not in before or before[field_name] or field_name not in dst_partner._fields:
                continue
            current = dst_partner[field_name]
            current = current.id if isinstance(current, models.BaseModel) else current
            if current and any(snapshot.get(field_name) == current for snapshot in source_values):
                values[field_name] = False
        if dst_partner and values:
            dst_partner.write(values)

    def _restore_order_links(self, sources, dst_partner):
        for model_name, links in (self.order_links or {}).items():
            if model_name not in self.env:
                continue
            Model = self.env[model_name]
            by_column = {}
            for order_id, field_name, source_id in links:
                by_column.setdefault((field_name, source_id), []).append(order_id)
            for (field_name, source_id), order_ids in by_column.items():
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET %s = %s WHERE id IN %s AND %s = %s",
                        SQL.identifier(Model._table),
                        SQL.identifier(field_name),
                        sources[source_id].id,
                        tuple(order_ids),
                        SQL.identifier(field_name),
                        dst_partner.id,
                    )
                )
            Model.invalidate_model([field for field, _source in by_column])

    def _restore_identities(self, sources):
        """Identities go back to their customer; those the merge dropped as duplicates are re-created."""
        Identity = self.env["omni.customer.identity"]
        moves = self.identity_moves or []
        existing = {identity.id: identity for identity in Identity.browse([m["id"] for m in moves]).exists()}
        # A re-created source already has the identities of its contact fields.
        present = {
            (identity.partner_id.id, identity.kind, identity.channel_id.id, identity.value)
            for identity in Identity.search([("partner_id", "in", [p.id for p in sources.values()])])
        }
        to_create, to_drop = [], Identity
        for move in moves:
            values = {key: value for key, value in move.items() if key != "id"}
            values["partner_id"] = sources[move["partner_id"]].id
            key = (values["partner_id"], values["kind"], values["channel_id"], values["value"])
            identity = existing.get(move["id"])
            if key in present:
                to_drop |= identity or Identity
            elif identity:
                identity.write({"partner_id": values["partner_id"]})
            else:
                to_create.append(values)
            present.add(key)
        to_drop.unlink()
        Identity.create(to_create)

    # ------------------------------------------------------------------ helpers

    @api.model
    def _order_links_of(self, partners):
        """``({model: [[order id, field, partner id]]}, {model: order ids})`` of the partners' orders."""
        links, orders = {}, {}
        for model_name, field_names in ORDER_LINKS.items():
            if model_name not in self.env:
                continue
            Model = self.env[model_name].sudo().with_context(active_test=False)
            domain = [(field_name, "in", partners.ids) for field_name in field_names]
            domain = ["|"] * (len(domain) - 1) + domain
            rows = Model.search_read(domain, list(field_names), load=None)
            links[model_name] = [
                [row["id"], field_name, row[field_name]]
                for row in rows
                for field_name in field_names
                if row[field_name] in partners.ids
            ]
            orders[model_name] = [row["id"] for row in rows]
        return links, orders

    @api.model
    def _snapshot(self, partner):
        values = {}
        for field_name in SNAPSHOT_FIELDS:
            value = partner[field_name]
            values[field_name] = value.id if isinstance(value, models.BaseModel) else value
        return values

    @api.model
    def _snapshot_to_values(self, snapshot):
        Partner = self.env["res.partner"]
        values = {}
        for field_name, value in snapshot.items():
            field = Partner._fields.get(field_name)
            if not field:
                continue
            if field.type == "many2one" and value and not self.env[field.comodel_name].browse(value).exists():
                continue
            values[field_name] = value
        return values

    @api.model
    def _identity_values(self, identity):
        return {
            "partner_id": identity.partner_id.id,
            "kind": identity.kind,
            "channel_id": identity.channel_id.id,
            "value": identity.value,
            "raw_value": identity.raw_value,
            "trust": identity.trust,
        }
