from . import test_campaign, test_campaign_tour
