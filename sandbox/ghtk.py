"""GHTK (Giao Hàng Tiết Kiệm), as its public API documents it (docs.giaohangtietkiem.vn): mounted at
``/ghtk``, so that ``https://services.giaohangtietkiem.vn/`` becomes ``<simulator>/ghtk/``.

Each call with the shop's ``Token`` header: ``GET /services/shipment/list_pick_add`` (the pickup
addresses), ``GET /services/shipment/fee`` (query parameters: ``pick_province``, ``pick_district``,
``province``, ``district``, ``weight`` in grams, ``value``...), ``POST /services/shipment/order``
(``{"products": [...], "order": {...}}``: ``label``, ``fee``, ``insurance_fee``,
``estimated_pick_time``, ``estimated_deliver_time``, ``status_id``, ``tracking_id``),
``GET /services/shipment/v2/<label>`` (or ``partner_id:<id>``), ``POST /services/shipment/cancel/<label>``
(or ``partner_id:<id>``; only before pickup) and ``GET /services/label/<label>`` (the label's PDF,
``?page_size=A5`` or ``A6``).

Answers ``{"success": true, "message": ..., ...}``; a refusal ``{"success": false, "message": ...}``
(assumption: HTTP 200, as GHTK's examples show bodies only; a repeated order id adds ``"error":
{"code": "ORDER_ID_EXIST", "ghtk_label": ...}`` as documented); a wrong token HTTP 401 (assumption).
Amounts in the order's answer are text, as GHTK's examples show them. Limits (assumption: GHTK's
price list, not its API reference): COD (``pick_money``) and declared value up to 20,000,000 ₫, a road
parcel up to 20 kg.

Status ids: 2 received → 12 picking → 3 picked (in the warehouse) → 4 delivering → 5 delivered → 6
reconciled; from 4: 9 not delivered → 20 returning → 21 returned → 11 return reconciled; -1 cancelled
(possible at 1, 2 and 12).

The webhook, as documented: a form-encoded POST (``label_id``, ``partner_id``, ``status_id``,
``action_time``, ``reason_code``, ``reason``, ``weight`` in kg, ``fee``, ``pick_money``,
``return_part_package``) to the callback URL the shop gave GHTK, which carries its own secret
``?hash=...``: the receiver authenticates GHTK by that hash.

``/_sandbox/ghtk/...`` is the simulator's own: ``POST callback {"token", "url"}`` sets the shop's
callback URL (with its ``hash``), ``POST step {"label", "status_id"?}`` moves a parcel on, ``GET
cod-statement?token=&from=&to=`` the period's COD statement (CSV, see carrier.py), ``POST accounts
{"token", "shop_code", "pick_addresses": [...]}`` adds a shop.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from .carrier import (
    INNER_PROVINCE,
    Carrier,
    district_named,
    label_pdf,
    money,
    phone_ok,
    place_number,
    vietnam_time,
    ward_named,
    zone,
)

MAX_COD, MAX_VALUE, MAX_WEIGHT_KG = 20_000_000, 20_000_000, 20
DEMO_TOKEN = "demo-ghtk-token"
DEMO_PICK_ADDRESSES = [
    {
        "pick_address_id": "88256",
        "pick_name": "Phố Việt Retail",
        "pick_tel": "0281234567",
        "address": "12 Lê Lợi",
        "province": "Hồ Chí Minh",
        "district": "Quận 1",
        "ward": "Phường Bến Thành",
    }
]
# The fee table (assumption, in the shape of GHTK's price list): the first 3 kg per area, then each
# 500 g more; insurance free below 1,000,000 ₫ of declared value, else 0.5% of it.
FIRST_3KG = {"1": 22_000, "2": 30_000}
PER_500G = {"1": 2_500, "2": 5_000}
SUCCESS = (2, 12, 3, 4, 5, 6)
FAILURE = (9, 20, 21, 11)
STATUS_TEXT = {
    -1: "Hủy đơn hàng",
    1: "Chưa tiếp nhận",
    2: "Đã tiếp nhận",
    3: "Đã lấy hàng/Đã nhập kho",
    4: "Đã điều phối giao hàng/Đang giao hàng",
    5: "Đã giao hàng/Chưa đối soát",
    6: "Đã đối soát",
    9: "Không giao được hàng",
    11: "Đã đối soát công nợ trả hàng",
    12: "Đã điều phối lấy hàng/Đang lấy hàng",
    20: "Đang trả hàng (COD cầm hàng đi trả)",
    21: "Đã trả hàng (COD đã trả xong hàng)",
}
STATEMENT_COLUMNS = (
    "Mã đơn GHTK",
    "Mã đơn KH",
    "Ngày hoàn tất",
    "Trạng thái",
    "Tiền thu hộ",
    "Phí dịch vụ",
    "Thực nhận",
)


class GhtkApi(Carrier):
    SUCCESS, FAILURE, FAIL_FROM = SUCCESS, FAILURE, 4
    CANCELLED, DELIVERED, RETURNED = -1, 5, 21
    CANCELLABLE = (1, 2, 12)
    STATEMENT_COLUMNS = STATEMENT_COLUMNS
    # The simulator's own calls: a shop's callback and statement by its token, a parcel by its label.
    NAME, ACCOUNT_KEY, CODE_KEY, STATUS_KEY = "ghtk", "token", "label", "status_id"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.accounts = {}  # token → {"shop_code", "pick_addresses"}
        self.add_account(DEMO_TOKEN, "S1803", DEMO_PICK_ADDRESSES)

    def add_account(self, token, shop_code, pick_addresses):
        self.accounts[token] = {"shop_code": shop_code, "pick_addresses": list(pick_addresses)}

    # ------------------------------------------------------------------ HTTP

    def handle(self, method, path, query, body, headers):
        """``(HTTP status, answer)``: JSON, or ``bytes`` with a third item, its headers."""
        token = headers.get("token", "")
        if token not in self.accounts:
            return 401, {"success": False, "message": "Token không hợp lệ"}
        if path == "/services/shipment/list_pick_add":
            return 200, {"success": True, "data": self.accounts[token]["pick_addresses"]}
        if path == "/services/shipment/fee":
            return self._fee(token, {**query, **(body if isinstance(body, dict) else {})})
        if path.rstrip("/") == "/services/shipment/order" and method == "POST":
            return self._create(token, body if isinstance(body, dict) else {})
        for prefix, handler in (
            ("/services/shipment/v2/", self._status),
            ("/services/shipment/cancel/", self._cancel),
            ("/services/label/", self._label),
        ):
            if path.startswith(prefix):
                parcel = self._find(token, path.removeprefix(prefix))
                if not parcel:
                    return refuse("Không tìm thấy đơn hàng")
                return handler(parcel, query)
        return 404, {"success": False, "message": f"Not found: {path}"}

    # ------------------------------------------------------------------ the API

    def _fee(self, token, params):
        pick = district_named(params.get("pick_province"), params.get("pick_district"))
        if not pick and params.get("pick_address_id"):
            pick = self._pick_district(token, params["pick_address_id"])
        to = _destination(params)
        if not pick or not to:
            return refuse("Địa chỉ lấy hàng hoặc giao hàng không hợp lệ")
        try:
            grams, value = int(params.get("weight") or 0), int(params.get("value") or 0)
        except ValueError:
            return refuse("weight và value phải là số")
        area, fee, insurance = _fee(pick, to, grams, value)
        return 200, {
            "success": True,
            "message": "",
            "fee": {
                "name": f"area{area}",
                "fee": fee,
                "insurance_fee": insurance,
                "delivery": True,
                "extFees": [],
            },
        }

    def _create(self, token, body):
        order, products = body.get("order"), body.get("products")
        if not isinstance(order, dict) or not isinstance(products, list) or not products:
            return refuse("Thiếu thông tin đơn hàng (order) hoặc sản phẩm (products)")
        partner_id = str(order.get("id") or "")
        if not partner_id:
            return refuse("Mã đơn hàng (order.id) là bắt buộc")
        existing = next(
            (p for p in self.orders.values() if p["token"] == token and p["partner_id"] == partner_id), None
        )
        if existing:
            return 200, {
                "success": False,
                "message": f"Mã đơn hàng {partner_id} đã tồn tại",
                "error": {
                    "code": "ORDER_ID_EXIST",
                    "partner_id": partner_id,
                    "ghtk_label": existing["code"],
                    "created": _text_time(existing["created"]),
                    "status": existing["status"],
                },
            }
        pick = self._pick_of(token, order)
        to = _destination(order)
        grams = _grams(order, products)
        problem = (
            _receiver_problem(order, to)
            or ("Địa chỉ lấy hàng không hợp lệ" if not pick else None)
            or _money_problem(order)
            or (
                f"Khối lượng tối đa {MAX_WEIGHT_KG} kg"
                if grams is None or grams > MAX_WEIGHT_KG * 1000
                else None
            )
        )
        if problem:
            return refuse(problem)
        area, fee, insurance = _fee(pick, to, grams, int(order.get("value") or 0))
        serial = len(self.orders) + 1
        tracking_id = 17_370_000 + serial
        label = f"{self.accounts[token]['shop_code']}.A{area}.{tracking_id}"
        parcel = self.book(
            {
                "code": label,
                "serial": serial,
                "token": token,
                "partner_id": partner_id,
                "order": order,
                "products": products,
                "grams": grams,
                "fee": fee + insurance,
                "ship_fee": fee,
                "insurance_fee": insurance,
                "cod": int(order.get("pick_money") or 0),
                "buyer_pays": str(order.get("is_freeship", "0")) != "1",
                "created": self.clock(),
                "tracking_id": tracking_id,
            }
        )
        picked, delivered = _estimates(self.clock(), 1 if zone(pick, to) != "inter_province" else 3)
        return 200, {
            "success": True,
            "message": "Các đơn hàng đã được add vào hệ thống GHTK thành công. Thành công 1 đơn hàng.",
            "order": {
                "partner_id": partner_id,
                "label": parcel["code"],
                "area": area,
                "fee": str(fee),
                "insurance_fee": str(insurance),
                "estimated_pick_time": picked,
                "estimated_deliver_time": delivered,
                "products": [],
                "status_id": parcel["status"],
                "tracking_id": tracking_id,
                "sorting_code": f"{area}.{place_number(to):02d}",
            },
        }

    def _status(self, parcel, _query):
        order = parcel["order"]
        delivered = self.finished_at(parcel)
        return 200, {
            "success": True,
            "message": "",
            "order": {
                "label_id": parcel["code"],
                "partner_id": parcel["partner_id"],
                "status": str(parcel["status"]),
                "status_text": STATUS_TEXT[parcel["status"]],
                "created": _text_time(parcel["created"]),
                "modified": _text_time(parcel["log"][-1][1]),
                "message": order.get("note", ""),
                "pick_date": _date_reached(parcel, 3),
                "deliver_date": vietnam_time(delivered).date().isoformat() if delivered else None,
                "customer_fullname": order.get("name"),
                "customer_tel": order.get("tel"),
                "address": ", ".join(
                    str(order.get(k) or "") for k in ("address", "ward", "district", "province")
                ),
                "storage_day": 0,
                "ship_money": parcel["ship_fee"],
                "insurance": parcel["insurance_fee"],
                "value": int(order.get("value") or 0),
                "weight": parcel["grams"],
                "pick_money": parcel["cod"],
                "is_freeship": 0 if parcel["buyer_pays"] else 1,
            },
        }

    def _cancel(self, parcel, _query):
        if parcel["status"] == self.CANCELLED:
            return refuse("Đơn hàng đã bị hủy")
        if not self.cancel(parcel):
            # Assumption: GHTK's wording; that an order is cancelled only before pickup is documented.
            return refuse(f"Đơn hàng đang ở trạng thái {STATUS_TEXT[parcel['status']]}, không thể hủy")
        return 200, {"success": True, "message": "", "log_id": secrets.token_hex(8)}

    def _label(self, parcel, query):
        order = parcel["order"]
        lines = [
            f"GHTK  {parcel['code']}",
            f"Ma don KH: {parcel['partner_id']}",
            f"Nguoi nhan: {order.get('name')} {order.get('tel')}",
            _address(order),
            f"Thu ho: {parcel['cod'] + (parcel['fee'] if parcel['buyer_pays'] else 0):,} VND",
            f"Khoi luong: {parcel['grams']} g",
        ]
        size = query.get("page_size", "A6")
        return (
            200,
            label_pdf(lines, size if size in ("A5", "A6") else "A6"),
            {"Content-Type": "application/pdf"},
        )

    # ------------------------------------------------------------------ pushes and statements

    def account_of(self, parcel):
        return parcel["token"]

    def webhook(self, parcel, status, at):
        failed = status == 9
        form = {
            "label_id": parcel["code"],
            "partner_id": parcel["partner_id"],
            "status_id": status,
            "action_time": vietnam_time(at).isoformat(timespec="seconds"),
            "reason_code": "135"
            if failed
            else "",  # assumption: a code of GHTK's "refused by the buyer" kind
            "reason": "Khách hàng từ chối nhận hàng" if failed else "",
            "weight": parcel["grams"] / 1000,
            "fee": parcel["fee"],
            "pick_money": parcel["cod"],
            "return_part_package": 0,
        }
        return urlencode(form).encode(), {"Content-Type": "application/x-www-form-urlencoded"}

    def statement_row(self, parcel, finished):
        returned = parcel["status"] in FAILURE
        collected, fees, transferred = money(parcel, returned)
        when = vietnam_time(finished).strftime("%d/%m/%Y %H:%M")
        return (
            parcel["code"],
            parcel["partner_id"],
            when,
            STATUS_TEXT[parcel["status"]],
            collected,
            fees,
            transferred,
        )

    # ------------------------------------------------------------------ helpers

    def _find(self, token, ref):
        """The shop's parcel by its label, or by ``partner_id:<the shop's id>``."""
        if ref.startswith("partner_id:"):
            partner_id = ref.removeprefix("partner_id:")
            return next(
                (p for p in self.orders.values() if p["token"] == token and p["partner_id"] == partner_id),
                None,
            )
        parcel = self.orders.get(ref)
        return parcel if parcel and parcel["token"] == token else None

    def _pick_district(self, token, pick_address_id):
        found = [
            a for a in self.accounts[token]["pick_addresses"] if a["pick_address_id"] == str(pick_address_id)
        ]
        return district_named(found[0]["province"], found[0]["district"]) if found else None

    def _pick_of(self, token, order):
        """The pickup district: the registered address ``pick_address_id``, or the one spelled out."""
        if order.get("pick_address_id"):
            return self._pick_district(token, order["pick_address_id"])
        if not phone_ok(order.get("pick_tel")) or not order.get("pick_name") or not order.get("pick_address"):
            return None
        return district_named(order.get("pick_province"), order.get("pick_district"))


def _destination(fields):
    """Where the parcel goes: a district by its names, or (the 2025 form, no district) a ward."""
    if fields.get("district"):
        return district_named(fields.get("province"), fields.get("district"))
    return ward_named(fields.get("province"), fields.get("ward"))


def _receiver_problem(order, district):
    if not str(order.get("name") or "").strip():
        return "Tên người nhận là bắt buộc"
    if not phone_ok(order.get("tel")):
        return "Số điện thoại người nhận không hợp lệ"
    if not str(order.get("address") or "").strip() or not district:
        return "Địa chỉ người nhận không hợp lệ"
    return None


def _money_problem(order):
    for name, cap in (("pick_money", MAX_COD), ("value", MAX_VALUE)):
        try:
            amount = int(order.get(name) or 0)
        except (TypeError, ValueError):
            return f"{name} phải là số"
        if not 0 <= amount <= cap:
            return f"{name} tối đa {cap:,} đ"
    return None


def _grams(order, products):
    """The parcel's weight in grams: ``total_weight`` (kg), or the products' weights (kg, or grams
    with ``weight_option`` "gram"); None when one is not a number."""
    per_gram = 1 if order.get("weight_option") == "gram" else 1000
    try:
        if order.get("total_weight"):
            return round(float(order["total_weight"]) * per_gram)
        return round(
            sum(float(p.get("weight") or 0) * int(p.get("quantity") or 1) for p in products) * per_gram
        )
    except (TypeError, ValueError, AttributeError):
        return None


def _fee(pick, to, grams, value):
    """``(area, shipping fee, insurance fee)``: area 1 within a province, 2 between provinces."""
    area = "1" if zone(pick, to) in ("inner_district", INNER_PROVINCE) else "2"
    extra = max(0, -(-(grams - 3000) // 500))
    insurance = value * 5 // 1000 if value >= 1_000_000 else 0
    return area, FIRST_3KG[area] + extra * PER_500G[area], insurance


def _estimates(now, days):
    """GHTK's estimated pick and delivery times: a half day ("Sáng" morning, "Chiều" afternoon) and a date."""
    at = vietnam_time(now)
    pick = at if at.hour < 12 else at + timedelta(days=1)
    pick_half = "Chiều" if at.hour < 12 else "Sáng"
    deliver = pick + timedelta(days=days)
    return f"{pick_half} {pick.date().isoformat()}", f"Chiều {deliver.date().isoformat()}"


def _address(order):
    return ", ".join(str(order[key]) for key in ("address", "ward", "district", "province") if order.get(key))


def _text_time(seconds):
    return vietnam_time(seconds).strftime("%Y-%m-%d %H:%M:%S")


def _date_reached(parcel, status):
    at = next((at for reached, at in parcel["log"] if reached == status), None)
    return vietnam_time(at).date().isoformat() if at else None


def refuse(message):
    return 200, {"success": False, "message": message}
