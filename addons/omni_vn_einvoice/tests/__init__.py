from . import test_einvoice
from . import test_einvoice_tour
from . import test_einvoice_pos
