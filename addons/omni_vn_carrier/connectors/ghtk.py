"""GHTK (Giao Hàng Tiết Kiệm), its public API (docs.giaohangtietkiem.vn): the fee, an order (its label
is the waybill), its cancellation before pickup, the label PDF, the form-encoded webhook, the COD
statement file.

The parcel leaves from the shop's registered pickup address (``pick_address_id``); an address of the
2025 map is sent as province and ward (no district). The shipping fee is the shop's (``is_freeship``
1): the buyer pays it with the order, collected in the COD amount.
"""

import json
from urllib.parse import parse_qs

from .base import CarrierAdapter, CarrierError, Push, utc_time

VIETNAM_OFFSET = "+07:00"


class GhtkAdapter(CarrierAdapter):
    CODE, NAME = "ghtk", "GHTK"
    PRODUCTION_URL = "https://services.giaohangtietkiem.vn/"
    TRACKING_URL = "https://i.ghtk.vn/%s"
    STATUSES = {
        "1": "booked",
        "2": "booked",
        "12": "booked",
        "3": "picked_up",
        "4": "in_transit",
        "10": "in_transit",
        "5": "delivered",
        "6": "delivered",
        "9": "failed_attempt",
        "20": "returning",
        "21": "returned",
        "11": "returned",
        "-1": "cancelled",
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

    def _call(self, method, path, **options):
        response = self._request(method, f"/services/{path}", headers={"Token": self.token}, **options)
        try:
            answer = response.json()
        except ValueError as error:
            raise CarrierError(f"GHTK answered HTTP {response.status_code} without JSON") from error
        if not response.ok or not answer.get("success"):
            raise CarrierError(f"GHTK: {answer.get('message') or response.status_code}")
        return answer

    def fee(self, parcel):
        params = {
            "pick_address_id": self.shop,
            "province": parcel.province,
            "ward": parcel.ward,
            "address": parcel.street,
            "weight": parcel.weight,
            "value": parcel.value,
        }
        fee = self._call("GET", "shipment/fee", params=params)["fee"]
        return int(fee["fee"]) + int(fee["insurance_fee"])

    def book(self, parcel):
        """``{"waybill", "fee"}`` of the order booked for ``parcel``."""
        order = {
            "id": parcel.reference,
            "pick_address_id": self.shop,
            "tel": parcel.phone,
            "name": parcel.name,
            "address": parcel.street,
            "province": parcel.province,
            "ward": parcel.ward,
            "hamlet": "Khác",
            "is_freeship": "1",
            "pick_money": parcel.cod,
            "value": parcel.value,
            "note": parcel.note,
            "total_weight": parcel.weight / 1000,
            "transport": "road",
        }
        products = [
            {"name": name, "quantity": int(qty), "weight": grams / 1000} for name, qty, grams in parcel.items
        ]
        answer = self._call("POST", "shipment/order/?ver=1.5", json={"products": products, "order": order})
        placed = answer["order"]
        return {"waybill": placed["label"], "fee": int(placed["fee"]) + int(placed["insurance_fee"])}

    def cancel(self, waybill):
        self._call("POST", f"shipment/cancel/{waybill}")

    def track(self, waybill):
        """The parcel's current status as a ``Push``, from its status call; and the answer (JSON)."""
        order = self._call("GET", f"shipment/v2/{waybill}")["order"]
        push = Push(
            waybill=order["label_id"],
            status=self.status_of(order["status"]),
            carrier_status=str(order["status"]),
            # GHTK tells this time in Vietnam's, without an offset.
            at=utc_time(order["modified"].replace(" ", "T") + VIETNAM_OFFSET),
            reference=order.get("partner_id") or "",
        )
        return push, json.dumps(order, ensure_ascii=False)

    def label(self, waybill):
        response = self._request(
            "GET", f"/services/label/{waybill}", params={"page_size": "A6"}, headers={"Token": self.token}
        )
        if not response.ok or not response.content.startswith(b"%PDF"):
            raise CarrierError(f"GHTK did not print the label of {waybill} (HTTP {response.status_code})")
        return response.content

    @classmethod
    def read_push(cls, body, _content_type):
        """The webhook GHTK posts (form-encoded), one status change."""
        try:
            form = {
                key: values[0]
                for key, values in parse_qs(
                    body.decode(), keep_blank_values=True, strict_parsing=True
                ).items()
            }
            return Push(
                waybill=form["label_id"],
                status=cls.status_of(form["status_id"]),
                carrier_status=form["status_id"],
                at=utc_time(form["action_time"]),
                reason=form.get("reason", ""),
                reference=form.get("partner_id", ""),
            )
        except (ValueError, KeyError, UnicodeDecodeError) as error:
            raise CarrierError(f"Not a GHTK webhook: {error}") from error
