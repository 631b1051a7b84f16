"""`coach validate` on good and broken files, through the real command."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+):(?: (?P<field>[^:]+):)? (?P<msg>.+)$"
)

ROUTINE = """\
format_version: 1
kind: routine
id: my-routine
title:
  en: My routine
description:
  en: Two exercises.
items:
  - exercise: P1
    reps: 8
  - exercise: S1
    hold_s: 20
"""


def coach(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )


def problems(result: subprocess.CompletedProcess[str]) -> list[re.Match[str]]:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), f"unlocated output: {lines}"
    return [m for m in matches if m]


def test_builtin_files_are_valid(repo: Path) -> None:
    result = coach("validate", str(repo / "routines"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_good_user_routine(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(ROUTINE, encoding="utf-8")
    result = coach("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def _broken(tmp_path: Path, text: str | bytes, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


CASES = {
    "yaml_syntax": (
        ROUTINE.replace("  en: Two exercises.", "  en: [Two exercises."),
        8,
        None,
        "starts at line 7",
    ),
    "wrong_type": (ROUTINE.replace("reps: 8", "reps: eight"), 10, "items[0].reps", "integer"),
    "missing_field": (ROUTINE.replace("title:\n  en: My routine\n", ""), 1, "title", "required"),
    "negative": (
        ROUTINE.replace("hold_s: 20", "hold_s: -5"),
        12,
        "items[1].hold_s",
        "greater than or equal",
    ),
    "absurd_hold": (
        ROUTINE.replace("hold_s: 20", "hold_s: 10800"),
        12,
        "items[1].hold_s",
        "less than or equal",
    ),
    "zero_sets": (
        ROUTINE.replace("reps: 8", "sets: 0"),
        10,
        "items[0].sets",
        "greater than or equal",
    ),
    "newer_version": (
        ROUTINE.replace("format_version: 1", "format_version: 7"),
        1,
        "format_version",
        "newer Coach",
    ),
    "unknown_exercise": (
        ROUTINE.replace("exercise: S1", "exercise: S11"),
        11,
        "items[1].exercise",
        "closest known: S1",
    ),
    "unknown_field": (ROUTINE.replace("reps: 8", "repz: 8"), 10, "items[0].repz", "unknown field"),
    "duplicate_key": (
        ROUTINE.replace("reps: 8", "reps: 8\n    reps: 9"),
        11,
        "reps",
        "appears twice",
    ),
    "english_missing": (
        ROUTINE.replace("  en: My routine", "  de: Meine Übungen"),
        5,
        "title",
        "English",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_routine_is_located(tmp_path: Path, case: str) -> None:
    text, line, field, message = CASES[case]
    path = _broken(tmp_path, text)
    result = coach("validate", str(path))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    found = problems(result)
    assert found, result.stdout
    first = found[0]
    assert Path(first["file"]).name == "broken.yaml"
    assert int(first["line"]) == line, result.stdout
    if field:
        assert first["field"] == field, result.stdout
    assert message in first["msg"], result.stdout


def test_not_utf8_names_the_position(tmp_path: Path) -> None:
    raw = ROUTINE.replace("My routine", "Meine \u00dcbungen").encode("latin-1")
    result = coach("validate", str(_broken(tmp_path, raw)))
    assert result.returncode == 1
    (problem,) = problems(result)
    assert (problem["line"], problem["col"]) == ("5", "13")
    assert "UTF-8" in problem["msg"]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    rows = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 9):
        refs = ", ".join([f"*a{n - 1}"] * 10)
        rows.append(f"a{n}: &a{n} [{refs}]")
    text = ROUTINE + "extra:\n" + "\n".join("  " + r for r in rows) + "\n"
    result = coach("validate", str(_broken(tmp_path, text)))
    assert result.returncode == 1
    assert "too much data" in result.stdout
    assert "Traceback" not in result.stderr


def test_huge_file_is_refused(tmp_path: Path) -> None:
    text = ROUTINE + "# " + "x" * (300 * 1024) + "\n"
    result = coach("validate", str(_broken(tmp_path, text)))
    assert result.returncode == 1
    assert "KiB" in result.stdout


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    _broken(tmp_path, ROUTINE, "a.yaml")
    _broken(tmp_path, ROUTINE, "b.yaml")
    result = coach("validate", str(tmp_path))
    assert result.returncode == 1
    (problem,) = problems(result)
    assert Path(problem["file"]).name == "b.yaml"
    assert problem["field"] == "id"
    assert "duplicate routine id 'my-routine'" in problem["msg"]


def test_duplicate_of_builtin_id(tmp_path: Path) -> None:
    result = coach(
        "validate", str(_broken(tmp_path, ROUTINE.replace("my-routine", "daily-relief")))
    )
    assert result.returncode == 1
    assert "duplicate routine id 'daily-relief'" in result.stdout


def test_illustration_path_may_not_escape(tmp_path: Path, repo: Path) -> None:
    text = (repo / "routines" / "exercises" / "P1.yaml").read_text(encoding="utf-8")
    text = text.replace("id: P1", "id: MY1").replace("figures/P1-end.svg", "../../etc/passwd")
    result = coach("validate", str(_broken(tmp_path, text)))
    assert result.returncode == 1
    (problem,) = problems(result)
    assert problem["field"] == "illustrations.end"
    assert "leaves its folder" in problem["msg"]


def test_extension_exercise_needs_permission(tmp_path: Path) -> None:
    text = ROUTINE.replace("exercise: S1", "exercise: X1")
    result = coach("validate", str(_broken(tmp_path, text)))
    assert result.returncode == 1
    assert "lumbar extension" in result.stdout
    allowed = text + "permissions:\n  allow_extension: [X1]\n  allowed_by: A. Physio\n"
    result = coach("validate", str(_broken(tmp_path, allowed)))
    assert result.returncode == 0, result.stdout


def test_missing_path(tmp_path: Path) -> None:
    result = coach("validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "no such file" in result.stdout


def test_every_mistake_in_a_file_is_listed_at_once(tmp_path: Path) -> None:
    text = ROUTINE.replace("reps: 8", "reps: eight").replace("hold_s: 20", "hold_s: 10800")
    path = _broken(tmp_path, text.replace("description:", "colour: red\ndescription:"))
    result = coach("validate", str(path))
    assert result.returncode == 1, result.stdout
    found = [(int(m["line"]), m["field"]) for m in problems(result)]
    assert found == [(6, "colour"), (11, "items[0].reps"), (13, "items[1].hold_s")], result.stdout


def test_a_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "routine.yaml"
    os.mkfifo(fifo)
    result = coach("validate", str(fifo))  # blocked forever before (timeout 60 s)
    assert result.returncode == 1
    (found,) = problems(result)
    assert found["file"] == str(fifo) and "not an ordinary file" in found["msg"]
