"""How the simulated Shopee refuses a call (its error envelope's code and message), and the check of
a call's JSON body every call makes."""

from .platform import parameter_problem


class ShopeeError(Exception):
    def __init__(self, status, error, message):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def check_body(body, spec, required):
    """A body Shopee refuses: a field it does not know, of the wrong JSON type, or missing."""
    problem = parameter_problem(body, spec, json_body=True)
    missing = [name for name in required if name not in body]
    if problem or missing:
        detail = problem or f"{missing[0]} is required"
        raise ShopeeError(200, "error_param", f"Wrong parameters, detail: {detail}.")
