"""`coach reminders`: the issue's done-when case, asserted line by line, and bad values."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# A plan of "twice a day, Mon-Fri": the routine's own schedule says so.
TWICE_ROUTINE = """\
format_version: 1
kind: routine
id: twice-weekdays
title:
  en: Back care
  de: Rückenpflege
description:
  en: Two gentle exercises.
items:
  - exercise: P1
    reps: 8
  - exercise: S1
    hold_s: 20
schedule:
  times_per_day: 2
  days: [mon, tue, wed, thu, fri]
"""

TIPS = {
    "tilt": "Standing? Tilt your pelvis the way it sits when you sit: belt buckle towards "
    "your chin, knees soft. No hollow back.",
    "foot": "Standing at the sink or the stove? Put one foot up on a low step, and swap "
    "feet now and then.",
    "walk": "Out for a long walk? Stop for a minute and lean forward on a rail, a shopping "
    "trolley or your walker (brakes on).",
    "sit": "Legs or back tired? Sit down and lean forward, forearms on your thighs. "
    "Breathe out slowly.",
    "uphill": "Going for a walk? Choose the way uphill and ride down: walking downhill "
    "arches the lower back.",
}


def coach(data: Path, *args: str, tz: str = "Europe/Berlin") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TZ=tz)
    return subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env=env,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    (folder / "routines").mkdir(parents=True)
    (folder / "routines" / "twice-weekdays.yaml").write_text(TWICE_ROUTINE, encoding="utf-8")
    return folder


def minutes_of_routine(data: Path) -> int:
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library
    from coach.core.session.plan import build_plan

    lib = Library.load(resolve(data))
    return round(build_plan(lib.routines["twice-weekdays"], lib.exercises).total_seconds / 60)


def test_done_when_twice_a_day_weekdays_and_posture_tips_every_45_minutes(data: Path) -> None:
    setup = coach(
        data,
        "reminders",
        "--routines",
        "twice-weekdays",
        "--set-times",
        "09:00,18:00",
        "--posture-every",
        "45",
        "--active",
        "09:00-18:00",
    )
    assert setup.returncode == 0, setup.stderr
    assert "Reminder settings saved." in setup.stderr
    result = coach(data, "reminders", "--next", "10", "--from", "2026-11-30T08:00")
    assert result.returncode == 0, result.stderr
    n = minutes_of_routine(data)
    assert result.stdout.splitlines() == [
        f"Mon 2026-11-30 09:00  routine  Time for your routine: Back care (about {n} minutes).",
        f"Mon 2026-11-30 09:45  posture  {TIPS['tilt']}",
        f"Mon 2026-11-30 10:30  posture  {TIPS['foot']}",
        f"Mon 2026-11-30 11:15  posture  {TIPS['walk']}",
        f"Mon 2026-11-30 12:00  posture  {TIPS['sit']}",
        f"Mon 2026-11-30 12:45  posture  {TIPS['uphill']}",
        f"Mon 2026-11-30 13:30  posture  {TIPS['tilt']}",
        f"Mon 2026-11-30 14:15  posture  {TIPS['foot']}",
        f"Mon 2026-11-30 15:00  posture  {TIPS['walk']}",
        f"Mon 2026-11-30 15:45  posture  {TIPS['sit']}",
    ]


def test_friday_evening_lists_the_weekend_tips_then_monday(data: Path) -> None:
    assert (
        coach(
            data,
            "reminders",
            "--routines",
            "twice-weekdays",
            "--posture-every",
            "3h",
            "--active",
            "9-18",
        ).returncode
        == 0
    )
    result = coach(data, "reminders", "--next", "6", "--from", "2026-12-04T17:00", "--json")
    assert result.returncode == 0, result.stderr
    found = [(r["due"][:16], r["kind"]) for r in json.loads(result.stdout)]
    assert found == [
        ("2026-12-04T18:00", "routine"),  # Friday evening
        ("2026-12-05T12:00", "posture"),  # the weekend: tips, no routine
        ("2026-12-05T15:00", "posture"),
        ("2026-12-06T12:00", "posture"),
        ("2026-12-06T15:00", "posture"),
        ("2026-12-07T09:00", "routine"),  # Monday
    ]


def test_days_option_limits_a_daily_routine_and_german_output(data: Path) -> None:
    assert (
        coach(data, "reminders", "--routines", "daily-relief", "--days", "mon-fri").returncode == 0
    )
    result = coach(data, "reminders", "--next", "2", "--from", "2026-12-04T10:00", "--lang", "de")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Mo 2026-12-07 09:00  routine  Zeit für Ihre Übungen: Tägliche")
    assert lines[1].startswith("Di 2026-12-08 09:00")


def test_zone_option_and_dst(data: Path) -> None:
    assert coach(data, "reminders", "--routines", "twice-weekdays").returncode == 0
    result = coach(
        data,
        "reminders",
        "--next",
        "2",
        "--from",
        "2026-03-06T19:00",
        "--zone",
        "America/New_York",
        "--json",
        tz="UTC",
    )
    found = [r["due"] for r in json.loads(result.stdout)]
    # 8 March 2026 is the spring-forward Sunday in New York: Monday is EDT.
    assert found == ["2026-03-09T09:00:00-04:00", "2026-03-09T18:00:00-04:00"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set-times", "25:00"], "'25:00' is not a time of day"),
        (["--days", ""], "choose at least one day"),
        (["--posture-every", "0"], "every 0 minutes is not possible"),
        (["--posture-every", "10080"], "every 10080 minutes is not possible"),
        (["--active", "18:00-09:00"], "the active hours must end after they start"),
        (["--quiet-days", "all"], "turn reminders off instead"),
        (
            ["--routines", "dailyrelief"],
            "unknown routine 'dailyrelief'; closest known: daily-relief",
        ),
        (["--next", "3", "--from", "soon"], "'soon' is not a date and time"),
        (["--zone", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(
    data: Path, args: list[str], message: str
) -> None:
    result = coach(data, "reminders", *args)
    assert result.returncode == 1
    assert result.stderr.startswith("coach reminders: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (data / "reminders.json").exists()


def test_a_hand_edited_file_falls_back_with_a_warning(data: Path) -> None:
    (data / "reminders.json").write_text(
        json.dumps({"routines": ["twice-weekdays"], "times": {"2": ["09:00", "25:00"]}}),
        encoding="utf-8",
    )
    result = coach(data, "reminders", "--next", "1", "--from", "2026-11-30T12:00")
    assert result.returncode == 0
    assert "warning: Reminder setting 'times' had an impossible value" in result.stderr
    assert result.stdout.startswith("Mon 2026-11-30 18:00  routine")


def test_nothing_planned_says_what_to_do(data: Path) -> None:
    result = coach(data, "reminders")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "choose routines with --routines" in result.stderr


def test_start_at_login_writes_the_xdg_entry(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = coach(data, "reminders", "--start-at-login", "on")
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "config" / "autostart" / "coach.desktop"
    assert entry.is_file() and "-m coach" in entry.read_text(encoding="utf-8")
    assert coach(data, "reminders", "--show").stdout.splitlines()[-1].endswith("on")
    assert coach(data, "reminders", "--start-at-login", "off").returncode == 0
    assert not entry.exists()
