"""Look and feel: one typeface, one palette, sizes that scale with the text setting.

Every size in the style sheet is derived from the base point size, so the
text-size setting (100-200 %) scales the whole window, buttons included.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

BASE_PT = 13.0
FAMILY = "Atkinson Hyperlegible"

PALETTES = {
    "normal": {
        "bg": "#f6f4ef",
        "panel": "#ffffff",
        "text": "#1d1d1b",
        "muted": "#4a4a46",
        "accent": "#0b6e5f",
        "accent_text": "#ffffff",
        "accent_soft": "#e1f0ec",
        "warn": "#b3261e",
        "warn_soft": "#fbe9e7",
        "border": "#c9c5bb",
        "nav": "#e9e6de",
    },
    "contrast": {
        "bg": "#ffffff",
        "panel": "#ffffff",
        "text": "#000000",
        "muted": "#000000",
        "accent": "#003d33",
        "accent_text": "#ffffff",
        "accent_soft": "#ffffff",
        "warn": "#8b0000",
        "warn_soft": "#ffffff",
        "border": "#000000",
        "nav": "#ffffff",
    },
}


def load_fonts(assets: Path) -> None:
    for ttf in sorted((assets / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(ttf))


def point_size(scale: int, factor: float = 1.0) -> float:
    return round(BASE_PT * scale / 100 * factor, 1)


def style_sheet(scale: int, high_contrast: bool = False) -> str:
    c = PALETTES["contrast" if high_contrast else "normal"]

    def pt(factor: float) -> str:
        return f"{point_size(scale, factor)}pt"

    def px(n: float) -> str:
        return f"{round(n * scale / 100)}px"

    border_w = "3px" if high_contrast else "2px"
    return f"""
QWidget {{ background: {c["bg"]}; color: {c["text"]}; font-size: {pt(1)}; }}
QLabel {{ background: transparent; }}
QLabel[role="h1"] {{ font-size: {pt(1.9)}; font-weight: bold; }}
QLabel[role="h2"] {{ font-size: {pt(1.35)}; font-weight: bold; }}
QLabel[role="muted"] {{ color: {c["muted"]}; }}
QLabel[role="cue"] {{
  background: {c["accent_soft"]}; border: {border_w} solid {c["accent"]};
  border-radius: {px(10)}; padding: {px(12)}; font-weight: bold;
}}
QLabel[role="caution"] {{
  background: {c["warn_soft"]}; border: {border_w} solid {c["warn"]};
  border-radius: {px(10)}; padding: {px(12)};
}}
QFrame[role="card"] {{
  background: {c["panel"]}; border: {border_w} solid {c["border"]}; border-radius: {px(14)};
}}
QFrame[role="card"] QLabel, QFrame[role="card"] QWidget {{ background: transparent; }}
QFrame[role="card"] QPushButton {{ background: {c["panel"]}; }}
QFrame[role="card"] QPushButton[role="primary"] {{
  background: {c["accent"]}; color: {c["accent_text"]};
}}
QFrame[role="card"] QPushButton[role="danger"] {{ background: {c["warn"]}; color: #ffffff; }}
QPushButton {{
  background: {c["panel"]}; color: {c["text"]}; border: {border_w} solid {c["border"]};
  border-radius: {px(10)}; padding: {px(10)} {px(18)}; min-height: {px(36)};
}}
QPushButton:hover {{ border-color: {c["accent"]}; }}
QPushButton:focus {{ border: 3px solid {c["accent"]}; }}
QPushButton:checked {{
  background: {c["accent_soft"]}; border: 3px solid {c["accent"]}; font-weight: bold;
}}
QPushButton:disabled {{ color: {c["muted"]}; border-style: dashed; }}
QPushButton[role="primary"] {{
  background: {c["accent"]}; color: {c["accent_text"]}; border-color: {c["accent"]};
  font-weight: bold; font-size: {pt(1.15)};
}}
QPushButton[role="primary"]:focus {{ border: 3px solid {c["text"]}; }}
QPushButton[role="danger"] {{
  background: {c["warn"]}; color: #ffffff; border-color: {c["warn"]}; font-weight: bold;
}}
QPushButton[role="nav"] {{
  text-align: left; background: transparent; border: {border_w} solid transparent;
  padding: {px(12)} {px(16)}; font-size: {pt(1.1)};
}}
QPushButton[role="nav"]:checked {{
  background: {c["panel"]}; border-color: {c["accent"]}; font-weight: bold;
}}
QWidget#nav {{ background: {c["nav"]}; }}
QWidget#nav QLabel {{ background: transparent; }}
QLineEdit, QComboBox, QSpinBox {{
  background: {c["panel"]}; border: {border_w} solid {c["border"]}; border-radius: {px(8)};
  padding: {px(8)}; min-height: {px(30)};
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus {{ border-color: {c["accent"]}; }}
QListWidget {{
  background: {c["panel"]}; border: {border_w} solid {c["border"]}; border-radius: {px(8)};
}}
QListWidget::item {{ padding: {px(10)}; border-bottom: 1px solid {c["border"]}; }}
QListWidget::item:selected {{ background: {c["accent_soft"]}; color: {c["text"]}; }}
QCheckBox, QRadioButton {{ spacing: {px(12)}; padding: {px(6)}; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: {px(24)}; height: {px(24)}; }}
QScrollArea {{ border: none; }}
QProgressBar {{
  border: {border_w} solid {c["border"]}; border-radius: {px(8)}; background: {c["panel"]};
  text-align: center; min-height: {px(26)};
}}
QProgressBar::chunk {{ background: {c["accent"]}; border-radius: {px(6)}; }}
"""


def apply(app: QApplication, scale: int, high_contrast: bool = False) -> None:
    font = QFont(FAMILY)
    font.setPointSizeF(point_size(scale))
    app.setFont(font)
    app.setStyleSheet(style_sheet(scale, high_contrast))
