"""The built-in content: complete, bilingual, safe, and the right length."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Text
from coach.core.content.records import Record
from coach.core.session.plan import build_plan

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
    from coach.core.content.schema import schema_text

    for kind in ("exercise", "routine"):
        committed = (repo / "docs" / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert committed == schema_text(kind), f"run `coach schema` ({kind})"


def _descriptions(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k == "description" and isinstance(v, str)]
        return found + [d for v in node.values() for d in _descriptions(v)]
    if isinstance(node, list):
        return [d for v in node for d in _descriptions(v)]
    return []


def test_schema_descriptions_do_not_carry_docstring_indentation() -> None:
    # msgspec 0.23 stopped dedenting docstrings; the schema must not depend on it.
    from coach.core.content.schema import schema_for

    texts = _descriptions(schema_for("exercise")) + _descriptions(schema_for("routine"))
    assert any("\n" in t for t in texts), "expected multi-line docstrings"
    for text in texts:
        assert not any(line.startswith(" ") for line in text.splitlines()), text


def test_install_commands_use_the_committed_constraints(repo: Path) -> None:
    import re

    readme = (repo / "README.md").read_text(encoding="utf-8")
    ci = (repo / ".ci" / "run").read_text(encoding="utf-8")
    pins = (repo / "constraints.txt").read_text(encoding="utf-8")
    for name in ("PySide6_Essentials", "PySide6_Addons", "msgspec", "PyYAML", "pytest-qt"):
        assert re.search(rf"^{name}==\S+$", pins, re.M | re.I), name
    # The Python 3.11 limit holds in the lock too.
    essentials = re.search(r"^PySide6_Essentials==6\.(\d+)", pins, re.M | re.I)
    assert essentials and int(essentials.group(1)) < 12
    for command in re.findall(r"^python3 -m venv .*$", readme, re.M):
        assert "-c constraints.txt" in command, command
    assert "-c constraints.txt -e '.[test]'" in ci


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
    from coach.core.session.runner import SessionRunner, State

    plan = build_plan(lib.routines[routine_id], lib.exercises)
    now = [0.0]
    runner = SessionRunner(plan, clock=lambda: now[0])
    runner.start()
    # The runner asks to be woken every second (for the countdown) or at a step end.
    for _ in range(int(plan.total_seconds) + len(plan.steps) + 5):
        if runner.asking_settled:
            runner.settled()  # a walking break goes on only on the person's word
        deadline = runner.next_deadline()
        if deadline is None:
            break
        now[0] = deadline
        runner.update()
    assert runner.state is State.FINISHED, (routine_id, runner.state, runner.current_step)
    assert now[0] == pytest.approx(plan.total_seconds, abs=1.0)
