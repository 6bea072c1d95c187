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


class Shop:
    """Items with stock, buyers, and orders created and updated over simulated time (unix seconds)."""

    def __init__(self, seed=1, start=1_700_000_000):
        self.random = random.Random(seed)
        self.now = start
        self.items = {
            sku: {
                "item_id": 1000 + n,
                "model_id": 2000 + n,
                "name": name,
                "variation": variation,
                "price": price,
                "stock": 50,
                # Vietnamese GS1 prefix 893: listing import matches products by barcode too.
                "barcode": f"893{8000000000 + n:010d}",
            }
            for n, (sku, name, variation, price) in enumerate(PRODUCTS)
        }
        self.orders = {}

    def generate_orders(self, count, spread_seconds=3600):
        """``count`` new orders, created over the next ``spread_seconds``; returns their ids."""
        created = []
        for _ in range(count):
            self.now += self.random.randint(1, max(1, spread_seconds // max(count, 1)))
            skus = self.random.sample(sorted(self.items), self.random.randint(1, 3))
            province, district, ward = self.random.choice(PROVINCES)
            order_id = f"{self.now:x}".upper()[-8:] + f"{len(self.orders):06d}"
            self.orders[order_id] = {
                "id": order_id,
                "status": "UNPAID",
                "create_time": self.now,
                "update_time": self.now,
                "buyer_id": self.random.randint(10**8, 10**9),
                "buyer_name": self.random.choice(NAMES),
                "address": {"province": province, "district": district, "ward": ward},
                "cod": self.random.random() < 0.4,
                "lines": [(sku, self.random.randint(1, 3)) for sku in skus],
            }
            created.append(order_id)
        return created

    def advance(self, order_id, status, seconds=60):
        self.now += seconds
        self.orders[order_id].update(status=status, update_time=self.now)
