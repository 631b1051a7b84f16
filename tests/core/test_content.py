"""The built-in content: complete, bilingual, safe, and the right length."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.library import Library
from coach.core.model import Text
from coach.core.paths import resolve
from coach.core.plan import build_plan
from coach.core.records import Record

EXPECTED = (
    [f"P{n}" for n in range(1, 5)]
    + [f"S{n}" for n in range(1, 11)]
    + [f"T{n}" for n in range(1, 9)]
    + [f"C{n}" for n in range(1, 8)]
    + [f"B{n}" for n in range(1, 5)]
    + [f"A{n}" for n in range(1, 5)]
    + ["R1", "R2"]
)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return Library.load(resolve(tmp_path_factory.mktemp("data")))


def test_builtin_content_loads_without_problems(lib: Library) -> None:
    assert [str(p) for p in lib.problems] == []


def test_every_catalogue_exercise_is_there(lib: Library) -> None:
    assert len(EXPECTED) == 39
    assert sorted(set(EXPECTED) - set(lib.exercises)) == []


def test_extension_exercises_are_flagged_and_never_in_a_routine(lib: Library) -> None:
    extension = {e.id for e in lib.exercises.values() if e.lumbar_extension}
    assert len(extension) >= 3
    assert not extension & set(EXPECTED)
    for routine in lib.routines.values():
        assert not extension & set(routine.exercise_ids()), routine.id


def _texts(value: object, where: str = "") -> list[tuple[str, Text]]:
    found: list[tuple[str, Text]] = []
    if isinstance(value, Text):
        found.append((where, value))
    elif isinstance(value, Record):
        for name in value.__struct_fields__:
            found += _texts(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            found += _texts(item, f"{where}[{n}]")
    return found


def test_every_text_has_english_and_german(lib: Library) -> None:
    missing = []
    for doc in [*lib.exercises.values(), *lib.routines.values()]:
        texts = _texts(doc, doc.id)
        assert texts
        missing += [where for where, text in texts if not (text.has("en") and text.has("de"))]
    assert missing == []


def test_every_exercise_is_complete(lib: Library) -> None:
    for ex in lib.exercises.values():
        assert 3 <= len(ex.steps) <= 6, ex.id
        assert ex.mistakes and ex.cautions, ex.id
        assert ex.easier is not None and ex.harder is not None, ex.id
        assert ex.tags or ex.category.value == "aerobic", ex.id
        if ex.dosage.hold_s:
            assert ex.breathing is not None, ex.id


def test_bone_safe_variants_where_the_profile_needs_them(lib: Library) -> None:
    for ident in ("S2", "S4", "S8"):
        assert lib.exercises[ident].bone_safe is not None, ident


def test_avoid_pictures(lib: Library) -> None:
    with_avoid = [e.id for e in lib.exercises.values() if e.illustrations.avoid]
    assert len(with_avoid) >= 3
    for ident in with_avoid:
        assert lib.illustration(ident, "avoid") is not None


@pytest.mark.parametrize(
    "routine_id",
    [
        "daily-relief",
        "strength",
        "chair-counter",
        "balance-legs",
        "posture-daily",
        "walking",
        "gentle-day",
    ],
)
def test_builtin_routine_shape_and_length(lib: Library, routine_id: str) -> None:
    routine = lib.routines[routine_id]
    assert 4 <= len(routine.items) <= 6
    minutes = build_plan(routine, lib.exercises).total_seconds / 60
    assert 8 <= minutes <= 30, f"{routine_id}: {minutes:.1f} min"


def test_walking_program_follows_the_walking_test(lib: Library) -> None:
    routine = lib.routines["walking"]
    short = build_plan(routine, lib.exercises, walking_test_s=300).total_seconds
    long = build_plan(routine, lib.exercises, walking_test_s=600).total_seconds
    # Three bouts at 80 % of the time to first symptoms.
    assert long - short == pytest.approx(3 * 0.8 * 300)


def test_files_name_their_schema(repo: Path) -> None:
    for path in (repo / "routines").glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema="), path


def test_committed_schema_matches_the_model(repo: Path) -> None:
    from coach.core.schema import schema_text

    for kind in ("exercise", "routine"):
        committed = (repo / "docs" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(kind), f"run `coach schema` ({kind})"


@pytest.mark.parametrize(
    "routine_id",
    [
        "daily-relief",
        "strength",
        "chair-counter",
        "balance-legs",
        "posture-daily",
        "walking",
        "gentle-day",
    ],
)
def test_builtin_routine_runs_to_the_end_with_only_start(lib: Library, routine_id: str) -> None:
    from coach.core.session import SessionRunner, State

    plan = build_plan(lib.routines[routine_id], lib.exercises)
    now = [0.0]
    runner = SessionRunner(plan, clock=lambda: now[0])
    runner.start()
    # The runner asks to be woken every second (for the countdown) or at a step end.
    for _ in range(int(plan.total_seconds) + len(plan.steps) + 5):
        deadline = runner.next_deadline()
        if deadline is None:
            break
        now[0] = deadline
        runner.update()
    assert runner.state is State.FINISHED, (routine_id, runner.state, runner.current_step)
    assert now[0] == pytest.approx(plan.total_seconds, abs=1.0)
