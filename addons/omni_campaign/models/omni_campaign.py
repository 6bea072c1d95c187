from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# Changes of these fields change what the channels and the pricelists were given: pushed again.
PUSHED_FIELDS = ("name", "date_start", "date_end", "discount_percent", "pricelist_ids")


class OmniCampaign(models.Model):
    """One promotion on every channel at once: the marketplaces' and stores' own promotions (one
    ``omni.campaign.channel`` each) and pricelist rules for the website, the stores (POS) and the
    back office, started and ended on time."""

    _name = "omni.campaign"
    _inherit = ["mail.thread"]
    _description = "Omnichannel Campaign"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date_start = fields.Datetime(
        string="Start", required=True, tracking=True, default=lambda self: self._default_date_start()
    )
    date_end = fields.Datetime(
        string="End",
        required=True,
        tracking=True,
        default=lambda self: self._default_date_start() + timedelta(days=1),
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("running", "Running"),
            ("ended", "Ended"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    discount_percent = fields.Float(
        string="Discount (%)",
        tracking=True,
        help="The discount of every product without a fixed campaign price, on every channel that "
        "has no discount of its own.",
    )
    line_ids = fields.One2many("omni.campaign.line", "campaign_id", string="Products", copy=True)
    channel_line_ids = fields.One2many("omni.campaign.channel", "campaign_id", string="Channels", copy=True)
    pricelist_ids = fields.Many2many(
        "product.pricelist",
        string="Pricelists",
        check_company=True,
        default=lambda self: self._default_pricelists(),
        help="The pricelists of the website, the stores (POS) and the back office that get the "
        "campaign's prices during its window.",
    )
    pricelist_item_ids = fields.One2many(
        "product.pricelist.item", "omni_campaign_id", string="Pricelist Rules", readonly=True
    )
    product_count = fields.Integer(compute="_compute_counts", string="Products Count")
    failed_channel_count = fields.Integer(compute="_compute_counts", string="Failed Channels")

    _sql_constraints = [
        ("date_order", "CHECK(date_end > date_start)", "A campaign ends after it starts."),
        (
            "discount_range",
            "CHECK(discount_percent >= 0 AND discount_percent < 100)",
            "A discount is at least 0% and below 100%.",
        ),
    ]

    @api.model
    def _default_date_start(self):
        """The next full hour."""
        return fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

    @api.model
    def _default_pricelists(self):
        return self.env["product.pricelist"].search([("company_id", "in", (False, self.env.company.id))])

    @api.depends("line_ids", "channel_line_ids.state")
    def _compute_counts(self):
        for campaign in self:
            campaign.product_count = len(campaign.line_ids)
            campaign.failed_channel_count = len(
                campaign.channel_line_ids.filtered(lambda line: line.state == "failed")
            )

    # ------------------------------------------------------------------ CRUD

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in PUSHED_FIELDS):
            self._omni_changed()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if self.filtered(lambda campaign: campaign.state not in ("draft", "cancelled")):
            raise UserError(self.env._("Only draft or cancelled campaigns can be deleted."))
        if self.channel_line_ids.filtered(lambda line: line._on_platform()):
            raise UserError(
                self.env._("A channel still ends this campaign's promotion: wait for it, then delete.")
            )

    # ------------------------------------------------------------------ actions

    def action_start(self):
        self._action_start()
        return True

    def action_stop(self):
        self._action_stop()
        return True

    def action_cancel(self):
        self._action_cancel()
        return True

    def action_draft(self):
        self._action_draft()
        return True

    def action_retry_failed(self):
        self.check_access("write")
        self.channel_line_ids.filtered(lambda line: line.state == "failed")._queue_sync()
        return True

    def action_open_parity(self):
        self.ensure_one()
        return self.env["omni.campaign.parity"]._open(self)

    @api.model
    def action_open_parity_current(self):
        """Price parity of the campaigns scheduled or running."""
        campaigns = self.search([("state", "in", ("scheduled", "running"))])
        return self.env["omni.campaign.parity"]._open(campaigns)

    def action_check_prices(self):
        """Read what buyers see on the campaign's channels now (their listings imported in a job each);
        the parity then compares it."""
        self.ensure_one()
        self.check_access("write")
        channels = self.channel_line_ids.channel_id
        for channel in channels:
            channel._omni_answer_queued(
                lambda channel: channel._import_listings_answer(),
                lambda channel: channel._queue_job("_import_listings_job"),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The prices of %(count)s channel(s) are being read: open the price parity again "
                    "when the notifications say they are done.",
                    count=len(channels),
                ),
            },
        }

    # ------------------------------------------------------------------ business methods

    def _action_start(self):
        self.check_access("write")
        now = fields.Datetime.now()
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Only a draft campaign can be started."))
            campaign._check_ready(now)
            campaign.state = "running" if campaign.date_start <= now else "scheduled"
        self._omni_push()

    def _action_stop(self):
        """End a running campaign now: everywhere."""
        self.check_access("write")
        if self.filtered(lambda campaign: campaign.state != "running"):
            raise UserError(self.env._("Only a running campaign can be stopped; cancel a scheduled one."))
        # The end moved to now is the pricelist rules' end too (and in the chatter).
        self.write({"state": "ended", "date_end": fields.Datetime.now()})
        self._omni_push()

    def _action_cancel(self):
        self.check_access("write")
        if self.filtered(lambda campaign: campaign.state not in ("draft", "scheduled")):
            raise UserError(
                self.env._("Only a draft or scheduled campaign can be cancelled; stop a running one.")
            )
        self.state = "cancelled"
        self._omni_push()

    def _action_draft(self):
        self.check_access("write")
        if self.filtered(lambda campaign: campaign.state not in ("ended", "cancelled")):
            raise UserError(self.env._("Only an ended or cancelled campaign can be set back to draft."))
        if self.channel_line_ids.filtered(lambda line: line._on_platform()):
            raise UserError(
                self.env._("A channel still ends this campaign's promotion: wait for it, then try again.")
            )
        self.state = "draft"
        self.pricelist_item_ids.sudo().unlink()
        self.channel_line_ids.write(
            {
                "state": "pending",
                "promotion_ref": False,
                "platform_start": False,
                "message": False,
                "accepted_count": 0,
                "refused_count": 0,
            }
        )

    def _check_ready(self, now):
        self.ensure_one()
        if self.date_end <= now:
            raise UserError(self.env._("%(campaign)s ends in the past: move its end.", campaign=self.name))
        if not self.line_ids:
            raise UserError(self.env._("Add the campaign's products first."))
        if not (self.channel_line_ids or self.pricelist_ids):
            raise UserError(self.env._("Add the channels or pricelists that get the campaign first."))
        unpriced = self.line_ids.filtered(lambda line: not line.fixed_price)
        percents = [self.discount_percent] if self.pricelist_ids else []
        percents += [line._discount() for line in self.channel_line_ids]
        if unpriced and not all(percents):
            raise UserError(
                self.env._(
                    "Give %(products)s a fixed campaign price, or the campaign (or each channel) a discount.",
                    products=", ".join(unpriced.product_id.mapped("display_name")),
                )
            )

    def _omni_changed(self):
        """What the channels and pricelists got is pushed again after an edit."""
        self.filtered(lambda campaign: campaign.state in ("scheduled", "running"))._omni_push()

    def _omni_push(self):
        """Bring the pricelist rules and each channel in line with the campaigns as they are now: the
        channels in jobs (a user never waits on a platform), then the cron woken at each start and end."""
        self._sync_pricelists()
        self.channel_line_ids._queue_sync()
        moments = [
            moment
            for campaign in self.filtered(lambda campaign: campaign.state in ("scheduled", "running"))
            for moment in (campaign.date_start, campaign.date_end)
            if moment > fields.Datetime.now()
        ]
        if moments:
            self.env.ref("omni_campaign.ir_cron_campaign_schedule").sudo()._trigger(at=moments)

    def _sync_pricelists(self):
        """The campaign's pricelist rules: one per pricelist and product, the campaign's price for its
        window while it is scheduled or running; cut at the end of an ended one; none otherwise.

        Written as superuser after the caller's check: a campaign manager need not manage pricelists.
        """
        Item = self.env["product.pricelist.item"].sudo()
        for campaign in self:
            items = campaign.pricelist_item_ids.sudo()
            # Odoo's rules include their end; a campaign's end is the first second without it.
            window = {"date_start": campaign.date_start, "date_end": campaign.date_end - timedelta(seconds=1)}
            if campaign.state == "ended":
                items.write({"date_end": window["date_end"]})
                continue
            wanted = {}
            if campaign.state in ("scheduled", "running"):
                products = campaign.line_ids.product_id
                for pricelist in campaign.pricelist_ids:
                    regular = campaign._regular_prices(pricelist, products)
                    for line in campaign.line_ids:
                        price = line._campaign_price(
                            pricelist.currency_id, regular[line.product_id.id], campaign.discount_percent
                        )
                        wanted[pricelist.id, line.product_id.id] = price
            existing = {(item.pricelist_id.id, item.product_id.id): item for item in items}
            (items - Item.browse([existing[key].id for key in wanted if key in existing])).unlink()
            to_create = []
            for (pricelist_id, product_id), price in wanted.items():
                item = existing.get((pricelist_id, product_id))
                if item:
                    item.write({**window, "fixed_price": price})
                    continue
                to_create.append(
                    {
                        **window,
                        "omni_campaign_id": campaign.id,
                        "pricelist_id": pricelist_id,
                        "applied_on": "0_product_variant",
                        "product_id": product_id,
                        "compute_price": "fixed",
                        "fixed_price": price,
                    }
                )
            Item.create(to_create)

    def _regular_prices(self, pricelist, products):
        """``{product id: price}``: the pricelist's price without any campaign's rule, rounded in its
        currency (what a price push sends the channels as their regular price)."""
        prices = pricelist.with_context(omni_campaign_regular_price=True)._get_products_price(
            products, quantity=1.0
        )
        return {product_id: pricelist.currency_id.round(price) for product_id, price in prices.items()}

    @api.model
    def _cron_run_schedule(self):
        """Start and end the campaigns whose moment has come: the platforms without a promotion window
        are told now; the others start and end by themselves, their results followed here."""
        now = fields.Datetime.now()
        starting = self.search([("state", "=", "scheduled"), ("date_start", "<=", now)])
        starting.state = "running"
        ending = self.search([("state", "=", "running"), ("date_end", "<=", now)])
        ending.state = "ended"
        (starting | ending).channel_line_ids.filtered(lambda line: not line._promotion_window())._queue_sync()
        followed = self.search([("state", "=", "running")]) | ending
        followed.channel_line_ids.filtered(lambda line: line._promotion_window())._follow_window()
        self.env["ir.cron"]._notify_progress(done=len(starting | ending), remaining=0)
        return True
