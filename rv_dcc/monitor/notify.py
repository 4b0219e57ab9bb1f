"""A desktop notification where the platform has one; never an error where it has none.

- Linux: ``notify-send`` (libnotify) when it is on PATH;
- macOS: ``osascript -e 'display notification ...'`` (AppleScript, Standard Additions);
- Windows: a toast through PowerShell's WinRT ``ToastNotificationManager``.

Each runs with its output discarded, no shell and a short timeout: a missing tool, no
desktop session or a refusal are logged at debug level and otherwise ignored — a notification is
a courtesy, never the reason a watch fails. ``RV_DCC_NOTIFY=0`` turns them off. No Qt (the
panel has its own, rv_dcc/ui/notices.py).
"""
import logging
import os
import shutil
import subprocess
import sys
from typing import Any, List, Optional

log = logging.getLogger("rv_dcc.monitor.notify")

#: the application name the notifications carry
APP = "rv_dcc"
#: seconds a notification tool may take before it is given up on
TIMEOUT = 5.0


def _applescript_text(text: str) -> str:
    """``text`` as an AppleScript string literal (backslashes and quotes escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _powershell_text(text: str) -> str:
    """``text`` as a PowerShell single-quoted literal (a quote is doubled), XML-escaped for the toast."""
    from xml.sax.saxutils import escape

    return "'" + escape(text).replace("'", "''") + "'"


def command(title: str, body: str, platform: Optional[str] = None) -> Optional[List[str]]:
    """The argv that shows a notification on this platform, or None when there is no tool for it."""
    platform = platform or sys.platform
    title, body = title[:120], body[:400]
    if platform.startswith("linux") or platform.startswith("freebsd"):
        tool = shutil.which("notify-send")
        return [tool, "--app-name", APP, title, body] if tool else None
    if platform == "darwin":
        tool = shutil.which("osascript")
        script = f"display notification {_applescript_text(body)} with title {_applescript_text(title)}"
        return [tool, "-e", script] if tool else None
    if platform == "win32":
        tool = shutil.which("powershell") or shutil.which("pwsh")
        if not tool:
            return None
        script = (
            "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType=WindowsRuntime] > $null;"
            "$x = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent("
            "[Windows.UI.Notifications.ToastTemplateType]::ToastText02);"
            f"$t = $x.GetElementsByTagName('text'); $t.Item(0).InnerText = {_powershell_text(title)};"
            f"$t.Item(1).InnerText = {_powershell_text(body)};"
            "[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('rv_dcc').Show("
            "[Windows.UI.Notifications.ToastNotification]::new($x))")
        return [tool, "-NoProfile", "-NonInteractive", "-Command", script]
    return None


def desktop(title: str, body: str) -> bool:
    """Show a desktop notification; True when one was handed to the platform's tool."""
    if os.environ.get("RV_DCC_NOTIFY", "1") in ("0", "no", "off"):
        return False
    argv = command(title, body)
    if argv is None:
        log.debug("no desktop notification tool on %s", sys.platform)
        return False
    try:
        # waited for (a few seconds at most): no zombie left behind, and done when watch returns
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        log.debug("desktop notification not shown: %s", error)
        return False
    if done.returncode != 0:  # no desktop session (notify-send without D-Bus), notifications refused
        log.debug("desktop notification refused (%s exited %s)", os.path.basename(argv[0]), done.returncode)
        return False
    return True


def bell(stream: Any = None) -> None:
    """Ring the terminal's bell when ``stream`` (stderr) is a terminal."""
    stream = stream if stream is not None else sys.stderr
    try:
        if stream.isatty():
            stream.write("\a")
            stream.flush()
    except (AttributeError, ValueError, OSError):
        pass
