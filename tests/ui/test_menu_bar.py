"""The menu bar a desktop program is expected to have: File > Open…, Print…, Quit; Help > About.

The real main window, in English and German, with the keys people know.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QWidget

from coach.core.common.paths import Paths
from coach.core.common.settings import Preferences
from coach.core.content.library import Library
from coach.ui.main_window import MainWindow


def make_window(qtbot, paths: Paths, library: Library, **prefs: object) -> MainWindow:  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    preferences = Preferences(**prefs)  # type: ignore[arg-type]
    i18n.set_language(preferences.language, paths.assets)
    if app.styleSheet() != theme.style_sheet(125):
        theme.apply(app, 125)
    window = MainWindow(paths, preferences, library)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture(autouse=True)
def _english_afterwards(paths: Paths):  # type: ignore[no-untyped-def]
    yield
    from coach.ui import i18n

    i18n.set_language("en", paths.assets)


def menus(window: MainWindow) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        out[action.text()] = [a.text() for a in menu.actions() if not a.isSeparator()]
    return out


def test_the_menus_and_their_keys(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, paths, library)
    assert window.menuBar().isVisible()
    assert menus(window) == {
        "&File": ["&Open…", "&Print…", "&Quit"],
        "&Help": ["&About Coach"],
    }
    keys = {name: a.shortcut() for name, a in window.menu_actions.items()}
    assert keys["open"] == QKeySequence("Ctrl+O")
    assert keys["print"] == QKeySequence("Ctrl+P")
    assert keys["quit"] == QKeySequence("Ctrl+Q")


def test_german_menus(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, paths, library, language="de")
    assert menus(window) == {
        "&Datei": ["Ö&ffnen…", "&Drucken…", "&Beenden"],
        "&Hilfe": ["Ü&ber Coach"],
    }


def test_the_menus_follow_a_new_language(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, paths, library)
    window.apply_preferences(window.prefs.changed(language="de"))
    assert list(menus(window)) == ["&Datei", "&Hilfe"]
    assert len(window.menuBar().actions()) == 2  # rebuilt, not added to


def test_open_asks_for_a_plan_and_opens_it(
    qtbot, paths: Paths, library: Library, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import coach.ui.clinic.assignment_view as assignment_view

    window = make_window(qtbot, paths, library)
    chosen: list[Path] = []
    monkeypatch.setattr(
        assignment_view, "choose_open_path", lambda parent, done: done(Path("/x/plan.coach"))
    )
    monkeypatch.setattr(window, "open_file", chosen.append)
    window.menu_actions["open"].trigger()
    assert chosen == [Path("/x/plan.coach")]


def test_a_clinician_opens_a_routine_file_in_the_editor(  # type: ignore[no-untyped-def]
    qtbot, paths: Paths, tmp_path: Path
) -> None:
    from coach.core.clinic.handover import yaml_text

    window = make_window(qtbot, paths, Library.load(paths), clinician_mode=True)
    window.menu_actions["open"].trigger()
    dialog = window.findChild(QFileDialog, "open-file-dialog")
    assert dialog is not None and "*.yaml" in " ".join(dialog.nameFilters())
    dialog.reject()
    routine = window.lib.routines["daily-relief"]
    copy = tmp_path / "from-a-colleague.yaml"
    copy.write_text(yaml_text(routine), encoding="utf-8")
    window.open_file(copy)
    editor = window.pages["editor"]
    assert window.current_page == "editor"
    assert editor.draft.title["en"] == routine.title.get("en")  # type: ignore[attr-defined]
    assert editor.routine_id is None  # type: ignore[attr-defined]  # saved as the clinic's own
    assert "from-a-colleague.yaml" in editor.status.text()  # type: ignore[attr-defined]


def test_print_is_there_where_a_routine_is_shown(  # type: ignore[no-untyped-def]
    qtbot, paths: Paths, library: Library, monkeypatch
) -> None:
    from coach.sheets import print_actions

    window = make_window(qtbot, paths, library)
    printed: list[str] = []
    monkeypatch.setattr(
        print_actions, "print_routine", lambda parent, sheet: printed.append(sheet.routine.id)
    )
    action = window.menu_actions["print"]
    assert not action.isEnabled()  # the home page: which routine?
    window.open_routine("daily-relief")
    assert action.isEnabled()
    action.trigger()
    assert printed == ["daily-relief"]
    window.show_page("settings")
    assert not action.isEnabled()


def test_print_in_the_editor_prints_the_saved_routine(  # type: ignore[no-untyped-def]
    qtbot, paths: Paths, monkeypatch
) -> None:
    from coach.sheets import print_actions

    window = make_window(qtbot, paths, Library.load(paths), clinician_mode=True)
    printed: list[object] = []
    monkeypatch.setattr(print_actions, "print_routine", lambda parent, sheet: printed.append(sheet))
    editor = window.show_page("editor")
    editor.open_routine("daily-relief")  # type: ignore[attr-defined]  # a built-in: a copy
    window.menu_actions["print"].trigger()
    told = window.findChild(QMessageBox, "print-save-first")
    assert told is not None and told.isVisible() and printed == []
    told.accept()
    assert editor.save()  # type: ignore[attr-defined]
    window.menu_actions["print"].trigger()
    (sheet,) = printed
    assert sheet.routine.id == editor.routine_id  # type: ignore[attr-defined]
    assert sheet.personal is None  # type: ignore[attr-defined]  # as written


def test_about(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    from coach import __version__

    window = make_window(qtbot, paths, library)
    window.menu_actions["about"].trigger()
    box = window.findChild(QMessageBox, "about")
    assert box is not None and box.isVisible()
    assert box.text() == f"Coach {__version__}"
    assert "does not replace it" in box.informativeText()
    assert str(paths.data) in box.informativeText()
    box.accept()


def test_quit_closes_the_window_and_ends_coach(
    qtbot, paths: Paths, library: Library, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, paths, library)
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    window.menu_actions["quit"].trigger()
    assert not window.isVisible() and quits == [True]


def test_quit_stops_the_tray_too(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    class Tray:
        quitting = False

        def quit(self) -> None:
            self.quitting = True

        def keep_running_on_close(self, _window: QWidget) -> bool:
            return False

    window = make_window(qtbot, paths, library)
    window.tray = Tray()
    window.menu_actions["quit"].trigger()
    assert window.tray.quitting


def test_the_menu_rests_during_a_session(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, paths, library)
    window.show_player(QWidget())
    assert not window.menuBar().isVisible()
    window.close_player()
    assert window.menuBar().isVisible()
