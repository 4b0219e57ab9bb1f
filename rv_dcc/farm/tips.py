"""Analysis "tips" codes and their explanations in English and Chinese (queryAnalyseErrorDetail).

Pure data plus one lookup. ``type`` 1 is an error that blocks submission, 0 a warning the
artist may ignore (spec/wire.md §6). The farm refuses ``submit/task`` when tips.json holds a
type-1 code.
"""
from typing import Any, Dict, List, Optional

# code -> (type, English description, English solution, Chinese description, Chinese solution)
TIPS: Dict[str, tuple] = {
    "10012": (0, "Missing file: the scene references files that were not found",
              "Check the listed paths; put the files back or repath them, then resubmit",
              "缺少文件：场景引用的文件不存在", "检查列出的路径，恢复或重新指定文件后再提交"),
    "10018": (0, "Missing Alembic cache file", "Export or repath the Alembic (.abc) caches listed",
              "缺少 Alembic 缓存文件", "重新导出或重新指定列出的 Alembic (.abc) 缓存"),
    "10025": (0, "The scene uses XRef files", "XRef files are uploaded with the scene; make sure they open on their own",
              "场景使用了 XRef 文件", "XRef 文件会随场景上传，请确认它们可以单独打开"),
    "10028": (0, "Missing VDB file", "Repath or regenerate the OpenVDB (.vdb) files listed",
              "缺少 VDB 文件", "重新指定或重新生成列出的 OpenVDB (.vdb) 文件"),
    "15000": (1, "Starting the software got stuck or failed",
              "Check for start-up dialogs of that software version and the system permissions",
              "启动3ds max卡住或者失败", "1.检查启用对应版本的3ds max是否有特殊弹窗，有的话手动关闭；\n2.检查操作系统是否设置了高级别的权限"),
    "15002": (1, "Reading the scene information failed", "Open and save the scene again, then resubmit",
              "获取场景信息失败", "重新打开并保存场景后再提交"),
    "15004": (1, "The renderer is not supported by the farm", "Switch to a supported renderer or version",
              "渲染器不被支持", "切换到平台支持的渲染器或版本"),
    "15005": (1, "The renderer is missing", "Install the renderer the scene uses, or pick one in the render settings",
              "缺少渲染器", "安装场景使用的渲染器，或在渲染设置中选择渲染器"),
    "15006": (1, "No renderable camera", "Make at least one camera renderable",
              "没有可渲染的相机", "至少设置一个可渲染的相机"),
    "15013": (0, "The scene was saved by another version of the software",
              "Pick the farm's software version that matches the one that saved the scene",
              "场景由其他版本的软件保存", "选择与保存场景的软件版本一致的平台版本"),
    "15015": (0, "Duplicate camera names", "Rename cameras so that every name is unique",
              "相机名称重复", "重命名相机，使每个名称唯一"),
    "15019": (1, "The software version was not found on the farm", "Choose a version from the farm's software list",
              "平台上找不到该软件版本", "从平台的软件列表中选择版本"),
    "15024": (1, "The scene file is missing", "Save the scene to disk before submitting",
              "场景文件不存在", "提交前先把场景保存到磁盘"),
}

_UPDATED = 1534387709000


def is_blocking(code: str) -> bool:
    """True when the tips code is an error that blocks submission (type 1)."""
    entry = TIPS.get(str(code))
    return bool(entry and entry[0] == 1)


def describe(code: str, language: int = 0) -> Optional[Dict[str, Any]]:
    """One CodeInfo item for ``code`` in ``language`` (0 Chinese, 1 English), or None when unknown."""
    entry = TIPS.get(str(code))
    if entry is None:
        return None
    kind, en_desc, en_sol, cn_desc, cn_sol = entry
    english = language == 1
    return {
        "id": sorted(TIPS).index(str(code)) + 1, "code": str(code), "type": kind, "languageFlag": 1 if english else 0,
        "desDescriptionCn": en_desc if english else cn_desc, "desSolutionCn": en_sol if english else cn_sol,
        "solutionPath": f"https://www.foxrenderfarm.com/help/analysis-{code}.html", "isRepair": 0,
        "isDelete": 1, "isOpen": kind, "lastModifyAdmin": "", "updateTime": _UPDATED,
    }


def describe_many(codes: List[str], language: int = 0) -> List[Dict[str, Any]]:
    """CodeInfo items for the known codes among ``codes`` (unknown codes are left out, as the service does)."""
    items = []
    for code in codes:
        info = describe(code, language)
        if info is not None:
            items.append(info)
    return items
