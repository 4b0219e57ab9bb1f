# c4d.plugins, written from https://developers.maxon.net/docs/Cinema4DPythonSDK/modules/c4d.plugins/index.html
# (RegisterCommandPlugin(id, str, info, icon, help, dat) -> bool: "True if the plugin was registered").
from typing import Any, Optional

class CommandData:
    def Execute(self, doc: Any) -> bool: ...

def RegisterCommandPlugin(id: int, str: str, info: int, icon: Optional[Any], help: str, dat: CommandData) -> bool: ...
