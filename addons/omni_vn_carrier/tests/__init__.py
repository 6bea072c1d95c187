from . import test_carrier, test_carrier_tour
