from . import test_names
from . import test_vn_map
from . import test_address_conversion
from . import test_channel_address
from . import test_address_tour
