"""Shopee Open Platform v2, as far as the connector uses it: shop authorization and tokens, the
order list (time windows of at most 15 days, cursor paging) and order details (50 at a time), the
shop's info, its items (item list pages, base info 50 at a time, models), stock and price updates
(one item per call, a result per model), arranging shipment (a pickup's tracking number comes later
from the carrier; a pickup the carrier failed puts the order in ``RETRY_SHIP``, to arrange again),
the seller's cancellation and answer to a buyer's (``IN_CANCEL``), returns, and the shop's
discounts (``v2.discount.*``) and flash sales (``v2.shop_flash_sale.*``, in shopee_flash_sale.py):
while one runs, its items' current price is the promotion price (a flash sale's before a
discount's) and orders created then are priced at it.

Requests are refused the way Shopee refuses them: a wrong sign, a stale timestamp, an unknown or
expired access token (``error_auth``), a too-wide window, too many requests, and on the calls of
``QUERY_PARAMETERS`` (and the stock and price bodies) a parameter it does not know or of the wrong
type (``error_param``). The order list filters by ``order_status`` and tells each order's status only
when ``response_optional_fields`` asks for it; order details answer only the optional fields asked.
"""

import json
import uuid

from . import platform_signing as signing
from .platform import PlatformApi, RateLimit, paid_time, parameter_problem
from .promotions import Promotions, deal_price
from .shopee_errors import ShopeeError, check_body
from .shopee_flash_sale import QUERY_PARAMETERS as FLASH_SALE_QUERIES
from .shopee_flash_sale import ROUTES as FLASH_SALE_ROUTES
from .shopee_flash_sale import ShopFlashSales

MAX_WINDOW = 15 * 24 * 3600
MAX_PAGE = 100
MAX_DETAIL = 50
MAX_MODELS = 50  # models per update_stock / update_price call
LOCATION = "VNZ"  # the shop's default warehouse
DAYS_TO_SHIP = 2
TIMESTAMP_TOLERANCE = 300
SELLER_CANCEL_REASONS = ("OUT_OF_STOCK", "CUSTOMER_REQUEST", "UNDELIVERABLE_AREA", "COD_NOT_SUPPORTED")
# Partner-level calls: signed without a shop's token.
PUBLIC_PATHS = (
    "/api/v2/auth/token/get",
    "/api/v2/auth/access_token/get",
    "/api/v2/push/get_lost_push_message",
    "/api/v2/push/confirm_consumed_lost_push_message",
)
LOST_PUSH_PAGE, LOST_PUSH_DAYS = 100, 3
ORDER_STATUSES = ("UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
                  "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING")  # fmt: skip
CARRIER, CARRIER_CHANNEL_ID = "SPX Express", 50021
HANDED_OVER = ("SHIPPED", "TO_CONFIRM_RECEIVE", "COMPLETED", "TO_RETURN")
LOGISTICS_STATUSES = {"UNPAID": "LOGISTICS_NOT_START", "READY_TO_SHIP": "LOGISTICS_READY",
                      "PROCESSED": "LOGISTICS_REQUEST_CREATED", "SHIPPED": "LOGISTICS_PICKUP_DONE",
                      "TO_CONFIRM_RECEIVE": "LOGISTICS_DELIVERY_DONE", "COMPLETED": "LOGISTICS_DELIVERY_DONE",
                      "CANCELLED": "LOGISTICS_INVALID", "RETRY_SHIP": "LOGISTICS_PICKUP_RETRY"}  # fmt: skip
ITEM_STATUSES = ("NORMAL", "BANNED", "UNLIST", "REVIEWING", "SELLER_DELETE", "SHOPEE_DELETE")
# get_order_detail answers these fields; the others only when response_optional_fields names them.
DETAIL_FIELDS = ("order_sn", "region", "currency", "cod", "order_status", "create_time", "update_time",
                 "days_to_ship", "ship_by_date", "message_to_seller")  # fmt: skip
OPTIONAL_DETAIL_FIELDS = (
    "buyer_user_id,buyer_username,estimated_shipping_fee,recipient_address,actual_shipping_fee,goods_to_declare,"
    "note,note_update_time,item_list,pay_time,dropshipper,dropshipper_phone,split_up,buyer_cancel_reason,cancel_by,"
    "cancel_reason,actual_shipping_fee_confirmed,buyer_cpf_id,fulfillment_flag,pickup_done_time,package_list,"
    "shipping_carrier,payment_method,total_amount,invoice_data,order_chargeable_weight_gram,return_request_due_date,"
    "edt,payment_info"
).split(",")
# Discounts, as Shopee's API reference has them: a discount starts at least an hour after it is set
# up, lasts at least an hour and less than 180 days, takes 50 items a call and 1000 in all, and a
# shop has at most 1000 upcoming and ongoing ones; one that runs may be ended an hour after its start.
# In Vietnam no discount takes more than 50% off (discount.promotion_price_for_vn; Decree
# 81/2018/ND-CP caps a promotion's discount at 50%). Assumption: get_discount pages as
# get_discount_list does, 100 at most (its page size has no documented bound).
DISCOUNT_LEAD, DISCOUNT_SHORTEST, DISCOUNT_LONGEST = 3600, 3600, 180 * 24 * 3600
DISCOUNT_BATCH, DISCOUNT_ITEMS, DISCOUNT_COUNT, DISCOUNT_END_AFTER = 50, 1000, 1000, 3600
VN_MAX_OFF = 0.5
DISCOUNT_STATUSES = ("upcoming", "ongoing", "expired", "all")
DISCOUNT = {"discount_id": int, "discount_name": str, "start_time": int, "end_time": int}
DISCOUNT_ITEMS_BODY = {"discount_id": int, "item_list": list}
DISCOUNT_ITEM = {"item_id": int, "item_promotion_price": float, "item_promotion_stock": int,
                 "model_list": list, "purchase_limit": int}  # fmt: skip
DISCOUNT_MODEL = {"model_id": int, "model_promotion_price": float, "model_promotion_stock": int}
# Shopee's words for what a discount call refuses (the call, or an item in its error list).
DISCOUNT_ERRORS = {
    "discount.exceed_max_discount_count": "The upcoming and ongoing discount cannot exceed 1000.",
    "discount.discount_start_time_smaller_than_now": "Discount start time is less than the current time.",
    "discount.update_ongoing_discount_start_time": (
        "The start time can't be changed when discount is in ongoing status."
    ),
    "discount.short_discount_start_time": "Promotion start time can only be changed to a later timing.",
    "discount.extend_discount_end_time_error": "Promotion end time can only be changed to an earlier timing.",
    "discount.discount_end_time_smaller_than_now": "Discount end time should later than the current time.",
    "discount.discount_not_ongoing": "Only the ongoing discount can be ended.",
    "discount.end_discount_time_error": "Only can end the discount after 1 hour of start time.",
    "discount.discount_is_ongoing": "The ongoing discount cannot be deleted.",
    "discount.exceed_discount_item_batch_size": "You can only add up to 50 items at a time.",
    "discount.discount_item_not_exist": "The item is not in this discount, please check it again.",
    "discount.discount_is_end": "The end discount cannot be updated or deleted.",
    "discount.discount_end_time_smaller_than_start_time": "Discount end time should later than start time.",
    "discount.discount_period_too_short": "The end time should be later than 1 hour of start time.",
    "discount.discount_period_too_long": "Promotion duration must be within 180 days.",
    "discount.item_id_not_exist": "The Item id you provided is not found, please check your item id.",
    "discount.item_id_repeated": "The item id can't be upload due to it has duplicated.",
    "discount.item_need_model_id": "Please input model id for the item with models.",
    "discount.model_id_not_exist": "The model id you provided is not found. Please check your model id.",
    "discount.model_id_repeated": "The model id can't be upload due to it has duplicated.",
    "discount.discount_need_promotion_price": "Please input the discount price.",
    "discount.item_purchase_limit_error": "Purchase limit of this product must be greater than -1.",
    "discount.item_in_promotion": "Item is already in this discount.",
    "discount.model_in_promotion": "The model that you provided is already in this discount.",
    "discount.item_not_in_promotion": "Item is not found in this discount.",
    "discount.model_not_in_promotion": "The model that you provided is not in this discount.",
    "discount.item_in_other_promotion": "Item is already in other overlapped discount.",
    "discount.item_in_promotion_too_many": "A maximum of 1000 items can be uploaded in one promotion",
    "discount.promotion_price_higher_input_price": "Discount price is greater than original price.",
    "discount.promotion_price_for_vn": "The discount price has exceeded 50% of original price.",
}
SELLER_STOCK = {"location_id": str, "stock": int}
UPDATE_ENTRIES = {"stock_list": {"model_id": int, "seller_stock": list},
                  "price_list": {"model_id": int, "original_price": float}}  # fmt: skip
COMMON_QUERY = {"partner_id": int, "timestamp": int, "access_token": str, "shop_id": int, "sign": str}
# The parameters of the calls answered strictly: any other is refused, as is a value of the wrong kind.
QUERY_PARAMETERS = {
    "/api/v2/order/get_order_list": {
        "time_range_field": ("create_time", "update_time"), "time_from": int, "time_to": int,
        "page_size": int, "cursor": str, "order_status": ORDER_STATUSES,
        "response_optional_fields": ("order_status",), "request_order_status_pending": bool,
    },
    "/api/v2/order/get_order_detail": {
        "order_sn_list": str, "response_optional_fields": str, "request_order_status_pending": bool,
    },
    "/api/v2/product/get_item_base_info": {
        "item_id_list": str, "need_tax_info": bool, "need_complaint_policy": bool,
    },
    "/api/v2/product/get_model_list": {"item_id": int},
    "/api/v2/shop/get_shop_info": {},
    "/api/v2/logistics/get_shipping_parameter": {"order_sn": str, "package_number": str},
    "/api/v2/logistics/get_tracking_number": {
        "order_sn": str, "package_number": str, "response_optional_fields": str,
    },
    "/api/v2/product/get_item_list": {
        "offset": int, "page_size": int, "item_status": ITEM_STATUSES, "update_time_from": int,
        "update_time_to": int,
    },
    "/api/v2/discount/get_discount": {"discount_id": int, "page_no": int, "page_size": int},
    "/api/v2/discount/get_discount_list": {
        "discount_status": DISCOUNT_STATUSES, "page_no": int, "page_size": int, "update_time_from": int,
        "update_time_to": int,
    },
    **FLASH_SALE_QUERIES,
}  # fmt: skip


class ShopeeApi(ShopFlashSales, PlatformApi):
    # Shopee limits calls per API, for each shop (and for the partner on its partner-level calls), and
    # answers too many with error_server "Too many requests, please try again later". Assumption: the
    # documents at hand publish no figure; 50 calls a second per API is taken for one.
    RATE_LIMITS = (RateLimit("api", 50),)

    def __init__(
        self, shop, partner_id=2001887, partner_key="sandbox-partner-key", shop_id=14701711, **options
    ):
        super().__init__(shop, access_token_ttl=14400, **options)
        shop.name_locations([LOCATION])
        self.partner_id, self.partner_key, self.shop_id = partner_id, partner_key, shop_id
        self.lost_pushes, self.next_message_id = [], 1
        self.discounts = Promotions(lambda: self.clock(), first_id=1000029882)
        self.init_flash_sales()
        shop.buyer_price = self.buyer_price

    def buyer_price(self, sku, when):
        """The flash sale, else the discount, running when an order is made prices it."""
        _sale, flash = self.flash_deal(sku, when)
        return flash["price"] if flash else self.discounts.price(sku, self.shop.items[sku]["price"], when)

    def pass_time(self, seconds):
        """Move the shop's discounts and flash sales ``seconds`` into the past (``Promotions.pass_time``)."""
        self.discounts.pass_time(seconds)
        self.pass_flash_sale_time(seconds)

    # ------------------------------------------------------------------ HTTP

    def handle(self, method, path, query, body):
        """``(HTTP status, JSON answer)`` for one request."""
        try:
            self._check_rate(path)
            self._check_signature(path, query)
            handler = ROUTES.get((method, path))
            if not handler:
                raise ShopeeError(404, "error_not_found", f"Api {path} not found.")
            if path in QUERY_PARAMETERS:
                _check_parameters(query, {**COMMON_QUERY, **QUERY_PARAMETERS[path]})
            response = handler(self, query, body or {})
        except ShopeeError as error:
            return error.status, {
                "request_id": uuid.uuid4().hex,
                "error": error.error,
                "message": error.message,
            }
        return 200, {"request_id": uuid.uuid4().hex, "error": "", "message": "", **response}

    def _check_rate(self, path):
        if self.over_rate(path):
            raise ShopeeError(429, "error_server", "Too many requests, please try again later")

    def _check_signature(self, path, query):
        if "sign" not in query:
            raise ShopeeError(403, "error_param", "There is no sign in query.")
        if str(query.get("partner_id")) != str(self.partner_id):
            raise ShopeeError(403, "error_param", "Invalid partner_id.")
        try:
            timestamp = int(query["timestamp"])
        except (KeyError, ValueError):
            raise ShopeeError(403, "error_param", "no timestamp") from None
        if abs(self.clock() - timestamp) > TIMESTAMP_TOLERANCE:
            raise ShopeeError(403, "error_param", "Invalid timestamp")
        shop_api = path not in PUBLIC_PATHS
        expected = signing.shopee_request(
            self.partner_key,
            self.partner_id,
            path,
            timestamp,
            query.get("access_token", "") if shop_api else "",
            query.get("shop_id", "") if shop_api else "",
        )
        if not signing.matches(query["sign"], expected):
            raise ShopeeError(403, "error_sign", "Wrong sign.")
        if shop_api:
            if str(query.get("shop_id")) != str(self.shop_id):
                raise ShopeeError(403, "error_shop", "shopid is invalid")
            if not self.token_is_valid(query.get("access_token")):
                raise ShopeeError(403, "error_auth", "Invalid access_token.")

    # ------------------------------------------------------------------ auth

    def _issue_tokens(self):
        access, refresh, _expires = self.new_tokens()
        return {"access_token": access, "refresh_token": refresh, "expire_in": self.access_token_ttl,
                "partner_id": self.partner_id, "shop_id": self.shop_id}  # fmt: skip

    def token_get(self, query, body):
        if body.get("shop_id") and str(body["shop_id"]) != str(self.shop_id):
            raise ShopeeError(403, "error_auth", "Invalid code")
        if not self.use_once(self.codes, body.get("code")):
            raise ShopeeError(403, "error_auth", "Invalid code")
        return self._issue_tokens()

    def access_token_get(self, query, body):
        """Refresh tokens are single use: a second refresh with the same one fails."""
        if not self.use_once(self.refresh_tokens, body.get("refresh_token")):
            raise ShopeeError(403, "error_auth", "Invalid refresh_token.")
        return self._issue_tokens()

    # ------------------------------------------------------------------ orders

    def order_list(self, query, body):
        field = query.get("time_range_field")
        if field not in ("create_time", "update_time"):
            raise ShopeeError(200, "error_param", "time_range_field must be create_time or update_time.")
        time_from, time_to = int(query.get("time_from", 0)), int(query.get("time_to", 0))
        if not 0 <= time_to - time_from <= MAX_WINDOW:
            raise ShopeeError(
                200,
                "order.order_list_invalid_time",
                "Start time must be earlier than end time and diff in 15days.",
            )
        page_size = _page_size(query)
        key = "create_time" if field == "create_time" else "update_time"
        wanted = query.get("order_status")
        found = sorted(
            (
                order
                for order in self.shop.orders.values()
                if time_from <= order[key] <= time_to
                and wanted in (None, self._detail(order)["order_status"])
            ),
            key=lambda order: (order[key], order["id"]),
        )
        # The first page's cursor is empty (Shopee's own example writes it "").
        cursor = (query.get("cursor") or "").strip('"')
        if not (cursor or "0").isdigit():
            raise ShopeeError(200, "error_param", "Wrong parameters, detail: cursor is invalid.")
        start = int(cursor or 0)
        page = found[start : start + page_size]
        more = start + page_size < len(found)
        return {
            "response": {
                "more": more,
                "next_cursor": str(start + page_size) if more else "",
                "order_list": [self._list_entry(order, query) for order in page],
            }
        }

    def _list_entry(self, order, query):
        """The order's number, and its status when asked for."""
        entry = {"order_sn": order["id"]}
        if query.get("response_optional_fields") == "order_status":
            entry["order_status"] = self._detail(order)["order_status"]
        return entry

    def order_detail(self, query, body):
        numbers = [number for number in (query.get("order_sn_list") or "").split(",") if number]
        if not 1 <= len(numbers) <= MAX_DETAIL:
            raise ShopeeError(200, "error_param", "order_sn_list should have 1 to 50 orders.")
        missing = [number for number in numbers if number not in self.shop.orders]
        if missing:
            raise ShopeeError(200, "error_not_found", "Wrong parameters, detail: the order is not found.")
        asked = [name for name in (query.get("response_optional_fields") or "").split(",") if name]
        unknown = [name for name in asked if name not in OPTIONAL_DETAIL_FIELDS]
        if unknown:
            problem = f"Wrong parameters, detail: unknown optional field {unknown[0]}."
            raise ShopeeError(200, "error_param", problem)
        fields = (*DETAIL_FIELDS, *asked)
        orders = [self._detail(self.shop.orders[number]) for number in numbers]
        return {"response": {"order_list": [_only(order, fields) for order in orders]}}

    def _detail(self, order):
        items = [
            self.shop.items[sku]
            | {"sku": sku, "quantity": quantity, "deal_price": self.shop.unit_price(order, sku),
               "flash_sale": self.flash_sale_of(order, sku)}
            for sku, quantity in order["lines"]
        ]  # fmt: skip
        address = order["address"]
        shipping = 20000
        return {
            "order_sn": order["id"],
            "region": "VN",
            "currency": "VND",
            "cod": order["cod"],
            # A buyer's cancellation request waits for the seller's answer in IN_CANCEL.
            "order_status": "IN_CANCEL" if order.get("cancel_request") else order["status"],
            "create_time": order["create_time"],
            "update_time": order["update_time"],
            # Shopee sets the ship-by date once the order is paid (COD orders at once).
            "days_to_ship": DAYS_TO_SHIP,
            "ship_by_date": 0
            if order["status"] == "UNPAID" and not order["cod"]
            else order["create_time"] + DAYS_TO_SHIP * 24 * 3600,
            "buyer_user_id": order["buyer_id"],
            "buyer_username": f"buyer{order['buyer_id']}",
            "message_to_seller": "",
            "cancel_by": order.get("cancel_by", ""),
            "cancel_reason": order.get("cancel_reason", ""),
            "buyer_cancel_reason": order.get("cancel_request") or order.get("cancel_reason", "")
            if order.get("cancel_request") or order.get("cancel_by") == "buyer"
            else "",
            "payment_method": "Cash on Delivery" if order["cod"] else "ShopeePay",
            "estimated_shipping_fee": shipping,
            "total_amount": sum(item["deal_price"] * item["quantity"] for item in items) + shipping,
            # Shopee masks the recipient for most apps.
            "recipient_address": {
                "name": order["buyer_name"][0] + "******" + order["buyer_name"][-1],
                "phone": "******" + str(order["buyer_id"])[-2:],
                "town": "",
                "district": address["ward"],
                "city": address["district"],
                "state": address["province"],
                "region": "VN",
                "full_address": "******",
            },
            "item_list": [
                {
                    "item_id": item["item_id"],
                    "item_name": item["name"],
                    # An item without variations has no model: model_id 0, its SKU the item's.
                    "item_sku": "" if item["variation"] else item["sku"],
                    "model_id": item["model_id"] if item["variation"] else 0,
                    "model_name": item["variation"],
                    "model_sku": item["sku"] if item["variation"] else "",
                    "model_quantity_purchased": item["quantity"],
                    "model_original_price": item["price"],
                    "model_discounted_price": item["deal_price"],
                    "order_item_id": item["item_id"],
                    "weight": 0.3,
                    "wholesale": False,
                    "add_on_deal": False,
                    "add_on_deal_id": 0,
                    "main_item": False,
                    "promotion_type": "flash_sale" if item["flash_sale"] else "",
                    "promotion_id": int(item["flash_sale"].id) if item["flash_sale"] else 0,
                    "promotion_group_id": 0,
                    "product_location_id": [order["location"]],
                    "is_b2c_owned_item": False,
                    "is_prescription_item": False,
                    "image_info": {"image_url": ""},
                }
                for item in items
            ],
            "pay_time": paid_time(order),
            "note": "",
            "note_update_time": 0,
            "actual_shipping_fee": shipping,
            "actual_shipping_fee_confirmed": order["status"] not in ("UNPAID", "READY_TO_SHIP"),
            "split_up": False,
            "fulfillment_flag": "fulfilled_by_local_seller",
            "pickup_done_time": order["update_time"] if order["status"] in HANDED_OVER else 0,
            "goods_to_declare": False,
            "dropshipper": "",
            "dropshipper_phone": "",
            "shipping_carrier": CARRIER,
            "package_list": [
                {
                    "package_number": f"OFG{order['id']}",
                    "logistics_status": LOGISTICS_STATUSES.get(order["status"], "LOGISTICS_NOT_START"),
                    "logistics_channel_id": CARRIER_CHANNEL_ID,
                    "shipping_carrier": CARRIER,
                    "parcel_chargeable_weight_gram": 300 * sum(item["quantity"] for item in items),
                    "item_list": [
                        {
                            "item_id": item["item_id"],
                            "model_id": item["model_id"] if item["variation"] else 0,
                            "model_quantity": item["quantity"],
                            "order_item_id": item["item_id"],
                            "product_location_id": order["location"],
                            "promotion_group_id": 0,
                        }
                        for item in items
                    ],
                }
            ],
        }

    def handle_buyer_cancellation(self, query, body):
        """The seller accepts (the order is cancelled) or rejects (it goes on) a buyer's request."""
        order = self._order(body.get("order_sn"))
        if body.get("operation") not in ("ACCEPT", "REJECT"):
            raise ShopeeError(200, "error_param", "operation should be ACCEPT or REJECT.")
        if not self.shop.answer_cancellation(order["id"], body["operation"] == "ACCEPT"):
            raise ShopeeError(200, "order.order_status_error", "The order has no cancellation to handle.")
        return {"response": {"update_time": order["update_time"]}}

    def cancel_order(self, query, body):
        """The seller cancels an order not shipped yet; out of stock names the items."""
        order = self._order(body.get("order_sn"))
        reason = body.get("cancel_reason")
        if reason not in SELLER_CANCEL_REASONS:
            raise ShopeeError(
                200, "error_param", f"cancel_reason should be one of {', '.join(SELLER_CANCEL_REASONS)}."
            )
        if reason == "OUT_OF_STOCK" and not body.get("item_list"):
            raise ShopeeError(200, "error_param", "item_list is required when cancel_reason is OUT_OF_STOCK.")
        if order.get("cancel_request") or not self.shop.cancel(order["id"], "seller", reason):
            raise ShopeeError(200, "order.order_status_error", "The order cannot be cancelled in its status.")
        return {"response": {"update_time": order["update_time"]}}

    # ------------------------------------------------------------------ returns

    def return_list(self, query, body):
        """Returns created or updated in a window of 15 days at most, ``page_no`` from 0."""
        page_size, page_no = _page_size(query), int(query.get("page_no") or 0)
        found = list(self.shop.returns.values())
        for field in ("create_time", "update_time"):
            start, end = query.get(f"{field}_from"), query.get(f"{field}_to")
            if (start is None) != (end is None) or (
                start is not None and not 0 <= int(end) - int(start) <= MAX_WINDOW
            ):
                raise ShopeeError(
                    200, "error_param", f"{field}_from and {field}_to: a range of 15 days at most."
                )
            if start is not None:
                found = [entry for entry in found if int(start) <= entry[field] <= int(end)]
        if query.get("status"):
            found = [entry for entry in found if entry["status"] == query["status"]]
        found.sort(key=lambda entry: (entry["update_time"], entry["id"]))
        page = found[page_no * page_size : (page_no + 1) * page_size]
        more = (page_no + 1) * page_size < len(found)
        return {"response": {"more": more, "return": [self._return(entry) for entry in page]}}

    def return_detail(self, query, body):
        found = self.shop.returns.get(str(query.get("return_sn") or ""))
        if not found:
            raise ShopeeError(200, "returns.error_not_found", "Return not found.")
        return {"response": self._return(found)}

    def _return(self, found):
        order = self.shop.orders[found["order_id"]]
        # Each unit is refunded at what its buyer paid.
        items = [
            self.shop.items[sku]
            | {"sku": sku, "quantity": quantity, "price": self.shop.unit_price(order, sku)}
            for sku, quantity in found["lines"]
        ]
        return {
            "return_sn": found["id"], "order_sn": order["id"], "status": found["status"],
            "reason": "WRONG_ITEM", "text_reason": found["reason"], "image": [], "buyer_videos": [],
            "refund_amount": found["refund_amount"], "amount_before_discount": found["refund_amount"],
            "currency": "VND", "create_time": found["create_time"], "update_time": found["update_time"],
            "due_date": found["create_time"] + 7 * 24 * 3600, "tracking_number": "", "needs_logistics": True,
            "return_ship_due_date": found["create_time"] + 3 * 24 * 3600,
            "return_seller_due_date": found["create_time"] + 5 * 24 * 3600,
            "user": {"username": f"buyer{order['buyer_id']}", "email": "", "portrait": ""},
            "item": [
                {"item_id": item["item_id"], "model_id": item["model_id"] if item["variation"] else 0,
                 "name": item["name"], "images": [], "amount": item["quantity"], "item_price": item["price"],
                 "refund_amount": item["price"] * item["quantity"], "is_add_on_deal": False,
                 "is_main_item": False, "add_on_deal_id": 0,
                 "item_sku": "" if item["variation"] else item["sku"],
                 "variation_sku": item["sku"] if item["variation"] else ""}
                for item in items
            ],
        }  # fmt: skip

    # ------------------------------------------------------------------ lost pushes

    def lose_push(self, body):
        """Keep a push its receiver did not take (an error, no answer): the partner asks for it later."""
        push = json.loads(body)
        self.lost_pushes.append(
            {**push, "data": json.dumps(push["data"]), "message_id": self.next_message_id}
        )
        self.next_message_id += 1

    def lost_push_messages(self, query, body):
        """The earliest 100 pushes not delivered in the last 3 days, ``data`` as JSON text."""
        recent = [
            push for push in self.lost_pushes if push["timestamp"] >= self.clock() - LOST_PUSH_DAYS * 86400
        ]
        page = recent[:LOST_PUSH_PAGE]
        return {
            "response": {
                "push_message_list": [{key: push[key] for key in ("shop_id", "code", "timestamp", "data")}
                                      for push in page],
                "has_next_page": len(recent) > LOST_PUSH_PAGE,
                "last_message_id": page[-1]["message_id"] if page else 0,
            }
        }  # fmt: skip

    def confirm_lost_pushes(self, query, body):
        """Forget the lost pushes up to ``last_message_id``: the partner has them."""
        last = body.get("last_message_id")
        if not isinstance(last, int) or isinstance(last, bool):
            raise ShopeeError(200, "error_param", "last_message_id should be a number.")
        self.lost_pushes = [push for push in self.lost_pushes if push["message_id"] > last]
        return {}

    # ------------------------------------------------------------------ shop and items

    def shop_info(self, query, body):
        # get_shop_info answers at the top level, not under "response".
        return {"shop_name": self.shop_name, "region": "VN", "status": "NORMAL", "is_cb": False}

    def item_list(self, query, body):
        offset, page_size = int(query.get("offset") or 0), _page_size(query)
        # item_status is the one list Shopee takes as a repeated name: item_status=NORMAL&item_status=UNLIST.
        statuses = query.every("item_status")
        if not statuses:
            raise ShopeeError(200, "error_param", "item_status is required.")
        if any(status not in ITEM_STATUSES for status in statuses):
            raise ShopeeError(200, "error_param", "Wrong parameters, detail: item_status is invalid.")
        # Every simulated item is live: only NORMAL lists them.
        items = sorted(self.shop.items.values(), key=lambda item: item["item_id"])
        items = items if "NORMAL" in statuses else []
        page = items[offset : offset + page_size]
        more = offset + page_size < len(items)
        return {
            "response": {
                "item": [{"item_id": item["item_id"], "item_status": "NORMAL"} for item in page],
                "total_count": len(items),
                "has_next_page": more,
                "next_offset": offset + page_size if more else 0,
            }
        }

    def item_base_info(self, query, body):
        ids = [item_id for item_id in (query.get("item_id_list") or "").split(",") if item_id]
        if not 1 <= len(ids) <= MAX_DETAIL:
            raise ShopeeError(200, "error_param", "item_id_list should have 1 to 50 items.")
        found = [self.find_item("item_id", item_id) for item_id in ids]
        return {"response": {"item_list": [self._base_info(sku, item) for sku, item in found if item]}}

    def _base_info(self, sku, item):
        info = {"item_id": item["item_id"], "item_name": item["name"], "item_status": "NORMAL"}
        if item["variation"]:
            return {**info, "item_sku": "", "has_model": True}
        offer = self._offer(sku, item)
        return {**info, "item_sku": sku, "has_model": False, "gtin_code": item["barcode"], **offer}

    def model_list(self, query, body):
        sku, item = self._item(query.get("item_id"))
        models = []
        if item["variation"]:
            model = {"model_id": item["model_id"], "model_sku": sku, "model_status": "MODEL_NORMAL"}
            models.append({**model, "tier_index": [0], "gtin_code": item["barcode"]} | self._offer(sku, item))
        tiers = [{"name": "Size", "option_list": [{"option": item["variation"]}]}] if models else []
        return {"response": {"tier_variation": tiers, "model": models}}

    def _item(self, item_id):
        sku, item = self.find_item("item_id", item_id)
        if not item:
            raise ShopeeError(200, "product.error_item_not_found", "Item not found.")
        return sku, item

    def _offer(self, sku, item):
        """The price (``current_price``: the promotion price while a flash sale or a discount runs)
        and the stock."""
        promotion, deal = self.flash_deal(sku, self.clock())
        if not deal:
            promotion, deal = self.discounts.running(sku, self.clock())
        current = deal_price(deal, item["price"]) if deal else item["price"]
        price = {"currency": "VND", "original_price": item["price"], "current_price": current}
        shop = self.shop
        summary = {"total_reserved_stock": shop.reserved(sku), "total_available_stock": shop.available(sku)}
        places = [{"location_id": place, "stock": shop.available(sku, place)} for place in shop.locations]
        stock = {"summary_info": summary, "seller_stock": places}
        promoted = {"has_promotion": bool(deal), "promotion_id": int(promotion.id) if promotion else 0}
        return {"price_info": [price], "stock_info_v2": stock, **promoted}

    def update_stock(self, query, body):
        return self._update(body, "stock_list", self._set_stock)

    def update_price(self, query, body):
        return self._update(body, "price_list", self._set_price)

    def _update(self, body, key, apply):
        """One item's models; a model that cannot take the change goes to the failure list. A field
        Shopee does not know, or of the wrong JSON type, refuses the whole call."""
        problem = parameter_problem(body, {"item_id": int, key: list}, json_body=True)
        entries = body.get(key) or []
        for entry in entries:
            problem = problem or parameter_problem(entry, UPDATE_ENTRIES[key], json_body=True)
            for place in entry.get("seller_stock") or []:
                problem = problem or parameter_problem(place, SELLER_STOCK, json_body=True)
        if problem:
            raise ShopeeError(200, "product.error_param", f"Wrong parameters, detail: {problem}.")
        sku, item = self._item(body.get("item_id"))
        if not 1 <= len(entries) <= MAX_MODELS:
            raise ShopeeError(200, "product.error_param", f"{key} should have 1 to 50 models.")
        failures, successes = [], []
        for entry in entries:
            model_id = entry.get("model_id") or 0
            if model_id != (item["model_id"] if item["variation"] else 0):
                reason = "Item has models: give the model_id." if not model_id else "Model not found."
                failures.append({"model_id": model_id, "failed_reason": reason})
                continue
            reason = apply(sku, item, entry)
            if reason:
                failures.append({"model_id": model_id, "failed_reason": reason})
            else:
                successes.append(entry)
        return {"response": {"failure_list": failures, "success_list": successes}, "warning": ""}

    def _set_stock(self, sku, item, entry):
        """The sellable stock at each location given (the default one when none is named)."""
        stocks = entry.get("seller_stock") or []
        places = [place.get("location_id", self.shop.location) for place in stocks]
        if not stocks or len(set(places)) != len(places) or not set(places) <= set(self.shop.locations):
            return "Invalid location_id."
        if any(not isinstance(place.get("stock"), int) or place["stock"] < 0 for place in stocks):
            return "Stock should be a whole number, not below 0."
        for location, place in zip(places, stocks, strict=True):
            self.shop.set_stock(sku, place["stock"], location)
        return ""

    def _set_price(self, _sku, item, entry):
        price = entry.get("original_price")
        # VND prices are whole numbers.
        if not isinstance(price, (int, float)) or price <= 0 or price != int(price):
            return "error_invalid_price"
        item["price"] = int(price)
        return ""

    # ------------------------------------------------------------------ discounts

    def add_discount(self, query, body):
        check_body(body, DISCOUNT, ("discount_name", "start_time", "end_time"))
        now = self.clock()
        if sum(discount.status(now) != "expired" for discount in self.discounts.listed()) >= DISCOUNT_COUNT:
            raise _refused("discount.exceed_max_discount_count")
        if body["start_time"] < now + DISCOUNT_LEAD:
            raise _refused("discount.discount_start_time_smaller_than_now")
        _check_period(body["start_time"], body["end_time"])
        discount = self.discounts.add(body["discount_name"], body["start_time"], body["end_time"])
        return {"response": {"discount_id": int(discount.id)}}

    def update_discount(self, query, body):
        """The name, a later start (before it starts), an earlier end."""
        check_body(body, DISCOUNT, ("discount_id",))
        discount, status = self._discount(body["discount_id"])
        now = self.clock()
        start, end = body.get("start_time", discount.start), body.get("end_time", discount.end)
        if start != discount.start:
            if status == "ongoing":
                raise _refused("discount.update_ongoing_discount_start_time")
            if start < discount.start:
                raise _refused("discount.short_discount_start_time")
            if start < now + DISCOUNT_LEAD:
                raise _refused("discount.discount_start_time_smaller_than_now")
        if end > discount.end:
            raise _refused("discount.extend_discount_end_time_error")
        if end <= now:
            raise _refused("discount.discount_end_time_smaller_than_now")
        _check_period(start, end)
        discount.name = body.get("discount_name", discount.name)
        discount.start, discount.end, discount.updated = start, end, int(now)
        return {"response": {"discount_id": int(discount.id), "modify_time": int(now)}}

    def end_discount(self, query, body):
        """An ongoing discount ends now (an hour after its start at the soonest)."""
        check_body(body, {"discount_id": int}, ("discount_id",))
        discount, status = self._discount(body["discount_id"])
        if status == "upcoming":
            raise _refused("discount.discount_not_ongoing")
        if self.clock() < discount.start + DISCOUNT_END_AFTER:
            raise _refused("discount.end_discount_time_error")
        self.discounts.end_now(discount)
        return {"response": {"discount_id": int(discount.id), "modify_time": discount.updated}}

    def delete_discount(self, query, body):
        """An upcoming discount is deleted."""
        check_body(body, {"discount_id": int}, ("discount_id",))
        discount, status = self._discount(body["discount_id"])
        if status == "ongoing":
            raise _refused("discount.discount_is_ongoing")
        self.discounts.end_now(discount)
        discount.deleted = True
        return {"response": {"discount_id": int(discount.id), "modify_time": discount.updated}}

    def add_discount_item(self, query, body):
        response = self._discount_items(body, adding=True)
        return {"response": {**response, "warning": ""}}

    def update_discount_item(self, query, body):
        return {"response": self._discount_items(body, adding=False), "warning": ""}

    def _discount_items(self, body, adding):
        """Up to 50 items a call; an item (model) that cannot take its promotion price goes to the
        error list, the others are taken."""
        check_body(body, DISCOUNT_ITEMS_BODY, ("discount_id", "item_list"))
        for entry in body["item_list"]:
            check_body(entry, DISCOUNT_ITEM, ("item_id", "purchase_limit") if adding else ("item_id",))
            for model in entry.get("model_list") or []:
                check_body(model, DISCOUNT_MODEL, ("model_id", "model_promotion_price"))
        discount, _status = self._discount(body["discount_id"])
        if len(body["item_list"]) > DISCOUNT_BATCH:
            raise _refused("discount.exceed_discount_item_batch_size")
        errors, count, seen = [], 0, set()
        for entry in body["item_list"]:
            failure = self._discount_item(discount, entry, adding, seen)
            if failure:
                model_id, error = failure
                errors.append({"item_id": entry["item_id"], "model_id": model_id,
                               "fail_message": DISCOUNT_ERRORS[error], "fail_error": error})  # fmt: skip
            else:
                count += 1
        return {"discount_id": int(discount.id), "count": count, "error_list": errors}

    def _discount_item(self, discount, entry, adding, seen):
        """``(model_id, error)`` of an item refused (``DISCOUNT_ERRORS``), or None once its price
        is set."""
        sku, item = self.find_item("item_id", entry["item_id"])
        if not item:
            return 0, "discount.item_id_not_exist"
        if entry["item_id"] in seen:
            return 0, "discount.item_id_repeated"
        seen.add(entry["item_id"])
        model_id = item["model_id"] if item["variation"] else 0
        models = entry.get("model_list") or []
        if item["variation"] and not models:
            return 0, "discount.item_need_model_id"
        strangers = [model["model_id"] for model in models if model["model_id"] != model_id]
        if strangers:
            return strangers[0], "discount.model_id_not_exist"
        if len(models) > 1:
            return model_id, "discount.model_id_repeated"
        price = models[0]["model_promotion_price"] if models else entry.get("item_promotion_price")
        which = "model" if model_id else "item"
        held = discount.deal(sku) is not None
        for refused, error in (
            (price is None, "discount.discount_need_promotion_price"),
            (entry.get("purchase_limit", 0) < 0, "discount.item_purchase_limit_error"),
            (adding and held, f"discount.{which}_in_promotion"),
            (not adding and not held, f"discount.{which}_not_in_promotion"),
            (adding and self.discounts.rival(discount, sku), "discount.item_in_other_promotion"),
            (adding and len(discount.skus()) >= DISCOUNT_ITEMS, "discount.item_in_promotion_too_many"),
            (price is not None and price >= item["price"], "discount.promotion_price_higher_input_price"),
            (
                price is not None and price < item["price"] * (1 - VN_MAX_OFF),
                "discount.promotion_price_for_vn",
            ),
        ):
            if refused:
                return model_id, error
        limits = {"purchase_limit": entry["purchase_limit"]} if "purchase_limit" in entry else None
        self.discounts.set_deal(discount, sku, {"price": price}, limits)
        return None

    def delete_discount_item(self, query, body):
        """One item (or one of its models) out of the discount."""
        check_body(body, {"discount_id": int, "item_id": int, "model_id": int}, ("discount_id", "item_id"))
        discount, _status = self._discount(body["discount_id"])
        sku, item = self.find_item("item_id", body["item_id"])
        model_ids = (0, item["model_id"] if item["variation"] else 0) if item else ()
        if not item or discount.deal(sku) is None or body.get("model_id", 0) not in model_ids:
            raise _refused("discount.discount_item_not_exist")
        self.discounts.set_deal(discount, sku, None)
        return {"response": {"discount_id": int(discount.id), "error_list": []}}

    def get_discount(self, query, body):
        discount, status = self._discount(query.get("discount_id"), changing=False)
        skus = discount.skus()
        page, more = _discount_page(query, skus)
        return {
            "response": {
                "discount_id": int(discount.id), "discount_name": discount.name, "status": status,
                "start_time": discount.start, "end_time": discount.end, "more": more,
                "item_list": [self._discount_entry(discount, sku) for sku in page],
            }
        }  # fmt: skip

    def _discount_entry(self, discount, sku):
        item, stock = self.shop.items[sku], self.shop.available(sku)
        price = deal_price(discount.deal(sku), item["price"])
        entry = {
            "item_id": item["item_id"],
            "item_name": item["name"],
            "normal_stock": stock,
            "item_promotion_stock": 0,
            "purchase_limit": discount.limits.get(sku, {}).get("purchase_limit", 0),
        }
        if not item["variation"]:
            return {
                **entry,
                "item_original_price": item["price"],
                "item_promotion_price": price,
                "model_list": [],
            }
        model = {"model_id": item["model_id"], "model_name": item["variation"], "model_normal_stock": stock,
                 "model_promotion_stock": 0, "model_original_price": item["price"],
                 "model_promotion_price": price}  # fmt: skip
        return {**entry, "item_original_price": 0, "item_promotion_price": 0, "model_list": [model]}

    def get_discount_list(self, query, body):
        if not query.get("discount_status"):
            raise ShopeeError(200, "error_param", "Wrong parameters, detail: discount_status is required.")
        now, wanted = self.clock(), query["discount_status"]
        since, until = int(query.get("update_time_from") or 0), int(query.get("update_time_to") or now)
        found = [
            discount
            for discount in self.discounts.listed()
            if wanted in ("all", discount.status(now)) and since <= discount.updated <= until
        ]
        page, more = _discount_page(query, found)
        return {
            "response": {
                "discount_list": [
                    {"status": discount.status(now), "discount_name": discount.name,
                     "start_time": discount.start, "end_time": discount.end,
                     "discount_id": int(discount.id), "source": 0}
                    for discount in page
                ],
                "more": more,
            }
        }  # fmt: skip

    def _discount(self, discount_id, changing=True):
        """``(discount, status)``; an expired one cannot be changed."""
        discount = self.discounts.get(discount_id)
        if not discount:
            raise ShopeeError(200, "common.error_not_found", "The information you queried is not found.")
        status = discount.status(self.clock())
        if changing and status == "expired":
            raise _refused("discount.discount_is_end")
        return discount, status

    # ------------------------------------------------------------------ logistics

    def shipping_parameter(self, query, body):
        self._order(query.get("order_sn"))
        slot = {"date": self.shop.now + 86400, "time_text": "", "pickup_time_id": str(self.shop.now + 86400)}
        address = {"address_id": 1, "region": "VN", "state": "Hồ Chí Minh", "city": "Quận 1", "zipcode": "",
                   "address": "12 Lê Lợi", "address_flag": ["default_address", "pickup_address"],
                   "time_slot_list": [slot]}  # fmt: skip
        return {
            "response": {
                # The buyer's carrier takes drop-offs with the seller's tracking number, or picks up.
                "info_needed": {"dropoff": ["tracking_no"], "pickup": ["address_id", "pickup_time_id"]},
                "dropoff": {"branch_list": []},
                "pickup": {"address_list": [address]},
            }
        }

    def ship_order(self, query, body):
        order = self._order(body.get("order_sn"))
        ways = [way for way in ("pickup", "dropoff", "non_integrated") if way in body]
        if len(ways) != 1:
            raise ShopeeError(
                200, "logistics.ship_order_only_support_one_type", "Choose one of pickup and dropoff."
            )
        pickup = body.get("pickup")
        if pickup is not None and not (pickup.get("address_id") and pickup.get("pickup_time_id")):
            raise ShopeeError(200, "logistics.error_param", "address_id and pickup_time_id are required.")
        tracking = (body.get("dropoff") or body.get("non_integrated") or {}).get("tracking_number") or ""
        # A pickup's tracking number comes later, from the carrier (the tracking number push).
        if not self.arrange_shipment(order["id"], tracking, carrier_later=pickup is not None):
            raise ShopeeError(200, "logistics.error_status_limit", "Invalid order status.")
        return {"response": {}}

    def fail_pickup(self, order_id):
        """The carrier could not pick the parcel up: the order waits in ``RETRY_SHIP`` ("3PL pickup
        parcel fail. Need to re arrange shipment") for the seller to arrange it again, which gives a
        new tracking number. False for an order whose shipment is not arranged."""
        order = self.shop.orders[order_id]
        if order["status"] != "PROCESSED" or order.get("cancel_request"):
            return False
        order.pop("tracking_number", None)
        self.shop.advance(order_id, "RETRY_SHIP", seconds=1)
        return True

    def tracking_number(self, query, body):
        order = self._order(query.get("order_sn"))
        return {"response": {"tracking_number": order.get("tracking_number", "")}}

    def _order(self, order_sn):
        if order_sn not in self.shop.orders:
            raise ShopeeError(200, "logistics.invalid_error", "Order does not exist.")
        return self.shop.orders[order_sn]


def _only(detail, fields):
    return {name: detail[name] for name in fields if name in detail}


def _check_parameters(query, spec):
    problem = parameter_problem(query, spec)
    if problem:
        raise ShopeeError(200, "error_param", f"Wrong parameters, detail: {problem}.")


def _refused(error):
    return ShopeeError(200, error, DISCOUNT_ERRORS[error])


def _check_period(start, end):
    if end <= start:
        raise _refused("discount.discount_end_time_smaller_than_start_time")
    if end - start < DISCOUNT_SHORTEST:
        raise _refused("discount.discount_period_too_short")
    if end - start >= DISCOUNT_LONGEST:
        raise _refused("discount.discount_period_too_long")


def _discount_page(query, rows):
    """``(the page's rows, more)``: pages numbered from 1."""
    page_no, page_size = int(query.get("page_no") or 0), _page_size(query)
    if page_no < 1:
        raise ShopeeError(200, "error_param", "Wrong parameters, detail: page_no starts from 1.")
    return rows[(page_no - 1) * page_size : page_no * page_size], page_no * page_size < len(rows)


def _page_size(query):
    page_size = int(query.get("page_size") or 0)
    if not 1 <= page_size <= MAX_PAGE:
        raise ShopeeError(200, "error_param", "page_size should be between 1 and 100.")
    return page_size


ROUTES = {
    ("POST", "/api/v2/auth/token/get"): ShopeeApi.token_get,
    ("POST", "/api/v2/auth/access_token/get"): ShopeeApi.access_token_get,
    ("GET", "/api/v2/order/get_order_list"): ShopeeApi.order_list,
    ("GET", "/api/v2/order/get_order_detail"): ShopeeApi.order_detail,
    ("POST", "/api/v2/order/handle_buyer_cancellation"): ShopeeApi.handle_buyer_cancellation,
    ("POST", "/api/v2/order/cancel_order"): ShopeeApi.cancel_order,
    ("GET", "/api/v2/returns/get_return_list"): ShopeeApi.return_list,
    ("GET", "/api/v2/returns/get_return_detail"): ShopeeApi.return_detail,
    ("GET", "/api/v2/push/get_lost_push_message"): ShopeeApi.lost_push_messages,
    ("POST", "/api/v2/push/confirm_consumed_lost_push_message"): ShopeeApi.confirm_lost_pushes,
    ("GET", "/api/v2/shop/get_shop_info"): ShopeeApi.shop_info,
    ("GET", "/api/v2/product/get_item_list"): ShopeeApi.item_list,
    ("GET", "/api/v2/product/get_item_base_info"): ShopeeApi.item_base_info,
    ("GET", "/api/v2/product/get_model_list"): ShopeeApi.model_list,
    ("POST", "/api/v2/product/update_stock"): ShopeeApi.update_stock,
    ("POST", "/api/v2/product/update_price"): ShopeeApi.update_price,
    ("POST", "/api/v2/discount/add_discount"): ShopeeApi.add_discount,
    ("POST", "/api/v2/discount/update_discount"): ShopeeApi.update_discount,
    ("POST", "/api/v2/discount/end_discount"): ShopeeApi.end_discount,
    ("POST", "/api/v2/discount/delete_discount"): ShopeeApi.delete_discount,
    ("POST", "/api/v2/discount/add_discount_item"): ShopeeApi.add_discount_item,
    ("POST", "/api/v2/discount/update_discount_item"): ShopeeApi.update_discount_item,
    ("POST", "/api/v2/discount/delete_discount_item"): ShopeeApi.delete_discount_item,
    ("GET", "/api/v2/discount/get_discount"): ShopeeApi.get_discount,
    ("GET", "/api/v2/discount/get_discount_list"): ShopeeApi.get_discount_list,
    **FLASH_SALE_ROUTES,
    ("GET", "/api/v2/logistics/get_shipping_parameter"): ShopeeApi.shipping_parameter,
    ("POST", "/api/v2/logistics/ship_order"): ShopeeApi.ship_order,
    ("GET", "/api/v2/logistics/get_tracking_number"): ShopeeApi.tracking_number,
}
