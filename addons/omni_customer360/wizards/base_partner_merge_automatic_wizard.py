from odoo import api, models

# History about given customers: a merge must not re-point it to the kept customer.
KEPT_TABLE_PREFIXES = ("omni_merge_candidate", "omni_customer_merge_audit")


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _get_fk_on(self, table):
        relations = super()._get_fk_on(table)
        return [(name, column) for name, column in relations if not name.startswith(KEPT_TABLE_PREFIXES)]

    @api.model
    def _update_foreign_keys(self, src_partners, dst_partner):
        """Identities move first, one by one against the kept customer's: the generic re-pointing
        would delete all of a source's identities as soon as one of them is a duplicate."""
        self._omni_move_identities(src_partners, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)

    @api.model
    def _omni_move_identities(self, src_partners, dst_partner):
        Identity = self.env["omni.customer.identity"].sudo()
        identities = Identity.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        kept = {
            (identity.kind, identity.channel_id.id, identity.value)
            for identity in identities
            if identity.partner_id == dst_partner
        }
        duplicates = Identity
        moving = Identity
        for identity in identities - identities.filtered(lambda i: i.partner_id == dst_partner):
            key = (identity.kind, identity.channel_id.id, identity.value)
            if key in kept:
                duplicates |= identity
            else:
                kept.add(key)
                moving |= identity
        duplicates.unlink()
        moving.write({"partner_id": dst_partner.id})
