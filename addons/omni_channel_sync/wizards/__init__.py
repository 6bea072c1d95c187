from . import omni_api_key_issue
