"""Plain-Python helpers of customer identity; no ORM in here."""
