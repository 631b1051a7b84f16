"""The app shell, driven like a person would: clicks and keys on the real window."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from coach.core.common.settings import load_preferences
from coach.ui.main_window import MainWindow


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.text() for label in widget.findChildren(QLabel)]


def test_home_lists_every_builtin_routine_with_a_start_button(window: MainWindow) -> None:
    home = window.page("home")
    assert window.current_page == "home"
    starts = {
        b.objectName()
        for b in home.findChildren(QPushButton)
        if b.objectName().startswith("start-")
    }
    assert starts == {f"start-{rid}" for rid in window.lib.routines}
    assert len(starts) >= 7
    texts = _texts(home)
    assert "Daily relief" in texts
    assert any("minutes" in t and "6 exercises" in t for t in texts)
    for button in home.findChildren(QPushButton):
        assert button.accessibleName(), f"button without an accessible name: {button.text()}"


def test_routine_details_show_doses(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.open_routine("daily-relief")
    assert window.current_page == "routine"
    texts = _texts(window.page("routine"))
    assert "2. Pelvic tilt lying down" in texts
    assert "10 times, hold 5 s" in texts


def test_library_hides_extension_exercises_and_searches(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.findChild(QPushButton, "nav-exercises"), Qt.MouseButton.LeftButton)
    view = window.page("exercises")
    assert window.current_page == "exercises"
    shown = view.shown_ids()  # type: ignore[attr-defined]
    assert len(shown) == 39
    assert not [i for i in shown if i.startswith("X")]
    qtbot.keyClicks(view.search, "chair")  # type: ignore[attr-defined]
    narrowed = view.shown_ids()  # type: ignore[attr-defined]
    assert 0 < len(narrowed) < len(shown)
    view.search.clear()  # type: ignore[attr-defined]
    view.category.setCurrentIndex(view.category.findData("balance"))  # type: ignore[attr-defined]
    assert view.shown_ids() == ["B1", "B2", "B3", "B4"]  # type: ignore[attr-defined]


def test_exercise_page_shows_steps_cue_and_pictures(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.page("exercises")
    item = next(
        view.list.item(i)
        for i in range(view.list.count())
        if view.list.item(i).text().startswith("Pelvic tilt lying")
    )  # type: ignore[attr-defined]
    view.list.itemActivated.emit(item)  # type: ignore[attr-defined]
    assert window.current_page == "exercise"
    page = window.page("exercise")
    ex = window.lib.exercises["P1"]
    texts = _texts(page)
    assert ex.title.get() in texts
    assert page.findChild(QLabel, "cue").text() == "✓ " + ex.cue.get()
    assert sum(t.startswith(("1.", "2.", "3.")) for t in texts) >= 3
    from coach.ui.widgets import FigureView

    figures = page.findChildren(FigureView)
    assert len(figures) >= 2
    assert all(f.valid for f in figures), "an illustration did not load"


def test_text_size_scales_and_persists(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    view = window.settings_view
    from coach.ui.theme import point_size

    assert QApplication.font().pointSizeF() == point_size(125)
    qtbot.mouseClick(view.scale_group.button(200), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert QApplication.font().pointSizeF() == point_size(200) == 26.0
    saved = json.loads(paths.settings.read_text(encoding="utf-8"))
    assert saved["text_scale"] == 200
    assert load_preferences(paths.settings)[0].text_scale == 200
    assert os.stat(paths.settings).st_mode & 0o077 == 0


def test_language_switch_rebuilds_in_german(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page("settings")
    view = window.settings_view
    view.language.setCurrentIndex(1)  # type: ignore[attr-defined]
    window.show_page("home")
    assert "Tägliche Entlastung" in _texts(window.page("home"))


def test_bad_settings_file_falls_back(paths) -> None:  # type: ignore[no-untyped-def]
    paths.ensure_data_dir()
    paths.settings.write_text('{"text_scale": 900, "language": "de"}', encoding="utf-8")
    prefs, notes = load_preferences(paths.settings)
    assert prefs.text_scale == 125 and prefs.language == "de"
    assert len(notes) == 1 and "text_scale" in notes[0]


def test_smoke_starts_the_real_app(tmp_path: Path, repo: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, str(repo / "main.py"), "--smoke", "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_every_page_opens_with_a_store(window: MainWindow, qtbot, paths) -> None:  # type: ignore[no-untyped-def]
    from coach.core.progress.store import Store

    store = Store.open(paths.database)
    window.replace_store(store)
    for name in MainWindow.PAGES:
        button = window.findChild(QPushButton, f"nav-{name}")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.current_page == name
        assert window.stack.currentWidget().isVisible()
    assert window.page("settings").findChild(QWidget, "data-view") is not None
    assert [t for t in _texts(window.page("advice")) if "Relief" in t or "relief" in t]
    store.close()
