"""Plain-Python pieces that talk to channels and transform their data; no ORM in here."""
