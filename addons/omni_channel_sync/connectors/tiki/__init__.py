"""Tiki Open API: the registry's entry. Tiki pushes nothing (its events are pulled): no webhook."""

from ..registry import Platform
from .adapter import TikiAdapter
from .mapper import map_order

PLATFORM = Platform(TikiAdapter, map_order, "https://api.tiki.vn")
