from odoo import api, models

# Cards and their moves follow the merge below, card by card: the generic re-pointing would hand the
# closed card of a merged customer to the kept one (two cards in one program) or delete it.
LOYALTY_COLUMNS = {("loyalty_card", "partner_id"), ("omni_loyalty_move", "partner_id")}


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _get_fk_on(self, table):
        relations = super()._get_fk_on(table)
        if table != "res_partner":
            return relations
        return [relation for relation in relations if tuple(relation) not in LOYALTY_COLUMNS]

    @api.model
    def _merge_loyalty_cards(self, src_partners, dst_partner):
        audit = self.env["omni.customer.merge.audit"].browse(
            self.env.context.get("omni_customer360_merge_audit_id")
        )
        self._omni_merge_ledger_cards(src_partners, dst_partner, audit.sudo())
        res = super()._merge_loyalty_cards(src_partners, dst_partner)
        # What the generic re-pointing did for the other cards (gift cards, coupons, eWallets).
        self.env["loyalty.card"].sudo().with_context(active_test=False).search(
            [("partner_id", "in", src_partners.ids), ("omni_ledger", "=", False)]
        ).write({"partner_id": dst_partner.id})
        return res

    @api.model
    def _omni_merge_ledger_cards(self, src_partners, dst_partner, audit):
        """A merged customer's ledger card goes to the kept customer when that one has none in the
        program; otherwise its points move to the kept customer's card lot by lot, keeping their
        expiry, and the card is archived with its history."""
        Card = self.env["loyalty.card"].sudo()
        cards_per_program = dict(
            Card._read_group(
                [("partner_id", "in", src_partners.ids), ("omni_ledger", "=", True)],
                ["program_id"],
                ["id:recordset"],
            )
        )
        moved_cards = {}
        for program, cards in cards_per_program.items():
            cards = cards.sorted("id")
            dst_card = Card.search(
                [("partner_id", "=", dst_partner.id), ("program_id", "=", program.id)], limit=1
            )
            if not dst_card:
                dst_card = cards[0]
                moved_cards[str(dst_card.id)] = dst_card.partner_id.id
                dst_card.partner_id = dst_partner
                cards -= dst_card
            for card in cards:
                card._omni_transfer_all(
                    dst_card,
                    f"merge:{audit.id or dst_partner.id}:card:{card.id}",
                    self.env._(
                        "Customer %(merged)s merged into %(kept)s",
                        merged=card.partner_id.display_name,
                        kept=dst_partner.display_name,
                    ),
                    merge_audit=audit,
                )
                card.active = False
        if audit and moved_cards:
            audit.omni_loyalty_card_links = moved_cards
