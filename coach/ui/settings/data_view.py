"""'Your data' in Settings: export (CSV, JSON), backup, restore, delete everything.

File choosers are opened through two replaceable hooks, ``DataView.ask_save_path``
and ``DataView.ask_open_path`` (class attributes), so tests never open a native
dialog. Dialogs open with ``open()`` and answer by signal: no nested loops.

Restoring replaces the database file, so the open Store is closed and a new
one opened; ``store_replaced(new_store_or_None)`` tells the window to hand the
new store to every page that holds one. Deleting works in place on the open
store; ``data_changed()`` tells the pages to refresh.

A backup is a zip of everything the person recorded (the database page for
page, the health answers, reminders and installed plans). Export and backup
work without an open store too (a damaged file, or one from a newer Coach),
reading the file without changing it. When the file is damaged, "Put the
damaged file aside" keeps it under a new name and starts a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.progress.store_errors import StoreError, StoreErrorKind
from coach.ui.flow_layout import FlowLayout
from coach.ui.i18n import T
from coach.ui.widgets import button, card, label

if TYPE_CHECKING:
    from coach.core.common.paths import Paths
    from coach.core.progress.store import Store

PathCallback = Callable[[Path], None]


def _ask_save_path(
    parent: QWidget, title: str, suggested: Path, name_filter: str, done: PathCallback
) -> QWidget:
    dialog = QFileDialog(parent, title, str(suggested.parent), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix(suggested.suffix.lstrip("."))
    dialog.selectFile(suggested.name)
    dialog.fileSelected.connect(lambda name: done(Path(name)))
    dialog.open()
    return dialog


def _ask_open_path(parent: QWidget, title: str, name_filter: str, done: PathCallback) -> QWidget:
    dialog = QFileDialog(parent, title, str(Path.home()), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(lambda name: done(Path(name)))
    dialog.open()
    return dialog


def _danger_stays_red(frame: QWidget) -> None:
    """The theme's card rule paints every button in a card white, the red one too.

    A style sheet on the card wins over the application's (Qt prefers the
    nearest ancestor's), so the delete button keeps the theme's red, in the
    normal or the high-contrast palette, whichever is active.
    """
    from PySide6.QtWidgets import QApplication

    from coach.ui import theme

    app = QApplication.instance()
    sheet = app.styleSheet() if isinstance(app, QApplication) else ""
    contrast = theme.PALETTES["contrast"]
    c = contrast if f"background: {contrast['accent']}" in sheet else theme.PALETTES["normal"]
    frame.setStyleSheet(
        f'QPushButton[role="danger"] {{ background: {c["warn"]}; color: #ffffff; }}'
    )


class DeleteDialog(QDialog):
    """The strong confirmation: say what goes, tick that you understand, then delete."""

    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(T("Delete all your data?"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addWidget(label(T("Delete all your data?"), "h1"))
        layout.addWidget(
            label(
                T(
                    "This deletes every session, pain score, measure, note and activity Coach "
                    "has recorded, and your health answers, reminders and the plans from your "
                    "physiotherapist. Your own routines and settings stay."
                )
            )
        )
        layout.addWidget(
            label(
                T(
                    "Coach first keeps one backup copy in its data folder, so a mistake can be "
                    "undone. Delete that file too if nothing may remain."
                ),
                "muted",
            )
        )
        self.understood = QCheckBox(T("I understand: all my recorded progress will be deleted."))
        self.understood.setObjectName("delete-understood")
        layout.addWidget(self.understood)
        self.problem = label("", "caution")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.delete_button = button(T("Delete everything"), "danger")
        self.delete_button.setObjectName("delete-confirm")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        cancel = button(T("Cancel"))
        cancel.setObjectName("delete-cancel")
        cancel.clicked.connect(self.reject)
        cancel.setDefault(True)
        row = FlowLayout()
        row.addWidget(cancel)
        row.addWidget(self.delete_button)
        layout.addLayout(row)
        cancel.setFocus()

    def _on_delete_clicked(self) -> None:
        if not self.understood.isChecked():
            self.problem.setText(T("Please tick the box first."))
            self.problem.show()
            return
        self.accept()
        self.confirmed.emit()


class DataView(QWidget):
    """The 'Your data' section; put it on the Settings page."""

    store_replaced = Signal(object)  # the reopened Store, or None
    data_changed = Signal()

    # Replaceable in tests: (parent, title, suggested path, filter, done) and
    # (parent, title, filter, done).
    ask_save_path: Callable[..., Any] = staticmethod(_ask_save_path)
    ask_open_path: Callable[..., Any] = staticmethod(_ask_open_path)

    def __init__(
        self,
        store: Store | None,
        paths: Paths,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._paths, self._today = store, paths, today
        self.dialog: QWidget | None = None  # the confirmation open now
        self.chooser: Any = None  # the file dialog open now
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame, box = card()
        frame.setObjectName("your-data")
        _danger_stays_red(frame)
        outer.addWidget(frame)
        box.addWidget(label(T("Your data"), "h2"))
        box.addWidget(
            label(
                T(
                    "Everything Coach records stays on this computer. You can take a copy, "
                    "give it to your physiotherapist, or delete it."
                ),
                "muted",
            )
        )
        self.damaged_note = label("", "caution")
        self.damaged_note.setObjectName("damaged-note")
        self.damaged_note.hide()
        box.addWidget(self.damaged_note)
        quarantine = button(T("Put the damaged file aside and start a new one…"))
        quarantine.setObjectName("quarantine")
        quarantine.clicked.connect(self.quarantine)
        quarantine.hide()
        box.addWidget(quarantine)
        actions = (
            ("export-csv", T("Export as a spreadsheet (CSV)…"), self.export_csv),
            ("export-json", T("Export as JSON…"), self.export_json),
            ("backup", T("Make a backup…"), self.backup),
            ("restore", T("Restore a backup…"), self.restore),
        )
        row = FlowLayout(spacing=12)
        self.buttons: dict[str, Any] = {}
        for name, text, slot in actions:
            b = button(text)
            b.setObjectName(name)
            b.clicked.connect(slot)
            self.buttons[name] = b
            row.addWidget(b)
        box.addLayout(row)
        self.buttons["quarantine"] = quarantine
        delete = button(T("Delete all my data…"), "danger")
        delete.setObjectName("delete-all")
        delete.clicked.connect(self.delete_all)
        self.buttons["delete-all"] = delete
        danger = FlowLayout()
        danger.addWidget(delete)
        box.addLayout(danger)
        self.status = label("")
        self.status.setObjectName("data-status")
        self.status.hide()
        box.addWidget(self.status)
        self._update_enabled()

    # -- public ------------------------------------------------------------------
    @property
    def store(self) -> Store | None:
        return self._store

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self._update_enabled()

    # -- actions -------------------------------------------------------------------
    def _suggested(self, stem: str, suffix: str) -> Path:
        return Path.home() / f"{stem}-{self._today().isoformat()}{suffix}"

    def export_csv(self) -> None:
        self._export("csv", self._suggested("coach-export", ".zip"), T("Zip files (*.zip)"))

    def export_json(self) -> None:
        self._export("json", self._suggested("coach-export", ".json"), T("JSON files (*.json)"))

    def _export(self, fmt: str, suggested: Path, name_filter: str) -> None:
        def chosen(path: Path) -> None:
            from coach.core.progress.export import EXPORTERS

            source = self._store if self._store is not None else self._paths.database
            try:
                written = EXPORTERS[fmt](source, path)
            except StoreError as exc:
                if exc.kind is StoreErrorKind.CORRUPT:
                    self._say(
                        T(
                            "Your progress file is too damaged to export. "
                            "A backup still copies it as it is."
                        ),
                        ok=False,
                    )
                else:
                    self._say(exc.message, ok=False)
            except OSError as exc:
                self._say(
                    T("The export could not be written: {why}").format(why=exc.strerror or exc),
                    ok=False,
                )
            else:
                text = T("Exported to {path}.").format(path=path)
                if written.damaged:
                    text += " " + _damaged_text(written.damaged)
                self._say(text)

        self.chooser = self.ask_save_path(
            self, T("Export your data"), suggested, name_filter, chosen
        )

    def backup(self) -> None:
        def chosen(path: Path) -> None:
            from coach.core.progress.backup import write_backup

            try:
                write_backup(self._paths.data, path, store=self._store)
            except StoreError as exc:
                self._say(exc.message, ok=False)
            except OSError as exc:
                self._say(
                    T("The backup could not be written: {why}").format(why=exc.strerror or exc),
                    ok=False,
                )
            else:
                self._say(T("Backup saved as {path}.").format(path=path))

        suggested = self._suggested("coach-backup", ".zip")
        self.chooser = self.ask_save_path(
            self, T("Make a backup"), suggested, T("Coach backups (*.zip)"), chosen
        )

    def restore(self) -> None:
        self.chooser = self.ask_open_path(
            self,
            T("Restore a backup"),
            T("Coach backups (*.zip *.sqlite3);;All files (*)"),
            self._confirm_restore,
        )

    def _confirm_restore(self, path: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            T("Restore a backup"),
            T(
                "Replace your current data with the backup “{name}”? Your current data is "
                "kept as a copy in Coach's data folder."
            ).format(name=path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(T("Yes, restore"))
        yes.setObjectName("restore-yes")
        box.button(QMessageBox.StandardButton.Cancel).setText(T("Cancel"))
        box.buttonClicked.connect(lambda b: self._on_restore_answer(box, b, path))
        self.dialog = box
        box.open()

    def _on_restore_answer(self, box: QMessageBox, clicked: Any, path: Path) -> None:
        if box.standardButton(clicked) == QMessageBox.StandardButton.Yes:
            self.restore_from(path)

    def restore_from(self, path: Path) -> None:
        """Close the store, put the backup in place (a bad one changes nothing), reopen."""
        from coach.core.progress.backup import restore_backup
        from coach.core.progress.store import Store

        database = self._paths.database
        if self._store is not None:
            self._store.close()
        problem: str | None = None
        kept: Path | None = None
        moved: Path | None = None
        try:
            result = restore_backup(path, self._paths.data)
            kept, moved = result.kept_database, result.kept_files
        except StoreError as exc:
            problem = exc.message
        except OSError as exc:
            problem = T("The backup could not be restored: {why}").format(why=exc.strerror or exc)
        try:
            self._store = Store.open(database)
        except StoreError as exc:
            self._store = None
            problem = (problem + " " if problem else "") + exc.message
        self._update_enabled()
        self.store_replaced.emit(self._store)
        if problem:
            self._say(problem, ok=False)
        else:
            text = T("Your backup was restored.")
            if kept is not None:
                text += " " + T("Your previous data was kept as {path}.").format(path=kept)
            if moved is not None:
                text += " " + T(
                    "Your previous health answers, reminders and plans were moved to {path}."
                ).format(path=moved)
            self._say(text)
            self.data_changed.emit()

    def delete_all(self) -> None:
        dialog = DeleteDialog(self)
        dialog.confirmed.connect(self._on_delete_confirmed)
        self.dialog = dialog
        dialog.open()

    def _on_delete_confirmed(self) -> None:
        from coach.core.progress.export import delete_everything

        if self._store is None:
            return
        try:
            deleted = delete_everything(self._store)
        except StoreError as exc:
            self._say(exc.message, ok=False)
            return
        except OSError as exc:
            self._say(T("Not everything could be deleted: {why}").format(why=exc.strerror or exc))
            self.data_changed.emit()
            return
        text = T("All your recorded progress was deleted. A backup copy was kept as {path}.")
        text = text.format(path=deleted.database_copy)
        if deleted.files_folder is not None:
            text += " " + T(
                "Your health answers, reminders and plans were moved to {path}."
            ).format(path=deleted.files_folder)
        self._say(text)
        self.data_changed.emit()

    def quarantine(self) -> None:
        """Ask, then put the damaged file aside (kept, renamed) and start a new one."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            T("Put the damaged file aside"),
            T(
                "Coach keeps the damaged progress file under a new name in its data folder "
                "and starts a new, empty one. Nothing is deleted. Go ahead?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(T("Yes, put it aside"))
        yes.setObjectName("quarantine-yes")
        box.button(QMessageBox.StandardButton.Cancel).setText(T("Cancel"))
        box.buttonClicked.connect(
            lambda b: (
                self._put_aside()
                if box.standardButton(b) == QMessageBox.StandardButton.Yes
                else None
            )
        )
        self.dialog = box
        box.open()

    def _put_aside(self) -> None:
        from coach.core.progress.store import Store

        try:
            damaged = Store.quarantine_and_recreate(self._paths.database)
            self._store = Store.open(self._paths.database)
        except StoreError as exc:
            self._say(exc.message, ok=False)
            self._update_enabled()
            return
        self._update_enabled()
        self.store_replaced.emit(self._store)
        self._say(
            T("The damaged progress file was kept as {path}. Coach has started a new one.").format(
                path=damaged
            )
        )
        self.data_changed.emit()

    def damaged_file(self) -> bool:
        """Whether the progress file is there but damaged (not only newer or locked)."""
        if self._store is not None or not self._paths.database.is_file():
            return False
        from coach.core.progress.store_file import inspect_read_only

        try:
            inspect_read_only(self._paths.database)
        except StoreError as exc:
            return exc.kind is StoreErrorKind.CORRUPT
        return False

    # -- helpers -------------------------------------------------------------------
    def _say(self, text: str, *, ok: bool = True) -> None:
        self.status.setText(("✓ " if ok else "") + text)
        self.status.setProperty("role", "cue" if ok else "caution")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.show()

    def _update_enabled(self) -> None:
        has_store = self._store is not None
        has_file = has_store or self._paths.database.is_file()
        for name, b in self.buttons.items():
            # Restore stays possible without a working store: it may be the way out;
            # export and backup read a file Coach could not open without changing it.
            if name in ("export-csv", "export-json", "backup"):
                b.setEnabled(has_file)
            else:
                b.setEnabled(has_store or name in ("restore", "quarantine"))
        damaged = self.damaged_file()
        self.buttons["quarantine"].setVisible(damaged)
        self.damaged_note.setVisible(damaged)
        if damaged:
            self.damaged_note.setText(
                T(
                    "Your progress file is damaged and Coach cannot read it. It has not been "
                    "changed. Make a backup of it first, then Coach can put it aside and start "
                    "a new one."
                )
            )


def _damaged_text(count: int) -> str:
    if count == 1:
        return T("One damaged entry could not be read exactly; it is marked in the export.")
    text = T("{n} damaged entries could not be read exactly; they are marked in the export.")
    return text.format(n=count)
