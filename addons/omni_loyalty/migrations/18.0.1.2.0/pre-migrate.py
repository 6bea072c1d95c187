from odoo.tools import SQL


def migrate(cr, version):
    """Moves posted before moves had a date are dated by their creation, so the tiers' rolling
    windows count them when they happened."""
    cr.execute(SQL("ALTER TABLE omni_loyalty_move ADD COLUMN IF NOT EXISTS date date"))
    cr.execute(SQL("UPDATE omni_loyalty_move SET date = create_date::date WHERE date IS NULL"))
