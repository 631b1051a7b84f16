"""Benchmark figures of the printed routine sheet (registered in ``tests/bench/run.py``).

- ``sheet_pdf_s``: in process, a 6-exercise routine file to a written PDF
  (routine file read and checked, sheet laid out, pictures drawn as vectors,
  PDF written atomically); the library is loaded once beforehand, as in the
  app. Median of several runs; target 0.25 s.
- ``sheet_pdf_cpu_s``: the same in CPU time (steadier on a shared machine).
- ``print_command_ratio``: the whole ``coach print`` command in a fresh
  process against a bare PySide6 start (QGuiApplication, offscreen) plus the
  in-process time; target 1.5. Runs are interleaved so a noisy moment hits
  both.

Each function returns a list of figure dicts {"name", "value", "unit", "target", "ok"}.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Measure what people run: Python caches compiled modules after the first start.
# A shell with PYTHONDONTWRITEBYTECODE=1 would make every run compile Coach anew.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

Figure = dict[str, object]

SHEET_TARGET_S = 0.25
COMMAND_RATIO_TARGET = 1.5
ROUTINE_FILE = REPO / "routines" / "daily-relief.yaml"  # six exercises

BARE_START = (
    "from PySide6.QtGui import QGuiApplication\napp = QGuiApplication([])\nraise SystemExit(0)\n"
)


def figure(
    name: str, value: float, unit: str, target: float, *, lower_is_better: bool = True
) -> Figure:
    ok = value <= target if lower_is_better else value >= target
    return {"name": name, "value": round(value, 4), "unit": unit, "target": target, "ok": ok}


def _env(data: str) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["COACH_DATA_DIR"] = data
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _in_process_times(runs: int, out_dir: Path, *, cpu: bool = False) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from coach.core.common.paths import resolve
    from coach.core.content.library import Library
    from coach.sheets.pdf import write_routine_pdf
    from coach.sheets.routine_sheet import SheetData

    app = QGuiApplication.instance() or QGuiApplication([])
    library = Library.load(resolve(out_dir / "data"))
    clock = time.process_time if cpu else time.perf_counter
    times = []
    for n in range(runs + 1):
        start = clock()
        routine = library.routine_from(str(ROUTINE_FILE))
        assert len(routine.items) == 6
        sheet = SheetData(routine, library, "en", patient="Łukasz Żółć-Müller")
        write_routine_pdf(out_dir / "sheet.pdf", sheet, "a4")
        elapsed = clock() - start
        if n:  # the first run loads the fonts and warms the caches
            times.append(elapsed)
    del app
    return times


def bench_sheet_pdf(runs: int = 9) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        times = _in_process_times(runs, Path(tmp))
        cpu = _in_process_times(runs, Path(tmp), cpu=True)
    return [
        figure("sheet_pdf_s", statistics.median(times), "s", SHEET_TARGET_S),
        # The same in CPU time: steadier than the wall clock on a busy machine.
        figure("sheet_pdf_cpu_s", statistics.median(cpu), "s", SHEET_TARGET_S),
    ]


def _in_process_child(runs: int) -> float:
    """The in-process median measured in a fresh process (no other Qt state)."""
    code = (
        "import statistics, sys, pathlib\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from tests.bench.sheets_bench import _in_process_times\n"
        "import tempfile\n"
        "with tempfile.TemporaryDirectory() as tmp:\n"
        f"    print(statistics.median(_in_process_times({runs}, pathlib.Path(tmp))))\n"
    )
    with tempfile.TemporaryDirectory() as data:
        out = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            env=_env(data),
            cwd=REPO,
            capture_output=True,
            text=True,
        )
    return float(out.stdout.strip().splitlines()[-1])


def _run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=REPO, capture_output=True)
    return time.perf_counter() - start


def bench_print_command(runs: int = 7) -> list[Figure]:
    in_process = _in_process_child(5)
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(str(Path(tmp) / "data"))
        out = str(Path(tmp) / "out.pdf")
        command = [sys.executable, "-m", "coach", "print", str(ROUTINE_FILE), "-o", out]
        bare = [sys.executable, "-c", BARE_START]
        _run(command, env)  # warm the file cache and write .pyc files
        _run(bare, env)
        command_s, bare_s = [], []
        for _ in range(runs):
            command_s.append(_run(command, env))
            bare_s.append(_run(bare, env))
    command_median = statistics.median(command_s)
    bare_median = statistics.median(bare_s)
    ratio = command_median / (bare_median + in_process)
    return [
        figure("print_command_ratio", ratio, "x", COMMAND_RATIO_TARGET),
        figure("print_command_s", command_median, "s", round(1.5 * (bare_median + in_process), 3)),
        # For information: the baseline the ratio is taken against.
        figure("print_bare_qt_start_s", bare_median, "s", math.ceil(bare_median * 1000) / 1000),
        figure("print_in_process_s", in_process, "s", SHEET_TARGET_S),
    ]


def bench_sheets() -> list[Figure]:
    return bench_sheet_pdf() + bench_print_command()


if __name__ == "__main__":
    import json

    for fig in bench_sheets():
        print(json.dumps(fig), flush=True)
