import os
from datetime import timedelta
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import CampaignCase


@tagged("post_install", "-at_install", "omni_tour")
class TestCampaignTour(CampaignCase, HttpCase):
    def test_marketer_creates_and_starts_a_campaign(self):
        # The channels' jobs run in the request, for the tour to see their answers.
        with patch.dict(os.environ, {"QUEUE_JOB__NO_DELAY": "1"}):
            self.start_tour(
                "/odoo/action-omni_campaign.omni_campaign_action", "omni_campaign_tour", login="admin"
            )
        campaign = self.env["omni.campaign"].search([("name", "=", "Tết Sale")])
        self.assertEqual(campaign.state, "scheduled")
        self.assertEqual(campaign.channel_line_ids.state, "scheduled")
        self.assertIn(self.store_pricelist, campaign.pricelist_ids, "the company's pricelists by default")
        during = campaign.date_start + timedelta(minutes=1)
        self.assertEqual(self.buyer_price(self.lazada, "BAG-01", during), 96000)
        self.assertEqual(self.buyer_price(self.lazada, "BAG-01"), 120000, "not before its start")
