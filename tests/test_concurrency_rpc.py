"""16 integrators' programs re-deliver the same orders at once, with changing statuses, on a handful
of products, against the server `make test` starts with workers, as production runs: every call is
answered, each order is one sale order with its last status, and the server logs no error."""

import os
import threading
import time
import uuid
import xmlrpc.client

import pytest
from conftest import new_vnd_pricelist

CALLERS = 16
ORDERS = 6
# Each round is a status every caller sends for every order, later rounds with a later update time.
ROUNDS = ("unpaid", "ready_to_ship", "shipped", "completed")
CANCELLED_EVERY = 4  # every 4th order is cancelled instead of shipped
SKUS = ("CONC-HOT-1", "CONC-HOT-2", "CONC-3", "CONC-4")


def order(external_id, status, round_index, skus):
    return {
        "external_id": external_id,
        "status": status,
        "updated_at": f"2026-11-20T0{round_index}:00:00Z",
        "currency": "VND",
        "customer": {"buyer_id": f"buyer-{external_id}", "name": "Phạm Thị Dung"},
        "shipping_address": {"street": "12 Lê Lợi", "district": "Quận 1", "province": "Hồ Chí Minh"},
        "lines": [{"sku": sku, "quantity": 1, "unit_price": 100000} for sku in skus],
        "payment_method": "prepaid",
    }


def status_of(index, round_index):
    status = ROUNDS[round_index]
    if index % CANCELLED_EVERY == 0 and status != "unpaid":
        return "cancelled"
    return status


@pytest.fixture(scope="module")
def hot_channel(admin):
    """A VND channel selling from the main warehouse, and stocked products, two of them in every order."""
    code = f"conc-{uuid.uuid4().hex[:6]}"
    pricelist = new_vnd_pricelist(admin, f"VND {code}")
    (warehouse,) = admin.env["stock.warehouse"].search([], limit=1)
    admin.env["omni.channel"].create(
        {
            "name": "Busy partner system",
            "code": code,
            "channel_type": "api",
            "pricelist_id": pricelist,
            "warehouse_ids": [(6, 0, [warehouse])],
        }
    )
    stock_location = admin.env["stock.warehouse"].read([warehouse], ["lot_stock_id"])[0]["lot_stock_id"][0]
    Product = admin.env["product.product"]
    for sku in SKUS:
        if Product.search([("default_code", "=", sku)]):
            continue
        product = Product.create(
            {"name": sku, "default_code": sku, "list_price": 100000, "is_storable": True}
        )
        quant = admin.execute_kw(
            "stock.quant",
            "create",
            [{"product_id": product, "location_id": stock_location, "inventory_quantity": 10000}],
            {"context": {"inventory_mode": True}},
        )
        admin.execute_kw("stock.quant", "action_apply_inventory", [[quant]])
    return code


def server_log_errors(offset):
    """ERROR and CRITICAL lines the server logged after ``offset`` (bytes into its log)."""
    with open(os.environ["OMNI_SERVER_LOG"], "rb") as log:
        log.seek(offset)
        lines = log.read().decode(errors="replace").splitlines()
    return [line for line in lines if " ERROR " in line or " CRITICAL " in line]


def test_concurrent_redeliveries_are_all_answered(server, integrator, hot_channel):
    log_path = os.environ.get("OMNI_SERVER_LOG")
    if not log_path:
        pytest.fail("OMNI_SERVER_LOG is not set: run these tests through `make test`.")
    log_offset = os.path.getsize(log_path)
    prefix = f"CONC-{uuid.uuid4().hex[:6]}"
    refs = [f"{prefix}-{index}" for index in range(ORDERS)]
    # Every order holds the two hot products, and one of the others.
    skus = {ref: (SKUS[0], SKUS[1], SKUS[2 + index % 2]) for index, ref in enumerate(refs)}
    barrier = threading.Barrier(CALLERS)
    failures, answers = [], []

    def caller(number):
        client = xmlrpc.client.ServerProxy(f"{server['url']}/xmlrpc/2/object", allow_none=True)
        for round_index in range(len(ROUNDS)):
            # Each caller sends the orders in its own order, some alone, some in pairs.
            shifted = refs[number % ORDERS :] + refs[: number % ORDERS]
            batches = [shifted[i : i + 1 + number % 2] for i in range(0, ORDERS, 1 + number % 2)]
            barrier.wait(timeout=120)
            for batch in batches:
                payload = [
                    order(ref, status_of(refs.index(ref), round_index), round_index, skus[ref])
                    for ref in batch
                ]
                try:
                    results = client.execute_kw(
                        integrator.db,
                        integrator.uid,
                        integrator.key,
                        "omni.channel",
                        "api_ingest_orders",
                        [hot_channel, payload],
                    )
                except (xmlrpc.client.Error, OSError) as error:
                    failures.append(f"{batch}: {error}")
                    continue
                answers.extend(results)

    started = time.monotonic()
    threads = [threading.Thread(target=caller, args=(number,)) for number in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started
    calls = len(answers) + len(failures)
    queued = sum(answer["status"] == "queued" for answer in answers)
    print(f"{calls} calls in {elapsed:.1f} s, {len(failures)} failed, {queued} orders queued")

    assert not failures, failures[:5]
    bad = [answer for answer in answers if answer["status"] in ("failed", "needs_attention")]
    assert not bad, bad[:5]
    expected = {
        ref: ("cancelled", "cancel") if index % CANCELLED_EVERY == 0 else ("completed", "sale")
        for index, ref in enumerate(refs)
    }
    # An update another transaction held back is answered "queued" and imported by a job soon after.
    deadline = time.monotonic() + 90
    while True:
        sales = integrator.call("omni.channel", "api_get_orders", hot_channel, refs)
        final = {sale["external_id"]: (sale["channel_status"], sale["state"]) for sale in sales}
        if final == expected or time.monotonic() > deadline:
            break
        time.sleep(2)
    print(f"final statuses after {time.monotonic() - started - elapsed:.1f} s more")
    assert sorted(sale["external_id"] for sale in sales) == sorted(refs), "one sale order per order"
    assert final == expected
    assert not server_log_errors(log_offset)
