"""Seller promotions as the marketplaces keep them (Shopee's discounts, TikTok Shop's promotion
activities): a window, and a deal per SKU (a promotion price, or a percentage off), each change of a
deal kept with the moment it was made.

A buyer pays the deal of the promotion running when the order is created, as it stood then: a deal
changed or removed later, or a promotion ended early, leaves the orders already made as they were.
The platforms' own rules (how far ahead a promotion starts, what may change once it runs) are theirs
to check; what they share is here: the windows, the deals over time, and which other promotion
already holds a SKU.
"""

import itertools


class Promotion:
    def __init__(self, promotion_id, name, start, end, now):
        self.id, self.name, self.start, self.end = promotion_id, name, start, end
        self.created = self.updated = now
        self.deleted = False  # gone from the platform's lists (Shopee deletes an upcoming discount)
        self.changes = {}  # sku -> [(moment, deal or None)], a deal being {"price": x} or {"percent": p}
        self.limits = {}  # sku -> the platform's per-SKU purchase settings, as the seller gave them
        self.details = {}  # what else the platform keeps of it (its type, whether the seller ended it...)

    def status(self, now):
        """ "upcoming", "ongoing" or "expired" (an ended promotion is expired from its new end, one
        ended before it started has an empty window)."""
        if self.end <= self.start:
            return "expired"
        if now < self.start:
            return "upcoming"
        return "ongoing" if now < self.end else "expired"

    def deal(self, sku, moment=None):
        """The SKU's deal as it stood at ``moment`` (None: now, the last one set), or None."""
        found = [deal for at, deal in self.changes.get(sku, ()) if moment is None or at <= moment]
        return found[-1] if found else None

    def skus(self):
        """The SKUs the promotion holds now, in the order they were added."""
        return [sku for sku in self.changes if self.deal(sku) is not None]


class Promotions:
    """A shop's promotions on one platform; ``clock`` is the platform's."""

    def __init__(self, clock, first_id):
        self.clock, self.ids, self.all = clock, itertools.count(first_id), {}

    def add(self, name, start, end):
        promotion = Promotion(str(next(self.ids)), name, start, end, int(self.clock()))
        self.all[promotion.id] = promotion
        return promotion

    def get(self, promotion_id):
        """The promotion of that id, or None (unknown, or deleted)."""
        promotion = self.all.get(str(promotion_id))
        return promotion if promotion and not promotion.deleted else None

    def listed(self):
        """Every promotion the platform still shows, oldest first."""
        return [promotion for promotion in self.all.values() if not promotion.deleted]

    def set_deal(self, promotion, sku, deal, limits=None):
        """``deal`` for ``sku`` from now on (None takes the SKU out of the promotion)."""
        promotion.changes.setdefault(sku, []).append((int(self.clock()), deal))
        if limits is not None:
            promotion.limits[sku] = limits
        promotion.updated = int(self.clock())

    def end_now(self, promotion):
        """The promotion stops now: a running one expires, one not started yet never starts (its
        window left empty)."""
        now = int(self.clock())
        promotion.end = min(promotion.end, max(now, promotion.start))
        promotion.updated = now

    def rival(self, promotion, sku, start=None, end=None):
        """Another promotion not over yet whose window meets ``[start, end)`` (the promotion's own by
        default) and that holds ``sku`` now: a SKU is in one running or upcoming promotion at a time."""
        start, end, now = start or promotion.start, end or promotion.end, self.clock()
        return next(
            (
                other
                for other in self.listed()
                if other is not promotion
                and other.status(now) != "expired"
                and other.start < end
                and start < other.end
                and other.deal(sku) is not None
            ),
            None,
        )

    def running(self, sku, moment):
        """``(promotion, deal)`` pricing ``sku`` at ``moment``, or ``(None, None)``."""
        for promotion in self.all.values():
            deal = promotion.deal(sku, moment) if promotion.start <= moment < promotion.end else None
            if deal is not None:
                return promotion, deal
        return None, None

    def price(self, sku, regular, moment):
        """What a buyer pays for ``sku`` (whose regular price is ``regular``) at ``moment``."""
        _promotion, deal = self.running(sku, moment)
        return deal_price(deal, regular) if deal else regular

    def pass_time(self, seconds):
        """Move every promotion ``seconds`` into the past, as if that time had gone by: tests and the
        demo see a promotion start (or end) without waiting for the platform's lead time."""
        for promotion in self.all.values():
            promotion.start -= seconds
            promotion.end -= seconds
            promotion.created -= seconds
            promotion.updated -= seconds
            for sku, changes in promotion.changes.items():
                promotion.changes[sku] = [(at - seconds, deal) for at, deal in changes]


def deal_price(deal, regular):
    """The price of a deal on a SKU of price ``regular`` (VND: whole numbers)."""
    if "price" in deal:
        return deal["price"]
    return round(regular * (100 - deal["percent"]) / 100)
