from . import omni_vn_address_convert
