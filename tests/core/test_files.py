"""The YAML reader and the model, without the command line around them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.content.files import FileProblems, load_document, save_document
from coach.core.content.model import Dosage, DosageOverride, Routine, Side, Text


def test_text_falls_back_to_english() -> None:
    text = Text.of("Hold", "Halten")
    assert text.get("de") == "Halten"
    assert Text.of("Hold").get("de") == "Hold"


def test_item_override_keeps_the_rest_of_the_default() -> None:
    base = Dosage(side=Side.BOTH, sets=2, reps=10, hold_s=5)
    changed = DosageOverride(reps=6).apply_to(base)
    assert (changed.side, changed.sets, changed.reps, changed.hold_s) == (Side.BOTH, 2, 6, 5)


def test_round_trip_is_identical(tmp_path: Path, repo: Path) -> None:
    original = load_document(repo / "routines" / "daily-relief.yaml").document
    path = tmp_path / "copy.yaml"
    save_document(original, path)
    again = load_document(path).document
    assert isinstance(again, Routine)
    assert again == original


def test_problem_points_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "format_version: 1\nkind: routine\nid: r\ntitle: {en: R}\ndescription: {en: D}\n"
        "items:\n  - exercise: P1\n    sets: 99\n",
        encoding="utf-8",
    )
    with pytest.raises(FileProblems) as info:
        load_document(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.field) == (8, 11, "items[0].sets")


def test_recursive_alias_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("a: &a [*a]\n", encoding="utf-8")
    with pytest.raises(FileProblems):
        load_document(path)


def test_a_loaded_library_still_points_at_lines_after_dropping_its_trees(
    tmp_path: Path, repo: Path
) -> None:
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library

    lib = Library.load(resolve(tmp_path / "data"))
    loaded = lib.sources[("routine", "daily-relief")]
    assert loaded.root is None  # the parse trees are not kept in memory
    fresh = load_document(repo / "routines" / "daily-relief.yaml")
    where = ("items", 2, "exercise")
    assert fresh.locate(*where)[0] > 10
    assert loaded.problem(where, "x").line == fresh.locate(*where)[0]


def test_a_picture_name_over_the_system_limit_is_no_picture(tmp_path: Path) -> None:
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library

    lib = Library.load(resolve(tmp_path / "data"))
    source = tmp_path / "clinic" / "E1.yaml"
    source.parent.mkdir()
    # ENAMETOOLONG from the file system used to escape and stop the window loading.
    assert lib.resolve_illustration(source, "x" * 300 + ".png") is None
    assert lib.resolve_illustration(source, "a/" * 3000 + "b.png") is None
    picture = source.parent / "mine.png"
    picture.write_bytes(b"\x89PNG")
    assert lib.resolve_illustration(source, "mine.png") == picture.resolve()
