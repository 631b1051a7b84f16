"""In clinician mode Coach does not ask the clinician's own health questions at every start.

The health questions open on a person's first start so that what is offered
is safe from the first session; a physiotherapist using Coach at the clinic
has no answers to give and was asked at every start. The real start
(``coach.app.run``) in its own process, and the start's decision on the real
window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.core.common.paths import Paths
from coach.core.common.settings import Preferences, save_preferences
from coach.core.content.library import Library
from coach.ui import start_notes
from coach.ui.main_window import MainWindow
from coach.ui.session.safety_views import ProfileDialog

PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
import coach.app

APP = QApplication(sys.argv[:1])
waited = [0]


def look():
    dialogs = [type(w).__name__ for w in APP.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible()]
    window = [w for w in APP.topLevelWidgets() if type(w).__name__ == "MainWindow"]
    loaded = bool(window) and window[0].library is not None
    waited[0] += 1
    if (not loaded or not dialogs) and waited[0] < 25:
        QTimer.singleShot(200, look)
        return
    print(json.dumps({"dialogs": dialogs, "loaded": loaded}), flush=True)
    APP.exit(0)

QTimer.singleShot(300, look)
raise SystemExit(coach.app.run(data_dir=sys.argv[1]))
"""


def _start(data: Path, repo: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("COACH_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data)],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
        cwd=repo,
    )
    assert result.returncode == 0, result.stderr
    told = json.loads(result.stdout.strip().splitlines()[-1])
    assert isinstance(told, dict)
    return told


@pytest.mark.parametrize(("clinician", "asked"), [(True, False), (False, True)])
def test_the_first_start_asks_the_health_questions_only_of_a_person(  # type: ignore[no-untyped-def]
    paths: Paths, repo: Path, clinician: bool, asked: bool
) -> None:
    paths.ensure_data_dir()
    save_preferences(paths.settings, Preferences(clinician_mode=clinician))
    told = _start(paths.data, repo)
    assert told["loaded"]
    assert ("ProfileDialog" in told["dialogs"]) is asked, told  # type: ignore[operator]
    assert not (paths.data / "profile.json").exists()  # nothing answered for anyone


def _window(qtbot, paths: Paths, library: Library, clinician: bool) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(paths, Preferences(clinician_mode=clinician), library)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_clinician_window_starts_without_the_questions(
    qtbot, paths: Paths, library: Library
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, paths, library, clinician=True)
    assert start_notes.ask_health_questions(window) is False
    assert not isinstance(window.flow.dialog, ProfileDialog)
    # Every page is there to use, the exercises all shown (no answers to filter by).
    assert window.visible_exercise_ids() is None


def test_a_persons_first_start_opens_the_questions(qtbot, paths: Paths, library: Library) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, paths, library, clinician=False)
    assert start_notes.ask_health_questions(window) is True
    dialog = window.flow.dialog
    assert isinstance(dialog, ProfileDialog) and dialog.isVisible()
    dialog.reject()
