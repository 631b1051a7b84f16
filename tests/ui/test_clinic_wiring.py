"""The clinician features as reached from the main window: mode switch, File > Open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from coach.core.progress.store import Store
from coach.core.session.profile import HealthProfile, save_profile
from coach.ui.main_window import MainWindow


def _coach(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args], capture_output=True, text=True, timeout=120
    )


def test_clinician_mode_adds_the_clinic_pages(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window.findChild(QPushButton, "nav-editor") is None
    window.show_page("settings")
    qtbot.mouseClick(window.settings_view.clinician, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert window.prefs.clinician_mode
    for name in ("editor", "patients"):
        nav = window.findChild(QPushButton, f"nav-{name}")
        assert nav is not None, name
        qtbot.mouseClick(nav, Qt.MouseButton.LeftButton)
        assert window.current_page == name


def test_opening_a_handover_file_makes_it_todays_plan(
    window: MainWindow, qtbot, paths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    handover = tmp_path / "plan.coach"
    made = _coach(
        "--data-dir",
        str(tmp_path / "clinic"),
        "assign",
        "chair-counter",
        "daily-relief",
        "--patient",
        "Łukasz Żółć-Müller",
        "--clinician",
        "Anna Berger",
        "-o",
        str(handover),
    )
    assert made.returncode == 0, made.stderr
    store = Store.open(paths.database)
    window.replace_store(store)
    paths.ensure_data_dir()
    save_profile(paths.data / "profile.json", HealthProfile(completed=True))
    window.open_file(handover)
    dialog = window._opener.dialog  # type: ignore[union-attr]
    assert dialog is not None
    dialog.accepted_plan.emit()  # the person presses "Use this plan"
    msg = window._opener.message  # type: ignore[union-attr]
    assert msg is None, msg.text()
    assigned = [r for r in window.lib.routines if r.endswith(".chair-counter")]
    assert len(assigned) == 1
    home = window.page("home")
    card = home.findChild(QWidget, "today-plan")
    assert card is not None
    # The rebuilt page is shown on the next turn of the event loop.
    qtbot.waitUntil(card.isVisible, timeout=5000)
    assert "Chair and counter" in card.headline and "0 of 2 done" in card.headline  # type: ignore[attr-defined]
    store.close()


def test_a_hostile_file_changes_nothing(window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.coach"
    bad.write_bytes(b"PK\x03\x04 this is not a real zip")
    before = set(window.lib.routines)
    window.open_file(bad)
    assert window._opener is not None and window._opener.message is not None  # type: ignore[attr-defined]
    assert set(window.lib.routines) == before
