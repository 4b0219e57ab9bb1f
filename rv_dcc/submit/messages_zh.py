"""Simplified Chinese text of every check (rv_dcc.submit.checks / checks_farm), keyed by Issue.message_key.

Each entry is (title, hint) as ``str.format`` templates over the Issue's ``params``; node names,
paths, versions and frame specs are filled in untranslated. ``{word}`` is this host's name for a
render unit in Chinese (rv_dcc.submit.messages fills it in from ``host``). The English text in
the checks is the reference; when it changes, change the entry here too (tests/submit check that
every key has an entry and that every entry formats with the parameters the checks give).
Plain data, no imports.
"""
from typing import Dict, Tuple

#: host -> what it calls a render unit (checks.layer_word in Chinese).
LAYER_WORDS: Dict[str, str] = {"maya": "渲染层", "houdini": "ROP", "cinema4d": "Take", "blender": "视图层",
                               "3dsmax": "层"}

_SAVE_HINT = "保存场景（Ctrl+S），农场才会渲染您现在看到的内容。"
_OUTPUT_TITLE = "{label} 没有输出路径：渲染结果不会被保存"
_OVERLAP_TITLE = "{names} 都输出到 {output}"
_CAMERA_TITLE_LAYER = "{word} {unit} 没有可渲染的相机"
_CAMERA_TITLE_SCENE = "场景中没有可渲染的相机"
_CAMERA_HINT = "将一个相机设为可渲染（或设置场景相机），或在面板中选择要渲染的相机。"
_CAMERA_HINT_HOUDINI = "请设置该 ROP 的 camera 参数。"
_FRAMES_HINT = "帧的写法示例：1-100、1-100x2、1,5,10-20 或 1-10[1]。"
_MISSING_HINT = "找回该文件或重新指定 {node} 的路径{reason}；否则农场渲染时将缺少这个文件。"
_MISSING_HINT_NO_NODE = "找回该文件或重新指定引用的路径{reason}；否则农场渲染时将缺少这个文件。"

MESSAGES: Dict[str, Tuple[str, str]] = {
    "internal.check_failed": ("检查项 {check} 无法运行：{error}",
                              "请连同场景描述文件一起反馈此问题；其他检查项已正常运行。"),
    # --- scene file
    "scene.never_saved": ("场景从未保存过", "请先将场景保存为文件（文件 > 另存为），然后再提交。"),
    "scene.missing": ("场景文件不存在：{path}", "请重新保存场景，或连接场景文件所在的磁盘或共享目录。"),
    "scene.modified": ("场景有未保存的修改：农场渲染的是上次保存的文件", _SAVE_HINT),
    "scene.file_type": ("农场不支持渲染该软件的 .{ext} 文件", "请将场景另存为 {wanted} 格式。"),
    "scene.no_project": ("未设置 Maya 工程目录（workspace）",
                         "请设置工程目录（文件 > 设置项目），以便相对路径在农场上能正确解析。"),
    # --- frames
    "frames.bad_spec": ("无法识别本次提交的帧范围 {spec}", _FRAMES_HINT),
    "frames.empty_override": ("帧范围覆盖为空", "请填写帧范围（如 1-100），或清空覆盖以按各层自身的帧范围渲染。"),
    "frames.bad_layer_spec": ("无法识别{word} {layer} 的帧范围 {spec}", _FRAMES_HINT),
    "frames.bad_test_spec": ("无法识别测试帧 {spec}", _FRAMES_HINT),
    "frames.test_outside": ("测试帧 {frames} 不在渲染的帧范围内", "请在帧范围内选择测试帧，否则它们不会被优先渲染。"),
    "frames.one_per_machine": ("共 {frames} 帧，每台机器只渲染 1 帧：每台机器都要为一帧单独加载一次场景",
                               "建议每台机器渲染 {per} 帧，减少重复加载场景的时间（同时占用的机器更少，通常费用也更低）。"),
    # --- layers
    "layers.unknown": ("场景中没有名为 {names} 的{word}", "可选：{choices}。"),
    "layers.none_chosen": ("没有可渲染的内容：所选的{word}都不存在",
                           "请在场景中将至少一个{word}设为可渲染，或选择要渲染的{word}。"),
    "layers.none_renderable": ("没有可渲染的内容：没有设为可渲染的{word}",
                               "请在场景中将至少一个{word}设为可渲染，或选择要渲染的{word}。"),
    "layers.take_frames": ("各个 Take 的帧范围不同；农场会用同一帧范围渲染所有 Take",
                           "请将帧范围不同的 Take 分开提交，或用 --frames 指定帧范围。"),
    # --- cameras
    "camera.unknown": ("场景中没有名为 {names} 的相机", "可选：{choices}。"),
    "camera.none": (_CAMERA_TITLE_LAYER, _CAMERA_HINT),
    "camera.none.scene": (_CAMERA_TITLE_SCENE, _CAMERA_HINT),
    "camera.none.houdini": (_CAMERA_TITLE_LAYER, _CAMERA_HINT_HOUDINI),
    "camera.none.scene.houdini": (_CAMERA_TITLE_SCENE, _CAMERA_HINT_HOUDINI),
    "camera.duplicate": ("有多个相机都叫 {names}", "请给相机改名，确保每个名称唯一；农场按名称选择相机。"),
    # --- outputs
    "output.none": (_OUTPUT_TITLE, "请在渲染设置中设置输出路径。"),
    "output.none.3dsmax": (_OUTPUT_TITLE, "请在 渲染设置 > 公用 > 渲染输出 中勾选“保存文件”并设置输出文件。"),
    "output.none.houdini": (_OUTPUT_TITLE, "请设置该 ROP 的输出图像（output picture）参数。"),
    "output.none.cinema4d": (_OUTPUT_TITLE, "请在 渲染设置 > 保存 > 常规图像 中勾选“保存”并设置文件路径。"),
    "output.none.blender": (_OUTPUT_TITLE, "请在 输出属性 > 输出 中设置输出路径。"),
    "output.default_prefix": ("未设置文件名前缀：Maya 将以场景名命名输出图像",
                              "请在 渲染设置 > 公用 中设置前缀，例如 <Scene>/<RenderLayer>。"),
    "output.overlap": (_OVERLAP_TITLE, "请为每一项设置不同的输出路径。"),
    "output.overlap.maya": (_OVERLAP_TITLE, "请在文件名前缀中加入 <RenderLayer>（多相机时再加入 <Camera>）。"),
    "output.overlap.cinema4d": (_OVERLAP_TITLE, "请在输出路径中加入 $take，让每个 Take 输出各自的文件。"),
    "output.overlap.houdini": (_OVERLAP_TITLE, "请为每个 ROP 设置各自的输出路径（可在文件名中使用 $OS）。"),
    # --- assets
    "assets.missing": ("缺少文件（{node}）：{path}", _MISSING_HINT.format(node="{node}", reason="")),
    "assets.missing.reason": ("缺少文件（{node}）：{path}", _MISSING_HINT.format(node="{node}", reason="：{reason}")),
    "assets.missing.no_node": ("缺少文件：{path}", _MISSING_HINT_NO_NODE.format(reason="")),
    "assets.missing.no_node.reason": ("缺少文件：{path}", _MISSING_HINT_NO_NODE.format(reason="：{reason}")),
    "assets.xref": ("场景引用了 {count} 个 XRef 文件，它们会随场景一起上传", "请确认每个 XRef 文件都能单独打开。"),
    # --- software
    "software.host_missing": ("农场没有任何版本的 {host}", "该农场无法渲染此场景，请联系农场客服。"),
    "software.host_picked": ("已为 {host} {wanted} 保存的场景选择 {host} {chosen}",
                             "请先检查测试帧：场景在其他版本中打开，渲染结果可能不同。"),
    "software.host_nearest": ("农场没有 {host} {wanted}：将使用最接近的 {chosen} 渲染",
                              "请先检查测试帧，或用 {host} {chosen} 保存场景。农场提供的版本：{offered}。"),
    "software.no_renderer": ("场景未指定渲染器", "请在渲染设置中选择渲染器并保存场景。"),
    "software.plugin_picked": ("已选择 {plugin} {chosen}（场景使用的是 {wanted}）",
                               "请先检查测试帧：插件版本不同，渲染结果可能不同。"),
    "software.plugin_picked.unknown": ("已选择 {plugin} {chosen}（场景使用的版本未知）",
                                       "请先检查测试帧：插件版本不同，渲染结果可能不同。"),
    "software.plugin_nearest": ("{host} {cg_version} 没有 {plugin} {wanted}：将使用 {chosen}",
                                "请先检查测试帧，或在本机安装 {plugin} {chosen}。可用版本：{offered}。"),
    "software.plugin_nearest.unknown": ("{host} {cg_version} 无法确定 {plugin} 的版本（场景未注明）：将使用 {chosen}",
                                        "请先检查测试帧，或在本机安装 {plugin} {chosen}。可用版本：{offered}。"),
    "software.plugin_missing": ("农场没有适用于 {host} {cg_version} 的 {plugin}",
                                "请从场景中去掉对 {plugin} 的依赖，或选择带有该插件的 {host} 版本。"
                                "可用插件：{offered}。"),
    # --- paths
    "paths.relative": ("相对路径：{path}", "请改用绝对路径（或相对于场景所声明工程目录的路径），农场才能确定是哪个文件。"),
    "paths.unc": ("网络共享路径：{path}",
                  "该文件会上传到 {server}；如果渲染器在渲染时按共享名直接访问，将找不到该文件。建议改用映射盘符。"),
    "paths.too_long": ("路径超过 {limit} 个字符：{start}...", "请缩短文件夹名称，或将文件移到更靠近盘符根目录的位置。"),
    "paths.unmappable": ("{problem}：{path}", "请将文件或文件夹改用普通字符命名，然后重新指定路径。"),
    "paths.more": ("……还有 {extra} 个同类问题", ""),  # the hint is the first issue's (params["hint_key"])
    # --- render node
    "node.os_unsupported": ("{host} 只能在 Windows 节点上渲染", "请选择 Windows 渲染节点（--os windows）。"),
    "node.gpu_default": ("场景使用 GPU 渲染，但未选择 GPU 机器",
                         "请选择 GPU 机器配置（--hardware ID），渲染更快、费用更低。"),
    "node.hardware_unknown": ("没有编号为 {id} 的机器配置", "请从以下配置中选择：{known}。"),
    "node.hardware_refuses": ("机器配置 {config}：{reason}", "请选择其他机器配置，或更换软件版本。"),
    "node.ram_mismatch": ("机器配置 {config} 的内存为 {has} GB，而不是所需的 {asked} GB",
                          "请改为 {has} GB（--ram {has}），或选择其他机器配置。"),
    "node.gpu_on_cpu": ("场景使用 GPU 渲染，但 {config} 是 CPU 机器", "请选择 GPU 机器配置。"),
}

#: English phrases that reach the templates as parameter values (from rv_dcc.scene.paths, the
#: catalog's machine configurations, "none" lists), as regular expressions -> Chinese.
PHRASES: Tuple[Tuple[str, str], ...] = (
    (r"^none$", "无"),
    (r"^\(none\)$", "（无）"),
    (r"^the path is empty$", "路径为空"),
    (r"^(.+) starts with a variable that was not expanded; give the full path$", r"\1 以未展开的变量开头，请给出完整路径"),
    (r"^(.+) contains control characters \(tab, newline \.\.\.\); rename the file or folder$",
     r"\1 含有控制字符（制表符、换行等），请重命名文件或文件夹"),
    (r"^(.+) contains characters Windows cannot store \((.+)\); rename the file or folder$",
     r"\1 含有 Windows 无法保存的字符（\2），请重命名文件或文件夹"),
    (r"^this machine configuration is disabled$", "该机器配置已停用"),
    (r"^this machine configuration does not run this software$", "该机器配置不支持此软件"),
    (r"^this machine configuration does not run version (.+)$", r"该机器配置不支持 \1 版本"),
    (r"^this machine configuration does not support (.+)$", r"该机器配置不支持 \1"),
    (r"^cannot read: (.+)$", r"无法读取：\1"),
    (r"^folder (.+) does not exist$", r"文件夹 \1 不存在"),
    (r"^no file matches (.+) for frames (.+) in (.+)$", r"在 \3 中没有与 \1 匹配的文件（帧 \2）"),
    (r"^no file matches (.+) in (.+)$", r"在 \2 中没有与 \1 匹配的文件"),
    (r"^is a folder, not a file$", "这是一个文件夹，不是文件"),
    (r"^starts with a variable that was not expanded; the host must resolve it$", "以未展开的变量开头，需要由软件解析"),
    (r"^relative path and the scene has no project folder or saved file to resolve it against$",
     "相对路径，且场景没有工程目录或已保存的文件可供解析"),
)
