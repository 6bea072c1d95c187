"""docker-compose.yml cannot run here (no Docker engine); these checks keep it right by reading."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_images(compose):
    images = {name: service.get("image") for name, service in compose["services"].items()}
    assert "odoo:18.0" in images.values()
    assert "postgres:16" in images.values()


def test_mounted_paths_exist(compose):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"


def test_every_service_has_a_healthcheck_or_is_one_shot(compose):
    for name, service in compose["services"].items():
        one_shot = service.get("restart") == "no"
        assert one_shot or "healthcheck" in service, f"{name} has no healthcheck"


def test_odoo_waits_for_the_init_service_and_loads_queue_job(compose):
    odoo = compose["services"]["odoo"]
    assert odoo["depends_on"]["init"]["condition"] == "service_completed_successfully"
    conf = (ROOT / "docker" / "odoo.conf").read_text()
    assert "server_wide_modules = base,web,queue_job" in conf
    init_command = " ".join(compose["services"]["init"]["command"])
    for module in ("omni_channel_sync", "omni_customer360", "omni_loyalty", "omni_stock"):
        assert module in init_command
