from . import webhook
from . import rpc
