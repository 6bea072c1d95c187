"""What the demo shop is made of: plain values, read by hooks.py."""

COMPANY = {
    "name": "Phố Việt Retail",
    "street": "65 Lê Lợi",
    "street2": "Phường Bến Nghé",
    "city": "Quận 1",
    "zip": "700000",
    "phone": "028 3823 4567",
    "email": "lienhe@phoviet.vn",
    "website": "https://phoviet.vn",
    "vat": "0312345678",
}

# (code, name, street, ward, district): the central warehouse keeps Odoo's first warehouse and its
# code; the stores are warehouses of their own, each with a point of sale.
CENTRAL = ("WH", "Kho trung tâm Thủ Đức", "12 Đường số 7", "Phường Linh Trung", "Thành phố Thủ Đức")
STORES = [
    ("Q1", "Cửa hàng Quận 1", "65 Lê Lợi", "Phường Bến Nghé", "Quận 1"),
    ("Q7", "Cửa hàng Quận 7", "101 Tôn Dật Tiên", "Phường Tân Phong", "Quận 7"),
]

CATEGORIES = {"clothes": "Quần áo", "accessories": "Phụ kiện", "home": "Đồ gia dụng"}

# The marketplace simulator (sandbox/catalog.py) sells the first five, with these SKUs, barcodes
# and item ids; the others are sold at the stores and to the B2B partner.
# (internal reference, name, size, price tax included, category, simulator item number or None)
PRODUCTS = [
    ("TEE-M", "Áo thun cotton", "M", 150000, "clothes", 0),
    ("TEE-L", "Áo thun cotton", "L", 150000, "clothes", 1),
    ("CAP-01", "Mũ lưỡi trai", None, 90000, "accessories", 2),
    ("MUG-01", "Cốc sứ in logo", None, 60000, "home", 3),
    ("BAG-01", "Túi vải canvas", None, 120000, "accessories", 4),
    ("SHIRT-01", "Áo sơ mi linen", None, 320000, "clothes", None),
    ("KAKI-30", "Quần kaki ống đứng", None, 380000, "clothes", None),
    ("SANDAL-40", "Dép quai ngang", None, 180000, "accessories", None),
    ("BOTTLE-01", "Bình giữ nhiệt 500 ml", None, 210000, "home", None),
    ("MASK-01", "Khẩu trang vải", None, 25000, "accessories", None),
]

# Opening stock (before four months of sales): {warehouse code: {internal reference: quantity}}.
# STORE_COUNTS: what a store's count finds free today (docs/api.md's examples sell the partner
# system 2 of them first, then see 12 and 3 available).
OPENING_STOCK = {
    "WH": {"TEE-M": 420, "TEE-L": 380, "CAP-01": 300, "MUG-01": 400, "BAG-01": 90, "SHIRT-01": 120,
           "KAKI-30": 100, "SANDAL-40": 80, "BOTTLE-01": 150, "MASK-01": 600},
    "Q1": {"TEE-M": 40, "TEE-L": 30, "CAP-01": 25, "MUG-01": 20, "BAG-01": 12, "SHIRT-01": 20,
           "KAKI-30": 15, "SANDAL-40": 12, "BOTTLE-01": 15, "MASK-01": 80},
    "Q7": {"TEE-M": 30, "TEE-L": 25, "CAP-01": 20, "MUG-01": 15, "BAG-01": 8, "SHIRT-01": 15,
           "KAKI-30": 12, "SANDAL-40": 10, "BOTTLE-01": 12, "MASK-01": 60},
}  # fmt: skip

STORE_COUNTS = {"Q1": {"TEE-M": 14, "MUG-01": 3}}

# The simulator on port 8900 that `make run` starts answers these credentials (sandbox/server.py).
SIMULATOR = "http://127.0.0.1:8900"
# (code, name, type, connection, allocation, source warehouse): the marketplaces and storefronts
# sell from the central warehouse; the partner system, with SKUs of its own, from the Q1 store.
# Shopee, the busiest, is offered 40 % of the stock first (priority 20); the other channels share
# the rest (priority 10: they offer the same units), Lazada and TikTok Shop a part of it, Tiki at
# most 50 units of a product.
CHANNELS = [
    ("shopee_vn", "Shopee VN", "shopee",
     {"api_base_url": f"{SIMULATOR}/shopee", "api_key": "2001887", "api_secret": "sandbox-partner-key",
      "shop_id": "14701711", "access_token": "demo-shopee-access", "refresh_token": "demo-shopee-refresh"},
     {"stock_buffer": 2, "stock_share": 40.0, "stock_priority": 20}, "WH"),
    ("lazada_vn", "Lazada VN", "lazada",
     {"api_base_url": f"{SIMULATOR}/lazada/rest", "api_key": "123456", "api_secret": "sandbox-app-secret",
      "access_token": "demo-lazada-access", "refresh_token": "demo-lazada-refresh"},
     {"stock_share": 60.0}, "WH"),
    ("tiktok_vn", "TikTok Shop VN", "tiktok",
     {"api_base_url": f"{SIMULATOR}/tiktok", "api_key": "29a39d", "api_secret": "sandbox-tiktok-secret",
      "shop_id": "ROW_sandbox", "access_token": "demo-tiktok-access", "refresh_token": "demo-tiktok-refresh"},
     {"stock_share": 50.0}, "WH"),
    ("tiki", "Tiki", "tiki",
     {"api_base_url": f"{SIMULATOR}/tiki", "api_key": "sandbox-tiki-app",
      "api_secret": "sandbox-tiki-secret"},
     {"stock_cap": 50}, "WH"),
    ("shopify_store", "Shopify Store", "shopify",
     {"api_base_url": f"{SIMULATOR}/shopify", "access_token": "demo-shopify-access",
      "webhook_secret": "sandbox-shopify-secret"},
     {}, "WH"),
    ("woocommerce_store", "WooCommerce Store", "woocommerce",
     {"api_base_url": f"{SIMULATOR}/woocommerce", "api_key": "ck_sandbox", "api_secret": "cs_sandbox"},
     {}, "WH"),
    ("partner_api", "Đối tác B2B (API)", "api", {"webhook_secret": "demo-webhook-secret"}, {}, "Q1"),
]  # fmt: skip
MARKETPLACES = ("shopee", "lazada", "tiktok", "tiki")
# Campaigns, Vietnam's double-day sales: (name, days ago it began, days it lasts, % off, campaign
# prices, channel codes, units reserved for them). The 11.11 sale ended last month, its orders were
# placed at its prices; the 12.12 sale is ready to start (Start pushes it to the simulated shops).
CAMPAIGNS = [
    ("Sale 11.11", 26, 3, 20, {"BAG-01": 99000},
     ("shopee_vn", "lazada_vn", "tiktok_vn", "shopify_store"), {}),
    ("Sale 12.12", -1, 3, 15, {"CAP-01": 69000},
     ("shopee_vn", "lazada_vn", "tiktok_vn", "tiki", "shopify_store", "woocommerce_store"), {"TEE-M": 10}),
]  # fmt: skip
# The carriers of the web stores' orders: the retailer's GHN and GHTK accounts at the simulator
# (sandbox/ghn.py, sandbox/ghtk.py): (name, provider, API address, token, ShopId / pickup address).
CARRIERS = [
    ("GHN", "ghn", f"{SIMULATOR}/ghn/", "demo-ghn-token", "885001"),
    ("GHTK", "ghtk", f"{SIMULATOR}/ghtk/", "demo-ghtk-token", "88256"),
]
CARRIER_CHANNELS = ("shopify_store", "woocommerce_store")
CHAT_ORDERS = 4
# SInvoice (Viettel) at the simulator: the demo company's seller there (sandbox/sinvoice.py), its
# template and symbols (C: with the tax authority's code, K: without; T: the business's own, M: from
# a cash register).
SINVOICE = {
    "url": f"{SIMULATOR}/sinvoice/",
    "username": "0312345678",
    "password": "sandbox-sinvoice-password",
    "template": "1/001",
    "symbols": ("C26TAA", "C26MAA", "K26TAA"),
}
# Each channel's e-invoices: when, the buyers without tax code (masked on marketplaces: one
# retail-buyer invoice per run), the symbol.
EINVOICE_POLICIES = {
    "shopee_vn": ("completion", "consolidated", "K26TAA"),
    "lazada_vn": ("completion", "consolidated", "K26TAA"),
    "tiktok_vn": ("completion", "consolidated", "K26TAA"),
    "tiki": ("completion", "consolidated", "K26TAA"),
    "shopify_store": ("payment", "per_order", "K26TAA"),
    "woocommerce_store": ("payment", "per_order", "K26TAA"),
    "partner_api": ("delivery", "per_order", "C26TAA"),
}
# The stores' receipts: one e-invoice each, generated from the cash register (Decree 70/2025).
STORE_EINVOICE_SYMBOL = "C26MAA"
# The partner system's own SKUs for some products (docs/api.md uses them).
PARTNER_SKUS = {"TEE-M": "SHOP-TEE-M", "TEE-L": "SHOP-TEE-L", "MUG-01": "MUG-INTERNAL"}

# Customers known at the stores, by phone. The first twelve also buy on the simulator's shops
# (sandbox/catalog.py DEMO_BUYERS, the first two of each platform): the storefronts show their
# phones, so their live orders land on these customers.
STORE_CUSTOMERS = [
    ("Võ Thị Thu Hà", "0903 112 233"), ("Đặng Quốc Bảo", "0938 204 517"),
    ("Phan Thanh Tùng", "0913 668 041"), ("Bùi Thị Lan Anh", "0908 415 227"),
    ("Ngô Thảo Vy", "0932 507 118"), ("Trịnh Gia Bảo", "0918 246 705"),
    ("Huỳnh Văn Lộc", "0909 361 402"), ("Cao Thị Mỹ Linh", "0937 852 610"),
    ("Trương Hoài Nam", "0907 248 913"), ("Quách Thị Yến", "0935 690 274"),
    ("Phùng Thị Hạnh", "0916 537 820"), ("Đinh Công Minh", "0902 864 153"),
]  # fmt: skip

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
                "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đoàn"]  # fmt: skip
MIDDLE_NAMES = {"f": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Mỹ", "Bảo"],
                "m": ["Văn", "Minh", "Quốc", "Gia", "Thành", "Hữu", "Đức"]}  # fmt: skip
GIVEN_NAMES = {"f": ["An", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Ngân",
                     "Nhung", "Quyên", "Tâm", "Thảo", "Trang", "Uyên", "Vy", "Yến", "Hương"],
               "m": ["Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam", "Phúc",
                     "Quân", "Sơn", "Trung", "Tuấn", "Việt", "Khoa"]}  # fmt: skip
MOBILE_PREFIXES = [
    "090",
    "093",
    "089",
    "091",
    "094",
    "088",
    "097",
    "098",
    "086",
    "032",
    "035",
    "038",
    "070",
    "077",
]
EMAIL_DOMAINS = ["gmail.com", "yahoo.com.vn", "outlook.com"]
# (province, district, ward, streets)
ADDRESSES = [
    ("Hồ Chí Minh", "Quận 1", "Phường Bến Thành", ["Lê Thánh Tôn", "Nguyễn Trãi", "Lý Tự Trọng"]),
    ("Hồ Chí Minh", "Quận 3", "Phường Võ Thị Sáu", ["Nam Kỳ Khởi Nghĩa", "Trần Quốc Thảo"]),
    ("Hồ Chí Minh", "Quận 7", "Phường Tân Phú", ["Nguyễn Lương Bằng", "Nguyễn Văn Linh"]),
    ("Hồ Chí Minh", "Quận Bình Thạnh", "Phường 25", ["Điện Biên Phủ", "Xô Viết Nghệ Tĩnh"]),
    ("Hồ Chí Minh", "Thành phố Thủ Đức", "Phường Thảo Điền", ["Xuân Thủy", "Quốc Hương"]),
    ("Hà Nội", "Quận Hoàn Kiếm", "Phường Hàng Bạc", ["Hàng Bạc", "Hàng Đào"]),
    ("Hà Nội", "Quận Cầu Giấy", "Phường Dịch Vọng", ["Xuân Thủy", "Trần Thái Tông"]),
    ("Đà Nẵng", "Quận Hải Châu", "Phường Thạch Thang", ["Bạch Đằng", "Lê Duẩn"]),
    ("Cần Thơ", "Quận Ninh Kiều", "Phường Tân An", ["Hai Bà Trưng", "Phan Đình Phùng"]),
    ("Bình Dương", "Thành phố Thủ Dầu Một", "Phường Phú Cường", ["Yersin", "Đinh Bộ Lĩnh"]),
]  # fmt: skip

# Tiers on the net spend of 12 months: (name, threshold in ₫, earn multiplier, benefits, Vietnamese).
TIERS = [
    ("Member", 0, 1.0, "1 point for every 100 ₫.", ("Thành viên", "Tích 1 điểm cho mỗi 100 ₫.")),
    ("Silver", 1000000, 1.2, "Points x1.2; a birthday gift.", ("Bạc", "Điểm x1,2; quà sinh nhật.")),
    ("Gold", 2500000, 1.5, "Points x1.5; free delivery.", ("Vàng", "Điểm x1,5; miễn phí giao hàng.")),
    ("Diamond", 5000000, 2.0, "Points x2; returns first, private offers.",
     ("Kim cương", "Điểm x2; ưu tiên đổi trả, ưu đãi riêng.")),
]  # fmt: skip

# Channel orders over the last DAYS days, per channel; store sales per store.
DAYS = 120
ORDERS_PER_CHANNEL = {"shopee_vn": 20, "lazada_vn": 12, "tiktok_vn": 12, "tiki": 8, "shopify_store": 8,
                      "woocommerce_store": 8, "partner_api": 5}  # fmt: skip
STORE_SALES = 20
# Online customers besides the store customers, and how many buyers each channel has.
ONLINE_CUSTOMERS = 30
STORE_ONLY_CUSTOMERS = 12
BUYERS_PER_CHANNEL = 10
