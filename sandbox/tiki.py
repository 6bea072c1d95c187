"""Tiki Open API, as far as the connector uses it: client-credentials tokens and the v2 order list
(page and limit, status set expressions, creation and update times in Vietnam local time, order
codes, ``order_by``; anything else refused with HTTP 400) and one order. Tiki has
no request signing: a wrong app secret gets no token and an unknown or expired token gets HTTP 401.
Also the seller, its warehouse, the products (v2.1 list, ``updateSku`` for stock and price, one
product a call), the drop-ship confirmation that readies an order for Tiki's pickup, and the event
queues Tiki has instead of webhooks: events of the subscribed types are routed to a queue as orders
are created and change; a pull hands out the oldest unacknowledged ones with an ``ack_id``, and a
batch comes again until that ``ack_id`` is acknowledged (by the next pull, or the ack call).

An order's life, in Tiki's statuses: ``waiting_payment`` (prepaid, not paid yet) → ``queueing`` (paid,
or cash on delivery: it waits for the seller's confirmation) → ``ready_to_ship`` (confirmed, Tiki's
carrier picks it up) → ``shipping`` → ``successful_delivery``; or ``canceled`` (by the buyer, or by
the seller: the drop-ship confirmation ``seller_canceled``), or ``returned``. The seller may confirm
some items only (``confirm-available`` with ``available_item_ids``): the others are cancelled
(``confirmation.status`` ``seller_canceled``) and the rest goes on. Tiki's return requests (RMA) have no
API in the documents at hand: a return shows on the order alone, ``returned`` once the goods came back
and Tiki refunded the buyer (the shop's stock restocked then, once), and the order list's ``is_rma``
finds the orders with a return. Each change is an ``ORDER_STATUS_UPDATED`` event.
"""

import base64
import re
import uuid
from datetime import datetime, timedelta, timezone

from .platform import PlatformApi, RateLimit, line_id, numeric_id, paid_time, parameter_problem

VIETNAM = timezone(timedelta(hours=7))
# Orders and their items have numeric ids of their own; an order's code is another number.
ORDER_BASE, ITEM_BASE = 100_000_000, 200_000_000_000
LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
MAX_LIMIT = 100
MAX_PRODUCTS = 50
MAX_EVENTS = 100  # events per pull
WAREHOUSE_ID = 159368
ORDER_EVENTS = ("ORDER_CREATED_SUCCESSFULLY", "ORDER_STATUS_UPDATED")
EVENT_TYPES = (*ORDER_EVENTS, "PRODUCT_INVENTORY_UPDATED", "PRODUCT_PRICE_UPDATED")
ORDER_STATUSES = ("queueing", "canceled", "complete", "successful_delivery", "processing", "waiting_payment",
                  "handover_to_partner", "closed", "packaging", "picking", "shipping", "paid", "delivered",
                  "holded", "ready_to_ship", "payment_review", "returned", "finished_packing")  # fmt: skip
ORDER_PARAMETERS = {"page": int, "limit": int, "code": str, "sku": str, "item_confirmation_status": str,
                    "item_inventory_type": str, "fulfillment_type": str, "status": str, "include": str,
                    "is_rma": int, "filter_date_by": ("today", "last7days", "last30days"),
                    "created_from_date": str, "created_to_date": str, "updated_from_date": str,
                    "updated_to_date": str,
                    "order_by": ("created_at|asc", "created_at|desc", "updated_at|asc",
                                 "updated_at|desc")}  # fmt: skip
PRODUCT_PARAMETERS = {"page": int, "limit": int, "include": str, "active": ("0", "1"), "name": str,
                      "category": int, "created_from_date": str, "updated_from_date": str}  # fmt: skip
# Assumptions (the documents list the statuses, not their meanings): queueing is an order waiting
# for the seller's confirmation, successful_delivery one the buyer received.
STATUSES = {"UNPAID": "waiting_payment", "READY_TO_SHIP": "queueing", "PROCESSED": "ready_to_ship",
            "SHIPPED": "shipping", "COMPLETED": "successful_delivery", "CANCELLED": "canceled",
            "TO_RETURN": "successful_delivery"}  # fmt: skip
CONFIRMATIONS = ("seller_confirmed", "seller_canceled")


class TikiApi(PlatformApi):
    # Tiki answers too many calls with HTTP 429. Assumption: its figure is not published in the
    # documents at hand; 50 calls a second per API for the seller's app is taken.
    RATE_LIMITS = (RateLimit("api", 50),)

    def __init__(self, shop, app_id="sandbox-tiki-app", app_secret="sandbox-tiki-secret", **options):
        super().__init__(shop, access_token_ttl=3599, **options)
        shop.name_locations([WAREHOUSE_ID])
        self.app_id, self.app_secret = app_id, app_secret
        self.queues = {}  # code → {"name", "types", "events", "acked": events acknowledged, "batches"}
        # Tiki's market price, the price before discount: the seller proposes it through a product
        # request Tiki reviews (not simulated), so it stays the catalog's price here.
        self.market_prices = {sku: item["price"] for sku, item in shop.items.items()}
        self.seen = {}  # order id → what its events last told (its status and items)

    def handle(self, method, path, query, body, headers):
        """``(HTTP status, JSON answer)``; ``body`` is the form of a token request, else the JSON."""
        if self.over_rate(path):
            return 429, {"errors": ["Too many requests"]}
        if (method, path) == ("POST", "/sc/oauth2/token"):
            return self._token(body, headers)
        if not self.token_is_valid((headers.get("authorization") or "").removeprefix("Bearer ")):
            return 401, {"errors": ["Unauthorized"]}
        if (method, path) == ("GET", "/integration/v2/orders"):
            return self._orders(query)
        self._route_events()
        for (verb, pattern), handler in ROUTES.items():
            match = re.fullmatch(pattern, path)
            if match and verb == method:
                return handler(self, query, body, *match.groups())
        return 404, {"errors": [f"{path} not found"]}

    def _token(self, form, headers):
        expected = base64.b64encode(f"{self.app_id}:{self.app_secret}".encode()).decode()
        if (
            headers.get("authorization") != f"Basic {expected}"
            or form.get("grant_type") != "client_credentials"
        ):
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed"}
        access, _refresh, _expires = self.new_tokens()
        return 200, {"access_token": access, "expires_in": self.access_token_ttl, "token_type": "bearer"}

    def _orders(self, query):
        """Orders by code, status (``in|a,b``, ``nin|a,b`` or ``a,b``), and creation and update
        times (Vietnam local ``YYYY-MM-DD HH:MM:SS``, bounds included), in ``order_by`` order (the
        newest created first unless told); refusals are HTTP 400 with Tiki's ``errors`` list."""
        problem = parameter_problem(query, ORDER_PARAMETERS)
        if problem:
            return 400, {"errors": [problem]}
        page, limit = int(query.get("page") or 1), int(query.get("limit") or 20)
        if page < 1 or not 1 <= limit <= MAX_LIMIT:
            return 400, {"errors": [f"page must be 1 or more and limit between 1 and {MAX_LIMIT}"]}
        bounds = []
        for field, prefix in (("create_time", "created"), ("update_time", "updated")):
            for edge in ("from", "to"):
                text = query.get(f"{prefix}_{edge}_date")
                if text and not LOCAL_TIME.fullmatch(text):
                    return 400, {"errors": [f"{prefix}_{edge}_date must be written YYYY-MM-DD HH:MM:SS"]}
                if text:
                    bounds.append((field, edge, _local(text)))
        if query.get("filter_date_by"):
            days = {"today": 0, "last7days": 7, "last30days": 30}[query["filter_date_by"]]
            start = datetime.fromtimestamp(self.shop.now, VIETNAM).replace(hour=0, minute=0, second=0)
            bounds.append(("create_time", "from", (start - timedelta(days=days)).timestamp()))
        negate, _bar, listed = (query.get("status") or "").rpartition("|")
        statuses = set(filter(None, listed.split(",")))
        if negate not in ("", "in", "nin") or statuses - set(ORDER_STATUSES):
            return 400, {"errors": ["status must be statuses of orders, as in|a,b or nin|a,b"]}
        codes = set(filter(None, (query.get("code") or "").split(",")))
        rma = query.get("is_rma")
        field, _bar, direction = (query.get("order_by") or "created_at|desc").partition("|")
        key = "update_time" if field == "updated_at" else "create_time"
        found = []
        for order in self.shop.orders.values():
            shown = self._order(order)
            if codes and shown["code"] not in codes:
                continue
            if statuses and (shown["status"] in statuses) == (negate == "nin"):
                continue
            if rma is not None and bool(self.shop.order_returns(order["id"])) != (rma == "1"):
                continue
            if all(
                order[f] >= moment if edge == "from" else order[f] <= moment for f, edge, moment in bounds
            ):
                found.append((order[key], shown["code"], shown))
        found.sort(key=lambda row: row[:2], reverse=direction == "desc")
        last_page = (len(found) + limit - 1) // limit
        rows = found[(page - 1) * limit : page * limit]
        first, last = (page - 1) * limit + 1 if rows else 0, (page - 1) * limit + len(rows)
        paging = {"total": len(found), "current_page": page, "from": first, "to": last, "per_page": limit,
                  "last_page": last_page}  # fmt: skip
        return 200, {"data": [shown for _moment, _code, shown in rows], "paging": paging}

    def ref(self, order_id):
        """Tiki's order code: a number written as a string."""
        return str(numeric_id(order_id))

    def _order_detail(self, query, body, code):
        order = self.order_of(code)
        if not order:
            return 404, {"errors": [f"Order {code} not found"]}
        return 200, self._order(order)

    # ------------------------------------------------------------------ seller and products

    def _seller(self, query, body):
        return 200, {"id": 145228, "name": self.shop_name, "active": 1, "operation_models": ["dropship"],
                     "can_update_product": 1, "registration_status": "completed"}  # fmt: skip

    def _inventories(self, query, body):
        address = {"street": "12 Lê Lợi", "ward": "Phường Bến Nghé", "district": "Quận 1"}
        inventory = {"id": WAREHOUSE_ID, "name": "Kho Sandbox", "type": "requisition"}
        mapping = {"tiki_warehouse_code": "sgn", "seller_inventory_ids": [WAREHOUSE_ID]}
        inventory["address"] = {**address, "region": "Hồ Chí Minh"}
        return 200, {"seller_inventories": [inventory], "mappings": [mapping]}

    def _products(self, query, body):
        problem = parameter_problem(query, PRODUCT_PARAMETERS)
        if problem:
            return 400, {"errors": [problem]}
        page, limit = int(query.get("page") or 1), int(query.get("limit") or 20)
        if not 1 <= limit <= MAX_PRODUCTS or page < 1:
            return 400, {"errors": ["limit must be between 1 and 50"]}
        # Every simulated product is active.
        found = sorted(self.shop.items.items(), key=lambda pair: pair[1]["item_id"])
        found = found if query.get("active", "1") == "1" else []
        rows = found[(page - 1) * limit : page * limit]
        paging = {"total": len(found), "current_page": page, "per_page": limit,
                  "last_page": (len(found) + limit - 1) // limit}  # fmt: skip
        return 200, {"data": [self._product(sku, item) for sku, item in rows], "paging": paging}

    def _product(self, sku, item):
        # Sellable: what buyers can order; the quantity also counts the units orders hold.
        sellable = self.shop.available(sku, WAREHOUSE_ID)
        quantity = sellable + self.shop.reserved(sku, WAREHOUSE_ID)
        stock = {"warehouse_id": WAREHOUSE_ID, "quantity_sellable": sellable, "quantity": quantity}
        name = f"{item['name']} - {item['variation']}" if item["variation"] else item["name"]
        return {"product_id": item["item_id"], "sku": str(item["model_id"]), "original_sku": sku,
                "name": name, "price": item["price"], "active": 1,
                "market_price": self.market_prices.get(sku, item["price"]),
                "inventory": {"warehouse_stocks": [stock]}}  # fmt: skip

    def _update_sku(self, query, body):
        """A product's price and/or its quantity in the seller's warehouse, all or nothing. The price
        is the buyer's from now on: Tiki's seller API has no scheduled promotion (its documents have
        products, their requests, ``updateSku`` with price, quantity and active, and
        ``updateProductInfo`` for the market price; nothing with dates), so a promotion is a price
        set when it starts and set back when it ends. Tiki refuses a price below a tenth of the
        listing's price before discount (its documents' example error; the HTTP status is assumed)."""
        sku, item = self.find_item("item_id", body.get("product_id"))
        if not item:
            return 400, {"errors": [f"update error [Product '{body.get('product_id')}' is not found]"]}
        quantities = body.get("warehouse_quantities") or []
        strangers = [place.get("warehouse_id") for place in quantities]
        strangers = [warehouse for warehouse in strangers if warehouse != WAREHOUSE_ID]
        if strangers:
            return 400, {"errors": [f"update error [Warehouse '{strangers}' are not found]"]}
        counts = [place.get("qty_available") for place in quantities]
        if any(not isinstance(count, int) or count < 0 for count in counts):
            return 400, {"errors": ["update error [qty_available must be a whole number, not below 0]"]}
        price = body.get("price")
        if price is not None and (not isinstance(price, int) or price <= 0):
            return 400, {"errors": ["update error [price must be a whole number above 0]"]}
        if price is not None and price * 10 < self.market_prices.get(sku, item["price"]):
            return 400, {"errors": ["Price is not valid because less than ten percent listing price"]}
        for place in quantities:
            self.shop.set_stock(sku, place["qty_available"], WAREHOUSE_ID)
        if price is not None:
            item["price"] = price
        return 200, {"state": "approved"}

    # ------------------------------------------------------------------ shipment

    def _confirm_dropship(self, query, body, code):
        """The seller has the goods (``seller_confirmed``): Tiki's carrier picks the order up (its
        tracking code); or has not (``seller_canceled``): the order is cancelled."""
        order = self.order_of(code)
        if not order:
            return 404, {"errors": [f"Order {code} not found"]}
        status = body.get("confirmation_status")
        if status not in CONFIRMATIONS or body.get("seller_inventory_id") != WAREHOUSE_ID:
            return 400, {"errors": ["confirmation_status must be seller_confirmed or seller_canceled, "
                                    "from a seller inventory"]}  # fmt: skip
        if status == "seller_canceled":
            # Assumption: the seller cancels only what waits for confirmation.
            done = order["status"] == "READY_TO_SHIP" and self.shop.cancel(
                order["id"], "seller", "Out of stock"
            )
        else:
            done = self.arrange_shipment(order["id"])
        if not done:
            return 400, {"errors": [f"Order {code} cannot be {status} in status {self._status(order)}"]}
        return 200, {"order_code": code, "confirmation_status": status}

    def _confirm_available(self, query, body, code):
        """The seller confirms the items it has (``available_item_ids``); Tiki cancels the others and
        the rest goes on to pickup. Assumption: third-party clients send this for drop-ship orders too."""
        order = self.order_of(code)
        if not order:
            return 404, {"errors": [f"Order {code} not found"]}
        available = body.get("available_item_ids")
        items = {row["id"]: row["product"]["seller_product_code"] for row in self._order(order)["items"]}
        if (
            not isinstance(available, list)
            or not set(available) <= set(items)
            or body.get("seller_inventory_id") != WAREHOUSE_ID
        ):
            return 400, {"errors": ["available_item_ids must be items of the order, from a seller inventory"]}
        if order["status"] != "READY_TO_SHIP" or order.get("cancel_request"):
            return 400, {"errors": [f"Order {code} cannot be confirmed in status {self._status(order)}"]}
        missing = [sku for item_id, sku in items.items() if item_id not in available]
        if missing:
            self.shop.cancel_items(order["id"], missing, "Out of stock")
        if available:
            self.arrange_shipment(order["id"])
        return 200, {
            "order_code": code,
            "confirmation_status": "seller_confirmed" if available else "seller_canceled",
        }

    # ------------------------------------------------------------------ event queues

    def _route_events(self):
        """Orders created or changed since the last request become events of the queues subscribed."""
        for order in self.shop.orders.values():
            before, status = self.seen.get(order["id"]), self._status(order)
            # Its status, and items cancelled while the order goes on.
            told = (status, tuple(order.get("cancelled_skus", ())))
            if before == told:
                continue
            self.seen[order["id"]] = told
            kind = "ORDER_STATUS_UPDATED" if before else "ORDER_CREATED_SUCCESSFULLY"
            event = {"id": str(uuid.uuid4()), "sid": "74334E866033E601CD908A23D96E12B220EC0F68",
                     "created_at": order["update_time"] * 1000, "type": kind, "version": "v1",
                     "payload": {"order_code": self.ref(order["id"]), "status": status}}  # fmt: skip
            for queue in self.queues.values():
                if kind in queue["types"]:
                    queue["events"].append(event)

    def _queue_list(self, query, body):
        return 200, [self._queue_info(code) for code in self.queues]

    def _queue_create(self, query, body):
        if not body.get("name"):
            return 400, {"errors": ["name is required"]}
        code = str(uuid.uuid4())
        self.queues[code] = {"name": body["name"], "types": set(), "events": [], "acked": 0, "batches": {}}
        return 200, self._queue_info(code)

    def _queue_info(self, code):
        return {"code": code, "name": self.queues[code]["name"], "status": "ACTIVE"}

    def _subscribe(self, query, body, code):
        if code not in self.queues:
            return 404, {"errors": [f"Queue {code} not found"]}
        if body.get("event_type") not in EVENT_TYPES:
            return 400, {"errors": [f"event_type must be one of {', '.join(EVENT_TYPES)}"]}
        self.queues[code]["types"].add(body["event_type"])
        return 200, {"code": str(uuid.uuid4()), "active": True, "event_type": body["event_type"]}

    def _pull(self, query, body, code):
        """The previous batch's ``ack_id`` acknowledges it; the oldest unacknowledged events follow."""
        if code not in self.queues:
            return 404, {"errors": [f"Queue {code} not found"]}
        queue = self.queues[code]
        self._acknowledge(queue, body.get("ack_id"))
        events = queue["events"][queue["acked"] : queue["acked"] + MAX_EVENTS]
        ack_id = str(uuid.uuid4())
        queue["batches"][ack_id] = queue["acked"] + len(events)
        return 200, {"events": events, "ack_id": ack_id}

    def _ack(self, query, body, code):
        if code not in self.queues:
            return 404, {"errors": [f"Queue {code} not found"]}
        if body.get("ack_id") not in self.queues[code]["batches"]:
            return 400, {"errors": ["ack_id is unknown"]}
        self._acknowledge(self.queues[code], body["ack_id"])
        return 200, {}

    def _acknowledge(self, queue, ack_id):
        # An older batch's ack_id, acknowledged already, changes nothing.
        queue["acked"] = max(queue["acked"], queue["batches"].get(ack_id, 0))

    def _status(self, order):
        """Tiki's status of the order: returned once refunded returns took back every unit kept."""
        if order["status"] == "TO_RETURN":
            kept = dict(order["lines"])
            for sku in order.get("cancelled_skus", ()):
                kept[sku] = 0
            for found in self.shop.order_returns(order["id"]):
                for sku, quantity in found["lines"] if found["status"] == "REFUND_PAID" else ():
                    kept[sku] -= quantity
            if all(left <= 0 for left in kept.values()):
                return "returned"
        return STATUSES[order["status"]]

    def _order(self, order):
        address = order["address"]
        shipping = {"full_name": order["buyer_name"], "street": "Số 1 Ấp X", "ward": address["ward"]}
        shipping.update(district=address["district"], region=address["province"], country_id="VN", phone="")
        items = []
        for sku, quantity in order["lines"]:
            item, price = self.shop.items[sku], self.shop.unit_price(order, sku)
            product = {
                "id": item["item_id"],
                "sku": str(item["model_id"]),
                "name": item["name"],
                "seller_product_code": sku,
            }
            row_total = price * quantity
            # Tiki's amounts are whole numbers of VND.
            invoice = {"price": price, "quantity": quantity, "subtotal": row_total,
                       "row_total": row_total, "discount_amount": 0, "seller_income": row_total}  # fmt: skip
            confirmed = "seller_confirmed" if order.get("tracking_number") else "waiting"
            if sku in order.get("cancelled_skus", ()):
                confirmed = "seller_canceled"
            items.append(
                {
                    "id": line_id(ITEM_BASE, order["id"], len(items)),
                    "qty": quantity,
                    "price": price,
                    "product": product,
                    "invoice": invoice,
                    "confirmation": {"status": confirmed},
                }
            )
        subtotal, paid = sum(row["invoice"]["row_total"] for row in items), paid_time(order)
        return {
            "id": line_id(ORDER_BASE, order["id"], 0),
            "code": self.ref(order["id"]),
            "status": self._status(order),
            "created_at": _text(order["create_time"]),
            "updated_at": _text(order["update_time"]),
            "items": items,
            "fulfillment_type": "dropship",
            "shipping": {"address": shipping, "tracking_code": order.get("tracking_number", "")},
            "payment": {
                "method": "cod" if order["cod"] else "tikixu",
                "is_prepaid": not order["cod"],
                "status": "success" if paid else "pending",
                "description": "Thanh toán tiền mặt khi nhận hàng" if order["cod"] else "Tiki Xu",
            },
            # Tiki's carrier takes the shipping fee from the buyer: none of it is the seller's.
            "invoice": {
                "items_count": len(items),
                "items_quantity": sum(row["qty"] for row in items),
                "subtotal": subtotal,
                "grand_total": subtotal,
                "collectible_amount": 0 if paid or not order["cod"] else subtotal,
                "discount_amount": 0,
                "shipping_amount_after_discount": 0,
                "purchased_at": _text(order["create_time"]),
            },
            "customer": {"id": order["buyer_id"], "full_name": order["buyer_name"]},
        }


ROUTES = {
    ("GET", r"/integration/v2/orders/([^/]+)"): TikiApi._order_detail,
    ("GET", "/integration/v2/sellers/me"): TikiApi._seller,
    ("GET", "/integration/v2/seller-inventories"): TikiApi._inventories,
    ("GET", "/integration/v2.1/products"): TikiApi._products,
    ("PUT", "/integration/v2.1/products/updateSku"): TikiApi._update_sku,
    ("POST", r"/integration/v2/orders/([^/]+)/dropship/confirm-available"): TikiApi._confirm_dropship,
    ("POST", r"/integration/v2/orders/([^/]+)/confirm-available"): TikiApi._confirm_available,
    ("GET", "/integration/v1/queues"): TikiApi._queue_list,
    ("POST", "/integration/v1/queues"): TikiApi._queue_create,
    ("POST", r"/integration/v1/queues/([^/]+)/subscriptions"): TikiApi._subscribe,
    ("POST", r"/integration/v1/queues/([^/]+)/events/pull"): TikiApi._pull,
    ("POST", r"/integration/v1/queues/([^/]+)/events/ack"): TikiApi._ack,
}


def _local(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=VIETNAM).timestamp()


def _text(seconds):
    return datetime.fromtimestamp(seconds, VIETNAM).strftime("%Y-%m-%d %H:%M:%S")
