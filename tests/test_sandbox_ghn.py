"""The simulated GHN answers as GHN's public API documents it: the token and ShopId headers, the
fee, a waybill with its refusals, its detail, cancel before pickup only, the print token and the
labels, the callback on each status change, and the period's COD statement."""

import csv
import io
import json
import queue

import pytest
import requests
from PyPDF2 import PdfReader

from sandbox.ghn import DEMO_SHOPS, DEMO_TOKEN

SHOP = DEMO_SHOPS[0]["_id"]  # its warehouse is in district 1442 (Quận 1, Hồ Chí Minh)


def call(simulator, path, body, token=DEMO_TOKEN, shop=SHOP):
    headers = {"Token": token, **({"ShopId": str(shop)} if shop else {})}
    return requests.post(
        f"{simulator.url}/ghn/shiip/public-api/v2/{path}", json=body, headers=headers, timeout=10
    )


def waybill(**changes):
    return {
        "payment_type_id": 2,
        "required_note": "CHOXEMHANGKHONGTHU",
        "client_order_code": "SO001",
        "to_name": "Nguyễn Văn An",
        "to_phone": "0912345678",
        "to_address": "72 Lê Thánh Tôn",
        "to_ward_code": "20108",
        "to_district_id": 1442,
        "cod_amount": 350_000,
        "weight": 1200,
        "length": 20,
        "width": 15,
        "height": 10,
        "insurance_value": 0,
        "service_type_id": 2,
        "items": [{"name": "Áo thun", "quantity": 1, "weight": 1200}],
        **changes,
    }


def create(simulator, **changes):
    answer = call(simulator, "shipping-order/create", waybill(**changes))
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def step(simulator, order_code, status=None):
    body = {"order_code": order_code, **({"status": status} if status else {})}
    return requests.post(f"{simulator.url}/_sandbox/ghn/step", json=body, timeout=10)


def callbacks(receiver, count):
    return [json.loads(receiver.posts.get(timeout=10)[2]) for _ in range(count)]


def test_token_and_shop_are_checked(simulator):
    answer = call(simulator, "shop/all", {}, token="wrong", shop=None)
    assert answer.status_code == 401 and answer.json()["code"] == 401
    shops = call(simulator, "shop/all", {}, shop=None).json()["data"]["shops"]
    assert [shop["_id"] for shop in shops] == [shop["_id"] for shop in DEMO_SHOPS]
    answer = call(simulator, "shipping-order/create", waybill(), shop=999)
    assert answer.status_code == 400 and answer.json()["code_message"] == "SHOP_NOT_FOUND"
    assert call(simulator, "shipping-order/create", waybill(), shop=None).status_code == 400
    # A token of another account does not reach this account's shops.
    requests.post(
        f"{simulator.url}/_sandbox/ghn/accounts",
        json={"token": "other", "shops": [{**DEMO_SHOPS[1], "_id": 777}]},
        timeout=10,
    )
    assert call(simulator, "shipping-order/create", waybill(), token="other").status_code == 400
    assert call(simulator, "shipping-order/create", waybill(), token="other", shop=777).status_code == 200


def test_fee_by_zone_weight_and_insurance(simulator):
    def fee(**body):
        answer = call(simulator, "shipping-order/fee", {"weight": 1000, "to_ward_code": "20108", **body})
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]

    same_district, same_province = fee(to_district_id=1442), fee(to_district_id=1444)
    elsewhere = fee(to_district_id=1484, to_ward_code="1A0101")
    assert same_district["total"] < same_province["total"] < elsewhere["total"]
    assert fee(to_district_id=1442) == same_district, "the same parcel, the same fee"
    heavier = fee(to_district_id=1442, weight=4000)
    assert heavier["service_fee"] == same_district["service_fee"] + 2 * 5_000, "each 500 g above 3 kg"
    bulky = fee(to_district_id=1442, weight=500, length=50, width=40, height=30)  # 12 kg by volume
    assert bulky["service_fee"] > heavier["service_fee"]
    insured = fee(to_district_id=1442, insurance_value=2_000_000)
    assert insured["insurance_fee"] == 10_000 and insured["total"] == same_district["total"] + 10_000
    assert set(same_district) >= {"total", "service_fee", "insurance_fee", "cod_fee", "r2s_fee"}
    answer = call(simulator, "shipping-order/fee", {"weight": 1000, "to_district_id": 9999})
    assert answer.status_code == 400 and answer.json()["code_message"] == "TO_DISTRICT_INVALID"
    answer = call(
        simulator, "shipping-order/fee", {"weight": 1000, "to_district_id": 1442, "from_district_id": 7}
    )
    assert answer.status_code == 400 and answer.json()["code_message"] == "FROM_DISTRICT_INVALID"


def test_create_answers_the_waybill_and_refuses_what_ghn_refuses(simulator):
    order = create(simulator)
    assert order["order_code"] and order["expected_delivery_time"].startswith("20")
    fee = call(simulator, "shipping-order/fee", waybill()).json()["data"]
    assert order["total_fee"] == fee["total"] and order["fee"]["main_service"] == fee["service_fee"]
    refusals = {
        "PHONE_INVALID": waybill(client_order_code="A1", to_phone=""),
        "TO_WARD_INVALID": waybill(client_order_code="A2", to_ward_code="1A0101"),
        "TO_DISTRICT_INVALID": waybill(client_order_code="A3", to_district_id=1),
        "COD_AMOUNT_INVALID": waybill(client_order_code="A4", cod_amount=50_000_001),
        "WEIGHT_INVALID": waybill(client_order_code="A5", weight=50_001),
        "SIZE_INVALID": waybill(client_order_code="A6", length=201),
        "INSURANCE_VALUE_INVALID": waybill(client_order_code="A7", insurance_value=5_000_001),
        "PAYMENT_TYPE_INVALID": waybill(client_order_code="A8", payment_type_id=3),
        "REQUIRED_NOTE_INVALID": waybill(client_order_code="A9", required_note="ANY"),
        "DUPLICATE_CLIENT_ORDER_CODE": waybill(),
        "USER_ERR_COMMON": waybill(client_order_code="A10", to_name=" "),
    }
    for code_message, body in refusals.items():
        answer = call(simulator, "shipping-order/create", body)
        assert answer.status_code == 400, code_message
        assert answer.json()["code_message"] == code_message and answer.json()["data"] is None
    assert len(simulator.ghn.orders) == 1, "nothing refused was booked"
    assert create(simulator, client_order_code="A4", cod_amount=50_000_000)["order_code"]


def test_detail_by_order_code_and_by_client_code(simulator):
    order = create(simulator)
    detail = call(simulator, "shipping-order/detail", {"order_code": order["order_code"]}, shop=None).json()[
        "data"
    ]
    assert (detail["status"], detail["client_order_code"], detail["cod_amount"]) == (
        "ready_to_pick",
        "SO001",
        350_000,
    )
    by_client = call(
        simulator, "shipping-order/detail-by-client-code", {"client_order_code": "SO001"}, shop=None
    )
    assert by_client.json()["data"]["order_code"] == order["order_code"]
    step(simulator, order["order_code"], "picked")
    detail = call(simulator, "shipping-order/detail", {"order_code": order["order_code"]}, shop=None).json()[
        "data"
    ]
    assert detail["status"] == "picked" and [entry["status"] for entry in detail["log"]] == [
        "picking",
        "picked",
    ]
    missing = call(simulator, "shipping-order/detail", {"order_code": "NOPE"}, shop=None)
    assert missing.status_code == 400 and missing.json()["code_message"] == "ORDER_NOT_FOUND"


def test_cancel_only_before_pickup(simulator, receiver):
    requests.post(
        f"{simulator.url}/_sandbox/ghn/callback", json={"shop_id": SHOP, "url": receiver.url}, timeout=10
    )
    waiting = create(simulator, client_order_code="C1")["order_code"]
    picking = create(simulator, client_order_code="C2")["order_code"]
    picked = create(simulator, client_order_code="C3")["order_code"]
    step(simulator, picking)
    step(simulator, picked, "picked")
    answer = call(simulator, "switch-status/cancel", {"order_codes": [waiting, picking, picked, "NOPE"]})
    results = {row["order_code"]: row["result"] for row in answer.json()["data"]}
    assert results == {waiting: True, picking: True, picked: False, "NOPE": False}
    assert simulator.ghn.orders[picked]["status"] == "picked"
    pushed = [(body["OrderCode"], body["Status"], body["Type"]) for body in callbacks(receiver, 8)]
    assert pushed[:3] == [(code, "ready_to_pick", "create") for code in (waiting, picking, picked)]
    assert (waiting, "cancel", "switch_status") in pushed and (picking, "cancel", "switch_status") in pushed
    assert (picked, "cancel", "switch_status") not in pushed


def test_print_token_and_labels(simulator):
    code = create(simulator)["order_code"]
    answer = call(simulator, "a5/gen-token", {"order_codes": [code]}, shop=None)
    token = answer.json()["data"]["token"]
    for page, size in (("printA5", (420, 595)), ("printThermal80x80", (227, 227))):
        label = requests.get(f"{simulator.url}/ghn/a5/public-api/{page}", params={"token": token}, timeout=10)
        assert label.status_code == 200 and label.headers["Content-Type"] == "application/pdf"
        pdf = PdfReader(io.BytesIO(label.content)).pages[0]
        assert (round(pdf.mediabox.width), round(pdf.mediabox.height)) == size
        assert code in pdf.extract_text()
    assert requests.get(f"{simulator.url}/ghn/a5/public-api/printA5?token=bad", timeout=10).status_code == 400
    unknown = call(simulator, "a5/gen-token", {"order_codes": ["NOPE"]}, shop=None)
    assert unknown.status_code == 400


def test_each_status_is_pushed_in_order_to_the_shops_callback(simulator, receiver):
    requests.post(
        f"{simulator.url}/_sandbox/ghn/callback", json={"shop_id": SHOP, "url": receiver.url}, timeout=10
    )
    delivered = create(simulator, client_order_code="D1")["order_code"]
    refused = create(simulator, client_order_code="D2")["order_code"]
    assert step(simulator, delivered).json()["statuses"] == ["picking"]
    assert step(simulator, delivered, "delivered").json()["statuses"] == [
        "picked",
        "transporting",
        "delivering",
        "delivered",
    ]
    passed = step(simulator, refused, "returned").json()["statuses"]
    assert passed[-5:] == ["delivering", "delivery_fail", "waiting_to_return", "return", "returned"]
    assert step(simulator, delivered, "picked").status_code == 400, "not ahead of the parcel"
    assert step(simulator, delivered).status_code == 400, "delivered: the end of its way"
    pushed = callbacks(receiver, 2 + 5 + len(passed))
    mine = [body["Status"] for body in pushed if body["OrderCode"] == delivered]
    assert mine == ["ready_to_pick", "picking", "picked", "transporting", "delivering", "delivered"]
    fail = next(body for body in pushed if body["Status"] == "delivery_fail")
    assert fail["Reason"] and fail["ShopID"] == SHOP and fail["CODAmount"] == 350_000
    assert {"Fee", "TotalFee", "ClientOrderCode", "Time", "Weight"} <= set(fail)
    # The other shop of the account has no callback URL: nothing is pushed for its parcels.
    other = call(
        simulator, "shipping-order/create", waybill(client_order_code="D3"), shop=DEMO_SHOPS[1]["_id"]
    )
    step(simulator, other.json()["data"]["order_code"])
    with pytest.raises(queue.Empty):
        receiver.posts.get(timeout=1)


def test_a_push_nobody_takes_never_fails_the_call(simulator):
    requests.post(
        f"{simulator.url}/_sandbox/ghn/callback",
        json={"shop_id": SHOP, "url": "http://127.0.0.1:9/x"},
        timeout=10,
    )
    code = create(simulator)["order_code"]
    assert step(simulator, code).status_code == 200


def test_cod_statement_of_the_period(simulator):
    delivered = create(simulator, client_order_code="S1", payment_type_id=1)
    buyer_pays = create(simulator, client_order_code="S2", payment_type_id=2, cod_amount=100_000)
    returned = create(simulator, client_order_code="S3")
    create(simulator, client_order_code="S4")  # still on its way: not on the statement
    step(simulator, delivered["order_code"], "delivered")
    step(simulator, buyer_pays["order_code"], "delivered")
    step(simulator, returned["order_code"], "returned")
    answer = requests.get(
        f"{simulator.url}/_sandbox/ghn/cod-statement",
        params={"shop_id": SHOP, "from": "2000-01-01", "to": "2999-12-31"},
        timeout=10,
    )
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    by_code = {row["Mã đơn shop"]: row for row in rows}
    assert set(by_code) == {"S1", "S2", "S3"}
    fee = delivered["total_fee"]
    assert (by_code["S1"]["Tiền thu hộ (COD)"], by_code["S1"]["Phí dịch vụ"]) == ("350000", str(fee))
    assert by_code["S1"]["Thực nhận"] == str(350_000 - fee)
    assert by_code["S2"]["Tiền thu hộ (COD)"] == str(100_000 + fee), "the buyer paid the fee with the COD"
    assert by_code["S3"]["Tiền thu hộ (COD)"] == "0" and int(by_code["S3"]["Thực nhận"]) < 0
    earlier = requests.get(
        f"{simulator.url}/_sandbox/ghn/cod-statement",
        params={"shop_id": SHOP, "from": "2000-01-01", "to": "2000-01-31"},
        timeout=10,
    )
    assert len(list(csv.reader(io.StringIO(earlier.content.decode("utf-8-sig"))))) == 1, "the header only"
    bad = requests.get(
        f"{simulator.url}/_sandbox/ghn/cod-statement", params={"shop_id": SHOP, "from": "May"}, timeout=10
    )
    assert bad.status_code == 400


def test_demo_ticks_move_parcels_on(simulator):
    codes = [create(simulator, client_order_code=f"T{n}")["order_code"] for n in range(4)]
    for _ in range(40):
        simulator.ghn.tick()
    statuses = {simulator.ghn.orders[code]["status"] for code in codes}
    assert statuses <= {"delivered", "returned"} and "delivered" in statuses


def test_address_of_the_2025_map_without_district(simulator):
    # The ward of the 2025 map alone (no district): priced by province, from Quận 1 to Hà Nội.
    placed = create(simulator, client_order_code="SO-2025", to_district_id=None, to_ward_code="00004")
    assert placed["total_fee"] == 30_000
    answer = call(
        simulator,
        "shipping-order/create",
        waybill(client_order_code="SO-2026", to_district_id=None, to_ward_code="99999"),
    )
    assert answer.status_code == 400 and answer.json()["code_message"] == "TO_WARD_INVALID"
