"""Where Odoo's SInvoice module sends its calls, and how fast.

``l10n_vn_edi_viettel`` has Viettel's address written in two places: the module-level constant
``SINVOICE_API_URL`` and, for the login, a literal inside ``_l10n_vn_edi_get_access_token``. Both
reach the network through one module-level function, ``_l10n_vn_edi_send_request``, which the
module's methods look up in its globals at each call. Wrapping that one function is the smallest
change that moves both addresses without copying any of the module's methods: the wrapper puts the
configured address in place of Viettel's, paces the calls and waits out SInvoice's "too many
requests" once. It only acts inside ``service(...)`` (entered by this addon's overrides of the
module's calling methods, see account_move.py), so databases without this addon are untouched.
"""

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar

from odoo.addons.l10n_vn_edi_viettel.models import account_move as sinvoice_module

VIETTEL_ROOT = "https://api-vinvoice.viettel.vn/"
URL_PARAM = "omni_vn_einvoice.sinvoice_url"
RATE_PARAM = "omni_vn_einvoice.calls_per_second"
BATCH_PARAM = "omni_vn_einvoice.batch_size"
DEFAULT_CALLS_PER_SECOND = 10
DEFAULT_BATCH_SIZE = 100
THROTTLED = 429

_current = ContextVar("omni_vn_einvoice_sinvoice_service", default=None)


class Pace:
    """At most ``rate`` calls a second from this process to one address (SInvoice counts calls per
    seller; one process sends a company's invoices)."""

    _lock = threading.Lock()
    _next = {}  # address → the earliest moment of its next call

    @classmethod
    def wait(cls, root, rate):
        with cls._lock:
            now = time.monotonic()
            moment = max(now, cls._next.get(root, 0.0))
            cls._next[root] = moment + 1.0 / rate
        if moment > now:
            time.sleep(moment - now)


@contextmanager
def service(root, rate):
    """Odoo's module calls ``root`` (instead of Viettel's address) at most ``rate`` times a second."""
    token = _current.set((root.rstrip("/") + "/", max(rate, 1)))
    try:
        yield
    finally:
        _current.reset(token)


def _send_request(method, url, *args, **kwargs):
    settings = _current.get()
    if not settings:
        return _module_send_request(method, url, *args, **kwargs)
    root, rate = settings
    if url.startswith(VIETTEL_ROOT):
        url = root + url.removeprefix(VIETTEL_ROOT)
    Pace.wait(root, rate)
    answer, error = _module_send_request(method, url, *args, **kwargs)
    if answer.get("code") == THROTTLED:
        # SInvoice's limit is per seller: another process sent for the same company. Once more.
        time.sleep(1)
        Pace.wait(root, rate)
        answer, error = _module_send_request(method, url, *args, **kwargs)
    return answer, error


# Imported again (a reload), the wrapper replaces the previous one and wraps the module's own function.
_module_send_request = getattr(
    sinvoice_module._l10n_vn_edi_send_request, "omni_original", sinvoice_module._l10n_vn_edi_send_request
)
_send_request.omni_original = _module_send_request
sinvoice_module._l10n_vn_edi_send_request = _send_request
