"""Coach's benchmark figures: ``python tests/bench/run.py [NAME...]``.

Prints one JSON line per figure: {"name", "value", "unit", "target", "ok"}.
Speed is measured here, never in the timed test suite.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Measure what people run: Python caches compiled modules after the first start.
# A shell with PYTHONDONTWRITEBYTECODE=1 would make every run compile Coach anew.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(REPO))

Figure = dict[str, object]

BARE_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.show()
QTimer.singleShot(0, lambda: app.exit(0 if w.isVisible() else 1))
raise SystemExit(app.exec())
"""


def figure(
    name: str, value: float, unit: str, target: float, *, lower_is_better: bool = True
) -> Figure:
    ok = value <= target if lower_is_better else value >= target
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_LOGGING_RULES"] = "qt.multimedia.*=false"
    return env


def _time_command(cmd: list[str], runs: int, **extra_env: str) -> list[float]:
    times = []
    env = _env() | extra_env
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, cwd=REPO, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def bench_startup(runs: int = 7) -> list[Figure]:
    """Cold start of the real app against a bare PySide6 window, same interpreter.

    ``startup_ratio`` is the time until Coach's window is on screen (the
    routines load right after the first paint); ``startup_ready_s`` runs on
    until the routines are loaded and shown.
    """
    with tempfile.TemporaryDirectory() as data:
        app_cmd = [sys.executable, str(REPO / "main.py"), "--smoke", "--data-dir", data]
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        _time_command(app_cmd, 1)  # warm the file cache and write .pyc files
        _time_command(bare_cmd, 1)
        shown, ready, bare = [], [], []
        for _ in range(runs):  # interleaved, so a noisy moment hits all three
            shown += _time_command(app_cmd, 1, COACH_SMOKE_AT="shown")
            ready += _time_command(app_cmd, 1)
            bare += _time_command(bare_cmd, 1)
    shown_s, ready_s, bare_s = (statistics.median(t) for t in (shown, ready, bare))
    return [
        figure("startup_ratio", shown_s / bare_s, "x", 1.5),
        # Routines on screen: an absolute goal for a person waiting, not a ratio.
        figure("startup_ready_s", ready_s, "s", 1.5),
        figure("startup_shown_s", shown_s, "s", round(bare_s * 1.5, 4)),
        # For information: the baseline (its "target" is itself, rounded up).
        figure("startup_bare_window_s", bare_s, "s", math.ceil(bare_s * 10_000) / 10_000),
    ]


def bench_validate(runs: int = 5) -> list[Figure]:
    from coach.core.common.paths import resolve
    from coach.core.content.library import validate

    with tempfile.TemporaryDirectory() as data:
        paths = resolve(data)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            _count, problems = validate(paths, [REPO / "routines"])
            times.append(time.perf_counter() - start)
            assert not problems, problems
    return [figure("validate_builtin_s", statistics.median(times), "s", 0.5)]


BARE_TRAY = """
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon
app = QApplication([])
app.setQuitOnLastWindowClosed(False)
icon = QSystemTrayIcon(QIcon(QPixmap(32, 32)))
menu = QMenu()
menu.addAction("Open")
menu.addAction("Quit")
icon.setContextMenu(menu)
icon.show()
app.exec()
"""


def _idle_rss_mib(cmd: list[str], settle_s: float = 4.0) -> float:
    """Resident memory of a process left idle for a few seconds (read from /proc)."""
    proc = subprocess.Popen(cmd, env=_env(), cwd=REPO, stdout=subprocess.DEVNULL)
    try:
        time.sleep(settle_s)
        status = Path(f"/proc/{proc.pid}/status").read_text()
        kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return kib / 1024
    finally:
        proc.kill()
        proc.wait()


def bench_tray_memory() -> list[Figure]:
    """The real app waiting in the tray (``main.py --tray``, as started at login)."""
    with tempfile.TemporaryDirectory() as data:
        coach = _idle_rss_mib([sys.executable, str(REPO / "main.py"), "--tray", "--data-dir", data])
    bare = _idle_rss_mib([sys.executable, "-c", BARE_TRAY])
    return [
        figure("tray_mode_rss_ratio", coach / bare, "x", 1.5),
        figure("tray_mode_rss_mib", coach, "MiB", round(bare * 1.5, 1)),
    ]


def _registry() -> dict[str, Callable[[], list[Figure]]]:
    """Every figure, by name; feature modules in this folder bring their own."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import fault_bench
    import player_bench
    import progress_bench
    import reminders_bench
    import sheets_bench

    return {
        "startup": bench_startup,
        "validate": bench_validate,
        **player_bench.BENCHMARKS,
        "sheets": sheets_bench.bench_sheets,
        "step_commit": progress_bench.bench_step_commit,
        "history_queries": progress_bench.bench_history_queries,
        "history_view": progress_bench.bench_history_view,
        **reminders_bench.BENCHMARKS,
        "tray_memory": bench_tray_memory,
        **fault_bench.BENCHMARKS,
    }


def main(argv: list[str]) -> int:
    BENCHMARKS = _registry()
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    all_ok = True
    for name in names:
        for fig in BENCHMARKS[name]():
            all_ok &= bool(fig["ok"])
            print(json.dumps(fig), flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
