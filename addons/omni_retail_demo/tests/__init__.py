from . import test_demo_shop
from . import test_screenshots
