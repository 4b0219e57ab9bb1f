"""SceneDescription: what a host adapter reports about the open scene (DESIGN.md "Data flows").

Frozen pydantic models, JSON round-trip, with a schema version. The description holds facts read
from the scene and nothing decided by the artist for the submission (that is the submit options).
Paths are kept exactly as the scene writes them (native separators, tokens unexpanded); the
asset scanner expands tokens and finds files on disk later. Imports pydantic: load it lazily.
"""
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from rv_dcc.scene.frames import Frames, parse_frames

try:  # Python 3.9 has typing.Literal; keep the import in one place
    from typing import Literal
except ImportError:  # pragma: no cover
    from typing_extensions import Literal  # type: ignore

SCHEMA_VERSION = 1

Host = Literal["maya", "3dsmax", "houdini", "cinema4d", "blender"]
LayerKind = Literal["render_layer", "rop", "take", "view_layer"]
AssetKind = Literal[
    "texture", "reference", "library", "cache", "volume", "font", "sound", "ocio", "xref",
    "proxy", "image_sequence", "script", "other",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _not_blank(value: str) -> str:
    """Reject empty / whitespace-only names: a nameless layer or camera cannot be shown or selected."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class Plugin(_Frozen):
    """A plugin or renderer add-on the scene needs, with the version the artist has."""

    name: str = Field(description="plugin name as the host knows it, e.g. 'mtoa', 'vrayformaya', 'redshift'")
    version: str = Field("", description="installed version, e.g. '5.3.4'; empty when unknown")

    _name_not_blank = field_validator("name")(_not_blank)


class Resolution(_Frozen):
    """Output image size."""

    width: int = Field(ge=1, le=65536)
    height: int = Field(ge=1, le=65536)
    percentage: int = Field(100, ge=1, le=10000, description="Blender's resolution percentage; 100 elsewhere")


class Output(_Frozen):
    """Where and how the frames are written."""

    path: str = Field("", description="output directory or prefix as the scene writes it (tokens kept)")
    prefix: str = Field("", description="file name prefix / pattern, e.g. Maya's '<Scene>/<RenderLayer>'")
    format: str = Field("", description="image format, e.g. 'exr', 'png', 'OPEN_EXR'")


class Camera(_Frozen):
    """A camera in the scene."""

    name: str
    renderable: bool = Field(False, description="marked to render (Maya renderable, scene camera, ...)")

    _name_not_blank = field_validator("name")(_not_blank)


class Layer(_Frozen):
    """A unit that renders on its own: Maya render layer, Houdini ROP, C4D take, Blender view layer."""

    name: str = Field(description="layer / take / view layer name, or the ROP's full node path")
    kind: LayerKind
    renderable: bool = True
    node_type: str = Field("", description="ROP type (ifd, karma, Redshift_ROP, rop_geometry, ...) or layer type")
    option: str = Field("-1", description="Houdini: -1 render, 0 simulation/cache, 1 distributed simulation")
    cameras: List[str] = Field(default_factory=list, description="cameras this layer renders")
    frames: Optional[str] = Field(None, description="per-layer frame override, any accepted frame spec")
    renderer: Optional[str] = Field(None, description="per-layer renderer when it differs from the scene's")
    resolution: Optional[Resolution] = None
    output: Optional[Output] = None
    depends_on: List[str] = Field(default_factory=list, description="names of layers/ROPs that must run first")

    _name_not_blank = field_validator("name")(_not_blank)


class AssetRef(_Frozen):
    """An external file the scene uses, with where it came from (for messages and 'select culprit')."""

    path: str = Field(description="the path as written in the scene, tokens unexpanded (####, <UDIM>, $F4 ...)")
    node: str = Field("", description="node / object / datablock that references it")
    attribute: str = Field("", description="attribute or parameter holding the path")
    kind: AssetKind = "other"
    resolved: Optional[str] = Field(None, description="absolute path when the host already resolved it")

    _path_not_blank = field_validator("path")(_not_blank)


class SceneDescription(_Frozen):
    """Everything the submission needs to know about the open scene."""

    schema_version: int = Field(SCHEMA_VERSION, description="bumped on incompatible changes")
    host: Host
    host_version: str = Field(description="full host version, e.g. '2024.2', '20.5.370', '4.2.1'")
    scene_file: str = Field("", description="absolute path of the saved scene; empty when never saved")
    scene_saved: bool = Field(True, description="False when the scene has unsaved changes")
    project_dir: str = Field("", description="Maya workspace / Houdini $JOB / project folder")
    renderer: str = Field("", description="scene renderer, e.g. 'arnold', 'vray', 'CYCLES', 'Redshift'")
    renderer_version: str = ""
    plugins: List[Plugin] = Field(default_factory=list)
    frame_start: int = 1
    frame_end: int = 1
    frame_step: int = Field(1, ge=1)
    fps: float = Field(24.0, gt=0)
    resolution: Resolution = Resolution(width=1920, height=1080)
    output: Output = Output()
    cameras: List[Camera] = Field(default_factory=list)
    layers: List[Layer] = Field(default_factory=list)
    assets: List[AssetRef] = Field(default_factory=list)
    render_layer_type: str = Field("0", description="Maya: '0' legacy render layers, '1' Render Setup")
    settings: Dict[str, Any] = Field(default_factory=dict,
                                     description="host-specific extras (engine device, gamma, takes, element list, ...)")

    @field_validator("schema_version")
    @classmethod
    def _known_schema(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be 1 or more")
        if value > SCHEMA_VERSION:
            raise ValueError("{} is newer than this rv_dcc understands ({}); update rv_dcc".format(
                value, SCHEMA_VERSION))
        return value

    @field_validator("frame_end")
    @classmethod
    def _end_not_before_start(cls, value: int, info: ValidationInfo) -> int:
        start = info.data.get("frame_start")
        if start is not None and value < start:
            raise ValueError("the last frame ({}) is before the first frame ({})".format(value, start))
        return value

    @property
    def frames(self) -> Frames:
        """The scene's frame range as :class:`~rv_dcc.scene.frames.Frames` (start-end every step)."""
        return Frames.from_range(self.frame_start, self.frame_end, self.frame_step)

    def layer_frames(self, layer: Layer) -> Frames:
        """The frames ``layer`` renders: its own override when set, else the scene's range.

        Raises :class:`~rv_dcc.scene.frames.FrameSpecError` when the override is not a valid spec.
        """
        if layer.frames is not None and layer.frames.strip():
            return parse_frames(layer.frames)
        return self.frames

    def to_json(self) -> str:
        """Stable JSON text (the format of description files)."""
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> "SceneDescription":
        """Parse a description file; raises pydantic.ValidationError naming the field."""
        return cls.model_validate_json(text)
