"""Statistics on known data: real SQLite files, fixed clocks, a fixed time zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine, Text, Walk
from coach.core.progress import measures, progression, stats
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.personal import apply_dose_changes
from coach.core.session.plan import Phase, Step, build_plan
from coach.core.session.runner import Outcome, StepResult

BERLIN = ZoneInfo("Europe/Berlin")
# Thursday 12 March 2026, 18:00 in Berlin (17:00 UTC).
NOW = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
TODAY = date(2026, 3, 12)

_LIB: dict[str, Library] = {}


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve(data_dir)


@pytest.fixture
def lib(paths: Paths) -> Library:
    if "lib" not in _LIB:
        _LIB["lib"] = Library.load(paths, include_user=False)
    return _LIB["lib"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(paths: Paths, clock: Clock) -> Iterator[Store]:
    paths.ensure_data_dir()
    with Store.open(paths.database, clock=clock) as opened:
        yield opened


@pytest.fixture
def history(store: Store) -> Iterator[History]:
    with History(store) as h:
        yield h


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Berlin wall-clock time as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def session(
    store: Store,
    clock: Clock,
    when: datetime,
    routine_id: str = "daily-relief",
    *,
    outcome: SessionOutcome | None = SessionOutcome.COMPLETED,
    stop_reason: str | None = None,
    before: tuple[int | None, int | None] = (3, 4),
    after: tuple[int | None, int | None] | None = (3, 4),
    step_seconds: tuple[float, ...] = (60.0,),
) -> int:
    clock.now = when
    sid = store.start_session(
        routine_id, routine_id, pain_before_back=before[0], pain_before_leg=before[1]
    )
    for i, seconds in enumerate(step_seconds):
        step = Step(i, Phase.HOLD, seconds, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
        store.record_step(sid, StepResult(step, seconds, Outcome.COMPLETED))
    if outcome is not None:
        store.end_session(sid, outcome, stop_reason=stop_reason)
    if after is not None:
        store.set_pain_after(sid, back=after[0], leg=after[1])
    clock.now = NOW
    return sid


def routine(lib: Library, rid: str) -> Routine:
    return lib.routines[rid]


# --------------------------------------------------------------------------
# Days, plan, calendar
# --------------------------------------------------------------------------


def test_day_boundaries_follow_the_persons_time_zone() -> None:
    # 23:30 UTC on Monday 9 March is 00:30 on Tuesday in Berlin.
    late = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    assert stats.local_day(late, BERLIN) == date(2026, 3, 10)
    assert stats.local_day(late, UTC) == date(2026, 3, 9)
    assert stats.day_start_utc(date(2026, 3, 10), BERLIN) == datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    # Summer time: midnight is 22:00 UTC.
    assert stats.day_start_utc(date(2026, 7, 1), BERLIN) == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert stats.week_start(TODAY) == date(2026, 3, 9)


def test_planned_sessions_come_from_the_schedules(lib: Library) -> None:
    plan = [routine(lib, "daily-relief"), routine(lib, "strength"), routine(lib, "walking")]
    # daily-relief every day; strength Mon/Wed/Fri; walking Mon/Tue/Thu/Fri/Sat.
    week = [stats.planned_on(plan, date(2026, 3, 9) + timedelta(days=k)) for k in range(7)]
    assert week == [3, 2, 2, 2, 3, 2, 1]
    assert stats.planned_on([], TODAY) == 0


def test_plan_is_the_stored_assignment_or_what_the_person_keeps_doing(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    session(store, clock, at(date(2026, 3, 2)), "strength")
    session(store, clock, at(date(2026, 3, 4)), "strength")
    session(store, clock, at(date(2026, 3, 5)), "walking")  # one day only: not yet a plan
    session(store, clock, at(date(2026, 3, 5)), "gentle-day")
    session(store, clock, at(date(2026, 3, 6)), "gentle-day")  # as needed: never planned
    session(store, clock, at(date(2026, 1, 5)), "chair-counter")  # too long ago
    session(store, clock, at(date(2026, 1, 6)), "chair-counter")
    plan = stats.plan_routines(history, lib.routines, TODAY, BERLIN)
    assert [r.id for r in plan] == ["strength"]
    store.set_json(stats.PLAN_KEY, ["walking", "no-such-routine", "daily-relief"])
    plan = stats.plan_routines(history, lib.routines, TODAY, BERLIN)
    assert [r.id for r in plan] == ["walking", "daily-relief"]


def test_weeks_mark_each_day_and_count_adherence(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    plan = [routine(lib, "daily-relief"), routine(lib, "strength")]  # strength Mon/Wed/Fri
    # First session: Wednesday 4 March. Before it nothing is judged.
    session(store, clock, at(date(2026, 3, 4), 8))
    session(store, clock, at(date(2026, 3, 4), 17), "strength")
    session(store, clock, at(date(2026, 3, 5)))
    session(store, clock, at(date(2026, 3, 6)))  # Friday: 1 of 2
    # Saturday 7: nothing (missed). Sunday 8: stopped for pain: counts.
    session(
        store, clock, at(date(2026, 3, 8)), outcome=SessionOutcome.STOPPED, stop_reason="sharp_pain"
    )
    # Monday 9: abandoned (the app crashed mid-session): not done, but partly
    # done, not missed.
    session(store, clock, at(date(2026, 3, 9)), outcome=SessionOutcome.ABANDONED)
    # Tuesday 10 at 00:30 Berlin = Monday 23:30 UTC: counts for Tuesday.
    session(store, clock, datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    session(store, clock, at(date(2026, 3, 11), 8))
    session(store, clock, at(date(2026, 3, 11), 10), "strength")
    session(store, clock, at(date(2026, 3, 11), 19))  # a third on a 2-session day: still done
    # Thursday 12 (today): nothing yet.
    last, this = stats.weeks(history, plan, TODAY, 2, BERLIN)
    M = stats.DayMark
    assert last.start == date(2026, 3, 2)
    assert [d.mark for d in last.days] == [
        M.BEFORE_START,
        M.BEFORE_START,
        M.DONE,
        M.DONE,
        M.PARTLY,
        M.MISSED,
        M.DONE,
    ]
    assert [d.planned for d in last.days] == [2, 1, 2, 1, 2, 1, 1]
    assert [d.done for d in last.days] == [0, 0, 2, 1, 1, 0, 1]
    # Counted from Wednesday on: planned 2+1+2+1+1 = 7, done 2+1+1+0+1 = 5.
    assert (last.planned, last.done) == (7, 5)
    assert last.adherence == pytest.approx(5 / 7)
    assert [d.mark for d in this.days] == [
        M.PARTLY,
        M.DONE,
        M.DONE,
        M.TO_COME,
        M.TO_COME,
        M.TO_COME,
        M.TO_COME,
    ]
    assert [d.done for d in this.days] == [0, 1, 3, 0, 0, 0, 0]
    assert (this.planned, this.done) == (10, 4)
    assert this.adherence == pytest.approx(0.4)


def test_future_days_with_a_plan_are_to_come_and_free_days_are_free(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    session(store, clock, at(date(2026, 3, 9)), "strength")
    [week] = stats.weeks(history, [routine(lib, "strength")], TODAY, 1, BERLIN)
    M = stats.DayMark
    assert [d.mark for d in week.days] == [
        M.DONE,
        M.FREE,
        M.MISSED,
        M.FREE,
        M.TO_COME,
        M.FREE,
        M.FREE,
    ]
    assert week.adherence == pytest.approx(1 / 3)
    [empty] = stats.weeks(history, [], TODAY, 1, BERLIN)
    assert empty.adherence is None


# --------------------------------------------------------------------------
# Streak
# --------------------------------------------------------------------------


def test_streak_counts_days_back_from_today(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    plan = [routine(lib, "daily-relief")]
    assert stats.current_streak(history, plan, TODAY, BERLIN) == 0
    for day in (5, 6, 8, 9, 10, 11):  # 7 March missed
        session(store, clock, at(date(2026, 3, day)))
    # Today has no session yet: it does not break the streak, and does not count.
    assert stats.current_streak(history, plan, TODAY, BERLIN) == 4
    session(store, clock, at(TODAY, 8))
    assert stats.current_streak(history, plan, TODAY, BERLIN) == 5
    # Tomorrow, with nothing done by then, the run is still 5; the day after, 0.
    assert stats.current_streak(history, plan, TODAY + timedelta(days=1), BERLIN) == 5
    assert stats.current_streak(history, plan, TODAY + timedelta(days=2), BERLIN) == 0


def test_streak_bridges_rest_days_of_the_plan(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    plan = [routine(lib, "strength")]  # Mon, Wed, Fri
    for day in (2, 4, 6, 9, 11):  # Mon 2 to Wed 11, every planned day
        session(store, clock, at(date(2026, 3, day)), "strength")
    # Thu 12 (rest) back to Mon 2: 11 days; before Mon 2 there was no session.
    assert stats.current_streak(history, plan, TODAY, BERLIN) == 11
    # Without a plan only the days with a session count: just Wed 11.
    assert stats.current_streak(history, [], TODAY, BERLIN) == 1


def test_streak_ignores_abandoned_sessions_that_did_nothing(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    plan = [routine(lib, "daily-relief")]
    session(store, clock, at(date(2026, 3, 10)))
    # Lost before any step of exercise, or ended early by the person: not on plan.
    session(
        store, clock, at(date(2026, 3, 11), 8), outcome=SessionOutcome.ABANDONED, step_seconds=()
    )
    session(
        store,
        clock,
        at(date(2026, 3, 11), 9),
        outcome=SessionOutcome.ABANDONED,
        stop_reason="ended_early",
    )
    assert stats.current_streak(history, plan, TODAY, BERLIN) == 0


def test_an_interrupted_session_keeps_the_streak(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    plan = [routine(lib, "daily-relief")]
    session(store, clock, at(date(2026, 3, 10)))
    session(store, clock, at(date(2026, 3, 11)), outcome=SessionOutcome.ABANDONED)
    assert stats.current_streak(history, plan, TODAY, BERLIN) == 2


# --------------------------------------------------------------------------
# Minutes, pain, walking
# --------------------------------------------------------------------------


def test_minutes_this_week_add_sessions_and_outside_activities(
    store: Store, clock: Clock, history: History
) -> None:
    session(store, clock, at(date(2026, 3, 8)), step_seconds=(600.0,))  # last week
    session(store, clock, at(date(2026, 3, 9)), step_seconds=(300.0, 330.0))
    session(
        store, clock, at(date(2026, 3, 11)), outcome=SessionOutcome.ABANDONED, step_seconds=(90.0,)
    )
    store.add_activity("cycling", 25, feeling="better", taken=at(date(2026, 3, 10), 15))
    store.add_activity("walk", 40, taken=at(date(2026, 3, 8), 15))  # last week
    minutes = stats.minutes_in_week(history, TODAY, BERLIN)
    assert minutes.with_coach == pytest.approx((300 + 330 + 90) / 60)
    assert minutes.other == 25
    assert minutes.total == pytest.approx(37)


def test_pain_trend_takes_means_of_ratings_at_rest(
    store: Store, clock: Clock, history: History
) -> None:
    session(store, clock, at(date(2026, 3, 9), 9), before=(4, 6), after=(9, 9))
    store.add_measure(MeasureKind.PAIN, {"back": 2, "leg": 3}, taken=at(date(2026, 3, 9), 20))
    store.add_measure(MeasureKind.PAIN, {"back": 5}, taken=at(date(2026, 3, 11), 8))
    session(store, clock, at(date(2026, 3, 2)), before=(None, None))  # no rating
    days = stats.pain_trend(history, date(2026, 3, 1), date(2026, 3, 13), tz=BERLIN)
    assert [(b.start, b.back, b.leg, b.ratings) for b in days] == [
        (date(2026, 3, 9), 3.0, 4.5, 2),
        (date(2026, 3, 11), 5.0, None, 1),
    ]
    [week] = stats.pain_trend(history, date(2026, 3, 1), date(2026, 3, 13), by="week", tz=BERLIN)
    assert (week.start, week.back, week.leg, week.ratings) == (date(2026, 3, 9), 11 / 3, 4.5, 3)


def test_walking_trend_lists_the_tests(store: Store, history: History) -> None:
    store.add_measure(
        MeasureKind.WALKING_TEST,
        {"first_symptoms_s": 240, "total_s": 420, "distance_m": 350},
        taken=at(date(2026, 3, 2)),
    )
    store.add_measure(MeasureKind.WALKING_TEST, {"total_s": 1800}, taken=at(date(2026, 3, 9)))
    tests = stats.walking_trend(history)
    assert [(t.first_symptoms_s, t.total_s, t.distance_m) for t in tests] == [
        (240.0, 420.0, 350.0),
        (None, 1800.0, None),
    ]


# --------------------------------------------------------------------------
# PSFS, chair stand
# --------------------------------------------------------------------------


def test_psfs_score_is_the_mean_and_change_uses_the_mdc() -> None:
    assert measures.psfs_score({"a": 3, "b": 6}) == 4.5
    assert measures.psfs_score({}) is None
    assert measures.psfs_scores({"scores": {"a": 3, "b": 11, "c": True, "d": "5"}}) == {"a": 3}
    change = measures.psfs_change({"a": 2, "b": 4, "gone": 1}, {"a": 5, "b": 5, "new": 9})
    assert change is not None
    assert (change.first, change.latest) == (3.0, 5.0)
    assert change.meaningful  # 2 points: the MDC of the mean
    assert change.activities_changed() == {"a": 3}  # 1 point for "b" is below the MDC of 3
    small = measures.psfs_change({"a": 4}, {"a": 5})
    assert small is not None and not small.meaningful and small.activities_changed() == {}
    assert measures.psfs_change({"a": 1}, {"b": 2}) is None


@pytest.mark.parametrize(
    ("count", "age", "sex", "cutoff", "below"),
    [
        (10, 70, "female", 10, False),
        (9, 74, "female", 10, True),
        (11, 72, "male", 12, True),
        (12, 72, "male", 12, False),
        (13, 60, "male", 14, True),
        (4, 94, "female", 4, False),
        (7, 85, "male", 8, True),
    ],
)
def test_chair_stand_cutoffs(count: int, age: int, sex: str, cutoff: int, below: bool) -> None:
    verdict = measures.chair_stand_verdict(count, age, sex)
    assert verdict is not None
    assert (verdict.cutoff, verdict.below_average) == (cutoff, below)


def test_chair_stand_without_a_row_gives_no_verdict() -> None:
    assert measures.chair_stand_verdict(10, 59, "female") is None
    assert measures.chair_stand_verdict(10, 95, "male") is None
    assert measures.chair_stand_verdict(10, 70, None) is None
    assert measures.chair_stand_verdict(10, None, "male") is None


# --------------------------------------------------------------------------
# Summary sentences
# --------------------------------------------------------------------------


def test_summary_without_enough_data_makes_no_claims(store: Store, history: History) -> None:
    store.add_measure(MeasureKind.WALKING_TEST, {"total_s": 300}, taken=at(date(2026, 3, 1)))
    store.add_measure(MeasureKind.PAIN, {"back": 5, "leg": 5}, taken=at(date(2026, 3, 10)))
    [sentence] = stats.summary(history, NOW)
    assert sentence.get("en").startswith("Keep going")
    assert sentence.get("de").startswith("Bleiben Sie dran")


def test_summary_walking_needs_thirty_percent(store: Store, history: History) -> None:
    first = at(date(2026, 2, 1))
    store.add_measure(
        MeasureKind.WALKING_TEST, {"first_symptoms_s": 200, "total_s": 360}, taken=first
    )
    store.add_measure(
        MeasureKind.WALKING_TEST,
        {"first_symptoms_s": 220, "total_s": 360},
        taken=first + timedelta(days=3),
    )
    # +6 minutes on 6: +100 %.
    store.add_measure(
        MeasureKind.WALKING_TEST,
        {"first_symptoms_s": 250, "total_s": 720},
        taken=at(date(2026, 3, 10)),
    )
    sentences = stats.summary(history, NOW)
    assert [s.get("en") for s in sentences] == [
        "You walked 6 minutes longer than in your first week (12 minutes instead of 6 minutes)."
    ]  # first symptoms: 250 against 210 is +19 %: not claimed
    assert sentences[0].get("de") == (
        "Sie sind 6 Minuten länger gegangen als in Ihrer ersten Woche (12 Minuten statt 6 Minuten)."
    )


def test_summary_walking_below_threshold_is_about_the_same(store: Store, history: History) -> None:
    store.add_measure(MeasureKind.WALKING_TEST, {"total_s": 600}, taken=at(date(2026, 2, 1)))
    store.add_measure(
        MeasureKind.WALKING_TEST, {"total_s": 770}, taken=at(date(2026, 3, 1))
    )  # +28 %
    [s] = stats.summary(history, NOW)
    assert s.get("en") == "Your walking time is about the same as in your first week."


def test_summary_walking_worse_says_so_and_advises(store: Store, history: History) -> None:
    store.add_measure(
        MeasureKind.WALKING_TEST,
        {"first_symptoms_s": 300, "total_s": 600},
        taken=at(date(2026, 2, 1)),
    )
    store.add_measure(
        MeasureKind.WALKING_TEST,
        {"first_symptoms_s": 400, "total_s": 400},
        taken=at(date(2026, 3, 1)),
    )
    sentences = [s.get("en") for s in stats.summary(history, NOW)]
    assert sentences == [
        "Your last walking test was 3 minutes shorter than in your first week (7 minutes instead "
        "of 10 minutes). If walking has become harder, tell your physiotherapist or doctor.",
        "Your symptoms began 2 minutes later than in your first week.",
    ]


def test_summary_pain_needs_two_points(store: Store, clock: Clock, history: History) -> None:
    # First week (from 1 Feb): back 6, 6, 7 -> 6.33; leg 5, 5.
    for day, back, leg in ((1, 6, 5), (3, 6, 5), (5, 7, None)):
        store.add_measure(
            MeasureKind.PAIN, {"back": back, "leg": leg}, taken=at(date(2026, 2, day))
        )
    # Last 7 days: back 4, 4 (-2.33); leg 4, 5 (-0.5).
    session(store, clock, at(date(2026, 3, 8)), before=(4, 4), after=(9, 9))
    store.add_measure(MeasureKind.PAIN, {"back": 4, "leg": 5}, taken=at(date(2026, 3, 11)))
    sentences = stats.summary(history, NOW)
    assert [s.get("en") for s in sentences] == [
        "Your back pain is 2.3 points lower than in your first week (on average 4 instead of "
        "6.3 out of 10).",
        "Your leg pain is about the same as in your first week.",
    ]
    assert sentences[0].get("de") == (
        "Ihre Rückenschmerzen sind 2,3 Punkte niedriger als in Ihrer ersten Woche (im Mittel 4 "
        "statt 6,3 von 10)."
    )


def test_summary_psfs_and_chair_stand(store: Store, history: History) -> None:
    store.add_measure(
        MeasureKind.PSFS, {"scores": {"Shopping": 2, "Cooking": 4}}, taken=at(date(2026, 2, 1))
    )
    store.add_measure(
        MeasureKind.PSFS, {"scores": {"Shopping": 6, "Cooking": 5}}, taken=at(date(2026, 3, 8))
    )
    store.add_measure(MeasureKind.CHAIR_STAND, {"count": 8}, taken=at(date(2026, 2, 1)))
    store.add_measure(
        MeasureKind.CHAIR_STAND, {"count": 9, "age": 77, "sex": "male"}, taken=at(date(2026, 3, 8))
    )
    assert [s.get("en") for s in stats.summary(history, NOW)] == [
        "The activities you chose have become easier: 2.5 points better on average than at your "
        "first rating (5.5 instead of 3 out of 10).",
        "“Shopping” is 4 points easier than at your first rating.",
        "In your last chair-stand test you stood up 9 times in 30 seconds (first test: 8). For "
        "men aged 75 to 79, fewer than 11 stands is below average. Your 9 is below that: the "
        "strength and balance exercises help here.",
    ]


# --------------------------------------------------------------------------
# Overview (what the history page reads)
# --------------------------------------------------------------------------


def test_overview_of_a_new_user_shows_two_weeks(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    session(store, clock, at(date(2026, 3, 10)))
    session(store, clock, at(date(2026, 3, 11)))
    ov = stats.overview(history, lib.routines, NOW, BERLIN)
    assert ov.today == TODAY
    assert [r.id for r in ov.plan] == ["daily-relief"]
    assert [w.start for w in ov.weeks] == [date(2026, 3, 2), date(2026, 3, 9)]
    assert ov.streak == 2
    assert ov.pain_by == "day"
    assert [(b.start, b.back) for b in ov.pain] == [
        (date(2026, 3, 10), 3.0),
        (date(2026, 3, 11), 3.0),
    ]


# --------------------------------------------------------------------------
# Progression
# --------------------------------------------------------------------------


def good_sessions(store: Store, clock: Clock, rid: str, days: tuple[int, ...]) -> list[int]:
    return [
        session(store, clock, at(date(2026, 3, d)), rid, before=(3, 3), after=(4, 5)) for d in days
    ]


def test_pain_rule() -> None:
    def brief(before: tuple[int | None, int | None], after: tuple[int | None, int | None]):  # type: ignore[no-untyped-def]
        from coach.core.progress.history import SessionBrief

        return SessionBrief(1, "r", NOW, NOW, "completed", None, *before, *after)

    assert progression.pain_rule_kept(brief((3, 3), (5, 5))) is True  # +2 is allowed
    assert progression.pain_rule_kept(brief((3, 3), (6, 3))) is False  # 6 is too much
    assert progression.pain_rule_kept(brief((1, 2), (2, 5))) is False  # leg +3
    assert progression.pain_rule_kept(brief((None, None), (5, None))) is True
    assert progression.pain_rule_kept(brief((3, 3), (None, None))) is None


def test_three_good_sessions_suggest_one_step_up(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    daily = routine(lib, "daily-relief")  # item 0: S4, 3 reps, hold 20 s
    good_sessions(store, clock, "daily-relief", (9, 10))
    assert progression.suggest_progression(history, daily, lib.exercises) is None  # only 2
    ids = good_sessions(store, clock, "daily-relief", (11,))
    s = progression.suggest_progression(history, daily, lib.exercises)
    assert s is not None
    assert (s.direction, s.reason) == (progression.Direction.UP, progression.Reason.GOOD_SESSIONS)
    change = s.change
    assert (change.item_index, change.exercise_id, change.field, change.before, change.after) == (
        0,
        "S4",
        "hold_s",
        20.0,
        25.0,
    )
    title = lib.exercises["S4"].title
    assert (
        s.text.get("en")
        == f"Ready for one small step up? {title.get('en')}: hold 25 seconds instead of 20."
    )
    assert s.why.get("en").startswith("Your last 3 sessions of Daily relief went well")
    assert s.session_ids[0] == ids[0]


def test_an_accepted_step_is_recorded_and_applied(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    daily = routine(lib, "daily-relief")
    good_sessions(store, clock, "daily-relief", (9, 10, 11))
    s = progression.suggest_progression(history, daily, lib.exercises)
    assert s is not None
    when = at(TODAY, 8)
    progression.record_decision(store, s, True, when=when)
    [decision] = store.measures(progression.PROGRESSION_KIND)
    assert decision.taken_utc == when
    assert decision.value == s.to_json_dict() | {"accepted": True}
    assert store.get_json(stats.DOSE_CHANGES_KEY) == {
        "daily-relief": {
            "0": {
                "exercise_id": "S4",
                "hold_s": 25.0,
                "last_field": "hold_s",
                "changed_utc": "2026-03-12T07:00:00.000000Z",
            }
        }
    }
    changed = apply_dose_changes(daily, stats.dose_changes(store))
    assert changed.items[0].apply_to(lib.exercises["S4"].dosage).hold_s == 25
    assert changed.items[1:] == daily.items[1:]
    assert daily.items[0].hold_s == 20  # the library's routine is untouched
    assert (
        build_plan(changed, lib.exercises).total_seconds
        > build_plan(daily, lib.exercises).total_seconds
    )
    # No new suggestion until 3 more good sessions after the decision.
    assert progression.suggest_progression(history, daily, lib.exercises) is None
    for hour in (10, 12, 14):
        session(store, clock, at(TODAY, hour), before=(3, 3), after=(3, 3))
    nxt = progression.suggest_progression(history, daily, lib.exercises)
    assert nxt is not None
    # One thing at a time, and the next item: P1 (the pelvic tilt), hold 5 -> 10.
    assert (nxt.change.item_index, nxt.change.field, nxt.change.before, nxt.change.after) == (
        1,
        "hold_s",
        5.0,
        10.0,
    )


def test_a_declined_step_waits_for_new_sessions(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    daily = routine(lib, "daily-relief")
    good_sessions(store, clock, "daily-relief", (8, 9, 10))
    s = progression.suggest_progression(history, daily, lib.exercises)
    assert s is not None
    progression.record_decision(store, s, False, when=at(date(2026, 3, 10), 20))
    assert store.get_json(stats.DOSE_CHANGES_KEY) is None
    assert store.measures(progression.PROGRESSION_KIND)[0].value["accepted"] is False
    assert progression.suggest_progression(history, daily, lib.exercises) is None
    good_sessions(store, clock, "daily-relief", (11,))
    assert progression.suggest_progression(history, daily, lib.exercises) is None


def test_a_session_stopped_for_pain_suggests_undoing_the_last_step(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    daily = routine(lib, "daily-relief")
    good_sessions(store, clock, "daily-relief", (6, 7, 8))
    up = progression.suggest_progression(history, daily, lib.exercises)
    assert up is not None
    progression.record_decision(store, up, True, when=at(date(2026, 3, 8), 20))
    session(
        store,
        clock,
        at(date(2026, 3, 10)),
        outcome=SessionOutcome.STOPPED,
        stop_reason="sharp_pain",
    )
    down = progression.suggest_progression(history, daily, lib.exercises)
    assert down is not None
    assert (down.direction, down.reason) == (
        progression.Direction.DOWN,
        progression.Reason.STOPPED_FOR_PAIN,
    )
    assert (down.change.item_index, down.change.field, down.change.before, down.change.after) == (
        0,
        "hold_s",
        25.0,
        20.0,
    )
    assert down.why.get("en") == "Your last session of Daily relief was stopped because of pain."
    progression.record_decision(store, down, True, when=at(date(2026, 3, 10), 20))
    back = apply_dose_changes(daily, stats.dose_changes(store))
    assert back.items[0].apply_to(lib.exercises["S4"].dosage).hold_s == 20


def test_pain_rule_broken_or_a_worse_morning_suggest_a_step_back(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    walking = routine(lib, "walking")
    sid = session(store, clock, at(date(2026, 3, 10)), "walking", before=(2, 2), after=(2, 5))
    s = progression.suggest_progression(history, walking, lib.exercises)
    assert s is not None and (s.direction, s.reason) == (
        progression.Direction.DOWN,
        progression.Reason.PAIN_RULE,
    )
    # Without an earlier step, the walking bouts get 10 % shorter first.
    assert s.change.field == "walk" and s.change.exercise_id == "A3"
    assert (s.change.before, s.change.after) == (300.0, 275.0)
    assert s.change.walk is not None and s.change.walk["from_walking_test"] == pytest.approx(0.727)
    progression.record_decision(store, s, False, when=at(date(2026, 3, 10), 20))
    # A good session, then "worse the next morning".
    good = session(store, clock, at(date(2026, 3, 11)), "walking", before=(2, 2), after=(2, 2))
    assert progression.suggest_progression(history, walking, lib.exercises) is None
    progression.record_next_day(store, good, progression.NextDay.WORSE, when=at(TODAY, 7))
    s = progression.suggest_progression(history, walking, lib.exercises)
    assert s is not None and s.reason is progression.Reason.WORSE_NEXT_DAY
    assert s.why.get("en") == "You felt worse than usual the morning after Walking program."
    assert sid != good


def test_walking_step_up_scales_the_share_of_the_walking_test(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    walking = routine(lib, "walking")
    # P2, C5 and A3: P2 (posture) holds 5 s: up first. Make A3 the oldest
    # candidate by pretending the others changed recently.
    store.set_json(
        stats.DOSE_CHANGES_KEY,
        {
            "walking": {
                "0": {"exercise_id": "P2", "changed_utc": "2026-03-01T00:00:00.000000Z"},
                "1": {"exercise_id": "C5", "changed_utc": "2026-03-01T00:00:00.000000Z"},
                "3": {"exercise_id": "C2", "changed_utc": "2026-03-01T00:00:00.000000Z"},
            }
        },
    )
    store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 400, "total_s": 700})
    good_sessions(store, clock, "walking", (9, 10, 11))
    s = progression.suggest_progression(history, walking, lib.exercises)
    assert s is not None and s.change.field == "walk"
    # 80 % of 400 s = 320 s; +10 % -> 88 % = 352 s.
    assert s.change.before == pytest.approx(320.0)
    assert s.change.after == pytest.approx(352.0)
    assert s.text.get("en").endswith("walk 5:52 min per bout instead of 5:20 min.")
    progression.record_decision(store, s, True, when=NOW)
    changed = apply_dose_changes(walking, stats.dose_changes(store))
    walk = changed.items[2].walk
    assert isinstance(walk, Walk)
    assert (walk.bout_s, walk.from_walking_test) == (330, pytest.approx(0.88))
    plan = build_plan(changed, lib.exercises, walking_test_s=400)
    bouts = [st.seconds for st in plan.steps if st.phase is Phase.WALK]
    assert bouts == [pytest.approx(352.0)] * 3


def test_gentle_day_is_never_progressed(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    good_sessions(store, clock, "gentle-day", (9, 10, 11))
    assert (
        progression.suggest_progression(history, routine(lib, "gentle-day"), lib.exercises) is None
    )


def test_dose_changes_for_another_exercise_are_ignored(lib: Library) -> None:
    daily = routine(lib, "daily-relief")
    changes = {"daily-relief": {"0": {"exercise_id": "T1", "reps": 14}, "9": {"exercise_id": "P1"}}}
    assert apply_dose_changes(daily, changes) == daily
    bad = {"daily-relief": {"0": {"exercise_id": "P1", "reps": 1000}}}
    assert apply_dose_changes(daily, bad) == daily  # out of the model's limits


def test_next_suggestion_prefers_a_step_back(
    store: Store, clock: Clock, history: History, lib: Library
) -> None:
    good_sessions(store, clock, "daily-relief", (9, 10, 11))
    session(
        store,
        clock,
        at(date(2026, 3, 11)),
        "strength",
        outcome=SessionOutcome.STOPPED,
        stop_reason="pain_spreading_leg",
    )
    plan = [routine(lib, "daily-relief"), routine(lib, "strength")]
    s = progression.next_suggestion(history, plan, lib.exercises)
    assert s is not None and (s.routine_id, s.direction) == ("strength", progression.Direction.DOWN)


def test_next_day_question_is_asked_once_the_day_after(
    store: Store, clock: Clock, history: History
) -> None:
    sid = session(store, clock, at(date(2026, 3, 11), 10))
    assert (
        progression.next_day_question(history, at(date(2026, 3, 11), 20), BERLIN) is None
    )  # same day
    asked = progression.next_day_question(history, at(TODAY, 8), BERLIN)
    assert asked is not None and asked.id == sid
    assert (
        progression.next_day_question(history, at(date(2026, 3, 14), 8), BERLIN) is None
    )  # too late
    progression.record_next_day(store, sid, "usual", when=at(TODAY, 8))
    assert progression.next_day_question(history, at(TODAY, 9), BERLIN) is None
    [answer] = store.measures(progression.NEXT_DAY_KIND)
    assert answer.value == {"session_id": sid, "compared": "usual"}
    with pytest.raises(ValueError):
        progression.record_next_day(store, sid, "fine")


def test_the_computers_own_time_zone_gives_the_same_days(
    store: Store, clock: Clock, history: History, lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tz=None lets SQLite find local days ('localtime'); it must agree with Python."""
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        # 23:30 UTC is already the next day in Berlin; one at a DST change too.
        for moment in (
            datetime(2026, 3, 9, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 11, 8, 0, tzinfo=UTC),
            datetime(2026, 3, 12, 6, 0, tzinfo=UTC),
            datetime(2025, 10, 25, 22, 30, tzinfo=UTC),  # 00:30 on the 26th, summer time
        ):
            session(store, clock, moment)
        before = stats.day_start_utc(date(2026, 3, 13), BERLIN)
        assert stats.day_start_utc(date(2026, 3, 13), None) == before
        own = list(history.counted_days_newest_first(before, None))
        explicit = list(history.counted_days_newest_first(before, BERLIN))
        assert (
            own
            == explicit
            == [
                date(2026, 3, 12).toordinal(),
                date(2026, 3, 11).toordinal(),
                date(2026, 3, 10).toordinal(),
                date(2025, 10, 26).toordinal(),
            ]
        )
        plan = [routine(lib, "daily-relief")]
        assert stats.current_streak(history, plan, TODAY, None) == 3
        assert stats.current_streak(history, plan, TODAY, BERLIN) == 3
    finally:
        monkeypatch.undo()
        time.tzset()
