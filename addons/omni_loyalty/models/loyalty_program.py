from odoo import fields, models
from odoo.tools import float_round


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    omni_is_default = fields.Boolean(
        string="Default Omnichannel Program",
        help="The loyalty program every channel earns and spends points in through the API.",
    )
    omni_earn_rate = fields.Float(
        string="API Points per 1,000 Spent",
        default=1.0,
        help="Points a customer earns for every 1,000 of the company currency spent that an"
        " integrator reports through the API on a channel without a rule of its own. Orders earn"
        " what the program's rules give.",
    )
    omni_points_validity_months = fields.Integer(
        string="Points Validity (Months)",
        default=12,
        help="Months after which earned points expire; 0 means they never expire.",
    )
    omni_tier_ids = fields.One2many("omni.loyalty.tier", "program_id", string="Tiers")
    omni_tier_basis = fields.Selection(
        [("spend", "Net Spend"), ("points", "Earned Points")],
        string="Tiers Qualify On",
        default="spend",
        required=True,
        help="What the tiers' thresholds measure over the qualifying window: the amount spent net of"
        " returns, or the points earned net of reversals (never the balance).",
    )
    omni_tier_window_months = fields.Integer(
        string="Qualifying Window (Months)",
        default=12,
        help="The rolling window of net spend or earned points the tiers look at.",
    )
    omni_earn_rule_ids = fields.One2many("omni.loyalty.earn.rule", "program_id", string="Channel Rules")

    _sql_constraints = [
        ("omni_earn_rate_positive", "CHECK(omni_earn_rate >= 0)", "The earn rate cannot be negative."),
        (
            "omni_points_validity_positive",
            "CHECK(omni_points_validity_months >= 0)",
            "The points validity cannot be negative.",
        ),
        (
            "omni_tier_window_positive",
            "CHECK(omni_tier_window_months > 0)",
            "The qualifying window must last at least one month.",
        ),
    ]

    def _omni_earn_rule(self, channel):
        """The rule orders of ``channel`` earn by: the channel's own, else the every-channel one;
        none means the program's own rate."""
        self.ensure_one()
        rules = self.omni_earn_rule_ids
        return (
            rules.filtered(lambda r: r.channel_id == channel)[:1]
            or rules.filtered(lambda r: not r.channel_id)[:1]
        )

    def _omni_earn_weight(self, rule, lines):
        """What ``lines`` weigh for earning: their amounts times their categories' multipliers."""
        return sum(amount * (rule._multiplier(category) if rule else 1.0) for amount, category in lines)

    def _omni_returned_share(self, channel, lines):
        """The share (0 to 1) of an order's earn that its returns and refunds undo, its lines
        weighed as they weighed for earning.

        :param lines: ``[(amount, product.category or False, returned ratio)]`` of the goods
        """
        self.ensure_one()
        rule = self._omni_earn_rule(channel)
        total = self._omni_earn_weight(rule, [(amount, category) for amount, category, _ratio in lines])
        if total <= 0:
            return 0.0
        returned = self._omni_earn_weight(
            rule, [(amount * ratio, category) for amount, category, ratio in lines]
        )
        return min(returned / total, 1.0)

    def _omni_earn_points(self, channel, lines, points=None, multiplier=1.0):
        """The one computation of earned points, for orders and API calls alike: what the program's
        own rules give, with the channel's rule and the customer's tier on top.

        :param channel: ``omni.channel``, empty for back-office orders
        :param lines: ``[(amount, product.category or False)]``: what was bought, net of seller and
            platform discounts, shipping left out
        :param points: what the program's rules give the order (Odoo's engine: the same in sales,
            PoS and website); None for a spend reported without an order (the API), which earns the
            channel rule's rate per 1,000 (the program's rate without a rule)
        :param multiplier: the customer's tier multiplier
        :return: ``(points, amount)``, ``amount`` being the net spend the points are for
        """
        self.ensure_one()
        rule = self._omni_earn_rule(channel)
        amount = max(sum(amount for amount, _category in lines), 0.0)
        if rule and amount < rule.minimum_amount:
            return 0.0, amount
        if points is None:
            points = amount * (rule.rate if rule else self.omni_earn_rate) / 1000.0
        elif rule:
            points *= rule.multiplier
        if rule and amount:
            # Category multipliers weigh the points by the share of the spend they cover.
            points *= self._omni_earn_weight(rule, lines) / amount
        # Rounded first near the float's precision, so that a product of exact factors never loses
        # a hundredth to rounding down.
        points = float_round(points * multiplier, precision_digits=6)
        return float_round(points, precision_digits=2, rounding_method="DOWN"), amount
