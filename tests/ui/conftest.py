"""Fixtures for the GUI tests: the real window on the real built-in content."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.common.paths import Paths, resolve
from coach.core.common.settings import Preferences
from coach.core.content.library import Library

_LIBRARY: dict[str, Library] = {}


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve(data_dir)


@pytest.fixture
def library(paths: Paths) -> Library:
    # Loading is read-only, so one copy serves every test.
    if "lib" not in _LIBRARY:
        _LIBRARY["lib"] = Library.load(paths)
    return _LIBRARY["lib"]


@pytest.fixture
def window(qtbot, paths: Paths, library: Library):  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme
    from coach.ui.main_window import MainWindow

    i18n.set_language("en", paths.assets)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.load_fonts(paths.assets)
    theme.apply(app, 125)
    win = MainWindow(paths, Preferences(), library)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    i18n.set_language("en", paths.assets)
    theme.apply(app, 125)
