from . import omni_api_key_issue
from . import omni_listing_match
from . import omni_order_import
from . import omni_channel_connect
from . import omni_cancellation_reject
