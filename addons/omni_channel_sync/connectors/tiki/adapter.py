"""Tiki Open API over HTTP: client-credentials tokens, the order list and event queue, listings,
stock and price updates, drop-ship confirmation. No ORM here.

Tiki signs nothing: the app id and secret buy a bearer token (there is no refresh token; a new one is
asked for when the old one is refused). Order times are Vietnam local time.

Tiki has no webhooks but an event queue: a pull hands out a batch of events with an ``ack_id``, and
sending that ``ack_id`` with the next pull acknowledges the batch. The adapter reads one batch per
pull and hands the caller a cursor (``tokens["cursor"]``, given back through ``save_tokens``) that
names the queue and that ``ack_id``: the caller stores it with the orders, so the batch is only
acknowledged by a pull that follows their storing, and a pull whose orders were not stored reads the
same batch again.
"""

from datetime import datetime, timedelta, timezone

from ..base import SELLING, Adapter, PricePromotions
from ..errors import ChannelError, sku_results

VIETNAM = timezone(timedelta(hours=7))
LIMIT = 100
PRODUCTS_LIMIT = 50
QUEUE_NAME = "odoo-orders"
ORDER_EVENTS = ("ORDER_CREATED_SUCCESSFULLY", "ORDER_STATUS_UPDATED")
# Tiki keeps events 7 days: past 6 days without a pull, the order list covers the gap too.
EVENT_RETENTION = 6 * 24 * 3600


class TikiAdapter(PricePromotions, Adapter):
    PLATFORM = "Tiki"
    REFRESH_MARGIN = 600
    CAPABILITIES = SELLING | {"push_promotion", "end_promotion"}
    # Tiki's seller API schedules no promotion (no discount or dates in its documents): a promotion
    # is the price, set by Odoo when it starts and set back when it ends.
    PROMOTION_WINDOW = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # None: the caller keeps no cursor, orders come from the order list alone.
        self.cursor = self.tokens.get("cursor")
        self.warehouse_id = None

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, since, until):
        """``[(order,)]``: the orders named by the next batch of queued events and, when the queue had no
        position yet, after a long gap or for a caller without a cursor, every order updated in
        [since, until]."""
        orders, unread = {}, True
        if self.cursor is not None:
            orders, unread = self._queued_orders()
        if unread or until - since > EVENT_RETENTION:
            window = {"updated_from_date": _local(since), "updated_to_date": _local(until)}
            orders.update(self._orders({**window, "order_by": "updated_at|asc"}))
        return [(order,) for order in orders.values()]

    def _queued_orders(self):
        """``({code: order}, whether the queue had no position yet)`` for the next batch of order events;
        the cursor that acknowledges the batch goes to the caller. A queue that is gone is replaced."""
        queue, _colon, ack_id = self.cursor.partition(":")
        batch = self._pull_events(queue, ack_id) if queue else None
        unread = batch is None
        if unread:
            queue = self._order_queue()
            batch = self._pull_events(queue, None)
        events = [event for event in batch.get("events") or [] if event.get("type") in ORDER_EVENTS]
        codes = sorted({str(event["payload"]["order_code"]) for event in events})
        orders = {}
        for start in range(0, len(codes), LIMIT):
            orders.update(self._orders({"code": ",".join(codes[start : start + LIMIT])}))
        self.save_tokens({**self.tokens, "cursor": f"{queue}:{batch['ack_id']}"})
        return orders, unread

    def _pull_events(self, queue, ack_id):
        """The queue's next batch (sending ``ack_id`` acknowledges the previous one); None when the
        queue is gone."""
        pull = f"/integration/v1/queues/{queue}/events/pull"
        try:
            return self._call("POST", pull, body={"ack_id": ack_id or None})
        except ChannelError as error:
            if error.code != 404:
                raise
        return None

    def _order_queue(self):
        """The code of the app's order event queue, created and subscribed the first time."""
        queues = self._call("GET", "/integration/v1/queues")
        queue = next((queue["code"] for queue in queues if queue.get("name") == QUEUE_NAME), None)
        if not queue:
            queue = self._call("POST", "/integration/v1/queues", body={"name": QUEUE_NAME})["code"]
            for event_type in ORDER_EVENTS:
                subscribe = f"/integration/v1/queues/{queue}/subscriptions"
                self._call("POST", subscribe, body={"event_type": event_type})
        return queue

    def _orders(self, params):
        """``{code: order}`` of the order list for ``params``, page after page."""
        return {order["code"]: order for order in self._pages("/integration/v2/orders", params, LIMIT)}

    # ------------------------------------------------------------------ seller and listings

    def test_connection(self):
        return {"shop_name": self._call("GET", "/integration/v2/sellers/me").get("name") or ""}

    def fetch_listings(self):
        """Every active product; a Tiki product is one SKU (variants are products of their own)."""
        params = {"include": "inventory", "active": 1}
        return [_listing(row) for row in self._pages("/integration/v2.1/products", params, PRODUCTS_LIMIT)]

    def _pages(self, path, params, limit):
        rows, page = [], 1
        while True:
            answer = self._call("GET", path, {**params, "page": page, "limit": limit})
            rows += answer.get("data") or []
            if page >= (answer.get("paging") or {}).get("last_page", 0):
                return rows
            page += 1

    # ------------------------------------------------------------------ stock and prices

    def push_stock(self, entries):
        warehouse = self._warehouse()

        def quantity(entry):
            place = {"warehouse_id": warehouse, "qty_available": int(entry["quantity"])}
            return {"seller_warehouse": str(warehouse), "warehouse_quantities": [place]}

        return self._update_products(entries, quantity)

    def push_prices(self, entries):
        # VND prices are whole numbers.
        return self._update_products(entries, lambda entry: {"price": round(entry["price"])})

    def _promote(self, entries, promotion):
        return self._update_products(entries, lambda entry: {"price": round(entry["promotion_price"])})

    def _revert(self, entries, promotion):
        return self.push_prices(entries)

    def _update_products(self, entries, change):
        """Tiki updates one product per call; a product it refuses (HTTP 4xx) is its entry's result."""
        errors = {}
        for entry in entries:
            if not str(entry["item_id"]).isdigit():
                errors[id(entry)] = "No Tiki product id"
                continue
            body = {"product_id": int(entry["item_id"]), **change(entry)}
            try:
                self._call("PUT", "/integration/v2.1/products/updateSku", body=body)
            except ChannelError as error:
                if error.auth or error.retryable or not error.code:
                    raise
                errors[id(entry)] = str(error)
        return sku_results(entries, lambda entry: errors.get(id(entry), ""))

    # ------------------------------------------------------------------ shipment

    def ship_order(self, order_ref, tracking_number, carrier):
        """Tiki's own carrier picks drop-ship orders up: confirming the goods wait in the seller's
        warehouse readies the order. The tracking code is Tiki's: ``tracking_number`` and ``carrier``
        are not Tiki's to take. An order confirmed already (a job tried again) is not confirmed again."""
        path = f"/integration/v2/orders/{order_ref}"
        items = self._call("GET", path).get("items") or []
        # Items the seller did not confirm are cancelled: the others' confirmation is the order's.
        if not items or any(
            (item.get("confirmation") or {}).get("status") not in ("seller_confirmed", "seller_canceled")
            for item in items
        ):
            body = {"confirmation_status": "seller_confirmed", "seller_inventory_id": self._warehouse()}
            self._call("POST", f"{path}/dropship/confirm-available", body=body)
        order = self._call("GET", path)
        return {"tracking_number": (order.get("shipping") or {}).get("tracking_code") or ""}

    def _warehouse(self):
        """The seller's warehouse Tiki picks up from and counts the stock of."""
        if not self.warehouse_id:
            inventories = (
                self._call("GET", "/integration/v2/seller-inventories").get("seller_inventories") or []
            )
            pickup = [inventory["id"] for inventory in inventories if inventory.get("type") == "requisition"]
            if not pickup:
                raise ChannelError("Tiki knows no warehouse of the seller to pick up from")
            self.warehouse_id = pickup[0]
        return self.warehouse_id

    # ------------------------------------------------------------------ tokens and HTTP

    def refresh(self):
        """A new bearer token (client credentials)."""
        form = {"grant_type": "client_credentials", "client_id": self.key}
        answer = self._request("POST", "/sc/oauth2/token", form, bearer=False)
        self.tokens = {"access_token": answer["access_token"], "refresh_token": False,
                       "expires_at": self.clock() + answer["expires_in"]}  # fmt: skip
        self.save_tokens(self.tokens)

    def _token_due(self):
        # Bought, not refreshed: a token not bought yet, or of unknown age, is bought first.
        return not (self.tokens.get("access_token") and self.tokens.get("expires_at")) or super()._token_due()

    def _sign(self, method, path, params, body, bearer=True):
        """The token request is the app's credentials (HTTP Basic) and a form; the others carry the token."""
        if not bearer:
            return {"url": self.base_url + path, "data": params, "auth": (self.key, self.secret)}
        headers = {"Authorization": f"Bearer {self.tokens['access_token']}"}
        return {"url": self.base_url + path, "params": params, "json": body, "headers": headers}

    def _describe(self, response):
        try:
            answer = response.json()
        except ValueError:
            return f"HTTP {response.status_code}"
        return str(answer.get("errors") or answer) if isinstance(answer, dict) else str(answer)


def _listing(product):
    stock = (product.get("inventory") or {}).get("warehouse_stocks") or []
    return {
        "item_id": str(product["product_id"]),
        "model_id": "",
        "sku": product.get("original_sku") or product.get("sku") or "",
        "barcode": "",
        "name": product.get("name") or "",
        "price": float(product.get("price") or 0),
        "sale_price": float(product.get("price") or 0),  # Tiki has one price: the buyer's
        "quantity": float(sum(place.get("quantity_sellable") or 0 for place in stock)),
    }


def _local(seconds):
    return datetime.fromtimestamp(int(seconds), VIETNAM).strftime("%Y-%m-%d %H:%M:%S")
