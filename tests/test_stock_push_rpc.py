"""Odoo pushes what a Shopee shop (the simulator on loopback) may sell: when a listing gets its
product, when the stock changes, and when a manager asks for a full push."""

import time
import uuid

import pytest

# The Shopee channel connected to the simulator's shop, as the channel action tests make it.
from conftest import at_once
from test_channel_actions_rpc import shopee  # noqa: F401


def set_stock(admin, product_id, quantity):
    (warehouse,) = admin.env["stock.warehouse"].search_read([], ["lot_stock_id"], limit=1)
    quant = admin.execute_kw(
        "stock.quant",
        "create",
        [
            {
                "product_id": product_id,
                "location_id": warehouse["lot_stock_id"][0],
                "inventory_quantity": quantity,
            }
        ],
        {"context": {"inventory_mode": True}},
    )
    admin.execute_kw("stock.quant", "action_apply_inventory", [[quant]])


def wait_for_shop_stock(sim, sku, quantity, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if sim.shop.available(sku) == quantity:
            return
        time.sleep(0.5)
    pytest.fail(
        f"The shop shows {sim.shop.available(sku)} {sku}, not {quantity}, after {timeout}s: the "
        "server pushes stock from queue jobs, run only with queue_job in server_wide_modules and a "
        "[queue_job] channels setting."
    )


def test_stock_changes_reach_the_shop(admin, shopee):  # noqa: F811
    sim, channel = shopee
    item = sim.shop.items["TEE-M"]
    product_id = admin.env["product.product"].create(
        {"name": "Áo thun đẩy tồn", "default_code": f"PUSH-{uuid.uuid4().hex[:6]}", "is_storable": True}
    )
    set_stock(admin, product_id, 7)
    listing_id = admin.env["omni.channel.listing"].create(
        {
            "channel_id": channel.id,
            "external_sku": "TEE-M",
            "external_item_id": str(item["item_id"]),
            "external_model_id": str(item["model_id"]),
            "product_id": product_id,
        }
    )
    # A listing that gets its product is pushed; then every stock change is.
    wait_for_shop_stock(sim, "TEE-M", 7)
    set_stock(admin, product_id, 4)
    wait_for_shop_stock(sim, "TEE-M", 4)
    (listing,) = admin.env["omni.channel.listing"].read(
        [listing_id], ["last_pushed_qty", "stock_pushed_at", "push_state", "stock_push_pending"]
    )
    assert (listing["last_pushed_qty"], listing["push_state"], listing["stock_push_pending"]) == (
        4,
        "ok",
        False,
    )
    assert listing["stock_pushed_at"]

    # The shop drifted (a seller edited it by hand): a full push sets it right.
    sim.shop.set_stock("TEE-M", 99)
    answer = at_once(channel).action_push_stock()
    assert answer["params"]["type"] == "success", answer
    assert sim.shop.available("TEE-M") == 4
