#!/usr/bin/env bash
# make setup: PostgreSQL, Odoo 18.0 with its requirements, the project's Python tools, Chromium, and
# the template of make run's demo database (scripts/demo_db.sh).
# Idempotent: a second run checks and changes nothing.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/demo_db.sh"

ODOO_URL=${ODOO_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  as_root true 2>/dev/null || return 1
  say "Installing with apt: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pick_python() {
  local candidate
  for candidate in python3.12 python3.11 python3.10 python3; do
    command -v "$candidate" >/dev/null || continue
    # Never the environment's own Python (its bin/ may be on PATH): it goes when the environment is rebuilt.
    case $(command -v "$candidate") in "$VENV"/*) continue ;; esac
    if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
      command -v "$candidate"
      return
    fi
  done
  die "Odoo 18.0 needs Python 3.10, 3.11 or 3.12 and none was found." \
    "Install one (Debian/Ubuntu: apt install python3 python3-venv) and run make setup again."
}

setup_postgres() {
  if pg_ready; then
    say "PostgreSQL is running."
  elif [ -n "${PGHOST:-}" ]; then
    die "PostgreSQL at ${PGHOST}:${PGPORT:-5432} does not answer." \
      "Start it, or fix PGHOST/PGPORT (unset them to use a local PostgreSQL), then run make setup again."
  else
    if ! command -v pg_lsclusters >/dev/null && ! apt_install postgresql postgresql-client; then
      die "PostgreSQL is not installed and cannot be installed from here." \
        "As root: apt install postgresql, or point PGHOST/PGPORT/PGUSER/PGPASSWORD at a server."
    fi
    local cluster
    cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1 {print $1" "$2}')
    [ -n "$cluster" ] || die "PostgreSQL is installed but has no cluster." "As root: pg_createcluster --start 15 main"
    say "Starting PostgreSQL cluster $cluster."
    # shellcheck disable=SC2086
    as_root pg_ctlcluster $cluster start ||
      die "Could not start PostgreSQL cluster $cluster." "As root: pg_ctlcluster $cluster start"
    for _ in $(seq 20); do pg_ready && break; sleep 0.5; done
    pg_ready || die "PostgreSQL cluster $cluster started but does not answer." "See /var/log/postgresql/."
  fi
  # Odoo connects as the current user over the local socket; give that user a role once.
  if [ -z "${PGUSER:-}" ] && ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    say "Creating PostgreSQL role $(id -un)."
    as_root su postgres -c "createuser --superuser $(id -un)" ||
      die "Could not create a PostgreSQL role for $(id -un)." \
        "As the postgres user: createuser --superuser $(id -un)"
  fi
}

odoo_version_of() { sed -n 's/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p' "$1/odoo/release.py" 2>/dev/null; }

check_odoo_tree() {
  local src=$1 what=$2 version
  [ -f "$src/odoo/release.py" ] && [ -d "$src/odoo/addons/base" ] && [ -f "$src/requirements.txt" ] ||
    die "$what ($src) is not an Odoo source tree." \
      "Give the directory that holds odoo-bin, setup.py, requirements.txt and odoo/ (Odoo 18.0 Community)."
  version=$(odoo_version_of "$src")
  [ "$version" = "18.0" ] ||
    die "$what ($src) is Odoo ${version:-of an unknown version}, not 18.0." "Give an Odoo 18.0 source tree."
}

# Copies (or downloads) the Odoo tree next to the environment; the copy appears whole or not at all.
provide_odoo_tree() {
  local staging=$OMNI_HOME/.odoo-staging
  rm -rf "$staging"
  mkdir -p "$staging"
  if [ -n "${ODOO_SRC:-}" ]; then
    check_odoo_tree "$ODOO_SRC" "ODOO_SRC"
    say "Copying Odoo 18.0 from $ODOO_SRC."
    (cd "$ODOO_SRC" && tar -cf - --exclude=.git --exclude='*.pyc' odoo odoo-bin setup.py setup.cfg setup requirements.txt \
      MANIFEST.in README.md LICENSE 2>/dev/null) | tar -xf - -C "$staging" ||
      die "Could not copy Odoo from $ODOO_SRC."
  else
    say "Downloading the Odoo 18.0 source ($ODOO_URL)."
    if ! curl -fsSL --connect-timeout 15 --max-time 900 "$ODOO_URL" | tar -xzf - -C "$staging" --strip-components=1 2>/dev/null; then
      rm -rf "$staging"
      die "No Odoo 18.0 here and it cannot be downloaded (no network?)." \
        "Give an Odoo 18.0 Community source tree: ODOO_SRC=/path/to/odoo-18.0 make setup" \
        "(the directory with odoo-bin, setup.py, requirements.txt and odoo/; for example a checkout of the 18.0 branch)."
    fi
    check_odoo_tree "$staging" "The downloaded archive"
  fi
  rm -rf "$ODOO_TREE"
  mv "$staging" "$ODOO_TREE"
}

# Odoo's pinned requirements, built with setuptools<70 because old sdists import pkg_resources.
# At run time gevent (Odoo's websocket worker) asks pkg_resources for zope.interface, whose wheels now
# name it zope_interface: only setuptools 75.8 and later find it, and 82 dropped pkg_resources.
RUNTIME_SETUPTOOLS=78.1.1
# python-ldap only serves auth_ldap and needs LDAP headers: left out.
odoo_requirements() {
  sed -e '/^python-ldap/d' "$ODOO_TREE/requirements.txt"
}

# psycopg2 builds from source against libpq.
ensure_build_tools() {
  command -v pg_config >/dev/null && command -v gcc >/dev/null && return
  apt_install libpq-dev gcc python3-dev ||
    die "Building psycopg2 needs pg_config and a C compiler." "As root: apt install libpq-dev gcc python3-dev"
}

install_environment() {
  local python
  python=$(pick_python)
  ensure_build_tools
  say "Creating the environment in $VENV with $python."
  rm -rf "$VENV"
  # A failed install leaves no half-made environment behind.
  trap 'rm -rf "$VENV"; echo "Setup failed; the environment was removed." >&2' ERR
  "$python" -m venv "$VENV"
  local constraints=$OMNI_HOME/build-constraints.txt
  echo "setuptools<70" >"$constraints"
  export PIP_CONSTRAINT=$constraints
  "$PY" -m pip install -q "setuptools<70" wheel
  say "Installing Odoo's requirements."
  "$PY" -m pip install -q -r <(odoo_requirements)
  "$PY" -m pip install -q --no-deps --no-build-isolation -e "$ODOO_TREE"
  say "Installing the project's Python dependencies."
  "$PY" -m pip install -q -r "$ROOT/requirements.txt"
  "$PY" -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))'
  ensure_runtime_setuptools
  trap - ERR
}

# Also run on an environment made before the pin: it gets the setuptools the websocket worker needs.
ensure_runtime_setuptools() {
  "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('setuptools') != '$RUNTIME_SETUPTOOLS')" && return
  say "Installing setuptools $RUNTIME_SETUPTOOLS (Odoo's websocket worker needs it)."
  PIP_CONSTRAINT= "$PY" -m pip install -q "setuptools==$RUNTIME_SETUPTOOLS"
  "$PY" -W ignore -c "import pkg_resources; pkg_resources.require('gevent')" ||
    die "Odoo's websocket worker cannot load gevent." "Run make setup again after removing $VENV."
}

setup_odoo() {
  local fingerprint
  if [ -n "${ODOO_SRC:-}" ]; then
    check_odoo_tree "$ODOO_SRC" "ODOO_SRC"
  fi
  local odoo=${ODOO_SRC:-$ODOO_TREE}
  fingerprint=$({ cat "$ROOT/requirements.txt" "$odoo/requirements.txt" "$odoo/odoo/release.py" 2>/dev/null || true; } |
    sha256sum | cut -c1-16)
  if [ -f "$READY_MARK" ] && [ "$(cat "$READY_MARK")" = "$fingerprint" ]; then
    ensure_runtime_setuptools
    # The release file alone: importing odoo takes seconds.
    say "Odoo $("$PY" -c 'import runpy, sys; print(runpy.run_path(sys.argv[1])["version"])' "$ODOO_TREE/odoo/release.py") and the project's tools are installed ($VENV)."
    return
  fi
  mkdir -p "$OMNI_HOME"
  if [ -n "${ODOO_SRC:-}" ] || [ ! -f "$ODOO_TREE/odoo/release.py" ]; then
    provide_odoo_tree
  fi
  install_environment
  echo "$fingerprint" >"$READY_MARK"
}

setup_chromium() {
  if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then
    say "Chromium is installed."
  elif ! apt_install chromium; then
    die "Chromium (for the browser tours) is missing and cannot be installed from here." "As root: apt install chromium"
  fi
}

setup_postgres
setup_odoo
setup_chromium
prepare_demo_template
say "Setup done. Next: make run (demo) or make test."
