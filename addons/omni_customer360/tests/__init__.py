from . import test_customer_menu
