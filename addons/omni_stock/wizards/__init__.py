from . import omni_stock_allocation_preview
