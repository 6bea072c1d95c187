from . import omni_channel
from . import omni_channel_listing
from . import omni_channel_inbox
from . import omni_order_importer
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import res_config_settings
