"""Start the GUI: resolve paths once, load the library and the preferences, show."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from coach.core.library import Library
    from coach.core.paths import Paths
    from coach.core.store import Store
    from coach.ui.main_window import MainWindow


def open_store(paths: Paths) -> tuple[Store | None, str | None]:
    """The progress store, or None and a message: without it the app still runs."""
    from coach.core.store import Store, StoreError

    try:
        paths.ensure_data_dir()
        store = Store.open(paths.database)
        store.mark_abandoned_sessions()
    except StoreError as exc:
        return None, f"{exc.message} Your progress will not be saved this time."
    except OSError as exc:
        return None, f"The data folder cannot be used ({exc.strerror}). Progress is not saved."
    return store, None


def start_reminders(
    app: QApplication,
    window: MainWindow,
    paths: Paths,
    library: Library,
    store: Store | None,
    lang: str,
) -> list[str]:
    """The reminder service and the tray (or the always-on-top popup without one)."""
    from coach.core import reminders as rcore
    from coach.ui.tray import (
        ReminderService,
        TrayPresence,
        plan_from_library,
        routine_picture_from,
        store_done_today,
    )

    path = rcore.settings_path(paths.data)
    settings, notes = rcore.load_settings(path)
    service = ReminderService(settings, path=path)
    presence = TrayPresence(service, paths.assets, lang=lang)
    presence.routine_picture = routine_picture_from(library)
    # Without a tray, closing the window must still quit the app.
    app.setQuitOnLastWindowClosed(presence.tray is None)
    window.reminders, window.tray = service, presence

    def show_window() -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()

    def start_routine(routine_id: str) -> None:
        show_window()
        window.start_routine(routine_id)

    presence.open_requested.connect(show_window)
    presence.start_routine_requested.connect(start_routine)
    presence.quit_requested.connect(app.quit)
    service.set_plan(plan_from_library(library))
    if store is not None:
        service.set_done_today(store_done_today(store))
    service.start()
    return list(notes)


def run(
    data_dir: str | Path | None = None, *, smoke: bool = False, open_file: Path | None = None
) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from coach.core.paths import resolve
    from coach.core.settings import load_preferences
    from coach.ui import i18n, theme
    from coach.ui.main_window import MainWindow

    paths = resolve(data_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Coach")
    app.setOrganizationName("Coach")
    app.setApplicationDisplayName("Coach")
    theme.load_fonts(paths.assets)
    prefs, notes = load_preferences(paths.settings)
    i18n.set_language(prefs.language, paths.assets)
    theme.apply(app, prefs.text_scale, prefs.high_contrast)
    window = MainWindow(paths, prefs)

    def load_content() -> None:
        # Validating every routine file takes a noticeable moment; the window
        # is already on screen by then, saying that it is loading.
        from coach.core.library import Library

        library = Library.load(paths)
        store, store_problem = open_store(paths)
        if not smoke:
            notes.extend(start_reminders(app, window, paths, library, store, prefs.language))
        window.set_library(library, store)
        problems = notes + [str(p) for p in library.problems]
        if store_problem:
            problems.insert(0, store_problem)
        if smoke:
            app.exit(0 if window.isVisible() and library.routines else 1)
            return
        if open_file is not None:
            window.open_file(open_file)
        elif window.flow.profile is None:
            # First run: the health questions come first, so that what is
            # offered is safe from the very first session.
            window.flow.edit_profile()
        if problems:
            QMessageBox.information(
                window, "Coach", "Some files could not be used:\n\n" + "\n".join(problems[:12])
            )

    window.show()
    if smoke and os.environ.get("COACH_SMOKE_AT") == "shown":
        # The benchmark's first figure: time until the window is on screen.
        QTimer.singleShot(0, lambda: app.exit(0 if window.isVisible() else 1))
    else:
        QTimer.singleShot(0, load_content)
    return app.exec()
