#!/usr/bin/env bash
# make test: lint, addon tests on a fresh database without demo data, the browser tours, XML-RPC
# tests against a server started here, the demo shop of make run, then Odoo's own suites of the
# modules we extend. Ends with "N passed, M failed"; exits non-zero on any failure, on no test run
# and on any skipped test.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/demo_db.sh"
require_env
export PATH=$VENV/bin:$PATH

LOGS=$ROOT/.test-logs
rm -rf "$LOGS"
mkdir -p "$LOGS"
DB=omni_test_$(date +%Y%m%d%H%M%S)_$$
CONF=$LOGS/odoo.conf
write_odoo_conf "$CONF"
SERVER_PID=

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

cleanup() {
  stop_server
  [ -n "${KEEP_DB:-}" ] || dropdb --if-exists "$DB" 2>/dev/null || true
  dropdb --if-exists "${DB}_demo" 2>/dev/null || true
}
trap cleanup EXIT

record() { echo "$1 $2 $3 $4" >>"$LOGS/results"; } # part passed failed skipped

run_lint() {
  say "Lint"
  local passed=0 failed=0 check
  local -a checks=(
    "ruff check ."
    "ruff format --check ."
    "pylint --rcfile=.pylintrc-mandatory $PROJECT_DIRS"
    "oca-checks-odoo-module --disable=manifest-maintainers-list $PROJECT_DIRS"
    "oca-checks-po ${PROJECT_DIRS// //i18n/* }/i18n/*"
  )
  for check in "${checks[@]}"; do
    if (cd "$ROOT" && $check) >>"$LOGS/lint.log" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      echo "lint failed: $check" | tee -a "$LOGS/failures"
    fi
  done
  record lint "$passed" "$failed" 0
}

# Runs Odoo's test runner and records its counts (see scripts/odoo_log_counts.py).
run_odoo_tests() {
  local part=$1
  shift
  say "$part"
  odoo -c "$CONF" -d "$DB" --test-enable --stop-after-init --log-level=test "$@" >"$LOGS/$part.log" 2>&1 || true
  python "$ROOT/scripts/odoo_log_counts.py" "$part" "$LOGS/$part.log" >>"$LOGS/results" ||
    echo "$part failed: see .test-logs/$part.log" | tee -a "$LOGS/failures"
}

# As production runs: HTTP workers, a cron worker, the websocket worker and queue_job's runner. The
# limits leave room for the tests' largest calls; a worker past them is killed and the test fails.
start_server() {
  local port=$1
  "$PY" "$ODOO_TREE/odoo-bin" -c "$CONF" -d "$DB" --http-port="$port" --gevent-port="$(free_port)" \
    --workers=2 --max-cron-threads=1 --limit-time-cpu=300 --limit-time-real=600 \
    --db-filter="^$DB\$" --log-level=warn >"$LOGS/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 120); do
    curl -fs "http://127.0.0.1:$port/web/health" >/dev/null 2>&1 && return
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  die "The Odoo server for the XML-RPC tests did not start." "See .test-logs/server.log"
}

run_rpc_tests() {
  say "XML-RPC tests (tests/)"
  local port
  port=$(free_port)
  start_server "$port"
  OMNI_URL=http://127.0.0.1:$port OMNI_DB=$DB OMNI_SERVER_LOG=$LOGS/server.log \
    pytest "$ROOT/tests" --junitxml="$LOGS/rpc.xml" >"$LOGS/rpc.log" 2>&1 || true
  stop_server
  python "$ROOT/scripts/odoo_log_counts.py" rpc "$LOGS/rpc.xml" >>"$LOGS/results" ||
    echo "XML-RPC tests failed: see .test-logs/rpc.log" | tee -a "$LOGS/failures"
}

# Odoo's own suites of the modules we extend, with and without our addons (scripts/test_odoo.sh):
# the tests that fail only with ours are this part's failures.
run_odoo_core_tests() {
  say "Odoo core suites: $ODOO_CORE_SUITES, with and without our addons"
  RESULTS=$LOGS/results MODULES=$ODOO_CORE_SUITES LOGS=$LOGS/odoo-core \
    bash "$ROOT/scripts/test_odoo.sh" >"$LOGS/odoo_core.log" 2>&1 && return
  grep -q "^odoo_core " "$LOGS/results" || record odoo_core 0 1 0
  grep "^/" "$LOGS/odoo_core.log" | tee -a "$LOGS/failures" || true
  echo "odoo core suites failed: see .test-logs/odoo_core.log" | tee -a "$LOGS/failures"
}

# The demo shop of make run: its tests of what the demo promises, on a copy of the template make
# setup made (made here when the addons changed since).
run_demo_tests() {
  (prepare_demo_template) >"$LOGS/demo_template.log" 2>&1 || {
    record demo 0 1 0
    echo "demo template failed: see .test-logs/demo_template.log" | tee -a "$LOGS/failures"
    return
  }
  copy_demo_template "${DB}_demo"
  DB=${DB}_demo run_odoo_tests demo -u "$DEMO_MODULE" --test-tags "/$DEMO_MODULE" --http-port="$(free_port)"
  dropdb --if-exists "${DB}_demo"
  rm -rf "$STATE_DIR/data/filestore/${DB}_demo"
}

TAGS=/${PROJECT_MODULES//,/,/}
ODOO_CORE_SUITES=product,sale_management,sale_stock,stock_delivery,sale_loyalty,pos_loyalty,l10n_vn_edi_viettel
run_lint
run_odoo_tests addons -i "$PROJECT_MODULES" --without-demo=all --test-tags "$TAGS,-omni_tour" --http-port="$(free_port)"
# Tours before the XML-RPC tests: they look at screens of data they make, which the orders and
# customers the XML-RPC tests commit would crowd.
run_odoo_tests tours --test-tags "omni_tour" --http-port="$(free_port)"
run_rpc_tests
run_demo_tests
run_odoo_core_tests

python "$ROOT/scripts/odoo_log_counts.py" --summary "$LOGS/results"
