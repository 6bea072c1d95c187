from . import omni_channel_report
