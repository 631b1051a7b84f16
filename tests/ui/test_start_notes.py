"""What Coach tells at start: a damaged settings file (kept, and asked before it
is replaced) and a session that was interrupted (partly done, not missed).

The real start (``coach.app.run``) in its own process on a prepared data
folder, and the real window with pytest-qt for the health answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from coach.core.common.damaged import kept_name
from coach.core.common.paths import Paths
from coach.core.common.settings import load_preferences
from coach.core.content.model import Text
from coach.core.progress import stats
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.session.plan import Phase, Step
from coach.core.session.profile import HealthProfile, load_profile
from coach.core.session.runner import Outcome, StepResult

PROBE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
import coach.app

APP = QApplication(sys.argv[:1])
ANSWER = sys.argv[2]
EXPECTED = set(sys.argv[3].split(","))
waited = [0]


def boxes():
    return {b.objectName(): b for b in APP.topLevelWidgets()
            if isinstance(b, QMessageBox) and b.isVisible() and b.objectName()}


def look():
    found = boxes()
    waited[0] += 1
    if not EXPECTED <= set(found) and waited[0] < 100:
        QTimer.singleShot(200, look)
        return
    print(json.dumps({name: box.text() for name, box in found.items()}), flush=True)
    damaged = found.get("damaged-file")
    if damaged is not None:
        for button in damaged.buttons():
            if button.text() == ANSWER:
                button.click()
    QTimer.singleShot(300, lambda: APP.exit(0))

QTimer.singleShot(500, look)
raise SystemExit(coach.app.run(data_dir=sys.argv[1]))
"""

DAMAGED = b'{"language": "en", "text_scale": 1'  # cut short


def _start(data: Path, answer: str, repo: Path, expected: str) -> dict[str, str]:
    """Start Coach on ``data``, wait for the boxes ``expected`` (comma-separated),
    answer the damaged-file question with the button ``answer``; what was told."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("COACH_DATA_DIR", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(data), answer, expected],
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


def _interrupted_yesterday(paths: Paths) -> int:
    """A session of yesterday noon that stopped (the power went) during exercise 3."""
    noon = datetime.now().astimezone().replace(hour=12, minute=0, second=0, microsecond=0)
    started = (noon - timedelta(days=1)).astimezone(UTC)
    with Store.open(paths.database, clock=lambda: started) as store:
        sid = store.start_session("daily-relief", Text.of("Daily relief"))
        worked = [
            (0, Phase.GET_READY),
            (0, Phase.HOLD),
            (1, Phase.HOLD),
            (2, Phase.GET_READY),
            (2, Phase.MOVE),  # exercise 3 had begun
        ]
        for n, (item, phase) in enumerate(worked):
            step = Step(n, phase, 5.0, "P1", item, Text.of("Hold"))
            store.record_step(sid, StepResult(step, 5.0, Outcome.COMPLETED))
    return sid


def test_damaged_settings_are_kept_and_replaced_only_when_the_person_says_yes(
    paths: Paths, repo: Path
) -> None:
    paths.ensure_data_dir()
    paths.settings.write_bytes(DAMAGED)
    kept = kept_name(paths.settings)

    told = _start(paths.data, "No, leave it", repo, "damaged-file")
    assert "Coach could not read its settings" in told["damaged-file"]
    assert str(kept) in told["damaged-file"]
    assert kept.read_bytes() == DAMAGED
    assert paths.settings.read_bytes() == DAMAGED  # "No": nothing written

    told = _start(paths.data, "Yes, replace it", repo, "damaged-file")
    assert "damaged-file" in told  # asked again at the next start
    assert kept.read_bytes() == DAMAGED
    prefs, notes = load_preferences(paths.settings)
    assert notes == [] and prefs.text_scale == 125  # the usual settings
    assert sorted(p.name for p in paths.data.glob("settings*")) == [
        kept.name,
        "settings.json",
    ]


def test_an_interrupted_session_is_told_and_counts_as_partly_done(
    paths: Paths, repo: Path, library
) -> None:  # type: ignore[no-untyped-def]
    sid = _interrupted_yesterday(paths)

    told = _start(paths.data, "", repo, "interrupted-session")
    assert told["interrupted-session"].startswith(
        "Yesterday's session stopped at exercise 3 — it counts as partly done."
    )
    assert "What you did is saved." in told["interrupted-session"]
    with Store.open(paths.database) as store:
        assert store.session(sid).outcome is SessionOutcome.ABANDONED
        assert len(store.steps(sid)) == 5  # nothing the person did is lost
    yesterday = date.today() - timedelta(days=1)
    plan = [library.routines["daily-relief"]]
    with History(paths.database) as history:
        (week,) = stats.weeks(history, plan, yesterday, 1)
    (day,) = [d for d in week.days if d.day == yesterday]
    assert day.mark is stats.DayMark.PARTLY
    assert (day.done, day.interrupted) == (0, 1)

    # Told once: the next start has nothing to tell.
    told = _start(paths.data, "", repo, "nothing-to-tell")  # waits its whole time
    assert "interrupted-session" not in told


DAMAGED_PROFILE = b'{"version": 1, "completed": tr'  # cut short


@pytest.fixture
def damaged_profile(paths: Paths) -> Path:
    """A cut-short profile.json, there before the window reads it."""
    paths.ensure_data_dir()
    path = paths.data / "profile.json"
    path.write_bytes(DAMAGED_PROFILE)
    return path


def test_damaged_health_answers_are_kept_and_asked_again(damaged_profile: Path, window) -> None:  # type: ignore[no-untyped-def]
    kept = kept_name(damaged_profile)
    assert window.flow.profile is None
    box = window.flow.dialog
    assert isinstance(box, QMessageBox)
    assert "Coach could not read your health answers" in box.text()
    assert str(kept) in box.text()
    assert "Please answer the questions again" in box.text()
    assert kept.read_bytes() == DAMAGED_PROFILE
    assert damaged_profile.read_bytes() == DAMAGED_PROFILE  # nothing replaced yet

    window.flow.set_profile(HealthProfile(completed=True))
    assert load_profile(damaged_profile) == (HealthProfile(completed=True), [])
    assert kept.read_bytes() == DAMAGED_PROFILE
