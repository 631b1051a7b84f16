"""`coach plan FILE --json` shows a walking prescription's steps as the player plays them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROUTINE = """\
format_version: 1
kind: routine
id: {id}
title:
  en: Walk
description:
  en: A walk.
items:
  - exercise: A3
    walk:
{walk}
"""


def plan_of(tmp_path: Path, ident: str, walk: str, *args: str) -> dict[str, Any]:
    path = tmp_path / f"{ident}.yaml"
    path.write_text(ROUTINE.format(id=ident, walk=walk), encoding="utf-8")
    command = [sys.executable, "-m", "coach", "--data-dir", str(tmp_path / "data")]
    result = subprocess.run(
        [*command, "plan", str(path), "--json", "--as-written", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def walking(plan: dict[str, Any]) -> list[tuple[str, float, str]]:
    return [
        (s["phase"], s["seconds"], s["exercise"])
        for s in plan["steps"]
        if s["phase"] in ("walk", "flexion_break")
    ]


def test_fixed_stages_of_six_minutes_with_seated_breaks(tmp_path: Path) -> None:
    walk = """\
      bouts: 4
      bout_s: 360
      from_walking_test: null
      break_s: 120
      break_exercise: C2"""
    plan = plan_of(tmp_path, "boot-camp", walk, "--walking-test", "900")
    stage, rest = ("walk", 360, "A3"), ("flexion_break", 120, "C2")
    assert walking(plan) == [stage, rest, stage, rest, stage, rest, stage]
    assert not any(s["ends_at_symptoms"] for s in plan["steps"])


def test_a_treadmill_walk_up_to_45_minutes_ends_at_the_first_symptoms(tmp_path: Path) -> None:
    walk = """\
      kind: treadmill_level
      bouts: 1
      bout_s: 2700
      from_walking_test: null
      max_s: 2700
      stop_at_first_symptoms: true"""
    plan = plan_of(tmp_path, "treadmill", walk)
    assert walking(plan) == [("walk", 2700, "A3")]
    step = next(s for s in plan["steps"] if s["phase"] == "walk")
    assert step["ends_at_symptoms"] is True
    assert "treadmill" in step["instruction"]
