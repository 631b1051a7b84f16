"""'2 × a week' without fixed days: the file, the counting, the reminders and the words.

Real routine YAML, real SQLite stores and a real hand-over installed at home; the
week counted is 2 to 8 March 2026 (Monday to Sunday), the next one 9 to 15 March.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.clinic.handover import Contact, build_assignment
from coach.core.clinic.install import install_assignment
from coach.core.clinic.report import Period, export_report_data
from coach.core.clinic.today import due_on, today_plan
from coach.core.common.paths import Paths, resolve
from coach.core.content.files import FileProblems, load_document, save_document
from coach.core.content.library import Library
from coach.core.content.model import Routine, Schedule
from coach.core.content.wording import schedule_text
from coach.core.progress import stats
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_rows import SessionOutcome
from coach.core.reminders import schedule as reminders
from coach.core.reminders.plan_entries import PlanEntry, plan_entry
from coach.core.reminders.preferences import ReminderPrefs
from coach.core.reminders.settings_file import ReminderSettings, load_settings, save_settings

MONDAY = date(2026, 3, 2)
BERLIN = ZoneInfo("Europe/Berlin")
_LIB: list[Library] = []


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def routine(schedule: dict[str, object], ident: str = "strength") -> Routine:
    return Routine.from_data(
        {
            "id": ident,
            "title": {"en": "Strength", "de": "Kraft"},
            "description": {"en": "From your physiotherapist."},
            "items": [{"exercise": "T1"}, {"exercise": "P1"}],
            "schedule": schedule,
        }
    )


TWICE = {"times_per_week": 2}


@pytest.fixture
def library(data_dir: Path) -> Library:
    if not _LIB:
        _LIB.append(Library.load(resolve(data_dir), include_user=False))
    return _LIB[0]


def done_at(store: Store, clock: Clock, day: date, routine_id: str, hour: int = 9) -> None:
    clock.now = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
    sid = store.start_session(routine_id, "Strength")
    store.end_session(sid, SessionOutcome.COMPLETED)


# --------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------


def test_times_per_week_is_written_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "strength.yaml"
    save_document(routine(TWICE | {"days": ["mon", "tue", "wed", "thu", "fri"]}), path)
    assert "times_per_week: 2" in path.read_text(encoding="utf-8")
    loaded = load_document(path).document
    assert isinstance(loaded, Routine)
    assert loaded.schedule.times_per_week == 2 and loaded.schedule.flexible
    assert len(loaded.schedule.days) == 5

    # A file from before "n times a week" keeps its fixed days.
    old = tmp_path / "old.yaml"
    old.write_text(
        "format_version: 1\nkind: routine\nid: old\ntitle: {en: Old}\ndescription: {en: From before.}\n"
        "items: [{exercise: P1}]\nschedule: {days: [mon, thu]}\n",
        encoding="utf-8",
    )
    kept = load_document(old).document
    assert isinstance(kept, Routine)
    assert kept.schedule.times_per_week is None and kept.schedule.days == ["mon", "thu"]

    for schedule, expected in (
        ("{times_per_week: 3, days: [mon, tue]}", "cannot fit on 2 possible day"),
        ("{times_per_week: 8}", "times_per_week"),
        ("{times_per_week: 0}", "times_per_week"),
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "format_version: 1\nkind: routine\nid: bad\ntitle: {en: Bad}\ndescription: {en: Wrong.}\n"
            f"items: [{{exercise: P1}}]\nschedule: {schedule}\n",
            encoding="utf-8",
        )
        with pytest.raises(FileProblems) as caught:
            load_document(bad)
        assert expected in str(caught.value), schedule
        assert ":7:" in str(caught.value)  # points at the schedule's line


def test_the_words_say_how_often_a_week() -> None:
    assert schedule_text(Schedule(times_per_week=2)) == "2 × a week"
    assert schedule_text(Schedule(times_per_week=2), "de") == "2-mal pro Woche"
    twice_a_day = Schedule(times_per_week=3, times_per_day=2)
    assert schedule_text(twice_a_day) == "3 × a week, twice a day"
    weekdays = Schedule(times_per_week=2, days=["mon", "tue", "wed"])
    assert schedule_text(weekdays) == "2 × a week, choosing from Monday, Tuesday and Wednesday"
    assert schedule_text(weekdays, "de").startswith("2-mal pro Woche, an Tagen Ihrer Wahl: Montag")


# --------------------------------------------------------------------------
# Counting planned sessions
# --------------------------------------------------------------------------


def test_a_week_plans_its_quota_not_one_session_a_day() -> None:
    plan = [routine(TWICE), routine({"days": ["mon", "thu"]}, "walk")]
    week = [MONDAY + timedelta(days=k) for k in range(7)]
    assert [stats.planned_on(plan, d) for d in week] == [1, 0, 0, 1, 0, 0, 0]
    assert stats.planned_in_week(plan, week) == 2 + 2
    # Counted from Saturday on: two days are left, so two sessions, not 2 + the fixed.
    assert stats.planned_in_week(plan, week[5:]) == 2
    assert stats.planned_in_week(plan, week[6:]) == 1  # only Sunday left: one is possible
    assert stats.flexible_due_on(plan, MONDAY, 2) == 1
    assert stats.flexible_due_on(plan, MONDAY, 0) == 0


def test_calendar_and_adherence_over_a_real_week(tmp_path: Path) -> None:
    paths = resolve(tmp_path)
    paths.ensure_data_dir()
    clock = Clock()
    plan = [routine(TWICE)]
    with Store.open(paths.database, clock=clock) as store:
        done_at(store, clock, MONDAY + timedelta(days=1), "strength")  # Tuesday
        done_at(store, clock, MONDAY + timedelta(days=3), "strength")  # Thursday
        # The next week: one session, and on Friday 13th the week is still open.
        done_at(store, clock, MONDAY + timedelta(days=8), "strength")
        with History(store) as history:
            today = MONDAY + timedelta(days=11)
            first, second = stats.weeks(history, plan, today, count=2, tz=UTC)
    assert (first.planned, first.done, first.adherence) == (2, 2, 1.0)
    marks = [d.mark for d in first.days]
    # Monday came before the first session; Wednesday was a free choice, not a
    # missed day; after Thursday the week's count is reached and nothing is asked.
    assert marks[:4] == [
        stats.DayMark.BEFORE_START,
        stats.DayMark.DONE,
        stats.DayMark.FREE,
        stats.DayMark.DONE,
    ]
    assert all(d.planned == 0 for d in first.days[4:])
    assert (second.planned, second.done, second.adherence) == (2, 1, 0.5)
    by_day = {d.day: d for d in second.days}
    assert by_day[today].mark is stats.DayMark.TO_COME and by_day[today].planned == 1
    assert by_day[today + timedelta(days=1)].mark is stats.DayMark.TO_COME


def test_extra_sessions_do_not_inflate_the_week(tmp_path: Path) -> None:
    paths = resolve(tmp_path)
    paths.ensure_data_dir()
    clock = Clock()
    with Store.open(paths.database, clock=clock) as store:
        for k in range(5):
            done_at(store, clock, MONDAY + timedelta(days=k), "strength")
        with History(store) as history:
            (week,) = stats.weeks(history, [routine(TWICE)], MONDAY + timedelta(days=6), 1, UTC)
    assert week.planned == 2 and week.done == 5 and week.adherence == 1.0
    # Every session day reads as done, none as "partly": the quota was never short.
    assert [d.mark for d in week.days[:5]] == [stats.DayMark.DONE] * 5


# --------------------------------------------------------------------------
# The patient's plan: today, the report
# --------------------------------------------------------------------------


@pytest.fixture
def installed(tmp_path: Path, library: Library) -> tuple[Paths, Store, Clock, str]:
    plan = build_assignment(
        [routine(TWICE)],
        library,
        patient="Maria Muster",
        clinician=Contact(name="Anna Berger"),
        start=MONDAY,
        weeks=6,
        created=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )
    paths = resolve(tmp_path / "home")
    paths.ensure_data_dir()
    clock = Clock()
    store = Store.open(paths.database, clock=clock)
    result = install_assignment(plan, paths, store, library=library)
    return paths, store, clock, result.installed.routine_ids["strength"]


def test_today_is_due_until_the_week_count_is_reached(
    installed: tuple[Paths, Store, Clock, str],
) -> None:
    paths, store, clock, rid = installed
    with store:
        monday = today_plan(store, paths, MONDAY, tz=UTC)
        assert monday is not None and monday.due == 1 and not monday.rest_day
        assert monday.items[0].per_week == 2 and monday.items[0].done_this_week == 0
        done_at(store, clock, MONDAY, rid)
        done_at(store, clock, MONDAY + timedelta(days=1), rid)
        tuesday = today_plan(store, paths, MONDAY + timedelta(days=1), tz=UTC)
        assert tuesday is not None and (tuesday.done, tuesday.due) == (1, 1)
        wednesday = today_plan(store, paths, MONDAY + timedelta(days=2), tz=UTC)
        assert wednesday is not None and wednesday.rest_day
        assert wednesday.items[0].done_this_week == 2
        # A new week asks again.
        next_monday = today_plan(store, paths, MONDAY + timedelta(days=7), tz=UTC)
        assert next_monday is not None and next_monday.due == 1
        assert next_monday.items[0].done_this_week == 0


def test_due_on_counts_only_the_days_from_the_start() -> None:
    twice = routine(TWICE)
    sunday = MONDAY + timedelta(days=6)
    assert due_on(twice, sunday, start=sunday) == 1
    assert due_on(twice, sunday, start=sunday, done_earlier_this_week=0) == 1
    assert due_on(twice, MONDAY + timedelta(days=3), MONDAY, done_earlier_this_week=2) == 0
    assert due_on(twice, MONDAY - timedelta(days=1), MONDAY) == 0


def test_the_report_prescribes_the_weeks_count(
    installed: tuple[Paths, Store, Clock, str],
) -> None:
    paths, store, clock, rid = installed
    with store:
        for k in (1, 3, 8):  # Tue and Thu, then Tue of the next week
            done_at(store, clock, MONDAY + timedelta(days=k), rid)
        report = export_report_data(
            store, None, Period(MONDAY, MONDAY + timedelta(days=13)), tz=UTC
        )
        assert report.get("adherence") is None  # without the plan nothing is prescribed
        from coach.core.clinic.install import current_assignment

        current = current_assignment(store, paths)
        clock.now = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
        report = export_report_data(
            store, current, Period(MONDAY, MONDAY + timedelta(days=13)), tz=UTC, now=clock.now
        )
    adherence = report["adherence"]
    assert adherence["prescribed"] == 4 and adherence["done"] == 3
    assert [(w["prescribed"], w["done"]) for w in adherence["weeks"]] == [(2, 2), (2, 1)]
    assert adherence["ratio"] == 0.75
    assert report["plan"]["weeks"] == 6 and report["plan"]["programme_week"] == 3


# --------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------

ENTRY = PlanEntry("strength", {"en": "Strength"}, 900.0, 1, reminders.WEEK, 2)


def _berlin(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def test_reminders_stop_for_the_week_once_its_count_is_reached() -> None:
    prefs = ReminderPrefs()
    wednesday = MONDAY + timedelta(days=2)
    # Nothing done yet this week: Wednesday reminds as any exercise day.
    open_week = reminders.upcoming(_berlin(wednesday, 7), prefs, [ENTRY], 1, done_this_week={})
    assert open_week and open_week[0].due.date() == wednesday
    # Twice done by Tuesday: silent until Monday.
    met = {"strength": 2}
    rest = reminders.upcoming(_berlin(wednesday, 7), prefs, [ENTRY], 1, done_this_week=met)
    assert rest and rest[0].due.date() == MONDAY + timedelta(days=7)
    due = reminders.next_due(_berlin(wednesday, 7), prefs, [ENTRY], done_this_week=met)
    assert due is not None and due.due.date() == MONDAY + timedelta(days=7)
    # Done once earlier and once today: today is over for it, and so is the week.
    later = reminders.upcoming(
        _berlin(wednesday, 7),
        prefs,
        [ENTRY],
        1,
        done_today=met | {"strength": 1},
        done_this_week=met,
    )
    assert later[0].due.date() == MONDAY + timedelta(days=7)
    assert reminders.todays_routine(_berlin(wednesday, 7), prefs, [ENTRY], {}, met) == "strength"


def test_week_counts_and_the_cached_entry(tmp_path: Path) -> None:
    class Row:
        def __init__(self, when: datetime, outcome: str = "completed") -> None:
            self.routine_id, self.started_utc, self.outcome = "strength", when, outcome

    rows = [
        Row(datetime(2026, 3, 1, 20, 0, tzinfo=UTC)),  # Sunday before: another week
        Row(datetime(2026, 3, 2, 8, 0, tzinfo=UTC)),
        Row(datetime(2026, 3, 3, 8, 0, tzinfo=UTC), "abandoned"),
        Row(datetime(2026, 3, 4, 8, 0, tzinfo=UTC)),
        Row(datetime(2026, 3, 5, 8, 0, tzinfo=UTC)),  # after the day asked about
    ]
    counts = reminders.week_done_counts(rows, MONDAY + timedelta(days=2), UTC)
    assert counts == {"strength": 2}

    entry = plan_entry(routine(TWICE | {"days": ["mon", "wed", "fri"]}))
    assert entry.times_per_week == 2 and entry.week_quota == 2
    assert entry.days == ("mon", "wed", "fri")
    path = tmp_path / "reminders.json"
    save_settings(path, ReminderSettings(plan=(entry, plan_entry(routine({}, "daily")))))
    loaded, notes = load_settings(path)
    assert notes == []
    assert [e.times_per_week for e in loaded.plan] == [2, None]
