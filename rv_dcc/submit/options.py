"""SubmitOptions: what the artist chooses for one submission, as opposed to what the scene holds.

The scene description (rv_dcc.scene.model) reports facts read from the scene; these options are
the choices made in the submit dialog or on the command line: frame override, frames per machine,
test frames, priority, machine configuration, timeouts, project, labels, which layers / cameras
to render, the render node OS and the render environment. The task-file builders read both and
never change either. Frozen pydantic model: derive a changed copy with ``model_copy(update=...)``.
Imports pydantic: load lazily from host start-up code.
"""
from typing import Dict, List, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

try:
    from typing import Literal
except ImportError:  # pragma: no cover
    from typing_extensions import Literal  # type: ignore

#: Render node OS codes of task_info.os_name / renderSystem (spec/task_files.md §2).
OS_WINDOWS = "1"
OS_LINUX = "0"
OS_NAMES = {OS_WINDOWS: "Windows", OS_LINUX: "Linux"}

#: taskUserLevel values the farm accepts: 50 normal, 60 high.
PRIORITY_NORMAL = 50
PRIORITY_HIGH = 60


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TestFrames(_Frozen):
    """Priority ("test") frames rendered before the rest: first / middle / last and a custom list."""

    __test__ = False  # not a pytest test class despite the name

    first: bool = Field(default=False, description="render the first frame of each layer first")
    middle: bool = Field(default=False, description="render the middle frame first")
    last: bool = Field(default=False, description="render the last frame first")
    custom: Optional[str] = Field(default=None, description="extra test frames, any accepted frame spec, e.g. '1,50'")

    @property
    def any(self) -> bool:
        """True when any test frame is asked for."""
        return self.first or self.middle or self.last or bool((self.custom or "").strip())

    def flags(self) -> str:
        """The three-digit flag string of pre_frames: first, middle, last ("100", "000" ...)."""
        return "".join("1" if flag else "0" for flag in (self.first, self.middle, self.last))


class SubmitOptions(_Frozen):
    """The artist's choices for one submission (defaults are the farm's, spec/task_files.md §2)."""

    frames: Optional[str] = Field(default=None, description="frame override for every layer, any accepted frame spec; "
                                                    "None renders each layer's own range")
    frames_per_task: int = Field(default=1, ge=1, le=10000, description="frames rendered per machine")
    test_frames: TestFrames = Field(default_factory=TestFrames, description="priority frames rendered first")
    stop_after_test: bool = Field(default=False, description="pause the task after the test frames")
    priority: int = Field(default=PRIORITY_NORMAL, description="taskUserLevel: 50 normal, 60 high")
    hardware_config_id: Optional[int] = Field(default=None, description="machine configuration id from hardwareConfig/list")
    ram: Literal["64", "128"] = Field(default="64", description="memory per render node, GB")
    graphics_cards_num: Literal["1", "2"] = Field(default="2", description="GPUs per node (GPU configurations)")
    job_stop_time: int = Field(default=259200, ge=0, description="per-frame timeout, seconds")
    task_stop_time: int = Field(default=0, ge=0, description="whole-task timeout, seconds; 0 unlimited")
    time_out: int = Field(default=43200, ge=0, description="overtime reminder, seconds")
    project_name: str = Field(default="", description="project (label) name")
    project_id: str = Field(default="0", description="project (label) id; '0' when none")
    labels: List[str] = Field(default_factory=list, description="task labels")
    layers: Optional[List[str]] = Field(default=None, description="layers / ROPs / takes / view layers to render; "
                                                          "None renders those the scene marks renderable")
    cameras: Optional[List[str]] = Field(default=None, description="cameras to render; None uses the scene's renderable ones")
    output: Optional[str] = Field(default=None, description="output path / prefix override for every layer")
    os_name: Literal["1", "0"] = Field(default="1", description="render node OS: '1' Windows, '0' Linux")
    render_env: Optional[str] = Field(default=None, description="name of the user render environment to use or create")
    cg_version: Optional[str] = Field(default=None, description="host version picked from the farm's catalog; "
                                                         "None matches the scene's version (exact, else nearest)")
    plugin_versions: Dict[str, str] = Field(default_factory=dict, description="plugin name -> version picked from "
                                                                      "the catalog; absent plugins are matched")
    enable_layered: bool = Field(default=True, description="one sub-task per layer / ROP / take")
    tiles_type: Literal["block", "strip"] = "block"
    tiles: int = Field(default=1, ge=1, le=256, description="tiles per frame (stills)")
    distribute_render: bool = Field(default=False, description="Houdini distributed render")
    distribute_render_node: int = Field(default=3, ge=1, le=64, description="nodes of a distributed render")
    budget: Optional[float] = Field(default=None, gt=0, description="most this submission may cost, in the account's "
                                                             "currency; the task is stopped when its projected or "
                                                             "real cost passes it (rv_dcc.monitor.budget); None: no budget")

    @field_validator("priority")
    @classmethod
    def _priority(cls, value: int) -> int:
        if value not in (PRIORITY_NORMAL, PRIORITY_HIGH):
            raise ValueError(f"priority must be {PRIORITY_NORMAL} (normal) or {PRIORITY_HIGH} (high), not {value}")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: List[str]) -> List[str]:
        return [label.strip() for label in value if label.strip()]

    @property
    def os_label(self) -> str:
        """'Windows' or 'Linux'."""
        return OS_NAMES[self.os_name]
