# The three commands of the README; the scripts behind them say what they do.
.PHONY: setup run test bench

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh
