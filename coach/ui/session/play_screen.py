"""The player's screen: the play page and the end page, sized for the text-size setting.

The widgets and their look only; :class:`~coach.ui.session.player.PlayerView`
connects their clicks and fills them in from the session runner.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from coach.core.content.library import Library
from coach.core.session.runner import State
from coach.core.session.stop_rules import STOP_BUTTON
from coach.ui import theme
from coach.ui.i18n import T
from coach.ui.session.player_figure import PlayerFigure
from coach.ui.session.player_widgets import BigNumber, FitText, TickMark
from coach.ui.widgets import button, label


def _palette() -> dict[str, str]:
    """The theme's colours in use (the high-contrast set if the app runs it)."""
    app = QApplication.instance()
    sheet = app.styleSheet() if isinstance(app, QApplication) else ""
    contrast = theme.PALETTES["contrast"]
    return contrast if f"background: {contrast['accent']}" in sheet else theme.PALETTES["normal"]


class PlayScreen(QWidget):
    """The player's widgets, built and styled, with no session behind them yet."""

    def __init__(self, library: Library, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self._library = library
        self._lang = lang
        self._build()

    # -- building ----------------------------------------------------------------
    def _sizes(self) -> dict[str, float]:
        """Point sizes from the app's text size (the theme's setting, 100–200 %).

        The biggest texts grow less than the setting: they are already large,
        and the countdown is sized to its space anyway.
        """
        base = QApplication.font().pointSizeF()
        scale = max(0.5, base / theme.BASE_PT if base > 0 else 1.0)

        def pt(factor: float, damp: float = 1.0) -> float:
            return round(theme.BASE_PT * factor * math.pow(scale, damp), 1)

        return {
            "title": pt(2.0, 0.6),
            "title_min": pt(1.4, 0.6),
            "position": pt(1.55, 0.6),
            "instruction": pt(2.1, 0.55),
            "instruction_min": pt(1.3, 0.6),
            "cue": pt(1.45, 0.6),
            "cue_min": pt(1.1, 0.6),
            "paused": pt(2.6, 0.5),
            "caption": pt(1.3, 0.4),
            "control": pt(1.2, 0.6),
            "big_button": pt(1.8, 0.45),
            "left": pt(1.3, 0.6),
            "end_title": pt(3.0, 0.5),
            "end_text": pt(1.9, 0.6),
            "emergency": pt(3.6, 0.5),
            "scale": scale,
        }

    def _style(self, s: dict[str, float]) -> str:
        # Boxes and buttons grow slower than the text: at 200 % the chrome would
        # otherwise eat the room that the picture and the countdown need.
        px = math.sqrt(s["scale"])
        c = _palette()

        def size(n: float) -> int:
            return round(n * px)

        return f"""
#player QLabel#position {{ font-size: {s["position"]}pt; font-weight: bold; }}
#player QLabel#caption {{ font-size: {s["caption"]}pt; }}
#player QLabel#time-left {{ font-size: {s["left"]}pt; font-weight: bold; }}
#player QLabel#paused {{ font-size: {s["paused"]}pt; font-weight: bold; padding: {size(6)}px;
  background: {c["panel"]}; border: {size(4)}px solid {c["text"]}; border-radius: {size(12)}px; }}
#player QLabel#banner {{ background: {c["nav"]}; border: {size(2)}px solid {c["muted"]};
  border-radius: {size(10)}px; padding: {size(10)}px {size(14)}px; }}
#player QLabel#end-title {{ font-size: {s["end_title"]}pt; font-weight: bold; }}
#player QLabel#end-text {{ font-size: {s["end_text"]}pt; }}
#player QLabel#emergency {{ font-size: {s["emergency"]}pt; font-weight: bold;
  padding: {size(16)}px; }}
#player QPushButton[player="control"] {{ font-size: {s["control"]}pt; min-height: {size(46)}px;
  padding: {size(6)}px {size(16)}px; }}
#player QPushButton#done, #player QPushButton#symptoms, #player QPushButton#close,
#player QPushButton#settled, #player QPushButton#not-yet {{
  font-size: {s["big_button"]}pt; min-height: {size(64)}px; min-width: {size(260)}px;
  padding: {size(6)}px {size(20)}px; }}
#player QPushButton#settled, #player QPushButton#not-yet {{ min-height: {size(46)}px; }}
#player QPushButton#stop-hurts {{ font-size: {s["control"] * 1.1:.1f}pt;
  min-height: {size(46)}px; padding: {size(6)}px {size(22)}px; }}
#player QFrame#cue-box {{ background: {c["accent_soft"]}; border: {size(3)}px solid {c["accent"]};
  border-radius: {size(12)}px; }}
#player QFrame#cue-box QLabel, #player QFrame#cue-box QWidget {{ background: transparent; }}
#player QProgressBar {{ min-height: {size(18)}px; max-height: {size(22)}px; }}
"""

    def _build(self) -> None:
        sizes = self._sizes()
        self._text_scale = sizes["scale"]
        self.setStyleSheet(self._style(sizes))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self.pages.addWidget(self._build_play_page(sizes))
        # The end screen scrolls (long advice at a large text size) but its
        # Close button stays in view.
        self.end_page = QWidget()
        self._end_outer = QVBoxLayout(self.end_page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self._end_layout = QVBoxLayout(content)
        scroll.setWidget(content)
        self._end_outer.addWidget(scroll, 1)
        self.pages.addWidget(self.end_page)

    def _build_play_page(self, sizes: dict[str, float]) -> QWidget:
        page = QWidget()
        page.setObjectName("play-page")
        column = QVBoxLayout(page)
        margin = round(16 * sizes["scale"] ** 0.5)
        column.setContentsMargins(margin + 8, margin, margin + 8, margin)
        column.setSpacing(round(10 * sizes["scale"] ** 0.5))

        self.banner = label("", None)
        self.banner.setObjectName("banner")
        self.banner.hide()
        column.addWidget(self.banner)

        header = QHBoxLayout()
        self.title = FitText(
            sizes["title"],
            sizes["title_min"],
            one_line=True,
            align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        self.title.setObjectName("title")
        self.position = label("", None, wrap=False)
        self.position.setObjectName("position")
        self.position.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.title, 1)
        header.addWidget(self.position, 0)
        column.addLayout(header)

        body = QHBoxLayout()
        body.setSpacing(round(20 * sizes["scale"] ** 0.5))
        self.figure = PlayerFigure(self._library)
        body.addWidget(self.figure, 3)
        side = QVBoxLayout()
        side.setSpacing(8)
        self.paused_label = label(T("Paused"), None)
        self.paused_label.setObjectName("paused")
        self.paused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_label.hide()
        side.addWidget(self.paused_label)
        self.countdown = BigNumber()
        self.countdown.setObjectName("countdown")
        side.addWidget(self.countdown, 5)
        self.caption = label("", None)
        self.caption.setObjectName("caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.caption)
        self.done_button = button(T("Done"), "primary", accessible=T("Done (Space)"))
        self.done_button.setObjectName("done")
        self.done_button.hide()
        side.addWidget(self.done_button)
        self.symptoms_button = button(T("Symptoms started"), "primary")
        self.symptoms_button.setObjectName("symptoms")
        self.symptoms_button.setToolTip(
            T("Press when your legs start to tingle, ache or feel heavy. Then keep walking.")
        )
        self.symptoms_button.hide()
        side.addWidget(self.symptoms_button)
        self.instruction = FitText(sizes["instruction"], sizes["instruction_min"], lines=2)
        self.instruction.setObjectName("instruction")
        side.addWidget(self.instruction, 3)
        # The walking break's question, the answers under it, one above the other: side by
        # side they do not fit the column in German at a large text size.
        # Alt+B and Alt+N in both languages (Besser, Noch nicht).
        self.settled_button = button(T("&Better, walk on"), "primary")
        self.settled_button.setObjectName("settled")
        self.settled_button.hide()
        side.addWidget(self.settled_button)
        self.not_yet_button = button(T("&Not yet"))
        self.not_yet_button.setObjectName("not-yet")
        self.not_yet_button.hide()
        side.addWidget(self.not_yet_button)
        body.addLayout(side, 2)
        column.addLayout(body, 1)

        # The cue against arching: always on screen, framed, with a tick.
        self.cue_box = QFrame()
        self.cue_box.setObjectName("cue-box")
        cue_row = QHBoxLayout(self.cue_box)
        pad = round(12 * sizes["scale"] ** 0.5)
        cue_row.setContentsMargins(pad + 4, pad, pad + 4, pad)
        cue_row.setSpacing(pad + 4)
        tick_size = round(QFontMetricsF(self._font_pt(sizes["cue"])).height() * 1.3)
        self.cue_tick = TickMark(tick_size)
        cue_row.addWidget(self.cue_tick, 0, Qt.AlignmentFlag.AlignVCenter)
        self.cue = FitText(
            sizes["cue"],
            sizes["cue_min"],
            align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        self.cue.setObjectName("cue")
        cue_row.addWidget(self.cue, 1)
        column.addWidget(self.cue_box)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(T("Progress through the routine"))
        progress_row.addWidget(self.progress, 1)
        self.time_left = label("", None, wrap=False)
        self.time_left.setObjectName("time-left")
        progress_row.addWidget(self.time_left)
        column.addLayout(progress_row)

        controls = QHBoxLayout()
        controls.setSpacing(round(10 * sizes["scale"] ** 0.5))
        self.pause_button = self._control(
            T("Start"), "primary", QStyle.StandardPixmap.SP_MediaPlay, T("Start (Space)")
        )
        self.pause_button.setObjectName("pause")
        self.back_button = self._control(
            T("Back"), None, QStyle.StandardPixmap.SP_MediaSkipBackward, T("Back (Left arrow)")
        )
        self.back_button.setObjectName("back")
        self.skip_button = self._control(
            T("Skip"), None, QStyle.StandardPixmap.SP_MediaSkipForward, T("Skip (Right arrow)")
        )
        self.skip_button.setObjectName("skip")
        self.end_button = self._control(
            T("End session"), None, QStyle.StandardPixmap.SP_MediaStop, T("End the session (Esc)")
        )
        self.end_button.setObjectName("end")
        for b in (self.pause_button, self.back_button, self.skip_button, self.end_button):
            controls.addWidget(b)
        controls.addStretch(1)
        self.stop_button = button(STOP_BUTTON.get(self._lang), "danger")
        self.stop_button.setObjectName("stop-hurts")
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        controls.addWidget(self.stop_button)
        column.addLayout(controls)
        for widget in (
            self.done_button,
            self.symptoms_button,
            self.settled_button,
            self.not_yet_button,
        ):
            # Clicks must not take the keyboard focus: Space keeps its meaning.
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return page

    def _font_pt(self, points: float) -> QFont:
        font = QFont(QApplication.font())
        font.setPointSizeF(points)
        font.setBold(True)
        return font

    def _control(
        self, text: str, role: str | None, icon: QStyle.StandardPixmap, accessible: str
    ) -> QPushButton:
        widget = button(text, role, accessible=accessible)
        widget.setProperty("player", "control")
        widget.setIcon(self.style().standardIcon(icon))
        side = round(28 * self._sizes()["scale"] ** 0.6)
        widget.setIconSize(QSize(side, side))
        widget.setToolTip(accessible)
        # Clicks must not take the keyboard focus: Space keeps meaning pause/resume.
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return widget

    # -- showing -------------------------------------------------------------------
    def _show_pause_button(self, state: State) -> None:
        if state is State.READY:
            text, icon, name = T("Start"), QStyle.StandardPixmap.SP_MediaPlay, T("Start (Space)")
        elif state is State.PAUSED:
            text, icon, name = T("Resume"), QStyle.StandardPixmap.SP_MediaPlay, T("Resume (Space)")
        else:
            text, icon, name = T("Pause"), QStyle.StandardPixmap.SP_MediaPause, T("Pause (Space)")
        if self.pause_button.text() != text:
            self.pause_button.setText(text)
            self.pause_button.setIcon(self.style().standardIcon(icon))
            self.pause_button.setAccessibleName(name)
            self.pause_button.setToolTip(name)
            primary = state in (State.READY, State.PAUSED)
            self.pause_button.setProperty("role", "primary" if primary else None)
            self.pause_button.style().unpolish(self.pause_button)
            self.pause_button.style().polish(self.pause_button)

    @staticmethod
    def _set_text(widget: QLabel | FitText, text: str) -> None:
        if widget.text() != text:
            widget.setText(text)
