"""The reminder schedule, driven by a fake clock: days, weeks, DST, travel, suspend."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from coach.core.reminders import schedule as core
from coach.core.reminders.autostart import (
    AutostartError,
    autostart_command,
    autostart_path,
    set_autostart,
)
from coach.core.reminders.plan_entries import PlanEntry, chosen_plan
from coach.core.reminders.posture_tips import POSTURE_CUES
from coach.core.reminders.preferences import (
    DEFAULT_TIMES,
    PrefsError,
    ReminderPrefs,
    check_posture_interval,
    parse_active_hours,
    parse_days,
    parse_minutes,
    parse_time,
    parse_times,
)
from coach.core.reminders.schedule import (
    WEEK,
    Kind,
    Reason,
    Reminder,
    ReminderState,
    next_due,
    upcoming,
)
from coach.core.reminders.settings_file import ReminderSettings, load_settings, save_settings

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

TWICE_WEEKDAYS = PlanEntry("twice", {"en": "Twice", "de": "Zweimal"}, 600.0, 2, WEEK[:5])
DAILY = PlanEntry("daily", {"en": "Daily relief", "de": "Tägliche Entlastung"}, 720.0, 1)


def at(zone: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=zone, fold=fold)  # type: ignore[misc]


def prefs(**values: object) -> ReminderPrefs:
    return ReminderPrefs(**values)  # type: ignore[arg-type]


POSTURE_45 = prefs(posture_prompts=True, posture_every_min=45)


def simulate(
    start: datetime,
    end: datetime,
    p: ReminderPrefs,
    plan: list[PlanEntry],
    *,
    asleep: tuple[datetime, datetime] | None = None,
    state: ReminderState | None = None,
    act: bool = False,
) -> list[tuple[datetime, Reminder]]:
    """The tray's loop with a fake clock: sleep to the next due time, show, repeat.

    ``asleep``: the computer is suspended then; the timer fires on wake.
    ``act``: the person answers every reminder (no repeats).
    """
    # Instants are compared by timestamp: two datetimes of the same zone compare
    # by wall-clock time in Python, which is wrong in the doubled hour.
    state = state or ReminderState(checked_until=start)
    now = start
    shown: list[tuple[datetime, Reminder]] = []
    for _ in range(500):
        rem = next_due(now, p, plan, state)
        if rem is None:
            break
        wake = rem.due if rem.due.timestamp() > now.timestamp() else now
        if asleep and asleep[0].timestamp() < wake.timestamp() < asleep[1].timestamp():
            wake = asleep[1]
        if wake.timestamp() > end.timestamp():
            break
        now = wake
        rem = next_due(now, p, plan, state)
        if rem is None or rem.due.timestamp() > now.timestamp():
            continue
        state.mark_shown(rem, now)
        if act:
            state.acted(rem)
        shown.append((now, rem))
    return shown


# --------------------------------------------------------------------------
# The plan of the "done when"
# --------------------------------------------------------------------------


def test_twice_a_day_weekdays_with_posture_tips_lists_the_right_ten() -> None:
    found = upcoming(at(BERLIN, 2026, 11, 30, 8, 0), POSTURE_45, [TWICE_WEEKDAYS], 10)
    assert [(r.due.strftime("%a %H:%M"), r.kind.value) for r in found] == [
        ("Mon 09:00", "routine"),
        ("Mon 09:45", "posture"),
        ("Mon 10:30", "posture"),
        ("Mon 11:15", "posture"),
        ("Mon 12:00", "posture"),
        ("Mon 12:45", "posture"),
        ("Mon 13:30", "posture"),
        ("Mon 14:15", "posture"),
        ("Mon 15:00", "posture"),
        ("Mon 15:45", "posture"),
    ]
    assert found[0].message("en") == "Twice (about 10 minutes)."
    assert found[0].line("en").endswith("routine  Time for your routine: Twice (about 10 minutes).")
    cues = [r.cue for r in found[1:6]]
    assert len({c.id for c in cues if c}) == 5, "five tips in a row: every cue once"


def test_a_whole_week_with_the_tray_loop() -> None:
    shown = simulate(
        at(BERLIN, 2026, 11, 30, 0, 0),
        at(BERLIN, 2026, 12, 7, 0, 0),
        POSTURE_45,
        [TWICE_WEEKDAYS],
        act=True,
    )
    routines = [t for t, r in shown if r.kind is Kind.ROUTINE]
    assert len(routines) == 10  # Mon-Fri, twice
    assert {t.strftime("%H:%M") for t in routines} == {"09:00", "18:00"}
    assert {t.strftime("%a") for t in routines} == {"Mon", "Tue", "Wed", "Thu", "Fri"}
    posture = [t for t, r in shown if r.kind is Kind.POSTURE]
    assert len(posture) == 7 * 11  # posture tips every day, 09:45 .. 17:15
    assert all(time(9, 45) <= t.time() <= time(17, 15) for t in posture)
    assert all(r.reason is Reason.PLANNED for _, r in shown)


# --------------------------------------------------------------------------
# Days and week boundaries
# --------------------------------------------------------------------------


def test_friday_evening_to_monday_morning() -> None:
    p = prefs()
    friday_evening = at(BERLIN, 2026, 12, 4, 18, 30)  # a Friday, after the last reminder
    rem = next_due(friday_evening, p, [TWICE_WEEKDAYS], ReminderState(checked_until=friday_evening))
    assert rem is not None
    assert rem.due == at(BERLIN, 2026, 12, 7, 9, 0)  # Monday
    assert rem.due.weekday() == 0


def test_sunday_night_to_monday_across_the_year_boundary() -> None:
    plan = [DAILY]
    now = at(BERLIN, 2026, 12, 31, 23, 59)
    rem = next_due(now, prefs(), plan, ReminderState(checked_until=now))
    assert rem is not None and rem.due == at(BERLIN, 2027, 1, 1, 9, 0)


def test_routine_days_and_the_persons_days_both_apply() -> None:
    strength = PlanEntry("strength", {"en": "Strength"}, 1500.0, 1, ("mon", "wed", "fri"))
    found = upcoming(
        at(BERLIN, 2026, 11, 30, 0, 0), prefs(days=("mon", "tue", "wed")), [strength], 3
    )
    assert [r.due.date() for r in found] == [
        date(2026, 11, 30),
        date(2026, 12, 2),
        date(2026, 12, 7),
    ]


def test_quiet_days_have_no_reminders_at_all() -> None:
    p = prefs(posture_prompts=True, posture_every_min=60, quiet_days=("sat", "sun"))
    found = upcoming(at(BERLIN, 2026, 12, 4, 19, 0), p, [DAILY], 1)  # Friday evening
    assert found[0].due.date() == date(2026, 12, 7)


def test_same_time_routines_make_one_reminder() -> None:
    found = upcoming(at(BERLIN, 2026, 11, 30, 8, 0), prefs(), [DAILY, TWICE_WEEKDAYS], 2)
    assert found[0].routine_ids == ("daily", "twice")
    assert found[0].message("en") == (
        "Daily relief (about 12 minutes) and Twice (about 10 minutes)."
    )
    assert found[0].message("de") == (
        "Tägliche Entlastung (etwa 12 Minuten) und Zweimal (etwa 10 Minuten)."
    )
    assert found[1].due.time() == time(18, 0)


# --------------------------------------------------------------------------
# Daylight saving time
# --------------------------------------------------------------------------


def test_berlin_spring_forward_a_missing_time_happens_once_after_the_gap() -> None:
    p = prefs(times=((time(2, 30),), *DEFAULT_TIMES[1:]))
    shown = simulate(at(BERLIN, 2026, 3, 28, 12, 0), at(BERLIN, 2026, 3, 30, 12, 0), p, [DAILY])
    days = [(t.date(), t.astimezone(UTC)) for t, r in shown if r.reason is Reason.PLANNED]
    # Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    assert days == [
        (date(2026, 3, 29), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (date(2026, 3, 30), datetime(2026, 3, 30, 0, 30, tzinfo=UTC)),
    ]
    assert shown[0][0].strftime("%H:%M %Z") == "03:30 CEST"


def test_berlin_spring_forward_keeps_nine_oclock() -> None:
    found = upcoming(at(BERLIN, 2026, 3, 28, 10, 0), prefs(), [DAILY], 2)
    assert [r.due.strftime("%d %H:%M %Z") for r in found] == ["29 09:00 CEST", "30 09:00 CEST"]
    saturday_nine = at(BERLIN, 2026, 3, 28, 9, 0)
    assert found[0].due.astimezone(UTC) - saturday_nine.astimezone(UTC) == timedelta(hours=23)


def test_berlin_fall_back_a_doubled_time_fires_once() -> None:
    p = prefs(times=((time(2, 30),), *DEFAULT_TIMES[1:]))
    start = at(BERLIN, 2026, 10, 25, 0, 0)
    shown = simulate(start, at(BERLIN, 2026, 10, 25, 12, 0), p, [DAILY], act=True)
    assert len(shown) == 1
    first_0230 = at(BERLIN, 2026, 10, 25, 2, 30, fold=0)
    assert shown[0][0] == first_0230
    assert shown[0][0].utcoffset() == timedelta(hours=2)
    # Asked again during the second 02:30 (CET): nothing more today.
    state = ReminderState(checked_until=start)
    state.mark_shown(shown[0][1], first_0230)
    state.acted(shown[0][1])
    second_0230 = at(BERLIN, 2026, 10, 25, 2, 30, fold=1)
    assert second_0230.utcoffset() == timedelta(hours=1)
    rem = next_due(second_0230, p, [DAILY], state)
    assert rem is not None and rem.due.date() == date(2026, 10, 26)
    assert rem.reason is Reason.PLANNED


def test_new_york_spring_forward_and_fall_back() -> None:
    p = prefs(times=((time(2, 30),), *DEFAULT_TIMES[1:]))
    spring = simulate(
        at(NEW_YORK, 2026, 3, 7, 12, 0), at(NEW_YORK, 2026, 3, 8, 12, 0), p, [DAILY], act=True
    )
    assert [t.strftime("%d %H:%M %Z") for t, _ in spring] == ["08 03:30 EDT"]
    fall = simulate(
        at(NEW_YORK, 2026, 10, 31, 12, 0), at(NEW_YORK, 2026, 11, 1, 12, 0), p, [DAILY], act=True
    )
    assert [t.strftime("%d %H:%M %Z") for t, _ in fall] == ["01 02:30 EST"]
    # 01:30 happens twice in New York that night: a routine at 01:30 fires once.
    p130 = prefs(times=((time(1, 30),), *DEFAULT_TIMES[1:]))
    fall130 = simulate(
        at(NEW_YORK, 2026, 10, 31, 12, 0), at(NEW_YORK, 2026, 11, 1, 12, 0), p130, [DAILY], act=True
    )
    assert [t.strftime("%d %H:%M %Z") for t, _ in fall130] == ["01 01:30 EDT"]


def test_posture_tips_keep_their_wall_clock_grid_across_dst() -> None:
    p = prefs(posture_prompts=True, posture_every_min=60)
    found = upcoming(at(BERLIN, 2026, 10, 25, 0, 0), p, [], 8)
    assert [r.due.strftime("%H:%M") for r in found] == [f"{h:02d}:00" for h in range(10, 18)]


# --------------------------------------------------------------------------
# Time-zone change (travel) and clock changes
# --------------------------------------------------------------------------


def test_travel_west_reminders_follow_the_new_local_time() -> None:
    plan = [DAILY]
    p = prefs()
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 7, 0))
    # Before 09:00 Berlin the person lands in New York (02:00 there = 08:00 Berlin).
    now = at(BERLIN, 2026, 11, 30, 8, 0).astimezone(NEW_YORK)
    rem = next_due(now, p, plan, state)
    assert rem is not None
    assert rem.due == at(NEW_YORK, 2026, 11, 30, 9, 0)  # 09:00 New York, not 09:00 Berlin
    assert rem.due.astimezone(BERLIN).hour == 15


def test_travel_after_todays_reminder_does_not_repeat_the_day() -> None:
    plan = [TWICE_WEEKDAYS]
    p = prefs()
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 8, 0))
    morning = next_due(at(BERLIN, 2026, 11, 30, 9, 0), p, plan, state)
    assert morning is not None
    state.mark_shown(morning, morning.due)
    state.acted(morning)
    # Arrived: 08:00 in New York is 14:00 in Berlin, same calendar day.
    now = at(NEW_YORK, 2026, 11, 30, 8, 0)
    rem = next_due(now, p, plan, state)
    assert rem is not None
    assert rem.due == at(NEW_YORK, 2026, 11, 30, 18, 0), "09:00 was already said today"


def test_travel_east_gives_one_catch_up_not_a_burst() -> None:
    p = POSTURE_45
    plan = [TWICE_WEEKDAYS]
    state = ReminderState(checked_until=at(NEW_YORK, 2026, 11, 30, 8, 0))
    morning = next_due(at(NEW_YORK, 2026, 11, 30, 9, 0), p, plan, state)
    assert morning is not None and morning.kind is Kind.ROUTINE
    state.mark_shown(morning, morning.due)
    state.acted(morning)
    # Flying east; the computer takes on Berlin time at 20:00 there (14:00 in New York).
    # Berlin's tips from 15:00 and its 18:00 routine now lie behind: one catch-up.
    now = at(BERLIN, 2026, 11, 30, 20, 0)
    rem = next_due(now, p, plan, state)
    assert rem is not None and rem.reason is Reason.CATCH_UP and rem.routine_id == "twice"
    assert rem.message("en") == (
        "Planned for 18:00: Twice (about 10 minutes). You can still do it today."
    )
    assert rem.message("de").startswith("Geplant für 18:00: Zweimal (etwa 10 Minuten).")
    state.mark_shown(rem, now)
    after = next_due(now, p, plan, state)
    assert after is not None and after.due == at(BERLIN, 2026, 12, 1, 9, 0)


def test_clock_set_back_does_not_say_things_twice() -> None:
    plan = [DAILY]
    p = prefs()
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 8, 0))
    rem = next_due(at(BERLIN, 2026, 11, 30, 9, 0), p, plan, state)
    assert rem is not None
    state.mark_shown(rem, rem.due)
    state.acted(rem)
    earlier = at(BERLIN, 2026, 11, 30, 8, 30)  # the clock was corrected backwards
    again = next_due(earlier, p, plan, state)
    assert again is not None and again.due.date() == date(2026, 12, 1)


# --------------------------------------------------------------------------
# Suspend: at most one catch-up
# --------------------------------------------------------------------------


def test_suspend_over_a_routine_gives_exactly_one_catch_up() -> None:
    start = at(BERLIN, 2026, 11, 30, 8, 0)
    wake = at(BERLIN, 2026, 11, 30, 14, 0)
    shown = simulate(
        start, at(BERLIN, 2026, 11, 30, 17, 0), POSTURE_45, [TWICE_WEEKDAYS], asleep=(start, wake)
    )
    at_wake = [r for t, r in shown if t == wake]
    assert len(at_wake) == 1
    assert at_wake[0].reason is Reason.CATCH_UP and at_wake[0].kind is Kind.ROUTINE
    later = [(t, r) for t, r in shown if t > wake]
    assert later[0][0] == at(BERLIN, 2026, 11, 30, 14, 15) and later[0][1].kind is Kind.POSTURE
    assert all(r.reason is not Reason.CATCH_UP for _, r in later)


def test_suspend_over_two_routine_slots_is_still_one_reminder() -> None:
    plan = [TWICE_WEEKDAYS, PlanEntry("other", {"en": "Other"}, 300.0, 3)]
    start = at(BERLIN, 2026, 11, 30, 7, 0)
    wake = at(BERLIN, 2026, 11, 30, 20, 0)
    state = ReminderState(checked_until=start)
    rem = next_due(wake, POSTURE_45, plan, state)
    assert rem is not None and rem.reason is Reason.CATCH_UP
    assert set(rem.routine_ids) == {"twice", "other"}
    assert rem.planned == at(BERLIN, 2026, 11, 30, 9, 0)
    state.mark_shown(rem, wake)
    nxt = next_due(wake, POSTURE_45, plan, state)
    assert nxt is not None and nxt.due > wake


def test_suspend_over_only_posture_tips_says_nothing_stale() -> None:
    start = at(BERLIN, 2026, 11, 30, 10, 0)
    wake = at(BERLIN, 2026, 11, 30, 13, 0)
    state = ReminderState(checked_until=start)
    rem = next_due(wake, POSTURE_45, [TWICE_WEEKDAYS], state)
    assert (
        rem is not None and rem.kind is Kind.POSTURE and rem.due == at(BERLIN, 2026, 11, 30, 13, 30)
    )


def test_a_night_asleep_catches_up_nothing_from_yesterday() -> None:
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 8, 0))
    morning = at(BERLIN, 2026, 12, 1, 7, 0)
    rem = next_due(morning, prefs(), [TWICE_WEEKDAYS], state)
    assert rem is not None and rem.reason is Reason.PLANNED
    assert rem.due == at(BERLIN, 2026, 12, 1, 9, 0)


def test_a_timer_a_little_late_is_still_on_time() -> None:
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 8, 0))
    rem = next_due(at(BERLIN, 2026, 11, 30, 9, 0, 40), prefs(), [TWICE_WEEKDAYS], state)
    assert rem is not None and rem.reason is Reason.PLANNED


def test_first_start_of_the_day_catches_up_the_morning() -> None:
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 29, 20, 0))  # from yesterday
    now = at(BERLIN, 2026, 11, 30, 10, 30)
    rem = next_due(now, prefs(), [TWICE_WEEKDAYS], state)
    assert rem is not None and rem.reason is Reason.CATCH_UP and rem.due <= now


# --------------------------------------------------------------------------
# Repeat once, silence when done, snooze, pause, never during a routine
# --------------------------------------------------------------------------


def test_not_acted_on_repeats_once_then_left_alone() -> None:
    shown = simulate(
        at(BERLIN, 2026, 11, 30, 8, 0), at(BERLIN, 2026, 11, 30, 17, 0), prefs(), [TWICE_WEEKDAYS]
    )
    assert [(t.strftime("%H:%M"), r.reason.value) for t, r in shown] == [
        ("09:00", "planned"),
        ("09:30", "repeat"),
    ]
    assert (
        shown[1][1].message("en")
        == "A gentle reminder: Twice (about 10 minutes) is still waiting for you."
    )


def test_acted_on_is_not_repeated() -> None:
    shown = simulate(
        at(BERLIN, 2026, 11, 30, 8, 0),
        at(BERLIN, 2026, 11, 30, 17, 0),
        prefs(),
        [TWICE_WEEKDAYS],
        act=True,
    )
    assert [t.strftime("%H:%M") for t, _ in shown] == ["09:00"]


def test_no_repeat_close_to_the_next_time() -> None:
    p = prefs(repeat_after_min=180).with_times([time(9, 0), time(11, 0)])
    shown = simulate(
        at(BERLIN, 2026, 11, 30, 8, 0), at(BERLIN, 2026, 11, 30, 15, 0), p, [TWICE_WEEKDAYS]
    )
    # 12:00 would come after the 11:00 reminder: the morning one is not repeated.
    assert [(t.strftime("%H:%M"), r.reason.value) for t, r in shown] == [
        ("09:00", "planned"),
        ("11:00", "planned"),
        ("14:00", "repeat"),
    ]


def test_done_sessions_silence_the_rest_of_the_day() -> None:
    now = at(BERLIN, 2026, 11, 30, 8, 0)
    state = ReminderState(checked_until=now)
    one = next_due(now, prefs(), [TWICE_WEEKDAYS], state, {"twice": 1})
    assert one is not None and one.due.time() == time(18, 0)
    two = next_due(now, prefs(), [TWICE_WEEKDAYS], state, {"twice": 2})
    assert two is not None and two.due == at(BERLIN, 2026, 12, 1, 9, 0)
    # A session of another routine silences nothing.
    other = next_due(now, prefs(), [TWICE_WEEKDAYS], state, {"daily": 3})
    assert other is not None and other.due.time() == time(9, 0)


def test_done_after_the_reminder_stops_its_repeat() -> None:
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 8, 0))
    rem = next_due(at(BERLIN, 2026, 11, 30, 9, 0), prefs(), [TWICE_WEEKDAYS], state)
    assert rem is not None
    state.mark_shown(rem, rem.due)
    nxt = next_due(at(BERLIN, 2026, 11, 30, 9, 1), prefs(), [TWICE_WEEKDAYS], state, {"twice": 1})
    assert nxt is not None and nxt.due.time() == time(18, 0)


def test_done_counts_from_sessions_by_local_day() -> None:
    @dataclass
    class S:
        routine_id: str
        started_utc: datetime
        outcome: str

    sessions = [
        S("twice", datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "completed"),  # 00:30 Berlin
        S("twice", datetime(2026, 11, 30, 10, 0, tzinfo=UTC), "stopped"),
        S("twice", datetime(2026, 11, 30, 11, 0, tzinfo=UTC), "abandoned"),
        S("daily", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "completed"),  # next day there
    ]
    assert core.done_counts(sessions, date(2026, 11, 30), BERLIN) == {"twice": 2}
    start, end = core.day_bounds_utc(date(2026, 3, 29), BERLIN)
    assert end - start == timedelta(hours=23)


def test_posture_tips_never_during_a_routine() -> None:
    p = prefs(posture_prompts=True, posture_every_min=15)
    long_routine = PlanEntry("long", {"en": "Long"}, 40 * 60.0, 1)
    found = upcoming(at(BERLIN, 2026, 11, 30, 8, 0), p, [long_routine], 5)
    # Quiet from 10 minutes before the routine until 5 minutes after its 40 minutes.
    assert [(r.due.strftime("%H:%M"), r.kind.value) for r in found] == [
        ("09:00", "routine"),
        ("10:00", "posture"),
        ("10:15", "posture"),
        ("10:30", "posture"),
        ("10:45", "posture"),
    ]
    assert next_due(at(BERLIN, 2026, 11, 30, 9, 10), p, [long_routine], in_routine=True) is None


def test_no_stale_tip_right_after_a_routine() -> None:
    p = prefs(posture_prompts=True, posture_every_min=30)
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 10, 0))
    state.routine_ended(at(BERLIN, 2026, 11, 30, 11, 1))
    rem = next_due(at(BERLIN, 2026, 11, 30, 11, 1), p, [], state)
    assert rem is not None and rem.due.time() == time(11, 30)


def test_snooze_holds_everything_then_says_it_once() -> None:
    p = POSTURE_45
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 8, 0))
    nine = at(BERLIN, 2026, 11, 30, 9, 0)
    rem = next_due(nine, p, [TWICE_WEEKDAYS], state)
    assert rem is not None
    state.mark_shown(rem, nine)
    state.snooze_for(nine, 60, rem)
    again = next_due(nine, p, [TWICE_WEEKDAYS], state)
    assert again is not None
    assert again.due == nine + timedelta(minutes=60) and again.reason is Reason.SNOOZED
    assert again.routine_id == "twice"
    state.mark_shown(again, again.due)
    after = next_due(again.due, p, [TWICE_WEEKDAYS], state)
    assert after is not None and after.kind is Kind.POSTURE and after.due > again.due
    assert state.snooze is None


def test_snooze_without_a_reminder_is_a_quiet_spell() -> None:
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 9, 50))
    now = at(BERLIN, 2026, 11, 30, 9, 50)
    state.snooze_for(now, 60)
    rem = next_due(now, POSTURE_45, [TWICE_WEEKDAYS], state)
    assert rem is not None and rem.due == at(BERLIN, 2026, 11, 30, 11, 15)  # 10:30 dropped


def test_pause_for_today_then_tomorrow_as_usual() -> None:
    now = at(BERLIN, 2026, 11, 30, 8, 0)
    state = ReminderState(checked_until=now)
    state.pause_today(now)
    assert state.paused(now)
    rem = next_due(now, POSTURE_45, [TWICE_WEEKDAYS], state)
    assert rem is not None and rem.due == at(BERLIN, 2026, 12, 1, 9, 0)
    assert rem.reason is Reason.PLANNED
    state.resume(at(BERLIN, 2026, 11, 30, 12, 0))
    rem = next_due(at(BERLIN, 2026, 11, 30, 12, 0), POSTURE_45, [TWICE_WEEKDAYS], state)
    assert rem is not None and rem.due == at(BERLIN, 2026, 11, 30, 12, 45)


def test_switched_off_means_nothing() -> None:
    now = at(BERLIN, 2026, 11, 30, 8, 0)
    assert next_due(now, prefs(enabled=False), [TWICE_WEEKDAYS]) is None
    assert upcoming(now, prefs(enabled=False), [TWICE_WEEKDAYS], 5) == []
    assert next_due(now, prefs(), []) is None


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        next_due(datetime(2026, 11, 30, 8, 0), prefs(), [DAILY])


def test_posture_cues_rotate_in_two_languages_with_pictures() -> None:
    assert {c.figure for c in POSTURE_CUES} == {"P2", "P4", "S9", "C2", "A2"}
    for cue in POSTURE_CUES:
        assert cue.text["en"].strip() and cue.text["de"].strip()
        assert cue.picture == f"figures/{cue.figure}-end.svg"
    found = upcoming(at(BERLIN, 2026, 11, 30, 8, 0), prefs(posture_prompts=True), [], 10)
    ids = [r.cue.id for r in found if r.cue]
    assert len(set(ids[:5])) == 5 and ids[5:8] == ids[:3]  # eight tips on that day
    assert all(r.picture and r.picture.startswith("figures/") for r in found)


def test_todays_routine() -> None:
    monday = at(BERLIN, 2026, 11, 30, 12, 0)
    saturday = at(BERLIN, 2026, 12, 5, 12, 0)
    plan = [TWICE_WEEKDAYS, DAILY]
    assert core.todays_routine(monday, prefs(), plan) == "twice"
    assert core.todays_routine(monday, prefs(), plan, {"twice": 2}) == "daily"
    assert core.todays_routine(saturday, prefs(), plan) == "daily"
    assert core.todays_routine(saturday, prefs(), []) is None


# --------------------------------------------------------------------------
# Bad settings: refused at entry, hand-edited ones fall back with a note
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: parse_time("25:00"), "'25:00' is not a time of day"),
        (lambda: parse_time("9:75"), "'9:75' is not a time of day"),
        (lambda: parse_times("09:00,09:30"), "at least an hour apart"),
        (lambda: parse_days(""), "choose at least one day"),
        (lambda: parse_days("mon-fry"), "'fry' is not a day"),
        (lambda: check_posture_interval(0), "every 0 minutes is not possible"),
        (lambda: check_posture_interval(7 * 24 * 60), "every 10080 minutes"),
        (lambda: parse_active_hours("18:00-09:00"), "must end after they start"),
        (lambda: parse_active_hours("09:00"), "start-end"),
        (lambda: parse_minutes("a week", "x"), "not a number of minutes"),
        (lambda: ReminderPrefs(days=()), "choose at least one day"),
        (lambda: ReminderPrefs(quiet_days=WEEK), "turn reminders off instead"),
        (lambda: ReminderPrefs(posture_every_min=0), "every 0 minutes"),
        (lambda: ReminderPrefs(active_from=time(18), active_until=time(9)), "end after"),
        (lambda: ReminderPrefs(snooze_min=0), "between 5 and 120 minutes"),
        (lambda: ReminderPrefs(times=((time(9),), (time(9),), DEFAULT_TIMES[2])), "2 times"),
    ],
)
def test_impossible_values_are_refused_with_a_message(call: object, message: str) -> None:
    with pytest.raises(PrefsError) as caught:
        call()  # type: ignore[operator]
    assert message in str(caught.value)


def test_friendly_entries_are_understood() -> None:
    assert parse_time("9") == time(9, 0)
    assert parse_time("9.30") == time(9, 30)
    assert parse_days("mon-fri") == WEEK[:5]
    assert parse_days("fri-mon") == ("mon", "fri", "sat", "sun")
    assert parse_days("weekdays") == WEEK[:5]
    assert parse_days("Mo, Mi, Fr") == ("mon", "wed", "fri")
    assert parse_days("none", allow_empty=True) == ()
    assert parse_minutes("1h", "x") == 60
    assert parse_minutes("45 min", "x") == 45
    assert parse_active_hours("9-18") == (time(9), time(18))
    assert prefs().with_times([time(8), time(20)]).times_for(2) == (time(8), time(20))


def test_settings_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    p = prefs(
        routines=("daily", "twice"),
        days=WEEK[:5],
        quiet_days=("sun",),
        posture_prompts=True,
        posture_every_min=45,
        active_from=time(8, 30),
        active_until=time(19),
    ).with_times([time(8), time(19)])
    state = ReminderState(checked_until=at(BERLIN, 2026, 11, 30, 9, 0), told_about_tray=True)
    rem = upcoming(at(BERLIN, 2026, 11, 30, 8, 0), p, [DAILY], 1)[0]
    state.mark_shown(rem, rem.due)
    state.snooze_for(rem.due, 10, rem)
    save_settings(path, ReminderSettings(p, state))
    assert path.stat().st_mode & 0o777 == 0o600
    loaded, notes = load_settings(path)
    assert notes == []
    assert loaded.prefs == p
    assert loaded.state.told_about_tray
    assert loaded.state.checked_until == state.checked_until
    assert loaded.state.snooze is not None and loaded.state.snooze.keys == rem.keys
    assert set(loaded.state.shown) == set(state.shown)


def test_hand_edited_bad_values_fall_back_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_text(
        json.dumps(
            {
                "routines": ["daily"],
                "times": {"1": ["25:00"], "2": ["09:00", "18:00"]},
                "days": [],
                "quiet_days": ["sat", "sun"],
                "active_hours": "18:00-09:00",
                "posture_prompts": "yes",
                "posture_every_min": 0,
                "snooze_min": 10,
                "state": {"checked_until": "yesterday"},
            }
        ),
        encoding="utf-8",
    )
    loaded, notes = load_settings(path)
    p = loaded.prefs
    assert p.routines == ("daily",)
    assert p.quiet_days == ("sat", "sun")
    assert p.times == DEFAULT_TIMES
    assert p.days == WEEK
    assert (p.active_from, p.active_until) == (time(9), time(18))
    assert p.posture_prompts is False and p.posture_every_min == 60
    joined = "\n".join(notes)
    for name in ("times", "days", "active_hours", "posture_prompts", "posture_every_min"):
        assert f"'{name}'" in joined
    assert "25:00" in joined
    assert "history" in joined  # the bad state was forgotten, with a note
    # And the schedule still works.
    assert upcoming(at(BERLIN, 2026, 11, 30, 8, 0), p, [DAILY], 1)[0].due.hour == 9


def test_unreadable_file_gives_defaults_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_text("{not json", encoding="utf-8")
    loaded, notes = load_settings(path)
    assert loaded.prefs == ReminderPrefs() and len(notes) == 1
    path.write_text("[1, 2]", encoding="utf-8")
    loaded, notes = load_settings(path)
    assert loaded.prefs == ReminderPrefs() and "damaged" in notes[0]
    assert load_settings(tmp_path / "missing.json") == (ReminderSettings(), [])


def test_defaults_are_quiet() -> None:
    p = ReminderPrefs()
    assert p.posture_prompts is False
    assert p.start_at_login is False
    assert p.routines == ()


# --------------------------------------------------------------------------
# Start at login
# --------------------------------------------------------------------------


def test_xdg_autostart_entry(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    command = ["/opt/my python/bin/python3", "-m", "coach"]
    message = set_autostart(True, command, env=env, platform="linux")
    entry = tmp_path / "config" / "autostart" / "coach.desktop"
    assert entry.is_file() and str(entry) in message
    text = entry.read_text(encoding="utf-8")
    assert "[Desktop Entry]" in text and "Type=Application" in text
    assert 'Exec="/opt/my python/bin/python3" -m coach' in text
    assert autostart_path(env) == entry
    set_autostart(False, command, env=env, platform="linux")
    assert not entry.exists()
    set_autostart(False, command, env=env, platform="linux")  # already gone: fine


def test_autostart_default_folder_and_other_platforms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart_path({}) == tmp_path / ".config" / "autostart" / "coach.desktop"
    assert autostart_path({"XDG_CONFIG_HOME": "relative"}).is_relative_to(tmp_path)
    for platform in ("win32", "darwin"):
        with pytest.raises(AutostartError, match="Startup folder"):
            set_autostart(True, ["coach"], env={}, platform=platform)


def test_local_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert str(core.local_zone()) == "America/New_York"
    monkeypatch.setenv("TZ", ":Europe/Berlin")
    assert str(core.local_zone()) == "Europe/Berlin"


def test_the_plan_is_cached_for_a_start_without_the_library(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    save_settings(path, ReminderSettings(prefs(routines=("twice",)), plan=(TWICE_WEEKDAYS,)))
    loaded, notes = load_settings(path)
    assert notes == [] and loaded.plan == (TWICE_WEEKDAYS,)
    assert chosen_plan(loaded.prefs, loaded.plan) == [TWICE_WEEKDAYS]
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["plan"][0]["times_per_day"] = 7
    path.write_text(json.dumps(raw), encoding="utf-8")
    loaded, notes = load_settings(path)
    assert loaded.plan == () and "rebuilt" in notes[0]
    assert loaded.prefs.routines == ("twice",)


def test_login_start_uses_the_tray_only_mode() -> None:
    assert autostart_command()[-2:] == ["coach", "--tray"]


def test_plan_entries_give_the_minutes_of_the_personal_plan(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library
    from coach.core.reminders.plan_entries import plan_entries
    from coach.core.session.personal import PersonalInputs
    from coach.core.session.profile import BodySide, HealthProfile, Joint, JointReplacement

    library = Library.load(resolve(tmp_path / "data"))
    hip = HealthProfile(
        completed=True,
        joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.RIGHT)],
    )
    inputs = PersonalInputs(profile=hip)
    (written,) = plan_entries(library, ["daily-relief"])
    (mine,) = plan_entries(library, ["daily-relief"], inputs=inputs)
    expected = inputs.plan_for(library.routines["daily-relief"], library.exercises)
    assert mine.seconds == expected.total_seconds
    assert written.seconds is not None and mine.seconds < written.seconds
