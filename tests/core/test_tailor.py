"""Built-in routines adapted to a health profile, on the real content files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.core.session.personal import ClinicianPlan, PersonalPlan, personal_plan
from coach.core.session.profile import HealthProfile


def tailor_routine(
    profile: HealthProfile, routine: Routine, lib: Library, *, from_clinician: bool = False
) -> PersonalPlan:
    clinician = ClinicianPlan("B. Physio") if from_clinician else None
    return personal_plan(routine, lib.exercises, profile=profile, clinician_plan=clinician)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.load(resolve(tmp_path_factory.mktemp("data")))


def test_no_profile_flags_plays_routine_unchanged(lib: Library) -> None:
    routine = lib.routines["daily-relief"]
    result = tailor_routine(HealthProfile(completed=True), routine, lib)
    assert result.routine == routine
    assert result.changes == ()


def test_bone_safe_swaps_the_forward_bend(lib: Library) -> None:
    routine = lib.routines["daily-relief"]
    result = tailor_routine(HealthProfile(osteoporosis=True), routine, lib)
    assert result.routine is not None
    ids = result.routine.exercise_ids()
    # S4 (seated forward bend) names C2 (hip-hinge lean) as its bone-safe version.
    assert "S4" not in ids and "C2" in ids
    assert any("C2" in c.text.get() or "lean" in c.text.get().lower() for c in result.changes)


def test_floor_exercises_leave_when_the_floor_is_unsafe(lib: Library) -> None:
    routine = lib.routines["strength"]
    result = tailor_routine(HealthProfile(cannot_use_floor=True), routine, lib)
    assert result.routine is not None
    kept = result.routine.exercise_ids()
    for ident in kept:
        ex = lib.exercises[ident]
        assert "floor" not in ex.tags or "bed_ok" in ex.tags
    assert "S3" not in kept  # kneeling on the floor
    left_out = [c for c in result.changes if c.kind.value == "left_out"]
    assert len(left_out) == len(lib.routines["strength"].items) - len(kept)


def test_recent_back_operation_locks_builtin_routines(lib: Library) -> None:
    profile = HealthProfile(back_operation_recent=True, back_operation_date=dt.date.today())
    result = tailor_routine(profile, lib.routines["chair-counter"], lib)
    assert result.routine is None
    assert result.changes
    allowed = tailor_routine(profile, lib.routines["chair-counter"], lib, from_clinician=True)
    assert allowed.routine is not None


def test_every_builtin_routine_keeps_something_for_a_chair_user(lib: Library) -> None:
    profile = HealthProfile(cannot_use_floor=True, fall_last_year=True)
    for routine in lib.routines.values():
        result = tailor_routine(profile, routine, lib)
        assert result.routine is not None, routine.id
        assert len(result.routine.items) >= 2, routine.id


def test_tailored_routine_never_contains_extension(lib: Library, tmp_path: Path) -> None:
    for routine in lib.routines.values():
        result = tailor_routine(HealthProfile(), routine, lib)
        assert result.routine is not None
        assert not any(lib.exercises[i].lumbar_extension for i in result.routine.exercise_ids())
