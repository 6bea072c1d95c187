#!/usr/bin/env bash
# make screenshots: the pictures of docs/screenshots/, the demo shop's main screens in Vietnamese.
# Each screen is brought to its state by a tour and photographed in headless Chromium
# (addons/omni_retail_demo/tests/test_screenshots.py), on a copy of the demo template: run it again
# when the screens change, and the pictures follow.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/demo_db.sh"
require_env
pg_ready || die "PostgreSQL does not answer." "Run: make setup"

DB=omni_screenshots_$$
CONF=$STATE_DIR/screenshots.conf
LOG=$STATE_DIR/screenshots.log
OUT=$ROOT/docs/screenshots
trap 'dropdb --if-exists "$DB" 2>/dev/null; rm -rf "$STATE_DIR/data/filestore/$DB"' EXIT

write_odoo_conf "$CONF"
prepare_demo_template
copy_demo_template "$DB"
mkdir -p "$OUT"
say "Photographing the screens into docs/screenshots/ (a few minutes)."
OMNI_SCREENSHOTS=$OUT odoo -c "$CONF" -d "$DB" --test-enable --test-tags /omni_retail_demo:TestScreenshots --stop-after-init \
  --http-port="$(free_port)" --log-level=test >"$LOG" 2>&1 || true
"$PY" "$ROOT/scripts/odoo_log_counts.py" screenshots "$LOG" >/dev/null ||
  die "A screen could not be photographed." "See .omni/screenshots.log"
say "The pictures are in docs/screenshots/ ($(find "$OUT" -name '*.png' | wc -l) screens)."
