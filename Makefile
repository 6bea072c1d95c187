# The commands of the README; the scripts behind them say what they do.
.PHONY: setup run test test-odoo bench i18n screenshots

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

test-odoo:
	bash scripts/test_odoo.sh

bench:
	bash scripts/bench.sh

i18n:
	bash scripts/i18n.sh

screenshots:
	bash scripts/screenshots.sh
