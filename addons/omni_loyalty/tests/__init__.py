from . import test_loyalty_menu
from . import test_loyalty_ledger
from . import test_loyalty_concurrency
