from . import sinvoice_service
from . import account_move
from . import omni_channel
from . import res_config_settings
from . import sale_order
