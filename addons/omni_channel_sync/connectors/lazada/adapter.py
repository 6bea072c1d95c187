"""Lazada Open Platform over HTTP: signing, tokens, order pull. No ORM here.

Orders are walked by ``update_after``/``update_before`` windows and offset pages; Lazada refuses
offsets past 5,000, so a window that holds more is split in two. Items come 50 orders at a time.
"""

import json
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

from ..base import SELLING, Adapter, PricePromotions
from ..errors import ChannelError, sku_results
from .signing import sign_lazada

LIMIT = 100
MAX_OFFSET = 5000
ITEMS_BATCH = 50
PRODUCTS_LIMIT = 50
UPDATE_BATCH = 50  # SKUs per price/quantity update
RETRYABLE = ("ApiCallLimit", "901", "ServiceTimeout", "InternalError")
# The API-level limit (901) says when to come back: "please retry in the next second".
NEXT_SECOND = "901"
# Item statuses once the seller has set the item ready to ship.
SHIPMENT_ARRANGED = ("ready_to_ship", "shipped", "delivered")
AUTH_ERRORS = ("IllegalAccessToken", "IllegalRefreshToken")
REVERSE_PUSH = 10  # the push message type of a reverse order (return, refund, cancellation request)
RETURNED = ("returned", "shipped_back", "shipped_back_success")
# A special price's dates are the seller's country's time (assumed so; Lazada's pages do not say).
VIETNAM = timezone(timedelta(hours=7))
SALE_DATE = "%Y-%m-%d %H:%M:%S"


class LazadaAdapter(PricePromotions, Adapter):
    PLATFORM = "Lazada"
    REFRESH_MARGIN = 60
    RATE_LIMIT_WAITS = 2
    CAPABILITIES = SELLING | {"webhook_orders", "answer_cancellation", "exchange_code", "push_promotion",
                              "end_promotion"}  # fmt: skip
    # A promotion is each SKU's special price (SalePrice) with its dates: Lazada starts and ends it.
    PROMOTION_WINDOW = True

    # ------------------------------------------------------------------ orders

    def order_numbers(self, since, until, field="update_time"):
        """Order ids updated (or created) in [since, until], every page of every window."""
        return [str(order["order_id"]) for order in self._orders(since, until, field)]

    def fetch_orders(self, since, until):
        """What the mapper takes for each order updated in [since, until], or whose returns were:
        ``[(order, items, reverse orders)]``."""
        entries = self.orders_with_items(since, until)
        window = {"ReverseOrderLineModifiedTimeRangeStart": int(since) * 1000,
                  "ReverseOrderLineModifiedTimeRangeEnd": int(until) * 1000}  # fmt: skip
        returned = {str(reverse["trade_order_id"]) for reverse in self._reverse_orders(window)}
        known = {str(order["order_id"]) for order, _items in entries}
        for order_id in sorted(returned - known):
            order = self._call("GET", "/order/get", {"order_id": order_id})["data"]
            entries.append((order, self._items([order["order_id"]]).get(order_id, [])))
        return [self._with_reverse_orders(order, items, returned) for order, items in entries]

    def orders_with_items(self, since, until, field="update_time"):
        """``[(order, items)]``: the list entries with their items, as the mapper takes them."""
        orders = self._orders(since, until, field)
        items = self._items([order["order_id"] for order in orders])
        return [(order, items.get(str(order["order_id"]), [])) for order in orders]

    def webhook_orders(self, payload):
        """``[(order, items)]`` of the order a push names: pushes carry its id and one line's status.
        Pushes about products, tokens or promotions name none."""
        order_id = (payload.get("data") or {}).get("trade_order_id")
        if not order_id:
            return []
        order = self._call("GET", "/order/get", {"order_id": order_id})["data"]
        items = self._items([order["order_id"]]).get(str(order["order_id"]), [])
        # Reverse order pushes (message type 10) name the trade order too.
        returned = {str(order_id)} if payload.get("message_type") == REVERSE_PUSH else set()
        return [self._with_reverse_orders(order, items, returned)]

    def _with_reverse_orders(self, order, items, returned):
        """``(order, items, reverse orders)``: those of an order with returned items or in ``returned``."""
        order_id = str(order["order_id"])
        if order_id not in returned and not any(item.get("status") in RETURNED for item in items):
            return order, items, []
        return order, items, self._reverse_orders({"trade_order_id": order_id})

    def _reverse_orders(self, params):
        """The buyers' reverse orders (returns, refunds) asked for, every page."""
        found, page = [], 1
        while True:
            query = {**params, "page_size": LIMIT, "page_no": page}
            result = self._call("GET", "/reverse/getreverseordersforseller", query)["result"]
            found += result.get("items") or []
            if page * LIMIT >= int(result.get("total") or 0):
                return found
            page += 1

    def _items(self, order_ids):
        """{order id: its items}, asked 50 orders at a time (Lazada's limit)."""
        items = {}
        for start in range(0, len(order_ids), ITEMS_BATCH):
            ids = order_ids[start : start + ITEMS_BATCH]
            for entry in self._call("GET", "/orders/items/get", {"order_ids": json.dumps(ids)})["data"]:
                items[str(entry["order_id"])] = entry["order_items"]
        return items

    def _orders(self, since, until, field):
        prefix = "update" if field == "update_time" else "created"
        found, offset = [], 0
        while True:
            window = {f"{prefix}_after": _iso(since), f"{prefix}_before": _iso(until)}
            sort = "updated_at" if prefix == "update" else "created_at"
            params = {**window, "offset": offset, "limit": LIMIT, "sort_by": sort, "sort_direction": "ASC"}
            data = self._call("GET", "/orders/get", params)["data"]
            total = int(data.get("countTotal") or 0)
            if total > MAX_OFFSET + LIMIT and until - since > 1:
                middle = (since + until) // 2
                return self._orders(since, middle, field) + self._orders(middle + 1, until, field)
            found += data.get("orders") or []
            offset += LIMIT
            if offset >= total:
                return list({str(order["order_id"]): order for order in found}.values())

    # ------------------------------------------------------------------ seller and listings

    def test_connection(self):
        return {"shop_name": self._call("GET", "/seller/get")["data"].get("name") or ""}

    def fetch_listings(self):
        """Every product's SKUs (sold-out and inactive ones too), 50 products a page."""
        listings, offset, now = [], 0, self.clock()
        while True:
            params = {"filter": "all", "offset": offset, "limit": PRODUCTS_LIMIT}
            data = self._call("GET", "/products/get", params)["data"]
            for product in data.get("products") or []:
                name = (product.get("attributes") or {}).get("name") or ""
                listings += [_listing(product, sku, name, now) for sku in product.get("skus") or []]
            offset += PRODUCTS_LIMIT
            if offset >= int(data.get("total_products") or 0):
                return listings

    # ------------------------------------------------------------------ stock and prices

    def push_stock(self, entries):
        return self._update_skus(entries, lambda entry: f"<Quantity>{int(entry['quantity'])}</Quantity>")

    def push_prices(self, entries):
        return self._update_skus(entries, lambda entry: f"<Price>{entry['price']:.2f}</Price>")

    def _promote(self, entries, promotion):
        start, end = _sale_date(promotion["start"]), _sale_date(promotion["end"])
        return self._update_skus(entries, lambda entry: _special(entry, start, end))

    def _revert(self, entries, promotion):
        """The special prices end now: their window closes at this second (a window that had not
        opened yet opens and closes at it)."""
        now = self.clock()
        start, end = _sale_date(min(promotion["start"], now)), _sale_date(now)
        return self._update_skus(entries, lambda entry: _special(entry, start, end))

    def _update_skus(self, entries, element):
        """50 SKUs a call, as Lazada's XML payload; the SKUs Lazada refused come back in ``detail``."""
        errors = {}
        for start in range(0, len(entries), UPDATE_BATCH):
            batch = entries[start : start + UPDATE_BATCH]
            skus = "".join(f"<Sku>{_sku_key(entry)}{element(entry)}</Sku>" for entry in batch)
            payload = f"<Request><Product><Skus>{skus}</Skus></Product></Request>"
            answer = self._call("POST", "/product/price_quantity/update", {"payload": payload})
            for refusal in answer.get("detail") or []:
                errors[refusal.get("seller_sku")] = refusal.get("message") or answer.get("message")
        return sku_results(entries, lambda entry: errors.get(entry["sku"], ""))

    # ------------------------------------------------------------------ shipment

    def ship_order(self, order_ref, tracking_number, carrier):
        """Ready to ship: every live item of the order, with the seller's carrier and tracking number."""
        items = self._call("GET", "/order/items/get", {"order_id": order_ref})["data"]
        # Cancelled items stay behind; an order with nothing else is Lazada's to refuse.
        live = [item for item in items if item.get("status") != "canceled"] or items
        if all(item.get("status") in SHIPMENT_ARRANGED and item.get("tracking_code") for item in live):
            # Ready to ship already (a job tried again): not set again, its tracking number is the answer.
            return {"tracking_number": live[0]["tracking_code"]}
        ids = [item["order_item_id"] for item in live]
        if any(item.get("status") == "pending" for item in live):
            # Items are packed first (Lazada's carrier numbers the package), then set ready to ship.
            pending = [item["order_item_id"] for item in live if item.get("status") == "pending"]
            pack = {"pack_order_list": [{"order_id": order_ref, "order_item_list": pending}],
                    "delivery_type": "dropship", "shipping_allocate_type": "TFS"}  # fmt: skip
            self._call("POST", "/order/fulfill/pack", {"packReq": json.dumps(pack)})
        params = {"delivery_type": "dropship", "order_item_ids": json.dumps(ids),
                  "shipment_provider": carrier or "", "tracking_number": tracking_number or ""}  # fmt: skip
        self._call("POST", "/order/rts", params)
        if not tracking_number:
            items = self._call("GET", "/order/items/get", {"order_id": order_ref})["data"]
            tracking_number = next((item["tracking_code"] for item in items if item.get("tracking_code")), "")
        return {"tracking_number": tracking_number}

    def answer_cancellation(self, order_ref, accept):
        """The seller's decision on the buyer's cancellation request: the reverse order of type
        ``CANCEL`` waiting for it."""
        waiting = [
            reverse
            for reverse in self._reverse_orders({"trade_order_id": order_ref})
            if reverse.get("request_type") == "CANCEL"
            and any(
                line.get("reverse_status") == "REQUEST_INITIATE" for line in reverse["reverse_order_lines"]
            )
        ]
        if not waiting:
            raise ChannelError(f"Lazada: order {order_ref} has no cancellation request waiting")
        params = {
            "reverse_order_id": waiting[0]["reverse_order_id"],
            "agree_cancel": str(bool(accept)).lower(),
        }
        self._call("GET", "/order/reverse/cancel/seller/decide", params)

    # ------------------------------------------------------------------ tokens

    def exchange_code(self, code):
        """The first tokens, for the code the seller's authorization handed back."""
        self._keep_tokens(self._request("GET", "/auth/token/create", {"code": code}, token=False))

    def refresh(self):
        self._keep_tokens(
            self._request(
                "GET", "/auth/token/refresh", {"refresh_token": self.tokens["refresh_token"]}, token=False
            )
        )

    def _keep_tokens(self, answer):
        self.tokens = {
            "access_token": answer["access_token"],
            "refresh_token": answer["refresh_token"],
            "expires_at": self.clock() + answer["expires_in"],
            "refresh_expires_at": answer.get("refresh_expires_in")
            and self.clock() + answer["refresh_expires_in"],
        }
        self.save_tokens(self.tokens)

    # ------------------------------------------------------------------ HTTP

    def _sign(self, method, path, params, body, token=True):
        """Token APIs are signed without the access token."""
        query = {
            "app_key": self.key,
            "timestamp": str(int(self.clock() * 1000)),
            "sign_method": "sha256",
            **params,
        }
        if token:
            query["access_token"] = self.tokens.get("access_token")
        query = {key: str(value) for key, value in query.items()}
        query["sign"] = sign_lazada(self.secret, path, query)
        # A POST carries every parameter in its form body (the XML payload can be long).
        return {"url": self.base_url + path, **({"params": query} if method == "GET" else {"data": query})}

    def _wait(self, response):
        """Lazada refuses with HTTP 200: its API-level limit is waited out as it asks."""
        try:
            code = str(response.json().get("code"))
        except (ValueError, AttributeError):
            return None
        return 1.0 if code == NEXT_SECOND else None

    def _answer(self, response):
        answer = self._json(response)
        code = str(answer.get("code"))
        # A refusal that names SKUs in ``detail`` is a partial success: the caller reads it.
        if code != "0" and not answer.get("detail"):
            message = f"{code}: {answer.get('message')}"
            retryable = code in RETRYABLE or answer.get("type") == "ISP"
            raise ChannelError(message, retryable=retryable, auth=code in AUTH_ERRORS, code=code)
        return answer


def _sku_key(entry):
    """How the update names a SKU: Lazada's item and SKU ids when known, and always the seller SKU."""
    item_id, sku_id = escape(str(entry["item_id"])), escape(str(entry.get("model_id") or ""))
    ids = f"<ItemId>{item_id}</ItemId><SkuId>{sku_id}</SkuId>" if sku_id else ""
    return f"{ids}<SellerSku>{escape(entry['sku'])}</SellerSku>"


def _special(entry, start, end):
    price = f"<SalePrice>{entry['promotion_price']:.2f}</SalePrice>"
    return f"{price}<SaleStartDate>{start}</SaleStartDate><SaleEndDate>{end}</SaleEndDate>"


def _sale_date(seconds):
    return datetime.fromtimestamp(int(seconds), VIETNAM).strftime(SALE_DATE)


def _sale_price(sku, now):
    """What a buyer pays now: the special price inside its dates, else the price. A date without a
    time is a whole day: the end day is included."""
    price, special = float(sku.get("price") or 0), float(sku.get("special_price") or 0)
    edges = []
    for name, end in (("special_from_date", False), ("special_to_date", True)):
        text = sku.get(name) or ""
        try:
            moment = datetime.fromisoformat(text).replace(tzinfo=VIETNAM) if text else None
        except ValueError:
            return price
        edges.append(moment and (moment + timedelta(days=end and len(text) == 10)).timestamp())
    start, end = edges
    live = special and (start is None or start <= now) and (end is None or now < end)
    return special if live else price


def _listing(product, sku, name, now):
    return {
        "item_id": str(product["item_id"]),
        "model_id": str(sku["SkuId"]),
        "sku": sku.get("SellerSku") or "",
        "barcode": "",
        "name": name,
        "price": float(sku.get("price") or 0),
        "sale_price": _sale_price(sku, now),
        "quantity": float(sku.get("quantity") or 0),
    }


def _iso(seconds):
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()
