"""rv_dcc.monitor: what the panel and the CLI know about tasks on the farm, without Qt.

``source`` (the farm as the monitor sees it), ``changes`` (snapshots and change sets by id),
``poller`` (what to fetch, when, and which replies are stale), ``thumbs`` (thumbnail disk
cache), ``cost`` (cost so far and projected), ``autodownload`` (outputs as frames finish),
``budget`` (a submission's budget, enforced by whatever watches), ``funds`` (balance and prices
from the profile), ``outcome`` (where a task ended and the next command), ``notify`` (desktop
notifications), ``taskbook`` (small per-task records: budgets, download folders).
Nothing is imported here: each submodule loads on first use.
"""
