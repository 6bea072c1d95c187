from . import res_country_state
from . import omni_vn_ward
from . import omni_vn_ward_map
from . import res_partner
