from . import models
from . import report
from . import wizards


def post_init_hook(env):
    """Cards that had points before the ledger open it with their balance."""
    env["loyalty.card"].search([("omni_ledger", "=", True), ("points", "!=", 0)])._omni_open_balances()
