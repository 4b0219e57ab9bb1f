"""The composition root: where rv_dcc's parts are wired to a concrete farm.

Everything that needs to know *which* farm to talk to lives here, and only here:

- :mod:`rv_dcc.app.connect` -- the account (arguments, RAYVISION_API_* variables, the saved
  account) or, with none, the embedded farm; typed :class:`~rv_dcc.app.connect.FarmAddress`
  instead of command-line namespaces. Called by the CLI (``rv_dcc.commands``), the panel and the
  hosts (``rv_dcc_hosts``).
- :mod:`rv_dcc.app.catalog` -- which :class:`~rv_dcc.submit.catalog_source.CatalogSource` a
  submission reads: the farm's answers, or the snapshot bundled with rv_dcc when there is no
  account.
- :mod:`rv_dcc.app.local_farm` -- the embedded farm (``rv_dcc.farm``) as a tool: ``rv-dcc farm``,
  ``rv-dcc demo`` and the panel's screenshots start it through here.
- :mod:`rv_dcc.app.panel` -- the Qt panel inside a host, connected.

No other rv_dcc package imports ``rv_dcc.farm`` (an import-linter contract in pyproject.toml; see
docs/ARCHITECTURE.md). Importing this package loads nothing.
"""
