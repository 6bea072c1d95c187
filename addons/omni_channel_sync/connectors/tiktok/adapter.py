"""TikTok Shop Partner API (202309) over HTTP: signing, tokens, order pull, listings, stock and price
pushes, promotion activities, package shipping. No ORM here.

The API host and the auth host differ on the real platform; ``base_url`` serves both here.
``shop_id`` is the shop's cipher (``shop_cipher``).
"""

import json
import time

from ..base import SELLING, Adapter
from ..errors import ChannelError, sku_results
from .signing import sign_tiktok

PAGE_SIZE = 100
DETAIL_BATCH = 50
AUTH_CODES = (105001, 105002, 105003, 106002)
SHOPS_PATH = "/authorization/202309/shops"
# Order statuses once its packages are shipped (handed over or waiting for the carrier).
SHIPMENT_ARRANGED = ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED")
PRODUCT_ERRORS = range(12000000, 13000000)  # refusals of one product's update (unknown product or SKU...)
# Refusals of one product's deal in an activity (its price, another activity holding the SKU...): the
# promotion module's codes. TikTok publishes no table of them; its modules number their codes by range.
PROMOTION_ERRORS = range(17000000, 18000000)
ACTIVITY_BATCH = 300  # SKUs a call
ACTIVITY_LEAD = 300  # seconds: an activity begins later than now; the margin covers the way there


class TiktokAdapter(Adapter):
    PLATFORM = "TikTok Shop"
    REFRESH_MARGIN = 60
    AUTH_STATUS = None  # a wrong signature is a 401 too: the code tells (AUTH_CODES)
    CAPABILITIES = SELLING | {
        "webhook_orders",
        "answer_cancellation",
        "cancellation_reject_reasons",
        "exchange_code",
        "push_promotion",
        "end_promotion",
    }
    PROMOTION_WINDOW = True  # an activity starts and ends itself at its times

    def fetch_orders(self, since, until):
        """``[(order,)]`` for every order updated in [since, until]: the search pages, then details."""
        ids, token = [], ""
        while True:
            query = {"page_size": PAGE_SIZE, "sort_field": "update_time", "sort_order": "ASC"}
            if token:
                query["page_token"] = token
            body = {"update_time_ge": int(since), "update_time_lt": int(until) + 1}
            data = self._call("POST", "/order/202309/orders/search", query, body)
            ids += [order["id"] for order in data.get("orders") or []]
            token = data.get("next_page_token")
            if not token:
                break
        window = {"update_time_ge": int(since), "update_time_lt": int(until) + 1}
        returned = [
            entry["order_id"]
            for entry in self._pages("/return_refund/202309/returns/search", window, "return_orders")
        ]
        return self._with_returns(self.order_details(list(dict.fromkeys(ids + returned))))

    def _with_returns(self, orders):
        """``[(order, returns, cancel_id)]``: each order with its returns (and refunds), and the id of
        the buyer's cancellation request waiting for the seller (kept, the request is answered in one
        call), asked 50 orders at a time."""
        returns, cancellations = {}, {}
        for start in range(0, len(orders), DETAIL_BATCH):
            batch = orders[start : start + DETAIL_BATCH]
            body = {"order_ids": [order["id"] for order in batch]}
            for entry in self._pages("/return_refund/202309/returns/search", body, "return_orders"):
                returns.setdefault(str(entry["order_id"]), []).append(entry)
            asking = [order["id"] for order in batch if order.get("is_buyer_request_cancel")]
            if asking:
                cancellations.update(self._pending_cancellations(asking))
        return [
            (order, returns.get(str(order["id"]), []), cancellations.get(str(order["id"])))
            for order in orders
        ]

    def _pages(self, path, body, key):
        """Every row under ``key`` of a search's pages."""
        rows, token = [], ""
        while True:
            query = {"page_size": PAGE_SIZE, **({"page_token": token} if token else {})}
            data = self._call("POST", path, query, body)
            rows += data.get(key) or []
            token = data.get("next_page_token")
            if not token:
                return rows

    def answer_cancellation(self, order_ref, accept, reason=None, request_id=None):
        """Approve or reject the buyer's cancellation request of the order: ``request_id``, its
        ``cancel_id`` as the order brought it, or the one TikTok finds waiting. TikTok refuses a
        rejection without a reason: ``reason`` is the name of one :meth:`cancellation_reject_reasons`
        offered, else the first one TikTok offers is given."""
        for cancel_id in self._request_ids(order_ref, request_id):
            if accept:
                self._call("POST", f"/return_refund/202309/cancellations/{cancel_id}/approve", body={})
                continue
            rejection = {"reject_reason": reason or self._reject_reasons(cancel_id)[0]["name"]}
            self._call("POST", f"/return_refund/202309/cancellations/{cancel_id}/reject", body=rejection)

    def cancellation_reject_reasons(self, order_ref, locale="en-US", request_id=None):
        """``[{"name", "text"}]``: the reasons TikTok offers now to reject the buyer's cancellation
        request of the order (they change with the request; ``request_id`` as in
        :meth:`answer_cancellation`), their texts in ``locale`` (BCP 47)."""
        pending = self._request_ids(order_ref, request_id)
        if not pending:
            raise ChannelError(f"TikTok Shop order {order_ref} has no cancellation request waiting")
        return self._reject_reasons(pending[0], locale)

    def _request_ids(self, order_ref, request_id):
        return [request_id] if request_id else list(self._pending_cancellations([order_ref]).values())

    def _pending_cancellations(self, order_refs):
        """``{order id: cancel_id}`` of the buyer's cancellation requests of the orders waiting for
        the seller."""
        body = {
            "order_ids": [str(ref) for ref in order_refs],
            "cancel_status": ["CANCELLATION_REQUEST_PENDING"],
        }
        found = self._pages("/return_refund/202309/cancellations/search", body, "cancellations")
        return {str(cancellation["order_id"]): cancellation["cancel_id"] for cancellation in found}

    def _reject_reasons(self, cancel_id, locale="en-US"):
        query = {"return_or_cancel_id": cancel_id, "locale": locale}
        reasons = self._call("GET", "/return_refund/202309/reject_reasons", query).get("reasons")
        if not reasons:
            raise ChannelError(f"TikTok Shop offers no reason to reject cancellation {cancel_id}")
        return [{"name": reason["name"], "text": reason.get("text") or reason["name"]} for reason in reasons]

    def order_details(self, ids):
        """Full orders, asked 50 at a time (TikTok's limit)."""
        orders = []
        for start in range(0, len(ids), DETAIL_BATCH):
            query = {"ids": ",".join(ids[start : start + DETAIL_BATCH])}
            orders += self._call("GET", "/order/202309/orders", query)["orders"]
        return orders

    def webhook_orders(self, payload):
        """``[(order, returns)]`` of the order a webhook names (order status, cancellation, return,
        address and package updates carry its id only). Webhooks about products or the shop name none."""
        order_id = (payload.get("data") or {}).get("order_id")
        return self._with_returns(self.order_details([str(order_id)])) if order_id else []

    # ------------------------------------------------------------------ shop and listings

    def test_connection(self):
        shops = self._call("GET", SHOPS_PATH, shop=False).get("shops") or [{}]
        shop = next((shop for shop in shops if shop.get("cipher") == self.shop_id), shops[0])
        return {"shop_name": shop.get("name") or ""}

    def fetch_listings(self):
        """Every active product's SKUs: the search pages name the products, each product's detail
        gives its SKUs with their barcodes; the activities running now their sale price."""
        listings, token, deals = [], "", self._running_deals()
        while True:
            query = {"page_size": PAGE_SIZE, **({"page_token": token} if token else {})}
            data = self._call("POST", "/product/202309/products/search", query, {"status": "ACTIVATE"})
            for found in data.get("products") or []:
                product = self._call("GET", f"/product/202309/products/{found['id']}")
                listings += [_listing(product, sku, deals) for sku in product.get("skus") or []]
            token = data.get("next_page_token")
            if not token:
                return listings

    # ------------------------------------------------------------------ stock and prices

    def push_stock(self, entries):
        return self._update_products(
            entries, "inventory", lambda entry: {"inventory": [{"quantity": int(entry["quantity"])}]}
        )

    def push_prices(self, entries):
        def price(entry):  # VND prices are whole numbers
            return {"price": {"amount": str(round(entry["price"])), "currency": "VND"}}

        return self._update_products(entries, "prices", price)

    def _update_products(self, entries, what, sku_update):
        """One call per product, all its SKUs in it; TikTok refuses a product's update as a whole."""
        by_product = {}
        for entry in entries:
            by_product.setdefault(str(entry["item_id"]), []).append(entry)
        errors = {}
        for product_id, product_entries in by_product.items():
            if not product_id:
                errors.update(dict.fromkeys(map(id, product_entries), "No TikTok Shop product id"))
                continue
            skus = [{"id": str(entry["model_id"]), **sku_update(entry)} for entry in product_entries]
            try:
                self._call(
                    "POST", f"/product/202309/products/{product_id}/{what}/update", body={"skus": skus}
                )
                error = ""
            except ChannelError as refusal:
                if refusal.code not in PRODUCT_ERRORS:
                    raise
                error = str(refusal)
            errors.update(dict.fromkeys(map(id, product_entries), error))
        return sku_results(entries, lambda entry: errors[id(entry)])

    # ------------------------------------------------------------------ promotion activities

    def push_promotion(self, promotion):
        """The shop's activity for ``promotion`` (a fixed price per SKU): created, or the one of its
        ``ref`` brought to it (title, window, SKUs added, changed and removed). One call per product:
        TikTok refuses a call as a whole, and a product's refusal is its entries' result."""
        current = self._activity(promotion["ref"]) if promotion["ref"] else None
        start = max(int(promotion["start"]), int(self.clock()) + ACTIVITY_LEAD)
        if not current or current["status"] in ("EXPIRED", "DEACTIVATED"):
            body = {
                "title": _title(promotion["name"], start),
                "activity_type": "FIXED_PRICE",
                "product_level": "VARIATION",
                "begin_time": start,
                "end_time": int(promotion["end"]),
            }
            ref, held = self._call("POST", "/promotion/202309/activities", body=body)["activity_id"], {}
        else:
            ref, held = promotion["ref"], _activity_prices(current)
            start = self._update_activity(current, promotion)
        try:
            errors = self._activity_skus(ref, promotion["entries"], held)
        except ChannelError as error:
            error.promotion_ref = ref  # made already: the retry completes this one
            raise
        results = sku_results(promotion["entries"], lambda entry: errors[id(entry)])
        return {"ref": ref, "start": start, "results": results}

    def end_promotion(self, promotion):
        """Deactivated now, running or not started yet; one over already is left as it is."""
        current = self._activity(promotion["ref"]) if promotion["ref"] else None
        if current and current["status"] in ("NOT_START", "ONGOING"):
            self._call("POST", f"/promotion/202309/activities/{promotion['ref']}/deactivate", body={})
        return sku_results(promotion["entries"], lambda entry: "")

    def _activity(self, ref):
        return self._call("GET", f"/promotion/202309/activities/{ref}")

    def _update_activity(self, current, promotion):
        """The activity's title and window brought to the promotion; the begin time TikTok keeps."""
        body, start = {}, current["begin_time"]
        # Begun already, or beginning as early as the promotion asks: its begin time stays.
        if current["status"] == "NOT_START" and int(promotion["start"]) > start:
            start = body["begin_time"] = max(int(promotion["start"]), int(self.clock()) + ACTIVITY_LEAD)
        if _title(promotion["name"], start) != current["title"]:
            body["title"] = _title(promotion["name"], start)
        if int(promotion["end"]) != current["end_time"]:
            body["end_time"] = int(promotion["end"])
        if body:
            self._call("PUT", f"/promotion/202309/activities/{current['activity_id']}", body=body)
        return start

    def _activity_skus(self, ref, entries, held):
        """The activity's SKUs made ``entries``' prices (``held``: {sku id: price} it has):
        ``{id(entry): TikTok's refusal}``, "" for those taken."""
        errors, by_product = {}, {}
        for entry in entries:
            if not entry["item_id"] or not entry["model_id"]:
                errors[id(entry)] = "No TikTok Shop product or SKU id"
            elif held.get(str(entry["model_id"])) != round(entry["promotion_price"]):
                by_product.setdefault(str(entry["item_id"]), []).append(entry)
        for product_id, product_entries in by_product.items():
            skus = [
                {"id": str(entry["model_id"]), "activity_price_amount": str(round(entry["promotion_price"])),
                 "quantity_limit": -1, "quantity_per_user": -1}
                for entry in product_entries
            ]  # fmt: skip
            product = {"id": product_id, "quantity_limit": -1, "quantity_per_user": -1, "skus": skus}
            try:
                body = {"activity_id": ref, "products": [product]}
                self._call("PUT", f"/promotion/202309/activities/{ref}/products", body=body)
                error = ""
            except ChannelError as refusal:
                if refusal.code not in PROMOTION_ERRORS and refusal.code not in PRODUCT_ERRORS:
                    raise
                error = str(refusal)
            errors.update(dict.fromkeys(map(id, product_entries), error))
        removed = sorted(held.keys() - {str(entry["model_id"]) for entry in entries})
        for start in range(0, len(removed), ACTIVITY_BATCH):
            body = {"sku_ids": removed[start : start + ACTIVITY_BATCH]}
            self._call("DELETE", f"/promotion/202309/activities/{ref}/products", body=body)
        return {id(entry): errors.get(id(entry), "") for entry in entries}

    def _running_deals(self):
        """``{sku id or product id: deal}`` of the activities running now: TikTok's product reads
        show the regular price only."""
        deals, token = {}, ""
        while True:
            body = {"status": "ONGOING", "page_size": PAGE_SIZE, "page_token": token}
            data = self._call("POST", "/promotion/202309/activities/search", body=body)
            for found in data.get("activities") or []:
                for product in self._activity(found["id"]).get("products") or []:
                    for offer in product.get("skus") or [product]:
                        deals[str(offer["id"])] = offer
            token = data.get("next_page_token")
            if not token:
                return deals

    # ------------------------------------------------------------------ shipment

    def ship_order(self, order_ref, tracking_number, carrier):
        """Ship every package of the order: dropped off with the seller's tracking number and carrier
        (TikTok's shipping provider id), or picked up by TikTok's carrier when there is no number."""
        (order,) = self.order_details([order_ref])
        if order.get("status") in SHIPMENT_ARRANGED:
            # Shipped already (a job tried again): not shipped again, its tracking number is the answer.
            return {"tracking_number": order.get("tracking_number") or tracking_number or ""}
        if tracking_number:
            shipment = {"tracking_number": tracking_number, "shipping_provider_id": carrier or ""}
            handover = {"handover_method": "DROP_OFF", "self_shipment": shipment}
        else:
            handover = {"handover_method": "PICKUP"}
        # A split order ships package by package: those shipped already (a job tried again) are not.
        partly = order.get("status") == "PARTIALLY_SHIPPING"
        lines = order.get("line_items") or []
        shipped = {
            item.get("package_id") for item in lines if partly and item.get("package_status") != "TO_FULFILL"
        }
        for package in order.get("packages") or []:
            if package["id"] not in shipped:
                self._call("POST", f"/fulfillment/202309/packages/{package['id']}/ship", body=handover)
        if not tracking_number:
            (order,) = self.order_details([order_ref])
            tracking_number = order.get("tracking_number") or ""
        return {"tracking_number": tracking_number}

    # ------------------------------------------------------------------ tokens

    def exchange_code(self, code):
        """The first tokens, for the code the seller's authorization handed back (auth host, unsigned)."""
        self._token("/api/v2/token/get", {"auth_code": code, "grant_type": "authorized_code"})

    def refresh(self):
        params = {"refresh_token": self.tokens["refresh_token"], "grant_type": "refresh_token"}
        self._token("/api/v2/token/refresh", params)

    def _token(self, path, params):
        data = self._request("GET", path, params, signed=False)
        # TikTok's *_expire_in are moments (unix times), not durations.
        self.tokens = {"access_token": data["access_token"], "refresh_token": data["refresh_token"],
                       "expires_at": data["access_token_expire_in"],
                       "refresh_expires_at": data.get("refresh_token_expire_in")}  # fmt: skip
        self.save_tokens(self.tokens)

    # ------------------------------------------------------------------ HTTP

    def _sign(self, method, path, params, body, shop=True, signed=True):
        """Shop-scoped APIs name the shop by its cipher; the token APIs (auth host) take the app's
        secret instead of a signature."""
        if not signed:
            return {
                "url": self.base_url + path,
                "params": {"app_key": self.key, "app_secret": self.secret, **params},
            }
        raw = json.dumps(body, separators=(",", ":")) if body is not None else ""
        query = {key: str(value) for key, value in params.items()}
        query.update(app_key=self.key, timestamp=str(int(self.clock())))
        if shop:
            query["shop_cipher"] = self.shop_id
        query["sign"] = sign_tiktok(self.secret, path, query, raw)
        headers = {
            "x-tts-access-token": self.tokens.get("access_token") or "",
            "content-type": "application/json",
        }
        return {
            "url": self.base_url + path,
            "params": query,
            "data": raw.encode() or None,
            "headers": headers,
        }

    def _answer(self, response):
        answer = self._json(response)
        code = answer.get("code")
        if code != 0:
            raise ChannelError(f"{code}: {answer.get('message')}", auth=code in AUTH_CODES, code=code)
        return answer["data"]

    def _describe(self, response):
        try:
            answer = response.json()
        except ValueError:
            return f"HTTP {response.status_code}"
        return f"{answer.get('code')}: {answer.get('message')}"


def _title(name, begin):
    """An activity's title: TikTok wants it unique among all the shop's activities, ended ones too,
    and 50 characters at most; the begin time (UTC) tells a campaign's runs apart."""
    return f"{name[:36]} {time.strftime('%y%m%d-%H%M%S', time.gmtime(begin))}"


def _activity_prices(activity):
    """``{sku id: activity price}`` of a VARIATION-level fixed-price activity."""
    return {
        str(sku["id"]): round(float((sku.get("activity_price") or {}).get("amount") or 0))
        for product in activity.get("products") or []
        for sku in product.get("skus") or []
    }


def _deal_price(deal, price):
    """What a buyer pays under an activity's deal: its activity price, or the percentage off."""
    if deal.get("activity_price"):
        return float(deal["activity_price"]["amount"])
    return round(price * (100 - float(deal.get("discount") or 0)) / 100)


def _listing(product, sku, deals=None):
    """A SKU's listing; ``deals``: those of the activities running now, by SKU or product id."""
    deals = deals or {}
    deal = deals.get(str(sku["id"])) or deals.get(str(product["id"]))
    options = [attribute.get("value_name") for attribute in sku.get("sales_attributes") or []]
    options = ", ".join(option for option in options if option)
    price = sku.get("price") or {}
    regular = float(price.get("sale_price") or 0)
    return {
        "item_id": str(product["id"]),
        "model_id": str(sku["id"]),
        "sku": sku.get("seller_sku") or "",
        "barcode": (sku.get("identifier_code") or {}).get("code") or "",
        "name": f"{product.get('title') or ''} ({options})" if options else product.get("title") or "",
        "price": regular,
        "sale_price": float(_deal_price(deal, regular)) if deal else regular,
        "quantity": float(sum(place.get("quantity") or 0 for place in sku.get("inventory") or [])),
    }
