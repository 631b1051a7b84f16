"""What the numbers say: adherence, streak, minutes, trends, summaries.

Everything here reads through :class:`coach.core.progress.history.History` (SQL
aggregates and index range scans) and is pure Python: no Qt, no clocks of its
own. ``today``/``now`` and the time zone are passed in, so tests fix them.

Definitions (they are shown to people, so they are plain on purpose):

- **The plan** is a list of routines. Each scheduled weekday of a routine plans
  ``times_per_day`` sessions; a routine of "n times a week" plans n exercise
  days in each ISO week (fewer when the week is counted only in part), and
  each of its possible days is due until the week's count is reached. The
  plan is the routine ids stored under the kv key ``plan_routines`` when set
  (an assignment from the physiotherapist); otherwise the routines the person
  did on at least 2 different days in the last 28 days. "As needed" routines
  (the gentle/flare-up day) are never planned, but a session of them counts as
  done like any other.
- **Done**: a session that was completed, or stopped by the person (stopping
  when it hurts is doing it right). Sessions the app lost (abandoned) do not
  count, nor does one run through with less than half of its planned time
  done (mostly skipped, :mod:`coach.core.progress.effort`). Any routine
  counts towards the day's plan.
- **Interrupted**: a session the app lost after at least one step of exercise
  (a crash or a power cut stopped it; the next start marks it abandoned), or
  one mostly skipped. It is not a done session, but its day is partly done,
  not missed, and it keeps the streak.
- **Adherence** of an ISO week (Monday to Sunday): sessions done against
  sessions planned; the week of the first session counts from that day on.
- **Streak**: the number of days in a row, back from today, on which the person
  did at least one session or the plan had a rest day. Today counts once it
  has a session (or is a rest day); a today still without its session does
  not break the streak. The run must include a session day and stops at the first planned
  day without a session (or at the first session ever). Without a plan only
  days with a session count.
- **Minutes this week**: the active time of every recorded step of the week's
  sessions plus the minutes of activities logged outside Coach.
- **Pain at rest**: the pain before each session and every pain measure; pain
  after a session describes the exercise and is used only by the pain rule.
- **Meaningful change** (CONTENT.md section 5): walking time by 30 % or more,
  pain by 2 points or more, PSFS by 2 points for the mean or 3 for one
  activity (the smallest real change, MDC90). Smaller changes are reported
  as "about the same", never as better or worse.

The progression rule (CONTENT.md section 4) is in
:mod:`coach.core.progress.progression`, the PSFS and chair-stand scores in
:mod:`coach.core.progress.measures`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from coach.core.common.days import WEEK
from coach.core.content.model import Routine, Text
from coach.core.progress.history import History, PainPoint, WalkingTest
from coach.core.progress.measures import chair_stand_verdict, psfs_change, psfs_scores
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind

Tz = tzinfo | None
"""The person's time zone; None means the computer's local time (with its DST rules)."""

PLAN_KEY = "plan_routines"
"""kv key: the routine ids of the person's plan (set by an assignment). Optional."""

DOSE_CHANGES_KEY = "dose_changes"
"""kv key: accepted progression steps, ``{routine_id: {item_index: {...}}}``."""

AS_NEEDED_ROUTINES = frozenset({"gentle-day"})
"""Routines for bad days: never part of the plan, never progressed."""

PLAN_LOOKBACK_DAYS = 28
PLAN_MIN_DAYS = 2

WALKING_CHANGE = 0.30  # 30 % (Ammendolia 2018)
PAIN_CHANGE = 2.0  # points on 0-10


# --------------------------------------------------------------------------
# Days and weeks in the person's time zone
# --------------------------------------------------------------------------


def local_day(moment: datetime, tz: Tz = None) -> date:
    return moment.astimezone(tz).date()


def day_start_utc(day: date, tz: Tz = None) -> datetime:
    """The UTC instant of local midnight at the start of ``day``."""
    naive = datetime.combine(day, time())
    local = naive.astimezone() if tz is None else naive.replace(tzinfo=tz)
    return local.astimezone(UTC)


def week_start(day: date) -> date:
    """The Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def planned_on(plan: Sequence[Routine], day: date) -> int:
    """Sessions the fixed weekdays plan on ``day``.

    An "n times a week" routine plans by the week, not by the day: see
    :func:`planned_in_week` and :func:`flexible_due_on`.
    """
    weekday = WEEK[day.weekday()]
    return sum(
        r.schedule.times_per_day
        for r in plan
        if r.schedule.times_per_week is None and weekday in r.schedule.days
    )


def weekly_quota(routine: Routine, days: Iterable[date]) -> int:
    """Sessions an "n times a week" routine plans over ``days`` (one ISO week or part of it).

    A week counted only in part (the plan starts on a Saturday) asks for no more
    exercise days than it has left, so it is neither inflated nor waived.
    """
    schedule = routine.schedule
    if schedule.times_per_week is None:
        return 0
    possible = sum(1 for d in days if WEEK[d.weekday()] in schedule.days)
    return min(schedule.times_per_week, possible) * schedule.times_per_day


def planned_in_week(plan: Sequence[Routine], days: Sequence[date]) -> int:
    """Sessions planned over ``days`` of one ISO week: fixed days one by one, the rest by quota."""
    return sum(planned_on(plan, d) for d in days) + sum(weekly_quota(r, days) for r in plan)


def flexible_due_on(plan: Sequence[Routine], day: date, quota_left: int) -> int:
    """Sessions the "n times a week" routines ask for on ``day`` while ``quota_left`` > 0.

    Every day a routine may fall on is due until the week's count is reached;
    ``quota_left`` is the week's quota less the sessions already done towards it.
    """
    weekday = WEEK[day.weekday()]
    due = 0
    for r in plan:
        if quota_left <= 0:
            break
        if r.schedule.times_per_week is not None and weekday in r.schedule.days:
            n = min(r.schedule.times_per_day, quota_left)
            due += n
            quota_left -= n
    return due


def plan_routines(
    history: History,
    routines: Mapping[str, Routine],
    today: date,
    tz: Tz = None,
) -> list[Routine]:
    """The person's plan: the stored assignment, or the routines they keep doing."""
    chosen = history.kv(PLAN_KEY)
    if isinstance(chosen, list):
        return [routines[i] for i in chosen if isinstance(i, str) and i in routines]
    since = day_start_utc(today - timedelta(days=PLAN_LOOKBACK_DAYS - 1), tz)
    until = day_start_utc(today + timedelta(days=1), tz)
    days: dict[str, set[date]] = {}
    for routine_id, started in history.routine_days(since, until):
        days.setdefault(routine_id, set()).add(local_day(started, tz))
    return [
        routines[rid]
        for rid, seen in days.items()
        if len(seen) >= PLAN_MIN_DAYS and rid in routines and rid not in AS_NEEDED_ROUTINES
    ]


# --------------------------------------------------------------------------
# The calendar, adherence, streak and minutes
# --------------------------------------------------------------------------


class DayMark(StrEnum):
    DONE = "done"  # all planned sessions done (or a session on a free day)
    PARTLY = "partly"  # some of the planned sessions done, or a session interrupted
    MISSED = "missed"  # planned, none done, and the day is over
    TO_COME = "to_come"  # planned, today or later
    FREE = "free"  # nothing planned, nothing done
    BEFORE_START = "before_start"  # before the first session: nothing to judge


@dataclass(frozen=True)
class DayStatus:
    day: date
    planned: int
    done: int
    mark: DayMark
    interrupted: int = 0  # sessions interrupted on this day (not counted in ``done``)


@dataclass(frozen=True)
class WeekStatus:
    start: date  # a Monday
    days: tuple[DayStatus, ...]
    planned: int  # over the days counted (from the first session on)
    done: int

    @property
    def adherence(self) -> float | None:
        """Share of the planned sessions done (at most 1), None without a plan."""
        return min(1.0, self.done / self.planned) if self.planned else None


def _mark(
    day: date,
    planned: int,
    done: int,
    today: date,
    started: date | None,
    interrupted: int = 0,
) -> DayMark:
    if started is None or day < started:
        return DayMark.BEFORE_START if day <= today else _future_mark(planned)
    if day > today:
        return _future_mark(planned)
    if planned == 0:
        return DayMark.DONE if done else DayMark.PARTLY if interrupted else DayMark.FREE
    if done >= planned:
        return DayMark.DONE
    if done or interrupted:
        return DayMark.PARTLY
    return DayMark.TO_COME if day == today else DayMark.MISSED


def _future_mark(planned: int) -> DayMark:
    return DayMark.TO_COME if planned else DayMark.FREE


def weeks(
    history: History,
    plan: Sequence[Routine],
    today: date,
    count: int = 4,
    tz: Tz = None,
) -> list[WeekStatus]:
    """The last ``count`` ISO weeks up to and including this one, oldest first."""
    first_monday = week_start(today) - timedelta(weeks=count - 1)
    end = week_start(today) + timedelta(weeks=1)
    done: dict[date, int] = {}
    for started in history.counted_session_starts(
        day_start_utc(first_monday, tz), day_start_utc(end, tz)
    ):
        d = local_day(started, tz)
        done[d] = done.get(d, 0) + 1
    interrupted: dict[date, int] = {}
    for started in history.interrupted_session_starts(
        day_start_utc(first_monday, tz), day_start_utc(end, tz)
    ):
        d = local_day(started, tz)
        interrupted[d] = interrupted.get(d, 0) + 1
    first = history.first_session_start()
    started_day = local_day(first, tz) if first is not None else None
    out: list[WeekStatus] = []
    for w in range(count):
        monday = first_monday + timedelta(weeks=w)
        week = [monday + timedelta(days=k) for k in range(7)]
        counted = [d for d in week if started_day is not None and d >= started_day]
        quota_left = sum(weekly_quota(r, counted) for r in plan)
        days = []
        done_sum = 0
        for day in week:
            fixed = planned_on(plan, day)
            n, cut = done.get(day, 0), interrupted.get(day, 0)
            flexible = flexible_due_on(plan, day, quota_left) if day in counted else 0
            # A past day without a session was a free choice, not a missed one:
            # it plans only the sessions that were done towards the week's count.
            extra = max(0, n - fixed)
            planned = fixed + (flexible if day >= today else min(flexible, extra))
            mark = _mark(day, planned, n, today, started_day, cut)
            days.append(DayStatus(day, planned, n, mark, cut))
            if day in counted:
                quota_left -= extra
                done_sum += n
        out.append(WeekStatus(monday, tuple(days), planned_in_week(plan, counted), done_sum))
    return out


def current_streak(history: History, plan: Sequence[Routine], today: date, tz: Tz = None) -> int:
    """Days in a row on plan, back from today (see the module's definition).

    Days are ordinal numbers here: a ten-year streak walks 3,650 of them.
    """
    days = history.counted_days_newest_first(
        day_start_utc(today + timedelta(days=1), tz), tz, interrupted=True
    )
    per_weekday = [planned_on(plan, today - timedelta(days=k)) for k in range(7)]
    # rest[k]: the plan rests on the weekday k days before today.
    rest = [any(per_weekday) and n == 0 for n in per_weekday]
    first = today.toordinal()
    session_day = next(days, None)
    day = first
    if session_day != first and not rest[0]:
        day -= 1  # today is not over yet: it cannot break the run
    streak, had_session = 0, False
    while session_day is not None:
        while session_day is not None and session_day > day:
            session_day = next(days, None)
        if session_day is None:
            break  # nothing at or before this day: the plan had not begun
        if session_day == day:
            had_session = True
        elif not rest[(first - day) % 7]:
            break
        streak += 1
        day -= 1
    return streak if had_session else 0


@dataclass(frozen=True)
class WeekMinutes:
    with_coach: float
    other: float

    @property
    def total(self) -> float:
        return self.with_coach + self.other


def minutes_in_week(history: History, today: date, tz: Tz = None) -> WeekMinutes:
    """Minutes of activity in the ISO week holding ``today``."""
    since = day_start_utc(week_start(today), tz)
    until = day_start_utc(week_start(today) + timedelta(weeks=1), tz)
    return WeekMinutes(
        history.session_seconds(since, until) / 60, history.activity_minutes(since, until)
    )


# --------------------------------------------------------------------------
# Trends
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PainBucket:
    start: date  # the day, or the Monday of the week
    back: float | None  # mean of the ratings, None without any
    leg: float | None
    ratings: int


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def pain_trend(
    history: History,
    since: date,
    until: date,
    *,
    by: str = "day",
    tz: Tz = None,
) -> list[PainBucket]:
    """Mean pain at rest per local day (``by="day"``) or ISO week, in [since, until)."""
    if by not in ("day", "week"):
        raise ValueError("by must be 'day' or 'week'")
    points = history.pain_points(day_start_utc(since, tz), day_start_utc(until, tz))
    buckets: dict[date, tuple[list[float], list[float], list[int]]] = {}
    for p in points:
        d = local_day(p.taken_utc, tz)
        key = d if by == "day" else week_start(d)
        back, leg, n = buckets.setdefault(key, ([], [], [0]))
        if p.back is not None:
            back.append(p.back)
        if p.leg is not None:
            leg.append(p.leg)
        n[0] += 1
    return [
        PainBucket(key, _mean(back), _mean(leg), n[0])
        for key, (back, leg, n) in sorted(buckets.items())
    ]


def walking_trend(history: History) -> list[WalkingTest]:
    """Every walking test, oldest first: minutes to first symptoms and in total."""
    return history.walking_tests()


# --------------------------------------------------------------------------
# Plain-language summary
# --------------------------------------------------------------------------


def _num(value: float, lang: str) -> str:
    """One decimal at most, German decimal comma: 2.5 / 2,5; 3.0 -> 3."""
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return text.replace(".", ",") if lang == "de" else text


def duration_text(seconds: float) -> Text:
    """ "40 seconds", "1 minute", "6 minutes" (whole minutes from 90 s on)."""
    if seconds < 90:
        n = max(1, round(seconds))
        return Text.of(f"{n} seconds" if n != 1 else "1 second", f"{n} Sekunden")
    n = round(seconds / 60)
    return Text.of(
        f"{n} minutes" if n != 1 else "1 minute", f"{n} Minuten" if n != 1 else "1 Minute"
    )


def _walk_metric(test: WalkingTest) -> float | None:
    return test.total_s if test.total_s is not None else test.first_symptoms_s


def _walking_sentences(tests: Sequence[WalkingTest]) -> list[Text]:
    if len(tests) < 2:
        return []
    first_week_end = tests[0].taken_utc + timedelta(days=7)
    first_week = [t for t in tests if t.taken_utc < first_week_end]
    latest = tests[-1]
    if latest.taken_utc < first_week_end:
        return []
    out: list[Text] = []
    base = _mean([m for t in first_week if (m := _walk_metric(t)) is not None])
    now = _walk_metric(latest)
    if base and now is not None:
        change = (now - base) / base
        diff = duration_text(abs(now - base))
        was, is_ = duration_text(base), duration_text(now)
        if change >= WALKING_CHANGE:
            out.append(
                Text.of(
                    f"You walked {diff.get('en')} longer than in your first week "
                    f"({is_.get('en')} instead of {was.get('en')}).",
                    f"Sie sind {diff.get('de')} länger gegangen als in Ihrer ersten Woche "
                    f"({is_.get('de')} statt {was.get('de')}).",
                )
            )
        elif change <= -WALKING_CHANGE:
            out.append(
                Text.of(
                    f"Your last walking test was {diff.get('en')} shorter than in your first "
                    f"week ({is_.get('en')} instead of {was.get('en')}). If walking has become "
                    "harder, tell your physiotherapist or doctor.",
                    f"Ihr letzter Gehtest war {diff.get('de')} kürzer als in Ihrer ersten "
                    f"Woche ({is_.get('de')} statt {was.get('de')}). Wenn Ihnen das Gehen "
                    "schwerer fällt, sagen Sie es Ihrer Physiotherapeutin oder Ihrem Arzt.",
                )
            )
        else:
            out.append(
                Text.of(
                    "Your walking time is about the same as in your first week.",
                    "Ihre Gehzeit ist etwa so lang wie in Ihrer ersten Woche.",
                )
            )
    base_first = _mean([t.first_symptoms_s for t in first_week if t.first_symptoms_s])
    if (
        base_first
        and latest.first_symptoms_s
        and (latest.first_symptoms_s - base_first) / base_first >= WALKING_CHANGE
    ):
        diff = duration_text(latest.first_symptoms_s - base_first)
        out.append(
            Text.of(
                f"Your symptoms began {diff.get('en')} later than in your first week.",
                f"Ihre Beschwerden begannen {diff.get('de')} später als in Ihrer ersten Woche.",
            )
        )
    return out


def _pain_sentences(history: History, now: datetime) -> list[Text]:
    first = history.first_pain_time()
    if first is None:
        return []
    first_end = first + timedelta(days=7)
    recent_start = now - timedelta(days=7)
    if recent_start < first_end:
        return []
    early = history.pain_points(first, first_end)
    recent = history.pain_points(recent_start, now + timedelta(seconds=1))
    out: list[Text] = []
    parts = (("back", "back pain", "Rückenschmerzen"), ("leg", "leg pain", "Beinschmerzen"))
    for key, en, de in parts:
        a = [float(v) for p in early if (v := getattr(p, key)) is not None]
        b = [float(v) for p in recent if (v := getattr(p, key)) is not None]
        if len(a) < 2 or len(b) < 2:
            continue
        before, after = sum(a) / len(a), sum(b) / len(b)
        diff = after - before
        if diff <= -PAIN_CHANGE:
            out.append(
                Text.of(
                    f"Your {en} is {_num(-diff, 'en')} points lower than in your first week "
                    f"(on average {_num(after, 'en')} instead of {_num(before, 'en')} out of 10).",
                    f"Ihre {de} sind {_num(-diff, 'de')} Punkte niedriger als in Ihrer ersten "
                    f"Woche (im Mittel {_num(after, 'de')} statt {_num(before, 'de')} von 10).",
                )
            )
        elif diff >= PAIN_CHANGE:
            out.append(
                Text.of(
                    f"Your {en} is {_num(diff, 'en')} points higher than in your first week "
                    f"(on average {_num(after, 'en')} instead of {_num(before, 'en')} out of 10). "
                    "If it stays like this, talk to your physiotherapist or doctor.",
                    f"Ihre {de} sind {_num(diff, 'de')} Punkte höher als in Ihrer ersten Woche "
                    f"(im Mittel {_num(after, 'de')} statt {_num(before, 'de')} von 10). Wenn "
                    "das so bleibt, sprechen Sie mit Ihrer Physiotherapeutin oder Ihrem Arzt.",
                )
            )
        else:
            out.append(
                Text.of(
                    f"Your {en} is about the same as in your first week.",
                    f"Ihre {de} sind etwa so stark wie in Ihrer ersten Woche.",
                )
            )
    return out


def _psfs_sentences(history: History) -> list[Text]:
    first, latest = (
        history.first_measure(MeasureKind.PSFS),
        history.latest_measure(MeasureKind.PSFS),
    )
    if first is None or latest is None or first.id == latest.id:
        return []
    change = psfs_change(psfs_scores(first.value), psfs_scores(latest.value))
    if change is None:
        return []
    out: list[Text] = []
    d = change.mean_change
    if change.meaningful:
        if d > 0:
            out.append(
                Text.of(
                    f"The activities you chose have become easier: {_num(d, 'en')} points "
                    f"better on average than at your first rating ({_num(change.latest, 'en')} "
                    f"instead of {_num(change.first, 'en')} out of 10).",
                    f"Ihre gewählten Tätigkeiten fallen Ihnen leichter: im Mittel "
                    f"{_num(d, 'de')} Punkte besser als bei der ersten Bewertung "
                    f"({_num(change.latest, 'de')} statt {_num(change.first, 'de')} von 10).",
                )
            )
        else:
            out.append(
                Text.of(
                    f"The activities you chose have become harder: {_num(-d, 'en')} points "
                    f"lower on average than at your first rating ({_num(change.latest, 'en')} "
                    f"instead of {_num(change.first, 'en')} out of 10).",
                    f"Ihre gewählten Tätigkeiten fallen Ihnen schwerer: im Mittel "
                    f"{_num(-d, 'de')} Punkte niedriger als bei der ersten Bewertung "
                    f"({_num(change.latest, 'de')} statt {_num(change.first, 'de')} von 10).",
                )
            )
    for name, delta in change.activities_changed().items():
        if delta > 0:
            out.append(
                Text.of(
                    f"“{name}” is {delta} points easier than at your first rating.",
                    f"„{name}“ geht um {delta} Punkte besser als bei der ersten Bewertung.",
                )
            )
        else:
            out.append(
                Text.of(
                    f"“{name}” is {-delta} points harder than at your first rating.",
                    f"„{name}“ geht um {-delta} Punkte schlechter als bei der ersten Bewertung.",
                )
            )
    if not out:
        out.append(
            Text.of(
                "Your ratings of the activities you chose have not clearly changed yet.",
                "Ihre Bewertungen der gewählten Tätigkeiten haben sich noch nicht deutlich "
                "verändert.",
            )
        )
    return out


def _chair_stand_sentences(history: History) -> list[Text]:
    latest = history.latest_measure(MeasureKind.CHAIR_STAND)
    if latest is None:
        return []
    count = latest.value.get("count")
    if not isinstance(count, int) or isinstance(count, bool):
        return []
    first = history.first_measure(MeasureKind.CHAIR_STAND)
    first_count = first.value.get("count") if first and first.id != latest.id else None
    if isinstance(first_count, int) and not isinstance(first_count, bool):
        line = Text.of(
            f"In your last chair-stand test you stood up {count} times in 30 seconds "
            f"(first test: {first_count}).",
            f"Bei Ihrem letzten Aufsteh-Test sind Sie in 30 Sekunden {count}-mal aufgestanden "
            f"(erster Test: {first_count}).",
        )
    else:
        line = Text.of(
            f"In your chair-stand test you stood up {count} times in 30 seconds.",
            f"Bei Ihrem Aufsteh-Test sind Sie in 30 Sekunden {count}-mal aufgestanden.",
        )
    age = latest.value.get("age")
    verdict = chair_stand_verdict(
        count, age if isinstance(age, int) else None, latest.value.get("sex")
    )
    if verdict is not None:
        extra = verdict.text()
        line = Text.of(f"{line.get('en')} {extra.get('en')}", f"{line.get('de')} {extra.get('de')}")
    return [line]


def summary(history: History, now: datetime) -> list[Text]:
    """Plain sentences comparing now with the first week, only where the data allows.

    Each comparison needs data from the first week *and* from later; a change
    below the meaningful threshold is called "about the same".
    """
    out = _walking_sentences(history.walking_tests())
    out += _pain_sentences(history, now)
    out += _psfs_sentences(history)
    out += _chair_stand_sentences(history)
    if not out:
        out.append(
            Text.of(
                "Keep going: after a few weeks of sessions and measures, Coach can show you "
                "here how things have changed.",
                "Bleiben Sie dran: Nach einigen Wochen mit Übungen und Messungen zeigt Coach "
                "Ihnen hier, was sich verändert hat.",
            )
        )
    return out


# --------------------------------------------------------------------------
# Everything the history page shows, from one consistent snapshot
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    today: date
    plan: tuple[Routine, ...]
    weeks: tuple[WeekStatus, ...]
    streak: int
    minutes: WeekMinutes
    pain: tuple[PainBucket, ...]
    pain_by: str  # "day" or "week"
    pain_since: date
    walking: tuple[WalkingTest, ...]
    sentences: tuple[Text, ...]


PAIN_DAYS_SHOWN = 56
"""The pain chart shows daily means over the last 8 weeks when all the data
fits in them, else weekly means over the last 26 weeks."""


def overview(
    history: History,
    routines: Mapping[str, Routine],
    now: datetime,
    tz: Tz = None,
    *,
    week_count: int = 4,
) -> Overview:
    today = local_day(now, tz)
    with history.snapshot():
        plan = plan_routines(history, routines, today, tz)
        first_pain = history.first_pain_time()
        short = first_pain is None or local_day(first_pain, tz) > today - timedelta(
            days=PAIN_DAYS_SHOWN
        )
        if short:
            pain_since, by = today - timedelta(days=PAIN_DAYS_SHOWN - 1), "day"
        else:
            pain_since, by = week_start(today) - timedelta(weeks=25), "week"
        first = history.first_session_start()
        if first is not None:
            since_first = (week_start(today) - week_start(local_day(first, tz))).days // 7
            # A new user sees this week and the last, not two empty weeks more.
            week_count = max(2, min(week_count, since_first + 1))
        else:
            week_count = 2
        return Overview(
            today=today,
            plan=tuple(plan),
            weeks=tuple(weeks(history, plan, today, week_count, tz)),
            streak=current_streak(history, plan, today, tz),
            minutes=minutes_in_week(history, today, tz),
            pain=tuple(pain_trend(history, pain_since, today + timedelta(days=1), by=by, tz=tz)),
            pain_by=by,
            pain_since=pain_since,
            walking=tuple(walking_trend(history)),
            sentences=tuple(summary(history, now)),
        )


def dose_changes(source: History | Store) -> dict[str, dict[str, dict[str, Any]]]:
    """The accepted dose changes, ``{routine_id: {item_index: {field: value, ...}}}``."""
    if isinstance(source, History):
        raw = source.kv(DOSE_CHANGES_KEY)
    else:
        raw = source.get_json(DOSE_CHANGES_KEY)
    if not isinstance(raw, dict):
        return {}
    return {
        str(rid): {str(k): dict(v) for k, v in items.items() if isinstance(v, dict)}
        for rid, items in raw.items()
        if isinstance(items, dict)
    }


__all__ = [
    "AS_NEEDED_ROUTINES",
    "DOSE_CHANGES_KEY",
    "PLAN_KEY",
    "DayMark",
    "DayStatus",
    "Overview",
    "PainBucket",
    "PainPoint",
    "WeekMinutes",
    "WeekStatus",
    "current_streak",
    "day_start_utc",
    "dose_changes",
    "duration_text",
    "flexible_due_on",
    "local_day",
    "minutes_in_week",
    "overview",
    "pain_trend",
    "plan_routines",
    "planned_in_week",
    "planned_on",
    "summary",
    "walking_trend",
    "week_start",
    "weekly_quota",
    "weeks",
]
