"""What one Cinema 4D take renders: frames (RDATA_FRAMESEQUENCE), camera, output paths, engine plug-in.

A take's render data and camera may come from a parent take (``GetEffectiveRenderData`` /
``GetEffectiveCamera``: "the camera used by the Take even if it comes from a parent Take");
the frame range follows the render settings' Frame Range mode (manual From/To, current frame,
all frames of the document, preview range); output paths go through Cinema 4D's token system
as the render does (``c4d.modules.tokensystem.FilenameConvertTokens`` with the document, render
data, take and frame, as deadline-cloud-for-cinema-4d's scene.py does) and relative ones are
taken from the document's folder. Read-only.
"""
import os
from typing import Any, Dict, Optional, Tuple

import c4d
from c4d import documents
from c4d.modules import takesystem, tokensystem

#: third-party render engine plug-in ids -> name (the built-in ones come from c4d constants);
#: ids as deadline-cloud-for-cinema-4d's scene.py RendererNames lists them
ENGINE_IDS = {1036219: "Redshift", 1029525: "Octane", 1029988: "Arnold", 1030480: "Corona",
              1053272: "V-Ray", 1035287: "Cycles 4D"}


def frames(doc: documents.BaseDocument, rd: Any, fps: int) -> Tuple[int, int, int]:
    """(start, end, step) the render data renders, by its Frame Range mode."""
    mode = rd[c4d.RDATA_FRAMESEQUENCE]
    step = max(1, int(rd[c4d.RDATA_FRAMESTEP] or 1))
    if mode == c4d.RDATA_FRAMESEQUENCE_CURRENTFRAME:
        frame = doc.GetTime().GetFrame(fps)
        return frame, frame, 1
    if mode == c4d.RDATA_FRAMESEQUENCE_ALLFRAMES:
        return doc.GetMinTime().GetFrame(fps), doc.GetMaxTime().GetFrame(fps), step
    if mode == c4d.RDATA_FRAMESEQUENCE_PREVIEWRANGE:
        return doc.GetLoopMinTime().GetFrame(fps), doc.GetLoopMaxTime().GetFrame(fps), step
    return rd[c4d.RDATA_FRAMEFROM].GetFrame(fps), rd[c4d.RDATA_FRAMETO].GetFrame(fps), step


def camera(take: takesystem.BaseTake, data: takesystem.TakeData) -> Optional[c4d.BaseObject]:
    """The camera a take renders through, inherited from its parents; None = the scene camera."""
    found: Any = take.GetEffectiveCamera(data)
    return found[0] if isinstance(found, tuple) else found  # (camera, take that sets it)


def expand(doc: documents.BaseDocument, rd: Any, take: Optional[takesystem.BaseTake], path: str, frame: int) -> str:
    """``path`` with its tokens ($prj, $take, $camera, $rs, $res...) replaced as the render does,
    made absolute from the document's folder when relative; '' for an empty path."""
    if not path:
        return ""
    data: Dict[str, Any] = {"_doc": doc, "_rData": rd, "_rBc": rd.GetDataInstance(), "_frame": frame}
    if take is not None:
        data["_take"] = take
    expanded = str(tokensystem.FilenameConvertTokens(path, data) or path)
    folder = doc.GetDocumentPath()
    if folder and not os.path.isabs(expanded):
        expanded = os.path.join(folder, expanded[2:] if expanded.startswith(("./", ".\\")) else expanded)
    return os.path.normpath(expanded) if folder else expanded


def engine_plugin(engine_id: int) -> Optional[str]:
    """The plug-in a third-party render engine needs on the farm (None for the built-in engines)."""
    return ENGINE_IDS.get(engine_id)
