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


class Shop:
    """Items with stock, buyers, and orders created and updated over simulated time (unix seconds)."""

    def __init__(self, seed=1, start=1_700_000_000, buyers=None):
        """``buyers``: ``[(name, phone)]`` the orders come from (buyer ids 10**8 + seed * 1000 + n);
        by default, random buyers of ``NAMES``."""
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
            if self.buyers:
                buyer_id, buyer_name, phone = self.random.choice(self.buyers)
            else:
                buyer_id, buyer_name, phone = (
                    self.random.randint(10**8, 10**9),
                    self.random.choice(NAMES),
                    None,
                )
            order_id = f"{self.now:x}".upper()[-8:] + f"{len(self.orders):06d}"
            self.orders[order_id] = {
                "id": order_id,
                "status": "UNPAID",
                "create_time": self.now,
                "update_time": self.now,
                "buyer_id": buyer_id,
                "buyer_name": buyer_name,
                "buyer_phone": phone,
                "address": {"province": province, "district": district, "ward": ward},
                "cod": self.random.random() < 0.4,
                "lines": [(sku, self.random.randint(1, 3)) for sku in skus],
            }
            created.append(order_id)
        return created

    def advance(self, order_id, status, seconds=60):
        self.now += seconds
        self.orders[order_id].update(status=status, update_time=self.now)
