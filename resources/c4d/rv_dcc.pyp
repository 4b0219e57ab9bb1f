"""rv_dcc's Cinema 4D plug-in: an Extensions menu command that opens the render-farm panel.

Cinema 4D loads this file at start-up from its plugins folder (`rv-dcc install c4d` puts it
there with rv_dcc in ./site-packages). Cinema 4D ships no Qt and a nested Qt loop hangs it, so
the command describes the document here and opens the panel in its own process
(rv_dcc_hosts.c4d.entry). Importing it costs milliseconds: nothing heavy loads before a click.
"""
import os
import sys

import c4d

#: Placeholder id from Maxon's development range; a registered plug-in id must replace it.
PLUGIN_ID = 1000010
HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "site-packages")


class RvDccOpenPanel(c4d.plugins.CommandData):
    """Menu command: describe the active document and open the panel beside Cinema 4D."""

    def Execute(self, doc):
        try:
            from rv_dcc_hosts.c4d import entry

            if entry.open_panel(doc, plugin_dir=HERE) is None:
                c4d.gui.MessageDialog("rv_dcc does not know which Python runs its panel.\n"
                                      "Run `rv-dcc install c4d` again, or set RV_DCC_PYTHON.")
        except Exception as exc:  # keep Cinema 4D usable whatever happens (LESSONS.md #5)
            c4d.gui.MessageDialog("rv_dcc could not open its panel: %s" % exc)
        return True


if __name__ == "__main__":
    if SITE not in sys.path:  # plug-in local packages, as Maxon's plug-in examples do
        sys.path.insert(0, SITE)
    c4d.plugins.RegisterCommandPlugin(id=PLUGIN_ID, str="Render Farm...", info=0, icon=None,
                                      help="Send this document to the render farm", dat=RvDccOpenPanel())
