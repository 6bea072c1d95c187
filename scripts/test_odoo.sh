#!/usr/bin/env bash
# make test-odoo: Odoo's own test suites of the modules our addons extend, run on two fresh
# databases that differ only by our addons; prints each test that fails (or skips) only with them
# and exits non-zero when there is one. MODULES=sale_loyalty,sale_stock runs some of the suites.
# The intended differences, with their reason, are in scripts/odoo_test_differences.txt.
# RESULTS=file adds the part's counts to make test's results.
source "$(dirname "$0")/common.sh"
require_env

ALL_SUITES=loyalty,sale_loyalty,pos_loyalty,website_sale_loyalty,sale,sale_stock,stock,stock_delivery,point_of_sale,l10n_vn_edi_viettel
MODULES=${MODULES:-$ALL_SUITES}
LOGS=${LOGS:-$ROOT/.test-logs/odoo-core}
mkdir -p "$LOGS"
CONF=$LOGS/odoo.conf
write_odoo_conf "$CONF"
STAMP=$(date +%Y%m%d%H%M%S)_$$
BASE_DB=omni_core_base_$STAMP
OURS_DB=omni_core_ours_$STAMP
trap 'dropdb --if-exists "$BASE_DB" 2>/dev/null; dropdb --if-exists "$OURS_DB" 2>/dev/null; true' EXIT

# Both databases get the suites' modules and everything our addons need, so only ours differ.
OUR_DEPENDS=$("$PY" - "$ADDONS_DIR" "$PROJECT_MODULES" <<'EOF'
import ast, pathlib, sys
ours = sys.argv[2].split(",")
depends = {
    depend
    for name in ours
    for depend in ast.literal_eval(pathlib.Path(sys.argv[1], name, "__manifest__.py").read_text())["depends"]
}
print(",".join(sorted(depends - set(ours))))
EOF
)

# One database at a time: Odoo installs the modules, running each one's tests as it goes, as its
# own CI does: a module's at_install tests before the modules that depend on it (ours) are loaded,
# the post_install tests once everything is.
run_suites() {
  local name=$1 db=$2 started=$SECONDS
  shift 2
  say "Odoo's tests of $MODULES, $name"
  odoo -c "$CONF" -d "$db" "$@" --test-enable --stop-after-init --log-level=test \
    --http-port="$(free_port)" >"$LOGS/$name.log" 2>&1 || true
  echo "    $((SECONDS - started)) s, log: ${LOGS#"$ROOT"/}/$name.log"
}

TAGS=/${MODULES//,/,/}
DIFFERENCES=$ROOT/scripts/odoo_test_differences.txt
COUNTS=$ROOT/scripts/odoo_log_counts.py
# Without our addons, the results depend only on Odoo and the modules: kept per machine beside the
# environment, and run again when either changes.
BASELINE=$OMNI_HOME/odoo-core/without_ours-$({ cat "$READY_MARK"; echo "$MODULES,$OUR_DEPENDS"; } | sha256sum | cut -c1-16).log
if [ -f "$BASELINE" ]; then
  say "Odoo's tests of $MODULES, without_ours: the results of an earlier run of this Odoo"
  cp "$BASELINE" "$LOGS/without_ours.log"
else
  run_suites without_ours "$BASE_DB" -i "$MODULES,$OUR_DEPENDS" --without-demo=all --test-tags "$TAGS"
  # Kept only when the run ended: its last line counts the tests.
  if grep -q "tests when loading database" "$LOGS/without_ours.log"; then
    mkdir -p "$(dirname "$BASELINE")" && cp "$LOGS/without_ours.log" "$BASELINE"
  fi
fi
run_suites with_ours "$OURS_DB" -i "$MODULES,$OUR_DEPENDS,$PROJECT_MODULES" --without-demo=all --test-tags "$TAGS"
# A browser test may time out on a busy machine: what failed only with our addons runs once more.
rm -f "$LOGS/with_ours_again.log"
SUSPECTS=$("$PY" "$COUNTS" --suspects "$LOGS/without_ours.log" "$LOGS/with_ours.log" "$DIFFERENCES")
[ -z "$SUSPECTS" ] || run_suites with_ours_again "$OURS_DB" --test-tags "$SUSPECTS"
say "Tests that fail only with our addons"
"$PY" "$COUNTS" --compare odoo_core "$LOGS/without_ours.log" "$LOGS/with_ours.log" "$LOGS/with_ours_again.log" \
  "$DIFFERENCES" ${RESULTS:+"$RESULTS"}
