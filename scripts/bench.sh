#!/usr/bin/env bash
# make bench: the benchmarks of bench/ on a fresh database without demo data, each measuring stock
# Odoo doing the same work in the same run (bench/README.md). Prints each benchmark's table and
# exits non-zero when a target is missed. Arguments go to bench/run.py: benchmark names to run
# only those, --profile for a cProfile of the project's side. KEEP_DB=1 keeps the database.
source "$(dirname "$0")/common.sh"
require_env
export PATH=$VENV/bin:$PATH

LOGS=$STATE_DIR/bench
mkdir -p "$LOGS"
DB=omni_bench_$(date +%Y%m%d%H%M%S)_$$
CONF=$LOGS/odoo.conf
write_odoo_conf "$CONF"

cleanup() {
  if [ -n "${KEEP_DB:-}" ]; then
    say "Kept database $DB"
  else
    dropdb --if-exists "$DB" 2>/dev/null || true
  fi
}
trap cleanup EXIT

say "Installing the addons into $DB"
odoo -c "$CONF" -d "$DB" -i "$PROJECT_MODULES" --without-demo=all --no-http --stop-after-init \
  --log-level=warn >"$LOGS/install.log" 2>&1 ||
  die "Installing the addons for the benchmarks failed." "See .omni/bench/install.log"

say "Benchmarks (against stock Odoo in the same run)"
"$PY" "$ROOT/bench/run.py" --config "$CONF" --db "$DB" "$@"
