from . import delivery_carrier, omni_carrier_cod_line, omni_carrier_event, sale_order, stock_picking
