#!/usr/bin/env bash
# make i18n: export each addon's translation template from a scratch database and merge it into
# i18n/vi.po, keeping every existing translation; new terms then wait in vi.po for a translator.
source "$(dirname "$0")/common.sh"
require_env
export PATH=$VENV/bin:$PATH

DB=omni_i18n_$$
CONF=$STATE_DIR/i18n.conf
write_odoo_conf "$CONF"
trap 'dropdb --if-exists "$DB" 2>/dev/null || true' EXIT
odoo -c "$CONF" -d "$DB" -i "$PROJECT_MODULES" --without-demo=all --stop-after-init --log-level=warn
for module in ${PROJECT_MODULES//,/ }; do
  i18n=$ADDONS_DIR/$module/i18n
  odoo -c "$CONF" -d "$DB" --i18n-export="$i18n/$module.pot" --modules="$module" --stop-after-init --log-level=warn
  msgmerge --quiet --update --no-fuzzy-matching --backup=none "$i18n/vi.po" "$i18n/$module.pot"
  say "$module: $(msgattrib --untranslated "$i18n/vi.po" | grep -c '^msgid' || true) entries without a translation (names such as Shopee stay empty on purpose)"
done
oca-checks-po --fix "$ADDONS_DIR"/*/i18n/* >/dev/null || true
