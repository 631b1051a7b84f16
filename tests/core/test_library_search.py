"""Searching the library: the exercises named by the words come first, then tags and
category, then those whose summary mentions them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import (
    FACTS,
    SUMMARY,
    TITLE,
    TITLE_START,
    TITLE_WORD,
    Library,
    search_rank,
)

_LIB: list[Library] = []


@pytest.fixture
def library(tmp_path: Path) -> Library:
    if not _LIB:
        _LIB.append(Library.load(resolve(tmp_path / "data"), include_user=False))
    return _LIB[0]


# (typed, language, the first hits in this order, hits that must come later or not at all)
FIRST: list[tuple[str, str, list[str], list[str]]] = [
    # The walking exercises by title, before the bike (category "walking and
    # cycling") and before exercises whose summary mentions walking.
    ("walk", "en", ["A3", "A2", "A1", "A4"], ["B4", "C5", "S9"]),
    ("Walk", "en", ["A3", "A2"], []),
    ("walking", "en", ["A3", "A2"], []),
    ("geh", "de", ["A2", "A3", "C7"], ["B4"]),
    ("pelvic tilt lying", "en", ["P1"], []),
    ("pelvic   tilt", "en", ["C1", "P1", "P2", "P3"], ["T8"]),
    ("standing", "en", ["B1", "B3", "P2", "P4"], ["A3"]),
    ("im sitzen", "de", ["C2", "C1", "C3", "C4", "P2", "S4"], ["A1"]),
    ("balance", "en", ["B1", "B2", "B3", "B4"], []),
    ("gleichgewicht", "de", ["B1", "B2", "B3", "B4"], []),
    ("a3", "en", ["A3"], []),
]


@pytest.mark.parametrize(("typed", "lang", "first", "later"), FIRST)
def test_best_hits_first(
    library: Library, typed: str, lang: str, first: list[str], later: list[str]
) -> None:
    hits = [ex.id for ex in library.search(typed, lang)]
    assert hits[: len(first)] == first, hits
    for ident in later:
        assert ident not in hits[: len(first)], hits


# (exercise, typed, language, rank)
RANKS: list[tuple[str, str, str, int | None]] = [
    ("A3", "walk", "en", TITLE_START),  # Walking in stages ...
    ("A2", "walk", "en", TITLE_WORD),  # Uphill walking ...
    ("A1", "walk", "en", FACTS),  # Exercise bike: "Walking and cycling"
    ("B4", "walk", "en", SUMMARY),  # mentions walking in its summary
    ("P1", "walk", "en", None),
    ("S10", "round", "en", TITLE_WORD),  # Cat stretch (rounding only)
    ("A3", "alk", "en", TITLE),  # inside a word of the title
    ("S10", "kneeling", "en", FACTS),  # a tag
    ("P1", "posture", "en", FACTS),  # its category
    ("P1", "haltung", "de", FACTS),  # its category, in German
    ("P1", "p1", "en", TITLE_START),  # its id, exactly
]


@pytest.mark.parametrize(("ident", "typed", "lang", "rank"), RANKS)
def test_where_a_word_is_found(
    library: Library, ident: str, typed: str, lang: str, rank: int | None
) -> None:
    assert search_rank(library.exercises[ident], typed, lang) == rank


def test_nothing_typed_finds_nothing_and_back_arching_ones_only_when_asked(
    library: Library,
) -> None:
    assert library.search("   ") == []
    assert "X2" not in [ex.id for ex in library.search("back-bend")]
    assert [ex.id for ex in library.search("back-bend", include_extension=True)] == ["X2"]
    assert "U1" not in [ex.id for ex in library.search("getting up")]  # the plan adds it
