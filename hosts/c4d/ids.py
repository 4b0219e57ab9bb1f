"""rv_dcc's Cinema 4D plug-in id: one number for the menu command (rv_dcc.pyp) and the document container.

Maxon hands out unique plug-in ids (developers.maxon.net > Support > Plugin IDs) and keeps
1000001-1000010 for development and testing only: two plug-ins that register the same id clash
and one of them does not load. rv_dcc has no registered id yet, so PLUGIN_ID is a development id
until the release step in README ("Cinema 4D plug-in id") is done; rv_dcc.pyp says so in the
console at every start and names the clash when the registration fails. Standard library only.
"""
#: the id in use; replace it with the id registered at developers.maxon.net before a release
PLUGIN_ID = 1000010
#: the ids Maxon leaves for development and testing
DEVELOPMENT_IDS = range(1000001, 1000011)


def is_development_id(plugin_id: int = PLUGIN_ID) -> bool:
    """True while the id is one of Maxon's development ids (not for a release)."""
    return plugin_id in DEVELOPMENT_IDS
