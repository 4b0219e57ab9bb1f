"""Every dialog the panel opens is readable (text against its own background) and speaks the
panel's language, standalone on Qt's default light palette; a PNG of each goes to
$RV_DCC_ARTIFACTS (default: the test's tmp folder) to be looked at."""
import os
from pathlib import Path

import pytest
from qtpy import QtGui, QtWidgets

from rv_dcc.ui import dialogs, style
from rv_dcc.ui.i18n import set_language, tr


def _luminance(colour: QtGui.QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QtGui.QColor, b: QtGui.QColor) -> float:
    """WCAG contrast ratio (4.5 is the minimum for body text)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _seen(image: QtGui.QImage, x: int, y: int) -> QtGui.QColor:
    """A pixel as it would be seen over a light desktop: what a window leaves transparent (does not
    paint) shows whatever is behind it, so it counts as white, the worst case for light text."""
    colour = QtGui.QColor.fromRgba(image.pixel(x, y))
    alpha = colour.alphaF()
    return QtGui.QColor(*(int(channel * alpha + 255 * (1 - alpha)) for channel in
                          (colour.red(), colour.green(), colour.blue())))


def _dominant(image: QtGui.QImage, box) -> QtGui.QColor:
    """The colour most pixels of ``box`` (x, y, w, h) have: the background there, as seen."""
    counts = {}
    for y in range(box[1], min(box[1] + box[3], image.height())):
        for x in range(box[0], min(box[0] + box[2], image.width())):
            rgb = _seen(image, x, y).rgb()
            counts[rgb] = counts.get(rgb, 0) + 1
    return QtGui.QColor(max(counts, key=counts.get))


def _dialogs(parent):
    yield "confirm", dialogs.question_box(parent, tr("confirm.delete", n=2))
    yield "priority", dialogs.value_dialog(parent, "priority", tr("prompt.priority"))
    yield "overtime", dialogs.value_dialog(parent, "overtime", tr("prompt.overtime"))
    yield "label", dialogs.value_dialog(parent, "label", tr("prompt.label"))
    yield "folder", dialogs.folder_dialog(parent, tr("monitor.download"))


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_every_dialog_is_readable_and_in_the_panels_language(qtbot, tmp_path, lang):
    out = Path(os.environ.get("RV_DCC_ARTIFACTS") or tmp_path) / "dialogs"
    out.mkdir(parents=True, exist_ok=True)
    set_language(lang)
    panel = QtWidgets.QWidget()  # the panel: dark, its stylesheet inherited by its dialogs
    qtbot.addWidget(panel)
    style.apply(panel, lang)
    for name, dialog in _dialogs(panel):
        dialog.show()
        qtbot.waitExposed(dialog)
        image = dialog.grab().toImage()
        image.save(str(out / f"{name}_{lang}.png"))
        labels = [label for label in dialog.findChildren(QtWidgets.QLabel) if label.isVisible() and label.text()]
        assert labels, name
        for label in labels:  # as drawn in the dialog: the label's most contrasting pixel is its text's core
            corner = label.mapTo(dialog, label.rect().topLeft())
            ratio = image.width() / max(dialog.width(), 1)  # grab() is in device pixels
            box = [int(v * ratio) for v in (corner.x(), corner.y(), label.width(), label.height())]
            background = _dominant(image, box)
            best = max((contrast(_seen(image, x, y), background), _seen(image, x, y).name())
                       for y in range(box[1], min(box[1] + box[3], image.height()))
                       for x in range(box[0], min(box[0] + box[2], image.width())))
            assert best[0] >= 4.5, (f"{name} ({lang}): '{label.text()[:30]}' drawn at best "
                                    f"{best[1]} on {background.name()} ({best[0]:.1f}:1)")
        buttons = [button.text().replace("&", "") for button in dialog.findChildren(QtWidgets.QPushButton)
                   if button.isVisible()]
        if name == "confirm":
            assert sorted(buttons) == sorted([tr("dialog.yes"), tr("dialog.no")])
        elif name != "folder":
            assert sorted(buttons) == sorted([tr("dialog.ok"), tr("dialog.cancel")])
        else:
            assert tr("dialog.choose") in buttons
        dialog.close()
        dialog.deleteLater()
    set_language("en")


def test_qt_translations_load_for_chinese_standalone(qtbot):
    from qtpy import QtCore

    app = QtWidgets.QApplication.instance()
    assert dialogs.install_qt_translations(app, "en") is False
    info = QtCore.QLibraryInfo
    folder = Path(info.path(info.TranslationsPath) if hasattr(info, "path") else info.location(info.TranslationsPath))
    shipped = [name for name in dialogs.QT_CATALOGUES if (folder / f"{name}.qm").is_file()]
    assert dialogs.install_qt_translations(app, "zh_CN") is bool(shipped)
    if not shipped:  # PySide2 5.15's wheel: the panel's own words on the buttons are what is seen
        return
    try:
        # Qt's own string, now from its zh_CN catalogue
        assert QtWidgets.QApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        for translator in dialogs._translators:
            app.removeTranslator(translator)
        dialogs._translators.clear()


def test_the_stylesheet_finds_its_icons_where_rv_dcc_locates_resources(monkeypatch, tmp_path):
    """Icons come through rv_dcc.locate (a checkout, or rv_dcc/resources/icons when installed in a
    host or from a wheel), not a path relative to the source tree."""
    from rv_dcc import locate

    assert style._icon("chevron-down.svg").startswith("url(") and "chevron-down.svg" in style._icon("chevron-down.svg")
    installed = tmp_path / "icons"
    installed.mkdir()
    (installed / "chevron-down.svg").write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(locate, "resource_dir", lambda *parts: installed if parts == ("icons",) else None)
    assert style._icon("chevron-down.svg") == f"url({(installed / 'chevron-down.svg').as_posix()})"
    assert style._icon("missing.svg") == "none"
