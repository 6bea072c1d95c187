"""Plain-Python pieces that talk to channels and transform their data; no ORM in here.

The registry comes first: each platform folder's entry is built of its classes.
"""

from . import registry
