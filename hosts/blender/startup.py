"""What Blender runs when the rv_dcc add-on or extension is enabled: menu entry, panel, operators.

This module is imported at Blender start-up, so it imports nothing but ``bpy`` and the standard
library (no requests, pydantic or Qt; a test holds it to that and to a few milliseconds). The
work lives in modules loaded when the artist first uses something: ``launch`` (the Qt panel in
its own process), ``live`` (task progress and thumbnails, polled off the main thread).
"""
from typing import Any, Optional

import bpy

_config_dir: Optional[str] = None  # folder of the installed add-on (holds rv_dcc_config.json)


class RVDCC_OT_submit(bpy.types.Operator):
    """Check this scene and send it to Fox Renderfarm (opens the rv_dcc panel in its own window)"""

    bl_idname = "rv_dcc.submit"
    bl_label = "Submit to Fox Renderfarm\u2026"
    bl_options = {"REGISTER"}

    def execute(self, context: Any) -> set:
        from rv_dcc.i18n import set_host_language, text
        from rv_dcc_hosts.blender import adapter, launch, live

        set_host_language(bpy.app.translations.locale)  # Blender's interface language, passed on to the panel
        blender = adapter.BlenderAdapter()
        try:
            description = adapter.describe_dict()
            _process, settings_file = launch.launch_panel(description, blender.load_settings(), _config_dir)
        except Exception as exc:  # a missing Python or an unreadable scene: tell the artist, keep going
            import logging  # here, not at the top: logging alone would double this module's start-up cost

            logging.getLogger("rv_dcc.hosts.blender").warning("cannot open the rv_dcc panel: %s", exc)
            self.report({"ERROR"}, str(exc))
            return {"CANCELLED"}
        live.watch_settings(launch.SettingsWatcher(settings_file))
        live.ensure_poller()
        if not description["scene_saved"]:
            self.report({"WARNING"}, text("blender.unsaved"))
        else:
            self.report({"INFO"}, text("blender.opening"))
        return {"FINISHED"}


class RVDCC_OT_refresh(bpy.types.Operator):
    """Ask the farm for this scene's tasks now"""

    bl_idname = "rv_dcc.refresh"
    bl_label = "Refresh Fox Renderfarm Tasks"

    def execute(self, context: Any) -> set:
        from rv_dcc_hosts.blender import live

        live.ensure_poller().poll_now()
        return {"FINISHED"}


class RVDCC_PT_tasks(bpy.types.Panel):
    """Fox Renderfarm tasks of this scene, with progress and the latest frame."""

    bl_label = "Fox Renderfarm"
    bl_space_type = "PROPERTIES"
    bl_region_type = "WINDOW"
    bl_context = "render"
    bl_options = {"DEFAULT_CLOSED"}  # closed: nothing is polled until the artist opens it

    def draw(self, context: Any) -> None:
        from rv_dcc_hosts.blender import live

        live.draw(self.layout)


def _menu(self: Any, context: Any) -> None:
    self.layout.separator()
    self.layout.operator(RVDCC_OT_submit.bl_idname, icon="EXPORT")


CLASSES = (RVDCC_OT_submit, RVDCC_OT_refresh, RVDCC_PT_tasks)


def register(config_dir: Optional[str] = None) -> None:
    """Register the operators, the Render-menu entry and the task panel."""
    global _config_dir
    _config_dir = config_dir
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    bpy.types.TOPBAR_MT_render.append(_menu)


def unregister() -> None:
    """Undo ``register``; stops polling if it was started."""
    import sys

    live = sys.modules.get("rv_dcc_hosts.blender.live")
    if live is not None:
        live.shutdown()
    bpy.types.TOPBAR_MT_render.remove(_menu)
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
