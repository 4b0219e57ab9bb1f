"""Moving files to and from the farm's storage, behind one interface (``TransferEngine``).

Two engines: :mod:`.http` speaks the embedded farm's HTTP transfer endpoint (resumable by
offset, parallel, deduplicated by content hash; downloads resumed with Range into
``<name>.part``), and :mod:`.transmitter` runs the live service's ``rayvision_transmitter``
program. :func:`engine_for` picks the right one from the farm's transfer configuration
(``getConfig``). Importing this package loads nothing heavy.
"""
import logging
from typing import Any, Optional

from rv_dcc.transfer.base import (Cancelled, CancelToken, Progress, ProgressEvent, RemoteFile,
                                  TransferEngine, TransferError, UploadItem, UploadResult)

log = logging.getLogger("rv_dcc.transfer")

__all__ = ["Cancelled", "CancelToken", "Progress", "ProgressEvent", "RemoteFile", "TransferEngine",
           "TransferError", "UploadItem", "UploadResult", "engine_for"]


def engine_for(api: Any, *, user_id: Optional[str] = None, transmitter: Optional[str] = None,
               workers: int = 4) -> TransferEngine:
    """The engine for the farm ``api`` talks to.

    The embedded farm announces its HTTP endpoint in ``getConfig`` (see :func:`.http.endpoint_from_config`);
    any other farm gets ``rayvision_transmitter`` (``transmitter`` path, else RV_DCC_TRANSMITTER,
    else an installed rayvision_sync). Raises TransferError with what to install when neither fits.
    """
    from rv_dcc.api.replies import to_wire as raw
    from rv_dcc.transfer import http
    from rv_dcc.transfer.transmitter import TransmitterEngine, TransmitterSettings, find_transmitter

    config = raw(api.transmit.get_transfer_config()) or {}
    endpoint = http.endpoint_from_config(config, api)
    if endpoint is not None:
        log.info("using the embedded farm's transfer endpoint %s", endpoint)
        return http.HttpTransferEngine(endpoint, workers=workers)
    program = find_transmitter(transmitter)
    if program is None:
        raise TransferError("rayvision_transmitter, the farm's transfer program, was not found",
                            hint="Install it with `pip install rayvision-sync`, or set RV_DCC_TRANSMITTER "
                                 "to the program's path.")
    if not user_id:
        profile = raw(api.user.query_user_profile())
        user_id = str(profile["userId"]) if isinstance(profile, dict) and profile.get("userId") is not None else ""
    settings = TransmitterSettings.from_transfer_config(config, user_id)
    return TransmitterEngine(program, settings)
