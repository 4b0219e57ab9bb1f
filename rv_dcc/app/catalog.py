"""Which catalog a submission reads: the farm's, or the snapshot bundled with rv_dcc.

A dry run on a machine with no account (and no ``--domain``) reads the bundled snapshot
(rv_dcc/submit/catalog_snapshot.json): no server, no network. Everything else reads the catalog of
the farm it connects to. The embedded farm's own data is never read directly.
"""
from typing import Any, Optional, Tuple

from rv_dcc.app.connect import FarmAddress, connect, has_account
from rv_dcc.submit.catalog_source import ApiCatalogSource, CatalogSource, SnapshotCatalogSource


def catalog_source(api: Any = None) -> CatalogSource:
    """The farm's catalog through ``api``; the bundled snapshot when there is no connection."""
    return ApiCatalogSource(api) if api is not None else SnapshotCatalogSource()


def dry_run_catalog(address: FarmAddress) -> Tuple[CatalogSource, Optional[Any]]:
    """(source, api or None) for a dry run: the live farm when one is named or an account is
    configured, else the bundled snapshot (then no connection is made)."""
    if address.domain or has_account():
        api = connect(address)
        return ApiCatalogSource(api), api
    return SnapshotCatalogSource(), None
