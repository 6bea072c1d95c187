from . import omni_loyalty_liability_report
