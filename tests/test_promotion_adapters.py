"""Our Shopee and TikTok Shop adapters push a campaign's promotion against the simulator: started at
the platform's soonest, edited entry by entry, a refused item told as its entry's result, ended (or
deleted before it starts), and the listings read the price buyers pay now. On Shopee a promotion may
be the shop's flash sale instead of a discount: in Shopee's first time slot within its window."""

import time

import pytest
import requests
from connectors.errors import ChannelError
from connectors.shopee.adapter import ShopeeAdapter
from test_tiktok import adapter_for as tiktok_adapter

HOUR, DAY = 3600, 24 * 3600


@pytest.fixture
def shopee(simulator):
    code = requests.get(f"{simulator.url}/_sandbox/shopee/authorize", timeout=10).json()["code"]
    api = simulator.shopee
    tokens = api.token_get({}, {"code": code})
    return ShopeeAdapter(
        f"{simulator.url}/shopee", api.partner_id, api.partner_key, api.shop_id, tokens, [].append
    )


def entries_of(adapter, prices):
    """The push entries of the listings whose SKU ``prices`` names: ``{sku: promotion price}``."""
    return [
        {"sku": listing["sku"], "item_id": listing["item_id"], "model_id": listing["model_id"],
         "price": listing["price"], "promotion_price": prices[listing["sku"]]}
        for listing in adapter.fetch_listings()
        if listing["sku"] in prices
    ]  # fmt: skip


def promotion(entries, ref="", start=None, end=None):
    start = start or int(time.time())
    return {"name": "11.11", "ref": ref, "start": start, "end": end or start + DAY, "entries": entries}


def sale_prices(adapter):
    return {listing["sku"]: listing["sale_price"] for listing in adapter.fetch_listings()}


def results(answer):
    return {result["sku"]: result["error"] for result in answer}


def test_shopee_discount_started_edited_and_ended(simulator, shopee):
    api = simulator.shopee
    entries = entries_of(shopee, {"TEE-M": 120000, "CAP-01": 80000, "MUG-01": 20000})
    asked = int(time.time())
    answer = shopee.push_promotion(promotion(entries, start=asked))
    assert answer["start"] >= asked + HOUR, "Shopee starts a discount an hour ahead at the soonest"
    assert answer["end"] == asked + DAY
    refused = results(answer["results"])
    assert refused["TEE-M"] == refused["CAP-01"] == ""
    assert refused["MUG-01"].startswith("discount.promotion_price_for_vn"), "more than 50% off in Vietnam"
    ref = answer["ref"]
    discount = api.discounts.get(ref)
    assert discount.start == answer["start"] and discount.name == "11.11"

    # Edited before its start: one price changed, one item out, one in; the start it has is kept.
    edited = entries_of(shopee, {"TEE-M": 110000, "MUG-01": 45000, "BAG-01": 100000})
    again = shopee.push_promotion(promotion(edited, ref=ref, start=asked, end=asked + 3 * HOUR))
    assert (again["ref"], again["start"]) == (ref, answer["start"])
    assert not any(result["error"] for result in again["results"])
    prices = {sku: discount.deal(sku)["price"] for sku in discount.skus()}
    assert prices == {"TEE-M": 110000, "MUG-01": 45000, "BAG-01": 100000}
    assert discount.end == asked + 3 * HOUR

    assert sale_prices(shopee)["TEE-M"] == 150000
    api.discounts.pass_time(HOUR + 600)
    listed = sale_prices(shopee)
    assert (listed["TEE-M"], listed["MUG-01"], listed["CAP-01"]) == (110000, 45000, 90000)

    # Ended in its first hour: Shopee does not end it yet, its items leave it.
    assert not any(result["error"] for result in shopee.end_promotion(promotion(edited, ref=ref)))
    assert sale_prices(shopee)["TEE-M"] == 150000 and discount.skus() == []
    api.discounts.pass_time(HOUR)
    # Pushed again (the campaign goes on): its items are back.
    shopee.push_promotion(promotion(edited, ref=ref, start=asked, end=discount.end))
    assert sale_prices(shopee)["TEE-M"] == 110000
    shopee.end_promotion(promotion(edited, ref=ref))
    assert discount.status(time.time()) == "expired" and sale_prices(shopee)["TEE-M"] == 150000
    assert shopee.end_promotion(promotion(edited, ref=ref)), "ending what ended is no error"


def test_shopee_discount_not_started_is_deleted(simulator, shopee):
    entries = entries_of(shopee, {"CAP-01": 80000})
    ref = shopee.push_promotion(promotion(entries))["ref"]
    shopee.end_promotion(promotion(entries, ref=ref))
    assert simulator.shopee.discounts.get(ref) is None
    assert shopee.end_promotion(promotion(entries, ref=ref))
    # The same promotion pushed again is a discount of its own.
    assert shopee.push_promotion(promotion(entries, ref=ref))["ref"] != ref


def test_shopee_window_refused_as_a_whole(simulator, shopee):
    entries = entries_of(shopee, {"CAP-01": 80000})
    with pytest.raises(ChannelError) as refusal:
        shopee.push_promotion(promotion(entries, end=int(time.time()) + 181 * DAY))
    assert refusal.value.code == "discount.discount_period_too_long"


def test_tiktok_activity_started_edited_and_ended(simulator):
    api, tiktok = simulator.tiktok, tiktok_adapter(simulator)
    entries = entries_of(tiktok, {"TEE-M": 120000, "CAP-01": 95000})
    answer = tiktok.push_promotion(promotion(entries))
    assert answer["start"] > time.time()
    refused = results(answer["results"])
    assert refused["TEE-M"] == "" and refused["CAP-01"].startswith("17010005"), "not below the original"
    ref = answer["ref"]
    activity = api.activities.get(ref)

    edited = entries_of(tiktok, {"TEE-M": 110000, "CAP-01": 80000})
    again = tiktok.push_promotion(promotion(edited, ref=ref, end=int(time.time()) + 2 * DAY))
    assert again["ref"] == ref and not any(result["error"] for result in again["results"])
    assert {sku: activity.deal(sku)["price"] for sku in activity.skus()} == {"TEE-M": 110000, "CAP-01": 80000}
    fewer = tiktok.push_promotion(promotion(edited[:1], ref=ref, end=int(time.time()) + 2 * DAY))
    assert not any(result["error"] for result in fewer["results"]) and activity.skus() == [edited[0]["sku"]]

    assert sale_prices(tiktok)[edited[0]["sku"]] == 150000
    api.activities.pass_time(900)
    listed = sale_prices(tiktok)
    assert (listed["TEE-M"], listed["CAP-01"]) == (110000, 90000)
    tiktok.end_promotion(promotion(edited, ref=ref))
    assert sale_prices(tiktok)["TEE-M"] == 150000
    assert tiktok.end_promotion(promotion(edited, ref=ref)), "ending what ended is no error"
    renewed = tiktok.push_promotion(promotion(edited, ref=ref, start=int(time.time()) + DAY))
    assert renewed["ref"] != ref, "a deactivated activity cannot change: a new one is made"


def test_shopee_discount_made_before_a_failure_is_named_for_the_retry(simulator, shopee):
    """A push whose items are refused for the rate after Shopee made the discount says which discount
    it made: the retry completes that one instead of making another."""
    api = simulator.shopee
    entries = entries_of(shopee, {"TEE-M": 120000})
    api.set_limit("shop", 1, seconds=60)  # the discount is made, its items are one call too many
    with pytest.raises(ChannelError) as refused:
        shopee.push_promotion(promotion(entries))
    ref = refused.value.promotion_ref
    assert refused.value.retryable and ref and api.discounts.get(ref)
    api.set_limit("shop", 1000)
    answer = shopee.push_promotion(promotion(entries, ref=ref))
    assert answer["ref"] == ref and results(answer["results"]) == {"TEE-M": ""}


# ---------------------------------------------------------------------------------------- Shopee flash sale


def flash_sale(entries, stock, ref="", start=None, end=None):
    """The promotion as a flash sale, each entry with its campaign stock (``{sku: units}``)."""
    entries = [{**entry, "stock": stock[entry["sku"]]} for entry in entries]
    return {
        **promotion(entries, ref, start, end or (start or int(time.time())) + 2 * DAY),
        "flash_sale": True,
    }


def test_shopee_flash_sale_pushed_edited_and_ended(simulator, shopee):
    api = simulator.shopee
    asked = int(time.time())
    entries = entries_of(shopee, {"TEE-M": 120000, "CAP-01": 80000, "MUG-01": 20000})
    answer = shopee.push_promotion(flash_sale(entries, {"TEE-M": 5, "CAP-01": 3, "MUG-01": 2}, start=asked))
    ref = answer["ref"]
    sale = api.flash_sales.get(ref)
    assert (answer["start"], answer["end"]) == (sale.start, sale.end), "the time slot's"
    assert asked < answer["start"] < answer["end"] <= asked + 2 * DAY and not api.discounts.listed()
    refused = results(answer["results"])
    assert refused["TEE-M"] == refused["CAP-01"] == ""
    assert "more than 50% off" in refused["MUG-01"], "more than 50% off in Vietnam"

    # Edited before its slot: a price and a stock changed, an item out, one in.
    edited = entries_of(shopee, {"TEE-M": 110000, "MUG-01": 45000, "BAG-01": 100000})
    stock = {"TEE-M": 4, "MUG-01": 2, "BAG-01": 6}
    again = shopee.push_promotion(flash_sale(edited, stock, ref=ref, start=asked))
    assert (again["ref"], again["start"], again["end"]) == (ref, answer["start"], answer["end"])
    assert not any(result["error"] for result in again["results"])
    deals = {sku: sale.deal(sku) for sku in sale.skus()}
    assert deals == {
        "TEE-M": {"price": 110000, "stock": 4, "enabled": True},
        "MUG-01": {"price": 45000, "stock": 2, "enabled": True},
        "BAG-01": {"price": 100000, "stock": 6, "enabled": True},
    }

    assert sale_prices(shopee)["TEE-M"] == 150000
    api.pass_time(answer["start"] - int(time.time()) + 60)
    listed = sale_prices(shopee)
    assert (listed["TEE-M"], listed["MUG-01"], listed["CAP-01"]) == (110000, 45000, 90000)

    # Running: Shopee changes no price, a product no longer listed is switched off.
    running = entries_of(shopee, {"TEE-M": 100000, "BAG-01": 100000, "CAP-01": 80000})
    stock = {"TEE-M": 4, "BAG-01": 6, "CAP-01": 3}
    third = results(shopee.push_promotion(flash_sale(running, stock, ref=ref, start=asked))["results"])
    assert third["BAG-01"] == "" and "keeps 110000 VND and 4 unit(s)" in third["TEE-M"]
    assert "before its time slot starts" in third["CAP-01"]
    assert sale.deal("MUG-01")["enabled"] is False and sale_prices(shopee)["MUG-01"] == 60000

    assert not any(result["error"] for result in shopee.end_promotion(flash_sale(running, stock, ref=ref)))
    assert sale.details["statuses"][-1][1] == 2, "switched off"
    assert sale_prices(shopee)["TEE-M"] == 150000
    assert shopee.end_promotion(flash_sale(running, stock, ref=ref)), "ending what ended is no error"
    api.pass_time(DAY)
    assert shopee.end_promotion(flash_sale(running, stock, ref=ref))


def test_shopee_flash_sale_not_started_is_deleted(simulator, shopee):
    entries = entries_of(shopee, {"CAP-01": 80000})
    ref = shopee.push_promotion(flash_sale(entries, {"CAP-01": 3}))["ref"]
    shopee.end_promotion(flash_sale(entries, {"CAP-01": 3}, ref=ref))
    assert simulator.shopee.flash_sales.get(ref) is None
    assert shopee.end_promotion(flash_sale(entries, {"CAP-01": 3}, ref=ref))
    # The same promotion pushed again is a flash sale of its own.
    assert shopee.push_promotion(flash_sale(entries, {"CAP-01": 3}, ref=ref))["ref"] != ref


def test_shopee_flash_sale_needs_a_whole_time_slot(simulator, shopee):
    entries = entries_of(shopee, {"CAP-01": 80000})
    start = int(time.time()) + 600
    with pytest.raises(ChannelError) as refusal:
        shopee.push_promotion(flash_sale(entries, {"CAP-01": 3}, start=start, end=start + 1800))
    assert refusal.value.code == "no_time_slot" and not refusal.value.retryable
    assert "no flash sale time slot that fits the campaign's window" in str(refusal.value)
    assert not simulator.shopee.flash_sales.listed()


def test_shopee_flash_sale_made_before_a_failure_is_named_for_the_retry(simulator, shopee):
    api = simulator.shopee
    entries = entries_of(shopee, {"TEE-M": 120000})
    api.set_limit("shop", 2, seconds=60)  # the slot read, the flash sale made, its items one call too many
    with pytest.raises(ChannelError) as refused:
        shopee.push_promotion(flash_sale(entries, {"TEE-M": 5}))
    ref = refused.value.promotion_ref
    assert refused.value.retryable and ref and api.flash_sales.get(ref)
    api.set_limit("shop", 1000)
    answer = shopee.push_promotion(flash_sale(entries, {"TEE-M": 5}, ref=ref))
    assert answer["ref"] == ref and results(answer["results"]) == {"TEE-M": ""}
    assert len(api.flash_sales.listed()) == 1
