"""Start the GUI: resolve paths once, load the library and the preferences, show.

With ``--tray`` (the start-at-login mode) only the reminders run until the
person opens Coach from the tray or a reminder; the window and the library are
built then, so Coach waits in the tray with little memory.

One Coach runs per data folder (:mod:`coach.instance`): a second start hands
its request (show the window, open a file) to the first and ends. Only then is
the store opened and a session left in progress closed as interrupted.
"""

from __future__ import annotations

import linecache
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from coach.core.common.paths import Paths
    from coach.core.content.library import Library
    from coach.core.progress.interrupted import Interrupted
    from coach.core.progress.store import Store
    from coach.instance import Instance
    from coach.ui.main_window import MainWindow


def load_library(paths: Paths) -> Library:
    """The library for the window, without the source text that loading leaves behind.

    PySide6 reads the source of every module imported after it (to look for
    ``from __feature__ import``) and Python's linecache keeps each file it
    read. Loading the library is when the model and most of ``coach.core`` are
    imported, and their source lines would stay in memory for nothing (with
    pydantic, which Coach used before, ~8 MiB). Tracebacks read the files again
    when they need them.
    """
    from coach.core.content.library import Library

    library = Library.load(paths)
    linecache.clearcache()
    return library


def open_store(
    paths: Paths, interrupted: list[Interrupted] | None = None
) -> tuple[Store | None, str | None]:
    """The progress store, or None and a message: without it the app still runs.

    Sessions a crash left in progress are closed (this is the only Coach on
    the folder); those that did some exercise are added to ``interrupted``.
    """
    from coach.core.progress.interrupted import close_interrupted
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    try:
        paths.ensure_data_dir()
        store = Store.open(paths.database)
        from coach.core.progress.step_queue import replay_pending

        # What a fault kept in the journal goes in first: its "completed" is not "abandoned".
        replay_pending(store)
        found = close_interrupted(store)
        if interrupted is not None:
            interrupted.extend(found)
    except StoreError as exc:
        return None, f"{exc.message} Your progress will not be saved this time."
    except OSError as exc:
        return None, f"The data folder cannot be used ({exc.strerror}). Progress is not saved."
    return store, None


def make_reminders(app: QApplication, paths: Paths, lang: str) -> tuple[Any, Any, list[str]]:
    """The reminder service and the tray (or the always-on-top popup without one).

    Needs neither the window nor the library: the service runs on the plan
    cached in reminders.json.
    """
    from coach.core.reminders.settings_file import load_settings, settings_path
    from coach.ui.reminders.tray import ReminderService, TrayPresence

    path = settings_path(paths.data)
    settings, notes = load_settings(path)
    service = ReminderService(settings, path=path)
    presence = TrayPresence(service, paths.assets, lang=lang)
    presence.quit_requested.connect(app.quit)
    return service, presence, list(notes)


def attach_reminders(
    window: MainWindow, service: Any, presence: Any, library: Library, store: Store | None
) -> None:
    """Once the window and the library exist, reminders follow the real plan."""
    from coach.core.reminders.plan_entries import plan_entries
    from coach.ui.reminders.tray import (
        routine_picture_from,
        store_done_this_week,
        store_done_today,
    )

    presence.routine_picture = routine_picture_from(library)
    window.reminders, window.tray = service, presence
    service.set_plan(plan_entries(library, inputs=window.personal_inputs()))
    if store is not None:
        service.set_done_today(store_done_today(store), store_done_this_week(store))


def run(
    data_dir: str | Path | None = None,
    *,
    smoke: bool = False,
    open_file: Path | None = None,
    tray: bool = False,
) -> int:
    """Start Coach: the window, or with ``tray`` only the reminders until asked."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from coach.core.common.damaged import DamagedNote
    from coach.core.common.paths import resolve
    from coach.core.common.settings import load_preferences
    from coach.ui import i18n, theme
    from coach.ui.i18n import T

    paths = resolve(data_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Coach")
    app.setOrganizationName("Coach")
    app.setApplicationDisplayName("Coach")
    from coach.ui.widgets import guard_wheel

    guard_wheel(app)  # before any window: the wheel scrolls pages, never a field under it
    theme.load_fonts(paths.assets)
    prefs, notes = load_preferences(paths.settings)
    i18n.set_language(prefs.language, paths.assets)
    instance = claim_data_folder(paths, smoke=smoke, open_file=open_file, tray=tray)
    if isinstance(instance, int):
        return instance
    theme.apply(app, prefs.text_scale, prefs.high_contrast)
    reminders: list[Any] = []  # [service, presence] once they run
    windows: list[MainWindow] = []
    interrupted: list[Interrupted] = []

    def start_reminders() -> None:
        service, presence, reminder_notes = make_reminders(app, paths, prefs.language)
        notes.extend(reminder_notes)
        reminders.extend([service, presence])
        presence.open_requested.connect(lambda: open_window())
        presence.start_routine_requested.connect(
            lambda rid: open_window(then=lambda: windows[0].start_routine(rid))
        )
        service.start()

    def load_content(window: MainWindow, then: Callable[[], None] | None) -> None:
        # Validating every routine file takes a noticeable moment; the window
        # is already on screen by then, saying that it is loading.
        library = load_library(paths)
        store, store_problem = open_store(paths, interrupted)
        # The library first: the reminders' plan is the personal plan, which
        # the window works out from it.
        window.set_library(library, store)
        if not smoke:
            if not reminders:
                start_reminders()
            attach_reminders(window, reminders[0], reminders[1], library, store)
            # Without a tray, closing the window must still quit the app.
            app.setQuitOnLastWindowClosed(reminders[1].tray is None)
        damaged = [n for n in notes if isinstance(n, DamagedNote)]
        problems = [n for n in notes if not isinstance(n, DamagedNote)]
        problems += [str(p) for p in library.problems]
        if store_problem:
            problems.insert(0, store_problem)
        if smoke:
            app.exit(0 if window.isVisible() and library.routines else 1)
            return
        if then is not None:
            then()
        elif open_file is not None:
            window.open_file(open_file)
        else:
            from coach.ui import start_notes

            # First run (or the health answers were damaged: the flow said so
            # and kept a copy); not for a clinician.
            start_notes.ask_health_questions(window)
        if problems:
            QMessageBox.information(
                window, "Coach", "Some files could not be used:\n\n" + "\n".join(problems[:12])
            )
        from coach.ui import start_notes

        start_notes.ask_about_damaged(window, damaged, lambda note: replace(window, note))
        start_notes.tell_interrupted(window, interrupted)

    def replace(window: MainWindow, note: DamagedNote) -> None:
        """The person said yes: the usual settings replace a damaged file (its copy stays)."""
        from coach.core.common.settings import save_preferences

        if note.path == paths.settings:
            try:
                save_preferences(paths.settings, window.prefs)
            except OSError as exc:
                QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Coach",
                    T("Your settings could not be saved: {why}").format(why=exc.strerror or exc),
                    parent=window,
                ).open()
        elif reminders and note.path == reminders[0].path:
            reminders[0].save()

    def handle(message: dict[str, Any]) -> None:
        """A second start of Coach on this data folder asked for something."""
        wanted = message.get("open")
        if isinstance(wanted, str) and wanted:
            open_window(then=lambda: windows[0].open_file(Path(wanted)))
        elif not message.get("tray"):
            open_window()

    def open_window(then: Callable[[], None] | None = None) -> None:
        if windows:
            window = windows[0]
            window.showNormal()
            window.raise_()
            window.activateWindow()
            if then is not None:
                then()
            return
        from coach.ui.main_window import MainWindow

        window = MainWindow(paths, prefs)
        windows.append(window)
        window.show()
        if smoke and os.environ.get("COACH_SMOKE_AT") == "shown":
            # The benchmark's first figure: time until the window is on screen.
            QTimer.singleShot(0, lambda: app.exit(0 if window.isVisible() else 1))
        else:
            QTimer.singleShot(0, lambda: load_content(window, then))

    if tray and not smoke:
        app.setQuitOnLastWindowClosed(False)
        start_reminders()
    else:
        open_window()
    if instance is not None and not smoke:
        instance.request.connect(handle)
        QTimer.singleShot(0, instance.listen)  # after the first paint
    try:
        return app.exec()
    finally:
        if instance is not None:
            instance.release()


ALREADY_RUNNING = 3
"""The exit code of a Coach refused because another Coach has its data folder."""


def claim_data_folder(
    paths: Paths, *, smoke: bool, open_file: Path | None, tray: bool
) -> Instance | int | None:
    """This Coach's claim on the data folder, or the exit code when another has it.

    The other Coach gets the request (open the file, show the window) and
    this one ends with 0; if it cannot be reached, this one says why and
    ends with :data:`ALREADY_RUNNING`. None: the folder cannot be used at
    all (the store will say so); the app runs without a claim.
    """
    from PySide6.QtWidgets import QMessageBox

    from coach.instance import Instance, hand_over
    from coach.ui.i18n import T

    try:
        data = paths.ensure_data_dir()
    except OSError:
        return None
    instance = Instance(data)
    if instance.claim():
        return instance
    message: dict[str, object] = {"show": True}
    if open_file is not None:
        message = {"open": str(Path(open_file).expanduser().resolve())}
    elif tray:
        message = {"tray": True}
    if hand_over(data, message):
        print("Coach is already open for this data folder: it takes over.", file=sys.stderr)
        return 0
    text = T(
        "Coach is already open for this person's data, perhaps on another computer. "
        "Please close that Coach first, then start Coach again."
    )
    print(f"{text} ({data})", file=sys.stderr)
    if not smoke:
        QMessageBox.warning(None, "Coach", text)
    return ALREADY_RUNNING
