"""The panel's look: one dark stylesheet scoped to the panel's own widgets, and font choice.

DCCs are dark, so the panel is too; the stylesheet is set on the panel's top widget, never on
the application, so a host's own look is left alone. Sizes are in points and spacing follows a
4 px grid. Status colours live in :mod:`rv_dcc.ui.columns`. ``ui_font`` picks a family that has
CJK glyphs when the language is Chinese (Microsoft YaHei, PingFang, Noto/WenQuanYi on Linux).
"""
from typing import Any

from qtpy import QtGui

BG = "#1f2126"
PANEL = "#272a31"
RAISED = "#2f333b"
LINE = "#3a3f48"
TEXT = "#e4e6eb"
MUTED = "#9aa0aa"
ACCENT = "#4a9eff"
DANGER = "#e5534b"
GREEN_BAR = "#3fb27f"

def _icon(name: str) -> str:
    """A stylesheet url() for an icon of resources/icons: in a checkout, or installed with the
    package (a host install or a wheel: rv_dcc/resources/icons); "none" when it is missing."""
    from rv_dcc.locate import resource_dir

    folder = resource_dir("icons")
    path = folder / name if folder is not None else None
    return f"url({path.as_posix()})" if path is not None and path.is_file() else "none"


def stylesheet() -> str:
    """The panel's stylesheet (scoped by the widgets it is set on)."""
    return f"""
QWidget {{ color: {TEXT}; }}
QDialog {{ background: {BG}; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: 13pt; font-weight: 600; }}
QLabel[role="subtitle"] {{ color: {MUTED}; }}
QLabel[role="section"] {{ color: {MUTED}; font-size: 8pt; font-weight: 700; letter-spacing: 1px; }}
QLabel[role="metric"] {{ font-size: 11pt; font-weight: 600; }}
QLabel[role="hint"] {{ color: {MUTED}; }}
QFrame[role="card"] {{ background: {PANEL}; border: 1px solid {LINE}; border-radius: 6px; }}
QFrame#Banner {{ background: #3a2f1c; border: 1px solid #6b5426; border-radius: 4px; }}
QFrame#Banner[kind="auth"] {{ background: #3a1f22; border-color: #7a3038; }}
QFrame#Banner[kind="info"] {{ background: #1c2c3a; border-color: #2a4a6b; }}
QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit {{
    background: {RAISED}; border: 1px solid {LINE}; border-radius: 4px; padding: 4px 6px;
    selection-background-color: {ACCENT};
}}
QLineEdit:focus, QAbstractSpinBox:focus, QComboBox:focus, QPlainTextEdit:focus {{ border-color: {ACCENT}; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ width: 0; border: none; }}
QComboBox::drop-down {{ border: none; width: 22px; }}
QComboBox::down-arrow {{ image: {_icon("chevron-down.svg")}; width: 12px; height: 12px; }}
QComboBox QAbstractItemView {{ background: {RAISED}; border: 1px solid {LINE}; selection-background-color: #2f4f75; }}
QPushButton, QToolButton {{
    background: {RAISED}; border: 1px solid {LINE}; border-radius: 4px; padding: 5px 12px;
}}
QPushButton:hover, QToolButton:hover {{ border-color: #56606e; background: #353a44; }}
QPushButton:pressed, QToolButton:pressed {{ background: #23262c; }}
QPushButton:disabled, QToolButton:disabled {{ color: #5d636d; border-color: #30343b; }}
QPushButton[role="primary"] {{ background: {ACCENT}; border-color: {ACCENT}; color: white; font-weight: 600;
    padding: 6px 22px; }}
QPushButton[role="primary"]:hover {{ background: #5eaaff; }}
QPushButton[role="primary"]:disabled {{ background: #2d4766; border-color: #2d4766; color: #8ea6c2; }}
QPushButton[role="link"] {{ background: transparent; border: none; color: {ACCENT}; padding: 2px 6px; }}
QPushButton[role="link"]:hover {{ text-decoration: underline; }}
QPushButton[role="fix"] {{ padding: 3px 10px; border-color: #3d5a80; color: #9cc7ff; }}
QPushButton[role="fix"]:hover {{ background: #243447; border-color: {ACCENT}; }}
QToolButton::menu-indicator {{ image: none; width: 0; }}
QCheckBox {{ spacing: 6px; background: transparent; }}
QCheckBox::indicator, QListView::indicator {{ width: 14px; height: 14px; border: 1px solid #5d636d;
    border-radius: 3px; background: {RAISED}; }}
QCheckBox::indicator:checked, QListView::indicator:checked {{ background: {ACCENT}; border-color: {ACCENT};
    image: {_icon("check.svg")}; }}
QTreeView, QTableView, QListView {{
    background: {PANEL}; alternate-background-color: #2b2e35; border: 1px solid {LINE}; border-radius: 4px;
    selection-background-color: #2f4f75; selection-color: {TEXT}; outline: 0;
}}
QTreeView::item, QTableView::item {{ padding: 2px 10px 2px 6px; }}
QTreeView::branch:has-children:closed {{ image: {_icon("chevron-right.svg")}; }}
QTreeView::branch:has-children:open {{ image: {_icon("chevron-open.svg")}; }}
QHeaderView::section {{
    background: {PANEL}; color: {MUTED}; border: none; border-bottom: 1px solid {LINE};
    padding: 6px 6px; font-weight: 600;
}}
QTableCornerButton::section {{ background: {PANEL}; border: none; }}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{ background: transparent; color: {MUTED}; padding: 7px 16px; border: none;
    border-bottom: 2px solid transparent; }}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 2px solid {ACCENT}; }}
QTabBar::tab:hover {{ color: {TEXT}; }}
QProgressBar {{ background: #3a3f48; border: none; border-radius: 3px; }}
QProgressBar::chunk {{ background: {GREEN_BAR}; border-radius: 3px; }}
QSplitter::handle {{ background: transparent; }}
QScrollArea {{ background: transparent; border: none; }}
QWidget#ScrollBody {{ background: transparent; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar::handle:vertical {{ background: #454b55; border-radius: 4px; min-height: 24px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; }}
QScrollBar::handle:horizontal {{ background: #454b55; border-radius: 4px; min-width: 24px; }}
QMenu {{ background: {RAISED}; border: 1px solid {LINE}; padding: 4px; }}
QMenu::item {{ padding: 6px 20px; border-radius: 3px; }}
QMenu::item:selected {{ background: #2f4f75; }}
QMenu::separator {{ height: 1px; background: {LINE}; margin: 4px 6px; }}
QToolTip {{ background: {RAISED}; color: {TEXT}; border: 1px solid {LINE}; padding: 4px; }}
"""


def palette() -> QtGui.QPalette:
    """The dark palette the panel's widgets inherit (views, scroll areas and pages included)."""
    pal = QtGui.QPalette()
    colours = {
        "Window": BG, "WindowText": TEXT, "Base": PANEL, "AlternateBase": "#2b2e35", "Text": TEXT,
        "Button": RAISED, "ButtonText": TEXT, "Highlight": "#2f4f75", "HighlightedText": TEXT,
        "ToolTipBase": RAISED, "ToolTipText": TEXT, "BrightText": "#ffffff", "Link": ACCENT,
        "PlaceholderText": "#7d838d", "Mid": LINE, "Dark": "#17191d", "Light": "#3a3f48",
    }
    for name, value in colours.items():
        role = getattr(QtGui.QPalette, name, None)
        if role is None:  # PlaceholderText is Qt >= 5.12
            continue
        pal.setColor(role, QtGui.QColor(value))
    for name in ("Text", "ButtonText", "WindowText"):
        pal.setColor(QtGui.QPalette.ColorGroup.Disabled, getattr(QtGui.QPalette, name), QtGui.QColor("#5d636d"))
    return pal


def ui_font(language: str) -> QtGui.QFont:
    """A UI font with CJK glyphs for Chinese (the first installed of the usual families)."""
    font = QtGui.QFont()
    families = ["Segoe UI", "Inter", "Noto Sans", "DejaVu Sans"]
    if language.startswith("zh"):
        families = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                    "WenQuanYi Micro Hei", "Source Han Sans SC"] + families
    try:  # static in Qt 6, an instance method in Qt 5
        available = set(QtGui.QFontDatabase.families())
    except TypeError:
        available = set(QtGui.QFontDatabase().families())
    for family in families:
        if family in available:
            font.setFamily(family)
            break
    font.setPointSizeF(10.0)
    return font


def apply(widget: Any, language: str = "en") -> None:
    """Give ``widget`` (the panel's top widget or a dialog) the panel's look."""
    if not widget.objectName():
        widget.setObjectName("RvPanel")
    widget.setPalette(palette())
    widget.setAutoFillBackground(True)
    widget.setStyleSheet(stylesheet())
    widget.setFont(ui_font(language))
