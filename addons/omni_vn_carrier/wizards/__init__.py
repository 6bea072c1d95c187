from . import omni_carrier_cod_import
