"""The routine's file on disk: noticing that it changed, reloading it, opening one.

A routine file may change while the editor has it open: a colleague's Coach
on the clinic share, a file copied in, an editor outside Coach. The editor
remembers what the file said when it read or wrote it (a hash, and the routine
it held) and looks again before a hand-over and before saving over it, so a
stale plan is never handed over and nobody's change is overwritten unasked.
A mixin of the editor page, like the library pane and the dose form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from coach.core.clinic.install import from_installed_plan
from coach.core.common.paths import Paths
from coach.core.content.files import FileProblems, load_document
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.ui.clinic.editor.custom_exercise_dialog import register_in_library
from coach.ui.clinic.editor.draft import Draft
from coach.ui.clinic.editor.style import show_error
from coach.ui.i18n import T

DISK_CHANGED_BOX = "file-changed"


def file_digest(path: Path) -> str | None:
    """The file's content hash, or None when it cannot be read (gone, no permission)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def refresh_changed_routines(library: Library, paths: Paths) -> list[str]:
    """Read again every routine of the clinic's own whose file no longer says what
    the library holds; the problems of those that cannot be used now.

    A file that reads as the same routine (touched, comments edited) is no
    change. Plans installed from another clinician are not the clinic's to
    hand over, and are left alone.
    """
    problems: list[str] = []
    for (kind, ident), loaded in list(library.sources.items()):
        if kind != "routine" or library.origin("routine", ident) != "user":
            continue
        if from_installed_plan(library, paths, "routine", ident):
            continue
        try:
            fresh = load_document(loaded.path)
        except FileProblems as exc:
            problems.append(str(exc))
            continue
        if fresh.document == library.routines.get(ident):
            continue
        found = library.check([fresh])
        if found:
            problems.extend(str(p) for p in found)
            continue
        register_in_library(library, loaded.path)
    return problems


class RoutineFile:
    """Compares the open routine with its file; reloads it, or asks when both changed.

    A mixin of the editor page, which provides what is declared below.
    """

    library: Library
    source: Path | None
    routine_id: str | None
    draft: Draft
    status: QLabel
    summary_error: QLabel
    _disk_digest: str | None
    _disk_routine: Routine | None
    question: QMessageBox | None
    save: Callable[..., bool]
    open_routine: Callable[[str], None]
    current_row: Callable[[], int | None]
    select: Callable[[int], None]
    _load: Callable[[Draft, str | None, Path | None], None]

    def disk_changed(self) -> bool:
        """Whether the routine's file says something else than the editor read or wrote."""
        if self.source is None:
            return False
        digest = file_digest(self.source)
        if digest is not None and digest == self._disk_digest:
            return False
        try:
            loaded = load_document(self.source)
        except FileProblems:
            return True
        if self._disk_routine is None or loaded.document != self._disk_routine:
            return True
        self._disk_digest = digest  # the same routine (touched, or its comments edited)
        return False

    def ask_about_disk(self, then: Callable[[], None] | None = None) -> QMessageBox:
        """ "Reload it, or keep your version?" Keep saves over the file, then runs ``then``."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            T("The file changed on disk"),
            T("The file changed on disk. Reload it, or keep your version?"),
            parent=cast(QWidget, self),
        )
        box.setObjectName(DISK_CHANGED_BOX)
        box.setInformativeText(
            T(
                "Reload shows the routine as the file says now; your changes here are "
                "dropped. Keep writes your version over the file."
            )
            + (f"\n\n{self.source}" if self.source else "")
        )
        reload_button = box.addButton(T("Reload it"), QMessageBox.ButtonRole.DestructiveRole)
        keep_button = box.addButton(T("Keep my version"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(T("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep_button)

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            if clicked is reload_button:
                if self.reload_from_disk():
                    self.status.setText(
                        T("Reloaded from disk. Check it, then hand it over.")
                        if then is not None
                        else T("Reloaded from disk.")
                    )
            elif clicked is keep_button and self.save(over_disk=True) and then is not None:
                then()

        box.finished.connect(answered)
        self.question = box
        box.open()
        return box

    def reload_from_disk(self) -> bool:
        """Show the routine as its file says now; False (and why) when the file cannot be used."""
        if self.source is None:
            return False
        try:
            loaded = load_document(self.source)
        except FileProblems as exc:
            show_error(self.summary_error, T("The file cannot be used now: {why}").format(why=exc))
            return False
        routine = loaded.document
        problems = self.library.check([loaded]) if isinstance(routine, Routine) else []
        if not isinstance(routine, Routine) or problems:
            why = str(problems[0]) if problems else T("it holds an exercise, not a routine")
            show_error(self.summary_error, T("The file cannot be used now: {why}").format(why=why))
            return False
        register_in_library(self.library, self.source)
        row = self.current_row()
        self._load(Draft.from_routine(routine), routine.id, self.source)
        self._disk_digest = file_digest(self.source)
        if row is not None and 0 <= row < len(self.draft.items):
            self.select(row)
        show_error(self.summary_error, None)
        return True

    def open_routine_file(self, path: Path) -> bool:
        """File > Open with a routine file: the routine as a new one of the clinic's
        (saving adds it to the routines), or the routine itself when it is one already."""
        for (kind, ident), loaded in self.library.sources.items():
            if kind == "routine" and loaded.path.resolve() == path.resolve():
                self.open_routine(ident)
                return True
        try:
            loaded = load_document(path)
        except FileProblems as exc:
            show_error(self.summary_error, T("This file cannot be opened: {why}").format(why=exc))
            return False
        routine = loaded.document
        problems = self.library.check([loaded]) if isinstance(routine, Routine) else []
        if not isinstance(routine, Routine) or problems:
            why = str(problems[0]) if problems else T("it holds an exercise, not a routine")
            show_error(self.summary_error, T("This file cannot be opened: {why}").format(why=why))
            return False
        self._load(Draft.from_routine(routine), None, None)
        show_error(self.summary_error, None)
        self.status.setText(
            T("Opened {file}: save it to keep it with your routines.").format(file=path.name)
        )
        return True
