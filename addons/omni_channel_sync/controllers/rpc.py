from xml.parsers.expat import ExpatError

from odoo import _
from odoo.addons.base.controllers.rpc import RPC
from odoo.exceptions import UserError


class OmniRpc(RPC):
    """An XML-RPC request that is not well-formed XML is the caller's error, answered with a fault
    that says so rather than a traceback: XML cannot carry a NUL or most control characters, nor an
    unpaired surrogate, which XML-RPC clients send as they are."""

    def _xmlrpc(self, service):
        try:
            return super()._xmlrpc(service)
        except ExpatError as error:
            raise UserError(
                _(
                    "The request is not well-formed XML (%(error)s). XML-RPC cannot carry NUL or control "
                    "characters, nor unpaired surrogates: leave them out, or send them over JSON-RPC.",
                    error=error,
                )
            ) from None
