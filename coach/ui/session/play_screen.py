"""The player's screen: the play page and the end page, sized for the text-size setting.

The widgets and their look only; :class:`~coach.ui.session.player.PlayerView`
connects their clicks and fills them in from the session runner.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
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
from coach.ui.session.player_widgets import (
    BigNumber,
    CautionMark,
    FitText,
    NoteMark,
    TickMark,
    WrapButton,
)
from coach.ui.widgets import button, label


def symptoms_tip() -> str:
    """The plain symptoms button's tooltip, in the language of the moment."""
    return T("Press when your legs start to tingle, ache or feel heavy. Then keep walking.")


def _palette() -> dict[str, str]:
    """The theme's colours in use (the high-contrast set if the app runs it)."""
    app = QApplication.instance()
    sheet = app.styleSheet() if isinstance(app, QApplication) else ""
    contrast = theme.PALETTES["contrast"]
    return contrast if f"background: {contrast['accent']}" in sheet else theme.PALETTES["normal"]


def _forget_sizes(layout: QLayout) -> None:
    """Make a layout and all inside it measure afresh.

    Nested layouts, and a layout's item for each widget, keep the sizes they
    measured until Qt lays the window out again: asked before that, the page
    would report the minimum its old texts needed.
    """
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget = item.widget()
        inner = item.layout()
        if inner is None and widget is not None:
            inner = widget.layout()
        if inner is not None:
            _forget_sizes(inner)
        item.invalidate()
    layout.invalidate()


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
            # Low, for the long safety words of a get-ready (the treadmill's
            # clip and slowest speed): the fit starts at the top size and comes
            # down only as far as the page needs.
            "instruction_min": pt(1.0, 0.5),
            "cue": pt(1.45, 0.6),
            "cue_min": pt(1.1, 0.6),
            "note": pt(1.2, 0.5),
            "note_min": pt(0.95, 0.5),
            "paused": pt(2.6, 0.5),
            "caption": pt(1.3, 0.4),
            "control": pt(1.2, 0.6),
            "big_button": pt(1.8, 0.45),
            "left": pt(1.3, 0.45),
            "end_title": pt(3.0, 0.5),
            "end_text": pt(1.9, 0.6),
            "emergency": pt(3.6, 0.5),
            "scale": scale,
        }

    def _style(self, s: dict[str, float]) -> str:
        # Boxes and buttons grow slower than the text: at 200 % the chrome would
        # otherwise eat the room that the picture and the countdown need. Padding
        # even shrinks: a 1366 × 768 screen leaves the player some 700 pixels,
        # and every one of them is wanted for text (see ``_tight``).
        px = math.sqrt(s["scale"])
        c = _palette()
        tight = self._tight

        def size(n: float) -> int:
            return round(n * px)

        return f"""
#player QLabel#position {{ font-size: {s["position"]}pt; font-weight: bold; }}
#player QLabel#time-left {{ font-size: {s["left"]}pt; font-weight: bold; }}
#player QLabel#paused {{ font-size: {s["paused"]}pt; font-weight: bold; padding: {size(6)}px;
  background: {c["panel"]}; border: {size(4)}px solid {c["text"]}; border-radius: {size(12)}px; }}
#player QLabel#banner {{ background: {c["nav"]}; border: {size(2)}px solid {c["muted"]};
  border-radius: {size(10)}px; padding: {size(10)}px {size(14)}px; }}
#player QLabel#end-title {{ font-size: {s["end_title"]}pt; font-weight: bold; }}
#player QLabel#end-text {{ font-size: {s["end_text"]}pt; }}
#player QLabel#emergency {{ font-size: {s["emergency"]}pt; font-weight: bold;
  padding: {size(16)}px; }}
#player QPushButton[player="control"] {{ font-size: {s["control"]}pt; min-height: {size(42)}px;
  padding: {tight(6)}px 12px; }}
#player QPushButton#done, #player QPushButton#close,
#player QPushButton#settled, #player QPushButton#not-yet {{
  font-size: {s["big_button"]}pt; min-height: {size(64)}px; min-width: {size(260)}px;
  padding: {size(6)}px {size(20)}px; }}
#player QPushButton#settled, #player QPushButton#not-yet {{ min-height: {size(46)}px;
  padding: {tight(6)}px {size(20)}px; }}
#player QPushButton#symptoms {{ font-size: {s["big_button"]}pt; min-width: {size(260)}px;
  padding: 0px; }}
#player QWidget#button-words, #player QWidget#button-words:disabled {{
  color: {c["accent_text"]}; background: transparent; }}
#player QPushButton#stop-hurts {{ font-size: {s["control"] * 1.1:.1f}pt;
  min-height: {size(42)}px; padding: {tight(6)}px 20px; }}
#player QFrame#cue-box {{ background: {c["accent_soft"]}; border: {size(3)}px solid {c["accent"]};
  border-radius: {size(12)}px; }}
#player QFrame#cue-box QLabel, #player QFrame#cue-box QWidget {{ background: transparent; }}
#player QFrame#words-box {{ background: {c["panel"]}; border: {size(2)}px solid {c["muted"]};
  border-radius: {size(12)}px; }}
#player QFrame#words-box[caution="true"] {{ background: {c["warn_soft"]};
  border: {size(3)}px solid {c["warn"]}; }}
#player QFrame#words-box QWidget {{ background: transparent; }}
#player QProgressBar {{ min-height: {size(18)}px; max-height: {size(22)}px; }}
"""

    def _tight(self, n: float) -> int:
        """A padding that gets smaller as the text gets larger (``n`` pixels at 100 %).

        Large letters need less air around them to be told apart, and at 200 %
        the page must hold the step, the words, the cue and the controls in
        700 pixels without pushing the Stop button off the screen.
        """
        return max(2, round(n / math.sqrt(self._text_scale)))

    def _build(self) -> None:
        sizes = self._sizes()
        self._text_scale = sizes["scale"]
        self._fitted_for: object = None
        self._to_show: dict[QWidget, bool] = {}
        self.setStyleSheet(self._style(sizes))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)
        self.play_page = self._build_play_page(sizes)
        self.pages.addWidget(self.play_page)
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
        # The sides do not grow either: a German control row at 200 % needs
        # nearly all of a 1280-pixel screen's width.
        column.setContentsMargins(24, self._tight(16), 24, self._tight(16))
        column.setSpacing(self._tight(10))

        self.banner = label("", None)
        self.banner.setObjectName("banner")
        self.banner.hide()
        column.addWidget(self.banner)

        header = QHBoxLayout()
        # Shrinkable, not height-for-width: a top-level window takes its minimum
        # height from height-for-width at its narrowest, where the title wraps,
        # and grew taller than the screen that had room for it.
        self.title = FitText(
            sizes["title"],
            sizes["title_min"],
            one_line=True,
            shrink=True,
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
        # At a large text size the picture gets little height, and its width
        # with it (it keeps its shape): the words beside it take half the row.
        wide_words = sizes["scale"] >= 1.5
        body.addWidget(self.figure, 1 if wide_words else 3)
        side = QVBoxLayout()
        side.setSpacing(self._tight(8))
        # "Paused" lies over the top of the still picture rather than taking a
        # line of its own: above the countdown it pushed a 700-pixel window
        # taller at a large text size, and the Stop button below its edge.
        over_figure = QVBoxLayout(self.figure)
        over_figure.setContentsMargins(0, 0, 0, 0)
        self.paused_label = label(T("Paused"), None)
        self.paused_label.setObjectName("paused")
        self.paused_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_label.hide()
        over_figure.addWidget(
            self.paused_label, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter
        )
        over_figure.addStretch(1)
        self.countdown = BigNumber()
        self.countdown.setObjectName("countdown")
        side.addWidget(self.countdown, 5)
        # A fitted line, not a wrapping label: a label's height-for-width made
        # the whole row report heights far above what it needed, and the
        # window grew to match.
        self.caption = FitText(
            sizes["caption"], sizes["cue_min"] * 0.85, shrink=True, one_line=True, bold=False
        )
        self.caption.setObjectName("caption")
        side.addWidget(self.caption)
        self.done_button = button(T("Done"), "primary", accessible=T("Done (Space)"))
        self.done_button.setObjectName("done")
        self.done_button.hide()
        side.addWidget(self.done_button)
        # Its least height is its own, not the style sheet's: a minimum set
        # there would let the layout squeeze the button below its two lines.
        self.symptoms_button = WrapButton(
            T("Symptoms started"),
            sizes["big_button"],
            sizes["note_min"],  # one line of bold words beats two cut ones
            self._tight(20) + 8,
            round(52 * math.sqrt(sizes["scale"])),
        )
        self.symptoms_button.setProperty("role", "primary")
        self.symptoms_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.symptoms_button.setObjectName("symptoms")
        self.symptoms_button.setToolTip(symptoms_tip())
        self.symptoms_button.hide()
        side.addWidget(self.symptoms_button)
        # Asks for the lines it needs, as the cue and the words do: a long
        # German instruction needs three or four at 200 %, and two were clipped.
        self.instruction = FitText(sizes["instruction"], sizes["instruction_min"], shrink=True)
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
        body.addLayout(side, 1 if wide_words else 2)
        column.addLayout(body, 1)

        # The physiotherapist's own words on this item, and the caution of an
        # exercise they allowed: with every step of it, between the step and the cue.
        # One frame for both (a second frame would cost the picture its height
        # at a large text size); framed in the warning colour when a caution is in it.
        self.words_box = QFrame()
        self.words_box.setObjectName("words-box")
        words = QVBoxLayout(self.words_box)
        pad = round(5 * sizes["scale"] ** 0.5)
        words.setContentsMargins(pad + 6, pad, pad + 6, pad)
        words.setSpacing(max(2, pad // 2))
        self.note_row, self.note_mark, self.note = self._words_row(sizes, "note")
        words.addWidget(self.note_row)
        self.caution_row, self.caution_mark, self.caution = self._words_row(sizes, "caution")
        words.addWidget(self.caution_row)
        self.words_box.hide()
        column.addWidget(self.words_box)

        # The cue against arching: always on screen, framed, with a tick.
        self.cue_box = QFrame()
        self.cue_box.setObjectName("cue-box")
        cue_row = QHBoxLayout(self.cue_box)
        pad = self._tight(12)
        side_pad = round(12 * sizes["scale"] ** 0.5)
        cue_row.setContentsMargins(side_pad + 4, pad, side_pad + 4, pad)
        cue_row.setSpacing(side_pad)
        # As tall as a line of the cue at its smallest, so the tick sits in the
        # line and never makes the box taller than its words.
        tick_size = round(QFontMetricsF(self._font_pt(sizes["cue_min"])).height())
        self.cue_tick = TickMark(tick_size)
        cue_row.addWidget(self.cue_tick, 0, Qt.AlignmentFlag.AlignVCenter)
        # Shrinkable like the note, and on one line while it can: a cue that
        # wraps by a word at full size (German, 200 %) would cost the picture a
        # whole line, and a lone word on the second line reads as an afterthought.
        self.cue = FitText(
            sizes["cue"],
            sizes["cue_min"],
            shrink=True,
            one_line=True,
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
        controls.setSpacing(10)
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

    def _words_row(self, sizes: dict[str, float], name: str) -> tuple[QWidget, QWidget, FitText]:
        """A line of words with its sign: a speech bubble for a note, a triangle for a caution."""
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(round(10 * sizes["scale"] ** 0.5))
        # Sized to the smallest text: a sign taller than a line would make the row taller.
        side = round(QFontMetricsF(self._font_pt(sizes["note_min"])).height() * 1.15)
        mark: QWidget
        if name == "caution":
            mark = CautionMark(side, _palette()["warn"], T("Caution"))
        else:
            mark = NoteMark(side, T("Note from your physiotherapist"))
        line.addWidget(mark, 0, Qt.AlignmentFlag.AlignVCenter)
        text = FitText(
            sizes["note"],
            sizes["note_min"],
            bold=False,
            shrink=True,
            align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        )
        text.setObjectName(name)
        line.addWidget(text, 1)
        row.hide()
        return row, mark, text

    def _fitted_texts(self) -> tuple[FitText, ...]:
        return (
            self.title,
            self.instruction,
            self.cue,
            self.note,
            self.caution,
            self.symptoms_button.words,
        )

    def set_shown(self, widget: QWidget, visible: bool) -> None:
        """Show or hide a part of the page once :meth:`apply_shown` is called."""
        self._to_show[widget] = visible

    def apply_shown(self) -> None:
        """Hide, then show, the parts of the page asked for, the fitted texts made small first.

        Showing a widget lays its parent out at once, before the texts can be
        fitted anew: shown before the parts it replaces were hidden, or with
        the texts at the sizes fitted for the page without it, it would make
        the window grow (and a grown window does not shrink back).
        """
        changes = [(w, v) for w, v in self._to_show.items() if w.isVisibleTo(self) != v]
        self._to_show.clear()
        if not changes:
            return
        for text in self._fitted_texts():
            text.set_floor(0)
        self._fitted_for = None
        for widget, visible in sorted(changes, key=lambda change: change[1]):
            widget.setVisible(visible)

    def refit_if_changed(self) -> None:
        """Fit the texts afresh when they, or what else shares the page, changed.

        A button or a "Paused" that comes or goes changes the room the texts
        have; sizes fitted for the page before would push the window taller.
        """
        shown = (
            self.done_button,
            self.symptoms_button,
            self.settled_button,
            self.not_yet_button,
            self.paused_label,
            self.countdown,
            self.banner,
            self.words_box,
        )
        key = (
            tuple(text.text() for text in self._fitted_texts()),
            tuple(widget.isVisibleTo(self) for widget in shown),
        )
        if key == self._fitted_for:
            return
        self._fitted_for = key
        # New texts start small, which always fits, and grow once the layout
        # has given them their width (their lines depend on it).
        for text in self._fitted_texts():
            text.set_floor(0)
        QTimer.singleShot(0, self, self.fit_words)  # not after the player is gone

    def fit_words(self) -> None:
        """Keep the instruction, the cue, the note and the caution as large as the page allows.

        Left to itself the layout squeezes these texts as much as the picture,
        though the picture has room to give: so their floors start at full size
        and step down together only while the page would not fit its height.
        """
        texts = [t for t in self._fitted_texts() if t.text()]
        page = self.play_page
        layout = page.layout()
        if not texts or layout is None or page.height() <= 0:
            return
        ratio = 1.0
        while True:
            for text in texts:
                text.set_floor(text.max_points * ratio)
            _forget_sizes(layout)
            if all(text.floor <= text.min_points for text in texts):
                break
            # The window keeps the larger of the two minimums (the one without
            # height-for-width can count a wrapped title differently).
            needed = max(layout.minimumSize().height(), layout.minimumHeightForWidth(page.width()))
            # A few pixels to spare: laid out for real, a page with a word-wrapped
            # "Paused" on it came out a little taller than measured here.
            if needed + 8 <= page.height():
                break
            ratio *= 0.93
        outer = self.layout()
        if outer is not None:
            # The window's own minimum is read from the outer layout, which
            # measured the page before the sizes above were settled.
            _forget_sizes(outer)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_words()

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
