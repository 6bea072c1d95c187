import json
import logging

from odoo import api, fields, models
from odoo.addons.queue_job.job import identity_exact
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, split_every

from ..tools.names import similar_names

_logger = logging.getLogger(__name__)

# Points for each kind of identifier two customers share (counted once per kind), capped at 100.
KIND_SCORES = {"buyer_id": 60, "phone": 45, "email": 40, "zalo": 40}
SIMILAR_NAMES_BONUS = 10
UPSERT_BATCH = 5000


class OmniMergeCandidate(models.Model):
    """Two active customers that share an identifier: maybe one person, waiting for a decision."""

    _name = "omni.merge.candidate"
    _description = "Duplicate Customer Candidate"
    _order = "state, score desc, id desc"

    partner_a_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_b_id = fields.Many2one(
        "res.partner",
        string="Possible Duplicate",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    score = fields.Integer(readonly=True, aggregator="max", help="0 to 100: how sure the match is.")
    shared_identifiers = fields.Char(readonly=True, help="The identifier values both customers have.")
    match_data = fields.Json(readonly=True, help="[kind, channel id, value] of each shared identifier.")
    names_similar = fields.Boolean(readonly=True)
    explanation = fields.Char(compute="_compute_explanation")
    state = fields.Selection(
        [("new", "New"), ("merged", "Merged"), ("dismissed", "Dismissed")],
        default="new",
        required=True,
        readonly=True,
        index=True,
    )
    merge_audit_id = fields.Many2one("omni.customer.merge.audit", string="Merge", readonly=True)

    _sql_constraints = [
        ("pair_uniq", "UNIQUE(partner_a_id, partner_b_id)", "This pair of customers is already a candidate."),
        ("pair_order", "CHECK(partner_a_id < partner_b_id)", "A candidate pairs two different customers."),
    ]

    @api.depends("partner_a_id", "partner_b_id")
    def _compute_display_name(self):
        for candidate in self:
            candidate.display_name = " / ".join(
                (candidate.partner_a_id.display_name or "", candidate.partner_b_id.display_name or "")
            )

    @api.depends("match_data", "names_similar")
    def _compute_explanation(self):
        channel_ids = {
            channel_id
            for candidate in self
            for _kind, channel_id, _value in candidate.match_data or ()
            if channel_id
        }
        channels = {
            channel.id: channel.name for channel in self.env["omni.channel"].sudo().browse(channel_ids)
        }
        for candidate in self:
            reasons = [
                self._explain_identifier(kind, channels.get(channel_id, ""), value)
                for kind, channel_id, value in candidate.match_data or ()
            ]
            if candidate.names_similar:
                reasons.append(self.env._("similar names"))
            text = "; ".join(reasons)
            candidate.explanation = text[:1].upper() + text[1:]

    def _explain_identifier(self, kind, channel, value):
        if kind == "buyer_id":
            return self.env._("same buyer id %(value)s on %(channel)s", value=value, channel=channel)
        if kind == "phone":
            return self.env._("same phone %(value)s", value=value)
        if kind == "email":
            return self.env._("same e-mail %(value)s", value=value)
        return self.env._("same Zalo ID %(value)s", value=value)

    # ------------------------------------------------------------------ actions

    def action_scan_duplicates(self):
        """Queue a scan of every active customer; a scan already waiting is not queued twice."""
        self._check_manager()
        self.with_delay(channel="root.omni", identity_key=identity_exact)._scan_duplicates()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._("The scan for duplicates runs in the background."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_merge(self):
        self.ensure_one()
        self._check_manager()
        if self.state != "new":
            raise UserError(self.env._("This candidate has already been decided."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Customers"),
            "res_model": "omni.customer.merge",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_id": self.id, "active_ids": self.ids},
        }

    def action_dismiss(self):
        self._check_manager()
        self.filtered(lambda candidate: candidate.state == "new").write({"state": "dismissed"})
        return True

    def action_reopen(self):
        self._check_manager()
        self.filtered(lambda candidate: candidate.state == "dismissed").write({"state": "new"})
        return True

    # ------------------------------------------------------------------ scan

    @api.model
    def _cron_scan_duplicates(self):
        self._scan_duplicates()

    @api.model
    def _scan_duplicates(self):
        """Find every pair of active customers sharing an identifier and record it as a candidate.

        One query groups the identities by value (the blocking key), skips blocked values and values
        more customers share than the merge protection allows, and yields the pairs; candidates are
        then upserted in batches. Pairs already merged or dismissed keep their decision; new
        candidates whose customers no longer share anything are dropped.

        :return: the number of candidate pairs found
        """
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", self._name))
        if not self.env.cr.fetchone()[0]:
            _logger.info("Another duplicate scan is running; skipped.")
            return 0
        pairs = self._scan_shared_identifiers()
        names = self._scan_names({partner_id for pair in pairs for partner_id in pair})
        rows = []
        for (partner_a, partner_b), identifiers in pairs.items():
            similar = similar_names(names.get(partner_a), names.get(partner_b))
            scores = {kind: KIND_SCORES[kind] for kind, _channel, _value in identifiers}
            score = min(100, sum(scores.values()) + (SIMILAR_NAMES_BONUS if similar else 0))
            summary = ", ".join(value for _kind, _channel, value in identifiers)
            rows.append((partner_a, partner_b, score, summary, json.dumps(identifiers), similar))
        for batch in split_every(UPSERT_BATCH, rows, list):
            self._upsert_candidates(batch)
        self._drop_stale_candidates(list(pairs))
        self.invalidate_model()
        _logger.info("Duplicate scan: %s candidate pairs.", len(pairs))
        return len(pairs)

    @api.model
    def _scan_shared_identifiers(self):
        """{(partner a, partner b): [[kind, channel id, value]]} for pairs sharing identifiers."""
        blocked = [
            (kind, value)
            for kind, values in self.env["omni.customer.blocked.value"]._blocked_values().items()
            for value in values
        ]
        limit = self.env["omni.customer.identity"]._max_partners()
        self.env.cr.execute(
            SQL(
                """
                WITH shared AS (
                    SELECT i.kind, COALESCE(i.channel_id, 0) AS channel_id, i.value,
                           array_agg(DISTINCT i.partner_id) AS partner_ids
                      FROM omni_customer_identity i
                      JOIN res_partner p ON p.id = i.partner_id AND p.active
                     WHERE strpos(i.value, '*') = 0
                       AND NOT EXISTS (
                           SELECT 1
                             FROM unnest(%(kinds)s::varchar[], %(values)s::varchar[]) AS b(kind, value)
                            WHERE b.kind = i.kind AND b.value = i.value
                       )
                  GROUP BY i.kind, COALESCE(i.channel_id, 0), i.value
                    HAVING COUNT(DISTINCT i.partner_id) BETWEEN 2 AND %(limit)s
                )
                SELECT a.id, b.id,
                       array_agg(s.kind ORDER BY s.kind, s.value),
                       array_agg(s.channel_id ORDER BY s.kind, s.value),
                       array_agg(s.value ORDER BY s.kind, s.value)
                  FROM shared s
                 CROSS JOIN unnest(s.partner_ids) AS a(id)
                 CROSS JOIN unnest(s.partner_ids) AS b(id)
                  JOIN res_partner pa ON pa.id = a.id
                  JOIN res_partner pb ON pb.id = b.id
                 WHERE a.id < b.id
                   -- Two companies' customers are two customers, whatever they share.
                   AND (pa.company_id IS NULL OR pb.company_id IS NULL OR pa.company_id = pb.company_id)
              GROUP BY a.id, b.id
                """,
                kinds=[kind for kind, _value in blocked],
                values=[value for _kind, value in blocked],
                limit=limit,
            )
        )
        return {
            (partner_a, partner_b): [
                [kind, channel_id or False, value]
                for kind, channel_id, value in zip(kinds, channel_ids, values, strict=True)
            ]
            for partner_a, partner_b, kinds, channel_ids, values in self.env.cr.fetchall()
        }

    @api.model
    def _scan_names(self, partner_ids):
        if not partner_ids:
            return {}
        self.env.cr.execute(SQL("SELECT id, name FROM res_partner WHERE id = ANY(%s)", sorted(partner_ids)))
        return dict(self.env.cr.fetchall())

    @api.model
    def _upsert_candidates(self, rows):
        """Insert new pairs; refresh undecided ones; leave merged and dismissed pairs as decided."""
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO omni_merge_candidate (
                    partner_a_id, partner_b_id, score, shared_identifiers, match_data, names_similar,
                    state, create_uid, create_date, write_uid, write_date)
                SELECT t.a, t.b, t.score, t.summary, t.data::jsonb, t.names_similar,
                       'new', %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(a)s::int[], %(b)s::int[], %(score)s::int[], %(summary)s::varchar[],
                              %(data)s::text[], %(similar)s::bool[])
                       AS t(a, b, score, summary, data, names_similar)
                ON CONFLICT (partner_a_id, partner_b_id) DO UPDATE
                   SET score = EXCLUDED.score,
                       shared_identifiers = EXCLUDED.shared_identifiers,
                       match_data = EXCLUDED.match_data,
                       names_similar = EXCLUDED.names_similar,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                 WHERE omni_merge_candidate.state = 'new'
                """,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                a=list(columns[0]),
                b=list(columns[1]),
                score=list(columns[2]),
                summary=list(columns[3]),
                data=list(columns[4]),
                similar=list(columns[5]),
            )
        )

    @api.model
    def _drop_stale_candidates(self, pairs):
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM omni_merge_candidate c
                 WHERE c.state = 'new'
                   AND NOT EXISTS (
                       SELECT 1
                         FROM unnest(%(a)s::int[], %(b)s::int[]) AS f(a, b)
                        WHERE f.a = c.partner_a_id AND f.b = c.partner_b_id
                   )
                """,
                a=[pair[0] for pair in pairs],
                b=[pair[1] for pair in pairs],
            )
        )

    # ------------------------------------------------------------------ helpers

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("omni_channel_sync.group_manager"):
            raise AccessError(self.env._("Only Omnichannel managers may scan, merge or dismiss duplicates."))
