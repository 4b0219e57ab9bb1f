"""The host adapter contract (DESIGN.md "Contracts"): what a hosts/<dcc> adapter provides, one
capability at a time.

An adapter reads the live scene; it never builds payloads, calls the API or opens dialogs. As in
ayon-core's host interfaces (``IWorkfileHost``, ``ILoadHost``...), each capability is its own
runtime-checkable Protocol, and the core asks ``isinstance(adapter, SceneSaver)`` before it offers
what needs one -- never ``hasattr``: the check names the contract, and the checker then knows the
methods' signatures. Every adapter of hosts/ implements them all (:class:`HostAdapter`); a
partial one (a test double, a studio's own host) gets the panel's features it supports.

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
class Host(Protocol):
    """Any host: what it is called and which release runs."""

    name: str  #: "maya", "3dsmax", "houdini", "cinema4d" or "blender"

    def app_version(self) -> str:
        """The host's full version string."""


@runtime_checkable
class SceneDescriber(Protocol):
    """Reads the open scene."""

    def describe_scene(self) -> "SceneDescription":
        """Read the open scene (main thread, read-only)."""


@runtime_checkable
class SceneSaver(Protocol):
    """Saves the open scene (the "Save scene" fix)."""

    def save_scene(self) -> None:
        """Save the open scene in place (only when the artist asks)."""


@runtime_checkable
class WindowProvider(Protocol):
    """Has a main window to parent the panel to."""

    def main_window(self) -> Optional[Any]:
        """The host's main QWidget to parent the panel to, or None (Blender, Cinema 4D)."""


@runtime_checkable
class SettingsKeeper(Protocol):
    """Keeps the panel's settings in the scene file."""

    def load_settings(self) -> Dict[str, Any]:
        """Panel settings stored in the scene (readable without the plugin); {} when none."""

    def store_settings(self, settings: Dict[str, Any]) -> None:
        """Store the panel settings in the scene natively."""


@runtime_checkable
class NodeSelector(Protocol):
    """Selects what a check points at (the "Select" fix)."""

    def select(self, node: str) -> bool:
        """Select / frame the node a check points at; False when it cannot."""


@runtime_checkable
class HostAdapter(Host, SceneDescriber, SceneSaver, WindowProvider, SettingsKeeper, NodeSelector, Protocol):
    """One DCC, seen by the core: every capability (what each adapter of hosts/ implements)."""
