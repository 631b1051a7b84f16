"""Benchmark figures of the reminders idling in the tray (registered in ``tests/bench/run.py``).

Each measurement runs in a fresh child process (``python reminders_bench.py
child <kind>``), offscreen, so that the CPU and memory figures belong to that
process alone:

- ``bare``: a bare PySide6 tray app (QApplication, a QSystemTrayIcon with its
  menu), the yardstick;
- ``coach``: Coach's reminders alive and enabled: the ReminderService with its
  one timer, the TrayPresence with its menu and the reminder popup (built,
  hidden: offscreen has no tray), routine reminders and posture tips on;
- ``coach_library``: the same with the plan built from the real routine
  library loaded (informational, not in BENCHMARKS: it measures the library's
  cost; see :func:`reminders_idle_memory_with_library`).

In each child the event loop idles for ``COACH_BENCH_IDLE_S`` seconds
(default 60; e.g. 5 for a quick run) while we count the event loop's wakeups
(``QAbstractEventDispatcher.awake``) and the reminder timer's firings, and
take the CPU time used (``getrusage``) over exactly that window. The wall
clock the service sees is the real one, shifted to a Monday 10:01 so that no
reminder falls into the window by chance (the next one is a 10:15 tip).

Targets (issue 8): under 0.03 s of CPU in 60 s, at most one wakeup per 10 s,
resident memory under 1.5x the bare tray app.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# Measure what people run: Python caches compiled modules after the first start.
# A shell with PYTHONDONTWRITEBYTECODE=1 would make every run compile Coach anew.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

Figure = dict[str, object]

IDLE_ENV = "COACH_BENCH_IDLE_S"
CPU_TARGET_S_PER_60 = 0.03
WAKEUPS_PER_10S_TARGET = 1.0
RSS_RATIO_TARGET = 1.5
WARM_UP_S = 1.5


def idle_seconds() -> float:
    return float(os.environ.get(IDLE_ENV, "60"))


def figure(
    name: str, value: float, unit: str, target: float, *, lower_is_better: bool = True
) -> Figure:
    ok = value <= target if lower_is_better else value >= target
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}


# --- the parent side -------------------------------------------------------------


def _child(kind: str) -> dict[str, Any]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QT_LOGGING_RULES"] = "qt.multimedia.*=false;qt.qpa.*=false"
    seconds = idle_seconds()
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "child", kind, str(seconds)],
        check=True,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    last = [line for line in done.stdout.splitlines() if line.startswith("{")][-1]
    result: dict[str, Any] = json.loads(last)
    return result


@cache
def _run(kind: str) -> dict[str, Any]:
    return _child(kind)


def _runs() -> dict[str, dict[str, Any]]:
    return {kind: _run(kind) for kind in ("bare", "coach")}


def reminders_idle_cpu() -> list[Figure]:
    """CPU seconds used by the idle reminders over the window (scaled target)."""
    runs = _runs()
    seconds = runs["coach"]["seconds"]
    target = round(CPU_TARGET_S_PER_60 * seconds / 60, 4)
    return [
        figure("reminders_idle_cpu_s", runs["coach"]["cpu_s"], "s", target),
        figure("reminders_idle_window_s", seconds, "s", seconds),
        figure("bare_tray_idle_cpu_s", runs["bare"]["cpu_s"], "s", target),
    ]


def reminders_idle_wakeups() -> list[Figure]:
    """Event-loop wakeups per 10 s while idle, and the reminder timer's firings."""
    runs = _runs()
    coach = runs["coach"]
    per_10s = coach["awake"] / (coach["seconds"] / 10)
    return [
        figure("reminders_idle_wakeups_per_10s", per_10s, "/10s", WAKEUPS_PER_10S_TARGET),
        figure(
            "reminders_idle_timer_firings",
            coach["timer_firings"],
            "count",
            max(1, int(coach["seconds"] // 300)),
        ),
        figure(
            "bare_tray_idle_wakeups_per_10s",
            runs["bare"]["awake"] / (runs["bare"]["seconds"] / 10),
            "/10s",
            WAKEUPS_PER_10S_TARGET,
        ),
    ]


def reminders_idle_memory() -> list[Figure]:
    """Resident memory while idle against the bare tray app."""
    runs = _runs()
    bare = runs["bare"]["rss_mib"]
    coach = runs["coach"]["rss_mib"]
    return [
        figure("reminders_idle_rss_ratio", coach / bare, "x", RSS_RATIO_TARGET),
        figure("reminders_idle_rss_mib", coach, "MiB", round(bare * RSS_RATIO_TARGET, 1)),
        figure("bare_tray_idle_rss_mib", bare, "MiB", round(bare, 1)),
    ]


def reminders_idle_memory_with_library() -> list[Figure]:
    """The same with the routine library loaded, as the app holds it after its window opened.

    Not in BENCHMARKS: it measures the library (the model and the loaded
    routines), not the reminders; it shows what a tray-only start
    at login (reminders from the cached plan, library loaded on "Open Coach")
    saves.
    """
    bare = _run("bare")["rss_mib"]
    full = _run("coach_library")["rss_mib"]
    return [figure("reminders_with_library_idle_rss_ratio", full / bare, "x", RSS_RATIO_TARGET)]


BENCHMARKS = {
    "reminders_cpu": reminders_idle_cpu,
    "reminders_wakeups": reminders_idle_wakeups,
    "reminders_memory": reminders_idle_memory,
}
EXTRA = {"reminders_memory_with_library": reminders_idle_memory_with_library}


# --- the child side ----------------------------------------------------------------


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _build_bare() -> list[Any]:
    from PySide6.QtGui import QIcon, QPixmap
    from PySide6.QtWidgets import QMenu, QSystemTrayIcon

    pix = QPixmap(64, 64)
    pix.fill()
    menu = QMenu()
    for text in ("Start", "Snooze", "Pause", "Open", "Quit"):
        menu.addAction(text)
    tray = QSystemTrayIcon(QIcon(pix))
    tray.setContextMenu(menu)
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
    return [menu, tray]


def _build_coach(with_library: bool) -> tuple[list[Any], Any]:
    import tempfile
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from coach.core.reminders import schedule as core
    from coach.core.reminders.preferences import ReminderPrefs
    from coach.core.reminders.settings_file import FILE_NAME, ReminderSettings, load_settings
    from coach.ui.reminders.tray import ReminderService, TrayPresence

    zone = ZoneInfo("Europe/Berlin")
    base = datetime(2026, 11, 30, 10, 1, tzinfo=zone)  # a Monday, 10:01
    mono0 = time.monotonic()

    def clock() -> datetime:
        return base + timedelta(seconds=time.monotonic() - mono0)

    data = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    path = data / FILE_NAME
    if with_library:
        from coach.core.common.paths import resolve
        from coach.core.content.library import Library
        from coach.core.reminders.plan_entries import plan_entries

        plan = plan_entries(Library.load(resolve(data), include_user=False))
        prefs = ReminderPrefs(
            routines=("daily-relief", "strength", "posture-daily"),
            posture_prompts=True,
            posture_every_min=15,
        )
        settings = ReminderSettings(prefs, core.ReminderState(checked_until=base))
    else:
        # Started at login: the reminders come from reminders.json alone (with
        # the plan cached there at the last run); the library is not loaded.
        _write_settings(path, base)
        settings, notes = load_settings(path)
        assert not notes and settings.plan, notes
        plan = []
    service = ReminderService(settings, plan, path=path, clock=clock, watch_sleep=True)
    presence = TrayPresence(service, REPO / "assets")
    popup = presence.popup  # built and hidden: what shows a reminder offscreen
    service.start()
    assert service.next is not None and service.timer.isActive()
    return [service, presence, popup], service


def _write_settings(path: Path, base: Any) -> None:
    """reminders.json as the app leaves it: prefs, state and the cached plan."""
    from coach.core.reminders import schedule as core
    from coach.core.reminders.plan_entries import PlanEntry
    from coach.core.reminders.preferences import ReminderPrefs
    from coach.core.reminders.settings_file import ReminderSettings, save_settings

    plan = (
        PlanEntry("daily-relief", {"en": "Daily relief", "de": "Entlastung"}, 900.0, 1),
        PlanEntry("strength", {"en": "Strength"}, 1500.0, 1, ("mon", "wed", "fri")),
        PlanEntry("posture-daily", {"en": "Posture"}, 600.0, 2),
    )
    prefs = ReminderPrefs(
        routines=("daily-relief", "strength", "posture-daily"),
        posture_prompts=True,
        posture_every_min=15,
    )
    state = core.ReminderState(checked_until=base)
    save_settings(path, ReminderSettings(prefs, state, plan))


def child(kind: str, seconds: float) -> dict[str, Any]:
    from PySide6.QtCore import QAbstractEventDispatcher, Qt, QThread, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    service = None
    if kind == "bare":
        keep = _build_bare()
    else:
        keep, service = _build_coach(with_library=kind == "coach_library")
    counts = {"awake": 0, "timer": 0}
    dispatcher = QAbstractEventDispatcher.instance(QThread.currentThread())
    assert dispatcher is not None

    def on_awake() -> None:
        counts["awake"] += 1

    def on_timer() -> None:
        counts["timer"] += 1

    if service is not None:
        service.timer.timeout.connect(on_timer)
    window: dict[str, float] = {}
    stopper = QTimer()
    stopper.setSingleShot(True)
    stopper.setTimerType(Qt.TimerType.PreciseTimer)

    def begin() -> None:
        # Settle first (the first paint, deferred deletes), then measure.
        try:
            dispatcher.awake.connect(on_awake)
            window["cpu0"], window["t0"] = _cpu_s(), time.monotonic()
            stopper.start(int(seconds * 1000))
        except BaseException:
            app.exit(1)
            raise

    def end() -> None:
        window["cpu1"], window["t1"] = _cpu_s(), time.monotonic()
        dispatcher.awake.disconnect(on_awake)
        app.quit()

    stopper.timeout.connect(end)
    QTimer.singleShot(int(WARM_UP_S * 1000), begin)
    if app.exec() != 0:
        raise SystemExit("the benchmark child failed")
    result = {
        "kind": kind,
        "seconds": round(window["t1"] - window["t0"], 3),
        "cpu_s": round(window["cpu1"] - window["cpu0"], 5),
        # Two of the counted wakeups are the measurement's own: the loop's pass
        # right after the count starts, and the timer that ends the window (a
        # bare event loop measured this way counts exactly these two).
        "awake": max(0, counts["awake"] - 2),
        "awake_raw": counts["awake"],
        "timer_firings": counts["timer"],
        "rss_mib": round(_rss_mib(), 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "alive": len(keep),
    }
    return result


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "child":
        seconds = float(argv[2]) if len(argv) > 2 else idle_seconds()
        print(json.dumps(child(argv[1], seconds)), flush=True)
        return 0
    names = argv or list(BENCHMARKS)
    known = BENCHMARKS | EXTRA
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown: {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    all_ok = True
    for name in names:
        for fig in known[name]():
            all_ok &= bool(fig["ok"])
            print(json.dumps(fig), flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
