"""What the person is told and asked when Coach starts: the health questions
on the first run, a damaged settings file, a session that was interrupted.

Each note is a window-modal message box or dialog opened with ``open()`` (no
nested event loop), so the window stays usable and tests can answer it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QMessageBox, QWidget

from coach.core.common.damaged import DamagedNote, keep_damaged
from coach.ui.i18n import T, language

if TYPE_CHECKING:
    from coach.core.progress.interrupted import Interrupted

DAMAGED_BOX = "damaged-file"
INTERRUPTED_BOX = "interrupted-session"


def ask_health_questions(window: Any) -> bool:
    """On the first run (no health answers yet), open the health questions first.

    Then what is offered is safe from the very first session. Not in
    clinician mode: Coach on a clinic's computer is the physiotherapist's
    tool, and asking for their own bones and joints at every start (they
    have no reason to answer) only stands in the way. A clinician who starts
    a session themselves is asked then, as anyone is. ``window`` is the main
    window (its ``prefs`` and session ``flow``). True when the questions opened.
    """
    if window.prefs.clinician_mode or window.flow.profile is not None:
        return False
    # A damaged answers file was told about (and kept) by the flow: the
    # questions follow once that message is closed.
    told = window.flow.dialog
    if isinstance(told, QMessageBox):
        told.finished.connect(lambda _result: window.flow.edit_profile())
    else:
        window.flow.edit_profile()
    return True


def damaged_file_text(note: DamagedNote) -> str:
    """Which file could not be read, in the person's words."""
    name = note.path.name
    if name == "profile.json":
        return T("Coach could not read your health answers. The file may be damaged.")
    if name == "reminders.json":
        return T("Coach could not read its reminder settings. The file may be damaged.")
    return T("Coach could not read its settings. The file may be damaged.")


def kept_text(note: DamagedNote) -> tuple[str, Path | None]:
    """Keep the damaged file now and say where (or that it could not be copied)."""
    try:
        kept = keep_damaged(note.path)
    except OSError as exc:
        why = exc.strerror or str(exc)
        return T("Coach could not make a copy of it ({why}).").format(why=why), None
    return T("A copy of the damaged file is kept here:") + f"\n{kept}", kept


def profile_note_text(note: DamagedNote) -> str:
    """For the health answers: tell, keep a copy, and say what answering again does."""
    kept, _path = kept_text(note)
    return "\n\n".join(
        [
            damaged_file_text(note),
            kept,
            T("Please answer the questions again. Your new answers replace the damaged file."),
        ]
    )


def ask_about_damaged(
    parent: QWidget, notes: Sequence[DamagedNote], replace: Callable[[DamagedNote], None]
) -> QMessageBox | None:
    """Tell about damaged settings files, keep copies, and ask before replacing them.

    Yes: ``replace`` saves the usual settings over each file (its copy stays).
    No: nothing is written; Coach uses the usual settings this time and asks
    again at the next start.
    """
    if not notes:
        return None
    parts: list[str] = []
    replaceable: list[DamagedNote] = []
    for note in notes:
        kept, path = kept_text(note)
        parts += [damaged_file_text(note), kept]
        if path is not None:
            replaceable.append(note)
    if not replaceable:
        parts.append(T("Coach uses the usual settings this time and leaves the file as it is."))
        box = QMessageBox(QMessageBox.Icon.Warning, "Coach", "\n\n".join(parts), parent=parent)
        box.setObjectName(DAMAGED_BOX)
        box.open()
        return box
    parts.append(
        T(
            "For now Coach uses the usual settings. "
            "Save the usual settings in place of the damaged file?"
        )
    )
    box = QMessageBox(QMessageBox.Icon.Question, "Coach", "\n\n".join(parts), parent=parent)
    box.setObjectName(DAMAGED_BOX)
    yes = box.addButton(T("Yes, replace it"), QMessageBox.ButtonRole.YesRole)
    box.addButton(T("No, leave it"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes)

    def answered(_result: int) -> None:
        if box.clickedButton() is yes:
            for note in replaceable:
                replace(note)

    box.finished.connect(answered)
    box.open()
    return box


def _day_text(day: dt.date) -> str:
    return QLocale(language()).toString(
        QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
    )


def interrupted_text(sessions: Sequence[Interrupted], today: dt.date | None = None) -> str:
    """ "Yesterday's session stopped at exercise 3 - it counts as partly done." One line each."""
    today = today or dt.date.today()
    lines: list[str] = []
    for session in sessions:
        day = session.started_utc.astimezone().date()
        number = session.exercise_no
        if day == today:
            line = (
                T("Today's session stopped at exercise {number} — it counts as partly done.")
                if number
                else T("Today's session stopped early — it counts as partly done.")
            )
        elif day == today - dt.timedelta(days=1):
            line = (
                T("Yesterday's session stopped at exercise {number} — it counts as partly done.")
                if number
                else T("Yesterday's session stopped early — it counts as partly done.")
            )
        else:
            line = (
                T("The session on {day} stopped at exercise {number} — it counts as partly done.")
                if number
                else T("The session on {day} stopped early — it counts as partly done.")
            )
        lines.append(line.format(number=number, day=_day_text(day)))
    lines.append(T("Coach or the computer stopped in the middle of it. What you did is saved."))
    return "\n\n".join(lines)


def tell_interrupted(
    parent: QWidget, sessions: Sequence[Interrupted], today: dt.date | None = None
) -> QMessageBox | None:
    if not sessions:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information, "Coach", interrupted_text(sessions, today), parent=parent
    )
    box.setObjectName(INTERRUPTED_BOX)
    box.open()
    return box
