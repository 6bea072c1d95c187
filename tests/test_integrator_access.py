"""The first integrator proof: an API key of an Integrator user opens the API and nothing else."""

import xmlrpc.client

import pytest

OMNI_MODULES = {"omni_channel_sync", "omni_customer360", "omni_loyalty", "omni_stock"}


def test_api_key_logs_in(integrator):
    assert integrator.uid


def test_integrator_sees_the_modules(integrator):
    info = integrator.call("omni.channel", "api_info")
    assert set(info["modules"]) == OMNI_MODULES
    assert all(version.startswith("18.0.") for version in info["modules"].values())


def test_admin_sees_the_modules_installed(admin):
    modules = admin.env["ir.module.module"].search_read(
        [("name", "in", list(OMNI_MODULES))], ["name", "state"]
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(OMNI_MODULES, "installed")


@pytest.mark.parametrize(
    ("model", "method", "args"),
    [
        ("stock.quant", "search_read", [[]]),
        ("ir.config_parameter", "search_read", [[]]),
        ("res.partner", "create", [{"name": "Khách lạ"}]),
        ("omni.channel", "create", [{"name": "Rogue", "code": "rogue"}]),
    ],
)
def test_integrator_is_refused_elsewhere(integrator, model, method, args):
    with pytest.raises(xmlrpc.client.Fault, match=r"AccessError|not allowed"):
        integrator.call(model, method, *args)


def test_wrong_key_is_refused(server, integrator):
    common = xmlrpc.client.ServerProxy(f"{server['url']}/xmlrpc/2/common")
    assert not common.authenticate(server["db"], "admin", "not-the-key", {})
