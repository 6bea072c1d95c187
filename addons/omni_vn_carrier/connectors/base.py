"""What both carriers' adapters share: the parcel they are given, the status pushes and statement lines
they read, the one way a call reaches the carrier, and the error a refusal raises. No ORM here.

Statuses are told in the carrier's words and read into ours (``STATUSES``): booked, picked up, in
transit, delivered, failed attempt, returning, returned to sender, cancelled.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import requests


def utc_time(text):
    """A carrier's ISO time (with its offset, Vietnam's) as a naive UTC datetime, as Odoo keeps them."""
    at = datetime.fromisoformat(text)
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


class CarrierError(Exception):
    """A refusal of the carrier (its own words), or no answer from it."""


@dataclass
class Parcel:
    """A delivery as a carrier books it (amounts in VND, weight in grams, sides in cm)."""

    reference: str
    name: str
    phone: str
    street: str
    ward: str
    ward_code: str
    province: str
    weight: int
    length: int
    width: int
    height: int
    cod: int = 0
    value: int = 0
    note: str = ""
    items: list = field(default_factory=list)  # [(name, quantity, grams)]


@dataclass
class Push:
    """One status change a carrier pushed: its waybill, status (ours and its own), time, reason."""

    waybill: str
    status: str
    carrier_status: str
    at: datetime  # naive UTC
    reason: str = ""
    reference: str = ""


@dataclass
class StatementLine:
    """One parcel of a COD statement: collected, fees deducted, amount transferred (VND)."""

    waybill: str
    reference: str
    finished: date | None  # the carrier's day (Vietnam time)
    carrier_status: str
    collected: int
    fees: int
    transferred: int


class CarrierAdapter:
    CODE = NAME = PRODUCTION_URL = TRACKING_URL = ""
    STATUSES = {}  # the carrier's status → ours
    STATEMENT_COLUMNS = ()  # waybill, reference, finished, status, collected, fees, transferred

    def __init__(self, base_url, token, shop, timeout=30):
        self.base_url, self.token, self.shop, self.timeout = base_url.rstrip("/"), token, shop, timeout
        self.session = requests.Session()

    def _request(self, method, path, **options):
        try:
            return self.session.request(method, f"{self.base_url}{path}", timeout=self.timeout, **options)
        except requests.RequestException as error:
            raise CarrierError(f"{self.NAME} did not answer: {error}") from error

    @classmethod
    def status_of(cls, carrier_status):
        return cls.STATUSES.get(str(carrier_status), "")

    @classmethod
    def read_statement(cls, data):
        """The lines of a COD statement exported as CSV (bytes, UTF-8 with or without a BOM)."""
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        missing = set(cls.STATEMENT_COLUMNS) - set(rows.fieldnames or ())
        if missing:
            raise CarrierError(f"Not a {cls.NAME} COD statement: no column {', '.join(sorted(missing))}")
        waybill, reference, finished, status, collected, fees, transferred = cls.STATEMENT_COLUMNS
        try:
            return [
                StatementLine(
                    waybill=row[waybill].strip(),
                    reference=row[reference].strip(),
                    finished=datetime.strptime(row[finished], "%d/%m/%Y %H:%M").date()
                    if row[finished]
                    else None,
                    carrier_status=row[status],
                    collected=int(row[collected] or 0),
                    fees=int(row[fees] or 0),
                    transferred=int(row[transferred] or 0),
                )
                for row in rows
                if row[waybill].strip()
            ]
        except ValueError as error:
            raise CarrierError(f"A line of the {cls.NAME} COD statement is not readable: {error}") from error
