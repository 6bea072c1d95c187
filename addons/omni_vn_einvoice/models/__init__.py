from . import sinvoice_service
from . import account_move
from . import omni_channel
from . import pos_config
from . import pos_order
from . import pos_session
from . import res_config_settings
from . import sale_order
