"""Reminders: when to say "time for your routine" and when to give a posture tip.

Pure and clock-free: every function takes ``now`` (an aware datetime in the
person's zone) and returns what is due, so the schedule is tested with a fake
clock and the tray only arms one single-shot timer for the answer.

Times are wall-clock times in the zone of ``now``: 09:00 stays 09:00 across
daylight-saving changes and after travel. A time that does not exist (02:30
when the clocks spring forward) happens at the first moment after the gap;
a time that happens twice (fall back) is used once, the first time.

What already happened today (shown, acted on, snoozed, paused) lives in
:class:`ReminderState`. What the person chose is a
:class:`~coach.core.reminders.preferences.ReminderPrefs`, the routines are
:class:`~coach.core.reminders.plan_entries.PlanEntry` values, and all three are
kept in ``reminders.json`` (:mod:`coach.core.reminders.settings_file`). Plain
dataclasses on purpose: the tray starts before the routine library, and this
module must not pull in the validation library.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coach.core.common.days import DAY_NAMES, WEEK
from coach.core.reminders.plan_entries import PlanEntry
from coach.core.reminders.posture_tips import POSTURE_CUES, PostureCue
from coach.core.reminders.preferences import ReminderPrefs, format_time, minutes_of

GRACE = timedelta(minutes=2)
"""A reminder shown this late still counts as on time (a busy moment, a slow wake)."""
QUIET_BEFORE_ROUTINE = timedelta(minutes=10)
QUIET_AFTER_ROUTINE = timedelta(minutes=5)
"""No posture tip this close around a planned routine: never during a routine."""
UNKNOWN_ROUTINE_LENGTH = timedelta(minutes=15)
HORIZON_DAYS = 15


_CUES_BY_ID = {c.id: c for c in POSTURE_CUES}


# --------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------


class Kind(StrEnum):
    ROUTINE = "routine"
    POSTURE = "posture"


class Reason(StrEnum):
    PLANNED = "planned"
    REPEAT = "repeat"  # not acted on: said once more, then left alone
    SNOOZED = "snoozed"
    CATCH_UP = "catch_up"  # missed while asleep or while the clock jumped


@dataclass(frozen=True)
class RoutineSlot:
    """One planned time of one routine on one day (slot 0 = the first of the day)."""

    entry: PlanEntry
    day: date
    slot: int

    @property
    def key(self) -> str:
        return f"{self.entry.routine_id}/{self.day.isoformat()}/{self.slot}"


def minutes_phrase(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return ""
    n = max(1, round(seconds / 60))
    if lang == "de":
        return f"etwa {n} Minute" if n == 1 else f"etwa {n} Minuten"
    return f"about {n} minute" if n == 1 else f"about {n} minutes"


@dataclass(frozen=True)
class Reminder:
    kind: Kind
    due: datetime
    """When it should show; in the past for a catch-up (show it now)."""
    planned: datetime
    """The planned time it stands for (the slot, or the first missed one)."""
    reason: Reason = Reason.PLANNED
    slots: tuple[RoutineSlot, ...] = ()
    cue: PostureCue | None = None
    posture_key: str | None = None

    @property
    def routine_id(self) -> str | None:
        return self.slots[0].entry.routine_id if self.slots else None

    @property
    def routine_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.slots:
            seen.setdefault(s.entry.routine_id, None)
        return tuple(seen)

    @property
    def keys(self) -> tuple[str, ...]:
        if self.kind is Kind.POSTURE:
            return (self.posture_key,) if self.posture_key else ()
        return tuple(s.key for s in self.slots)

    @property
    def picture(self) -> str | None:
        """An illustration path relative to the assets folder, if the reminder has one."""
        return self.cue.picture if self.cue else None

    def routines_text(self, lang: str) -> str:
        parts = []
        seen: set[str] = set()
        for s in self.slots:
            if s.entry.routine_id in seen:
                continue
            seen.add(s.entry.routine_id)
            length = minutes_phrase(s.entry.seconds, lang)
            parts.append(
                f"{s.entry.title_in(lang)} ({length})" if length else s.entry.title_in(lang)
            )
        joiner = " und " if lang == "de" else " and "
        return ", ".join(parts[:-1]) + joiner + parts[-1] if len(parts) > 1 else "".join(parts)

    def title(self, lang: str = "en") -> str:
        if self.kind is Kind.POSTURE:
            return "Ein Moment für Ihren Rücken" if lang == "de" else "A moment for your back"
        if lang == "de":
            return "Zeit für Ihre Übungen"
        return "Time for your routine"

    def message(self, lang: str = "en") -> str:
        if self.kind is Kind.POSTURE:
            assert self.cue is not None
            return self.cue.text_in(lang)
        what = self.routines_text(lang)
        at = format_time(self.planned.timetz())
        de = lang == "de"
        if self.reason is Reason.REPEAT:
            return (
                f"Eine freundliche Erinnerung: {what} wartet noch auf Sie."
                if de
                else f"A gentle reminder: {what} is still waiting for you."
            )
        if self.reason is Reason.CATCH_UP:
            return (
                f"Geplant für {at}: {what}. Sie können die Übungen heute noch machen."
                if de
                else f"Planned for {at}: {what}. You can still do it today."
            )
        return f"{what}."

    def line(self, lang: str = "en") -> str:
        """One line for ``coach reminders``: day, date, time, kind, text."""
        local = self.due
        names = DAY_NAMES.get(lang, DAY_NAMES["en"])
        when = (
            f"{names[WEEK[local.weekday()]]} {local.date().isoformat()} {format_time(local.time())}"
        )
        text = self.message(lang)
        if self.kind is Kind.ROUTINE and self.reason is Reason.PLANNED:
            text = f"{self.title(lang)}: {text}"
        return f"{when}  {self.kind.value:<7}  {text}"


# --------------------------------------------------------------------------
# What already happened: shown, acted on, snoozed, paused
# --------------------------------------------------------------------------


@dataclass
class Shown:
    count: int
    last: datetime
    acted: bool = False


@dataclass
class Snooze:
    """Nothing until ``until``; then the snoozed reminder (if any) once more."""

    until: datetime
    kind: Kind | None = None
    keys: tuple[str, ...] = ()
    planned: datetime | None = None
    cue: str | None = None


@dataclass
class ReminderState:
    checked_until: datetime | None = None
    """Everything planned up to here was shown or deliberately left out."""
    shown: dict[str, Shown] = field(default_factory=dict)
    snooze: Snooze | None = None
    paused_until: datetime | None = None
    busy_until: datetime | None = None
    """The end of the last routine played: no stale posture tip right after it."""
    told_about_tray: bool = False

    # -- what the person did -------------------------------------------------
    def mark_shown(self, reminder: Reminder, now: datetime) -> None:
        now = _utc(now)
        self.checked_until = max(
            d for d in (self.checked_until, now, _utc(reminder.due)) if d is not None
        )
        if reminder.reason is Reason.SNOOZED or (
            self.snooze is not None and self.snooze.until <= now
        ):
            self.snooze = None
        for key in reminder.keys:
            record = self.shown.get(key)
            if record is None:
                record = self.shown[key] = Shown(0, now)
            record.count += 1
            record.last = now
            if reminder.reason in (Reason.CATCH_UP, Reason.SNOOZED):
                record.count = max(record.count, 2)  # never a second round after these
        self._prune(now)

    def mark_checked(self, now: datetime) -> None:
        """Everything planned up to ``now`` counts as dealt with."""
        now = _utc(now)
        self.checked_until = max(now, self.checked_until) if self.checked_until else now

    def acted(self, reminder: Reminder) -> None:
        """Started or dismissed: no repeat for this reminder."""
        for key in reminder.keys:
            record = self.shown.setdefault(key, Shown(1, _utc(reminder.due)))
            record.acted = True

    def snooze_for(self, now: datetime, minutes: int, reminder: Reminder | None = None) -> None:
        """Hold everything for ``minutes``; then show ``reminder`` again, once."""
        until = _utc(now) + timedelta(minutes=minutes)
        if reminder is None:
            self.snooze = Snooze(until)
            return
        self.acted(reminder)
        self.snooze = Snooze(
            until,
            kind=reminder.kind,
            keys=reminder.keys,
            planned=_utc(reminder.planned),
            cue=reminder.cue.id if reminder.cue else None,
        )

    def pause_today(self, now: datetime) -> None:
        """No reminder until the next local midnight; nothing missed is caught up."""
        tomorrow = now.date() + timedelta(days=1)
        self.paused_until = _at(tomorrow, time(0), _zone(now))
        self.snooze = None

    def resume(self, now: datetime) -> None:
        self.paused_until = None
        self.snooze = None
        self.checked_until = _utc(now)

    def paused(self, now: datetime) -> bool:
        return self.paused_until is not None and _utc(now) < self.paused_until

    def routine_ended(self, now: datetime) -> None:
        self.busy_until = _utc(now)

    def _prune(self, now: datetime) -> None:
        keep_from = (now.date() - timedelta(days=2)).isoformat()
        for key in [k for k in self.shown if _key_day(k) < keep_from]:
            del self.shown[key]

    # -- file form -----------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "checked_until": _iso(self.checked_until),
            "paused_until": _iso(self.paused_until),
            "busy_until": _iso(self.busy_until),
            "told_about_tray": self.told_about_tray,
            "shown": {
                k: {"count": v.count, "last": _iso(v.last), "acted": v.acted}
                for k, v in self.shown.items()
            },
        }
        if self.snooze is not None:
            s = self.snooze
            data["snooze"] = {
                "until": _iso(s.until),
                "kind": s.kind.value if s.kind else None,
                "keys": list(s.keys),
                "planned": _iso(s.planned),
                "cue": s.cue,
            }
        return data

    @classmethod
    def from_json(cls, raw: object) -> tuple[ReminderState, list[str]]:
        """The saved state; anything unreadable is forgotten (with a note)."""
        state = cls()
        if raw is None:
            return state, []
        if not isinstance(raw, dict):
            return state, ["The reminder history was damaged and has been reset."]
        bad = False
        try:
            state.checked_until = _parse_iso(raw.get("checked_until"))
            state.paused_until = _parse_iso(raw.get("paused_until"))
            state.busy_until = _parse_iso(raw.get("busy_until"))
            state.told_about_tray = raw.get("told_about_tray") is True
            for key, value in dict(raw.get("shown") or {}).items():
                last = _parse_iso(value.get("last"))
                count = value.get("count")
                if not isinstance(key, str) or last is None or not isinstance(count, int):
                    bad = True
                    continue
                state.shown[key] = Shown(count, last, value.get("acted") is True)
            snooze = raw.get("snooze")
            if isinstance(snooze, dict):
                until = _parse_iso(snooze.get("until"))
                if until is not None:
                    kind = snooze.get("kind")
                    state.snooze = Snooze(
                        until,
                        Kind(kind) if kind else None,
                        tuple(str(k) for k in snooze.get("keys") or ()),
                        _parse_iso(snooze.get("planned")),
                        snooze.get("cue") if isinstance(snooze.get("cue"), str) else None,
                    )
        except (TypeError, ValueError, AttributeError):
            return cls(), ["The reminder history was damaged and has been reset."]
        notes = ["Part of the reminder history was damaged and was left out."] if bad else []
        return state, notes


def _key_day(key: str) -> str:
    parts = key.split("/")
    return parts[1] if len(parts) >= 2 else ""


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _parse_iso(text: object) -> datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("not a timestamp")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a timestamp without its zone")
    return moment.astimezone(UTC)


# --------------------------------------------------------------------------
# The schedule
# --------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """Every instant is compared in UTC: Python compares two datetimes of the
    same zone by their wall-clock times, which is wrong across a DST change."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("reminders need an aware datetime (with its time zone)")
    return moment.astimezone(UTC)


def _zone(now: datetime) -> tzinfo:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("reminders need an aware datetime (with its time zone)")
    return now.tzinfo


def _at(day: date, moment: time, tz: tzinfo) -> datetime:
    """The wall-clock time ``moment`` of ``day`` in ``tz``, as an instant in UTC.

    A time in the spring-forward gap (02:30) becomes the same instant a
    clock that kept going would show (03:30); a time that happens twice in
    the fall-back hour is the first of the two.
    """
    naive = datetime.combine(day, moment).replace(tzinfo=tz, fold=0)
    return naive.astimezone(UTC)


def _start_of_day(day: date, tz: tzinfo) -> datetime:
    return _at(day, time(0), tz)


def day_bounds_utc(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day in UTC: for the progress store's queries."""
    return _start_of_day(day, tz), _start_of_day(day + timedelta(days=1), tz)


class SessionLike(Protocol):
    @property
    def routine_id(self) -> str: ...
    @property
    def started_utc(self) -> datetime: ...
    @property
    def outcome(self) -> object: ...


DONE_OUTCOMES = frozenset({"completed", "stopped", "in_progress"})
"""A session the person stopped still counts: they did what they could today."""


def _counts(sessions: Iterable[SessionLike], start: datetime, end: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in sessions:
        outcome = getattr(s.outcome, "value", s.outcome)
        if outcome in DONE_OUTCOMES and start <= _utc(s.started_utc) < end:
            counts[s.routine_id] = counts.get(s.routine_id, 0) + 1
    return counts


def done_counts(sessions: Iterable[SessionLike], day: date, tz: tzinfo) -> dict[str, int]:
    """How many sessions of each routine were done on the local ``day``."""
    return _counts(sessions, *day_bounds_utc(day, tz))


def week_done_counts(sessions: Iterable[SessionLike], day: date, tz: tzinfo) -> dict[str, int]:
    """Sessions of each routine done in the ISO week of ``day``, up to and including it.

    For the "n times a week" routines: pass it as ``done_this_week`` (the store's
    sessions from Monday on are enough).
    """
    start, _ = day_bounds_utc(day - timedelta(days=day.weekday()), tz)
    return _counts(sessions, start, day_bounds_utc(day, tz)[1])


def _quota_met(
    plan: Sequence[PlanEntry],
    day: date,
    today: date,
    done_today: Mapping[str, int],
    done_this_week: Mapping[str, int] | None,
) -> frozenset[str]:
    """The "n times a week" routines with nothing left to remind of on ``day``.

    Only this week's count is known: a later week starts afresh. Today's own
    sessions silence today's slots one by one (as for any routine), so they
    close the week only from tomorrow on.
    """
    if done_this_week is None or day - timedelta(days=day.weekday()) != today - timedelta(
        days=today.weekday()
    ):
        return frozenset()
    met = set()
    for entry in plan:
        quota = entry.week_quota
        if quota is None:
            continue
        done = done_this_week.get(entry.routine_id, 0)
        if day == today:
            done -= done_today.get(entry.routine_id, 0)
        if done >= quota:
            met.add(entry.routine_id)
    return frozenset(met)


def _cue_for(day: date, k: int) -> PostureCue:
    return POSTURE_CUES[(day.toordinal() + k - 1) % len(POSTURE_CUES)]


def _routine_length(entry: PlanEntry) -> timedelta:
    return timedelta(seconds=entry.seconds) if entry.seconds else UNKNOWN_ROUTINE_LENGTH


def _day_events(
    day: date,
    tz: tzinfo,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    state: ReminderState,
    done: Mapping[str, int],
    quota_met: frozenset[str] = frozenset(),
) -> list[Reminder]:
    """Every reminder of one local day, sorted; routines at one time merged."""
    weekday = WEEK[day.weekday()]
    if weekday in prefs.quiet_days:
        return []
    repeat_after = timedelta(minutes=prefs.repeat_after_min)
    groups: dict[tuple[datetime, Reason], list[RoutineSlot]] = {}
    planned_at: dict[tuple[datetime, Reason], datetime] = {}
    windows: list[tuple[datetime, datetime]] = []
    for entry in plan:
        if weekday not in entry.days or weekday not in prefs.days:
            continue
        if entry.routine_id in quota_met:
            continue  # done often enough this week: no reminder until Monday
        times = prefs.times_for(entry.times_per_day)
        already = done.get(entry.routine_id, 0)
        for k, moment in enumerate(times):
            if already >= k + 1:
                continue  # the day's done sessions silence the rest
            slot = RoutineSlot(entry, day, k)
            due = _at(day, moment, tz)
            windows.append(
                (due - QUIET_BEFORE_ROUTINE, due + _routine_length(entry) + QUIET_AFTER_ROUTINE)
            )
            record = state.shown.get(slot.key)
            if record is None:
                groups.setdefault((due, Reason.PLANNED), []).append(slot)
                planned_at.setdefault((due, Reason.PLANNED), due)
                continue
            if record.acted or record.count >= 2:
                continue
            again = record.last + repeat_after
            next_slot = _at(day, times[k + 1], tz) if k + 1 < len(times) else None
            if again.astimezone(tz).date() != day or (
                next_slot is not None and again >= next_slot - QUIET_BEFORE_ROUTINE
            ):
                continue  # too late to say it again: the next reminder comes soon
            groups.setdefault((again, Reason.REPEAT), []).append(slot)
            planned_at.setdefault((again, Reason.REPEAT), due)
    events = [
        Reminder(Kind.ROUTINE, due, planned_at[(due, reason)], reason, tuple(slots))
        for (due, reason), slots in groups.items()
    ]
    if prefs.posture_prompts:
        start, end = minutes_of(prefs.active_from), minutes_of(prefs.active_until)
        every = prefs.posture_every_min
        for k in range(1, (end - start) // every + 1):
            minute = start + k * every
            if minute >= end:
                break
            due = _at(day, time(minute // 60, minute % 60), tz)
            key = f"posture/{day.isoformat()}/{k}"
            if key in state.shown or any(a <= due <= b for a, b in windows):
                continue
            if state.busy_until is not None and due <= state.busy_until:
                continue
            events.append(Reminder(Kind.POSTURE, due, due, cue=_cue_for(day, k), posture_key=key))
    events.sort(key=lambda r: (r.due, r.kind is Kind.POSTURE))
    return events


def _snoozed_event(
    state: ReminderState,
    plan: Sequence[PlanEntry],
    done_today: Mapping[str, int],
    today: date,
) -> Reminder | None:
    snooze = state.snooze
    if snooze is None or snooze.kind is None:
        return None
    planned = snooze.planned or snooze.until
    if snooze.kind is Kind.POSTURE:
        cue = _CUES_BY_ID.get(snooze.cue or "", POSTURE_CUES[0])
        key = snooze.keys[0] if snooze.keys else None
        return Reminder(Kind.POSTURE, snooze.until, planned, Reason.SNOOZED, (), cue, key)
    by_id = {e.routine_id: e for e in plan}
    slots = []
    for key in snooze.keys:
        routine_id, _, rest = key.partition("/")
        day_text, _, k_text = rest.partition("/")
        entry = by_id.get(routine_id)
        try:
            day, k = date.fromisoformat(day_text), int(k_text)
        except ValueError:
            continue
        if entry is None or (day == today and done_today.get(routine_id, 0) >= k + 1):
            continue  # no longer planned, or done meanwhile
        slots.append(RoutineSlot(entry, day, k))
    if not slots:
        return None
    return Reminder(Kind.ROUTINE, snooze.until, planned, Reason.SNOOZED, tuple(slots))


def _events_from(
    since: datetime,
    tz: tzinfo,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    state: ReminderState,
    done_today: Mapping[str, int],
    today: date,
    done_this_week: Mapping[str, int] | None = None,
) -> Iterator[Reminder]:
    """Every reminder due after ``since``, in order, with snooze and pause applied."""
    first_day = since.astimezone(tz).date()
    snooze_until = state.snooze.until if state.snooze else None
    snoozed = _snoozed_event(state, plan, done_today, today)
    for offset in range(HORIZON_DAYS + 1):
        day = first_day + timedelta(days=offset)
        done = done_today if day == today else {}
        met = _quota_met(plan, day, today, done_today, done_this_week)
        events = _day_events(day, tz, prefs, plan, state, done, met)
        if snoozed is not None and snoozed.due.astimezone(tz).date() <= day:
            events.append(snoozed)
            snoozed = None
        held: list[Reminder] = []
        for event in events:
            if event.due <= since:
                continue
            if snooze_until is not None and event.due < snooze_until:
                if event.kind is Kind.ROUTINE and event.reason is not Reason.SNOOZED:
                    # Held during the snooze, said when it ends.
                    held.append(replace(event, due=snooze_until))
                continue
            held.append(event)
        held.sort(key=lambda r: (r.due, r.kind is Kind.POSTURE, r.reason is not Reason.SNOOZED))
        for event in held:
            if event.due > since:
                yield event


def _collapse(overdue: list[Reminder], now: datetime) -> Reminder | None:
    """At most one reminder for everything that became due while nobody looked."""
    routines = [r for r in overdue if r.kind is Kind.ROUTINE]
    if routines:
        latest = routines[-1]
        if len(routines) == 1 and now - latest.due <= GRACE:
            return latest
        slots: dict[str, RoutineSlot] = {}
        for r in routines:
            for s in r.slots:
                slots[s.key] = s
        return Reminder(
            Kind.ROUTINE,
            latest.due,
            min(r.planned for r in routines),
            Reason.CATCH_UP,
            tuple(slots.values()),
        )
    last = overdue[-1]
    return last if now - last.due <= GRACE else None  # a stale posture tip helps nobody


def next_due(
    now: datetime,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    state: ReminderState | None = None,
    done_today: Mapping[str, int] | None = None,
    *,
    in_routine: bool = False,
    done_this_week: Mapping[str, int] | None = None,
) -> Reminder | None:
    """The one reminder to show next: now (``due <= now``) or at ``due``.

    ``now`` is an aware datetime in the person's zone; ``done_today`` counts
    the sessions done today per routine id, ``done_this_week`` those of the ISO
    week up to now (:func:`week_done_counts`), which end the reminders of an "n
    times a week" routine once its count is reached (without it, such a routine
    is reminded of on each of its days). Reminders missed while the
    computer slept (or the clock jumped) come back as ONE catch-up, and only
    for today's routines; posture tips that went stale are dropped.
    """
    tz = _zone(now)
    if not prefs.enabled or in_routine:
        return None
    state = state or ReminderState()
    done = done_today or {}
    today = now.date()
    now = _utc(now)
    bounds = [_start_of_day(today, tz)]
    bounds.append(_utc(state.checked_until) if state.checked_until else now - GRACE)
    if state.paused_until is not None:
        bounds.append(_utc(state.paused_until))
    since = max(bounds)
    overdue: list[Reminder] = []
    for event in _events_from(since, tz, prefs, plan, state, done, today, done_this_week):
        if event.due <= now:
            overdue.append(event)
            continue
        if overdue:
            chosen = _collapse(overdue, now)
            overdue = []
            if chosen is not None:
                return _localized(chosen, tz)
        return _localized(event, tz)
    chosen = _collapse(overdue, now) if overdue else None
    return _localized(chosen, tz) if chosen else None


def _localized(rem: Reminder, tz: tzinfo) -> Reminder:
    return replace(rem, due=rem.due.astimezone(tz), planned=rem.planned.astimezone(tz))


def upcoming(
    now: datetime,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    n: int,
    state: ReminderState | None = None,
    done_today: Mapping[str, int] | None = None,
    done_this_week: Mapping[str, int] | None = None,
) -> list[Reminder]:
    """The next ``n`` reminders from ``now`` on (inclusive), for listing."""
    tz = _zone(now)
    if not prefs.enabled or n <= 0:
        return []
    base = state or ReminderState()
    today = now.date()
    # Listing looks forward only: what is already behind ``now`` is not listed.
    view = replace(base, checked_until=_utc(now) - timedelta(microseconds=1))
    since = max(d for d in (view.checked_until, base.paused_until) if d is not None)
    found: list[Reminder] = []
    done = done_today or {}
    for event in _events_from(since, tz, prefs, plan, view, done, today, done_this_week):
        found.append(_localized(event, tz))
        if len(found) >= n:
            break
    return found


def todays_routine(
    now: datetime,
    prefs: ReminderPrefs,
    plan: Sequence[PlanEntry],
    done_today: Mapping[str, int] | None = None,
    done_this_week: Mapping[str, int] | None = None,
) -> str | None:
    """The routine to offer under "start today's routine": planned today and not yet done."""
    _zone(now)
    weekday = WEEK[now.weekday()]
    done = done_today or {}
    met = _quota_met(plan, now.date(), now.date(), done, done_this_week)
    today = [
        e for e in plan if weekday in e.days and weekday in prefs.days and e.routine_id not in met
    ]
    for entry in today:
        if done.get(entry.routine_id, 0) < entry.times_per_day:
            return entry.routine_id
    if today:
        return today[0].routine_id
    return plan[0].routine_id if plan else None


# --------------------------------------------------------------------------
# The person's time zone
# --------------------------------------------------------------------------


def zone_named(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_zone() -> tzinfo:
    """The computer's zone with its daylight-saving rules (a ZoneInfo when it can be named).

    Read afresh on each call, so a changed zone is noticed on the next
    recompute. Falls back to the current fixed offset.
    """
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env)
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        zone = zone_named(name) if name else None
        if zone is not None:
            return zone
    offset = datetime.now().astimezone().tzinfo
    return offset if offset is not None else UTC
