"""The carriers' APIs, one adapter each; the one registry of them (``ADAPTERS``) the models ask."""

from .base import CarrierError, Parcel, Push, StatementLine
from .ghn import GhnAdapter
from .ghtk import GhtkAdapter

ADAPTERS = {adapter.CODE: adapter for adapter in (GhnAdapter, GhtkAdapter)}

__all__ = ["ADAPTERS", "CarrierError", "Parcel", "Push", "StatementLine"]
