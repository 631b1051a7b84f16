"""Regenerate the README screenshots: ``python docs/screenshots/make.py``.

Runs offscreen on a temporary data folder, so it never touches real data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from coach.core.library import Library
    from coach.core.paths import resolve
    from coach.core.settings import Preferences
    from coach.ui import i18n, theme
    from coach.ui.main_window import MainWindow

    app = QApplication([])
    with tempfile.TemporaryDirectory() as data:
        paths = resolve(data)
        theme.load_fonts(paths.assets)
        theme.apply(app, 125)
        i18n.set_language("en", paths.assets)
        window = MainWindow(paths, Preferences(), Library.load(paths))
        window.resize(1280, 860)
        window.show()
        app.processEvents()
        shots = {"home": lambda: window.show_page("home"),
                 "exercise": lambda: window.open_exercise("T3"),
                 "routine": lambda: window.open_routine("daily-relief")}
        for name, show in shots.items():
            show()
            app.processEvents()
            window.grab().save(str(HERE / f"{name}.png"))
            print(HERE / f"{name}.png")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
