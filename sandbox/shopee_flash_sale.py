"""Shopee's shop flash sales (``v2.shop_flash_sale.*``), the part of the simulated Shopee shop that
keeps them: a flash sale takes one of Shopee's time slots, its models a promotion price and a
campaign stock each. While an enabled flash sale's slot runs, its enabled models are sold at their
promotion price until their campaign stock is sold (then at the discount's price, or the regular
one): a flash sale beats a discount.

The rules kept are those of Shopee's API reference: one flash sale of the shop per slot; items
added, changed (a model's price and stock only while it is disabled) and removed before the slot
starts, only switched on and off while it runs; 50 items at most; a promotion price below the
original price and, in Vietnam, at most 50% off it (as for discounts); a campaign stock of at least
one unit and at most the model's stock; an item in one flash sale of overlapping slots at a time.
Assumptions (the documents give no figures): the error codes and words below are the simulator's;
a slot's id is its start time.
"""

import itertools

from .promotions import Promotions
from .shopee_errors import ShopeeError, check_body

HOUR, DAY = 3600, 24 * 3600
# Shopee fixes the shop flash sale slots of each day. Assumption: the simulator's are 00-09, 09-12,
# 12-18, 18-21 and 21-24, Vietnam time (UTC+7).
VN_OFFSET = 7 * HOUR
SLOT_HOURS = (0, 9, 12, 18, 21, 24)
MAX_ITEMS, MAX_PAGE, VN_MAX_OFF = 50, 100, 0.5
DELETED, ENABLED, DISABLED = 0, 1, 2  # a flash sale's status (3: rejected by Shopee's system)
TYPES = {"upcoming": 1, "ongoing": 2, "expired": 3}
MODEL_DISABLED, MODEL_ENABLED = 0, 1  # a model's status in the flash sale (2 deleted, 4 and 5 rejected)
NOT_FOUND = ("common.error_not_found", "The information you queried is not found.")
ERRORS = {
    "shop_flash_sale.start_time_smaller_than_now": "The start time should be later than the current time.",
    "shop_flash_sale.end_time_smaller_than_start_time": "The end time should be later than the start time.",
    "shop_flash_sale.timeslot_not_available": "The time slot does not exist or has started.",
    "shop_flash_sale.timeslot_taken": "The shop already has a flash sale in this time slot.",
    "shop_flash_sale.not_upcoming": "Only an upcoming flash sale can be deleted or take new items.",
    "shop_flash_sale.is_expired": "An expired flash sale cannot be changed.",
}
# What add_ and update_shop_flash_sale_items refuse of an item or a model: (err_code, err_msg), and
# the conditions it does not meet for the refusals of its price or stock.
ITEM_ERRORS = {
    "item_not_found": (10001, "Item not found."),
    "item_repeated": (10002, "The item is given more than once."),
    "need_model": (10003, "The item has models: give them."),
    "model_not_found": (10004, "Model not found."),
    "in_flash_sale": (10005, "The model is already in this flash sale."),
    "not_in_flash_sale": (10006, "The model is not in this flash sale."),
    "in_other_flash_sale": (10007, "The item is already in another flash sale of an overlapping time slot."),
    "too_many": (10008, "A flash sale takes at most 50 items."),
    "unqualified": (10009, "The item does not meet the flash sale's criteria."),
    "change_enabled": (10010, "Disable the model before changing its promotion price or stock."),
    "change_ongoing": (10011, "An ongoing flash sale's prices and stock cannot be changed."),
    "purchase_limit": (10012, "The purchase limit must not be below 0."),
}
CONDITIONS = {
    "no_price": (1, "Give the promotion price."),
    "price_not_lower": (2, "The promotion price must be lower than the original price."),
    "price_vn": (3, "The promotion price cannot be more than 50% off the original price."),
    "stock": (4, "The campaign stock must be at least 1 and at most the model's stock."),
}
QUERY_PARAMETERS = {
    "/api/v2/shop_flash_sale/get_time_slot_id": {"start_time": int, "end_time": int},
    "/api/v2/shop_flash_sale/get_shop_flash_sale": {"flash_sale_id": int},
    "/api/v2/shop_flash_sale/get_shop_flash_sale_items": {"flash_sale_id": int, "offset": int, "limit": int},
}
ITEM = {"item_id": int, "purchase_limit": int, "models": list, "item_input_promo_price": float,
        "item_stock": int, "item_status": int}  # fmt: skip
MODEL = {"model_id": int, "input_promo_price": float, "stock": int, "status": int}


class FlashSaleError(ShopeeError):
    """A flash-sale call refused as a whole: Shopee's words for ``error`` unless ``message`` says."""

    def __init__(self, error, message=None):
        super().__init__(200, error, message or ERRORS[error])


class ShopFlashSales:
    """The shop flash sale calls of ``ShopeeApi`` (which gives ``shop`` and ``clock``). Each flash sale
    is a ``Promotion`` of ``flash_sales``: its window the slot's, its deals ``{"price", "stock",
    "enabled"}`` per SKU, its ``details`` the slot id and the flash sale's statuses over time."""

    def init_flash_sales(self):
        self.flash_sales = Promotions(lambda: self.clock(), first_id=805100000001)

    # ------------------------------------------------------------------ what buyers pay

    def flash_deal(self, sku, moment):
        """``(flash sale, deal)`` pricing ``sku`` at ``moment``: an enabled model of an enabled flash
        sale in its slot, its campaign stock not sold out; ``(None, None)``."""
        for sale in self.flash_sales.all.values():
            deal = _live_deal(sale, sku, moment)
            if deal and self._flash_sold(sale, sku, deal, moment) < deal["stock"]:
                return sale, deal
        return None, None

    def flash_sale_of(self, order, sku):
        """The flash sale whose price the order's buyer paid for ``sku``, or None."""
        moment, paid = order["create_time"], self.shop.unit_price(order, sku)
        for sale in self.flash_sales.all.values():
            deal = _live_deal(sale, sku, moment)
            if deal and deal["price"] == paid:
                return sale
        return None

    def _flash_sold(self, sale, sku, deal, moment):
        """Units of ``sku`` bought at the flash sale's price from its start until ``moment`` (those of
        cancelled orders come back)."""
        return sum(
            quantity
            for order in self.shop.orders.values()
            if sale.start <= order["create_time"] <= moment
            and order["status"] != "CANCELLED"
            and (order.get("prices") or {}).get(sku) == deal["price"]
            for line_sku, quantity in order["lines"]
            if line_sku == sku and sku not in order.get("cancelled_skus", ())
        )

    def pass_flash_sale_time(self, seconds):
        """Move every flash sale ``seconds`` into the past (with ``Promotions.pass_time``)."""
        self.flash_sales.pass_time(seconds)
        for sale in self.flash_sales.all.values():
            sale.details["statuses"] = [(at - seconds, status) for at, status in sale.details["statuses"]]

    # ------------------------------------------------------------------ slots and flash sales

    def get_time_slot_id(self, query, body):
        """The slots starting in [start_time, end_time], from now on."""
        start, end = _required(query, "start_time"), _required(query, "end_time")
        now = int(self.clock())
        if start < now:
            raise FlashSaleError("shop_flash_sale.start_time_smaller_than_now")
        if end < start:
            raise FlashSaleError("shop_flash_sale.end_time_smaller_than_start_time")
        first_day = (start + VN_OFFSET) // DAY * DAY - VN_OFFSET
        slots = [
            {
                "timeslot_id": day + begin * HOUR,
                "start_time": day + begin * HOUR,
                "end_time": day + finish * HOUR,
            }
            for day in range(first_day, end + 1, DAY)
            for begin, finish in itertools.pairwise(SLOT_HOURS)
            if start <= day + begin * HOUR <= end and day + begin * HOUR > now
        ]
        return {"response": slots}

    def create_shop_flash_sale(self, query, body):
        check_body(body, {"timeslot_id": int}, ("timeslot_id",))
        start = body["timeslot_id"]
        hour, rest = divmod((start + VN_OFFSET) % DAY, HOUR)
        if rest or hour not in SLOT_HOURS[:-1] or start <= self.clock():
            raise FlashSaleError("shop_flash_sale.timeslot_not_available")
        end = start + (SLOT_HOURS[SLOT_HOURS.index(hour) + 1] - hour) * HOUR
        if any(other.start < end and start < other.end for other in self.flash_sales.listed()):
            raise FlashSaleError("shop_flash_sale.timeslot_taken")
        sale = self.flash_sales.add("", start, end)
        sale.details = {"timeslot_id": start, "statuses": [(sale.created, ENABLED)]}
        return {"response": {"timeslot_id": start, "flash_sale_id": int(sale.id), "status": ENABLED}}

    def get_shop_flash_sale(self, query, body):
        sale = self.flash_sales.all.get(str(_required(query, "flash_sale_id")))
        if not sale:
            raise FlashSaleError(*NOT_FOUND)
        held = [self._flash_model(sale, sku) for sku in sale.skus()]
        return {
            "response": {
                "timeslot_id": sale.details["timeslot_id"], "flash_sale_id": int(sale.id),
                "status": _status(sale), "start_time": sale.start, "end_time": sale.end,
                "enabled_item_count": sum(model["status"] == MODEL_ENABLED for model in held),
                "item_count": len(held), "type": TYPES[sale.status(self.clock())],
            }
        }  # fmt: skip

    def update_shop_flash_sale(self, query, body):
        """The flash sale switched on (1) or off (2)."""
        check_body(body, {"flash_sale_id": int, "status": int}, ("flash_sale_id", "status"))
        _check_status(body["status"], (ENABLED, DISABLED))
        sale, status = self._flash_sale(body["flash_sale_id"])
        if status == "expired":
            raise FlashSaleError("shop_flash_sale.is_expired")
        sale.details["statuses"].append((int(self.clock()), body["status"]))
        sale.updated = int(self.clock())
        return {"response": {"flash_sale_id": int(sale.id), "status": body["status"]}}

    def delete_shop_flash_sale(self, query, body):
        """An upcoming flash sale deleted."""
        check_body(body, {"flash_sale_id": int}, ("flash_sale_id",))
        sale, status = self._flash_sale(body["flash_sale_id"])
        if status != "upcoming":
            raise FlashSaleError("shop_flash_sale.not_upcoming")
        self.flash_sales.end_now(sale)
        sale.deleted = True
        sale.details["statuses"].append((sale.updated, DELETED))
        return {"response": {"flash_sale_id": int(sale.id), "status": DELETED}}

    def _flash_sale(self, flash_sale_id):
        """``(flash sale, status)`` of one not deleted."""
        sale = self.flash_sales.get(flash_sale_id)
        if not sale:
            raise FlashSaleError(*NOT_FOUND)
        return sale, sale.status(self.clock())

    # ------------------------------------------------------------------ items

    def add_shop_flash_sale_items(self, query, body):
        """Items of an upcoming flash sale, their models enabled; each refused item (model) in
        ``failed_items``."""
        sale, status = self._items_call(body, ("item_id", "purchase_limit"))
        if status != "upcoming":
            raise FlashSaleError("shop_flash_sale.not_upcoming")
        failed, seen = [], set()
        for entry in body["items"]:
            for model_id, reason, conditions in self._add_item(sale, entry, seen):
                failed.append(_failure(entry["item_id"], model_id, reason, conditions))
        return {"response": {"failed_items": failed}}

    def _add_item(self, sale, entry, seen):
        """The refusals ``[(model_id, reason, conditions)]`` of one item; none once it is added."""
        sku, item, model_id, given = self._item_models(entry, seen)
        if not sku:
            return [(model_id, given, ())]
        for refused, reason in (
            (sale.deal(sku) is not None, "in_flash_sale"),
            (self.flash_sales.rival(sale, sku), "in_other_flash_sale"),
            (len(sale.skus()) >= MAX_ITEMS, "too_many"),
            (entry["purchase_limit"] < 0, "purchase_limit"),
        ):
            if refused:
                return [(model_id, reason, ())]
        conditions = self._unqualified(sku, item, given["price"], given["stock"])
        if conditions:
            return [(model_id, "unqualified", conditions)]
        deal = {"price": given["price"], "stock": given["stock"], "enabled": True}
        self.flash_sales.set_deal(sale, sku, deal, {"purchase_limit": entry["purchase_limit"]})
        return []

    def update_shop_flash_sale_items(self, query, body):
        """Models switched on or off; while one is off (and the flash sale upcoming), its price and
        stock set."""
        sale, status = self._items_call(body, ("item_id",))
        if status == "expired":
            raise FlashSaleError("shop_flash_sale.is_expired")
        failed, seen = [], set()
        for entry in body["items"]:
            for model_id, reason, conditions in self._update_item(sale, status, entry, seen):
                failed.append(_failure(entry["item_id"], model_id, reason, conditions))
        return {"response": {"failed_items": failed}}

    def _update_item(self, sale, status, entry, seen):
        """The refusals ``[(model_id, reason, conditions)]`` of one item; none once it is changed."""
        sku, item, model_id, given = self._item_models(entry, seen)
        if not sku:
            return [(model_id, given, ())]
        deal, limits = sale.deal(sku), sale.limits.get(sku, {})
        if deal is None:
            return [(model_id, "not_in_flash_sale", ())]
        changes = {key: given[key] for key in ("price", "stock") if given[key] is not None}
        changed = any(deal[key] != value for key, value in changes.items())
        limit = entry.get("purchase_limit", limits.get("purchase_limit", 0))
        for refused, reason in (
            (changed and status == "ongoing", "change_ongoing"),
            (changed and deal["enabled"], "change_enabled"),
            (limit < 0, "purchase_limit"),
        ):
            if refused:
                return [(model_id, reason, ())]
        new = {**deal, **changes}
        conditions = self._unqualified(sku, item, new["price"], new["stock"]) if changed else []
        if conditions:
            return [(model_id, "unqualified", conditions)]
        if given["status"] is not None:
            new["enabled"] = given["status"] == MODEL_ENABLED
        if new != deal or limit != limits.get("purchase_limit"):
            self.flash_sales.set_deal(sale, sku, new, {"purchase_limit": limit})
        return []

    def delete_shop_flash_sale_items(self, query, body):
        """Items out of an upcoming flash sale (a running one's are disabled instead)."""
        check_body(body, {"flash_sale_id": int, "item_ids": list}, ("flash_sale_id", "item_ids"))
        sale, status = self._flash_sale(body["flash_sale_id"])
        if status != "upcoming":
            raise FlashSaleError("shop_flash_sale.not_upcoming")
        failed = []
        for item_id in body["item_ids"]:
            sku, _item = self.find_item("item_id", item_id)
            if not sku or sale.deal(sku) is None:
                failed.append(_failure(item_id, 0, "not_in_flash_sale", ()))
            else:
                self.flash_sales.set_deal(sale, sku, None)
        return {"response": {"failed_items": failed}}

    def get_shop_flash_sale_items(self, query, body):
        sale = self.flash_sales.all.get(str(_required(query, "flash_sale_id")))
        if not sale:
            raise FlashSaleError(*NOT_FOUND)
        offset, limit = int(query.get("offset") or 0), _required(query, "limit")
        if not 1 <= limit <= MAX_PAGE:
            raise FlashSaleError(
                "error_param", "Wrong parameters, detail: limit should be between 1 and 100."
            )
        skus = sale.skus()
        page = skus[offset : offset + limit]
        info, models = [], []
        for sku in page:
            item, model = self.shop.items[sku], self._flash_model(sale, sku)
            entry = {"item_id": item["item_id"], "item_name": item["name"], "status": model["status"]}
            if item["variation"]:
                info.append(entry)
                models.append(model)
            else:
                fields = ("input_promotion_price", "campaign_stock", "stock", "original_price")
                info.append({**entry, "item_status": model["status"], **{key: model[key] for key in fields}})
        return {"response": {"total_count": len(skus), "item_info": info, "models": models}}

    def _flash_model(self, sale, sku):
        item, deal = self.shop.items[sku], sale.deal(sku)
        return {
            "item_id": item["item_id"], "model_id": item["model_id"] if item["variation"] else 0,
            "model_name": item["variation"], "status": MODEL_ENABLED if deal["enabled"] else MODEL_DISABLED,
            "original_price": item["price"], "input_promotion_price": deal["price"],
            "promotion_price_with_tax": deal["price"],
            "purchase_limit": sale.limits.get(sku, {}).get("purchase_limit", 0),
            "campaign_stock": deal["stock"], "stock": self.shop.available(sku),
        }  # fmt: skip

    def _items_call(self, body, required):
        """``(flash sale, status)`` of an items call whose body Shopee takes."""
        check_body(body, {"flash_sale_id": int, "items": list}, ("flash_sale_id", "items"))
        for entry in body["items"]:
            check_body(entry, ITEM, required)
            _check_status(entry.get("item_status", MODEL_ENABLED), (MODEL_DISABLED, MODEL_ENABLED))
            for model in entry.get("models") or []:
                check_body(model, MODEL, ("model_id",))
                _check_status(model.get("status", MODEL_ENABLED), (MODEL_DISABLED, MODEL_ENABLED))
        return self._flash_sale(body["flash_sale_id"])

    def _item_models(self, entry, seen):
        """``(sku, item, model_id, {"price", "stock", "status"})`` of an item entry, or ``(None, None,
        model_id, reason)`` when it names no model of the shop's item."""
        sku, item = self.find_item("item_id", entry["item_id"])
        if not item:
            return None, None, 0, "item_not_found"
        if entry["item_id"] in seen:
            return None, None, 0, "item_repeated"
        seen.add(entry["item_id"])
        models = entry.get("models") or []
        if item["variation"] and not models:
            return None, None, 0, "need_model"
        if not item["variation"]:
            given = {"price": entry.get("item_input_promo_price"), "stock": entry.get("item_stock"),
                     "status": entry.get("item_status")}  # fmt: skip
            return (None, None, models[0]["model_id"], "model_not_found") if models else (sku, item, 0, given)
        strangers = [model["model_id"] for model in models if model["model_id"] != item["model_id"]]
        if strangers or len(models) > 1:
            return None, None, (strangers or [item["model_id"]])[0], "model_not_found"
        model = models[0]
        given = {
            "price": model.get("input_promo_price"),
            "stock": model.get("stock"),
            "status": model.get("status"),
        }
        return sku, item, item["model_id"], given

    def _unqualified(self, sku, item, price, stock):
        """The conditions (code, words) a promotion price and campaign stock do not meet."""
        return [
            CONDITIONS[name]
            for name, refused in (
                ("no_price", price is None),
                ("price_not_lower", price is not None and price >= item["price"]),
                ("price_vn", price is not None and price < item["price"] * (1 - VN_MAX_OFF)),
                ("stock", not isinstance(stock, int) or not 1 <= stock <= self.shop.available(sku)),
            )
            if refused
        ]


def _live_deal(sale, sku, moment):
    """The deal of ``sku`` in the flash sale at ``moment`` when it prices buyers then, else None."""
    if not sale.start <= moment < sale.end or _status(sale, moment) != ENABLED:
        return None
    deal = sale.deal(sku, moment)
    return deal if deal and deal["enabled"] else None


def _status(sale, moment=None):
    """The flash sale's status (``ENABLED``, ``DISABLED``, ``DELETED``) at ``moment`` (None: now)."""
    found = [status for at, status in sale.details["statuses"] if moment is None or at <= moment]
    return found[-1] if found else DELETED


def _failure(item_id, model_id, reason, conditions):
    code, message = ITEM_ERRORS[reason]
    return {
        "item_id": item_id, "model_id": model_id, "err_code": code, "err_msg": message,
        "unqualified_conditions": [{"unqualified_code": c, "unqualified_msg": m} for c, m in conditions],
    }  # fmt: skip


def _required(query, name):
    if query.get(name) in (None, ""):
        raise FlashSaleError("error_param", f"Wrong parameters, detail: {name} is required.")
    return int(query[name])


def _check_status(status, allowed):
    if status not in allowed:
        raise FlashSaleError("error_param", f"Wrong parameters, detail: status must be one of {allowed}.")


ROUTES = {
    ("GET", "/api/v2/shop_flash_sale/get_time_slot_id"): ShopFlashSales.get_time_slot_id,
    ("POST", "/api/v2/shop_flash_sale/create_shop_flash_sale"): ShopFlashSales.create_shop_flash_sale,
    ("GET", "/api/v2/shop_flash_sale/get_shop_flash_sale"): ShopFlashSales.get_shop_flash_sale,
    ("POST", "/api/v2/shop_flash_sale/update_shop_flash_sale"): ShopFlashSales.update_shop_flash_sale,
    ("POST", "/api/v2/shop_flash_sale/delete_shop_flash_sale"): ShopFlashSales.delete_shop_flash_sale,
    ("POST", "/api/v2/shop_flash_sale/add_shop_flash_sale_items"): ShopFlashSales.add_shop_flash_sale_items,
    ("GET", "/api/v2/shop_flash_sale/get_shop_flash_sale_items"): ShopFlashSales.get_shop_flash_sale_items,
    (
        "POST",
        "/api/v2/shop_flash_sale/update_shop_flash_sale_items",
    ): ShopFlashSales.update_shop_flash_sale_items,
    (
        "POST",
        "/api/v2/shop_flash_sale/delete_shop_flash_sale_items",
    ): ShopFlashSales.delete_shop_flash_sale_items,
}
