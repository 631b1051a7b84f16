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

    from coach.core.common.paths import resolve
    from coach.core.common.settings import Preferences
    from coach.core.content.library import Library
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
        shots = {
            "home": lambda: window.show_page("home"),
            "exercise": lambda: window.open_exercise("T3"),
            "routine": lambda: window.open_routine("daily-relief"),
        }
        for name, show in shots.items():
            show()
            app.processEvents()
            window.grab().save(str(HERE / f"{name}.png"))
            print(HERE / f"{name}.png")
        window.close()
        _player(app, paths, HERE / "player.png")
        print(HERE / "player.png")
    with tempfile.TemporaryDirectory() as data:
        _history(app, Path(data), HERE / "history.png")
        print(HERE / "history.png")
    return 0


def _player(app: object, paths: object, out: Path) -> None:
    """The player mid-hold, driven by a fake clock so the picture is repeatable."""
    from coach.core.content.library import Library
    from coach.core.session.plan import Phase, build_plan
    from coach.ui.session.player import PlayerView

    lib = Library.load(paths)  # type: ignore[arg-type]
    plan = build_plan(lib.routines["daily-relief"], lib.exercises)
    now = [1000.0]
    player = PlayerView(plan, lib, sound=False, voice=False, clock=lambda: now[0])
    player.resize(1280, 800)
    player.show()
    player.start()
    while player.runner.current_step and player.runner.current_step.phase is not Phase.HOLD:
        now[0] += player.runner.remaining_in_step()
        player.tick()
    now[0] += 2
    player.tick()
    app.processEvents()  # type: ignore[attr-defined]
    player.grab().save(str(out))
    player.end_session()
    player.close()


def _history(app: object, data: Path, out: Path) -> None:
    """Two weeks of generated use on the history page."""
    sys.path.insert(0, str(HERE.parent.parent / "tests" / "bench"))
    from progress_bench import generate_use

    from coach.core.common.paths import resolve
    from coach.core.content.library import Library
    from coach.core.progress.store import Store
    from coach.ui.progress.history_view import HistoryView

    generate_use(data, days=14)
    paths = resolve(data)
    store = Store.open(paths.database)
    view = HistoryView(store, Library.load(paths), "en")
    view.resize(1280, 1000)
    view.show()
    app.processEvents()  # type: ignore[attr-defined]
    view.grab().save(str(out))
    view.close()
    store.close()


if __name__ == "__main__":
    raise SystemExit(main())
