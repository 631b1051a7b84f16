"""Benchmark figures of the progress store, the history queries and the history view.

Register in tests/bench/run.py::

    from progress_bench import bench_history_queries, bench_history_view, bench_step_commit
    BENCHMARKS |= {
        "step_commit": bench_step_commit,
        "history_queries": bench_history_queries,
        "history_view": bench_history_view,
    }

Also usable on its own: ``python tests/bench/progress_bench.py``. The data
generators double as the source of realistic screenshots
(``generate_use``: weeks of use through the real Store API;
``generate_years``: ten years of daily use written in bulk).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
# Measure what people run: Python caches compiled modules after the first start.
# A shell with PYTHONDONTWRITEBYTECODE=1 would make every run compile Coach anew.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

Figure = dict[str, object]

STEP_COMMIT_TARGET_MS = 5.0
QUERY_TARGET_MS = 10.0
VIEW_TARGET_MS = 300.0


def figure(
    name: str, value: float, unit: str, target: float, *, lower_is_better: bool = True
) -> Figure:
    ok = value <= target if lower_is_better else value >= target
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def generate_years(
    path: Path, *, days: int = 3650, steps: int = 10, end: date | None = None
) -> int:
    """Ten years of daily use (one session a day, ``steps`` steps each), in bulk.

    The schema comes from ``Store.open``; the rows go in with executemany in
    one transaction (durable one-by-one commits would take minutes). Returns
    the number of sessions. Also: a pain measure every 3rd day, a walking test
    every 2 weeks, an activity every 4th day, a PSFS rating weekly, a chair
    stand monthly.
    """
    from coach.core.progress.store import Store

    Store.open(path).close()
    rng = random.Random(5)
    end = end or datetime.now(UTC).date()
    first = end - timedelta(days=days - 1)
    sessions, step_rows, measures, activities = [], [], [], []
    title = json.dumps({"en": "Daily relief", "de": "Tägliche Entlastung"}, separators=(",", ":"))
    for n in range(days):
        day = first + timedelta(days=n)
        start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC) + timedelta(
            minutes=rng.randrange(0, 180)
        )
        sid = n + 1
        back, leg = rng.randint(1, 5), rng.randint(1, 6)
        sessions.append(
            (
                sid,
                "daily-relief",
                title,
                None,
                720.0,
                _iso(start),
                _iso(start + timedelta(minutes=12)),
                "completed",
                None,
                None,
                back,
                leg,
                min(10, back + rng.randint(-1, 1) if back else 0),
                max(0, leg - 1),
            )
        )
        for k in range(steps):
            step_rows.append(
                (
                    sid,
                    k,
                    k // 3,
                    "P1",
                    "hold",
                    None,
                    1,
                    k % 3 + 1,
                    30.0,
                    30.0,
                    "completed",
                    None,
                    _iso(start + timedelta(seconds=30 * (k + 1))),
                )
            )
        if n % 3 == 0:
            measures.append(
                ("pain", _iso(start - timedelta(hours=2)), json.dumps({"back": back, "leg": leg}))
            )
        if n % 14 == 0:
            walk = json.dumps({"first_symptoms_s": 300 + n // 10, "total_s": 600 + n // 5})
            measures.append(("walking_test", _iso(start + timedelta(hours=5)), walk))
        if n % 7 == 0:
            psfs = json.dumps({"scores": {"Walking to the shop": rng.randint(3, 8)}})
            measures.append(("psfs", _iso(start + timedelta(hours=6)), psfs))
        if n % 30 == 0:
            chair = json.dumps({"count": rng.randint(8, 14), "age": 72, "sex": "female"})
            measures.append(("chair_stand", _iso(start + timedelta(hours=7)), chair))
        if n % 4 == 0:
            activities.append((_iso(start + timedelta(hours=8)), "walk", 30.0, "same", None))
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", sessions
        )
        conn.executemany(
            "INSERT INTO step_results (session_id, step_index, item_index, exercise_id, phase,"
            " side, set_no, rep_no, planned_s, done_s, outcome, symptoms_at_s, recorded_utc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            step_rows,
        )
        conn.executemany("INSERT INTO measures (kind, taken_utc, value) VALUES (?, ?, ?)", measures)
        conn.executemany(
            "INSERT INTO activities (taken_utc, kind, minutes, feeling, note) VALUES (?, ?, ?, ?, ?)",
            activities,
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(sessions)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def generate_use(
    data_dir: Path,
    *,
    days: int = 7,
    end: datetime | None = None,
    seed: int = 1,
    routines: tuple[str, ...] = ("daily-relief", "walking"),
    skip_days: tuple[int, ...] = (),
) -> Path:
    """``days`` days of realistic use through the real Store API, ending at ``end``.

    Each day: daily relief in the morning (pain before and after), the walking
    program on weekdays but Wednesday, a pain measure now and then, weekly
    walking tests, an activity logged twice a week, PSFS ratings and a chair
    stand at the start and the end. Days in ``skip_days`` (0 = the first day)
    have no session. Returns the database path.
    """
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library
    from coach.core.progress.store import PSFS_ACTIVITIES_KEY, Store
    from coach.core.progress.store_rows import MeasureKind, SessionOutcome
    from coach.core.session.plan import build_plan
    from coach.core.session.runner import Outcome, StepResult

    paths = resolve(data_dir)
    paths.ensure_data_dir()
    lib = Library.load(paths, include_user=False)
    rng = random.Random(seed)
    end = end or datetime.now(UTC)
    first_day = (end - timedelta(days=days - 1)).date()
    clock = FakeClock(end)
    activities = ["Walking to the shop", "Standing to cook", "Gardening"]
    with Store.open(paths.database, clock=clock) as store:
        store.set_json(PSFS_ACTIVITIES_KEY, activities)
        for n in range(days):
            day = first_day + timedelta(days=n)
            progress = n / max(1, days - 1)  # 0 -> 1 over the period: things improve
            morning = datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC)
            if morning > end:
                break
            if n % 7 == 0:
                first = 240 + 240 * progress + rng.randint(-20, 20)
                total = first + 180 + 300 * progress
                store.add_measure(
                    MeasureKind.WALKING_TEST,
                    {"first_symptoms_s": round(first), "total_s": round(total)},
                    taken=morning + timedelta(hours=7),
                )
            if n % 3 == 1:
                store.add_measure(
                    MeasureKind.PAIN,
                    {
                        "back": max(0, round(4 - 2 * progress) + rng.randint(0, 1)),
                        "leg": max(0, round(6 - 3 * progress) + rng.randint(-1, 0)),
                    },
                    taken=morning - timedelta(hours=1),
                )
            if n in (0, days - 1):
                store.add_measure(
                    MeasureKind.PSFS,
                    {"scores": {a: round(3 + 4 * progress) + k for k, a in enumerate(activities)}},
                    taken=morning + timedelta(hours=9),
                )
                store.add_measure(
                    MeasureKind.CHAIR_STAND,
                    {"count": 8 + round(3 * progress), "age": 73, "sex": "female"},
                    taken=morning + timedelta(hours=9, minutes=10),
                )
            if n % 4 == 2:
                store.add_activity(
                    rng.choice(["cycling", "water", "walk"]),
                    rng.choice([20, 30, 45]),
                    feeling=rng.choice(["better", "same"]),
                    taken=morning + timedelta(hours=6),
                )
            if n in skip_days:
                continue
            for k, rid in enumerate(routines):
                if rid == "walking" and day.weekday() in (2, 6):
                    continue
                routine = lib.routines[rid]
                plan = build_plan(routine, lib.exercises, walking_test_s=300)
                clock.now = morning + timedelta(hours=4 * k, minutes=rng.randint(0, 40))
                back = max(0, round(4 - 2 * progress) + rng.randint(0, 1))
                leg = max(0, round(6 - 3 * progress) + rng.randint(-1, 0))
                sid = store.start_session(
                    rid,
                    routine.title,
                    pain_before_back=back,
                    pain_before_leg=leg,
                    planned_total_s=plan.total_seconds,
                )
                for step in plan.steps:
                    clock.now += timedelta(seconds=step.seconds)
                    store.record_step(sid, StepResult(step, step.seconds, Outcome.COMPLETED))
                store.end_session(sid, SessionOutcome.COMPLETED)
                store.set_pain_after(sid, back=max(0, back - 1), leg=leg)
        clock.now = end
    return paths.database


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------


def bench_step_commit(runs: int = 200) -> list[Figure]:
    """Durable commit of one finished step (synchronous=FULL in WAL mode), median ms."""
    from coach.core.content.model import Text
    from coach.core.progress.store import Store
    from coach.core.session.plan import Phase, Step
    from coach.core.session.runner import Outcome, StepResult

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "coach.sqlite3") as store:
        sid = store.start_session("daily-relief", "Daily relief")
        times = []
        for i in range(runs):
            step = Step(i, Phase.HOLD, 5.0, "P1", 0, Text.of("Hold"), set_no=1, rep_no=i + 1)
            result = StepResult(step, 5.0, Outcome.COMPLETED)
            start = time.perf_counter()
            store.record_step(sid, result)
            times.append((time.perf_counter() - start) * 1000)
    return [figure("step_commit_median_ms", statistics.median(times), "ms", STEP_COMMIT_TARGET_MS)]


def _queries(lib: Any, now: datetime) -> dict[str, Callable[[Any], object]]:
    from coach.core.progress import progression, stats

    today = now.date()
    plan = [lib.routines["daily-relief"]]
    routine = lib.routines["daily-relief"]
    return {
        "plan_routines": lambda h: stats.plan_routines(h, lib.routines, today),
        "weeks_4": lambda h: stats.weeks(h, plan, today, 4),
        "adherence_52_weeks": lambda h: stats.weeks(h, plan, today, 52),
        "streak": lambda h: stats.current_streak(h, plan, today),
        "minutes_this_week": lambda h: stats.minutes_in_week(h, today),
        "pain_trend_8_weeks_daily": lambda h: stats.pain_trend(
            h, today - timedelta(days=55), today + timedelta(days=1)
        ),
        "pain_trend_26_weeks_weekly": lambda h: stats.pain_trend(
            h, today - timedelta(weeks=26), today + timedelta(days=1), by="week"
        ),
        "walking_trend": lambda h: stats.walking_trend(h),
        "summary": lambda h: stats.summary(h, now),
        "progression_suggestion": lambda h: progression.suggest_progression(
            h, routine, lib.exercises
        ),
        "next_day_question": lambda h: progression.next_day_question(h, now),
        "overview_all": lambda h: stats.overview(h, lib.routines, now),
    }


def bench_history_queries(runs: int = 15) -> list[Figure]:
    """Each history query on ten years of daily use (3,650 sessions x 10 steps), median ms."""
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library
    from coach.core.progress.history import History

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "coach.sqlite3"
        generate_years(db)
        lib = Library.load(resolve(tmp), include_user=False)
        now = datetime.now(UTC)
        figures: list[Figure] = []
        with History(db) as history:
            for name, query in _queries(lib, now).items():
                query(history)  # warm the page cache, as a second look at the page would
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    query(history)
                    times.append((time.perf_counter() - start) * 1000)
                target = QUERY_TARGET_MS * (3 if name == "overview_all" else 1)
                figures.append(
                    figure(f"history_query_{name}_ms", statistics.median(times), "ms", target)
                )
        per_query = [f for f in figures if f["name"] != "history_query_overview_all_ms"]
        slowest = max(per_query, key=lambda f: float(f["value"]))  # type: ignore[arg-type]
        figures.insert(
            0,
            figure(
                "history_query_slowest_ms",
                float(slowest["value"]),  # type: ignore[arg-type]
                "ms",
                QUERY_TARGET_MS,
            )
            | {"query": str(slowest["name"])},
        )
    return figures


_VIEW_SCRIPT = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget
app = QApplication([])
from coach.core.content.library import Library
from coach.core.common.paths import resolve
from coach.core.progress.store import Store
from coach.ui import theme
from coach.ui.widgets import label
paths = resolve(sys.argv[1])
theme.load_fonts(paths.assets)
theme.apply(app, 125)
lib = Library.load(paths, include_user=False)
store = Store.open(paths.database)
# The app is running: a window with a page on screen, as when the person
# presses "History" in the navigation.
window = QMainWindow()
stack = QStackedWidget()
stack.addWidget(label("Home"))
window.setCentralWidget(stack)
window.resize(1280, 800)
window.show()
app.processEvents()
times = []
for n in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    from coach.ui.progress.history_view import HistoryView   # the first run pays for it and QtCharts
    view = HistoryView(store, lib, "en")
    stack.addWidget(view)
    stack.setCurrentWidget(view)
    view.grab()                                     # construct + first paint
    times.append((time.perf_counter() - t0) * 1000)
    stack.setCurrentIndex(0)
    stack.removeWidget(view)
    view.deleteLater()
    app.processEvents()
store.close()
print(" ".join(f"{t:.2f}" for t in times))
"""


def bench_history_view(runs: int = 5) -> list[Figure]:
    """History view ready (construct + first paint, offscreen) on ten years of data.

    In a running app (a shown main window), the time from "open History" to
    its first paint: importing the view and QtCharts (cold, the first time in a
    process) or not (warm: the median of the later openings).
    """
    with tempfile.TemporaryDirectory() as tmp:
        generate_years(Path(tmp) / "coach.sqlite3")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
        env["QT_LOGGING_RULES"] = "qt.multimedia.*=false"
        cold, warm = [], []
        for attempt in range(4):
            out = subprocess.run(
                [sys.executable, "-c", _VIEW_SCRIPT, tmp, str(runs)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
                cwd=REPO,
            ).stdout.split()
            values = [float(v) for v in out]
            if attempt == 0:
                continue  # writes the .pyc files, as an installed app has them
            cold.append(values[0])
            warm += values[1:]
    return [
        figure("history_view_ready_cold_ms", statistics.median(cold), "ms", VIEW_TARGET_MS),
        figure("history_view_ready_warm_ms", statistics.median(warm), "ms", VIEW_TARGET_MS),
    ]


BENCHMARKS: dict[str, Callable[[], list[Figure]]] = {
    "step_commit": bench_step_commit,
    "history_queries": bench_history_queries,
    "history_view": bench_history_view,
}


if __name__ == "__main__":
    names = sys.argv[1:] or list(BENCHMARKS)
    all_ok = True
    for name in names:
        for fig in BENCHMARKS[name]():
            all_ok &= bool(fig["ok"])
            print(json.dumps(fig), flush=True)
    raise SystemExit(0 if all_ok else 1)
