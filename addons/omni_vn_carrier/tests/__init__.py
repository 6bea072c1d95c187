from . import test_carrier
