from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def unlink(self):
        """A merge of customers archives its sources instead of deleting them, so it can be undone."""
        keep_ids = set(self.env.context.get("omni_customer360_merge_archive") or ())
        archived = self.filtered(lambda partner: partner.id in keep_ids)
        if archived:
            archived.write({"active": False})
        return super(ResPartner, self - archived).unlink()
