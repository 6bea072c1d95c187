"""Shopee Open Platform v2 over HTTP: signing, tokens, order pull, listings, stock and price pushes,
the shop's discounts and flash sales (flash_sale.py), shipment. No ORM here.

The adapter takes the shop's credentials and a ``save_tokens`` callback: Shopee's refresh tokens are
single use, so the caller must persist every new pair at once (and serialize refreshes per shop).
"""

import json

from ..base import SELLING, Adapter
from ..errors import ChannelError, sku_results
from .flash_sale import FlashSales
from .signing import sign_shopee

MAX_WINDOW = 15 * 24 * 3600
PAGE_SIZE = 100
TRACKING_PUSH = 4  # the push code of the carrier's tracking number
DETAIL_BATCH = 50  # orders per detail call, items per base-info call, models per update call
REFRESH_TOKEN_LIFE = 30 * 24 * 3600  # "valid for 30 days" (Authorization and Authentication)
# Order statuses past the arrangement of the shipment (RETRY_SHIP asks for a new one).
SHIPMENT_ARRANGED = ("PROCESSED", "SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED")
# Shopee starts a discount an hour after it is set up at the soonest; the margin covers the way there.
DISCOUNT_LEAD = 3600 + 300
DETAIL_FIELDS = (
    "buyer_user_id,buyer_username,recipient_address,item_list,pay_time,payment_method,total_amount,"
    "estimated_shipping_fee,actual_shipping_fee,note,cancel_by,cancel_reason"
)


class ShopeeAdapter(FlashSales, Adapter):
    PLATFORM = "Shopee"
    REFRESH_MARGIN = 60
    CAPABILITIES = SELLING | {
        "webhook_orders",
        "lost_pushes",
        "answer_cancellation",
        "exchange_code",
        "push_promotion",
        "end_promotion",
    }
    PROMOTION_WINDOW = True  # a discount (a flash sale) starts and ends itself at its times
    FLASH_SALES = True  # a promotion may be the shop's flash sale (``flash_sale``)

    # ------------------------------------------------------------------ orders

    def fetch_orders(self, since, until):
        """What the mapper takes for each order updated in [since, until], or whose return was:
        ``[(detail, returns)]``."""
        updated = self.returns(since, until, "update_time")
        numbers = self.order_numbers(since, until) + [entry["order_sn"] for entry in updated]
        return self._with_returns(self.order_details(list(dict.fromkeys(numbers))))

    def order_numbers(self, since, until, field="update_time"):
        """Order numbers updated (or created) in [since, until], walking 15-day windows and all pages."""
        numbers = []
        for start in range(int(since), int(until) + 1, MAX_WINDOW):
            end = min(start + MAX_WINDOW - 1, int(until))
            cursor = ""
            while True:
                window = {"time_range_field": field, "time_from": start, "time_to": end}
                params = {**window, "page_size": PAGE_SIZE, "cursor": cursor}
                response = self._call("GET", "/api/v2/order/get_order_list", params)["response"]
                numbers += [entry["order_sn"] for entry in response.get("order_list", [])]
                if not response.get("more"):
                    break
                cursor = response["next_cursor"]
        return list(dict.fromkeys(numbers))

    def order_details(self, numbers):
        """Full orders, asked 50 at a time (Shopee's limit)."""
        orders = []
        for start in range(0, len(numbers), DETAIL_BATCH):
            batch = ",".join(numbers[start : start + DETAIL_BATCH])
            params = {"order_sn_list": batch, "response_optional_fields": DETAIL_FIELDS}
            orders += self._call("GET", "/api/v2/order/get_order_detail", params)["response"]["order_list"]
        return orders

    def webhook_orders(self, payload):
        """``[(detail, returns, tracking number)]`` of the order a push names (order status, tracking
        number, return): the push carries its number and status, or the carrier's tracking number.
        Pushes about the shop or its items name none."""
        shop_id, data = payload.get("shop_id"), payload.get("data") or {}
        if shop_id and self.shop_id and str(shop_id) != str(self.shop_id):
            # One partner app pushes every shop it serves to the same callback URL.
            raise ChannelError(f"The push is for shop {shop_id}, not this channel's shop {self.shop_id}")
        if not data.get("ordersn"):
            return []
        tracking = data.get("tracking_no") if payload.get("code") == TRACKING_PUSH else None
        return [(*entry, tracking) for entry in self._with_returns(self.order_details([data["ordersn"]]))]

    def lost_pushes(self):
        """The earliest 100 of the partner's pushes Shopee could not deliver (the last 3 days), each as
        it was pushed (of every shop the partner app serves), and the id that confirms them:
        ``(pushes, last message id)``. The next 100 come once these are confirmed."""
        response = self._request("GET", "/api/v2/push/get_lost_push_message", shop=False)["response"]
        pushes = [
            {**push, "data": json.loads(push.get("data") or "{}")}
            for push in response.get("push_message_list") or []
        ]
        return pushes, response.get("last_message_id") or 0

    def confirm_lost_pushes(self, last_message_id):
        if last_message_id:
            body = {"last_message_id": last_message_id}
            self._request("POST", "/api/v2/push/confirm_consumed_lost_push_message", body=body, shop=False)

    def returns(self, since, until, field="create_time"):
        """Returns created (or updated) in [since, until], walking 15-day windows and all pages."""
        found = []
        for start in range(int(since), int(until) + 1, MAX_WINDOW):
            window = {f"{field}_from": start, f"{field}_to": min(start + MAX_WINDOW - 1, int(until))}
            page = 0
            while True:
                params = {**window, "page_no": page, "page_size": PAGE_SIZE}
                response = self._call("GET", "/api/v2/returns/get_return_list", params)["response"]
                found += response.get("return") or []
                if not response.get("more"):
                    break
                page += 1
        return found

    def _with_returns(self, details):
        """Each order with all its returns: those of orders being returned are listed from the
        oldest order's creation on (a return names its order; the list cannot be asked for one)."""
        returning = [detail for detail in details if detail.get("order_status") == "TO_RETURN"]
        by_order = {}
        if returning:
            since = min(int(detail["create_time"]) for detail in returning)
            for entry in self.returns(since, self.clock()):
                by_order.setdefault(entry["order_sn"], {})[entry["return_sn"]] = entry
        return [(detail, list(by_order.get(detail["order_sn"], {}).values())) for detail in details]

    # ------------------------------------------------------------------ shop and listings

    def test_connection(self):
        return {"shop_name": self._call("GET", "/api/v2/shop/get_shop_info").get("shop_name") or ""}

    def fetch_listings(self):
        """Every live item, one listing per model (items without models are one listing)."""
        ids, offset = [], 0
        while True:
            params = {"offset": offset, "page_size": PAGE_SIZE, "item_status": "NORMAL"}
            response = self._call("GET", "/api/v2/product/get_item_list", params)["response"]
            ids += [str(item["item_id"]) for item in response.get("item") or []]
            if not response.get("has_next_page"):
                break
            offset = response["next_offset"]
        listings = []
        for start in range(0, len(ids), DETAIL_BATCH):
            params = {"item_id_list": ",".join(ids[start : start + DETAIL_BATCH])}
            response = self._call("GET", "/api/v2/product/get_item_base_info", params)["response"]
            for item in response["item_list"]:
                listings += self._models(item) if item.get("has_model") else [_listing(item, item)]
        return listings

    def _models(self, item):
        params = {"item_id": item["item_id"]}
        response = self._call("GET", "/api/v2/product/get_model_list", params)["response"]
        tiers = response.get("tier_variation") or []
        listings = []
        for model in response.get("model") or []:
            options = [
                tiers[tier]["option_list"][index]["option"]
                for tier, index in enumerate(model.get("tier_index") or [])
                if tier < len(tiers) and index < len(tiers[tier].get("option_list") or [])
            ]
            name = f"{item['item_name']} ({', '.join(options)})" if options else item["item_name"]
            listings.append(_listing(item, model, name))
        return listings

    # ------------------------------------------------------------------ stock and prices

    def push_stock(self, entries):
        return self._push(
            entries, "/api/v2/product/update_stock", "stock_list",
            lambda entry: {"seller_stock": [{"stock": int(entry["quantity"])}]},
        )  # fmt: skip

    def push_prices(self, entries):
        # VND prices are whole numbers.
        return self._push(
            entries, "/api/v2/product/update_price", "price_list",
            lambda entry: {"original_price": round(entry["price"])},
        )  # fmt: skip

    def _push(self, entries, path, key, value):
        """Shopee updates one item per call (50 models at most) and answers per model; an unknown
        item is refused by the call, which becomes the result of its entries."""
        by_item = {}
        for entry in entries:
            by_item.setdefault(str(entry["item_id"]), []).append(entry)
        errors = {}
        for item_id, item_entries in by_item.items():
            if not item_id.isdigit():
                errors.update(dict.fromkeys(map(id, item_entries), "No Shopee item id"))
                continue
            for start in range(0, len(item_entries), DETAIL_BATCH):
                batch = item_entries[start : start + DETAIL_BATCH]
                body = {"item_id": int(item_id), key: [{"model_id": _model_id(e), **value(e)} for e in batch]}
                try:
                    failures = self._call("POST", path, body=body)["response"]["failure_list"]
                except ChannelError as error:
                    if not str(error.code or "").startswith("product."):
                        raise
                    failed = dict.fromkeys((_model_id(entry) for entry in batch), str(error))
                else:
                    failed = {failure["model_id"]: failure["failed_reason"] for failure in failures}
                errors.update({id(entry): failed.get(_model_id(entry), "") for entry in batch})
        return sku_results(entries, lambda entry: errors[id(entry)])

    # ------------------------------------------------------------------ discounts

    def push_promotion(self, promotion):
        """The shop's discount for ``promotion``: created, or the one of its ``ref`` brought to it (its
        name, a later start while it has not started, an earlier end; its items added, changed and
        removed). A start less than an hour ahead is moved to the soonest Shopee takes, and said. With
        ``flash_sale``: the shop's flash sale instead (``_push_flash_sale``)."""
        if promotion.get("flash_sale"):
            return self._push_flash_sale(promotion)
        current = self._discount(promotion["ref"]) if promotion["ref"] else None
        start = max(int(promotion["start"]), int(self.clock()) + DISCOUNT_LEAD)
        if not current or current["status"] == "expired":
            body = {
                "discount_name": promotion["name"],
                "start_time": start,
                "end_time": int(promotion["end"]),
            }
            answer = self._call("POST", "/api/v2/discount/add_discount", body=body)["response"]
            ref, held = str(answer["discount_id"]), {}
        else:
            ref, held = promotion["ref"], current["items"]
            start = self._update_discount(current, promotion)
        try:
            errors = self._discount_items(ref, promotion["entries"], held)
        except ChannelError as error:
            error.promotion_ref = ref  # made already: the retry completes this one
            raise
        results = sku_results(promotion["entries"], lambda entry: errors[id(entry)])
        return {"ref": ref, "start": start, "end": int(promotion["end"]), "results": results}

    def end_promotion(self, promotion):
        """Ended now: a running discount ended (its items taken out while Shopee does not let it end,
        in its first hour), one not started deleted; one over already is left as it is. A flash sale:
        ``_end_flash_sale``."""
        if promotion.get("flash_sale"):
            return self._end_flash_sale(promotion)
        current = self._discount(promotion["ref"]) if promotion["ref"] else None
        body = {"discount_id": int(current["discount_id"])} if current else {}
        if current and current["status"] == "upcoming":
            self._call("POST", "/api/v2/discount/delete_discount", body=body)
        elif current and current["status"] == "ongoing":
            try:
                self._call("POST", "/api/v2/discount/end_discount", body=body)
            except ChannelError as error:
                if error.code != "discount.end_discount_time_error":
                    raise
                self._discount_items(promotion["ref"], [], current["items"])
        return sku_results(promotion["entries"], lambda entry: "")

    def _discount(self, ref):
        """The discount as Shopee has it (``status``, ``start_time``...), its ``items`` the promotion
        prices by (item id, model id); None when Shopee has it no more (deleted before its start)."""
        items, page = {}, 1
        while True:
            params = {"discount_id": ref, "page_no": page, "page_size": PAGE_SIZE}
            try:
                response = self._call("GET", "/api/v2/discount/get_discount", params)["response"]
            except ChannelError as error:
                if error.code == "common.error_not_found":
                    return None
                raise
            for item in response.get("item_list") or []:
                models = item.get("model_list") or []
                for model in models:
                    items[(str(item["item_id"]), int(model["model_id"]))] = model["model_promotion_price"]
                if not models:
                    items[(str(item["item_id"]), 0)] = item["item_promotion_price"]
            if not response.get("more"):
                return {**response, "items": items}
            page += 1

    def _update_discount(self, current, promotion):
        """The discount's name and window brought to the promotion; the start Shopee keeps."""
        body, start = {}, current["start_time"]
        if promotion["name"] != current["discount_name"]:
            body["discount_name"] = promotion["name"]
        # Started already, or starting as early as the promotion asks: its start stays.
        if current["status"] == "upcoming" and int(promotion["start"]) > start:
            start = body["start_time"] = max(int(promotion["start"]), int(self.clock()) + DISCOUNT_LEAD)
        if int(promotion["end"]) != current["end_time"]:
            body["end_time"] = int(promotion["end"])
        if body:
            self._call(
                "POST",
                "/api/v2/discount/update_discount",
                body={"discount_id": int(current["discount_id"]), **body},
            )
        return start

    def _discount_items(self, ref, entries, held):
        """The discount's items made ``entries``' promotion prices (``held``: those it has): ``{id(entry):
        Shopee's refusal}``, "" for those taken."""
        errors, wanted = {}, {}
        for entry in entries:
            if str(entry["item_id"]).isdigit():
                wanted[(str(entry["item_id"]), _model_id(entry))] = entry
            else:
                errors[id(entry)] = "No Shopee item id"
        added = [entry for key, entry in wanted.items() if key not in held]
        changed = [
            entry
            for key, entry in wanted.items()
            if key in held and held[key] != round(entry["promotion_price"])
        ]
        errors.update(self._discount_call(ref, "add_discount_item", added))
        errors.update(self._discount_call(ref, "update_discount_item", changed))
        for item_id, model_id in held.keys() - wanted.keys():
            body = {"discount_id": int(ref), "item_id": int(item_id), "model_id": model_id}
            try:
                self._call("POST", "/api/v2/discount/delete_discount_item", body=body)
            except ChannelError as error:
                if error.code != "discount.discount_item_not_exist":  # out already
                    raise
        return {id(entry): errors.get(id(entry), "") for entry in entries}

    def _discount_call(self, ref, call, entries):
        """Items added to (or changed in) the discount, 50 a call; each model's refusal from the
        answer's error list."""
        by_item = {}
        for entry in entries:
            by_item.setdefault(str(entry["item_id"]), []).append(entry)
        items, errors = list(by_item.items()), {}
        for start in range(0, len(items), DETAIL_BATCH):
            batch = items[start : start + DETAIL_BATCH]
            body = {"discount_id": int(ref), "item_list": [_discount_item(*item) for item in batch]}
            answer = self._call("POST", f"/api/v2/discount/{call}", body=body)["response"]
            failed = {
                (str(failure["item_id"]), int(failure.get("model_id") or 0)): (
                    f"{failure.get('fail_error')}: {failure.get('fail_message')}"
                )
                for failure in answer.get("error_list") or []
            }
            for item_id, group in batch:
                for entry in group:
                    errors[id(entry)] = failed.get((item_id, _model_id(entry))) or failed.get(
                        (item_id, 0), ""
                    )
        return errors

    # ------------------------------------------------------------------ shipment

    def ship_order(self, order_ref, tracking_number, carrier):
        """Arrange the shipment as the order's logistics channel asks (Shopee names it; ``carrier`` is the
        buyer's choice there): a drop-off or a non-integrated carrier with the seller's tracking number,
        else a pickup at the shop's pickup address. The tracking number is read back from Shopee.

        An order whose shipment is arranged already is not arranged again (a job tried again after the
        tracking number could not be read): its tracking number is the answer."""
        order = {"order_sn": order_ref}
        (detail,) = self.order_details([order_ref]) or [{}]
        if detail.get("order_status") not in SHIPMENT_ARRANGED:
            self._arrange_shipment(order, tracking_number)
        tracking = self._call("GET", "/api/v2/logistics/get_tracking_number", order)["response"]
        return {"tracking_number": tracking.get("tracking_number") or tracking_number or ""}

    def answer_cancellation(self, order_ref, accept):
        """The seller's answer to the buyer's cancellation request (the order is ``IN_CANCEL``)."""
        body = {"order_sn": order_ref, "operation": "ACCEPT" if accept else "REJECT"}
        self._call("POST", "/api/v2/order/handle_buyer_cancellation", body=body)

    def _arrange_shipment(self, order, tracking_number):
        needed = self._call("GET", "/api/v2/logistics/get_shipping_parameter", order)["response"]
        if tracking_number and "non_integrated" in needed["info_needed"]:
            way = {"non_integrated": {"tracking_number": tracking_number}}
        elif tracking_number and "dropoff" in needed["info_needed"]:
            way = {"dropoff": {"tracking_number": tracking_number}}
        elif "pickup" in needed["info_needed"]:
            addresses = needed["pickup"]["address_list"]
            pickup = [address for address in addresses if "pickup_address" in address.get("address_flag", [])]
            address = (pickup or addresses)[0]
            slot = address["time_slot_list"][0]["pickup_time_id"]
            way = {"pickup": {"address_id": address["address_id"], "pickup_time_id": slot}}
        else:
            way = {"dropoff": {}}
        self._call("POST", "/api/v2/logistics/ship_order", body={**order, **way})

    # ------------------------------------------------------------------ tokens

    def exchange_code(self, code):
        """The first tokens, for the code the seller's authorization handed back."""
        body = {"code": code, "shop_id": int(self.shop_id), "partner_id": int(self.key)}
        self._keep_tokens(self._request("POST", "/api/v2/auth/token/get", body=body, shop=False))

    def refresh(self):
        body = {
            "refresh_token": self.tokens["refresh_token"],
            "partner_id": self.key,
            "shop_id": self.shop_id,
        }
        self._keep_tokens(self._request("POST", "/api/v2/auth/access_token/get", body=body, shop=False))

    def _keep_tokens(self, answer):
        self.tokens = {
            "access_token": answer["access_token"],
            "refresh_token": answer["refresh_token"],
            "expires_at": self.clock() + answer["expire_in"],
            # Not in the answer: the documented life of a refresh token, from the moment it is issued.
            "refresh_expires_at": self.clock() + REFRESH_TOKEN_LIFE,
        }
        self.save_tokens(self.tokens)

    # ------------------------------------------------------------------ HTTP

    def _sign(self, method, path, params, body, shop=True):
        """Partner APIs (tokens, lost pushes) are signed without the shop's token and id."""
        timestamp = int(self.clock())
        token = self.tokens.get("access_token") if shop else None
        query = {"partner_id": self.key, "timestamp": timestamp, **params}
        if shop:
            query.update(access_token=token, shop_id=self.shop_id)
        query["sign"] = sign_shopee(
            self.secret, self.key, path, timestamp, token, self.shop_id if shop else None
        )
        return {"url": self.base_url + path, "params": query, "json": body}

    def _answer(self, response):
        answer = self._json(response)
        error = answer.get("error")
        if error in ("error_server", "error_busy", "error_system_busy"):
            raise ChannelError(answer.get("message") or "Too many requests", retryable=True, code=error)
        if error:
            raise ChannelError(f"{error}: {answer.get('message')}", auth=error == "error_auth", code=error)
        return answer

    def _describe(self, response):
        try:
            answer = response.json()
        except ValueError:
            return f"HTTP {response.status_code}"
        return f"{answer.get('error')}: {answer.get('message')}"


def _model_id(entry):
    """Shopee's model id of an entry: 0 for an item without models."""
    return int(entry.get("model_id") or 0)


def _discount_item(item_id, entries):
    """An item of a discount call: its models' promotion prices, or its own (VND: whole numbers)."""
    models = [entry for entry in entries if _model_id(entry)]
    item = {"item_id": int(item_id), "purchase_limit": 0}  # 0: no limit
    if not models:
        return {**item, "item_promotion_price": round(entries[0]["promotion_price"])}
    prices = [
        {"model_id": _model_id(entry), "model_promotion_price": round(entry["promotion_price"])}
        for entry in models
    ]
    return {**item, "model_list": prices}


def _listing(item, offer, name=None):
    """The listing of an item without models (``offer`` is the item) or of one of its models."""
    model = offer if offer is not item else None
    price = (offer.get("price_info") or [{}])[0]
    stock = (offer.get("stock_info_v2") or {}).get("seller_stock") or []
    return {
        "item_id": str(item["item_id"]),
        "model_id": str(model["model_id"]) if model else "",
        "sku": (model["model_sku"] if model else item.get("item_sku")) or "",
        "barcode": offer.get("gtin_code") or "",
        "name": name or item["item_name"],
        "price": float(price.get("original_price") or 0),
        # During a discount Shopee's current price is the promotion price.
        "sale_price": float(price.get("current_price") or price.get("original_price") or 0),
        "quantity": float(sum(location.get("stock") or 0 for location in stock)),
    }
