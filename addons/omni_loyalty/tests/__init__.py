from . import test_loyalty_menu
