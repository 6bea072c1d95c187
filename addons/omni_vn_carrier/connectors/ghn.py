"""GHN (Giao Hàng Nhanh), its public API (api.ghn.vn): the fee, a waybill, its cancellation before
pickup, the label (a print token, then the A5 label), the status callback, the COD statement file.

An address of the 2025 map is sent as its ward code alone (no district). The shipping fee is the
shop's (``payment_type_id`` 1): the buyer pays it with the order, collected in the COD amount.
"""

import json

from .base import CarrierAdapter, CarrierError, Push, utc_time

API = "/shiip/public-api/v2"
# What the buyer may do at the door: see the goods, not try them (GHN's "CHOXEMHANGKHONGTHU").
REQUIRED_NOTE = "CHOXEMHANGKHONGTHU"
SELLER_PAYS = 1
STANDARD_SERVICE = 2


class GhnAdapter(CarrierAdapter):
    CODE, NAME = "ghn", "GHN"
    PRODUCTION_URL = "https://online-gateway.ghn.vn/"
    TRACKING_URL = "https://donhang.ghn.vn/?order_code=%s"
    STATUSES = {
        "ready_to_pick": "booked",
        "picking": "booked",
        "picked": "picked_up",
        "storing": "in_transit",
        "transporting": "in_transit",
        "sorting": "in_transit",
        "delivering": "in_transit",
        "delivered": "delivered",
        "delivery_fail": "failed_attempt",
        "waiting_to_return": "failed_attempt",
        "return": "returning",
        "return_transporting": "returning",
        "returned": "returned",
        "cancel": "cancelled",
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

    def _call(self, path, body, shop=True):
        headers = {"Token": self.token, **({"ShopId": str(self.shop)} if shop else {})}
        response = self._request("POST", f"{API}/{path}", json=body, headers=headers)
        try:
            answer = response.json()
        except ValueError as error:
            raise CarrierError(f"GHN answered HTTP {response.status_code} without JSON") from error
        if not response.ok or answer.get("code") != 200:
            raise CarrierError(f"GHN: {answer.get('message') or response.status_code}")
        return answer["data"]

    def fee(self, parcel):
        data = self._call("shipping-order/fee", {**self._where(parcel), "cod_value": parcel.cod})
        return data["total"]

    def book(self, parcel):
        """``{"waybill", "fee"}`` of the waybill booked for ``parcel``."""
        body = {
            **self._where(parcel),
            "payment_type_id": SELLER_PAYS,
            "required_note": REQUIRED_NOTE,
            "client_order_code": parcel.reference,
            "to_name": parcel.name,
            "to_phone": parcel.phone,
            "to_address": ", ".join(part for part in (parcel.street, parcel.ward, parcel.province) if part),
            "cod_amount": parcel.cod,
            "content": parcel.note,
            "items": [
                {"name": name, "quantity": int(qty), "weight": grams} for name, qty, grams in parcel.items
            ],
        }
        data = self._call("shipping-order/create", body)
        return {"waybill": data["order_code"], "fee": data["total_fee"]}

    def cancel(self, waybill):
        result = self._call("switch-status/cancel", {"order_codes": [waybill]})[0]
        if not result["result"]:
            raise CarrierError(f"GHN: {result['message']}")

    def track(self, waybill):
        """The parcel's current status as a ``Push``, from its order detail; and the detail (JSON)."""
        data = self._call("shipping-order/detail", {"order_code": waybill}, shop=False)
        push = Push(
            waybill=data["order_code"],
            status=self.status_of(data["status"]),
            carrier_status=data["status"],
            at=utc_time(data["updated_date"]),
            reference=data.get("client_order_code") or "",
        )
        return push, json.dumps(data, ensure_ascii=False)

    def label(self, waybill):
        printed = self._call("a5/gen-token", {"order_codes": [waybill]}, shop=False)["token"]
        response = self._request("GET", "/a5/public-api/printA5", params={"token": printed})
        if not response.ok:
            raise CarrierError(f"GHN did not print the label of {waybill} (HTTP {response.status_code})")
        return response.content

    @classmethod
    def read_push(cls, body, _content_type):
        """The callback GHN posts (JSON), one status change."""
        try:
            data = json.loads(body)
            return Push(
                waybill=data["OrderCode"],
                status=cls.status_of(data["Status"]),
                carrier_status=data["Status"],
                at=utc_time(data["Time"]),
                reason=data.get("Reason") or "",
                reference=data.get("ClientOrderCode") or "",
            )
        except (ValueError, KeyError, TypeError) as error:
            raise CarrierError(f"Not a GHN status callback: {error}") from error

    def _where(self, parcel):
        return {
            "service_type_id": STANDARD_SERVICE,
            "to_ward_code": parcel.ward_code,
            "weight": parcel.weight,
            "length": parcel.length,
            "width": parcel.width,
            "height": parcel.height,
            "insurance_value": 0,
        }
