"""Helpers of the submit tests: the catalog fixture, descriptions, synthetic scans, real files."""
import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from rv_dcc.scene.assets import AssetScan, FoundFile, MissingAsset
from rv_dcc.scene.model import AssetRef, SceneDescription
from rv_dcc.submit.catalog import HOST_CG_IDS, Catalog

HERE = Path(__file__).parent
CATALOG_FILE = HERE / "fixtures" / "catalog.json"
SAMPLES = HERE.parent.parent / "resources" / "samples"
HOSTS = ("maya", "3dsmax", "houdini", "cinema4d", "blender")


def catalog_bundle() -> Dict[str, Any]:
    """The saved farm answers (a snapshot of the embedded farm's data plus two user render envs)."""
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def catalog_for(host: str, os_name: str = "1") -> Catalog:
    """The fixture catalog of one host."""
    return Catalog.from_dict(catalog_bundle(), cg_id=HOST_CG_IDS[host], os_name=os_name)


_BASE: Dict[str, Dict[str, Any]] = {
    "maya": {"host": "maya", "host_version": "2024.2", "renderer": "arnold", "plugins": [{"name": "mtoa", "version": "5.3.4"}],
             "output": {"prefix": "<Scene>/<RenderLayer>", "format": "exr"},
             "cameras": [{"name": "perspShape"}, {"name": "camShape", "renderable": True}],
             "layers": [{"name": "defaultRenderLayer", "kind": "render_layer", "renderable": True}]},
    "3dsmax": {"host": "3dsmax", "host_version": "2024", "renderer": "V-Ray 6",
               "plugins": [{"name": "vray", "version": "6.20.00"}], "output": {"path": "D:/out/a_.exr", "format": "exr"},
               "cameras": [{"name": "Camera001", "renderable": True}]},
    "houdini": {"host": "houdini", "host_version": "20.5.370", "renderer": "Redshift",
                "plugins": [{"name": "redshift", "version": "2025.4.1"}],
                "cameras": [{"name": "/obj/cam1", "renderable": True}],
                "layers": [{"name": "/out/rs1", "kind": "rop", "option": "-1", "cameras": ["/obj/cam1"],
                            "output": {"path": "$HIP/render/a.$F4.exr"}}]},
    "cinema4d": {"host": "cinema4d", "host_version": "2024.4.0", "renderer": "Redshift",
                 "plugins": [{"name": "redshift", "version": "2025.2.0"}], "output": {"path": "D:/out/$take/a", "format": "PNG"},
                 "cameras": [{"name": "Camera", "renderable": True}],
                 "layers": [{"name": "Main", "kind": "take", "renderable": True}]},
    "blender": {"host": "blender", "host_version": "4.2.3", "renderer": "CYCLES",
                "output": {"path": "//render/f_####", "format": "PNG"},
                "cameras": [{"name": "Camera", "renderable": True}],
                "layers": [{"name": "ViewLayer", "kind": "view_layer", "renderable": True}]},
}
_EXT = {"maya": ".ma", "3dsmax": ".max", "houdini": ".hip", "cinema4d": ".c4d", "blender": ".blend"}


def make_desc(host: str, folder: Optional[Path] = None, **overrides: Any) -> SceneDescription:
    """A valid description of ``host`` whose scene file is real when ``folder`` is given."""
    data = json.loads(json.dumps(_BASE[host]))
    data.update(frame_start=1, frame_end=10)
    if folder is not None:
        scene = folder / ("shot" + _EXT[host])
        scene.write_text("scene", encoding="utf-8")
        data.update(scene_file=str(scene), project_dir=str(folder))
    else:
        data.update(scene_file="/mnt/proj/shot" + _EXT[host], project_dir="/mnt/proj")
    data.update(overrides)
    return SceneDescription.model_validate(data)


def scene_entry(desc: SceneDescription, md5: str = "0" * 32) -> FoundFile:
    """A FoundFile for the scene itself (synthetic scans)."""
    return FoundFile(path=desc.scene_file, size=1, mtime_ns=0, md5=md5,
                     ref=AssetRef(path=desc.scene_file, node="scene", attribute="scene_file"))


def synthetic_scan(desc: SceneDescription, found: List[str] = (), missing: List[int] = (),
                   scene: bool = True) -> AssetScan:
    """A scan without the disk: ``found`` paths (ref = first asset), ``missing`` asset indexes."""
    ref = desc.assets[0] if desc.assets else AssetRef(path="/x")
    return AssetScan(found=[FoundFile(path=p, size=1, mtime_ns=0, md5="1" * 32, ref=ref) for p in found],
                     missing=[MissingAsset(ref=desc.assets[i], expanded=desc.assets[i].path, reason="no such file")
                              for i in missing],
                     scene=scene_entry(desc) if scene else None)


def write_files(root: Path, names: List[str]) -> List[str]:
    """Create small real files under ``root``; their absolute paths."""
    out = []
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode("utf-8"))
        out.append(str(path))
    return out
