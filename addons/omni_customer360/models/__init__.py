from . import omni_customer_identity
from . import omni_customer_blocked_value
from . import res_partner
