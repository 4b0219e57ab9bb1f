"""rv_dcc's Cinema 4D plug-in: an Extensions menu command that opens the render-farm panel.

Cinema 4D loads this file at start-up from its plugins folder (`rv-dcc install c4d` puts it
there with rv_dcc in ./site-packages). Cinema 4D ships no Qt and a nested Qt loop hangs it, so
the command describes the document here and opens the panel in its own process
(rv_dcc_hosts.c4d.entry). Importing it costs milliseconds: nothing heavy loads before a click.
The plug-in id comes from rv_dcc_hosts.c4d.ids (one id for the command and the document data);
a development id or an id another plug-in already took is reported in the console, never silent.
"""
import os
import sys

import c4d

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


def register():
    """Register the menu command; False (and a console message naming the id) when that fails."""
    from rv_dcc_hosts.c4d import ids

    if ids.is_development_id():
        print("rv_dcc: plug-in id %d is one of Maxon's development ids (1000001-1000010); another plug-in "
              "using it clashes with rv_dcc. Release builds use a registered id." % ids.PLUGIN_ID)
    # RegisterCommandPlugin returns False when it fails, e.g. when the id is already registered
    ok = c4d.plugins.RegisterCommandPlugin(id=ids.PLUGIN_ID, str="Render Farm...", info=0, icon=None,
                                           help="Send this document to the render farm", dat=RvDccOpenPanel())
    if not ok:
        print("rv_dcc: could not register its menu command with plug-in id %d: another plug-in uses this "
              "id. Remove that plug-in or install an rv_dcc release with a registered id." % ids.PLUGIN_ID)
    return bool(ok)


if __name__ == "__main__":
    if SITE not in sys.path:  # plug-in local packages, as Maxon's plug-in examples do
        sys.path.insert(0, SITE)
    register()
