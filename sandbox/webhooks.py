"""The platforms' push side: a callback URL registered per platform, as in the platform's console
(``register``, or ``POST /_sandbox/<platform>/webhook {"url": ...}``), and signed POSTs of the
platform's own notifications to it.

- Shopee: an order status push (code 3), the carrier's tracking number (code 4), a return's update
  (code 29), ``Authorization`` = hex HMAC of ``url|body`` with the
  partner key; ``timestamp`` is the push's time (a receiver refuses old pushes).
- Lazada: a trade order push (message type 0) per order line, ``Authorization`` = hex HMAC of
  ``app_key + body`` with the app secret; ``timestamp`` is the delivery's time.
- TikTok Shop: an order status webhook (type 1), signed as Lazada's.
- Shopify and WooCommerce: the whole order, as their simulators' ``webhook(order_id, topic)`` make it.

``send(platform, order_id, times=20)`` delivers the same notification 20 times at once, as a
platform retrying into a slow receiver does (``POST /_sandbox/<platform>/push {"order_id": ...,
"times": 20}`` over HTTP).

``push_soon(platform, order_id)`` is what a store does after a change made through its API
(WooCommerce's ``order.updated`` after an order or refund written over REST): one delivery to the
registered URL, in the background, the API's answer waiting for no receiver.

``send_authorization(platform, event)`` (``POST /_sandbox/<platform>/push {"event": ...}``) sends
what a platform pushes about the seller's authorization of the app: ``deauthorized`` (the platform
takes no token of the shop any more: Shopee's shop authorization canceled push, code 2; TikTok
Shop's seller deauthorization, type 6; Shopify's ``app/uninstalled``), ``expiring`` (Shopee's
authorization expiry push, code 12, 7 days ahead; Lazada's access token expiry, type 8, 48 hours
ahead; TikTok Shop's upcoming authorization expiration, type 7) and ``authorized`` (Shopee's shop
authorization push, code 1).
"""

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from . import platform_signing as signing
from .platform import webhook_body

TIMEOUT = 30
# A push after an API call is given up soon: its receiver may be a URL a test made up.
PUSH_SOON_TIMEOUT = 5
# Deliveries in flight at once, as a platform retrying into one receiver opens (a single Odoo
# process serves about 60 requests at once: its database connection pool is that large).
MAX_CONCURRENT = 20
# The platforms that push of more than the order's state (``send``'s topics).
TOPICS = ("shopee", "lazada", "tiktok")
# Shopee's push codes: order status, tracking number, and (the simulator's number) return updates.
SHOPEE_STATUS_PUSH, SHOPEE_TRACKING_PUSH, SHOPEE_RETURN_PUSH = 3, 4, 29
LAZADA_SELLER_ID = "200188001"
TIKTOK_ORDER_WEBHOOK, TIKTOK_RETURN_WEBHOOK = 1, 12  # TikTok's webhook types: order status, return status
LAZADA_ORDER_PUSH, LAZADA_REVERSE_PUSH = 0, 10  # Lazada's message types: trade order, reverse order
TIKTOK_SHOP_ID = "7494049642642441621"
# The pushes about the seller's authorization, per platform and event: Shopee's codes, Lazada's message
# type, TikTok Shop's webhook types (their numbers as documented; the fields of their ``data`` are
# assumptions: the documents at hand name the pushes, not all their fields).
AUTHORIZATION_PUSHES = {
    "shopee": {"authorized": 1, "deauthorized": 2, "expiring": 12},
    "lazada": {"expiring": 8},
    "tiktok": {"deauthorized": 6, "expiring": 7},
    "shopify": {"deauthorized": "app/uninstalled"},
}
# How long ahead each platform tells of the end of the authorization (Shopee 7 days, Lazada 48 hours;
# TikTok Shop's, not documented, taken as Shopee's).
EXPIRY_NOTICE = {"shopee": 7 * 24 * 3600, "lazada": 48 * 3600, "tiktok": 7 * 24 * 3600}
# The channels of the demo shop (omni_retail_demo): ``--webhook-url-base`` ends in their codes.
DEMO_CHANNEL_CODES = {"shopee": "shopee_vn", "lazada": "lazada_vn", "tiktok": "tiktok_vn",
                      "shopify": "shopify_store", "woocommerce": "woocommerce_store"}  # fmt: skip


class Webhooks:
    def __init__(self, simulator):
        self.simulator = simulator
        self.urls = {}

    def platforms(self):
        """The platforms that push: the marketplaces, and the storefronts simulated here."""
        storefronts = [name for name in ("shopify", "woocommerce") if hasattr(self.simulator, name)]
        return ["shopee", "lazada", "tiktok", *storefronts]

    def register(self, platform, url):
        if platform not in self.platforms():
            raise ValueError(f"{platform} sends no webhooks here")
        self.urls[platform] = url

    def register_demo(self, url_base):
        """Every demo channel's webhook URL: ``<url_base>/<channel code>``."""
        for platform in self.platforms():
            self.register(platform, f"{url_base.rstrip('/')}/{DEMO_CHANNEL_CODES[platform]}")

    def notifications(self, platform, order_id, topic=None):
        """``[(raw body, headers)]`` the platform sends about the order as it is now, signed for the
        registered URL. Call it holding the simulator's lock."""
        order = self._orders(platform)[order_id]
        return getattr(self, f"_{platform}")(order, self.urls[platform], topic)

    def _orders(self, platform):
        return getattr(self.simulator, platform).shop.orders

    def send(self, platform, order_id, times=1, topic=None):
        """POST the order's notifications ``times`` times each, all at once; the HTTP statuses."""
        with self.simulator.lock:
            deliveries = self.notifications(platform, order_id, topic) * times
        url = self.urls[platform]
        with ThreadPoolExecutor(max_workers=min(len(deliveries), MAX_CONCURRENT) or 1) as pool:
            return list(pool.map(lambda delivery: self._deliver(platform, url, *delivery), deliveries))

    def push_soon(self, platform, order_id):
        """The order's notifications, sent once in the background to the platform's registered URL
        (none registered: nothing sent); a delivery that fails is dropped, as a store's webhook that
        fails. Call it holding the simulator's lock: the notifications tell of the order as it is now."""
        url = self.urls.get(platform)
        if not url:
            return
        deliveries = self.notifications(platform, order_id)
        threading.Thread(target=_post_quietly, args=(url, deliveries), daemon=True).start()

    def _deliver(self, platform, url, body, headers):
        """POST one notification; Shopee keeps those not taken (refused, or no answer) as lost pushes,
        which its partner asks for later (``get_lost_push_message``)."""
        try:
            status = _post(url, body, headers)
        except OSError:
            if platform == "shopee":
                self.simulator.shopee.lose_push(body)
            raise
        if platform == "shopee" and not 200 <= status < 300:
            self.simulator.shopee.lose_push(body)
        return status

    def push_all(self, changes):
        """What the demo does for each new or changed order, ``(shop, order id, topic)``: the
        platforms selling from that shop notify (the topics, tracking number and return, are Shopee's
        pushes of their own; the others tell of the order's new state)."""
        for platform in self.urls:
            for shop, order_id, topic in changes:
                if shop is getattr(self.simulator, platform).shop:
                    self.send(platform, order_id, topic=topic if platform in TOPICS else None)

    def authorization_notification(self, platform, event):
        """``(raw body, headers)`` of the platform's news of the seller's authorization
        (``AUTHORIZATION_PUSHES``), signed for the registered URL; a deauthorization first revokes
        the shop's tokens, as the platform does. Call it holding the simulator's lock."""
        api = getattr(self.simulator, platform)
        if event == "deauthorized":
            api.revoke()
        code = AUTHORIZATION_PUSHES[platform][event]
        expires = int(time.time()) + EXPIRY_NOTICE.get(platform, 0)
        return getattr(self, f"_{platform}_authorization")(api, self.urls[platform], code, expires)

    def send_authorization(self, platform, event):
        """POST the platform's news of the seller's authorization; the HTTP statuses."""
        with self.simulator.lock:
            delivery = self.authorization_notification(platform, event)
        return [self._deliver(platform, self.urls[platform], *delivery)]

    def handle(self, method, platform, action, payload):
        """``/_sandbox/<platform>/webhook`` (GET: the URL; POST ``{"url"}``: register it) and
        ``/_sandbox/<platform>/push`` (POST ``{"order_id", "times", "topic"}``, or ``{"event"}``: the
        seller's authorization)."""
        if platform not in self.platforms():
            return 404, {"error": "not_found", "message": f"{platform} sends no webhooks"}
        if action == "webhook" and method == "GET":
            return 200, {"url": self.urls.get(platform)}
        if action == "webhook" and payload.get("url"):
            self.register(platform, payload["url"])
            return 200, {"url": payload["url"]}
        event = payload.get("event")
        if action == "push" and platform in self.urls and event in AUTHORIZATION_PUSHES.get(platform, ()):
            return 200, {"statuses": self.send_authorization(platform, event)}
        order_id = payload.get("order_id")
        if action == "push" and platform in self.urls and order_id in self._orders(platform):
            times = max(1, min(int(payload.get("times") or 1), 1000))
            return 200, {"statuses": self.send(platform, order_id, times, payload.get("topic"))}
        return 400, {"error": "error_param", "message": "Register a URL first, then push a known order_id."}

    # ------------------------------------------------------------------ the platforms' notifications

    def _shopee(self, order, url, topic):
        """The order status push (code 3), or by ``topic``: the carrier's tracking number (``tracking``,
        code 4) or the update of the order's last return (``return``)."""
        api = self.simulator.shopee
        if topic == "tracking":
            code = SHOPEE_TRACKING_PUSH
            data = {"ordersn": order["id"], "forder_id": order["id"], "package_number": f"OFG{order['id']}",
                    "tracking_no": order.get("tracking_number") or ""}  # fmt: skip
        elif topic == "return":
            code, found = SHOPEE_RETURN_PUSH, api.shop.order_returns(order["id"])[-1]
            data = {"return_sn": found["id"], "ordersn": order["id"], "status": found["status"],
                    "update_time": found["update_time"]}  # fmt: skip
        else:
            status = "IN_CANCEL" if order.get("cancel_request") else order["status"]
            code = SHOPEE_STATUS_PUSH
            data = {"items": [], "ordersn": order["id"], "status": status, "completed_scenario": "",
                    "update_time": order["update_time"]}  # fmt: skip
        body = webhook_body(
            {"data": data, "shop_id": api.shop_id, "code": code, "timestamp": int(time.time())}
        )
        return [(body, {"Authorization": signing.shopee_push(api.partner_key, url, body)})]

    def _lazada(self, order, url, topic):
        """A trade order push (message type 0) per item, or a reverse order push (message type 10)
        per line of the order's last return (``topic`` ``return``) or of the buyer's cancellation
        request (``cancellation``, and any news of an order whose cancellation waits)."""
        api = self.simulator.lazada
        trade_order_id = api.ref(order["id"])
        (entry,) = api.orders_items_get({"order_ids": json.dumps([trade_order_id])})["data"]
        sent_at = int(time.time() * 1000)
        notifications, pushes = [], []
        reverse = None
        if topic == "return":
            reverse = api.reverse_order(api.shop.order_returns(order["id"])[-1])
        elif topic == "cancellation" or order.get("cancel_request"):
            reverse = api.cancellation(order)
        if reverse:
            for line in reverse["reverse_order_lines"]:
                data = {"reverse_order_id": reverse["reverse_order_id"], "trade_order_id": trade_order_id,
                        "reverse_order_line_id": line["reverse_order_line_id"],
                        "trade_order_line_id": line["trade_order_line_id"],
                        "reverse_status": line["reverse_status"],
                        "status_update_time": line["return_order_line_gmt_modified"] // 1000}  # fmt: skip
                pushes.append((LAZADA_REVERSE_PUSH, data))
        else:
            for item in entry["order_items"]:
                data = {"order_status": item["status"], "trade_order_id": trade_order_id,
                        "trade_order_line_id": str(item["order_item_id"]),
                        "status_update_time": order["update_time"]}  # fmt: skip
                pushes.append((LAZADA_ORDER_PUSH, data))
        for message_type, data in pushes:
            body = webhook_body({"seller_id": LAZADA_SELLER_ID, "message_type": message_type, "data": data,
                                 "timestamp": sent_at, "site": "lazada_vn"})  # fmt: skip
            notifications.append(
                (body, {"Authorization": signing.app_key_push(api.app_key, api.app_secret, body)})
            )
        return notifications

    def _tiktok(self, order, url, topic):
        """An order status webhook (type 1), or by ``topic`` ``return``: the order's last return's
        status webhook (type 12)."""
        api = self.simulator.tiktok
        if topic == "return":
            found = api.return_order(api.shop.order_returns(order["id"])[-1])
            kind = TIKTOK_RETURN_WEBHOOK
            data = {"order_id": found["order_id"], "return_id": found["return_id"], "return_role": "BUYER",
                    "return_type": found["return_type"], "return_status": found["return_status"],
                    "update_time": found["update_time"]}  # fmt: skip
        else:
            status, kind = api.order_status(order), TIKTOK_ORDER_WEBHOOK
            data = {"order_id": api.ref(order["id"]), "order_status": status,
                    "is_on_hold_order": status == "ON_HOLD", "update_time": order["update_time"]}  # fmt: skip
        body = webhook_body({"type": kind, "tts_notification_id": str(secrets.randbelow(10**19)),
                             "shop_id": TIKTOK_SHOP_ID, "timestamp": int(time.time()),
                             "data": data})  # fmt: skip
        return [(body, {"Authorization": signing.app_key_push(api.app_key, api.app_secret, body)})]

    # ------------------------------------------------------------------ the seller's authorization

    def _shopee_authorization(self, api, url, code, expires):
        data = {"shop_id_list": [api.shop_id], "merchant_id_list": []}
        if code == AUTHORIZATION_PUSHES["shopee"]["expiring"]:
            data = {"shop_expire_soon": [api.shop_id], "merchant_expire_soon": [], "expire_before": expires}
        what = {
            1: "is authorized successfully",
            2: "authorization is canceled",
            12: "authorization expires soon",
        }
        body = webhook_body({"shop_id": api.shop_id, "code": code, "success": 1,
                             "extra": f"shop_id {api.shop_id} {what[code]}", "data": data,
                             "timestamp": int(time.time())})  # fmt: skip
        return body, {"Authorization": signing.shopee_push(api.partner_key, url, body)}

    def _lazada_authorization(self, api, url, code, expires):
        body = webhook_body({"seller_id": LAZADA_SELLER_ID, "message_type": code,
                             "data": {"seller_id": LAZADA_SELLER_ID, "expire_time": expires},
                             "timestamp": int(time.time() * 1000), "site": "lazada_vn"})  # fmt: skip
        return body, {"Authorization": signing.app_key_push(api.app_key, api.app_secret, body)}

    def _tiktok_authorization(self, api, url, code, expires):
        data = {"shop_id": TIKTOK_SHOP_ID}
        if code == AUTHORIZATION_PUSHES["tiktok"]["expiring"]:
            data["expiration_time"] = expires
        notification = {"type": code, "tts_notification_id": str(secrets.randbelow(10**19)),
                        "shop_id": TIKTOK_SHOP_ID, "timestamp": int(time.time()), "data": data}  # fmt: skip
        body = webhook_body(notification)
        return body, {"Authorization": signing.app_key_push(api.app_key, api.app_secret, body)}

    def _shopify_authorization(self, api, url, topic, expires):
        headers, body = api.webhook(None, topic)
        return body, headers

    def _shopify(self, order, url, topic):
        headers, body = self.simulator.shopify.webhook(order["id"], topic or "orders/updated")
        return [(body, headers)]

    def _woocommerce(self, order, url, topic):
        headers, body = self.simulator.woocommerce.webhook(order["id"], topic or "order.updated")
        return [(body, headers)]


def _post_quietly(url, deliveries):
    for body, headers in deliveries:
        try:
            _post(url, body, headers, PUSH_SOON_TIMEOUT)
        except (OSError, ValueError):  # unreachable, or not a URL at all
            continue


def _post(url, body, headers, timeout=TIMEOUT):
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
