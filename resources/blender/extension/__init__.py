"""Fox Renderfarm (rv_dcc) extension for Blender 4.2+: a thin shim over rv_dcc_hosts.blender.

rv_dcc, rv_dcc_hosts and their dependencies arrive as the wheels listed in
blender_manifest.toml (Blender installs them when the extension is enabled). ``register``
loads the start-up module only: no network or Qt code runs when Blender starts.
"""
import os


def register():
    try:
        from rv_dcc_hosts.blender import startup
    except ImportError as exc:
        raise ImportError("rv_dcc's wheels are not installed (%s). "
                          "Reinstall with `rv-dcc install blender` and restart Blender." % exc) from exc
    startup.register(config_dir=os.path.dirname(os.path.abspath(__file__)))


def unregister():
    import sys

    startup = sys.modules.get("rv_dcc_hosts.blender.startup")
    if startup is not None:
        startup.unregister()
