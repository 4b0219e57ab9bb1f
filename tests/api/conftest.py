"""Fixtures of the client tests; the loopback stub itself lives in api_stub.py.

Test modules import helpers from ``api_stub`` (a unique name): importing ``conftest`` by name
picks whichever conftest.py happens to be first on sys.path.
"""
from api_stub import farm, make_api, api  # noqa: F401  (pytest fixtures)
