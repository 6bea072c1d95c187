"""Tiki's event queue instead of webhooks: a pull reads one batch of order events, the orders they
name come with it, and the batch is acknowledged only by the next pull made with the cursor the
caller stored with those orders; a pull whose orders were not stored reads the same batch again."""

import time

from conftest import at_once
from connectors.tiki.adapter import TikiAdapter

from sandbox.tiki import MAX_EVENTS


def adapter_for(simulator, tokens):
    api, saved = simulator.tiki, []
    adapter = TikiAdapter(f"{simulator.url}/tiki", api.app_id, api.app_secret, None, tokens, saved.append)
    adapter.saved = saved
    return adapter


def pull(simulator, tokens):
    """One pull as the channel makes it: ``(the shop's ids of the orders pulled, sorted, what the
    adapter handed back to store)``."""
    adapter = adapter_for(simulator, tokens)
    now = simulator.tiki.shop.now
    pulled = adapter.fetch_orders(now - 600, now + 1)
    return sorted(simulator.tiki.order_of(order["code"])["id"] for (order,) in pulled), adapter.saved[-1]


def test_events_bring_the_orders_that_changed_and_are_acknowledged_by_the_next_pull(simulator):
    simulator.tiki.shop.now = int(time.time()) - 7200
    (earlier,) = simulator.tiki.shop.generate_orders(1)
    first, stored = pull(simulator, {"cursor": ""})
    assert first == [earlier], "the first pull lists the recent orders and opens the queue"
    simulator.tiki.shop.now += 3600  # past the order list's window: only events name what follows
    new = simulator.tiki.shop.generate_orders(3)
    simulator.tiki.shop.cancel(earlier)
    second, stored = pull(simulator, stored)
    assert second == sorted([*new, earlier])
    third, _stored = pull(simulator, stored)
    assert third == [], "the batch was acknowledged"


def test_a_batch_whose_orders_were_not_stored_comes_again(simulator):
    simulator.tiki.shop.now = int(time.time()) - 7200
    _codes, stored = pull(simulator, {"cursor": ""})
    simulator.tiki.shop.now += 3600
    new = simulator.tiki.shop.generate_orders(2)
    first, _lost = pull(simulator, stored)  # the caller failed to store: the cursor is not kept
    again, kept = pull(simulator, stored)
    assert first == again == sorted(new)
    assert pull(simulator, kept)[0] == []


def test_a_queue_that_is_gone_is_replaced_and_the_order_list_covers_the_gap(simulator):
    simulator.tiki.shop.now = int(time.time()) - 7200
    _codes, stored = pull(simulator, {"cursor": ""})
    simulator.tiki.queues.clear()
    new = simulator.tiki.shop.generate_orders(2, spread_seconds=60)
    codes, kept = pull(simulator, stored)
    assert codes == sorted(new)
    assert kept["cursor"].split(":")[0] in simulator.tiki.queues
    simulator.tiki.shop.advance(new[0], "CANCELLED")
    assert pull(simulator, kept)[0] == [new[0]]


def test_one_batch_a_pull(simulator):
    simulator.tiki.shop.now = int(time.time()) - 7200
    _codes, stored = pull(simulator, {"cursor": ""})
    simulator.tiki.shop.now += 3600
    new = simulator.tiki.shop.generate_orders(MAX_EVENTS + 20, spread_seconds=60)
    first, stored = pull(simulator, stored)
    second, stored = pull(simulator, stored)
    assert (len(first), len(second)) == (MAX_EVENTS, 20)
    assert sorted(first + second) == sorted(new)


def test_odoo_channel_reads_the_queue_after_its_first_pull(admin, pull_new_channel, simulator):
    simulator.tiki.shop.now = int(time.time()) - 600
    first = simulator.tiki.shop.generate_orders(2, spread_seconds=300)
    api = simulator.tiki
    connection = {
        "api_base_url": f"{simulator.url}/tiki",
        "api_key": api.app_id,
        "api_secret": api.app_secret,
    }
    codes = {number: api.ref(number) for number in first}
    assert pull_new_channel("tiki", **connection) == set(codes.values())
    Channel = admin.env["omni.channel"]
    (channel_id,) = Channel.search([("api_base_url", "=", connection["api_base_url"])])
    cursor = Channel.browse(channel_id).order_cursor
    assert cursor, "the queue position is stored with the orders"
    later = simulator.tiki.shop.generate_orders(2, spread_seconds=60)
    simulator.tiki.shop.advance(first[0], "CANCELLED")
    answer = at_once(Channel.browse(channel_id)).action_pull_orders()
    assert answer["params"]["type"] == "success", answer
    orders = admin.env["sale.order"].search_read(
        [("omni_channel_id", "=", channel_id)], ["omni_external_ref", "state"]
    )
    assert {order["omni_external_ref"] for order in orders} == {
        api.ref(number) for number in (*first, *later)
    }
    assert {o["state"] for o in orders if o["omni_external_ref"] == codes[first[0]]} == {"cancel"}
    assert Channel.browse(channel_id).order_cursor != cursor
