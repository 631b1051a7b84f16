"""How a session ends: the dialogs that ask first ("End the session now?", "What happened?")
and the words of the end screen (well done, or the stop advice with the emergency number)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLayout, QVBoxLayout, QWidget

from coach.core.session.stop_rules import (
    STOP_BUTTON,
    STOP_CHOICES,
    STOP_LABELS,
    StopReason,
    stop_advice,
    stop_is_emergency,
)
from coach.ui import theme
from coach.ui.i18n import T
from coach.ui.widgets import button, label

ENDED_EARLY = "ended_early"
"""The runner's stop reason (and the outcome) when the person ends a session on purpose."""

OUTCOME_COMPLETED = "completed"
OUTCOME_ENDED_EARLY = ENDED_EARLY
OUTCOME_STOPPED = "stopped"  # "Stop – this hurts": the reason is a StopReason value


def _dialog_layout(dialog: QDialog) -> QVBoxLayout:
    """Big buttons and room around them; the dialog grows to fit its wrapped text."""
    base = QApplication.font().pointSizeF()
    scale = max(0.5, base / theme.BASE_PT if base > 0 else 1.0)
    px = math.sqrt(scale)
    dialog.setStyleSheet(
        f"QPushButton {{ font-size: {round(base * 1.25, 1)}pt; min-height: {round(56 * px)}px;"
        f" padding: {round(8 * px)}px {round(20 * px)}px; }}"
    )
    dialog.setMinimumWidth(round(620 * px))
    column = QVBoxLayout(dialog)
    column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    margin = round(28 * px)
    column.setContentsMargins(margin, margin, margin, margin)
    column.setSpacing(round(14 * px))
    return column


class StopReasonDialog(QDialog):
    """ "What happened?" One big button per reason; ``chosen`` carries the StopReason value.

    Window-modal and opened with ``open()``; closing it without a choice
    (``rejected``) leaves the session paused.
    """

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(STOP_BUTTON.get(lang))
        self.setObjectName("stop-dialog")
        column = _dialog_layout(self)
        column.addWidget(label(T("What happened?"), "h1"))
        column.addWidget(label(T("The session is paused. Choose what fits best.")))
        for reason in STOP_CHOICES:
            text = STOP_LABELS[reason]
            choice = button(text.get(lang), "danger" if stop_is_emergency(reason) else None)
            choice.setObjectName(f"reason-{reason.value}")
            choice.clicked.connect(lambda _=False, r=reason.value: self._choose(r))
            column.addWidget(choice)
        column.addSpacing(10)
        back = button(T("Nothing – back to the exercise"))
        back.setObjectName("reason-cancel")
        back.clicked.connect(self.reject)
        column.addWidget(back)

    def _choose(self, reason: str) -> None:
        self.chosen.emit(reason)
        self.accept()


class EndSessionDialog(QDialog):
    """ "End the session now?" asked after Esc or the End button; ``confirmed`` on yes."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(T("End the session"))
        self.setObjectName("end-dialog")
        column = _dialog_layout(self)
        column.addWidget(label(T("End the session now?"), "h1"))
        column.addWidget(label(T("What you have done so far is saved.")))
        row = QHBoxLayout()
        keep = button(T("Keep going"), "primary")
        keep.setObjectName("end-keep-going")
        keep.setDefault(True)
        keep.clicked.connect(self.reject)
        end = button(T("End session"))
        end.setObjectName("end-confirm")
        end.clicked.connect(self._confirm)
        for b in (keep, end):
            row.addWidget(b)
        column.addLayout(row)

    def _confirm(self) -> None:
        self.confirmed.emit()
        self.accept()


def add_end_words(
    layout: QVBoxLayout,
    outcome: str,
    reason: str | None,
    *,
    active_s: float,
    save_error: str | None,
    mostly_skipped: bool = False,
    emergency_number: str,
    lang: str,
) -> None:
    """The end screen's words: what could not be saved, then well done or the stop advice."""
    if save_error is not None:
        note = label(
            T("Some of this session could not be saved: {why}.").format(why=save_error),
            None,
        )
        note.setObjectName("banner")
        layout.addWidget(note)
    minutes = active_s / 60
    if minutes >= 1:
        practised = T("You practised for {n} minutes.").format(n=round(minutes))
    else:
        practised = T("You practised for {n} seconds.").format(n=round(active_s))
    if outcome == OUTCOME_STOPPED and reason is not None:
        _stop_advice(layout, reason, emergency_number, lang)
    else:
        layout.addStretch(1)
        done = outcome == OUTCOME_COMPLETED and not mostly_skipped
        heading = T("Well done") if done else T("Session ended")
        title = label(heading, None)
        title.setObjectName("end-title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        lines = [practised, T("Take your time getting up.")]
        if mostly_skipped:
            # Honest and kind: most of it was skipped, and that is allowed.
            lines[:1] = [
                T(
                    "You skipped most of today's exercises. That is all right: some days are "
                    "harder."
                ),
                T(
                    "If it keeps happening, a shorter routine may suit you better, or ask "
                    "your physiotherapist."
                ),
            ]
        for text in lines:
            line = label(text, None)
            line.setObjectName("end-text")
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(line)
        layout.addStretch(1)


def _stop_advice(layout: QVBoxLayout, reason: str, emergency_number: str, lang: str) -> None:
    try:
        stop_reason = StopReason(reason)
    except ValueError:
        stop_reason = StopReason.OTHER
    title = label(T("The session is stopped"), None)
    title.setObjectName("end-title")
    layout.addWidget(title)
    if stop_is_emergency(stop_reason):
        # The number itself, as big as the countdown was: no searching for it.
        call = label(
            T("Emergency number: {number}").format(number=emergency_number),
            "caution",
        )
        call.setObjectName("emergency")
        call.setAlignment(Qt.AlignmentFlag.AlignCenter)
        call.setAccessibleName(T("Emergency number: {number}").format(number=emergency_number))
        layout.addWidget(call)
    advice = label(stop_advice(stop_reason, emergency_number).get(lang), None)
    advice.setObjectName("end-text")
    layout.addWidget(advice)
    layout.addStretch(1)
