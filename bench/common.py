"""What the benchmarks share: the API caller they measure, a run's environment and tag, and a
production-mode Odoo server on the benchmark's database."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import xmlrpc.client
from datetime import datetime, timezone
from pathlib import Path

import psutil

import odoo
from odoo import Command


def verdict(label, value, target, at_most=False, fmt="{:.1f}"):
    """Print one target line: ``value`` at least ``target`` (at most, with ``at_most``); True when met."""
    ok = value <= target if at_most else value >= target
    sense = "≤" if at_most else "≥"
    result = "PASS" if ok else "FAIL"
    print(f"{label:<26} {fmt.format(value):>8}  target {sense} {fmt.format(target):<6} {result}")
    return ok


def integrator_env(env, login):
    """An environment of a new Integrator (API) user: the caller an integration really is."""
    user = env["res.users"].create(
        {
            "name": "Bench integrator",
            "login": login,
            "groups_id": [
                Command.set(
                    [env.ref("base.group_portal").id, env.ref("omni_channel_sync.group_integrator").id]
                )
            ],
        }
    )
    return env(user=user.id)


class Bench:
    """One run of a benchmark: its environment, a tag in the names and codes of what it creates (a
    run on a kept database meets nothing of an earlier run's), and its data, set up by ``_setup``."""

    def __init__(self, env):
        self.env = env
        self.tag = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self.serial = 0
        self._setup()

    def _setup(self):
        raise NotImplementedError

    def _buyers(self, count):
        """``count`` new buyers, numbered on from the last one of the run."""
        first = self.serial + 1
        self.serial += count
        return [self._buyer(number) for number in range(first, self.serial + 1)]

    def _buyer(self, number):
        raise NotImplementedError


# A line of Odoo's log: "date time pid LEVEL db logger: message".
LOG_LEVEL = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
# Odoo's own retry of a request that met a serialization failure (odoo/service/model.py).
LOG_RETRY = re.compile(r"tries left, try again in")
LOG_WORKER = re.compile(r"Worker (\w+) \((\d+)\) alive")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProductionServer:
    """Odoo as production runs it (``WORKERS=n make run``, scripts/run.sh): ``workers`` HTTP worker
    processes, a cron worker, the websocket (gevent) worker and queue_job's runner, on the
    benchmark's database, its log in ``log_path``. ``job_channels`` sets queue_job's channels (the
    configuration's by default). Each process's peak memory is sampled while it runs."""

    def __init__(self, options, workers, log_path, job_channels=None):
        self.options, self.workers, self.log_path = options, workers, Path(log_path)
        self.job_channels = job_channels
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.peak_rss = {}  # pid -> bytes
        self.start_rss = {}

    def start(self, timeout=180):
        odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
        db = self.options["db"]
        command = [
            sys.executable, str(odoo_bin), "-c", self.options["config"], "-d", db,
            f"--db-filter=^{db}$", f"--http-port={self.port}", f"--gevent-port={free_port()}",
            f"--workers={self.workers}", "--max-cron-threads=1", f"--logfile={self.log_path}",
            # The cron worker's limit apart, as the README says: a new database's first sweep runs
            # every scheduled action at once.
            "--limit-time-real-cron=600", "--log-level=info",
        ]  # fmt: skip
        environment = dict(os.environ)
        if self.job_channels:
            environment["ODOO_QUEUE_JOB_CHANNELS"] = self.job_channels
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"Odoo stopped at start (status {self.process.returncode}): {self.log_path}"
                )
            try:
                # The first call loads the registry in a worker; the others wait for it.
                self.admin().execute_kw(db, 2, "admin", "res.users", "search_count", [[]])
                break
            except (OSError, xmlrpc.client.Fault, xmlrpc.client.ProtocolError):
                time.sleep(1)
        else:
            raise RuntimeError(f"Odoo did not answer within {timeout} s: {self.log_path}")
        self.sample_memory()
        self.start_rss = dict(self.peak_rss)

    def admin(self):
        """An XML-RPC proxy of the object service, for the admin (uid 2, password admin)."""
        return xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.admin().execute_kw(self.options["db"], 2, "admin", model, method, list(args), kwargs)

    def processes(self):
        main = psutil.Process(self.process.pid)
        return [main, *main.children(recursive=True)]

    def sample_memory(self):
        for process in self.processes():
            try:
                rss = process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            self.peak_rss[process.pid] = max(rss, self.peak_rss.get(process.pid, 0))

    def roles(self):
        """``{pid: role}``: the workers name themselves in the log; the gevent worker is a process of
        its own, started with the word gevent."""
        roles = {self.process.pid: "main (prefork)"}
        for line in self.log_lines():
            match = LOG_WORKER.search(line)
            if match:
                roles[int(match.group(2))] = match.group(1)
        for process in self.processes():
            try:
                if "gevent" in process.cmdline():
                    roles[process.pid] = "gevent (websocket)"
            except psutil.NoSuchProcess:
                continue
        return roles

    def log_lines(self):
        if not self.log_path.exists():
            return []
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def log_counts(self, start=0):
        """``(ERROR or CRITICAL lines, retried requests)`` of the log from its line ``start`` on."""
        lines = self.log_lines()[start:]
        errors = sum(
            1 for line in lines if (m := LOG_LEVEL.match(line)) and m.group(1) in ("ERROR", "CRITICAL")
        )
        return errors, sum(1 for line in lines if LOG_RETRY.search(line))

    def memory_rows(self):
        """``[(role, pid, MB at start, peak MB)]``, the workers of a role numbered."""
        roles = self.roles()
        rows = []
        for pid, peak in sorted(self.peak_rss.items(), key=lambda item: roles.get(item[0], "~")):
            rows.append((roles.get(pid, "other"), pid, self.start_rss.get(pid, 0) / 2**20, peak / 2**20))
        return rows

    def stop(self):
        """Stop Odoo as Ctrl+C does (the workers end with the main process), killed if it hangs."""
        if not self.process or self.process.poll() is not None:
            return
        children = self.processes()[1:]
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
