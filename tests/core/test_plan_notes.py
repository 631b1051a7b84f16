"""A clinician's note and a permission's caution travel with every step of their item."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Permissions, RoutineItem, Text
from coach.core.session.personal import PersonalInputs
from coach.core.session.plan import build_plan
from coach.core.session.profile import HealthProfile

LIBRARY = Library.load(resolve(Path(tempfile.mkdtemp()) / "data"), include_user=False)
NOTE = Text.of("Keep your knees apart.", "Lassen Sie die Knie auseinander.")

ROUTINE_FILE = """\
format_version: 1
kind: routine
id: note-check
title: {en: Note check, de: Hinweisprobe}
description: {en: Notes and cautions, de: Hinweise und Warnungen}
items:
  - exercise: P1
    note: {en: Keep your knees apart., de: Lassen Sie die Knie auseinander.}
  - exercise: C1
  - exercise: X2
permissions:
  allow_extension: [X2]
  allowed_by: B. Physio
"""


def routine_with_note_and_permission():  # type: ignore[no-untyped-def]
    base = LIBRARY.routines["chair-counter"]
    items = [
        RoutineItem(exercise="C1", note=NOTE),
        RoutineItem(exercise="C3"),
        RoutineItem(exercise="X2"),
    ]
    permissions = Permissions(allow_extension=["X2"], allowed_by="B. Physio")
    return base.replace(items=items, permissions=permissions)


def test_every_step_of_an_item_carries_its_note_and_no_other_does() -> None:
    plan = build_plan(routine_with_note_and_permission(), LIBRARY.exercises)
    for step in plan.steps:
        if step.item_index == 0:
            assert step.note == NOTE
        else:
            assert step.note is None, step


def test_an_allowed_extension_exercise_says_who_allowed_it_on_every_step() -> None:
    plan = build_plan(routine_with_note_and_permission(), LIBRARY.exercises)
    x2 = [s for s in plan.steps if s.item_index == 2]
    assert x2 and all(s.caution is not None for s in x2)
    caution = x2[0].caution
    assert caution is not None
    assert caution.get("en").startswith("Allowed for you by B. Physio: this exercise arches")
    assert caution.get("de").startswith("Von B. Physio für Sie erlaubt: ")
    assert all(s.caution is None for s in plan.steps if s.item_index in (0, 1))


def test_without_the_permission_there_is_no_caution_to_give() -> None:
    routine = LIBRARY.routines["chair-counter"]
    plan = build_plan(routine, LIBRARY.exercises)
    assert all(s.caution is None and s.note is None for s in plan.steps)


def test_a_bone_safe_note_keeps_the_clinician_s_own_note() -> None:
    base = LIBRARY.routines["daily-relief"]
    knees = Text.of("Only to the left side today.", "Heute nur zur linken Seite.")
    items = [i if i.exercise != "S8" else i.replace(note=knees) for i in base.items]
    personal = PersonalInputs(profile=HealthProfile(osteoporosis=True, completed=True)).plan_for(
        base.replace(items=items), LIBRARY.exercises
    )
    assert personal.plan is not None
    notes = {s.note.get("en") for s in personal.plan.steps if s.exercise_id == "S8" and s.note}
    [note] = notes
    assert note.startswith("Let the knees tip only a small way")
    assert note.endswith("Only to the left side today.")


def test_coach_plan_json_shows_note_and_caution(tmp_path: Path) -> None:
    path = tmp_path / "note-check.yaml"
    path.write_text(ROUTINE_FILE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "coach", "--data-dir", str(tmp_path / "d"), "plan", str(path),
         "--json", "--lang", "de"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    steps = json.loads(result.stdout)["steps"]
    p1 = [s for s in steps if s["exercise"] == "P1"]
    x2 = [s for s in steps if s["exercise"] == "X2"]
    assert {s["note"] for s in p1} == {"Lassen Sie die Knie auseinander."}
    assert {s["caution"] for s in p1} == {None}
    assert all(s["caution"].startswith("Von B. Physio für Sie erlaubt") for s in x2)
    assert all("note" in s and "caution" in s for s in steps)


def test_a_clinician_s_keep_holds_an_item_the_health_answers_would_leave_out() -> None:
    from datetime import date

    from coach.core.content.model import KeepMark
    from coach.core.session.personal import Cause, ChangeKind, ClinicianPlan, personal_plan
    from coach.core.session.profile import BodySide, Joint, JointReplacement

    hip = HealthProfile(
        completed=True, joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT)]
    )
    base = LIBRARY.routines["daily-relief"]
    keep = KeepMark(by="B. Physio", on=date(2026, 12, 1))
    items = [i.replace(keep=keep) if i.exercise == "S1" else i for i in base.items]
    routine = base.replace(items=items)
    clinician = ClinicianPlan("B. Physio")
    mine = personal_plan(routine, LIBRARY.exercises, profile=hip, clinician_plan=clinician)
    assert mine.routine is not None
    played = [i.exercise for i in mine.routine.items]
    assert "S1" in played and "S4" not in played and "S8" not in played
    [kept] = [c for c in mine.changes if c.exercise_id == "S1"]
    assert (kept.cause, kept.kind) == (Cause.CLINICIAN, ChangeKind.NOTE)
    assert "B. Physio kept it on 01 Dec 2026, knowing your history" in kept.text.get("en")
    assert "am 01.12.2026 in Kenntnis Ihrer Vorgeschichte" in kept.text.get("de")
    assert kept.rule is not None and kept.rule.code == "hip_replacement/hip_flexion_over_90"
    # The same mark in a routine that is not the clinician's plan keeps nothing.
    own = personal_plan(routine, LIBRARY.exercises, profile=hip)
    assert own.routine is not None and "S1" not in [i.exercise for i in own.routine.items]


def test_a_keep_never_stands_in_for_the_extension_permission() -> None:
    from datetime import date

    from coach.core.content.model import KeepMark
    from coach.core.session.personal import ClinicianPlan, personal_plan

    base = LIBRARY.routines["chair-counter"]
    keep = KeepMark(by="B. Physio", on=date(2026, 12, 1))
    routine = base.replace(items=[*base.items, RoutineItem(exercise="X2", keep=keep)])
    mine = personal_plan(
        routine,
        LIBRARY.exercises,
        profile=HealthProfile(completed=True),
        clinician_plan=ClinicianPlan("B. Physio"),
    )
    assert mine.routine is not None and "X2" not in [i.exercise for i in mine.routine.items]
