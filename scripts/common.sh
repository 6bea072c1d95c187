# Shared settings of the project's scripts: where the environment lives and how to reach it.
# Sourced, never run. The environment is per user, outside the clone, so that every clone on the
# machine (CI's fresh one included) finds the Odoo that `make setup` installed once.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OMNI_HOME=${OMNI_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/omni-retail}
VENV=$OMNI_HOME/venv
PY=$VENV/bin/python
ODOO_TREE=$OMNI_HOME/odoo-18.0
READY_MARK=$VENV/.omni-ready
STATE_DIR=$ROOT/.omni
ADDONS_DIR=$ROOT/addons
PROJECT_MODULES=omni_channel_sync,omni_customer360,omni_loyalty,omni_stock,omni_vn_address,omni_vn_einvoice,omni_vn_carrier,omni_campaign
# The demo shop of make run (a Vietnamese retailer, on the addons): installed by make run only.
DEMO_MODULE=omni_retail_demo
# Every addon folder ("addons/omni_x addons/omni_y") for the linters.
PROJECT_DIRS="addons/${PROJECT_MODULES//,/ addons/} addons/$DEMO_MODULE"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() {
  printf '\033[31mERROR:\033[0m %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '       %s\n' "$line" >&2; done
  exit 1
}

require_env() {
  [ -f "$READY_MARK" ] || die "The project's environment is not installed." "Run: make setup"
}

# Site-packages addons (queue_job from PyPI) live in the environment's odoo/addons namespace.
addons_path() {
  local site
  site=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$ADDONS_DIR,$site/odoo/addons,$ODOO_TREE/odoo/addons"
}

# Writes the Odoo configuration of this clone; extra "key = value" lines may follow as arguments.
write_odoo_conf() {
  local conf=$1
  shift
  mkdir -p "$(dirname "$conf")"
  {
    echo "[options]"
    echo "addons_path = $(addons_path)"
    echo "data_dir = $STATE_DIR/data"
    echo "admin_passwd = admin"
    echo "server_wide_modules = base,web,queue_job"
    [ -n "${PGHOST:-}" ] && echo "db_host = $PGHOST"
    [ -n "${PGPORT:-}" ] && echo "db_port = $PGPORT"
    [ -n "${PGUSER:-}" ] && echo "db_user = $PGUSER"
    [ -n "${PGPASSWORD:-}" ] && echo "db_password = $PGPASSWORD"
    for line in "$@"; do echo "$line"; done
    echo "[queue_job]"
    echo "channels = root:3,root.omni:2,root.omni_stock:1"
  } >"$conf"
}

pg_ready() { pg_isready -q ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"} 2>/dev/null; }

# A TCP port nobody listens on, for servers the tests start.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Odoo's own launcher, run by the environment's Python.
odoo() { "$PY" "$ODOO_TREE/odoo-bin" "$@"; }
