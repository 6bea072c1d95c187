#!/usr/bin/env bash
# make run: the demo database, a Vietnamese shop (addons/omni_retail_demo) on the addons, served at
# http://localhost:8069 with queue_job's runner. The first run copies the template `make setup` made
# (scripts/demo_db.sh); later runs reuse the database (OMNI_DEMO_DB names it).
# WORKERS=4 runs it as production does: HTTP worker processes, a cron worker, the websocket
# (gevent) worker on GEVENT_PORT (8072) and queue_job's runner in a process of its own.
# ORDER_EVERY sets the seconds between two orders of each simulated shop (30).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/demo_db.sh"
require_env
export PATH=$VENV/bin:$PATH

DB=${OMNI_DEMO_DB:-omni_demo}
PORT=${OMNI_PORT:-8069}
WORKERS=${WORKERS:-0}
GEVENT_PORT=${GEVENT_PORT:-8072}
ORDER_EVERY=${ORDER_EVERY:-30}
[[ $WORKERS =~ ^[0-9]+$ ]] || die "WORKERS must be a number of HTTP workers (0: one threaded process)."
[[ $ORDER_EVERY =~ ^[1-9][0-9]*$ ]] || die "ORDER_EVERY must be the seconds between two orders of each simulated shop."
CONF=$STATE_DIR/odoo.conf
write_odoo_conf "$CONF"
pg_ready || die "PostgreSQL does not answer." "Run: make setup"

if ! psql -d "$DB" -Atc "select 1 from ir_module_module where name = '$DEMO_MODULE' and state = 'installed'" 2>/dev/null | grep -q 1; then
  if psql -d "$DB" -Atc "select 1" >/dev/null 2>&1; then
    die "The database $DB is not the demo shop (an older demo, or one that stopped halfway)." \
      "Drop it (dropdb $DB) and run make run again."
  fi
  started=$SECONDS
  # Made by make setup; made here when the addons changed since.
  prepare_demo_template
  say "Copying the demo database's template into $DB."
  copy_demo_template "$DB"
  say "The demo database $DB is ready ($((SECONDS - started)) s)."
else
  say "Updating the addons in the demo database $DB."
  odoo -c "$CONF" -d "$DB" -u "$PROJECT_MODULES" --stop-after-init --log-level=warn
fi

# The marketplace simulator the demo marketplace channels are connected to.
SIM_PORT=8900
if (echo >"/dev/tcp/127.0.0.1/$SIM_PORT") 2>/dev/null; then
  say "A marketplace simulator already answers on port $SIM_PORT."
else
  (cd "$ROOT" && exec "$PY" -m sandbox --port "$SIM_PORT" --demo --orders 20 --order-every "$ORDER_EVERY" \
    --webhook-url-base "http://127.0.0.1:$PORT/omni/webhook") >"$STATE_DIR/sandbox.log" 2>&1 &
  SIM_PID=$!
  trap 'kill "$SIM_PID" 2>/dev/null' EXIT
fi

# GHN and GHTK push their parcels' statuses to the demo carriers' Status URLs, as the shop sets them
# in the carriers' portals.
psql -d "$DB" -AtF ' ' -c "select delivery_type, id, omni_webhook_secret, omni_carrier_shop, omni_carrier_token
  from delivery_carrier where delivery_type in ('ghn', 'ghtk') and active" 2>/dev/null |
  while read -r provider id secret shop token; do
    account=$([[ $provider == ghn ]] && echo "\"shop_id\": $shop" || echo "\"token\": \"$token\"")
    url="http://127.0.0.1:$PORT/omni_vn_carrier/webhook/$id?hash=$secret"
    curl -sf --retry 10 --retry-connrefused --retry-delay 1 -o /dev/null -H "Content-Type: application/json" \
      -d "{$account, \"url\": \"$url\"}" "http://127.0.0.1:$SIM_PORT/_sandbox/$provider/callback" ||
      say "The simulated $provider did not take its callback URL: its parcels' statuses will not reach Odoo."
  done

cat <<MSG

  Odoo is starting at http://localhost:$PORT
  Log in as admin / admin (database $DB), then open the Omnichannel menu; Vietnamese is one
  click away (Preferences > Language).
  The demo Shopee, Lazada, TikTok Shop, Tiki, Shopify and WooCommerce channels are fed by the
  marketplace simulator (http://127.0.0.1:$SIM_PORT, a new order on each every $ORDER_EVERY s): its webhooks
  arrive at once, pulls run every few minutes ("Pull Orders Now" on a channel does it at once).
  Orders of SKUs no product knows wait in the Inbox for a match; every shop's stock follows Odoo's
  (see the listings' last push, Operations > Stock Holds and the Allocation Preview).
  The web stores' and chat orders ship with GHN and GHTK: validating a delivery books its waybill and label at the
  simulator, whose parcels then move on (one in four refused and returned to the sender).
  Stop with Ctrl+C.

MSG
MODE=()
if [ "$WORKERS" -gt 0 ]; then
  # The cron worker's time limit (limit_time_real, 120 s, unless set apart) also counts the minute
  # it sleeps before a sweep of every due job: after a restart such a sweep gets barely a minute.
  MODE=(--workers="$WORKERS" --max-cron-threads=1 --limit-time-real-cron=600 --gevent-port="$GEVENT_PORT")
  say "Production mode: $WORKERS HTTP workers, a cron worker, queue_job's runner; live updates" \
    "(/websocket) answer on port $GEVENT_PORT, where a reverse proxy sends them (see the README)."
fi
status=0
"$PY" "$ODOO_TREE/odoo-bin" -c "$CONF" -d "$DB" --http-port="$PORT" --db-filter="^$DB\$" "${MODE[@]}" || status=$?
# Ctrl+C stops Odoo on purpose; any other end is a failure the caller must see.
[ "$status" -eq 0 ] || [ "$status" -eq 130 ] || die "Odoo stopped with status $status." "See the messages above."
