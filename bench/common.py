"""What the benchmarks share: the API caller they measure, a run's environment and tag."""

from datetime import datetime, timezone

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
