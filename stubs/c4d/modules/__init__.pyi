# c4d.modules: only the take system is used (https://developers.maxon.net/docs/Cinema4DPythonSDK/modules/c4d.modules/takesystem/index.html)
from . import takesystem as takesystem
from . import tokensystem as tokensystem
