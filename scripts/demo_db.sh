# The demo database of `make run`, made by `make setup` so that `make run` only copies it.
# Sourced by setup.sh, run.sh and test.sh, never run. Two template databases, kept per machine with
# their files beside the environment (they outlive any clone):
#
# 1. DEMO_BASE_DB, the Odoo part, which takes minutes: a company in Vietnam (VND) with Odoo's
#    Vietnamese localization (chart of accounts, VAT), the Odoo apps the addons depend on and the
#    Vietnamese language. Made again only when Odoo or that list of apps changes.
# 2. DEMO_TEMPLATE_DB: a copy of the base with the addons and omni_retail_demo, the Vietnamese shop,
#    installed (about a minute). Made again when the addons change.
#
# `make run` copies the second (createdb -T, seconds) into its demo database.

DEMO_BASE_DB=${OMNI_DEMO_BASE_DB:-omni_demo_base}
DEMO_TEMPLATE_DB=${OMNI_DEMO_TEMPLATE_DB:-omni_demo_template}
DEMO_DATA=$OMNI_HOME/data
DEMO_CONF=$OMNI_HOME/demo.conf
DEMO_LANG=vi_VN

# The Odoo apps of the base: what the addons depend on, besides one another, and the localization.
demo_base_modules() {
  "$PY" - "$ADDONS_DIR" <<'PY'
import ast, pathlib, sys

depends = {"l10n_vn"}
for manifest in pathlib.Path(sys.argv[1]).glob("omni_*/__manifest__.py"):
    depends.update(ast.literal_eval(manifest.read_text())["depends"])
print(",".join(sorted(name for name in depends if not name.startswith("omni_"))))
PY
}

# What each template was made from: Odoo (setup.sh's mark) and the apps; then the addons' files.
demo_base_fingerprint() {
  { cat "$READY_MARK"; demo_base_modules; } | sha256sum | cut -c1-16
}
demo_template_fingerprint() {
  {
    demo_base_fingerprint
    (cd "$ADDONS_DIR" && find . -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 | sort -z |
      xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}

# Whether database $1 was made from fingerprint $2 (its comment says so).
db_made_from() {
  [ "$(psql -d postgres -Atc "select shobj_description(oid, 'pg_database') from pg_database where datname = '$1'" 2>/dev/null)" = \
    "omni demo $2" ]
}

# Database $1 and its files become $2, marked as made from fingerprint $3.
db_publish() {
  psql -d postgres -qc "comment on database $1 is 'omni demo $3'"
  dropdb --if-exists "$2" 2>/dev/null && rm -rf "$DEMO_DATA/filestore/$2"
  psql -d postgres -qc "alter database $1 rename to $2"
  mv "$DEMO_DATA/filestore/$1" "$DEMO_DATA/filestore/$2"
}

# A copy of template $1 with its files as database $2, whose files live under data directory $3.
db_copy() {
  local template=$1 db=$2 data=$3
  createdb -T "$template" "$db" || die "Copying $template into $db failed." "Is a server using $template? Stop it and retry."
  mkdir -p "$data/filestore"
  rm -rf "${data:?}/filestore/$db"
  cp -r "$DEMO_DATA/filestore/$template" "$data/filestore/$db"
}

prepare_demo_base() {
  local fingerprint building=${DEMO_BASE_DB}_building modules started=$SECONDS
  fingerprint=$(demo_base_fingerprint)
  db_made_from "$DEMO_BASE_DB" "$fingerprint" && return
  modules=$(demo_base_modules)
  say "Preparing the demo's Odoo database $DEMO_BASE_DB once (a few minutes)."
  dropdb --if-exists "$building" 2>/dev/null && rm -rf "$DEMO_DATA/filestore/$building"
  say "Creating an empty Odoo database."
  odoo -c "$DEMO_CONF" -d "$building" -i base --without-demo=all --stop-after-init --log-level=warn ||
    die "Creating the database $building failed." "See the messages above."
  say "Placing the company in Vietnam (country, VND, Asia/Ho_Chi_Minh)."
  odoo shell -c "$DEMO_CONF" -d "$building" --log-level=warn >/dev/null <<'PY' || die "Placing the company in Vietnam failed."
vietnam = env.ref("base.vn")
env.ref("base.VND").active = True
env.ref("base.main_company").write({"country_id": vietnam.id, "currency_id": env.ref("base.VND").id})
env["res.users"].search([]).write({"tz": "Asia/Ho_Chi_Minh"})
env.cr.commit()
PY
  say "Installing Odoo's Vietnamese localization, Sales, Inventory, Point of Sale and Loyalty, with the Vietnamese language ($modules)."
  odoo -c "$DEMO_CONF" -d "$building" -i "$modules" --load-language="$DEMO_LANG" --without-demo=all \
    --stop-after-init --log-level=warn || die "Installing Odoo's apps in $building failed." "See the messages above."
  db_publish "$building" "$DEMO_BASE_DB" "$fingerprint"
  say "The demo's Odoo database is ready ($((SECONDS - started)) s)."
}

# The demo shop's steps, as the addon logs them, become progress messages.
demo_progress() { sed -u -E 's/^.* odoo\.addons\.omni_retail_demo\.hooks: (.*)$/\x1b[1m==>\x1b[0m \1/'; }

prepare_demo_template() {
  # Its files (web assets) live beside the environment, as the databases outlive any clone.
  write_odoo_conf "$DEMO_CONF" && sed -i "s|^data_dir = .*|data_dir = $DEMO_DATA|" "$DEMO_CONF"
  prepare_demo_base
  local fingerprint building=${DEMO_TEMPLATE_DB}_building started=$SECONDS
  fingerprint=$(demo_template_fingerprint)
  if db_made_from "$DEMO_TEMPLATE_DB" "$fingerprint"; then
    say "The demo database's template is ready ($DEMO_TEMPLATE_DB)."
    return
  fi
  say "Making the demo database's template $DEMO_TEMPLATE_DB (about a minute; again when the addons change)."
  dropdb --if-exists "$building" 2>/dev/null
  db_copy "$DEMO_BASE_DB" "$building" "$DEMO_DATA"
  say "Installing the omnichannel addons, then creating the demo shop."
  odoo -c "$DEMO_CONF" -d "$building" -i "$DEMO_MODULE" --stop-after-init --log-level=warn \
    --log-handler=odoo.addons.omni_retail_demo:INFO 2>&1 | demo_progress ||
    die "Installing the demo shop in $building failed." "See the messages above."
  db_publish "$building" "$DEMO_TEMPLATE_DB" "$fingerprint"
  say "The demo database's template is ready ($((SECONDS - started)) s)."
}

# The demo database `$1` of this clone, a copy of the template.
copy_demo_template() {
  db_copy "$DEMO_TEMPLATE_DB" "$1" "$STATE_DIR/data"
}
