"""Shopify Admin REST API over HTTP (a pinned version): orders, listings, stock, prices, fulfilment.
No ORM here.

A store connects through a custom app: the channel keeps the store's URL and the app's Admin API
access token, sent in ``X-Shopify-Access-Token`` (such tokens do not expire). Lists are walked
through the cursor in each answer's ``Link`` header.
"""

import time
from datetime import datetime, timezone
from decimal import Decimal

import requests

from .errors import ChannelError, json_answer
from .rest_call import send

API_VERSION = "2024-07"
PAGE_LIMIT = 250


class ShopifyAdapter:
    def __init__(
        self, base_url, api_key, api_secret, shop_id, tokens, save_tokens, timeout=30, sleep=time.sleep
    ):
        store = base_url if "://" in base_url else f"https://{base_url}"
        self.api = f"{store.rstrip('/')}/admin/api/{API_VERSION}"
        self.token = (tokens or {}).get("access_token")
        self.timeout, self.sleep = timeout, sleep
        self.session = requests.Session()

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, since, until):
        """``[(order,)]`` for every order updated in [since, until], cancelled and closed ones too."""
        window = {"status": "any", "updated_at_min": _iso(since), "updated_at_max": _iso(until)}
        orders = self._all("orders", {**window, "order": "updated_at asc"})
        return [(order,) for order in {order["id"]: order for order in orders}.values()]

    def webhook_orders(self, payload):
        """A verified ``orders/*`` webhook carries the whole order."""
        return [(payload,)] if isinstance(payload, dict) and "line_items" in payload else []

    def ship_order(self, order_ref, tracking_number, carrier):
        """Fulfil what is left of the order with this tracking number (the buyer is told). An order
        fulfilled already keeps its fulfilment: its tracking number is answered."""
        fulfillment_orders = self._call("GET", f"/orders/{order_ref}/fulfillment_orders.json")
        open_ones = [
            {"fulfillment_order_id": fulfillment_order["id"]}
            for fulfillment_order in fulfillment_orders.get("fulfillment_orders") or []
            if fulfillment_order.get("status") in ("open", "in_progress")
        ]
        if not open_ones:
            done = self._call("GET", f"/orders/{order_ref}/fulfillments.json").get("fulfillments") or []
            if not done:
                raise ChannelError(f"Shopify order {order_ref} has nothing left to fulfil")
            return {"tracking_number": done[-1].get("tracking_number") or ""}
        fulfillment = {
            "line_items_by_fulfillment_order": open_ones,
            "tracking_info": {"number": tracking_number, "company": carrier or None},
            "notify_customer": True,
        }
        answer = self._call("POST", "/fulfillments.json", json={"fulfillment": fulfillment})
        return {"tracking_number": answer["fulfillment"].get("tracking_number") or tracking_number}

    # ------------------------------------------------------------------ shop and listings

    def test_connection(self):
        return {"shop_name": self._call("GET", "/shop.json")["shop"]["name"]}

    def fetch_listings(self):
        return [_listing(product, variant) for product, variant in self._variants()]

    def push_stock(self, entries):
        """Stock is set per inventory item at the store's first active location, one call each."""
        locations = self._call("GET", "/locations.json").get("locations") or []
        location = next((place["id"] for place in locations if place.get("active")), None)
        if not location:
            raise ChannelError("Shopify store has no active location to keep stock at")

        def set_level(variant, entry):
            level = {"location_id": location, "inventory_item_id": variant["inventory_item_id"],
                     "available": int(entry["quantity"])}  # fmt: skip
            return "POST", "/inventory_levels/set.json", level

        return self._per_variant(entries, set_level)

    def push_prices(self, entries):
        def set_price(variant, entry):
            price = f"{Decimal(str(entry['price'])):.2f}"
            return (
                "PUT",
                f"/variants/{variant['id']}.json",
                {"variant": {"id": variant["id"], "price": price}},
            )

        return self._per_variant(entries, set_price)

    def _per_variant(self, entries, request_of):
        """One call per entry's variant; a variant that is not in the store, or a call refused for it,
        is that SKU's failure."""
        index = {}
        for product, variant in self._variants():
            index[("model", str(variant["id"]))] = variant
            if variant.get("sku"):
                index.setdefault(("sku", variant["sku"]), variant)
            if len(product["variants"]) == 1:
                index[("item", str(product["id"]))] = variant
        results = []
        for entry in entries:
            variant = (
                index.get(("model", str(entry.get("model_id") or "")))
                or index.get(("sku", entry["sku"]))
                or index.get(("item", str(entry.get("item_id") or "")))
            )
            if not variant:
                results.append({"sku": entry["sku"], "ok": False, "error": "unknown SKU"})
                continue
            method, path, body = request_of(variant, entry)
            response = self._send(method, path, json=body)
            if response.status_code == 403:  # the app lacks a scope: no SKU can pass
                self._answer(response)
            error = "" if response.ok else _errors(response)
            results.append({"sku": entry["sku"], "ok": response.ok, "error": error})
        return results

    def _variants(self):
        return [
            (product, variant) for product in self._all("products", {}) for variant in product["variants"]
        ]

    # ------------------------------------------------------------------ HTTP

    def _all(self, resource, params):
        """Every row of a list, following the ``next`` cursor of each answer's ``Link`` header."""
        rows, url, params = [], f"{self.api}/{resource}.json", {**params, "limit": PAGE_LIMIT}
        while url:
            response = self._send("GET", url, params=params)
            rows += self._answer(response)[resource]
            # The cursor carries the filters: only the limit goes with it.
            url, params = response.links.get("next", {}).get("url"), None
        return rows

    def _call(self, method, path, **options):
        return self._answer(self._send(method, path, **options))

    def _send(self, method, path_or_url, **options):
        if not self.token:
            raise ChannelError("Shopify needs the Admin API access token of the store's app", auth=True)
        url = path_or_url if "://" in path_or_url else self.api + path_or_url
        headers = {"X-Shopify-Access-Token": self.token}
        return send(self.session, method, url, "Shopify", _errors, self.timeout, self.sleep, headers=headers,
                    **options)  # fmt: skip

    def _answer(self, response):
        if not response.ok:
            raise ChannelError(f"Shopify refused (HTTP {response.status_code}): {_errors(response)}")
        return json_answer(response, "Shopify")


def _listing(product, variant):
    several = len(product["variants"]) > 1
    return {
        "item_id": str(product["id"]),
        # A product without options still has one (default) variant: it is the product itself.
        "model_id": str(variant["id"]) if several else "",
        "sku": variant.get("sku") or "",
        "barcode": variant.get("barcode") or "",
        "name": " - ".join(filter(None, (product["title"], variant.get("title") if several else ""))),
        "price": float(variant.get("price") or 0),
        "quantity": float(variant.get("inventory_quantity") or 0),
    }


def _errors(response):
    """Shopify's ``errors``: a sentence, a list of them, or sentences per field."""
    try:
        errors = response.json().get("errors")
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(errors, dict):
        return "; ".join(
            f"{field}: {', '.join(map(str, problems)) if isinstance(problems, list) else problems}"
            for field, problems in errors.items()
        )
    if isinstance(errors, list):
        return "; ".join(map(str, errors))
    return str(errors or f"HTTP {response.status_code}")


def _iso(seconds):
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()
