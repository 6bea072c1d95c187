import logging
from datetime import datetime, timezone
from functools import partial

from odoo import api, fields, models
from odoo.addons.omni_channel_sync.connectors.errors import ChannelError
from odoo.addons.omni_channel_sync.connectors.registry import adapter_can, platform
from odoo.addons.omni_channel_sync.models.advisory_locks import check_current, try_work_lock
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Refused SKUs named in a channel's message; the counts say how many in all.
MESSAGE_SKUS = 10


class OmniCampaignChannel(models.Model):
    """A marketplace or store in a campaign: the promotion it was given and what it answered."""

    _name = "omni.campaign.channel"
    _description = "Campaign Channel"
    _order = "campaign_id, id"
    _check_company_auto = True

    campaign_id = fields.Many2one("omni.campaign", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    channel_id = fields.Many2one("omni.channel", required=True, check_company=True, index=True)
    discount_percent = fields.Float(string="Discount (%)", help="This channel's discount; 0: the campaign's.")
    flash_sale = fields.Boolean(
        string="Flash Sale",
        help="On Shopee: the shop's flash sale in Shopee's first time slot within the campaign's window, "
        "each product's campaign stock its reserved quantity (else what the channel may offer now), "
        "instead of a discount over the whole window.",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
            ("ended", "Ended"),
            ("failed", "Failed"),
        ],
        default="pending",
        required=True,
        readonly=True,
        copy=False,
    )
    promotion_ref = fields.Char(
        string="Promotion Reference", readonly=True, copy=False, help="The platform's id of the promotion."
    )
    platform_start = fields.Datetime(
        string="Platform Start",
        readonly=True,
        copy=False,
        help="When the platform starts the promotion: later than the campaign where its rules say so.",
    )
    platform_end = fields.Datetime(
        string="Platform End",
        readonly=True,
        copy=False,
        help="When the platform ends the promotion: earlier than the campaign where its rules say so "
        "(a Shopee flash sale ends with its time slot).",
    )
    message = fields.Text(readonly=True, copy=False, help="What the channel accepted and refused.")
    last_sync = fields.Datetime(string="Last Sync", readonly=True, copy=False)
    accepted_count = fields.Integer(string="Accepted", readonly=True, copy=False)
    refused_count = fields.Integer(string="Refused", readonly=True, copy=False)

    _sql_constraints = [
        ("channel_uniq", "UNIQUE(campaign_id, channel_id)", "A channel is once in a campaign."),
        (
            "discount_range",
            "CHECK(discount_percent >= 0 AND discount_percent < 100)",
            "A discount is at least 0% and below 100%.",
        ),
    ]

    @api.constrains("channel_id")
    def _check_channel_promotes(self):
        for line in self:
            channel = line.channel_id
            if not all(
                adapter_can(channel.channel_type, call) for call in ("push_promotion", "end_promotion")
            ):
                raise ValidationError(
                    self.env._(
                        "%(channel)s cannot take a campaign: Odoo has no promotion API for %(type)s "
                        "channels. The website, the stores (POS) and the back office get the campaign "
                        "through its pricelists.",
                        channel=channel.name,
                        type=dict(channel._fields["channel_type"]._description_selection(self.env)).get(
                            channel.channel_type
                        ),
                    )
                )

    @api.constrains("channel_id", "flash_sale")
    def _check_flash_sale(self):
        for line in self.filtered("flash_sale"):
            entry = platform(line.channel_id.channel_type)
            if not (entry and getattr(entry.adapter, "FLASH_SALES", False)):
                raise ValidationError(
                    self.env._(
                        "%(channel)s has no flash sales Odoo can set: only Shopee's shop flash sales are.",
                        channel=line.channel_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda line: line.campaign_id.state in ("scheduled", "running"))._queue_sync()
        return lines

    def write(self, vals):
        if "flash_sale" in vals:
            for line in self.filtered(lambda line: line.flash_sale != vals["flash_sale"]):
                if line._on_platform():
                    raise UserError(
                        self.env._(
                            "%(channel)s has the campaign's promotion already: stop or cancel the "
                            "campaign before changing it to or from a flash sale.",
                            channel=line.channel_id.name,
                        )
                    )
        result = super().write(vals)
        if {"discount_percent", "flash_sale"} & set(vals):
            self.filtered(lambda line: line.campaign_id.state in ("scheduled", "running"))._queue_sync()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_on_platform(self):
        for line in self:
            if line._on_platform():
                raise UserError(
                    self.env._(
                        "%(channel)s has the campaign's promotion: stop or cancel the campaign first.",
                        channel=line.channel_id.name,
                    )
                )

    def action_retry(self):
        self.check_access("write")
        self._queue_sync()
        return True

    # ------------------------------------------------------------------ the channel's promotion

    def _queue_sync(self):
        """Bring each channel in line with its campaign in a job; one waiting job per channel line,
        which reads the campaign as it is when it runs."""
        for line in self:
            line.with_delay(channel="root.omni", identity_key=f"omni_campaign_sync_{line.id}")._sync_job()

    def _sync_job(self):
        line = self.sudo()  # the channel's credentials and listings are the system's, whoever asked
        cr = self.env.cr
        # One push of a promotion at a time: two at once would create it twice.
        if not try_work_lock(cr, "omni_campaign_sync", line.id) or not check_current(
            cr, "omni_campaign_channel", line.id
        ):
            raise RetryableJobError("The campaign channel is being synchronized", seconds=10)
        try:
            line._sync()
        except ChannelError as error:
            failure = {"state": "failed", "message": str(error), "last_sync": fields.Datetime.now()}
            if error.promotion_ref:  # made before the failure: the retry completes it
                failure["promotion_ref"] = error.promotion_ref
            if error.retryable and line.channel_id._omni_job_retries_left():
                # The retry rolls this transaction back: the line shows the trouble meanwhile.
                cr.postrollback.add(partial(_keep, self.env.registry, line.id, failure))
                raise RetryableJobError(str(error)) from error
            line.write(failure)
            line.campaign_id.message_post(
                body=self.env._(
                    "%(channel)s refused the campaign: %(error)s", channel=line.channel_id.name, error=error
                )
            )
        return line.message

    def _sync(self):
        """Make the platform's promotion what the campaign is now: created or updated while it is
        scheduled or running (a platform without promotion windows waits for the start), ended after."""
        self.ensure_one()
        campaign = self.campaign_id
        window = self._promotion_window()
        if campaign.state in ("ended", "cancelled"):
            if self._on_platform():
                results = self.channel_id._call_adapter("end_promotion", self._promotion())
                self._record(results, "ended")
            elif self.state != "ended":
                self.write({"state": "ended" if campaign.state == "ended" else "pending"})
            return
        if campaign.state == "scheduled" and not window:
            self.write(
                {
                    "state": "pending",
                    "message": self.env._(
                        "%(channel)s has no scheduled promotions: Odoo gives it the campaign's prices "
                        "when the campaign starts.",
                        channel=self.channel_id.name,
                    ),
                }
            )
            return
        if campaign.state not in ("scheduled", "running"):
            return
        answer = self.channel_id._call_adapter("push_promotion", self._promotion())
        ref = answer.get("ref") or self.promotion_ref or False
        if ref != self.promotion_ref:
            # Kept before anything else can fail: a retry must update this promotion, not create one.
            self.env.cr.postrollback.add(partial(_keep, self.env.registry, self.id, {"promotion_ref": ref}))
            self.promotion_ref = ref
        self.platform_start = _moment(answer.get("start")) or campaign.date_start
        self.platform_end = _moment(answer.get("end")) or campaign.date_end
        live = not window or self.platform_start <= fields.Datetime.now()
        self._record(answer["results"], "live" if live else "scheduled")

    def _promotion(self):
        """The promotion as the adapters take it: the campaign's window, whether it is a flash sale,
        and one entry per listed product: its regular price on the channel, its campaign price and
        its campaign stock (the units reserved, else what the allocation offers the channel now)."""
        self.ensure_one()
        campaign, channel = self.campaign_id, self.channel_id
        lines = {line.product_id: line for line in campaign.line_ids}
        listings = self.env["omni.channel.listing"].search(
            [("channel_id", "=", channel.id), ("product_id", "in", [product.id for product in lines])]
        )
        pricelist = channel.pricelist_id
        regular = campaign._regular_prices(pricelist, listings.product_id)
        entries = []
        for listing in listings:
            price = regular[listing.product_id.id]
            promotion_price = lines[listing.product_id]._campaign_price(
                pricelist.currency_id, price, self._discount()
            )
            stock = int(lines[listing.product_id].reserved_qty or listing.available_to_sell)
            entries.append(listing._push_entry(price=price, promotion_price=promotion_price, stock=stock))
        return {
            "name": campaign.name,
            "ref": self.promotion_ref or "",
            "start": _epoch(campaign.date_start),
            "end": _epoch(campaign.date_end),
            "flash_sale": self.flash_sale,
            "entries": entries,
        }

    def _record(self, results, state):
        """Keep the channel's answer: the counts, the refused SKUs in its words, and the state (failed
        when it took none)."""
        refused = [result for result in results if not result["ok"]]
        accepted = len(results) - len(refused)
        message = self.env._(
            "%(accepted)s product(s) accepted, %(refused)s refused.", accepted=accepted, refused=len(refused)
        )
        message += "".join(
            f"\n{result['sku']}: {result['error'] or self.env._('Refused')}"
            for result in refused[:MESSAGE_SKUS]
        )
        unlisted = (
            self.campaign_id.line_ids.product_id
            - self.env["omni.channel.listing"]
            .search(
                [
                    ("channel_id", "=", self.channel_id.id),
                    ("product_id", "in", self.campaign_id.line_ids.product_id.ids),
                ]
            )
            .product_id
        )
        if unlisted and state != "ended":
            message += "\n" + self.env._(
                "Not listed on the channel: %(products)s.",
                products=", ".join(unlisted.mapped("display_name")),
            )
        if state != "ended" and results and not accepted:
            state = "failed"
        self.write(
            {
                "state": state,
                "message": message,
                "accepted_count": accepted,
                "refused_count": len(refused),
                "last_sync": fields.Datetime.now(),
            }
        )

    def _follow_window(self):
        """The promotions the platforms start and end by themselves, followed as time passes."""
        now = fields.Datetime.now()
        for line in self:
            over = line.campaign_id.state == "ended" or (line.platform_end and line.platform_end <= now)
            if over and line.state in ("scheduled", "live"):
                line.state = "ended"
            elif line.state == "scheduled" and line.platform_start and line.platform_start <= now:
                line.state = "live"

    def _promotion_window(self):
        """Whether the platform starts and ends a promotion at the times given (else Odoo does it)."""
        entry = platform(self.channel_id.channel_type)
        return bool(entry) and getattr(entry.adapter, "PROMOTION_WINDOW", False)

    def _on_platform(self):
        """Whether the platform may have the promotion, to be ended: one it took (a store's sale
        prices have no reference), or a failed one it took before or whose prices Odoo set."""
        self.ensure_one()
        if self.state == "failed":
            return bool(self.promotion_ref or self.accepted_count) or not self._promotion_window()
        return (bool(self.promotion_ref) and self.state != "ended") or self.state in ("scheduled", "live")

    def _platform_window(self):
        """When the platform runs the campaign: from the start it gave (later than the campaign's
        where its rules say so) to its end (earlier for a flash sale), within the campaign's window;
        the campaign's window until the platform answered."""
        self.ensure_one()
        campaign = self.campaign_id
        return (
            max(campaign.date_start, self.platform_start or campaign.date_start),
            min(campaign.date_end, self.platform_end or campaign.date_end),
        )

    def _discount(self):
        return self.discount_percent or self.campaign_id.discount_percent


def _epoch(moment):
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def _moment(epoch):
    """The UTC datetime Odoo stores for a platform's ``epoch`` (None: None)."""
    return epoch and datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)


def _keep(registry, line_id, values):
    """After a rollback, keep ``values`` of the campaign channel (its promotion's reference, the
    trouble it shows while its job waits to try again)."""
    try:
        with registry.cursor() as cr:
            assignments = SQL(", ").join(
                SQL("%s = %s", SQL.identifier(name), value) for name, value in values.items()
            )
            cr.execute(SQL("UPDATE omni_campaign_channel SET %s WHERE id = %s", assignments, line_id))
    except Exception:
        # Raised here, it would hide the error that rolled the transaction back.
        _logger.exception("Campaign channel %s could not be saved", line_id)
