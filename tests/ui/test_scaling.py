"""At 150% and 200% nothing is cut off (issue 16): the whole panel, in English and Chinese.

A host that scales its fonts but not its pixels (QT_FONT_DPI 144 / 192: what 150% / 200% look
like without Qt's own high-DPI scaling) shows every fixed pixel size the panel has. The
screenshot session (``rv-dcc panel --screenshot``: the submit view, the monitor with thumbnails
and the sign-in dialog, against a local farm) runs in its own process with those fonts, and
rv_dcc.ui.clipping must find no text cut off in any of them. The checker itself is tested here on
widgets made too small.
"""
import json
import os
import subprocess
import sys

import pytest
from qtpy import QtWidgets

from rv_dcc.ui.clipping import clipped


@pytest.mark.parametrize("dpi", [144, 192])
def test_the_panel_cuts_no_text_at_150_and_200_percent(tmp_path, dpi):
    env = dict(os.environ, QT_FONT_DPI=str(dpi), QT_QPA_PLATFORM="offscreen", RV_DCC_CONFIG_DIR=str(tmp_path / "cfg"))
    out = tmp_path / "shots"
    run = subprocess.run([sys.executable, "-c", "import sys; from rv_dcc.ui.screenshots import take; "
                          "import functools; from rv_dcc.app.local_farm import local_farm; "
                          "take(sys.argv[1], functools.partial(local_farm, real_blender=False), speed=60.0, settle=2.0)", str(out)],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    found = json.loads((out / "clipped.json").read_text(encoding="utf-8"))
    assert sorted(found) == sorted(f"{view}_{lang}.png" for view in ("submit", "monitor", "signin")
                                   for lang in ("en", "zh_CN"))
    assert {name: cut for name, cut in found.items() if cut} == {}
    assert all((out / name).stat().st_size > 10000 for name in found)  # the pictures were taken


def test_the_checker_finds_text_cut_off(qtbot):
    host = QtWidgets.QWidget()
    qtbot.addWidget(host)
    layout = QtWidgets.QVBoxLayout(host)
    cut = QtWidgets.QLabel("A label far longer than the forty pixels it is given")
    cut.setFixedWidth(40)
    fits = QtWidgets.QLabel("ok")
    flat = QtWidgets.QLineEdit("squeezed")
    flat.setFixedHeight(8)
    button = QtWidgets.QPushButton("A button with a long title")
    button.setFixedWidth(30)
    for widget in (cut, fits, flat, button):
        layout.addWidget(widget)
    host.show()
    qtbot.waitExposed(host)
    found = clipped(host)
    assert any("A label far longer" in line for line in found)
    assert any("squeezed" in line and "px high" in line for line in found)
    assert any("A button with a long title" in line for line in found)
    assert not any("'ok'" in line for line in found)
