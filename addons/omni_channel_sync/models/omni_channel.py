import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.modules.module import get_manifest

from ..connectors.payload import PayloadError, check_payload, check_text

OMNI_MODULES = ("omni_channel_sync", "omni_customer360", "omni_loyalty", "omni_stock")
API_VERSION = "1.0"
# One API call may carry this many orders; each order this many bytes of JSON.
MAX_ORDERS_PER_CALL = 500
MAX_ORDER_BYTES = 1024 * 1024
EXTERNAL_ID_SIZE = 128
CREDENTIAL_FIELDS = ("api_key", "api_secret", "access_token", "refresh_token", "webhook_secret")


class OmniChannel(models.Model):
    _name = "omni.channel"
    _inherit = ["mail.thread"]
    _description = "Sales Channel"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Short unique code integrators use to name this channel in API calls and webhooks.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    channel_type = fields.Selection(
        [
            ("shopee", "Shopee"),
            ("lazada", "Lazada"),
            ("tiktok", "TikTok Shop"),
            ("tiki", "Tiki"),
            ("shopify", "Shopify"),
            ("woocommerce", "WooCommerce"),
            ("pos", "Point of Sale"),
            ("website", "Website"),
            ("social", "Social (Facebook/Zalo chats)"),
            ("api", "Partner system (API)"),
            ("file", "File import"),
        ],
        required=True,
        default="api",
        tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="pricelist_id.currency_id", string="Currency")
    warehouse_ids = fields.Many2many(
        "stock.warehouse",
        string="Source Warehouses",
        check_company=True,
        help="Warehouses whose stock this channel sells; the first one ships its orders.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        default=lambda self: self.env["product.pricelist"].search(
            [("company_id", "in", (False, self.env.company.id))], limit=1
        ),
        required=True,
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    user_id = fields.Many2one("res.users", string="Salesperson", domain=[("share", "=", False)])
    shipping_product_id = fields.Many2one(
        "product.product",
        string="Shipping Product",
        default=lambda self: self._default_service_product("product_channel_shipping"),
        help="Invoiced for the shipping fee the buyer pays.",
    )
    seller_discount_product_id = fields.Many2one(
        "product.product",
        string="Seller Discount Product",
        default=lambda self: self._default_service_product("product_channel_seller_discount"),
    )
    platform_discount_product_id = fields.Many2one(
        "product.product",
        string="Platform Discount Product",
        default=lambda self: self._default_service_product("product_channel_platform_discount"),
        help="Vouchers the marketplace funds: the buyer pays less, the platform pays the difference.",
    )
    return_window_days = fields.Integer(
        default=7, help="Days after completion during which the buyer may still return the order."
    )

    # Credentials: managers only, in the form and over RPC.
    shop_id = fields.Char(string="Shop / Seller ID")
    api_key = fields.Char(string="App Key / Partner ID", groups="omni_channel_sync.group_manager")
    api_secret = fields.Char(string="App Secret", groups="omni_channel_sync.group_manager")
    access_token = fields.Char(groups="omni_channel_sync.group_manager", copy=False)
    refresh_token = fields.Char(groups="omni_channel_sync.group_manager", copy=False)
    webhook_secret = fields.Char(
        groups="omni_channel_sync.group_manager",
        copy=False,
        help="Key the channel signs its webhooks with (HMAC-SHA256 of the raw body for API channels).",
    )
    token_expires_at = fields.Datetime(copy=False, help="When the access token ends; it renews itself.")
    authorization_expires_at = fields.Datetime(
        string="Reauthorize By",
        copy=False,
        help="When the seller must authorize the shop again: the end of the refresh token, which each "
        "refresh may move. Empty when the tokens renew themselves without the seller.",
    )
    token_days_left = fields.Integer(compute="_compute_token_days_left")

    sync_orders = fields.Boolean(default=True, string="Import Orders")
    sync_stock = fields.Boolean(default=True, string="Push Stock")
    sync_price = fields.Boolean(default=False, string="Push Prices")
    order_sync_interval = fields.Integer(default=10, string="Order Poll Interval (min)")
    order_checkpoint = fields.Datetime(
        copy=False, help="Orders updated up to this moment are stored; the next poll starts here."
    )
    order_cursor = fields.Char(copy=False)
    last_sync_at = fields.Datetime(string="Last Sync", copy=False, readonly=True)
    health = fields.Selection(
        [("ok", "Healthy"), ("warning", "Warning"), ("error", "Error")],
        default="ok",
        copy=False,
        readonly=True,
    )
    last_error = fields.Text(copy=False, readonly=True)

    listing_ids = fields.One2many("omni.channel.listing", "channel_id", string="Listings")
    inbox_ids = fields.One2many("omni.channel.inbox", "channel_id", string="Inbox")
    order_count_today = fields.Integer(compute="_compute_dashboard", string="Orders Today")
    inbox_failed_count = fields.Integer(compute="_compute_dashboard", string="Inbox Failures")
    # Orders waiting for a listing of an unknown SKU: not failures, counted apart.
    inbox_attention_count = fields.Integer(compute="_compute_dashboard", string="Waiting for a Listing")
    listing_count = fields.Integer(compute="_compute_dashboard", string="Listing Count")

    _sql_constraints = [
        ("code_company_uniq", "UNIQUE(code, company_id)", "A channel code must be unique per company."),
        ("return_window_positive", "CHECK(return_window_days >= 0)", "The return window cannot be negative."),
    ]

    @api.model
    def _default_service_product(self, xmlid):
        return self.env.ref(f"omni_channel_sync.{xmlid}", raise_if_not_found=False)

    @api.depends("authorization_expires_at")
    def _compute_token_days_left(self):
        now = fields.Datetime.now()
        for channel in self:
            expires = channel.authorization_expires_at
            channel.token_days_left = (expires - now).days if expires else 0

    def _compute_dashboard(self):
        # Counts of the channel's own records, shown to whoever may read the channel: a warehouse
        # user or an Omnichannel user without sales rights opens the form too.
        env = self.sudo().env
        today = fields.Datetime.to_datetime(fields.Date.context_today(self))
        orders = dict(
            env["sale.order"]._read_group(
                [("omni_channel_id", "in", self.ids), ("date_order", ">=", today)],
                ["omni_channel_id"],
                ["__count"],
            )
        )
        inbox = {
            (channel, state): count
            for channel, state, count in env["omni.channel.inbox"]._read_group(
                [("channel_id", "in", self.ids), ("state", "in", ("failed", "attention"))],
                ["channel_id", "state"],
                ["__count"],
            )
        }
        listings = dict(
            env["omni.channel.listing"]._read_group(
                [("channel_id", "in", self.ids)], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.order_count_today = orders.get(channel, 0)
            channel.inbox_failed_count = inbox.get((channel, "failed"), 0)
            channel.inbox_attention_count = inbox.get((channel, "attention"), 0)
            channel.listing_count = listings.get(channel, 0)

    @api.constrains("code")
    def _check_code(self):
        for channel in self:
            if not channel.code.replace("_", "").replace("-", "").isalnum():
                raise ValidationError(
                    self.env._(
                        "Channel code %(code)s may only use letters, digits, '-' and '_'.", code=channel.code
                    )
                )

    # ------------------------------------------------------------------ actions

    def action_open_inbox(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("omni_channel_sync.omni_channel_inbox_action")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"default_channel_id": self.id, "search_default_needs_action": 1}
        return action

    def action_open_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("omni_channel_id", "=", self.id)]
        action["context"] = {"default_omni_channel_id": self.id}
        return action

    def action_open_listings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "omni_channel_sync.omni_channel_listing_action"
        )
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"default_channel_id": self.id}
        return action

    # ------------------------------------------------------------------ public API

    @api.model
    def api_info(self):
        """Who the caller is and which omnichannel addons answer: the integrator's first call."""
        self.check_access("read")
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search([("name", "in", OMNI_MODULES), ("state", "=", "installed")])
        )
        return {
            "api_version": API_VERSION,
            "user": self.env.user.login,
            "company": self.env.company.name,
            "modules": {module.name: get_manifest(module.name).get("version", "") for module in modules},
        }

    @api.model
    def api_ingest_orders(self, channel_code, orders, options=None):
        """Store then import normalized orders (docs/api.md).

        Every order is stored in the channel's inbox first, then imported into a sale order, in this
        call or, with ``options={"async": True}``, by background jobs. Sending an order again is
        safe: the same content answers ``duplicate``, a newer status updates the same sale order.

        :return: one dict per order: ``external_id``, ``status`` (created, updated, duplicate,
            queued, needs_attention, failed), ``sale_order_id``, ``inbox_id``, ``error``
        """
        channel = self._api_channel(channel_code)
        if not isinstance(orders, list):
            raise ValidationError(self.env._("orders must be a list of order objects."))
        if len(orders) > MAX_ORDERS_PER_CALL:
            raise ValidationError(
                self.env._(
                    "At most %(max)s orders per call (%(count)s sent): split the batch.",
                    max=MAX_ORDERS_PER_CALL,
                    count=len(orders),
                )
            )
        options = options or {}
        if not isinstance(options, dict):
            raise ValidationError(self.env._("options must be an object."))
        return channel._ingest_orders(orders, source="api", process=not options.get("async"))

    @api.model
    def api_get_orders(self, channel_code, external_ids):
        """The sale orders of the channel's orders ``external_ids``, as the integrator knows them.

        :return: one dict per external id found: ``external_id``, ``sale_order_id``, ``name``,
            ``state``, ``channel_status``, ``amount_untaxed``, ``amount_total``, ``currency``, ``lines``
        """
        channel = self._api_channel(channel_code)
        if not isinstance(external_ids, list) or not all(_is_text(ref) for ref in external_ids):
            raise ValidationError(self.env._("external_ids must be a list of order IDs (text)."))
        if len(external_ids) > MAX_ORDERS_PER_CALL:
            raise ValidationError(
                self.env._("At most %(max)s orders per call: split the list.", max=MAX_ORDERS_PER_CALL)
            )
        orders = (
            self.env["sale.order"]
            .sudo()
            .search([("omni_channel_id", "=", channel.id), ("omni_external_ref", "in", external_ids)])
        )
        return [order._omni_api_summary() for order in orders]

    @api.model
    def _api_channel(self, channel_code):
        """The channel an API caller names, after checking the caller may use the API at all."""
        user = self.env.user
        if not (
            user.has_group("omni_channel_sync.group_integrator")
            or user.has_group("omni_channel_sync.group_manager")
        ):
            raise AccessError(self.env._("Only Omnichannel integrators and managers may call this API."))
        channel_code = self._api_text(channel_code, "channel_code")
        channel = self.search(
            [("code", "=", channel_code), *self._api_company_domain("omni.channel")], limit=2
        )
        if len(channel) != 1:
            raise ValidationError(
                self.env._("No channel with code %(code)s in your companies.", code=channel_code)
                if not channel
                else self.env._("Several channels share code %(code)s: choose a company.", code=channel_code)
            )
        # sudo: the caller was checked above; importing creates partners and orders it may not write.
        return channel.sudo().with_company(channel.company_id)

    # ------------------------------------------------------------------ ingestion

    def _ingest_orders(self, payloads, source, process=True, checked=False):
        """Store each payload in the inbox, then import the new ones; one result dict per payload.
        ``checked``: the payloads passed ``check_payload`` where they came in (a webhook's body)."""
        self.ensure_one()
        Inbox = self.env["omni.channel.inbox"]
        results, entries = [], []
        for payload in payloads:
            external_id = _external_id_of(payload)
            try:
                if not checked:
                    check_payload(payload)
            except PayloadError as error:
                reason = self.env._(error.message, **error.params)
                error = self.env._("%(reason)s Nothing was stored.", reason=reason)
                results.append(_result(external_id if _is_text(external_id) else None, "failed", error))
                continue
            raw = json.dumps(payload, sort_keys=True, ensure_ascii=False)
            if len(raw.encode()) > MAX_ORDER_BYTES:
                results.append(
                    _result(
                        external_id,
                        "failed",
                        error=self.env._(
                            "The order is %(size)s KB, over the limit of %(max)s KB; nothing was stored.",
                            size=len(raw.encode()) // 1024,
                            max=MAX_ORDER_BYTES // 1024,
                        ),
                    )
                )
                continue
            results.append(_result(external_id, "pending"))
            entries.append((len(results) - 1, external_id, raw, payload))
        stored = Inbox._store(
            self, "order", source, [(external_id, raw) for _index, external_id, raw, _payload in entries]
        )
        new = {
            record_id: payload
            for (_index, _external_id, _raw, payload), (record_id, is_new) in zip(
                entries, stored, strict=True
            )
            if is_new
        }
        new_records = Inbox.browse(new)
        if process:
            # Checked above: validated as they came, not read back from the text just stored.
            new_records._process(new)
        else:
            new_records._enqueue()
        for (index, _external_id, _raw, _payload), (record_id, is_new) in zip(entries, stored, strict=True):
            record = Inbox.browse(record_id)
            results[index].update(record._api_result() if is_new else record._api_duplicate_result())
        return results

    def _webhook_credentials(self, callback_url):
        """What the channel's webhooks are signed with; the URL is the one registered on the platform."""
        self.ensure_one()
        return {
            "secret": self.webhook_secret or self.api_secret,
            "app_key": self.api_key,
            "callback_url": callback_url,
        }

    def _store_rejected(self, external_id, payload, error, source):
        """Keep a payload that cannot even be read as an order, failed, so nobody loses it: as text
        PostgreSQL stores (escaped when it holds NUL characters or unpaired surrogates)."""
        self.ensure_one()
        raw = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False, default=str)
        if not _is_text(raw):
            raw = json.dumps(payload, default=str)
        external_id = str(external_id)[:EXTERNAL_ID_SIZE] if external_id not in (None, False, "") else None
        if external_id and not _is_text(external_id):
            external_id = None
        ((record_id, _is_new),) = self.env["omni.channel.inbox"]._store(
            self, "order", source, [(external_id, raw)]
        )
        record = self.env["omni.channel.inbox"].browse(record_id)
        if record.state == "pending":
            record.write({"state": "failed", "error": error})
        return record


def _external_id_of(payload):
    """The order's id as text, for its inbox record and its answer; None when it has none."""
    external_id = payload.get("external_id") if isinstance(payload, dict) else None
    if isinstance(external_id, bool) or not isinstance(external_id, str | int) or external_id == "":
        return None
    return str(external_id)[:EXTERNAL_ID_SIZE]


def _is_text(value):
    """Whether ``value`` is text PostgreSQL can store."""
    if not isinstance(value, str):
        return False
    try:
        check_text(value)
    except PayloadError:
        return False
    return True


def _result(external_id, status, error=None):
    return {
        "external_id": external_id or False,  # XML-RPC has no None
        "status": status,
        "sale_order_id": False,
        "inbox_id": False,
        "error": error or False,
    }
