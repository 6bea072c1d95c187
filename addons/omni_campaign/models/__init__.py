from . import omni_campaign
from . import omni_campaign_line
from . import omni_campaign_channel
from . import omni_campaign_parity
from . import omni_channel
from . import product_pricelist
from . import product_pricelist_item
