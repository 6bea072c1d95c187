"""WooCommerce REST API v3 over HTTP: orders, listings, stock and prices in batches, completion.
No ORM here.

The channel keeps the store's URL and a REST API key (consumer key and secret). Over HTTPS they go
as HTTP Basic credentials; a store on plain HTTP takes them only as OAuth 1.0a signatures (one-legged,
HMAC-SHA256, a fresh nonce per request), as WooCommerce requires.
"""

import secrets
from datetime import datetime, timezone
from decimal import Decimal

from ..base import SELLING, Adapter, PricePromotions
from ..errors import ChannelError
from .signing import sign_woocommerce_oauth

PER_PAGE = 100
BATCH = 100
WALKS = 3


class WooCommerceAdapter(PricePromotions, Adapter):
    PLATFORM = "WooCommerce"
    RATE_LIMIT_WAITS = 5  # the host's request rate, met as a matter of course by a stock push
    CAPABILITIES = SELLING | {"webhook_orders", "delivery_failed", "push_promotion", "end_promotion"}
    # A promotion is each item's sale price with its dates. WooCommerce core sets the price a buyer
    # pays when the product is saved and at its daily scheduled-sales run (the site's midnight), not at
    # the dates' times: Odoo starts and ends the promotion on time, and the end date ends it anyway at
    # the first midnight after it.
    PROMOTION_WINDOW = False

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, since, until):
        """``[(order,)]`` for every order modified in [since, until], any status."""
        # WooCommerce's date bounds are exclusive, to the second.
        window = {"modified_after": _gmt(int(since) - 1), "modified_before": _gmt(int(until) + 1),
                  "dates_are_gmt": "true", "orderby": "modified", "order": "asc",
                  "status": "any"}  # fmt: skip
        orders = {}
        # An order modified during the walk leaves the window and shifts the later pages by one:
        # a walk that saw the total change is walked again.
        for _walk in range(WALKS):
            rows, steady = self._all("/orders", window)
            orders.update((order["id"], order) for order in rows)
            if steady:
                break
        return [self._with_refunds(order) for order in orders.values()]

    def webhook_orders(self, payload):
        """A verified ``order.*`` webhook carries the whole order (``order.deleted`` only its id)."""
        return [self._with_refunds(payload)] if isinstance(payload, dict) and "line_items" in payload else []

    def _with_refunds(self, order):
        """``(order, its refunds)``: the order tells each refund's total only, its items come apart."""
        refunds = self._all(f"/orders/{order['id']}/refunds", {})[0] if order.get("refunds") else []
        return order, list(refunds)

    def ship_order(self, order_ref, tracking_number, carrier):
        """WooCommerce has no tracking field: the number goes to the buyer as an order note (once),
        then the order is completed. Goods sent without a tracking number make no note."""
        note = f"{carrier}: {tracking_number}" if carrier and tracking_number else tracking_number
        notes = self._call("GET", f"/orders/{order_ref}/notes") if note else []
        if note and not any(kept.get("note") == note for kept in notes):
            self._call("POST", f"/orders/{order_ref}/notes", body={"note": note, "customer_note": True})
        self._call("PUT", f"/orders/{order_ref}", body={"status": "completed"})
        return {"tracking_number": tracking_number}

    def delivery_failed(self, order_ref, note):
        """The parcel came back to the sender: the order is set failed, with a private note saying why
        (once)."""
        notes = self._call("GET", f"/orders/{order_ref}/notes")
        if not any(kept.get("note") == note for kept in notes):
            self._call("POST", f"/orders/{order_ref}/notes", body={"note": note, "customer_note": False})
        self._call("PUT", f"/orders/{order_ref}", body={"status": "failed"})
        return {}

    # ------------------------------------------------------------------ store and listings

    def test_connection(self):
        """An authenticated read, and the site's title from the REST index."""
        self._call("GET", "/orders", {"per_page": 1})
        index = self._call("GET", f"{self.base_url}/wp-json/")
        return {"shop_name": index.get("name") or self.base_url}

    def fetch_listings(self):
        listings = []
        for product in self._all("/products", {})[0]:
            if product.get("type") == "simple":
                listings.append(_listing(product, product, ""))
            elif product.get("type") == "variable":
                variations = self._all(f"/products/{product['id']}/variations", {})[0]
                listings += [_listing(product, variation, str(variation["id"])) for variation in variations]
        return listings

    def push_stock(self, entries):
        return self._batch(
            entries, lambda entry: {"manage_stock": True, "stock_quantity": int(entry["quantity"])}
        )

    def push_prices(self, entries):
        return self._batch(entries, lambda entry: {"regular_price": _price(entry["price"])})

    def _promote(self, entries, promotion):
        # Started now at the latest: the price is the sale price from this save on.
        start = min(promotion["start"], int(self.clock()))
        window = {"date_on_sale_from_gmt": _gmt(start), "date_on_sale_to_gmt": _gmt(promotion["end"])}
        return self._batch(entries, lambda entry: {"sale_price": _price(entry["promotion_price"]), **window})

    def _revert(self, entries, promotion):
        """An empty sale price ends the sale: the regular price from this save on."""
        return self._batch(entries, lambda entry: {"sale_price": ""})

    def _batch(self, entries, changes_of):
        """Products and each product's variations are updated in batches of 100; every item answers
        for itself. Entries without the platform's ids are found by SKU."""
        by_sku = None
        batches, results = {}, [None] * len(entries)
        for position, entry in enumerate(entries):
            item_id, model_id = str(entry.get("item_id") or ""), str(entry.get("model_id") or "")
            if not item_id:
                if by_sku is None:
                    by_sku = {listing["sku"]: listing for listing in self.fetch_listings() if listing["sku"]}
                found = by_sku.get(entry["sku"])
                if not found:
                    results[position] = {"sku": entry["sku"], "ok": False, "error": "unknown SKU"}
                    continue
                item_id, model_id = found["item_id"], found["model_id"]
            path = f"/products/{item_id}/variations/batch" if model_id else "/products/batch"
            update = {"id": int(model_id or item_id), **changes_of(entry)}
            batches.setdefault(path, []).append((position, update))
        for path, updates in batches.items():
            for start in range(0, len(updates), BATCH):
                chunk = updates[start : start + BATCH]
                answered = self._call("POST", path, body={"update": [update for _p, update in chunk]})
                answered = answered.get("update") or []
                for index, (position, _update) in enumerate(chunk):
                    result = answered[index] if index < len(answered) else {"error": {"message": "no answer"}}
                    error = result.get("error")
                    results[position] = {"sku": entries[position]["sku"], "ok": not error,
                                         "error": _error_text(error) if error else ""}  # fmt: skip
        return results

    # ------------------------------------------------------------------ HTTP

    def _all(self, path, params):
        """Every row of a collection, page after page; and whether its total held during the walk."""
        rows, totals, page = [], set(), 1
        while True:
            found = self._call("GET", path, {**params, "per_page": PER_PAGE, "page": page})
            rows += found
            totals.add(found.total)
            if page >= found.pages:
                return rows, len(totals) == 1
            page += 1

    def _sign(self, method, path, params, body):
        """Over HTTPS the key goes as HTTP Basic credentials; over plain HTTP as an OAuth 1.0a signature
        of the request (a nonce is good once: each attempt is signed anew)."""
        if not (self.key and self.secret):
            raise ChannelError("WooCommerce needs the consumer key and secret of a REST API key", auth=True)
        url = path if "://" in path else f"{self.base_url}/wp-json/wc/v3{path}"
        if url.startswith("https://"):
            return {"url": url, "params": params, "json": body, "auth": (self.key, self.secret)}
        query = {name: str(value) for name, value in params.items()}
        query.update(oauth_consumer_key=self.key, oauth_timestamp=str(int(self.clock())),
                     oauth_nonce=secrets.token_hex(16), oauth_signature_method="HMAC-SHA256")  # fmt: skip
        query["oauth_signature"] = sign_woocommerce_oauth(self.secret, method, url, query)
        return {"url": url, "params": query, "json": body}

    def _answer(self, response):
        answer = super()._answer(response)
        return _Page(answer, response.headers) if isinstance(answer, list) else answer

    def _describe(self, response):
        """WordPress's error shape: ``{"code", "message", "data": {"status"}}``."""
        try:
            return _error_text(response.json())
        except (ValueError, AttributeError):
            return f"HTTP {response.status_code}"


class _Page(list):
    """The rows of a collection's page, with WooCommerce's count of its rows and pages."""

    def __init__(self, rows, headers):
        super().__init__(rows)
        self.total, self.pages = headers.get("X-WP-Total"), int(headers.get("X-WP-TotalPages") or 0)


def _listing(product, stocked, model_id):
    """A simple product, or one variation of a variable product (``stocked`` carries SKU, price, stock)."""
    options = ", ".join(attribute.get("option") or "" for attribute in stocked.get("attributes") or [])
    return {
        "item_id": str(product["id"]),
        "model_id": model_id,
        "sku": stocked.get("sku") or "",
        "barcode": stocked.get("global_unique_id") or "",
        "name": " - ".join(filter(None, (product["name"], options if model_id else ""))),
        "price": float(stocked.get("regular_price") or stocked.get("price") or 0),
        "sale_price": float(stocked.get("price") or 0),  # what buyers pay: the sale price when on sale
        "quantity": float(stocked.get("stock_quantity") or 0),
    }


def _price(value):
    """Prices travel as strings: ``150000``, ``9.5``."""
    return format(Decimal(str(value)).normalize(), "f")


def _error_text(error):
    return f"{error.get('code') or 'error'}: {error.get('message') or ''}".strip()


def _gmt(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
