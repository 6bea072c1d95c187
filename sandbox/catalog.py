"""A seeded catalog and order generator: the same seed gives the same shop."""

import random

PRODUCTS = [
    ("TEE-M", "Áo thun cotton", "M", 150000),
    ("TEE-L", "Áo thun cotton", "L", 150000),
    ("CAP-01", "Mũ lưỡi trai", "", 90000),
    ("MUG-01", "Cốc sứ in logo", "", 60000),
    ("BAG-01", "Túi vải canvas", "", 120000),
]
PROVINCES = [
    ("Hà Nội", "Quận Hoàn Kiếm", "Phường Hàng Bạc"),
    ("Hồ Chí Minh", "Quận 1", "Phường Bến Nghé"),
    ("Đà Nẵng", "Quận Hải Châu", "Phường Thạch Thang"),
    ("Cần Thơ", "Quận Ninh Kiều", "Phường Tân An"),
]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Thu Dung", "Hoàng Gia Huy"]
# The demo's buyers (``--demo``): every platform has its own, with mobile phones (the storefronts
# show them, the marketplaces mask them). The first two of each are also customers of the stores of
# the omni_retail_demo addon, with the same phones: Odoo makes each of them one customer.
DEMO_BUYERS = {
    "shopee": [("Võ Thị Thu Hà", "0903 112 233"), ("Đặng Quốc Bảo", "0938 204 517"),
               ("Lý Ngọc Hân", "0971 330 842"), ("Tô Minh Khoa", "0986 552 190"),
               ("Hồ Thị Kim Ngân", "0905 771 364")],
    "lazada": [("Phan Thanh Tùng", "0913 668 041"), ("Bùi Thị Lan Anh", "0908 415 227"),
               ("Mai Xuân Trường", "0977 120 693"), ("Dương Thị Hồng", "0966 803 415"),
               ("Kiều Anh Tuấn", "0349 216 580")],
    "tiktok": [("Ngô Thảo Vy", "0932 507 118"), ("Trịnh Gia Bảo", "0918 246 705"),
               ("Châu Ngọc Trâm", "0389 640 172"), ("Lâm Quang Vinh", "0357 918 264"),
               ("Tạ Thu Trang", "0326 745 031")],
    "tiki": [("Huỳnh Văn Lộc", "0909 361 402"), ("Cao Thị Mỹ Linh", "0937 852 610"),
             ("Đoàn Minh Nhật", "0962 174 358"), ("Lưu Bảo Ngọc", "0394 583 027")],
    "shopify": [("Trương Hoài Nam", "0907 248 913"), ("Quách Thị Yến", "0935 690 274"),
                ("La Thành Đạt", "0978 035 461"), ("Vương Khánh Linh", "0961 428 735")],
    "woocommerce": [("Phùng Thị Hạnh", "0916 537 820"), ("Đinh Công Minh", "0902 864 153"),
                    ("Thái Ngọc Bích", "0385 207 946"), ("Kha Minh Tâm", "0368 471 590")],
}  # fmt: skip


# Statuses an order can be cancelled in: not yet handed to the carrier.
CANCELLABLE = ("UNPAID", "READY_TO_SHIP", "PROCESSED")


class Shop:
    """Items with stock at the shop's locations, buyers, and orders created and updated over
    simulated time (unix seconds).

    The stock kept is what buyers can order (sellable): a new order takes its units from one
    location (the default one when it holds them all), so an order for more than any location holds
    is not created; a cancellation (of the order or of some of its items) and a refunded return give
    them back. Units of an order not yet handed to the carrier are reserved, for the platforms that
    show it."""

    def __init__(self, seed=1, start=1_700_000_000, buyers=None, locations=("main",), stock=1000):
        """``buyers``: ``[(name, phone)]`` the orders come from (buyer ids 10**8 + seed * 1000 + n);
        by default, random buyers of ``NAMES``. ``locations``: the warehouses, the first the default
        one, which starts with ``stock`` units of each item (the others with none)."""
        self.random = random.Random(seed)
        self.buyers = [(10**8 + seed * 1000 + n, name, phone) for n, (name, phone) in enumerate(buyers or ())]
        self.now = start
        self.items = {
            sku: {
                "item_id": 1000 + n,
                "model_id": 2000 + n,
                "name": name,
                "variation": variation,
                "price": price,
                # Vietnamese GS1 prefix 893: listing import matches products by barcode too.
                "barcode": f"893{8000000000 + n:010d}",
            }
            for n, (sku, name, variation, price) in enumerate(PRODUCTS)
        }
        self.locations = list(locations)
        self.stock = {place: dict.fromkeys(self.items, 0) for place in self.locations}
        self.stock[self.location] = dict.fromkeys(self.items, stock)
        self.orders = {}
        self.returns = {}
        # What a buyer pays for one unit of a SKU at a time (unix seconds): the regular price, unless
        # the platform's promotions say otherwise (each platform's API puts its own rule here).
        self.buyer_price = lambda sku, when: self.items[sku]["price"]

    def unit_price(self, order, sku):
        """What the order's buyer pays for one unit of ``sku``: the buyer's price when it was created
        (kept then: a price changed since does not change the order)."""
        prices = order.get("prices") or {}
        return prices[sku] if sku in prices else self.buyer_price(sku, order["create_time"])

    # ------------------------------------------------------------------ stock
    @property
    def location(self):
        """The default location: where stock is set when a platform names none."""
        return self.locations[0]

    def name_locations(self, names):
        """The platform's ids for the shop's first locations, in order; their stock stays theirs."""
        renamed = dict(zip(self.locations, names, strict=False))
        self.locations = [renamed.get(place, place) for place in self.locations]
        self.stock = {renamed.get(place, place): levels for place, levels in self.stock.items()}
        for order in self.orders.values():
            order["location"] = renamed.get(order["location"], order["location"])

    def add_item(self, sku, item, stock=0):
        """A listing more (the keys of ``PRODUCTS``' items), ``stock`` units of it at the default location."""
        self.items[sku] = item
        for levels in self.stock.values():
            levels[sku] = 0
        self.stock[self.location][sku] = stock

    def available(self, sku, location=None):
        """Units of ``sku`` buyers can order, at ``location`` or at every location."""
        places = [location] if location else self.locations
        return sum(self.stock[place][sku] for place in places)

    def set_stock(self, sku, quantity, location=None):
        """The seller sets the sellable quantity (a stock push)."""
        self.stock[location or self.location][sku] = quantity

    def reserved(self, sku, location=None):
        """Units of ``sku`` held by orders the carrier has not picked up yet."""
        return sum(
            quantity
            for order in self.orders.values()
            if order["status"] in CANCELLABLE and (not location or order["location"] == location)
            for line_sku, quantity in order["lines"]
            if line_sku == sku and line_sku not in order.get("cancelled_skus", ())
        )

    def _take(self, lines):
        """The location the units of ``lines`` are taken from (the first holding them all), or None
        when none does."""
        holding = (place for place in self.locations if all(self.stock[place][sku] >= n for sku, n in lines))
        place = next(holding, None)
        for sku, quantity in lines if place else ():
            self.stock[place][sku] -= quantity
        return place

    def _give_back(self, order, lines):
        for sku, quantity in lines:
            self.stock[order["location"]][sku] += quantity

    def generate_orders(self, count, spread_seconds=3600):
        """``count`` new orders, created over the next ``spread_seconds``; returns their ids."""
        created = []
        for _ in range(count):
            self.now += self.random.randint(1, max(1, spread_seconds // max(count, 1)))
            skus = self.random.sample(sorted(self.items), self.random.randint(1, 3))
            province, district, ward = self.random.choice(PROVINCES)
            if self.buyers:
                buyer_id, buyer_name, phone = self.random.choice(self.buyers)
            else:
                buyer_id, buyer_name, phone = (
                    self.random.randint(10**8, 10**9),
                    self.random.choice(NAMES),
                    None,
                )
            order_id = f"{self.now:x}".upper()[-8:] + f"{len(self.orders):06d}"
            cod = self.random.random() < 0.4
            lines = [(sku, self.random.randint(1, 3)) for sku in skus]
            location = self._take(lines)
            if not location:
                continue  # the platform refuses the buyer an order for more than it can sell
            self.orders[order_id] = {
                "id": order_id,
                # Cash on delivery needs no payment first: such an order is ready to ship at once.
                "status": "READY_TO_SHIP" if cod else "UNPAID",
                "create_time": self.now,
                "update_time": self.now,
                "buyer_id": buyer_id,
                "buyer_name": buyer_name,
                "buyer_phone": phone,
                "address": {"province": province, "district": district, "ward": ward},
                "cod": cod,
                "lines": lines,
                "prices": {sku: self.buyer_price(sku, self.now) for sku, _quantity in lines},
                "location": location,
            }
            created.append(order_id)
        return created

    def advance(self, order_id, status, seconds=60):
        self.now += seconds
        self.orders[order_id].update(status=status, update_time=self.now)

    # ------------------------------------------------------------------ the order lifecycle
    # Each step returns False, and changes nothing, for an order in a state it does not apply to.
    # Statuses are Shopee's (the platforms show them in their own words); a buyer's cancellation
    # request and returns are kept beside the status, which they do not replace.

    def pay(self, order_id):
        """The buyer paid: the seller may ship."""
        return self._step(order_id, ("UNPAID",), "READY_TO_SHIP", paid_at=self.now)

    def end_hold(self, order_id):
        """The moments a platform keeps a paid order on hold (the buyer may still cancel) are over."""
        order = self.orders[order_id]
        if order["status"] != "READY_TO_SHIP" or not order.get("paid_at") or order.get("hold_ended"):
            return False
        order["hold_ended"] = True
        return self._touch(order_id)

    def cancel(self, order_id, by="buyer", reason="Change of mind"):
        """The whole order is cancelled (by ``buyer``, ``seller`` or ``system``) before it ships."""
        order = self.orders[order_id]
        order.pop("cancel_request", None)
        lines = [line for line in order["lines"] if line[0] not in order.get("cancelled_skus", ())]
        if not self._step(order_id, CANCELLABLE, "CANCELLED", cancel_by=by, cancel_reason=reason):
            return False
        self._give_back(order, lines)
        return True

    def request_cancellation(self, order_id, reason="Need to change delivery address"):
        """A buyer asks to cancel a paid order: the seller accepts or rejects. An unpaid order is
        cancelled at once."""
        order = self.orders[order_id]
        if order["status"] == "UNPAID":
            return self.cancel(order_id, "buyer", reason)
        if order["status"] not in ("READY_TO_SHIP", "PROCESSED") or order.get("cancel_request"):
            return False
        order["cancel_request"] = reason
        return self._touch(order_id)

    def answer_cancellation(self, order_id, accept):
        """The seller's answer to the buyer's request: accepted, the order is cancelled; rejected, it
        goes on as it was."""
        order = self.orders[order_id]
        if not order.get("cancel_request"):
            return False
        if accept:
            return self.cancel(order_id, "buyer", order["cancel_request"])
        order.pop("cancel_request")
        return self._touch(order_id)

    def cancel_items(self, order_id, skus, reason="Out of stock"):
        """Some lines are cancelled (out of stock), the rest goes on; all of them, the order is."""
        order = self.orders[order_id]
        if order["status"] not in CANCELLABLE or not set(skus) <= {sku for sku, _quantity in order["lines"]}:
            return False
        cancelled = order.setdefault("cancelled_skus", [])
        given_up = [(sku, n) for sku, n in order["lines"] if sku in skus and sku not in cancelled]
        self._give_back(order, given_up)
        cancelled += [sku for sku in skus if sku not in cancelled]
        if len(cancelled) == len(order["lines"]):
            return self.cancel(order_id, "seller", reason)
        return self._touch(order_id)

    def hand_over(self, order_id):
        """The carrier picked the parcel up (with its tracking number, if it had not given it yet)."""
        self.assign_tracking(order_id)
        return self._step(order_id, ("READY_TO_SHIP", "PROCESSED"), "SHIPPED")

    def assign_tracking(self, order_id):
        """The carrier gives the tracking number of a parcel whose pickup was booked without one."""
        order = self.orders[order_id]
        if order["status"] not in ("READY_TO_SHIP", "PROCESSED") or order.get("tracking_number"):
            return False
        order["tracking_number"] = f"SPXVN{self.random.randint(10**11, 10**12 - 1)}"
        return self._touch(order_id)

    def deliver(self, order_id):
        return self._step(order_id, ("SHIPPED",), "COMPLETED", delivered_at=self.now)

    def request_return(self, order_id, lines=None, reason="Wrong size"):
        """The buyer returns delivered goods, ``[(sku, quantity)]`` (all by default); the return's id."""
        order = self.orders[order_id]
        bought = dict(order["lines"])
        lines = lines or [line for line in order["lines"] if line[0] not in order.get("cancelled_skus", ())]
        if order["status"] not in ("SHIPPED", "COMPLETED", "TO_RETURN") or any(
            quantity > bought.get(sku, 0) for sku, quantity in lines
        ):
            return None
        return_id = f"{self.now}{len(self.returns):04d}"
        refund = sum(self.unit_price(order, sku) * quantity for sku, quantity in lines)
        self.returns[return_id] = {"id": return_id, "order_id": order_id, "status": "REQUESTED",
                                   "reason": reason, "lines": list(lines), "refund_amount": refund,
                                   "create_time": self.now, "update_time": self.now}  # fmt: skip
        self._step(order_id, ("SHIPPED", "COMPLETED", "TO_RETURN"), "TO_RETURN")
        return return_id

    def refund(self, return_id):
        """The platform refunds the buyer (the goods came back, or the seller accepted)."""
        found = self.returns[return_id]
        if found["status"] not in ("REQUESTED", "ACCEPTED"):
            return False
        self._touch(found["order_id"])
        found.update(status="REFUND_PAID", update_time=self.now)
        # The goods came back to the shop: the platform restocks them.
        self._give_back(self.orders[found["order_id"]], found["lines"])
        return True

    def refund_lines(self, order_id, lines, amount, reason="", restock=True):
        """The seller paid the buyer back ``amount`` for ``[(sku, quantity)]`` (none: money alone), at
        any step, as a storefront's refunds are; the units go back to stock when ``restock``. The
        return's id."""
        return_id = f"{self.now}{len(self.returns):04d}"
        self.returns[return_id] = {"id": return_id, "order_id": order_id, "status": "REFUND_PAID",
                                   "reason": reason, "lines": list(lines), "refund_amount": amount,
                                   "create_time": self.now, "update_time": self.now}  # fmt: skip
        if restock:
            self._give_back(self.orders[order_id], lines)
        self._touch(order_id)
        return return_id

    def play_history(self, order_ids):
        """Move orders on as a shop's past leaves them: most paid and on their way or delivered, some
        cancelled (by the buyer, at once or on request), some returned and refunded."""
        for order_id in order_ids:
            roll = self.random.random()
            if roll < 0.08:
                self.cancel(order_id, "buyer")
            elif roll < 0.2:
                continue  # as it was created: unpaid, or cash on delivery ready to ship
            self.pay(order_id)
            if roll < 0.27:
                self.request_cancellation(order_id)
            elif roll < 0.32:
                self.request_cancellation(order_id)
                self.answer_cancellation(order_id, accept=roll < 0.3)
            elif roll > 0.5:
                self.hand_over(order_id)
                if roll > 0.7:
                    self.deliver(order_id)
                if roll > 0.9:
                    return_id = self.request_return(order_id)
                    if roll > 0.95:
                        self.refund(return_id)

    def live(self, order_id):
        """The order's next step, as it comes in a shop's day; what it pushes: ``[None]`` for a new
        state, ``["tracking"]`` for the carrier's tracking number, ``["return"]`` for a return's news,
        ``[]`` when nothing happened."""
        order, roll = self.orders[order_id], self.random.random()
        status = order["status"]
        if order.get("cancel_request"):
            # The seller answers on the platform when Odoo does not: half accepted, half rejected.
            return [None] if self.answer_cancellation(order_id, accept=roll < 0.5) else []
        if status == "UNPAID":
            return [None] if (self.cancel(order_id) if roll < 0.2 else self.pay(order_id)) else []
        if status in ("READY_TO_SHIP", "PROCESSED") and roll < 0.15:
            return [None] if self.request_cancellation(order_id) else []
        if self.end_hold(order_id):
            return [None]
        if status == "PROCESSED" and not order.get("tracking_number"):
            return ["tracking"] if self.assign_tracking(order_id) else []
        if status in ("READY_TO_SHIP", "PROCESSED"):
            return [None] if self.hand_over(order_id) else []
        if status == "SHIPPED":
            return [None] if self.deliver(order_id) else []
        if status == "COMPLETED" and roll < 0.2:
            return ["return"] if self.request_return(order_id) else []
        waiting = [found for found in self.order_returns(order_id) if found["status"] == "REQUESTED"]
        return ["return"] if waiting and self.refund(waiting[0]["id"]) else []

    def order_returns(self, order_id):
        return [found for found in self.returns.values() if found["order_id"] == order_id]

    def _step(self, order_id, before, after, **values):
        order = self.orders[order_id]
        if order["status"] not in before:
            return False
        order.update(status=after, **values)
        return self._touch(order_id)

    def _touch(self, order_id):
        self.now += 1
        self.orders[order_id]["update_time"] = self.now
        return True
