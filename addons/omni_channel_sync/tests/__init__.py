from . import test_security
from . import test_api_key_tour
