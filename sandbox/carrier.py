"""What the simulated carriers (GHN, GHTK) share: a parcel's way from booking to delivery or back to
the sender, the simulator's small address map, labels as PDF, a push of each change to the URL the
shop registered, and the COD statement of a period.

COD statements: neither carrier publishes a reconciliation API; both portals export the period's
statement ("đối soát") as a spreadsheet. The simulator serves it as CSV, one row per parcel finished
(delivered, or returned to the sender) in the period: COD collected, fees deducted, amount transferred.
The column names are the simulator's, in the portals' words (assumption: the exports' exact headers
are not public).
"""

import csv
import io
import threading
import time
from datetime import date, datetime, timedelta, timezone

from .sinvoice import minimal_pdf
from .webhooks import _post_quietly  # the stores' fire-and-forget delivery, one POST after another

VIETNAM = timezone(timedelta(hours=7))
# The simulator's address map, keyed by GHN district id: (province, district, {ward code: ward}).
# Assumption: ids and codes in GHN's form (districts 4 digits, wards 5 characters); GHTK names the
# same places by their names.
DISTRICTS = {
    1442: ("Hồ Chí Minh", "Quận 1", {"20108": "Phường Bến Nghé", "20109": "Phường Bến Thành"}),
    1444: ("Hồ Chí Minh", "Quận 3", {"20308": "Phường Võ Thị Sáu"}),
    1455: ("Hồ Chí Minh", "Quận Tân Bình", {"21402": "Phường 2"}),
    1484: ("Hà Nội", "Quận Ba Đình", {"1A0101": "Phường Phúc Xá", "1A0102": "Phường Trúc Bạch"}),
    1485: ("Hà Nội", "Quận Cầu Giấy", {"1A0601": "Phường Dịch Vọng"}),
    1526: ("Đà Nẵng", "Quận Hải Châu", {"40101": "Phường Thạch Thang"}),
}
# Wards of the 2025 map (no districts), keyed by the statistics office's code: (province, ward). Both
# carriers take an address of the 2025 form since July 2025 (assumption: GHN a ``to_ward_code`` of the
# 2025 map without ``to_district_id``, GHTK a ``province`` and ``ward`` without ``district``); a fee
# zone then compares provinces.
WARDS_2025 = {
    "26740": ("Hồ Chí Minh", "Phường Sài Gòn"),
    "26743": ("Hồ Chí Minh", "Phường Bến Thành"),
    "26737": ("Hồ Chí Minh", "Phường Tân Định"),
    "00004": ("Hà Nội", "Phường Ba Đình"),
    "00166": ("Hà Nội", "Phường Cầu Giấy"),
    "20242": ("Đà Nẵng", "Phường Hải Châu"),
    # The demo shop's customers' wards (omni_retail_demo), in the 2025 map.
    "27139": ("Hồ Chí Minh", "Phường Xuân Hoà"),
    "27487": ("Hồ Chí Minh", "Phường Tân Mỹ"),
    "26956": ("Hồ Chí Minh", "Phường Thạnh Mỹ Tây"),
    "27094": ("Hồ Chí Minh", "Phường An Khánh"),
    "25747": ("Hồ Chí Minh", "Phường Thủ Dầu Một"),
    "00070": ("Hà Nội", "Phường Hoàn Kiếm"),
    "31135": ("Cần Thơ", "Phường Ninh Kiều"),
}
# Zones of the fee tables: same district (or 2025 ward), same province, another province.
INNER_DISTRICT, INNER_PROVINCE, INTER_PROVINCE = "inner_district", "inner_province", "inter_province"
PAGE_SIZES = {"A5": (420, 595), "A6": (298, 420), "80x80": (227, 227), "52x70": (147, 198)}


def zone(from_place, to_place):
    """The fee zone between two places: GHN district ids or 2025 ward codes."""
    if from_place == to_place:
        return INNER_DISTRICT
    return INNER_PROVINCE if province_of(from_place) == province_of(to_place) else INTER_PROVINCE


def province_of(place):
    return DISTRICTS[place][0] if place in DISTRICTS else WARDS_2025[place][0]


def place_number(place):
    """A place's last two digits, for the sorting codes printed on labels."""
    return int(str(place)[-2:])


def district_named(province, district):
    """The GHN id of the district ``district`` of ``province`` (names compared loosely), or None."""
    found = (
        key
        for key, (prov, dist, _wards) in DISTRICTS.items()
        if _plain(prov) == _plain(province) and _plain(dist) == _plain(district)
    )
    return next(found, None)


def ward_named(province, ward):
    """The code of the 2025 ward ``ward`` of ``province`` (names compared loosely), or None."""
    found = (
        code
        for code, (prov, name) in WARDS_2025.items()
        if _plain(prov) == _plain(province) and _plain(name) == _plain(ward)
    )
    return next(found, None)


def _plain(name):
    return (name or "").lower().removeprefix("thành phố ").removeprefix("tỉnh ").strip()


def phone_ok(phone):
    """A Vietnamese phone number: 10 digits starting with 0 (or +84 and 9 digits)."""
    digits = str(phone or "").replace(" ", "").replace("+84", "0", 1)
    return len(digits) == 10 and digits.isdigit() and digits.startswith("0")


def label_pdf(lines, size="A5"):
    return minimal_pdf(lines, PAGE_SIZES.get(size, PAGE_SIZES["A5"]))


class Carrier:
    """A carrier's parcels and their statuses. Subclasses name the statuses: ``SUCCESS`` from booking
    to delivered (and beyond), ``FAILURE`` from a failed delivery back to the sender (it branches off
    at ``FAIL_FROM``), ``CANCELLED``, and ``CANCELLABLE`` (before pickup)."""

    SUCCESS = FAILURE = CANCELLABLE = ()
    FAIL_FROM = CANCELLED = DELIVERED = RETURNED = None
    NAME = ACCOUNT_KEY = CODE_KEY = STATUS_KEY = None  # the names its simulator calls take

    def __init__(self, clock=time.time):
        self.clock = clock
        self.orders = {}  # the carrier's code → parcel
        self.callbacks = {}  # account (GHN shop id, GHTK token) → callback URL

    def sandbox(self, method, action, query, body):
        """The simulator's own calls (not the carrier's): ``POST callback`` (an account's URL),
        ``POST step`` (a parcel moved on), ``GET cod-statement`` (CSV), ``POST accounts``."""
        if (method, action) == ("POST", "/callback"):
            self.callbacks[self.account(body.get(self.ACCOUNT_KEY))] = body.get("url")
            return 200, {self.ACCOUNT_KEY: body.get(self.ACCOUNT_KEY), "url": body.get("url")}
        if (method, action) == ("POST", "/step"):
            code = body.get(self.CODE_KEY)
            if code not in self.orders:
                return 404, {"error": "not_found", "message": f"No parcel {code}"}
            passed = self.step(code, body.get(self.STATUS_KEY))
            if passed is None:
                return 400, {
                    "error": "not_ahead",
                    "message": f"{body.get(self.STATUS_KEY)} is not ahead of {code}",
                }
            return 200, {self.CODE_KEY: code, "statuses": passed}
        if (method, action) == ("GET", "/cod-statement"):
            account = self.account(query.get(self.ACCOUNT_KEY))
            try:
                csv_bytes = self.statement(
                    account, query.get("from", "2000-01-01"), query.get("to", "2999-12-31")
                )
            except ValueError:
                return 400, {"error": "bad_period", "message": "from and to are dates: YYYY-MM-DD"}
            name = f"{self.NAME}-doi-soat-{query.get('from', '')}-{query.get('to', '')}.csv"
            disposition = f'attachment; filename="{name}"'
            return (
                200,
                csv_bytes,
                {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition},
            )
        if (method, action) == ("POST", "/accounts"):
            try:
                self.add_account(**body)
            except TypeError as error:
                return 400, {"error": "bad_account", "message": str(error)}
            return 200, {"token": body["token"]}
        return 404, {"error": "not_found", "message": f"No simulator call at {action}"}

    def account(self, value):
        """The account an ``ACCOUNT_KEY`` value names."""
        return value

    def book(self, parcel):
        parcel["status"], parcel["log"] = self.SUCCESS[0], [(self.SUCCESS[0], self.clock())]
        self.orders[parcel["code"]] = parcel
        self.push(parcel, [self.SUCCESS[0]])
        return parcel

    def cancel(self, parcel):
        """True, the parcel cancelled, when it is not picked up yet."""
        if parcel["status"] not in self.CANCELLABLE:
            return False
        self._set(parcel, self.CANCELLED)
        self.push(parcel, [self.CANCELLED])
        return True

    def step(self, code, target=None):
        """Move the parcel on: one status along its way, or each status up to ``target`` (on the way
        to delivery, or back to the sender). The statuses passed (pushed each), or None when
        ``target`` is not ahead of the parcel."""
        parcel = self.orders[code]
        way = self.FAILURE if parcel["status"] in self.FAILURE else self.SUCCESS
        if target is None:
            ahead = way[way.index(parcel["status"]) + 1 :] if parcel["status"] in way else ()
            passed = list(ahead[:1])
        else:
            passed = self._way_to(parcel["status"], target)
        if not passed:
            return None
        for status in passed:
            self._set(parcel, status)
        self.push(parcel, passed)
        return passed

    def _way_to(self, status, target):
        if status in self.FAILURE:
            way = self.FAILURE
        elif target in self.FAILURE:  # via the failed delivery, from the status it branches off at
            way = self.SUCCESS[: self.SUCCESS.index(self.FAIL_FROM) + 1] + self.FAILURE
        else:
            way = self.SUCCESS
        if status not in way or target not in way or way.index(target) <= way.index(status):
            return []
        return list(way[way.index(status) + 1 : way.index(target) + 1])

    def tick(self):
        """The demo's carrier at work: the parcel left alone longest moves one status on; one parcel
        in four is refused at the door and goes back to the sender."""
        moving = [
            p
            for p in self.orders.values()
            if p["status"] not in (self.CANCELLED, self.SUCCESS[-1], self.FAILURE[-1])
        ]
        if not moving:
            return None
        parcel = min(moving, key=lambda p: p["log"][-1][1])
        if parcel["status"] == self.FAIL_FROM and parcel["serial"] % 4 == 0:
            return self.step(parcel["code"], self.FAILURE[0])
        return self.step(parcel["code"])

    def _set(self, parcel, status):
        parcel["status"] = status
        parcel["log"].append((status, self.clock()))

    def finished_at(self, parcel):
        """When the parcel was delivered or came back to the sender, or None."""
        return next((at for status, at in parcel["log"] if status in (self.DELIVERED, self.RETURNED)), None)

    def push(self, parcel, statuses):
        """Each status change told to the account's callback URL, in order, in the background: the API's
        answer waits for no receiver and never fails with the delivery."""
        url = self.callbacks.get(self.account_of(parcel))
        if url:
            # The statuses just passed are the log's last entries: each pushed with its own time.
            deliveries = [self.webhook(parcel, *entry) for entry in parcel["log"][-len(statuses) :]]
            threading.Thread(target=_post_quietly, args=(url, deliveries), daemon=True).start()

    def statement(self, account, since, until):
        """The COD statement of ``account`` for the days ``since`` to ``until`` (ISO dates, Vietnam
        time), as CSV bytes (UTF-8 with a BOM, as spreadsheet exports are)."""
        first, last = date.fromisoformat(since), date.fromisoformat(until)
        rows = []
        for parcel in self.orders.values():
            at = self.finished_at(parcel)
            if (
                self.account_of(parcel) == account
                and at
                and first <= datetime.fromtimestamp(at, VIETNAM).date() <= last
            ):
                rows.append(self.statement_row(parcel, at))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.STATEMENT_COLUMNS)
        writer.writerows(sorted(rows))
        return out.getvalue().encode("utf-8-sig")

    def account_of(self, parcel):
        raise NotImplementedError

    def webhook(self, parcel, status, at):
        """``(body bytes, headers)`` of the push telling ``status``, reached at ``at``."""
        raise NotImplementedError

    def statement_row(self, parcel, finished):
        raise NotImplementedError


def money(parcel, returned):
    """``(COD collected, fees deducted, amount transferred)``: a returned parcel collects nothing and
    costs its return fee too (assumption: half the shipping fee, as both carriers' price lists put it
    for most zones); the fee of a parcel the buyer pays for is collected with the COD."""
    collected = 0 if returned else parcel["cod"] + (parcel["fee"] if parcel["buyer_pays"] else 0)
    fees = parcel["fee"] + (parcel["fee"] // 2 if returned else 0)
    return collected, fees, collected - fees


def vietnam_time(seconds):
    return datetime.fromtimestamp(seconds, VIETNAM)
