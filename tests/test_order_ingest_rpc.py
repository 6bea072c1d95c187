"""An integrator sends orders over XML-RPC and reads back the sale orders they became."""

import threading
import uuid
import xmlrpc.client

import pytest
from conftest import new_vnd_pricelist


def order(external_id, status="unpaid", **values):
    return {
        "external_id": external_id,
        "status": status,
        "updated_at": "2026-11-20T07:00:00Z",
        "currency": "VND",
        "customer": {"buyer_id": "b-1", "name": "Lê Văn Cường", "email": f"{external_id.lower()}@example.vn"},
        "shipping_address": {"street": "5 Nguyễn Huệ", "district": "Quận 1", "province": "Hồ Chí Minh"},
        "lines": [
            {"sku": "RPC-TEE", "quantity": 2, "unit_price": 150000},
            {"sku": "RPC-CAP", "quantity": 1, "unit_price": 90000, "seller_discount": 10000},
        ],
        "shipping_fee": 25000,
        "payment_method": "prepaid",
        **values,
    }


@pytest.fixture(scope="module")
def channel_code(admin):
    """A VND channel for the partner system, and the products it sells."""
    code = f"rpc-{uuid.uuid4().hex[:6]}"
    pricelist = new_vnd_pricelist(admin, f"VND {code}")
    admin.env["omni.channel"].create(
        {"name": "Partner system", "code": code, "channel_type": "api", "pricelist_id": pricelist}
    )
    for sku, name in (("RPC-TEE", "Áo thun"), ("RPC-CAP", "Mũ")):
        if not admin.env["product.product"].search([("default_code", "=", sku)]):
            admin.env["product.product"].create({"name": name, "default_code": sku, "list_price": 1})
    return code


def test_ingest_and_read_back(integrator, channel_code):
    ref = f"RPC-{uuid.uuid4().hex[:8]}"
    (result,) = integrator.call("omni.channel", "api_ingest_orders", channel_code, [order(ref)])
    assert result["status"] == "created", result
    (sale,) = integrator.call("omni.channel", "api_get_orders", channel_code, [ref])
    assert sale["sale_order_id"] == result["sale_order_id"]
    assert (sale["state"], sale["channel_status"], sale["currency"]) == ("draft", "unpaid", "VND")
    assert sale["amount_untaxed"] == 2 * 150000 + 90000 + 25000 - 10000
    assert {line["sku"] for line in sale["lines"]} >= {"RPC-TEE", "RPC-CAP"}


def test_retry_and_status_update_keep_one_order(integrator, channel_code):
    ref = f"RPC-{uuid.uuid4().hex[:8]}"
    first = integrator.call("omni.channel", "api_ingest_orders", channel_code, [order(ref)])
    retry = integrator.call("omni.channel", "api_ingest_orders", channel_code, [order(ref)])
    update = integrator.call(
        "omni.channel",
        "api_ingest_orders",
        channel_code,
        [order(ref, status="ready_to_ship", updated_at="2026-11-20T09:00:00Z")],
    )
    assert [r[0]["status"] for r in (first, retry, update)] == ["created", "duplicate", "updated"]
    assert len({r[0]["sale_order_id"] for r in (first, retry, update)}) == 1
    (sale,) = integrator.call("omni.channel", "api_get_orders", channel_code, [ref])
    assert (sale["state"], sale["channel_status"]) == ("sale", "ready_to_ship")


def test_same_order_at_the_same_moment_is_one_order(server, integrator, channel_code):
    """Two clients send the same order together: each request has its own cursor on the server."""
    ref = f"RPC-{uuid.uuid4().hex[:8]}"
    barrier, statuses = threading.Barrier(4), []

    def send():
        client = xmlrpc.client.ServerProxy(f"{server['url']}/xmlrpc/2/object", allow_none=True)
        barrier.wait()
        (result,) = client.execute_kw(
            integrator.db,
            integrator.uid,
            integrator.key,
            "omni.channel",
            "api_ingest_orders",
            [channel_code, [order(ref)]],
        )
        statuses.append(result["status"])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == ["created", "duplicate", "duplicate", "duplicate"]
    assert len(integrator.call("omni.channel", "api_get_orders", channel_code, [ref])) == 1


def test_bad_orders_get_clear_errors_and_are_kept(integrator, channel_code):
    bad = order(f"RPC-{uuid.uuid4().hex[:8]}", lines=[{"sku": "RPC-TEE", "quantity": -3, "unit_price": 1}])
    unknown_sku = order(
        f"RPC-{uuid.uuid4().hex[:8]}", lines=[{"sku": "NOPE", "quantity": 1, "unit_price": 1}]
    )
    results = integrator.call("omni.channel", "api_ingest_orders", channel_code, [bad, unknown_sku])
    assert results[0]["status"] == "failed"
    assert "lines.0.quantity" in results[0]["error"]
    assert results[1]["status"] == "needs_attention"
    assert "NOPE" in results[1]["error"]
    assert all(result["inbox_id"] for result in results), "both are stored in the inbox"


def test_unknown_channel_is_a_clear_fault(integrator):
    with pytest.raises(xmlrpc.client.Fault, match="No channel with code"):
        integrator.call("omni.channel", "api_ingest_orders", "no-such-channel", [])
