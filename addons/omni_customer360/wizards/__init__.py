from . import base_partner_merge_automatic_wizard
from . import omni_customer_merge
