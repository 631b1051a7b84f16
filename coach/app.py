"""Start the GUI: resolve paths once, load the library and the preferences, show."""

from __future__ import annotations

import sys
from pathlib import Path


def run(data_dir: str | Path | None = None, *, smoke: bool = False) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from coach.core.library import Library
    from coach.core.paths import resolve
    from coach.core.settings import load_preferences, save_preferences
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
    library = Library.load(paths)

    window = MainWindow(paths, library, prefs)

    def on_preferences_changed(new_prefs: object) -> None:
        from coach.core.settings import Preferences

        assert isinstance(new_prefs, Preferences)
        i18n.set_language(new_prefs.language, paths.assets)
        theme.apply(app, new_prefs.text_scale, new_prefs.high_contrast)
        window.apply_preferences(new_prefs)
        try:
            paths.ensure_data_dir()
            save_preferences(paths.settings, new_prefs)
        except OSError as exc:
            QMessageBox.warning(window, "Coach", f"Your settings could not be saved: {exc.strerror}")

    window.preferences_changed.connect(on_preferences_changed)
    window.show()
    if smoke:
        QTimer.singleShot(0, lambda: app.exit(0 if window.isVisible() else 1))
    else:
        problems = notes + [str(p) for p in library.problems]
        if problems:
            QTimer.singleShot(
                0,
                lambda: QMessageBox.information(
                    window, "Coach", "Some files could not be used:\n\n" + "\n".join(problems[:12])
                ),
            )
    return app.exec()
