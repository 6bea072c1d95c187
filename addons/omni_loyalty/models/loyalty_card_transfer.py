from odoo import models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    def _omni_transfer_lot(self, lot, dst_card, key, description, merge_audit=None, reverses=None):
        """Move what is left of ``lot`` (a lot of this card) to ``dst_card``: an ``adjust`` out of the
        lot here and an ``adjust`` opening a lot of the same expiry and channel there, each linked to
        the other, so that the points keep their lineage.

        :param reverses: the move this transfer undoes, if any
        :return: the two moves, out then in
        """
        self.ensure_one()
        # Both cards locked, in id order, so two transfers between the same cards cannot deadlock.
        for card in (self | dst_card).sorted("id"):
            card._omni_lock()
        points = lot.remaining
        values = {
            "channel": lot.channel_id,
            "reference": lot.reference,
            "description": description,
            "merge_audit_id": merge_audit.id if merge_audit else False,
            "reversed_move_id": reverses.id if reverses else False,
        }
        out = self._omni_post("adjust", -points, f"{key}:out", lot=lot, **values)
        into = dst_card._omni_post(
            "adjust", points, f"{key}:in", expiry=lot.expiry_date, transfer_move_id=out.id, **values
        )
        out._omni_engine_write({"transfer_move_id": into.id})
        return out | into

    def _omni_transfer_all(self, dst_card, key, description, merge_audit=None):
        """Move every open lot of this card to ``dst_card`` (see ``_omni_transfer_lot``)."""
        moves = self.env["omni.loyalty.move"]
        for lot in self._omni_open_lots():
            moves |= self._omni_transfer_lot(lot, dst_card, f"{key}:lot:{lot.id}", description, merge_audit)
        return moves

    def _omni_post(self, move_type, points, key, *args, **kwargs):
        # A clawback of points a merge moved on takes them from the kept customer's card.
        if (
            move_type == "reverse"
            and points < 0
            and kwargs.get("state", "posted") == "posted"
            and not self.active
        ):
            dst_card, _audit = self._omni_merged_into()
            if dst_card:
                return dst_card._omni_post(move_type, points, key, *args, **kwargs)
        return super()._omni_post(move_type, points, key, *args, **kwargs)

    def _omni_vest(self, moves):
        res = super()._omni_vest(moves)
        # Pending points of a customer merged since vest on the card the merge closed: they follow.
        for card in self.filtered(lambda card: not card.active):
            dst_card, audit = card._omni_merged_into()
            if dst_card:
                card._omni_transfer_all(
                    dst_card,
                    f"merge:{audit.id}:card:{card.id}",
                    self.env._(
                        "Customer %(merged)s merged into %(kept)s",
                        merged=card.partner_id.display_name,
                        kept=audit.dst_partner_id.display_name,
                    ),
                    merge_audit=audit,
                )
        return res

    def _omni_merged_into(self):
        """``(card, audit)``: the kept customer's card in the program when this card was closed by a
        merge that still stands; empty otherwise."""
        self.ensure_one()
        audit = (
            self.env["omni.customer.merge.audit"]
            .sudo()
            .search([("source_partner_ids", "in", self.partner_id.ids), ("state", "=", "merged")], limit=1)
        )
        if not audit.dst_partner_id:
            return self.browse(), audit
        dst_card = self.search(
            [("partner_id", "=", audit.dst_partner_id.id), ("program_id", "=", self.program_id.id)], limit=1
        )
        return dst_card, audit
