"""``coach reminders``: list the next reminders, or change when they come.

    coach reminders --next 10 [--from 2026-11-30T08:00] [--zone Europe/Berlin]
    coach reminders --routines daily-relief --set-times 09:00,18:00 --days mon-fri \\
                    --posture-every 45 --active 09:00-18:00

Settings are checked before anything is saved: one bad value and nothing
changes (exit 1, one clear line). The listing uses the saved preferences,
the routines' own schedules and today's sessions from the progress store.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from coach.commands import fail, library_of, paths_of

if TYPE_CHECKING:
    from coach.core.common.paths import Paths
    from coach.core.content.library import Library
    from coach.core.reminders.plan_entries import PlanEntry
    from coach.core.reminders.preferences import ReminderPrefs
    from coach.core.reminders.settings_file import ReminderSettings

NAME = "reminders"
DEFAULT_COUNT = 10


def register(sub: Any) -> None:
    p = sub.add_parser(
        NAME,
        help="list the next reminders or set when they come",
        description="List the next reminders (routines and posture tips), or change the "
        "reminder settings. Without a setting option it lists the next "
        f"{DEFAULT_COUNT} reminders.",
    )
    show = p.add_argument_group("listing")
    show.add_argument("--next", type=int, metavar="N", help="list the next N reminders")
    show.add_argument(
        "--from",
        dest="start",
        metavar="DATETIME",
        help="list from this local time (e.g. 2026-11-30T08:00) instead of now",
    )
    show.add_argument(
        "--zone", metavar="ZONE", help="time zone, e.g. Europe/Berlin (default: the computer's)"
    )
    show.add_argument("--lang", choices=("en", "de"), default="en")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--show", action="store_true", help="print the current settings")

    setting = p.add_argument_group("settings (checked, then saved)")
    onoff = setting.add_mutually_exclusive_group()
    onoff.add_argument("--on", dest="enabled", action="store_const", const=True)
    onoff.add_argument("--off", dest="enabled", action="store_const", const=False)
    setting.add_argument(
        "--routines",
        metavar="IDS",
        help="the routines to be reminded of, e.g. daily-relief,strength",
    )
    setting.add_argument(
        "--set-times",
        metavar="TIMES",
        action="append",
        help="times of a routine done that many times a day, e.g. 09:00,18:00 "
        "(repeat the option for another row)",
    )
    setting.add_argument("--days", metavar="DAYS", help="days with routine reminders: mon-fri")
    setting.add_argument(
        "--quiet-days", metavar="DAYS", help="days without any reminder: sat,sun or none"
    )
    setting.add_argument(
        "--posture-every", metavar="MINUTES", help="a posture tip every N minutes (turns them on)"
    )
    setting.add_argument("--posture", choices=("on", "off"), help="posture tips on or off")
    setting.add_argument(
        "--active", metavar="FROM-TO", help="hours for posture tips, e.g. 09:00-18:00"
    )
    setting.add_argument(
        "--repeat-after", metavar="MINUTES", help="say an unanswered reminder once more after"
    )
    setting.add_argument("--snooze", metavar="MINUTES", help="how long Snooze waits")
    setting.add_argument(
        "--start-at-login", choices=("on", "off"), help="start Coach when you log in"
    )
    p.set_defaults(handler=handler)


_SETTING_OPTIONS = (
    "enabled",
    "routines",
    "set_times",
    "days",
    "quiet_days",
    "posture_every",
    "posture",
    "active",
    "repeat_after",
    "snooze",
    "start_at_login",
)


def handler(args: argparse.Namespace) -> int:
    from coach.core.reminders.preferences import PrefsError
    from coach.core.reminders.settings_file import load_settings, settings_path

    paths = paths_of(args)
    path = settings_path(paths.data)
    settings, notes = load_settings(path)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    changing = any(getattr(args, name) is not None for name in _SETTING_OPTIONS)
    library: Library | None = None
    if changing:
        if args.routines is not None:
            library = library_of(args)
        try:
            prefs = _changed(settings.prefs, args, library)
        except PrefsError as exc:
            return fail(NAME, str(exc))
        except LookupError as exc:
            return fail(NAME, str(exc.args[0]))
        code = _apply(paths, settings, prefs)
        if code:
            return code
    if args.show:
        print(_summary(settings.prefs))
    elif changing:
        print(_summary(settings.prefs), file=sys.stderr)
    if (changing or args.show) and args.next is None:
        return 0
    return _list(args, paths, settings, library)


def _changed(
    prefs: ReminderPrefs, args: argparse.Namespace, library: Library | None
) -> ReminderPrefs:
    from coach.core.reminders.preferences import (
        check_posture_interval,
        parse_active_hours,
        parse_days,
        parse_minutes,
        parse_times,
    )

    values: dict[str, Any] = {}
    if args.enabled is not None:
        values["enabled"] = args.enabled
    if args.routines is not None:
        assert library is not None
        values["routines"] = _routine_ids(args.routines, library)
    if args.days is not None:
        values["days"] = parse_days(args.days, "days")
    if args.quiet_days is not None:
        values["quiet_days"] = parse_days(args.quiet_days, "quiet_days", allow_empty=True)
    if args.posture is not None:
        values["posture_prompts"] = args.posture == "on"
    if args.posture_every is not None:
        minutes = parse_minutes(args.posture_every, "posture_every_min")
        values["posture_every_min"] = check_posture_interval(minutes)
        values.setdefault("posture_prompts", True)
    if args.active is not None:
        values["active_from"], values["active_until"] = parse_active_hours(args.active)
    if args.repeat_after is not None:
        values["repeat_after_min"] = parse_minutes(args.repeat_after, "repeat_after_min")
    if args.snooze is not None:
        values["snooze_min"] = parse_minutes(args.snooze, "snooze_min")
    if args.start_at_login is not None:
        values["start_at_login"] = args.start_at_login == "on"
    updated: ReminderPrefs = prefs.changed(**values)
    for text in args.set_times or ():
        updated = updated.with_times(parse_times(text))
    return updated


def _routine_ids(text: str, library: Library) -> tuple[str, ...]:
    from coach.core.content.library import closest_ids

    ids = tuple(p.strip() for p in text.split(",") if p.strip())
    for routine_id in ids:
        if routine_id not in library.routines:
            close = closest_ids(routine_id, library.routines)
            hint = f"; closest known: {', '.join(close)}" if close else ""
            raise LookupError(f"unknown routine '{routine_id}'{hint}")
    if len(set(ids)) != len(ids):
        raise LookupError("a routine is listed twice")
    return ids


def _apply(paths: Paths, settings: ReminderSettings, prefs: ReminderPrefs) -> int:
    from coach.core.reminders import schedule as core
    from coach.core.reminders.autostart import AutostartError, set_autostart
    from coach.core.reminders.settings_file import save_settings, settings_path

    if prefs.start_at_login != settings.prefs.start_at_login:
        try:
            print(set_autostart(prefs.start_at_login), file=sys.stderr)
        except AutostartError as exc:
            return fail(NAME, str(exc))
    # New settings count from now on (as in the app): nothing "missed" is caught up.
    settings.state.mark_checked(datetime.now(core.local_zone()))
    settings.prefs = prefs
    try:
        paths.ensure_data_dir()
        save_settings(settings_path(paths.data), settings)
    except OSError as exc:
        return fail(NAME, f"the settings could not be saved: {exc.strerror or exc}")
    print("Reminder settings saved.", file=sys.stderr)
    return 0


def _summary(prefs: ReminderPrefs) -> str:
    from coach.core.reminders.preferences import format_days, format_time

    times = " | ".join(", ".join(format_time(t) for t in row) for row in prefs.times)
    posture = (
        f"every {prefs.posture_every_min} min, {format_time(prefs.active_from)}-"
        f"{format_time(prefs.active_until)}"
        if prefs.posture_prompts
        else "off"
    )
    lines = [
        f"reminders:     {'on' if prefs.enabled else 'off'}",
        f"routines:      {', '.join(prefs.routines) or '(none chosen)'}",
        f"times:         {times}  (once | twice | three times a day)",
        f"days:          {format_days(prefs.days)}",
        f"quiet days:    {format_days(prefs.quiet_days)}",
        f"posture tips:  {posture}",
        f"repeat after:  {prefs.repeat_after_min} min; snooze {prefs.snooze_min} min",
        f"start at login: {'on' if prefs.start_at_login else 'off'}",
    ]
    return "\n".join(lines)


def _zone(args: argparse.Namespace) -> tzinfo | None:
    from coach.core.reminders import schedule as core

    if args.zone:
        return core.zone_named(args.zone)
    return core.local_zone()


def _start(args: argparse.Namespace, zone: tzinfo) -> datetime:
    if not args.start:
        return datetime.now(zone)
    moment = datetime.fromisoformat(args.start)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _plan(library: Library, prefs: ReminderPrefs, paths: Paths) -> list[PlanEntry]:
    from coach.core.person.inputs import gather_from_folder
    from coach.core.reminders.plan_entries import plan_entries

    for routine_id in prefs.routines:
        if routine_id not in library.routines:
            print(
                f"warning: routine '{routine_id}' is not in the library; left out", file=sys.stderr
            )
    inputs, notes = gather_from_folder(paths, library)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    return plan_entries(library, prefs.routines, inputs=inputs)


def _done_counts(paths: Paths, now: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """Sessions done today and this ISO week, per routine id."""
    from coach.core.reminders import schedule as core

    if not paths.database.exists():
        return {}, {}
    from coach.core.progress.store import Store
    from coach.core.progress.store_errors import StoreError

    tz = now.tzinfo
    assert tz is not None
    day = now.date()
    try:
        with Store.open(paths.database) as store:
            monday, _ = core.day_bounds_utc(day - timedelta(days=day.weekday()), tz)
            _, end = core.day_bounds_utc(day, tz)
            sessions = store.sessions(monday, end)
    except (StoreError, OSError) as exc:
        print(f"warning: this week's sessions could not be read ({exc})", file=sys.stderr)
        return {}, {}
    return core.done_counts(sessions, day, tz), core.week_done_counts(sessions, day, tz)


def _list(
    args: argparse.Namespace,
    paths: Paths,
    settings: ReminderSettings,
    library: Library | None,
) -> int:
    from coach.core.reminders import schedule as core

    count = DEFAULT_COUNT if args.next is None else args.next
    if count < 1 or count > 1000:
        return fail(NAME, "--next takes a number from 1 to 1000")
    zone = _zone(args)
    if zone is None:
        return fail(NAME, f"unknown time zone '{args.zone}' (use a name like Europe/Berlin)")
    try:
        now = _start(args, zone)
    except ValueError:
        return fail(NAME, f"'{args.start}' is not a date and time like 2026-11-30T08:00")
    prefs = settings.prefs
    if library is None and prefs.routines:
        library = library_of(args)
    plan = _plan(library, prefs, paths) if library is not None else []
    today, this_week = _done_counts(paths, now)
    found = core.upcoming(now, prefs, plan, count, settings.state, today, this_week)
    if args.json:
        print(json.dumps([_json(r, args.lang) for r in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        why = (
            "reminders are off (turn them on with --on)"
            if not prefs.enabled
            else "choose routines with --routines or posture tips with --posture-every"
        )
        print(f"No reminders planned: {why}.", file=sys.stderr)
        return 0
    for rem in found:
        print(rem.line(args.lang))
    return 0


def _json(rem: Any, lang: str) -> dict[str, Any]:
    return {
        "due": rem.due.isoformat(),
        "kind": rem.kind.value,
        "reason": rem.reason.value,
        "routines": list(rem.routine_ids),
        "title": rem.title(lang),
        "text": rem.message(lang),
        "picture": rem.picture,
    }
