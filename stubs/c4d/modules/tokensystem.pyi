# c4d.modules.tokensystem, written from
# https://developers.maxon.net/docs/Cinema4DPythonSDK/modules/c4d.modules/tokensystem/index.html
# ("FilenameConvertTokens(path, rpData): Converts tokenized path string to standard string by
# replacing all Tokens with correct values if found"; rpData is a RenderPathData dictionary).
from typing import Any, Dict

def FilenameConvertTokens(path: str, rpData: Dict[str, Any]) -> str: ...
def StringConvertTokens(path: str, rpData: Dict[str, Any]) -> str: ...
