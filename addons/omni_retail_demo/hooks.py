"""The demo shop, built once when the addon is installed (readme/DESCRIPTION.md).

Orders go through the addons' own flows (the channel inbox and import, the point of sale, the
loyalty ledger) in batches, so the demo shows what those flows make of them.
"""

import logging
import random
import time
import unicodedata
from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields

from . import shop_data as data

_logger = logging.getLogger(__name__)

SEED = 2026
HOURS = range(8, 22)


def post_init_hook(env):
    DemoShop(env).build()


class DemoShop:
    def __init__(self, env):
        self.env = env(
            context=dict(env.context, tracking_disable=True, mail_notrack=True, mail_create_nolog=True)
        )
        self.random = random.Random(SEED)
        self.company = self.env.company
        self.now = fields.Datetime.now().replace(microsecond=0)

    def build(self):
        for label, step in (
            ("company in Ho Chi Minh City, VND, prices tax included", self._company),
            ("central warehouse and two stores with their points of sale", self._warehouses),
            ("catalogue and opening stock", self._catalog),
            ("channels and their listings", self._channels),
            ("campaigns: the 11.11 sale ended, the 12.12 sale ready to start", self._campaigns),
            ("e-invoices: SInvoice's templates and symbols, each channel's policy", self._einvoices),
            ("loyalty program", self._loyalty),
            ("store customers", self._store_customers),
            ("addresses in the 2025 map (province and ward)", self._addresses_2025),
            ("four months of channel orders", self._channel_orders),
            ("the web stores' and chat orders to ship go with GHN and GHTK", self._carriers),
            ("store sales", self._store_sales),
            ("customer metrics, points and tiers", self._finish),
        ):
            started = time.monotonic()
            step()
            _logger.info("Demo shop: %s (%.0f s)", label, time.monotonic() - started)

    # ------------------------------------------------------------------ the shop

    def _company(self):
        vietnam = self.env.ref("base.vn")
        saigon = self.env["res.country.state"].search(
            [("country_id", "=", vietnam.id), ("name", "ilike", "Hồ Chí Minh")], limit=1
        )
        self.company.write(
            {
                **data.COMPANY,
                "country_id": vietnam.id,
                "state_id": saigon.id,
                "currency_id": self.env.ref("base.VND").id,
                # Vietnamese shops show prices with VAT in them.
                "account_price_include": "tax_included",
            }
        )
        # Its customers are written to in Vietnamese (those that channels bring too).
        self.company.partner_id.lang = "vi_VN"
        self.saigon = saigon
        # A database copied from a template gets its own identity (uuid, secret).
        self.env["ir.config_parameter"].init(force=True)

    def _address(self, name, street, ward, district):
        return self.env["res.partner"].create(
            {
                "name": name,
                "parent_id": self.company.partner_id.id,
                "type": "other",
                "street": street,
                "street2": ward,
                "city": district,
                "state_id": self.saigon.id,
                "country_id": self.company.country_id.id,
            }
        )

    def _warehouses(self):
        code, name, *address = data.CENTRAL
        central = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        central.write({"name": name, "code": code, "partner_id": self._address(name, *address).id})
        stores = self.env["stock.warehouse"].create(
            [
                {"name": name, "code": code, "partner_id": self._address(name, *address).id}
                for code, name, *address in data.STORES
            ]
        )
        self.warehouses = {warehouse.code: warehouse for warehouse in central | stores}
        PosConfig = self.env["pos.config"]
        # Odoo's default point of sale, if any, becomes the first store's.
        existing = PosConfig.search([("company_id", "=", self.company.id)])
        configs = []
        for store in stores:
            journal, methods = PosConfig._create_journal_and_payment_methods(
                cash_journal_vals={"name": f"Tiền mặt {store.code}", "code": f"TM{store.code}"}
            )
            values = {
                "name": store.name,
                "picking_type_id": store.pos_type_id.id,
                "journal_id": journal.id,
                "payment_method_ids": [Command.set(methods)],
            }
            if existing:
                existing[:1].write(values)
                configs.append(existing[:1])
                existing = existing[1:]
            else:
                configs.append(PosConfig.create(values))
        self.pos_configs = dict(zip(stores.mapped("code"), configs, strict=True))

    def _catalog(self):
        categories = {
            key: self.env["product.category"].create(
                {"name": name, "parent_id": self.env.ref("product.product_category_all").id}
            )
            for key, name in data.CATEGORIES.items()
        }
        size = self.env["product.attribute"].create(
            {
                "name": "Kích cỡ",
                "value_ids": [
                    Command.create({"name": value})
                    for value in dict.fromkeys(item[2] for item in data.PRODUCTS if item[2])
                ],
            }
        )
        groups = defaultdict(list)
        for item in data.PRODUCTS:
            groups[item[1]].append(item)
        templates = self.env["product.template"].create(
            [
                {
                    "name": name,
                    "is_storable": True,
                    "list_price": items[0][3],
                    "categ_id": categories[items[0][4]].id,
                    "available_in_pos": True,
                    "default_code": False if items[0][2] else items[0][0],
                    "barcode": False if items[0][2] else _barcode(items[0][5]),
                    "attribute_line_ids": [
                        Command.create(
                            {
                                "attribute_id": size.id,
                                "value_ids": [
                                    Command.set(
                                        size.value_ids.filtered(
                                            lambda v, items=items: v.name in {i[2] for i in items}
                                        ).ids
                                    )
                                ],
                            }
                        )
                    ]
                    if items[0][2]
                    else [],
                }
                for name, items in groups.items()
            ]
        )
        self.products = {}
        for template, items in zip(templates, groups.values(), strict=True):
            for item in items:
                variant = template.product_variant_ids.filtered(
                    lambda v, item=item: not item[2] or v.product_template_attribute_value_ids.name == item[2]
                )
                if item[2]:
                    variant.write({"default_code": item[0], "barcode": _barcode(item[5])})
                self.products[item[0]] = variant
        self.prices = {item[0]: item[3] for item in data.PRODUCTS}
        self.simulated = [item[0] for item in data.PRODUCTS if item[5] is not None]
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        quants = Quant.create(
            [
                {
                    "product_id": self.products[code].id,
                    "location_id": self.warehouses[warehouse].lot_stock_id.id,
                    "inventory_quantity": quantity,
                }
                for warehouse, stock in data.OPENING_STOCK.items()
                for code, quantity in stock.items()
            ]
        )
        quants.action_apply_inventory()

    def _channels(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "Bảng giá VND", "currency_id": self.company.currency_id.id}
        )
        channels = self.env["omni.channel"].create(
            [
                {
                    "name": name,
                    "code": code,
                    "channel_type": kind,
                    "pricelist_id": pricelist.id,
                    "sequence": sequence,
                    "order_sync_interval": 1,
                    "warehouse_ids": [Command.set(self.warehouses[warehouse].ids)],
                    **connection,
                    **allocation,
                }
                for sequence, (code, name, kind, connection, allocation, warehouse) in enumerate(
                    data.CHANNELS, 1
                )
            ]
        )
        self.channels = {channel.code: channel for channel in channels}
        listings = []
        for channel in channels:
            kind = channel.channel_type
            for item in data.PRODUCTS:
                code, name, size = item[:3]
                if kind == "api":
                    listing = {"external_sku": data.PARTNER_SKUS.get(code, code)}
                elif item[5] is None:
                    continue
                else:
                    listing = {"external_sku": code, **_platform_ids(kind, item)}
                listing.update(
                    channel_id=channel.id,
                    product_id=self.products[code].id,
                    name=f"{name} {size}" if size else name,
                )
                listings.append(listing)
        self.env["omni.channel.listing"].create(listings)

    def _campaigns(self):
        """Each campaign on its channels, starting at midnight in Vietnam. One already over is recorded
        as ended (it was run before this shop came to Odoo); ``self.campaign_prices`` keeps its prices
        for the orders placed during it."""
        self.campaign_prices = []  # (start, end, channel codes, {sku: price})
        for name, days_ago, days, percent, fixed, codes, reserved in data.CAMPAIGNS:
            start = (self.now - timedelta(days=days_ago)).replace(hour=17, minute=0, second=0)
            end = start + timedelta(days=days)
            campaign = self.env["omni.campaign"].create(
                {
                    "name": name,
                    "date_start": start,
                    "date_end": end,
                    "discount_percent": percent,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.products[code].id,
                                "fixed_price": fixed.get(code, 0),
                                "reserved_qty": reserved.get(code, 0),
                            }
                        )
                        for code in self.simulated
                    ],
                    "channel_line_ids": [
                        Command.create({"channel_id": self.channels[code].id}) for code in codes
                    ],
                }
            )
            if end < self.now:
                campaign.pricelist_ids = False  # the stores did not take part
                campaign.write({"state": "ended"})
                lines = {"state": "ended", "platform_start": start, "platform_end": end}
                campaign.channel_line_ids.write(lines)
                prices = {
                    code: fixed.get(code) or round(self.prices[code] * (100 - percent) / 100)
                    for code in self.simulated
                }
                self.campaign_prices.append((start, end, codes, prices))

    def _price(self, channel, code, moment):
        """What a buyer paid for ``code`` on ``channel`` at ``moment``: a campaign's price during it."""
        for start, end, codes, prices in self.campaign_prices:
            if start <= moment < end and channel.code in codes and code in prices:
                return prices[code]
        return self.prices[code]

    def _einvoices(self):
        """The company sends e-invoices to the simulator's SInvoice, as its seller there."""
        sinvoice = data.SINVOICE
        self.company.write(
            {"l10n_vn_edi_username": sinvoice["username"], "l10n_vn_edi_password": sinvoice["password"]}
        )
        self.env["ir.config_parameter"].sudo().set_param("omni_vn_einvoice.sinvoice_url", sinvoice["url"])
        template = self.env["l10n_vn_edi_viettel.sinvoice.template"].create(
            {"name": sinvoice["template"], "template_invoice_type": "1"}
        )
        symbols = {
            name: self.env["l10n_vn_edi_viettel.sinvoice.symbol"].create(
                {"name": name, "invoice_template_id": template.id}
            )
            for name in sinvoice["symbols"]
        }
        for code, (trigger, consumers, symbol) in data.EINVOICE_POLICIES.items():
            self.channels[code].write(
                {
                    "einvoice_trigger": trigger,
                    "einvoice_consumer_mode": consumers,
                    "einvoice_symbol_id": symbols[symbol].id,
                }
            )
        for config in self.pos_configs.values():
            config.write(
                {"omni_einvoice": True, "omni_einvoice_symbol_id": symbols[data.STORE_EINVOICE_SYMBOL].id}
            )

    def _loyalty(self):
        Program = self.env["loyalty.program"]
        Program.search([("program_type", "=", "loyalty")]).active = False
        self.program = Program.create(
            {
                "name": "Thành viên Phố Việt",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "portal_visible": True,
                "portal_point_name": "điểm",
                "omni_is_default": True,
                # 1 point per 100 ₫, as the rule below gives orders; a reward of 5,000 points is 50,000 ₫.
                "omni_earn_rate": 10,
                "omni_points_validity_months": 6,
                "omni_tier_basis": "spend",
                "omni_tier_window_months": 12,
                "rule_ids": [Command.create({"reward_point_mode": "money", "reward_point_amount": 0.01})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "per_order",
                            "discount": 50000,
                            "required_points": 5000,
                            "discount_applicability": "order",
                        }
                    )
                ],
                "omni_tier_ids": [
                    Command.create(
                        {
                            "name": name,
                            "threshold": threshold,
                            "earn_multiplier": multiplier,
                            "benefits": benefits,
                        }
                    )
                    for name, threshold, multiplier, benefits, _vi in data.TIERS
                ],
            }
        )
        for tier, (*_en, vietnamese) in zip(self.program.omni_tier_ids, data.TIERS, strict=True):
            tier.with_context(lang="vi_VN").write(dict(zip(("name", "benefits"), vietnamese, strict=True)))
        accessories = self.products["CAP-01"].categ_id
        self.env["omni.loyalty.earn.rule"].create(
            [
                {
                    "program_id": self.program.id,
                    "multiplier_ids": [Command.create({"categ_id": accessories.id, "multiplier": 2.0})],
                },
                {
                    "program_id": self.program.id,
                    "channel_id": self.channels["shopee_vn"].id,
                    "minimum_amount": 100000,
                },
                {
                    "program_id": self.program.id,
                    "channel_id": self.channels["tiktok_vn"].id,
                    "multiplier": 1.5,
                },
                {"program_id": self.program.id, "channel_id": self.channels["partner_api"].id, "rate": 10},
            ]
        )

    # ------------------------------------------------------------------ people

    def _person(self, used_names, used_phones, name=None, phone=None):
        rng = self.random
        while not name or name in used_names:
            gender = rng.choice("fm")
            name = " ".join(
                (
                    rng.choice(data.FAMILY_NAMES),
                    rng.choice(data.MIDDLE_NAMES[gender]),
                    rng.choice(data.GIVEN_NAMES[gender]),
                )
            )
        while not phone or phone in used_phones:
            digits = f"{rng.randrange(10**7):07d}"
            phone = f"{rng.choice(data.MOBILE_PREFIXES)} {digits[:3]} {digits[3:]}"
        used_names.add(name)
        used_phones.add(phone)
        province, district, ward, streets = rng.choice(data.ADDRESSES)
        email = None
        if rng.random() < 0.6:
            given, family = _ascii(name.split()[-1]), _ascii(name.split()[0])
            email = f"{given}.{family}{rng.randint(1, 99)}@{rng.choice(data.EMAIL_DOMAINS)}"
        return {
            "name": name,
            "phone": phone,
            "email": email,
            "street": f"{rng.randint(1, 250)} {rng.choice(streets)}",
            "ward": ward,
            "district": district,
            "province": province,
        }

    def _store_customers(self):
        used_names, used_phones = set(), {"0912 345 678"}  # the phone of docs/api.md's new customer
        self.store_people = [
            self._person(used_names, used_phones, name, phone) for name, phone in data.STORE_CUSTOMERS
        ]
        self.store_people += [
            self._person(used_names, used_phones) for _n in range(data.STORE_ONLY_CUSTOMERS)
        ]
        self.online_people = [self._person(used_names, used_phones) for _n in range(data.ONLINE_CUSTOMERS)]
        partners = self.env["res.partner"].create(
            [
                {
                    "name": person["name"],
                    "phone": person["phone"],
                    "email": person["email"],
                    "street": person["street"],
                    "street2": person["ward"],
                    "city": person["district"],
                    "state_id": self.env["res.partner"]._omni_province_id(
                        self.company.country_id.id, person["province"]
                    ),
                    "country_id": self.company.country_id.id,
                    "customer_rank": 1,
                    "lang": "vi_VN",
                }
                for person in self.store_people
            ]
        )
        for person, partner in zip(self.store_people, partners, strict=True):
            person["partner"] = partner

    def _addresses_2025(self):
        """The shop, its stores and its customers in the 2025 form; channel buyers land in it anyway."""
        self.env["res.partner"].search(
            [("country_id", "=", self.company.country_id.id), ("omni_vn_ward_id", "=", False)]
        )._omni_vn_convert_address()

    # ------------------------------------------------------------------ channel orders

    def _moment(self, days_ago):
        day = self.now - timedelta(days=days_ago)
        moment = day.replace(hour=self.random.choice(HOURS) - 7, minute=self.random.randrange(60), second=0)
        return min(moment, self.now - timedelta(minutes=30))

    def _status(self, channel, days_ago):
        roll = self.random.random()
        if days_ago > 14:
            return "cancelled" if roll < 0.08 else "returned" if roll < 0.14 else "completed"
        if days_ago > 3:
            return "cancelled" if roll < 0.05 else "shipped"
        if channel.channel_type in data.MARKETPLACES and roll < 0.4:
            return "unpaid"
        return "ready_to_ship"

    def _payload(self, channel, number, person, buyer_id, days_ago):
        rng = self.random
        created = self._moment(days_ago)
        status = self._status(channel, days_ago)
        skus = self.simulated if channel.channel_type != "api" else list(self.products)
        lines = []
        for index, code in enumerate(rng.sample(skus, rng.choice((1, 1, 1, 2, 2, 3)))):
            quantity = rng.randint(2, 10) if channel.channel_type == "api" else rng.choice((1, 1, 1, 2, 3))
            lines.append(
                {
                    "line_id": str(index + 1),
                    "sku": data.PARTNER_SKUS.get(code, code) if channel.channel_type == "api" else code,
                    "name": self.products[code].name,
                    "quantity": quantity,
                    "unit_price": self._price(channel, code, created),
                    "seller_discount": 10000 * quantity if rng.random() < 0.2 else 0,
                }
            )
        pickup = channel.channel_type in ("shopify", "woocommerce", "api") and rng.random() < 0.3
        payload = {
            "external_id": f"{created:%y%m%d}{channel.code[:2].upper()}{number:04d}",
            "status": status,
            "created_at": _iso(created),
            "updated_at": _iso(created + timedelta(days=min(days_ago, 4))),
            "currency": "VND",
            "customer": {
                "buyer_id": buyer_id,
                "name": person["name"],
                "phone": person["phone"],
                "email": person["email"],
            },
            "shipping_address": {
                "name": person["name"],
                "phone": person["phone"],
                "street": person["street"],
                "ward": person["ward"],
                "district": person["district"],
                "province": person["province"],
            },
            "lines": lines,
            "shipping_fee": 0 if pickup else rng.choice((15000, 22000, 30000)),
            "payment_method": "cod" if rng.random() < 0.4 else "prepaid",
        }
        if pickup:
            payload["pickup_store"] = rng.choice([code for code, *_rest in data.STORES])
        if status == "unpaid":
            payload["pay_by"] = _iso(self.now + timedelta(hours=rng.randint(2, 20)))
        return payload

    def _channel_orders(self):
        rng = self.random
        payloads, returned = {}, []
        for code, count in data.ORDERS_PER_CHANNEL.items():
            channel = self.channels[code]
            # Each channel has its own buyers: a few store customers (the same phone), the others
            # online shoppers, some of whom buy on other channels too.
            buyers = rng.sample(self.store_people, 4) + rng.sample(
                self.online_people, data.BUYERS_PER_CHANNEL - 4
            )
            # Some buyers come back often, most buy once or twice.
            weights = [rng.choice((1, 1, 1, 2, 4, 8)) for _buyer in buyers]
            base = 3 * 10**8 + channel.id * 10**5
            orders = []
            for number in range(count):
                index = rng.choices(range(len(buyers)), weights)[0]
                # One order in eight is of the last three days: some still unpaid or to ship.
                days_ago = rng.uniform(0.1, 3) if rng.random() < 0.125 else rng.uniform(3, data.DAYS)
                payload = self._payload(channel, number, buyers[index], str(base + index), days_ago)
                if payload["status"] == "returned":
                    # Delivered first; the return comes below.
                    payload["status"] = "shipped"
                    returned.append((channel, dict(payload, status="returned")))
                orders.append(payload)
            orders.sort(key=lambda payload: payload["created_at"])
            payloads[channel] = orders
            channel._ingest_orders(orders, source="api" if channel.channel_type == "api" else "poll")
        SaleOrder = self.env["sale.order"]
        sale_orders = SaleOrder.search([("omni_channel_id", "in", [channel.id for channel in payloads])])
        by_ref = {(order.omni_channel_id, order.omni_external_ref): order for order in sale_orders}
        for channel, orders in payloads.items():
            for payload in orders:
                # Confirming dates an order today; it was placed on the channel's date.
                by_ref[channel, payload["external_id"]].date_order = _datetime(payload["created_at"])
        delivered = sale_orders.filtered(lambda o: o.omni_status in ("shipped", "completed"))
        self._deliver(delivered.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing"))
        for channel, payload in returned:
            payload["updated_at"] = _iso(_datetime(payload["created_at"]) + timedelta(days=9))
            channel._ingest_orders([payload], source="poll")
        returns = sale_orders.filtered(lambda o: o.omni_status == "returned").picking_ids.filtered(
            lambda p: p.picking_type_code == "incoming" and p.state not in ("done", "cancel")
        )
        self._deliver(returns)
        self._b2b_orders()

    def _carriers(self):
        """GHN and GHTK accounts at the simulator; the web stores' and chat orders still to ship from the
        central warehouse go with them, one in two each: validating one books its waybill and label."""
        shipping = self.env["product.product"].create(
            {"name": "Giao hàng", "type": "service", "taxes_id": False}
        )
        Journal = self.env["account.journal"]
        bank = Journal.search([*Journal._check_company_domain(self.company), ("type", "=", "bank")], limit=1)
        carriers = self.env["delivery.carrier"].create(
            [
                {
                    "name": name,
                    "delivery_type": provider,
                    "product_id": shipping.id,
                    "omni_carrier_url": url,
                    "omni_carrier_token": token,
                    "omni_carrier_shop": shop,
                    "omni_cod_journal_id": bank.id,
                }
                for name, provider, url, token, shop in data.CARRIERS
            ]
        )
        orders = self.env["sale.order"].search(
            [("omni_channel_id", "in", [self.channels[code].id for code in data.CARRIER_CHANNELS])]
        )
        # Orders store customers placed in chat (Zalo, Facebook), taken by the staff, cash on delivery.
        in_stock = [code for code, product in sorted(self.products.items()) if product.qty_available > 0]
        chat = self.env["sale.order"].create(
            [
                {
                    "partner_id": person["partner"].id,
                    "warehouse_id": self.warehouses[data.CENTRAL[0]].id,
                    "order_line": [
                        Command.create({"product_id": self.products[code].id, "product_uom_qty": 1})
                        for code in self.random.sample(in_stock, self.random.choice((1, 2)))
                    ],
                }
                for person in self.random.sample(self.store_people, data.CHAT_ORDERS)
            ]
        )
        chat.action_confirm()
        orders |= chat
        central = self.warehouses[data.CENTRAL[0]]
        to_ship = orders.picking_ids.filtered(
            lambda p: p.picking_type_id == central.out_type_id and p.state not in ("done", "cancel")
        )
        for index, picking in enumerate(to_ship.sorted("id")):
            picking.carrier_id = carriers[index % len(carriers)]

    def _deliver(self, pickings):
        """Validate ``pickings`` as shipped before the demo began: the channels know already."""
        pickings = pickings.filtered(lambda p: p.state not in ("done", "cancel"))
        if not pickings:
            return
        pickings.action_assign()
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        for picking in pickings:
            picking.carrier_tracking_ref = f"VN{self.random.randrange(10**11, 10**12)}"
        pickings.with_context(skip_backorder=True, skip_sms=True)._action_done()
        orders = pickings.sale_id.filtered("omni_ship_state")
        for order in orders:
            order.write(
                {"omni_ship_state": "sent", "omni_tracking_sent": order.picking_ids[:1].carrier_tracking_ref}
            )
        self.env["queue.job"].search(
            [
                ("model_name", "=", "sale.order"),
                ("method_name", "=", "_omni_ship_job"),
                ("state", "=", "pending"),
            ]
        ).unlink()

    def _b2b_orders(self):
        """The partner system's two latest orders: one imported, one waiting for an unknown SKU."""
        self.channels["partner_api"]._ingest_orders(
            [
                {
                    "external_id": "B2B-0001",
                    "status": "ready_to_ship",
                    "currency": "VND",
                    "customer": {
                        "buyer_id": "cafe-sg",
                        "name": "Quán cà phê Sài Gòn",
                        "phone": "028 3822 1234",
                        "email": "muahang@cafesaigon.vn",
                    },
                    "shipping_address": {
                        "street": "25 Nguyễn Huệ",
                        "ward": "Phường Bến Nghé",
                        "district": "Quận 1",
                        "province": "Hồ Chí Minh",
                    },
                    "lines": [
                        {"sku": "MUG-INTERNAL", "quantity": 24, "unit_price": 55000, "seller_discount": 60000}
                    ],
                    "shipping_fee": 40000,
                    "payment_method": "prepaid",
                },
                {
                    "external_id": "B2B-0002",
                    "status": "unpaid",
                    "currency": "VND",
                    "customer": {"buyer_id": "shop-hn", "name": "Cửa hàng Phố Cổ", "phone": "024 3826 5511"},
                    "shipping_address": {
                        "street": "12 Hàng Bạc",
                        "ward": "Phường Hàng Bạc",
                        "district": "Quận Hoàn Kiếm",
                        "province": "Hà Nội",
                    },
                    "lines": [
                        {"sku": "SHOP-TEE-M", "quantity": 10, "unit_price": 140000},
                        {"sku": "TEE-XL-NEW", "quantity": 5, "unit_price": 150000},
                    ],
                    "payment_method": "cod",
                },
            ],
            source="api",
        )

    # ------------------------------------------------------------------ store sales

    def _store_sales(self):
        rng = self.random
        PosOrder = self.env["pos.order"]
        cards = {}
        for code, config in self.pos_configs.items():
            session = self.env["pos.session"].create({"config_id": config.id, "user_id": self.env.uid})
            cash = config.payment_method_ids.filtered("is_cash_count")[:1] or config.payment_method_ids[:1]
            bank = config.payment_method_ids.filtered(lambda m: m.journal_id.type == "bank")[:1] or cash
            # Every store customer bought at least once; walk-ins stay anonymous.
            people = [person for index, person in enumerate(self.store_people) if index % 2 == (code == "Q7")]
            people += [
                rng.choice(self.store_people + [None] * 6) for _n in range(data.STORE_SALES - len(people))
            ]
            for number, person in enumerate(people):
                moment = self._moment(rng.uniform(0.2, data.DAYS))
                lines = []
                for product_code in rng.sample(list(self.products), rng.choice((1, 1, 2, 3))):
                    product = self.products[product_code]
                    quantity = rng.choice((1, 1, 2))
                    taxes = product.taxes_id.filtered(lambda t: t.company_id == self.company)
                    amounts = taxes.compute_all(self.prices[product_code], quantity=quantity, product=product)
                    lines.append(
                        Command.create(
                            {
                                "product_id": product.id,
                                "full_product_name": product.display_name,
                                "qty": quantity,
                                "price_unit": self.prices[product_code],
                                "price_subtotal": amounts["total_excluded"],
                                "price_subtotal_incl": amounts["total_included"],
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    )
                total = sum(line[2]["price_subtotal_incl"] for line in lines)
                untaxed = sum(line[2]["price_subtotal"] for line in lines)
                method = cash if rng.random() < 0.5 else bank
                order = PosOrder.create(
                    {
                        "session_id": session.id,
                        "partner_id": person["partner"].id if person else False,
                        "date_order": moment,
                        "lines": lines,
                        "amount_tax": total - untaxed,
                        "amount_total": total,
                        "amount_paid": total,
                        "amount_return": 0,
                        "uuid": f"demo-{code}-{number}",
                        "payment_ids": [
                            Command.create(
                                {"payment_method_id": method.id, "amount": total, "payment_date": moment}
                            )
                        ],
                    }
                )
                order.action_pos_order_paid()
                if person:
                    partner = person["partner"]
                    if partner not in cards:
                        # Their card, if they earned on a channel already.
                        cards[partner] = self.env["loyalty.card"].search(
                            [("partner_id", "=", partner.id), ("program_id", "=", self.program.id)]
                        ) or self.env["loyalty.card"].create(
                            {"partner_id": partner.id, "program_id": self.program.id}
                        )
                    # What the till sends after the sale: the points the program's rule gives.
                    points = total * self.program.rule_ids[:1].reward_point_amount
                    card = cards[partner]
                    order.confirm_coupon_programs(
                        {card.id: {"points": points, "program_id": self.program.id, "coupon_id": card.id}}
                    )
            session.action_pos_session_closing_control()

    # ------------------------------------------------------------------ the end

    def _store_counts(self):
        """Today's counts in the stores: on hand is what is reserved plus what the count finds free."""
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        quants = Quant
        for code, counts in data.STORE_COUNTS.items():
            location = self.warehouses[code].lot_stock_id
            for reference, free in counts.items():
                product = self.products[reference].with_context(location=location.id)
                quant = Quant.search(
                    [("product_id", "=", product.id), ("location_id", "=", location.id)], limit=1
                )
                reserved = product.qty_available - product.free_qty
                values = {"inventory_quantity": reserved + free}
                if quant:
                    quant.write(values)
                else:
                    quant = Quant.create({"product_id": product.id, "location_id": location.id, **values})
                quants |= quant
        quants.action_apply_inventory()

    def _finish(self):
        self._store_counts()
        Card = self.env["loyalty.card"]
        Card._cron_vest_points()
        Card._cron_review_tiers()
        self.env["res.partner"]._cron_compute_metrics()


def _platform_ids(kind, item):
    """The item and variation ids under which the simulator's platform sells ``item``
    (sandbox/catalog.py numbers them 1000 + n and 2000 + n): TikTok Shop gives every product a SKU
    id, the storefronts make the sizes of one article variations of its first item."""
    number, size = item[5], item[2]
    first = next(other[5] for other in data.PRODUCTS if other[1] == item[1])
    item_id = 1000 + (first if kind in ("shopify", "woocommerce") else number)
    model_id = 2000 + number if size or kind == "tiktok" else False
    return {"external_item_id": str(item_id), "external_model_id": model_id and str(model_id)}


def _barcode(number):
    """The simulator's barcodes (Vietnamese GS1 prefix 893); None for products it does not sell."""
    return f"893{8000000000 + number:010d}" if number is not None else False


def _iso(moment):
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


def _datetime(iso):
    return fields.Datetime.to_datetime(iso.replace("T", " ").rstrip("Z"))


def _ascii(text):
    """``text`` without Vietnamese accents, for e-mail addresses."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
