"""Locks on a piece of work (a channel's pull, an order's shipment), not on the rows it changes: a
platform's answer can take seconds, and rows held that long would stop the webhooks, the buttons and
the imports that only need to read or write them.

Keys are a name and a record's id; PostgreSQL's advisory locks of the transaction end with it.
"""

from psycopg2.errors import LockNotAvailable

from odoo.tools import SQL


def try_work_lock(cr, name, res_id):
    """True when this transaction holds the work ``name`` of ``res_id`` (until it ends); False when
    another transaction does it now."""
    cr.execute(SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)", name, res_id))
    return cr.fetchone()[0]


def check_current(cr, table, res_id, wait="2s"):
    """Make sure what this transaction read of a row is the row as it is: a transaction that changed
    it since this one began (its snapshot) makes this one fail with a serialization failure, to be
    run again on a fresh snapshot (Odoo replays a request, the job runner a job). The row's lock is
    let go at once: nothing is held while the platform answers.

    :return: False when the row is locked longer than ``wait`` (or is not there), else True
    """
    cr.execute("SAVEPOINT omni_check_current")
    try:
        cr.execute(SQL("SET LOCAL lock_timeout = %s", wait))
        cr.execute(
            SQL("SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE", SQL.identifier(table), res_id),
            log_exceptions=False,
        )
        return bool(cr.fetchone())
    except LockNotAvailable:
        return False
    finally:
        # Rolled back to, the savepoint takes the row's lock and the timeout away with it.
        cr.execute("ROLLBACK TO SAVEPOINT omni_check_current")
