from . import test_campaign, test_campaign_tour
from . import test_campaign_results
