"""The host adapter contract (DESIGN.md "Contracts"): what every hosts/<dcc> adapter provides.

An adapter reads the live scene; it never builds payloads, calls the API or opens dialogs.
Plain typing only, so host start-up code can import this for free.
"""
from typing import TYPE_CHECKING, Any, Dict, Optional

try:
    from typing import Protocol, runtime_checkable
except ImportError:  # pragma: no cover
    from typing_extensions import Protocol, runtime_checkable  # type: ignore

if TYPE_CHECKING:  # pragma: no cover
    from rv_dcc.scene.model import SceneDescription


@runtime_checkable
class HostAdapter(Protocol):
    """One DCC, seen by the core."""

    name: str  #: "maya", "3dsmax", "houdini", "cinema4d" or "blender"

    def app_version(self) -> str:
        """The host's full version string."""

    def describe_scene(self) -> "SceneDescription":
        """Read the open scene (main thread, read-only)."""

    def save_scene(self) -> None:
        """Save the open scene in place (only when the artist asks)."""

    def main_window(self) -> Optional[Any]:
        """The host's main QWidget to parent the panel to, or None (Blender, Cinema 4D)."""

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings stored in the scene (readable without the plugin); {} when none."""

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings in the scene natively."""

    def select(self, node: str) -> bool:
        """Select / frame the node a check points at; False when it cannot."""
