"""A partner system reads what it may sell, holds stock for a cart and releases it, over XML-RPC."""

import uuid
import xmlrpc.client

import pytest

STOCK = 5
BUFFER = 1


@pytest.fixture(scope="module")
def stock_channel(admin):
    """A channel selling from the main warehouse with a buffer of 1, and a product with 5 units."""
    code = f"stock-{uuid.uuid4().hex[:6]}"
    (warehouse,) = admin.env["stock.warehouse"].search_read([], ["lot_stock_id"], limit=1)
    product = admin.env["product.product"].create(
        {"name": "Áo thun RPC", "default_code": f"TEE-{code}", "is_storable": True}
    )
    quant = admin.execute_kw(
        "stock.quant",
        "create",
        [{"product_id": product, "location_id": warehouse["lot_stock_id"][0], "inventory_quantity": STOCK}],
        {"context": {"inventory_mode": True}},
    )
    admin.execute_kw("stock.quant", "action_apply_inventory", [[quant]])
    pricelist = admin.env["product.pricelist"].create({"name": f"Stock {code}"})
    channel = admin.env["omni.channel"].create(
        {
            "name": "Stock shop",
            "code": code,
            "channel_type": "api",
            "pricelist_id": pricelist,
            "warehouse_ids": [(6, 0, [warehouse["id"]])],
            "stock_buffer": BUFFER,
        }
    )
    admin.env["omni.channel.listing"].create(
        {"channel_id": channel, "external_sku": f"SHOP-{code}", "product_id": product}
    )
    (currency,) = admin.env["omni.channel"].read([channel], ["currency_id"])
    return {
        "code": code,
        "sku": f"SHOP-{code}",
        "internal_sku": f"TEE-{code}",
        "currency": currency["currency_id"][1],
    }


def test_available_to_sell(integrator, stock_channel):
    skus = [stock_channel["sku"], stock_channel["internal_sku"]]
    answer = integrator.call("omni.channel", "api_available_to_sell", stock_channel["code"], skus)
    assert answer == dict.fromkeys(skus, STOCK - BUFFER)


def test_hold_then_release(integrator, stock_channel):
    code, sku, reference = stock_channel["code"], stock_channel["sku"], f"cart-{uuid.uuid4().hex[:8]}"
    hold = integrator.call(
        "omni.channel", "api_hold_stock", code, reference, [{"sku": sku, "quantity": 3}], 15
    )
    assert hold["state"] == "active" and hold["reference"] == reference, hold
    assert [(line["sku"], line["quantity"]) for line in hold["lines"]] == [(sku, 3)], hold
    assert integrator.call("omni.channel", "api_available_to_sell", code, [sku]) == {sku: STOCK - BUFFER - 3}

    again = integrator.call(
        "omni.channel", "api_hold_stock", code, reference, [{"sku": sku, "quantity": 3}], 15
    )
    assert again == hold

    released = integrator.call("omni.channel", "api_release_hold", code, reference)
    assert released == {"hold_id": hold["hold_id"], "reference": reference, "state": "released"}
    assert integrator.call("omni.channel", "api_release_hold", code, reference) == released
    assert integrator.call("omni.channel", "api_available_to_sell", code, [sku]) == {sku: STOCK - BUFFER}


def test_short_hold_is_a_fault_naming_the_sku(integrator, stock_channel):
    code, sku, reference = stock_channel["code"], stock_channel["sku"], f"cart-{uuid.uuid4().hex[:8]}"
    with pytest.raises(xmlrpc.client.Fault, match=rf"Not enough stock for {sku} \(asked 5, available 4\)"):
        integrator.call("omni.channel", "api_hold_stock", code, reference, [{"sku": sku, "quantity": 5}])
    with pytest.raises(xmlrpc.client.Fault, match=f"No hold {reference}"):
        integrator.call("omni.channel", "api_release_hold", code, reference)


def test_unknown_sku_is_a_fault(integrator, stock_channel):
    with pytest.raises(xmlrpc.client.Fault, match=r"Unknown SKU.*NOPE-SKU"):
        integrator.call("omni.channel", "api_available_to_sell", stock_channel["code"], ["NOPE-SKU"])


def test_cart_hold_ends_when_its_order_arrives_paid(integrator, stock_channel):
    """A cart held under the order's reference, then the order comes in paid: its delivery
    reserves the units, and the hold no longer counts them too."""
    code, sku, reference = stock_channel["code"], stock_channel["sku"], f"SO-{uuid.uuid4().hex[:8]}"
    integrator.call("omni.channel", "api_hold_stock", code, reference, [{"sku": sku, "quantity": 2}], 15)
    order = {
        "external_id": reference,
        "status": "ready_to_ship",
        "currency": stock_channel["currency"],
        "customer": {"buyer_id": f"buyer-{reference}", "name": "Trần Thị Bình"},
        "lines": [{"line_id": "L1", "sku": sku, "quantity": 2, "unit_price": 150000}],
    }
    (result,) = integrator.call("omni.channel", "api_ingest_orders", code, [order])
    assert result["status"] == "created", result
    released = integrator.call("omni.channel", "api_release_hold", code, reference)
    assert released["state"] == "converted", released
    assert integrator.call("omni.channel", "api_available_to_sell", code, [sku]) == {sku: STOCK - BUFFER - 2}
