from . import test_security
from . import test_api_key_tour
from . import test_order_ingest
from . import test_inbox
from . import test_webhook
from . import test_concurrency
from . import test_order_file_mapper
from . import test_order_import_wizard
