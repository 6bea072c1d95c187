import math

from odoo import api, models
from odoo.exceptions import ValidationError

from .omni_channel import _is_text

# PostgreSQL integer columns: a larger record id is no record at all.
MAX_RECORD_ID = 2**31 - 1


class OmniChannel(models.Model):
    """What every api_* method checks first: the caller's company scope and the arguments' types."""

    _inherit = "omni.channel"

    @api.model
    def _api_company_domain(self, model, companies=None):
        """Domain keeping an API lookup in ``model`` to the caller's companies, or to ``companies``
        (a channel's company), records shared by every company included.

        API methods work with sudo once the caller is checked, so record rules no longer filter:
        every api_* method adds this domain to what it looks up.
        """
        return self.env[model]._check_company_domain(companies or self.env.companies)

    @api.model
    def _api_text(self, value, name, max_length=128, required=True):
        """``value`` stripped, if it is text PostgreSQL can store (no NUL, no lone surrogate) of 1 to
        ``max_length`` characters; None for an empty (or blank) optional value."""
        if isinstance(value, str):
            value = value.strip()
        if not required and value in (None, False, ""):
            return None
        if not _is_text(value) or not value or len(value) > max_length:
            raise ValidationError(
                self.env._(
                    "%(name)s must be a text of 1 to %(max)s characters, without NUL or invalid characters.",
                    name=name,
                    max=max_length,
                )
            )
        return value

    @api.model
    def _api_number(self, value, name, maximum, minimum=0, strict=False):
        """``value`` as a float if it is a finite number from ``minimum`` (excluded when ``strict``)
        to ``maximum``."""
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not math.isfinite(value))
            or not (value > minimum if strict else value >= minimum)
            or value > maximum
        ):
            message = (
                self.env._(
                    "%(name)s must be a number above %(min)s and at most %(max)s.",
                    name=name,
                    min=minimum,
                    max=maximum,
                )
                if strict
                else self.env._(
                    "%(name)s must be a number from %(min)s to %(max)s.", name=name, min=minimum, max=maximum
                )
            )
            raise ValidationError(message)
        return float(value)

    @api.model
    def _api_record_id(self, value, name):
        """``value`` if it can be a record id: a positive whole number a database column holds."""
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_RECORD_ID:
            raise ValidationError(self.env._("%(name)s must be a record id (a positive integer).", name=name))
        return value
