#!/usr/bin/env bash
# make run: a demo database with the three addons and demo data, served at http://localhost:8069
# with queue_job's runner. Reuses the database on later runs (OMNI_DEMO_DB names it).
source "$(dirname "$0")/common.sh"
require_env
export PATH=$VENV/bin:$PATH

DB=${OMNI_DEMO_DB:-omni_demo}
PORT=${OMNI_PORT:-8069}
CONF=$STATE_DIR/odoo.conf
write_odoo_conf "$CONF"
pg_ready || die "PostgreSQL does not answer." "Run: make setup"

if ! psql -d "$DB" -Atc "select 1 from ir_module_module where name = 'omni_loyalty' and state = 'installed'" 2>/dev/null | grep -q 1; then
  say "Creating the demo database $DB (a few minutes the first time)."
  odoo -c "$CONF" -d "$DB" -i "$PROJECT_MODULES" --stop-after-init --log-level=warn ||
    die "Installing the addons in $DB failed." "Drop it (dropdb $DB) and run make run again."
else
  say "Updating the addons in the demo database $DB."
  odoo -c "$CONF" -d "$DB" -u "$PROJECT_MODULES" --stop-after-init --log-level=warn
fi

cat <<MSG

  Odoo is starting at http://localhost:$PORT
  Log in as admin / admin (database $DB), then open the Omnichannel menu.
  Stop with Ctrl+C.

MSG
exec "$PY" "$ODOO_TREE/odoo-bin" -c "$CONF" -d "$DB" --http-port="$PORT" --db-filter="^$DB\$"
