"""The shop's flash sales on Shopee (``v2.shop_flash_sale.*``): a campaign pushed as a flash sale
instead of a discount. A flash sale takes one of Shopee's time slots, the first within the campaign's
window; its models take a promotion price and a campaign stock, set while the slot has not started
(a model's price and stock change only while it is disabled), only switched on and off once it runs.
No ORM here: the methods of ``ShopeeAdapter``, which gives ``_call`` and ``clock``.
"""

import datetime

from ..errors import ChannelError, sku_results

PATH = "/api/v2/shop_flash_sale/"
SLOT_MARGIN = 60  # seconds: a slot starting sooner may have started by the time it is asked for
BATCH, PAGE = 50, 100  # items per add or update call; items per page of get_shop_flash_sale_items
ENABLED, DISABLED = 1, 2  # the flash sale's status (0 deleted, 3 rejected by Shopee)
UPCOMING, ONGOING = 1, 2  # its type (3 expired)
MODEL_OFF, MODEL_ON = 0, 1  # a model's status in it (2 deleted, 4 and 5 rejected)
# An item without models is set through the item's own fields.
ITEM_FIELDS = {"status": "item_status", "input_promo_price": "item_input_promo_price", "stock": "item_stock"}
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))  # Shopee Vietnam's slots are local times
NOT_STARTED_ONLY = "Shopee adds items to a flash sale only before its time slot starts."
RUNNING = (
    "Shopee does not change a flash sale's prices or stock once its time slot has started: "
    "it keeps %(price).0f VND and %(stock)s unit(s)."
)


class FlashSales:
    def _push_flash_sale(self, promotion):
        """The flash sale of ``promotion``: the one of its ``ref`` while upcoming or running (switched
        on again if it was switched off), else a new one in Shopee's first time slot within the
        promotion's window; its models made the entries'."""
        current = self._flash_sale(promotion["ref"]) if promotion["ref"] else None
        if not current or current["type"] not in (UPCOMING, ONGOING):
            current = self._new_flash_sale(promotion)
        ref = str(current["flash_sale_id"])
        try:
            if current["status"] == DISABLED:
                self._call(
                    "POST",
                    PATH + "update_shop_flash_sale",
                    body={"flash_sale_id": int(ref), "status": ENABLED},
                )
            errors = self._flash_sale_items(ref, current["type"] == ONGOING, promotion["entries"])
        except ChannelError as error:
            error.promotion_ref = ref  # made already: the retry completes this one
            raise
        results = sku_results(promotion["entries"], lambda entry: errors[id(entry)])
        return {"ref": ref, "start": current["start_time"], "end": current["end_time"], "results": results}

    def _end_flash_sale(self, promotion):
        """Ended now: an upcoming flash sale deleted, a running one switched off (its prices stop);
        one over, deleted or unknown left as it is."""
        current = self._flash_sale(promotion["ref"]) if promotion["ref"] else None
        body = {"flash_sale_id": int(promotion["ref"])} if current else {}
        if current and current["type"] == UPCOMING:
            self._call("POST", PATH + "delete_shop_flash_sale", body=body)
        elif current and current["type"] == ONGOING and current["status"] == ENABLED:
            self._call("POST", PATH + "update_shop_flash_sale", body={**body, "status": DISABLED})
        return sku_results(promotion["entries"], lambda entry: "")

    def _flash_sale(self, ref):
        """The flash sale as Shopee has it (``status``, ``type``, ``start_time``...), None when Shopee
        does not know it."""
        try:
            return self._call("GET", PATH + "get_shop_flash_sale", {"flash_sale_id": ref})["response"]
        except ChannelError as error:
            if error.code == "common.error_not_found":
                return None
            raise

    def _new_flash_sale(self, promotion):
        """A flash sale in the first of Shopee's time slots that lies within the promotion's window."""
        start, end = int(promotion["start"]), int(promotion["end"])
        since = max(start, int(self.clock()) + SLOT_MARGIN)
        window = {"start_time": since, "end_time": end}
        slots = self._call("GET", PATH + "get_time_slot_id", window)["response"] if since <= end else []
        slot = min(
            (slot for slot in slots or () if slot["start_time"] >= start and slot["end_time"] <= end),
            key=lambda slot: slot["start_time"],
            default=None,
        )
        if not slot:
            raise ChannelError(
                f"Shopee has no flash sale time slot that fits the campaign's window, {_local(start)} to "
                f"{_local(end)} (Vietnam time): a flash sale runs for one whole time slot of Shopee's. "
                "Widen the campaign's window, or push it as a discount.",
                code="no_time_slot",
            )
        answer = self._call(
            "POST", PATH + "create_shop_flash_sale", body={"timeslot_id": slot["timeslot_id"]}
        )
        response = answer["response"]
        return {"flash_sale_id": response["flash_sale_id"], "status": response.get("status", ENABLED),
                "type": UPCOMING, "start_time": slot["start_time"], "end_time": slot["end_time"]}  # fmt: skip

    def _flash_sale_items(self, ref, running, entries):
        """The flash sale's models made ``entries``' promotion prices and campaign stock: ``{id(entry):
        Shopee's refusal}``, "" for those taken. Before the slot: models added, changed (switched off,
        set, switched on) and removed; once it runs: models no longer listed switched off, the others
        switched on, a change refused."""
        held, errors, wanted = self._flash_sale_models(ref), {}, {}
        for entry in entries:
            if str(entry["item_id"]).isdigit():
                wanted[(str(entry["item_id"]), _model_id(entry))] = entry
            else:
                errors[id(entry)] = "No Shopee item id"
        added = {key: entry for key, entry in wanted.items() if key not in held}
        changed = {
            key: entry
            for key, entry in wanted.items()
            if key in held and (held[key]["price"], held[key]["stock"]) != _offer(entry)
        }
        off = {key: entry for key, entry in wanted.items() if key in held and not held[key]["enabled"]}
        dropped = held.keys() - wanted.keys()
        failed = {}
        if running:
            errors.update(dict.fromkeys(map(id, added.values()), NOT_STARTED_ONLY))
            for key, entry in changed.items():
                errors[id(entry)] = RUNNING % held[key]
            switch = {key: {"status": MODEL_ON} for key in off.keys() - changed.keys()}
            switch.update({key: {"status": MODEL_OFF} for key in dropped})
            failed = self._flash_sale_call(ref, "update_shop_flash_sale_items", switch)
        else:
            offers = {key: dict(zip(("input_promo_price", "stock"), _offer(entry), strict=True))
                      for key, entry in wanted.items()}  # fmt: skip
            failed = self._flash_sale_call(
                ref, "add_shop_flash_sale_items", {key: offers[key] for key in added}
            )
            switch_off = {key: {"status": MODEL_OFF} for key in changed if held[key]["enabled"]}
            failed.update(self._flash_sale_call(ref, "update_shop_flash_sale_items", switch_off))
            on = {
                key: {"status": MODEL_ON, **(offers[key] if key in changed else {})}
                for key in changed.keys() | off.keys()
                if key not in failed
            }
            failed.update(self._flash_sale_call(ref, "update_shop_flash_sale_items", on))
            self._drop_flash_sale_models(ref, held, dropped)
        for key, entry in wanted.items():
            errors.setdefault(id(entry), failed.get(key) or failed.get((key[0], 0)) or "")
        return errors

    def _drop_flash_sale_models(self, ref, held, dropped):
        """Models no longer listed out of an upcoming flash sale: whole items deleted, the models of an
        item that stays switched off."""
        kept_items = {item_id for item_id, _model in held.keys() - dropped}
        gone = sorted({item_id for item_id, _model in dropped} - kept_items)
        if gone:
            body = {"flash_sale_id": int(ref), "item_ids": [int(item_id) for item_id in gone]}
            self._call("POST", PATH + "delete_shop_flash_sale_items", body=body)
        staying = {key: {"status": MODEL_OFF} for key in dropped if key[0] in kept_items}
        self._flash_sale_call(ref, "update_shop_flash_sale_items", staying)

    def _flash_sale_models(self, ref):
        """The models the flash sale holds: ``{(item id, model id): {"price", "stock", "enabled"}}``
        (model id 0 for an item without models)."""
        held, offset = {}, 0
        while True:
            params = {"flash_sale_id": ref, "offset": offset, "limit": PAGE}
            response = self._call("GET", PATH + "get_shop_flash_sale_items", params)["response"]
            rows = [(model, model["model_id"], model["status"]) for model in response.get("models") or []]
            rows += [
                (item, 0, item["item_status"])
                for item in response.get("item_info") or []
                if "item_status" in item
            ]
            for row, model_id, status in rows:
                if status in (MODEL_OFF, MODEL_ON):
                    held[(str(row["item_id"]), int(model_id))] = {
                        "price": row["input_promotion_price"],
                        "stock": row["campaign_stock"],
                        "enabled": status == MODEL_ON,
                    }
            offset += PAGE
            if offset >= (response.get("total_count") or 0):
                return held

    def _flash_sale_call(self, ref, call, changes):
        """``changes`` (``{(item id, model id): the model's fields}``) sent, the models of an item
        together, 50 items a call: Shopee's refusals by (item id, model id)."""
        by_item = {}
        for (item_id, model_id), values in changes.items():
            by_item.setdefault(item_id, []).append((model_id, values))
        items, failed = list(by_item.items()), {}
        for start in range(0, len(items), BATCH):
            batch = [_flash_item(item_id, models, call) for item_id, models in items[start : start + BATCH]]
            answer = self._call("POST", PATH + call, body={"flash_sale_id": int(ref), "items": batch})
            for failure in answer["response"].get("failed_items") or []:
                failed[(str(failure["item_id"]), int(failure.get("model_id") or 0))] = _refusal(failure)
        return failed


def _model_id(entry):
    return int(entry.get("model_id") or 0)


def _offer(entry):
    """The entry's promotion price (VND: whole numbers) and campaign stock."""
    return round(entry["promotion_price"]), int(entry.get("stock") or 0)


def _flash_item(item_id, models, call):
    """An item of an items call: its models' fields, or, for an item without models, its own."""
    item = {"item_id": int(item_id)}
    if call == "add_shop_flash_sale_items":
        item["purchase_limit"] = 0  # no limit
    if [model_id for model_id, _values in models] == [0]:
        return {**item, **{ITEM_FIELDS[key]: value for key, value in models[0][1].items()}}
    return {**item, "models": [{"model_id": model_id, **values} for model_id, values in models]}


def _refusal(failure):
    """Shopee's words for a refused item (model), with the conditions it does not meet."""
    conditions = [
        condition.get("unqualified_msg") for condition in failure.get("unqualified_conditions") or []
    ]
    message = failure.get("err_msg") or str(failure.get("err_code"))
    return f"{message} ({'; '.join(filter(None, conditions))})" if any(conditions) else message


def _local(moment):
    return datetime.datetime.fromtimestamp(moment, VIETNAM).strftime("%Y-%m-%d %H:%M")
