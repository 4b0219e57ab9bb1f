"""Fox Renderfarm (rv_dcc) add-on for Blender 3.3-4.1: a thin shim over rv_dcc_hosts.blender.

Installed by ``rv-dcc install blender``, which puts rv_dcc and its dependencies in the add-ons'
``modules`` folder. Nothing heavy is imported here: ``register`` loads the start-up module,
which costs a few milliseconds and pulls in no network or Qt code.
"""
import os

bl_info = {
    "name": "Fox Renderfarm (rv_dcc)",
    "author": "rv_dcc",
    "version": (0, 1, 0),
    "blender": (3, 3, 0),
    "location": "Render menu > Submit to Fox Renderfarm; Properties > Render > Fox Renderfarm",
    "description": "Submit the scene to Fox Renderfarm / Renderbus and watch it render",
    "category": "Render",
}


def register():
    try:
        from rv_dcc_hosts.blender import startup
    except ImportError as exc:
        # Blender shows this in Preferences and the console, and stays usable
        raise ImportError("rv_dcc is not installed for Blender's Python (%s). "
                          "Run `rv-dcc install blender` and restart Blender." % exc) from exc
    startup.register(config_dir=os.path.dirname(os.path.abspath(__file__)))


def unregister():
    import sys

    startup = sys.modules.get("rv_dcc_hosts.blender.startup")
    if startup is not None:
        startup.unregister()
