"""The live service's transfer program, ``rayvision_transmitter``, behind TransferEngine.

The service moves files with closed engines (Raysync, Aspera) that the official SDK ships as a
command-line program inside the ``rayvision-sync`` wheel (spec/task_files.md §5). This module
finds that program (``RV_DCC_TRANSMITTER``, an installed ``rayvision_sync`` package, or PATH),
builds its command line as an ARGUMENT LIST (never a shell string: paths with spaces, quotes or
``&`` stay data), runs it once per file so each finished file can be journalled, reads its
progress lines, maps its exit codes (0 done, 1/10 retry, 9 bad parameters or domain, 11 files that
cannot be moved) and stops it on cancellation. Argument lists are logged with anything secret
redacted. Downloads land in a hidden staging folder and are renamed into place only when the
program reports success, so no half-written file ever carries its final name.
"""
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

from rv_dcc.retry import RetryPolicy
from rv_dcc.transfer.base import (Cancelled, Progress, RemoteFile, TransferEngine, TransferError,
                                  UnsafePathError, UploadItem, UploadResult, local_facts, local_target,
                                  relative_name)

log = logging.getLogger("rv_dcc.transfer.transmitter")

ENV_TRANSMITTER = "RV_DCC_TRANSMITTER"
STAGING = ".rv_dcc_partial"
#: Exit codes of rayvision_transmitter (its usage text and rayvision_sync's handling of them).
RETRY_CODES = frozenset({1, 10})
_BYTES_RE = re.compile(r"(\d+)\s*/\s*(\d+)\s*(?:bytes|B)\b", re.IGNORECASE)
_PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_FAIL_RE = re.compile(r"fail|error", re.IGNORECASE)


def find_transmitter(configured: Optional[str] = None) -> Optional[List[str]]:
    """The argv prefix that runs rayvision_transmitter, or None when it is nowhere.

    Looked for, in order: ``configured``; ``RV_DCC_TRANSMITTER``; the ``transmission/<os>/``
    folder of an installed ``rayvision_sync`` package; ``rayvision_transmitter`` on PATH. A
    ``.py`` path is run with this Python (stand-ins and wrappers).
    """
    candidates: List[str] = [c for c in (configured, os.environ.get(ENV_TRANSMITTER)) if c]
    spec = None
    try:
        spec = importlib.util.find_spec("rayvision_sync")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        base = Path(list(spec.submodule_search_locations)[0]) / "transmission"
        if os.name == "nt":
            candidates.append(str(base / "windows" / "rayvision_transmitter.exe"))
        else:
            candidates.append(str(base / "linux" / "rayvision_transmitter"))
    on_path = shutil.which("rayvision_transmitter")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        if not Path(candidate).is_file():
            log.debug("transmitter candidate %s does not exist", candidate)
            continue
        if candidate.endswith(".py"):
            return [sys.executable, candidate]
        return [candidate]
    return None


def redact_argv(argv: Sequence[str], secrets: Iterable[str] = ()) -> List[str]:
    """A copy of ``argv`` fit for a log: known secrets and values of password-like flags hidden."""
    hidden = {s for s in secrets if s}
    out: List[str] = []
    hide_next = False
    for arg in argv:
        if hide_next or arg in hidden:
            out.append("***")
            hide_next = False
            continue
        for secret in hidden:
            if secret in arg:
                arg = arg.replace(secret, "***")
        out.append(arg)
        hide_next = arg.lower() in ("-w", "--password", "--pass", "--key", "--token")
    return out


@dataclass
class TransmitterSettings:
    """Where and as whom the program connects (from getConfig / getBid / the profile)."""

    engine: str                 #: "aspera" or "raysync"
    host: str
    port: str
    user_id: str
    input_bid: str
    output_bid: str
    speed_limit_kbs: int = 1048576
    retries: int = 2
    network_mode: str = "2"      #: raysync: 0 udp then tcp, 1 udp, 2 tcp
    resume_db: Optional[str] = None  #: the program's -C ini (resume database), "None" when absent
    secrets: List[str] = field(default_factory=list, repr=False)  #: values to redact from logs

    @classmethod
    def from_transfer_config(cls, config: Dict, user_id: str) -> "TransmitterSettings":
        """Pick the default engine and its default line from a ``getConfig`` answer."""
        engines = config.get("resqEngines") or []
        if not engines:
            raise TransferError("the farm's transfer configuration lists no engine",
                                hint="Contact the farm's support; uploads are impossible until it does.")
        engine = next((e for e in engines if int(e.get("isDefault") or 0) == 1), engines[0])
        lines = engine.get("respTaskEngineLines") or []
        if not lines:
            raise TransferError(f"the transfer engine {engine.get('engineName')} has no server line")
        line = next((x for x in lines if int(x.get("isDefault") or 0) == 1), lines[0])
        name = str(engine.get("engineName") or "raysync").lower()
        secrets = [str(a.get("password")) for a in (engine.get("resqEngineAccounts") or []) if a.get("password")]
        input_bid = config.get("parentInputBid") or config.get("inputBid")
        return cls(engine="aspera" if "aspera" in name else "raysync", host=str(line.get("server")),
                   port=str(line.get("port")), user_id=str(user_id), input_bid=str(input_bid),
                   output_bid=str(config.get("outputBid")), secrets=secrets)


def build_argv(program: Sequence[str], settings: TransmitterSettings, transmit_type: str, local: str,
               remote: str, storage_bid: str, keep_path: bool = False) -> List[str]:
    """The exact command line of spec/task_files.md §5, as a list."""
    return [*program,
            "-E", settings.engine, "-H", settings.host, "-P", str(settings.port), "-S", str(storage_bid),
            "-U", str(settings.user_id), "-T", transmit_type, "-L", local, "-R", remote,
            "-r", str(settings.retries), "-K", "true" if keep_path else "false",
            "-s", str(settings.speed_limit_kbs), "-C", settings.resume_db or "None", "-p", settings.network_mode]


class _ProgramFailed(TransferError):
    """A run of the transfer program that ended with exit code ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class TransmitterEngine(TransferEngine):
    """Runs rayvision_transmitter once per file (uploads) or per remote path (downloads)."""

    name = "rayvision_transmitter"

    def __init__(self, program: Sequence[str], settings: TransmitterSettings, *, attempts: int = 3,
                 retry_wait: float = 2.0, env: Optional[Dict[str, str]] = None) -> None:
        self.program = list(program)
        self.settings = settings
        self.attempts = attempts
        self.retry_wait = retry_wait
        self.env = env

    # --- running the program -------------------------------------------------------------------
    def _run(self, argv: List[str], progress: Optional[Progress], file: str, size: int) -> None:
        """Run once per attempt; returns on exit code 0, raises TransferError / Cancelled otherwise.

        Exit codes 1 and 10 are tried again (``attempts`` in all, waiting ``retry_wait`` s, then
        twice as long each time; the wait ends when the progress's token is cancelled).
        """
        state = {"reported": 0}

        def attempt() -> None:
            log.info("running %s", " ".join(redact_argv(argv, self.settings.secrets)))
            code, errors, state["reported"] = self._run_once(argv, progress, file, size, state["reported"])
            if code == 0:
                return
            detail = "; ".join(redact_argv(errors[-3:], self.settings.secrets)) or f"exit code {code}"
            if code == 9:
                raise TransferError(f"the transfer program rejected its parameters for {file}: {detail}",
                                    hint="Check the farm domain and the transfer line (getConfig); retrying will not help.")
            if code == 11:
                raise TransferError(f"{file} cannot be transferred: {detail}",
                                    hint="Check that the file exists and is readable, then resume.")
            raise _ProgramFailed(f"the transfer of {file} failed ({detail})", code)

        def retrying(number: int, error: Exception, delay: float) -> None:
            log.warning("transfer of %s failed (exit %s), retrying (%d/%d)", file, getattr(error, "code", None),
                        number, policy.attempts)

        policy = RetryPolicy(attempts=max(1, self.attempts), backoff=self.retry_wait)
        policy.run(attempt, retry_if=lambda error: isinstance(error, _ProgramFailed) and error.code in RETRY_CODES,
                   cancel=None if progress is None else progress.cancel_token, on_retry=retrying,
                   on_cancel=lambda error: Cancelled("cancelled"))

    def _run_once(self, argv: List[str], progress: Optional[Progress], file: str, size: int,
                  reported: int):
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=self.env, text=True, encoding="utf-8", errors="replace", bufsize=1)
        errors: List[str] = []
        state = {"reported": reported}
        stop = threading.Event()

        def watch_cancel() -> None:
            # The reader blocks on the pipe; a second thread kills the program when cancelled.
            while not stop.wait(0.1):
                if progress is not None and progress.cancel_token.cancelled:
                    proc.terminate()
                    return

        watcher = threading.Thread(target=watch_cancel, name="rv_dcc-transmitter-cancel", daemon=True)
        watcher.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                line = line.strip()
                if not line:
                    continue
                log.debug("transmitter: %s", redact_argv([line], self.settings.secrets)[0])
                done = _parse_bytes(line, size)
                if done is not None and progress is not None and done > state["reported"]:
                    try:
                        progress.add_bytes(done - state["reported"], file)
                    except Cancelled:
                        proc.terminate()
                        raise
                    state["reported"] = done
                elif _FAIL_RE.search(line):
                    errors.append(line)
            code = proc.wait()
        finally:
            stop.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if progress is not None and progress.cancel_token.cancelled:
            raise Cancelled("cancelled")
        return code, errors, state["reported"]

    # --- TransferEngine ------------------------------------------------------------------------
    def upload(self, items: Sequence[UploadItem], progress: Optional[Progress] = None,
               on_done: Optional[Callable[[UploadResult], None]] = None) -> List[UploadResult]:
        """Upload each file to its server path on the input storage, one program run per file."""
        results: List[UploadResult] = []
        for item in items:
            size, md5 = local_facts(item, progress)
            argv = build_argv(self.program, self.settings, "upload_path", item.local, item.server,
                              self.settings.input_bid, keep_path=False)
            self._run(argv, progress, item.server, size)
            result = UploadResult(item, md5, size, "uploaded")
            results.append(result)
            if on_done is not None:
                on_done(result)
            if progress is not None:
                progress.file_done(item.server)
        return results

    def download(self, files: Sequence[RemoteFile], local_dir: Path, progress: Optional[Progress] = None,
                 on_done: Optional[Callable[[Path], None]] = None) -> List[Path]:
        """Download each remote file into a staging folder, then rename it into ``local_dir``."""
        local_dir = Path(local_dir)
        staging = local_dir / STAGING
        done: List[Path] = []
        refused: List[UnsafePathError] = []
        for remote in files:
            try:
                final = local_target(local_dir, remote.path)  # refuses a name that would leave local_dir
            except UnsafePathError as exc:  # never handed to the program; the other files still come
                refused.append(exc)
                continue
            rel = relative_name(remote.path)
            if final.is_file() and (remote.size is None or final.stat().st_size == remote.size):
                done.append(final)  # finished by an earlier run: a final name means a complete file
                if progress is not None:
                    progress.add_bytes(final.stat().st_size, rel)
                    progress.file_done(rel)
                continue
            target_dir = local_target(staging, rel).parent
            target_dir.mkdir(parents=True, exist_ok=True)
            argv = build_argv(self.program, self.settings, "download_path", str(target_dir), "/" + rel,
                              self.settings.output_bid, keep_path=False)
            self._run(argv, progress, rel, remote.size or 0)
            staged = target_dir / Path(rel).name
            if not staged.is_file():
                raise TransferError(f"the transfer program reported success but {rel} did not arrive")
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
            done.append(final)
            if on_done is not None:
                on_done(final)
            if progress is not None:
                progress.file_done(rel)
        shutil.rmtree(staging, ignore_errors=True)
        if refused:
            raise UnsafePathError(f"{refused[0].message}" + (f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""))
        return done


def _parse_bytes(line: str, size: int) -> Optional[int]:
    """Bytes done from a progress line ("1048576/4194304 bytes" or "25.0%"), else None."""
    match = _BYTES_RE.search(line)
    if match:
        return int(match.group(1))
    match = _PERCENT_RE.search(line)
    if match and size > 0 and not _FAIL_RE.search(line):
        return int(size * min(100.0, float(match.group(1))) / 100.0)
    return None

