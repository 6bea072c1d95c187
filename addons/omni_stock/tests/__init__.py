from . import test_allocation
from . import test_hold
from . import test_hold_concurrency
from . import test_stock_push
from . import test_oversell
from . import test_ship_by
from . import test_click_collect
from . import test_warehouse_tour
