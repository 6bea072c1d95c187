"""Run the benchmarks of bench/ against one database, in a plain Python process.

    python bench/run.py --config odoo.conf --db omni_bench_x [ingest ...]

Each ``bench_<name>.py`` beside this file defines ``run(env, options)``: it prints its own table
and returns True when every target it measures is met. With no name every benchmark runs. The
exit code is 1 when a target is missed, 2 when a benchmark crashed. ``scripts/bench.sh`` (``make
bench``) creates the database, runs this and drops it.
"""

import argparse
import importlib.util
import sys
import time
import traceback
from pathlib import Path

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config

HERE = Path(__file__).resolve().parent


def _benchmarks(names):
    found = {path.stem.removeprefix("bench_"): path for path in sorted(HERE.glob("bench_*.py"))}
    unknown = [name for name in names if name not in found]
    if unknown:
        sys.exit(f"Unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(found)}")
    return {name: found[name] for name in names or found}


def _load(name, path):
    for folder in (HERE, HERE.parent):
        # Benchmarks import what they share from bench/common.py, and the simulator from sandbox/.
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(f"omni_bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--db", required=True, help="database with the project's addons installed")
    parser.add_argument("--profile", action="store_true", help="profile the project's side (cProfile)")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args()
    benchmarks = _benchmarks(args.names)

    config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"], setup_logging=True)
    # No job runner runs in this process: jobs a benchmark queues stay queued.
    registry = Registry(args.db)

    failed = crashed = 0
    for name, path in benchmarks.items():
        print(f"\n=== bench {name} ===", flush=True)
        started = time.perf_counter()
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                ok = _load(name, path).run(env, vars(args))
        except Exception:
            traceback.print_exc()
            print(f"bench {name}: CRASHED", flush=True)
            crashed += 1
            continue
        print(f"bench {name}: {'PASS' if ok else 'FAIL'} ({time.perf_counter() - started:.0f} s)", flush=True)
        failed += not ok
    print(f"\nbenchmarks: {len(benchmarks) - failed - crashed} passed, {failed} failed, {crashed} crashed")
    return 2 if crashed else 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
