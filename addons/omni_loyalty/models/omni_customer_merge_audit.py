from odoo import fields, models


class OmniCustomerMergeAudit(models.Model):
    _inherit = "omni.customer.merge.audit"

    omni_loyalty_move_ids = fields.One2many(
        "omni.loyalty.move", "merge_audit_id", string="Loyalty Points Moved", readonly=True
    )
    omni_loyalty_card_links = fields.Json(
        readonly=True, help="{card id: merged customer id} of the loyalty cards the merge handed over whole."
    )

    def _undo(self):
        res = super()._undo()
        self._omni_undo_loyalty()
        return res

    def _omni_undo_loyalty(self):
        """Cards handed over go back to their customer; points transferred go back by new moves,
        as much of them as the kept customer has not spent since."""
        self.ensure_one()
        Card = self.env["loyalty.card"].sudo().with_context(active_test=False)
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for card_id, partner_id in (self.omni_loyalty_card_links or {}).items():
            card, partner = Card.browse(int(card_id)).exists(), Partner.browse(partner_id).exists()
            if card and partner:
                card.partner_id = partner
        received = self.omni_loyalty_move_ids.filtered(
            lambda move: move.points > 0 and move.transfer_move_id and not move.reversed_move_id
        )
        for move in received.sorted("id"):
            source_card = move.transfer_move_id.card_id
            source_card.active = True
            if move.remaining > 0:
                move.card_id._omni_transfer_lot(
                    move,
                    source_card,
                    f"unmerge:{move.id}",
                    self.env._("Merge of %(kept)s undone", kept=self.dst_partner_name),
                    merge_audit=self,
                    reverses=move,
                )
