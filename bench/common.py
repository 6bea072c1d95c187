"""What the benchmarks share: the API caller they measure."""

from odoo import Command


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
