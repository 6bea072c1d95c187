"""The platforms' signatures, from the connectors' plain-Python module (no Odoo in it): one
implementation of each algorithm, proven on the published vectors, serves both sides."""

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parent.parent / "addons" / "omni_channel_sync" / "connectors" / "signing.py"
_spec = importlib.util.spec_from_file_location("omni_platform_signing", _PATH)
signing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(signing)
