"""GHN (Giao Hàng Nhanh), as its public API documents it (api.ghn.vn): mounted at ``/ghn``, so that
``https://online-gateway.ghn.vn/`` becomes ``<simulator>/ghn/``.

Under ``/shiip/public-api/v2``, each call with the ``Token`` header (and ``ShopId`` where GHN asks
for it): ``shop/all``, ``shipping-order/fee``, ``shipping-order/create`` (``order_code``,
``expected_delivery_time``, ``total_fee`` and the fee's parts), ``shipping-order/detail`` (by
``order_code``) and ``shipping-order/detail-by-client-code``, ``switch-status/cancel`` (only before
pickup), ``a5/gen-token`` (a print token) and, without a token, ``/a5/public-api/printA5``,
``printThermal80x80`` and ``printThermal52x70?token=`` (the labels; GHN's print pages are HTML, the
simulator answers the PDF a browser would print: assumption).

Answers: ``{"code": 200, "message": "Success", "data": ...}``; a refusal HTTP 400 ``{"code": 400,
"message": ..., "data": null, "code_message": ...}`` (the code_message names are the simulator's, in
GHN's style); a wrong token HTTP 401 (assumption: GHN's text "Token is not valid!"); a ShopId not of
the token HTTP 400. Limits GHN documents: COD up to 50,000,000 ₫, insurance value up to 5,000,000 ₫,
weight up to 50,000 g, each side up to 200 cm.

Statuses: ready_to_pick → picking → picked → transporting → delivering → delivered, or from
delivering: delivery_fail → waiting_to_return → return → returned; cancel before picked.

The callback GHN posts on each change (to the URL set per shop in its portal): its JSON (``OrderCode``,
``ClientOrderCode``, ``Status``, ``Type`` create / switch_status, ``Time``, ``CODAmount``, ``Fee``,
``TotalFee``, ``ShopID``, ``Weight``, ...). GHN signs nothing: a receiver trusts its secret URL and
checks the order against its own (the simulator sends no signature either).

``/_sandbox/ghn/...`` is the simulator's own: ``POST callback {"shop_id", "url"}`` sets a shop's
callback URL, ``POST step {"order_code", "status"?}`` moves a parcel on (one status, or up to
``status``, each pushed), ``GET cod-statement?shop_id=&from=&to=`` the period's COD statement (CSV,
see carrier.py), ``POST accounts {"token", "shops": [...]}`` adds an account.
"""

import secrets
from datetime import timedelta

from .carrier import (
    DISTRICTS,
    INNER_DISTRICT,
    INNER_PROVINCE,
    WARDS_2025,
    Carrier,
    label_pdf,
    money,
    phone_ok,
    place_number,
    vietnam_time,
    zone,
)
from .platform import webhook_body

API = "/shiip/public-api"
MAX_COD, MAX_INSURANCE, MAX_WEIGHT, MAX_SIDE = 50_000_000, 5_000_000, 50_000, 200
REQUIRED_NOTES = ("CHOTHUHANG", "CHOXEMHANGKHONGTHU", "KHONGCHOXEMHANG")
# The demo retailer's GHN account: its token and its shops (pickup addresses).
DEMO_TOKEN = "demo-ghn-token"
DEMO_SHOPS = [
    {
        "_id": 885001,
        "name": "Phố Việt Retail - Kho Quận 1",
        "phone": "0281234567",
        "address": "12 Lê Lợi",
        "ward_code": "20109",
        "district_id": 1442,
    },
    {
        "_id": 885002,
        "name": "Phố Việt Retail - Kho Hà Nội",
        "phone": "0241234567",
        "address": "5 Phan Đình Phùng",
        "ward_code": "1A0102",
        "district_id": 1484,
    },
]
# The fee table (assumption: GHN's standard service, in the shape of its price list): the first
# 3,000 g per zone, then each 500 g more; insurance 0.5% of the declared value; no COD fee.
FIRST_3KG = {INNER_DISTRICT: 15_500, INNER_PROVINCE: 22_000}
FIRST_3KG_ELSEWHERE, PER_500G = 30_000, 5_000
LEADTIME_DAYS = {INNER_DISTRICT: 1, INNER_PROVINCE: 1}
LEADTIME_ELSEWHERE = 3
SUCCESS = ("ready_to_pick", "picking", "picked", "transporting", "delivering", "delivered")
FAILURE = ("delivery_fail", "waiting_to_return", "return", "returned")
DESCRIPTIONS = {
    "ready_to_pick": "Tạo đơn hàng",
    "picking": "Nhân viên đang lấy hàng",
    "picked": "Lấy hàng thành công",
    "transporting": "Đang luân chuyển hàng",
    "delivering": "Đang giao hàng",
    "delivered": "Giao hàng thành công",
    "delivery_fail": "Giao hàng thất bại",
    "waiting_to_return": "Chờ xác nhận giao lại",
    "return": "Trả hàng",
    "returned": "Trả hàng thành công",
    "cancel": "Hủy đơn hàng",
}
STATEMENT_COLUMNS = (
    "Mã đơn GHN",
    "Mã đơn shop",
    "Ngày hoàn tất",
    "Trạng thái",
    "Tiền thu hộ (COD)",
    "Phí dịch vụ",
    "Thực nhận",
)


class GhnApi(Carrier):
    SUCCESS, FAILURE, FAIL_FROM = SUCCESS, FAILURE, "delivering"
    CANCELLED, DELIVERED, RETURNED = "cancel", "delivered", "returned"
    CANCELLABLE = ("ready_to_pick", "picking")
    STATEMENT_COLUMNS = STATEMENT_COLUMNS
    # The simulator's own calls: a shop's callback and statement by its ShopId, a parcel by its code.
    NAME, ACCOUNT_KEY, CODE_KEY, STATUS_KEY = "ghn", "shop_id", "order_code", "status"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.accounts = {}  # token → {shop id: shop}
        self.print_tokens = {}  # print token → order codes
        self.add_account(DEMO_TOKEN, DEMO_SHOPS)

    def add_account(self, token, shops):
        self.accounts[token] = {int(shop["_id"]): {"status": 1, **shop} for shop in shops}

    # ------------------------------------------------------------------ HTTP

    def handle(self, method, path, query, body, headers):
        """``(HTTP status, answer)``: JSON, or ``bytes`` with a third item, its headers."""
        if path.startswith("/a5/public-api/print"):
            return self._print(path.removeprefix("/a5/public-api/print"), query.get("token"))
        route = ROUTES.get(path.removeprefix(API))
        if not route:
            return 404, {"code": 404, "message": f"Not found: {path}", "data": None}
        token = headers.get("token", "")
        if token not in self.accounts:
            return 401, {"code": 401, "message": "Token is not valid!", "data": None}
        handler, needs_shop = route
        shop = None
        if needs_shop:
            shop = (
                self.accounts[token].get(int(headers["shopid"]))
                if str(headers.get("shopid", "")).isdigit()
                else None
            )
            if not shop:
                return refuse("SHOP_NOT_FOUND", "ShopId không hợp lệ hoặc không thuộc token này")
        if not isinstance(body, dict):
            return refuse("USER_ERR_COMMON", "Dữ liệu không hợp lệ")
        return handler(self, token, shop, body)

    # ------------------------------------------------------------------ the API

    def _shops(self, token, _shop, _body):
        shops = list(self.accounts[token].values())
        return ok({"last_offset": shops[-1]["_id"] if shops else 0, "shops": shops})

    def _fee(self, _token, shop, body):
        problem = _parcel_problem(body, "cod_value")
        to_place = _destination(body)
        if not problem and not to_place:
            problem = "TO_DISTRICT_INVALID", "Quận/huyện người nhận không hợp lệ"
        if problem:
            return refuse(*problem)
        from_district = body.get("from_district_id") or shop["district_id"]
        if from_district not in DISTRICTS:
            return refuse("FROM_DISTRICT_INVALID", "Quận/huyện lấy hàng không hợp lệ")
        return ok(_fee(from_district, to_place, body)[0])

    def _create(self, token, shop, body):
        problem = _receiver_problem(body) or _parcel_problem(body, "cod_amount") or _choice_problem(body)
        client_code = body.get("client_order_code") or ""
        if (
            not problem
            and client_code
            and any(
                o["client_code"] == client_code and o["shop_id"] == shop["_id"] for o in self.orders.values()
            )
        ):
            problem = "DUPLICATE_CLIENT_ORDER_CODE", f"Mã đơn hàng {client_code} đã tồn tại"
        if problem:
            return refuse(*problem)
        fee, days = _fee(shop["district_id"], _destination(body), body)
        serial = len(self.orders) + 1
        code = (
            f"G{secrets.choice('ABCDEFGHKLMNPQRTUVXY')}{secrets.choice('ABCDEFGHKLMNPQRTUVXY')}{serial:05d}"
        )
        created = self.clock()
        expected = (vietnam_time(created) + timedelta(days=days)).replace(hour=23, minute=59, second=59)
        parcel = self.book(
            {
                "code": code,
                "serial": serial,
                "shop_id": shop["_id"],
                "token": token,
                "client_code": client_code,
                "request": body,
                "fee": fee["total"],
                "fee_parts": fee,
                "cod": int(body.get("cod_amount") or 0),
                "buyer_pays": body["payment_type_id"] == 2,
                "created": created,
                "expected": expected.isoformat(),
            }
        )
        return ok(
            {
                "order_code": parcel["code"],
                "sort_code": f"{place_number(_destination(body)):03d}-A-01",
                "trans_type": "truck" if fee["total"] > FIRST_3KG_ELSEWHERE else "bike",
                "ward_encode": "",
                "district_encode": "",
                "fee": {
                    "main_service": fee["service_fee"],
                    "insurance": fee["insurance_fee"],
                    "cod_fee": 0,
                    "station_do": 0,
                    "station_pu": 0,
                    "return": 0,
                    "r2s": 0,
                    "coupon": 0,
                },
                "total_fee": fee["total"],
                "expected_delivery_time": parcel["expected"],
            }
        )

    def _detail(self, token, _shop, body):
        parcel = self.orders.get(body.get("order_code"))
        return self._answer_detail(token, parcel)

    def _detail_by_client_code(self, token, _shop, body):
        code = body.get("client_order_code")
        parcel = next(
            (o for o in self.orders.values() if code and o["client_code"] == code and o["token"] == token),
            None,
        )
        return self._answer_detail(token, parcel)

    def _answer_detail(self, token, parcel):
        if not parcel or parcel["token"] != token:
            return refuse("ORDER_NOT_FOUND", "Không tìm thấy đơn hàng")
        return ok(self.detail(parcel))

    def detail(self, parcel):
        body = parcel["request"]
        return {
            "shop_id": parcel["shop_id"],
            "order_code": parcel["code"],
            "client_order_code": parcel["client_code"],
            "status": parcel["status"],
            "to_name": body["to_name"],
            "to_phone": body["to_phone"],
            "to_address": body["to_address"],
            "to_ward_code": body["to_ward_code"],
            "to_district_id": body.get("to_district_id"),
            "weight": body["weight"],
            "length": body.get("length", 0),
            "width": body.get("width", 0),
            "height": body.get("height", 0),
            "converted_weight": _converted_weight(body),
            "service_type_id": body.get("service_type_id", 2),
            "payment_type_id": body["payment_type_id"],
            "cod_amount": parcel["cod"],
            "insurance_value": body.get("insurance_value", 0),
            "required_note": body["required_note"],
            "content": body.get("content", ""),
            "order_date": _iso(parcel["created"]),
            "leadtime": parcel["expected"],
            "updated_date": _iso(parcel["log"][-1][1]),
            "log": [{"status": status, "updated_date": _iso(at)} for status, at in parcel["log"][1:]],
        }

    def _cancel(self, token, shop, body):
        codes = body.get("order_codes")
        if not isinstance(codes, list) or not codes:
            return refuse("USER_ERR_COMMON", "order_codes là danh sách mã đơn hàng")
        results = []
        for code in codes:
            parcel = self.orders.get(code)
            if not parcel or parcel["shop_id"] != shop["_id"]:
                results.append({"order_code": code, "result": False, "message": "Không tìm thấy đơn hàng"})
            elif self.cancel(parcel):
                results.append({"order_code": code, "result": True, "message": "OK"})
            else:
                # Assumption: GHN's wording; what is documented is the per-order result.
                message = f"Đơn hàng ở trạng thái {parcel['status']} không được phép hủy"
                results.append({"order_code": code, "result": False, "message": message})
        return ok(results)

    def _print_token(self, token, _shop, body):
        codes = body.get("order_codes")
        if not isinstance(codes, list) or not codes:
            return refuse("USER_ERR_COMMON", "order_codes là danh sách mã đơn hàng")
        unknown = [c for c in codes if c not in self.orders or self.orders[c]["token"] != token]
        if unknown:
            return refuse("ORDER_NOT_FOUND", f"Không tìm thấy đơn hàng {', '.join(map(str, unknown))}")
        printed = secrets.token_hex(16)
        self.print_tokens[printed] = list(codes)
        return ok({"token": printed})

    def _print(self, kind, token):
        size = {"A5": "A5", "Thermal80x80": "80x80", "Thermal52x70": "52x70"}.get(kind)
        if not size or token not in self.print_tokens:
            return 400, {"code": 400, "message": "Token in không hợp lệ", "data": None}
        lines = []
        for code in self.print_tokens[token]:
            parcel, body = self.orders[code], self.orders[code]["request"]
            lines += [
                f"GHN  {code}",
                f"Ma don shop: {parcel['client_code']}",
                f"Nguoi nhan: {body['to_name']} {body['to_phone']}",
                body["to_address"],
                f"Thu ho (COD): {parcel['cod']:,} VND",
                f"Ghi chu: {body['required_note']}",
                "",
            ]
        return 200, label_pdf(lines, size), {"Content-Type": "application/pdf"}

    # ------------------------------------------------------------------ pushes and statements

    def account_of(self, parcel):
        return parcel["shop_id"]

    def account(self, value):
        return int(value) if str(value).isdigit() else None

    def webhook(self, parcel, status, at):
        body, fee = parcel["request"], parcel["fee_parts"]
        payload = {
            "CODAmount": parcel["cod"],
            "CODTransferDate": None,
            "ClientOrderCode": parcel["client_code"],
            "ConvertedWeight": _converted_weight(body),
            "Description": DESCRIPTIONS.get(status, status),
            "Fee": {
                "CODFee": 0,
                "Coupon": 0,
                "DeliverRemoteAreasFee": 0,
                "DocumentReturn": 0,
                "DoubleCheck": 0,
                "Insurance": fee["insurance_fee"],
                "MainService": fee["service_fee"],
                "PickRemoteAreasFee": 0,
                "R2S": 0,
                "Return": parcel["fee"] // 2 if status in FAILURE[2:] else 0,
                "StationDO": 0,
                "StationPU": 0,
            },
            "Height": body.get("height", 0),
            "IsPartialReturn": False,
            "Length": body.get("length", 0),
            "OrderCode": parcel["code"],
            "PartialReturnCode": "",
            "PaymentType": body["payment_type_id"],
            "Reason": "Khách từ chối nhận hàng" if status == "delivery_fail" else "",
            "ReasonCode": "GHN-DFC1A0" if status == "delivery_fail" else "",
            "ShopID": parcel["shop_id"],
            "Status": status,
            "Time": _iso(at),
            "TotalFee": parcel["fee"],
            "Type": "create" if status == SUCCESS[0] else "switch_status",
            "Warehouse": "",
            "Weight": body["weight"],
            "Width": body.get("width", 0),
        }
        return webhook_body(payload), {"Content-Type": "application/json"}

    def statement_row(self, parcel, finished):
        returned = parcel["status"] in FAILURE
        collected, fees, transferred = money(parcel, returned)
        when = vietnam_time(finished).strftime("%d/%m/%Y %H:%M")
        return (parcel["code"], parcel["client_code"], when, parcel["status"], collected, fees, transferred)


# ---------------------------------------------------------------------- checks and figures


def _receiver_problem(body):
    for name in ("to_name", "to_address"):
        if not str(body.get(name) or "").strip():
            return "USER_ERR_COMMON", f"{name} là bắt buộc"
    if not phone_ok(body.get("to_phone")):
        return "PHONE_INVALID", "Số điện thoại người nhận không hợp lệ"
    if body.get("to_district_id") is None:  # the 2025 form: the ward alone
        if body.get("to_ward_code") not in WARDS_2025:
            return "TO_WARD_INVALID", "Phường/xã người nhận không hợp lệ"
        return None
    district = DISTRICTS.get(body.get("to_district_id"))
    if not district:
        return "TO_DISTRICT_INVALID", "Quận/huyện người nhận không hợp lệ"
    if body.get("to_ward_code") not in district[2]:
        return "TO_WARD_INVALID", "Phường/xã người nhận không thuộc quận/huyện"
    return None


def _destination(body):
    """Where the parcel goes: its GHN district, or its ward of the 2025 map; None if unknown."""
    if body.get("to_district_id") is None:
        return body.get("to_ward_code") if body.get("to_ward_code") in WARDS_2025 else None
    return body["to_district_id"] if body["to_district_id"] in DISTRICTS else None


def _parcel_problem(body, cod_name):
    weight = body.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or not 0 < weight <= MAX_WEIGHT:
        return "WEIGHT_INVALID", f"weight (gram) phải từ 1 đến {MAX_WEIGHT}"
    for side in ("length", "width", "height"):
        value = body.get(side, 0)
        if not isinstance(value, int) or not 0 <= value <= MAX_SIDE:
            return "SIZE_INVALID", f"{side} (cm) phải từ 0 đến {MAX_SIDE}"
    cod = body.get(cod_name, 0)
    if not isinstance(cod, int) or not 0 <= cod <= MAX_COD:
        return "COD_AMOUNT_INVALID", f"Tiền thu hộ tối đa {MAX_COD:,} đ"
    insurance = body.get("insurance_value", 0)
    if not isinstance(insurance, int) or not 0 <= insurance <= MAX_INSURANCE:
        return "INSURANCE_VALUE_INVALID", f"Giá trị khai giá tối đa {MAX_INSURANCE:,} đ"
    return None


def _choice_problem(body):
    if body.get("payment_type_id") not in (1, 2):
        return "PAYMENT_TYPE_INVALID", "payment_type_id: 1 (người bán trả phí) hoặc 2 (người mua trả phí)"
    if body.get("required_note") not in REQUIRED_NOTES:
        return "REQUIRED_NOTE_INVALID", f"required_note: {', '.join(REQUIRED_NOTES)}"
    if body.get("service_type_id", 2) not in (2, 5):
        return "SERVICE_TYPE_INVALID", "service_type_id: 2 (hàng nhẹ) hoặc 5 (hàng nặng)"
    return None


def _converted_weight(body):
    """Grams charged: the real weight, or the volume's (cm³ / 5000, in kg) when larger."""
    volume = body.get("length", 0) * body.get("width", 0) * body.get("height", 0) // 5
    return max(body["weight"], volume)


def _fee(from_district, to_district, body):
    """GHN's fee answer (the parts of ``shipping-order/fee``) and the lead time in days."""
    area = zone(from_district, to_district)
    extra = max(0, -(-(_converted_weight(body) - 3000) // 500))
    service = FIRST_3KG.get(area, FIRST_3KG_ELSEWHERE) + extra * PER_500G
    insurance = int(body.get("insurance_value") or 0) * 5 // 1000
    parts = {
        "total": service + insurance,
        "service_fee": service,
        "insurance_fee": insurance,
        "pick_station_fee": 0,
        "coupon_value": 0,
        "r2s_fee": 0,
        "return_again": 0,
        "document_return": 0,
        "double_check": 0,
        "cod_fee": 0,
        "pick_remote_areas_fee": 0,
        "deliver_remote_areas_fee": 0,
        "cod_failed_fee": 0,
    }
    return parts, LEADTIME_DAYS.get(area, LEADTIME_ELSEWHERE)


def _iso(seconds):
    return vietnam_time(seconds).isoformat()


def ok(data):
    return 200, {"code": 200, "message": "Success", "data": data}


def refuse(code_message, message):
    return 400, {"code": 400, "message": message, "data": None, "code_message": code_message}


ROUTES = {  # path under /shiip/public-api → (handler, whether the ShopId header is needed)
    "/v2/shop/all": (GhnApi._shops, False),
    "/v2/shipping-order/fee": (GhnApi._fee, True),
    "/v2/shipping-order/create": (GhnApi._create, True),
    "/v2/shipping-order/detail": (GhnApi._detail, False),
    "/v2/shipping-order/detail-by-client-code": (GhnApi._detail_by_client_code, False),
    "/v2/switch-status/cancel": (GhnApi._cancel, True),
    "/v2/a5/gen-token": (GhnApi._print_token, False),
}
