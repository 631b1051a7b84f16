"""A walk's dose box on the printed sheet says the whole walk, as the player plays it:
where (a level treadmill), up to how long, that it ends at the first symptoms, and
whether the breaks are seated or standing. Real PDFs, read back with pdftotext."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import subprocess
from pathlib import Path

import pytest

from coach.core.common.paths import resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine, RoutineItem, Text, Walk, WalkKind
from coach.sheets.pdf import write_routine_pdf
from coach.sheets.routine_sheet import SheetData

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

TREADMILL = Walk(
    kind=WalkKind.TREADMILL_LEVEL,
    bouts=1,
    bout_s=2700,
    max_s=2700,
    from_walking_test=None,
    stop_at_first_symptoms=True,
)
STAGES = Walk(bouts=4, bout_s=360, break_s=120, from_walking_test=None, break_exercise="C2")

EXPECTED = {
    "treadmill": {
        "en": [
            "1 walk",
            "up to 45 minutes each walk",
            "1 walk, on a treadmill with no slope, up to 45 minutes, ending at the first symptoms.",
        ],
        "de": [
            "1 Gehphase",
            "bis zu 45 Minuten je Gehphase",
            "1 Gehphase, auf dem Laufband ohne Steigung, bis zu 45 Minuten, "
            "Ende bei den ersten Beschwerden.",
        ],
    },
    "stages": {
        "en": [
            "4 walks",
            "6 minutes each walk",
            "2 minutes rest after each walk",
            "4 walks with rests in between, 6 minutes, rest sitting, leaning forward.",
        ],
        "de": [
            "4 Gehphasen",
            "6 Minuten je Gehphase",
            "2 Minuten Pause nach jeder Gehphase",
            "4 Gehphasen mit Pausen dazwischen, 6 Minuten, Pause im Sitzen, nach vorne gebeugt.",
        ],
    },
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Library:
    return Library.load(resolve(tmp_path_factory.mktemp("walks") / "data"), include_user=False)


def sheet_text(library: Library, walk: Walk, lang: str, folder: Path) -> str:
    routine = Routine(
        id="walk-test",
        title=Text.of("A walk", "Ein Gang"),
        description=Text.of("For the test.", "Für den Test."),
        items=[RoutineItem(exercise="A3", walk=walk)],
    )
    path = folder / f"walk-{lang}.pdf"
    write_routine_pdf(path, SheetData(routine, library, lang), "a4")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return " ".join(out.split())


def in_order(text: str, phrases: list[str]) -> None:
    at = 0
    for phrase in phrases:
        found = text.find(phrase, at)
        assert found >= 0, f"not on the sheet (after position {at}): {phrase!r}"
        at = found + len(phrase)


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize(("name", "walk"), [("treadmill", TREADMILL), ("stages", STAGES)])
def test_the_dose_box_prints_the_whole_walk(  # type: ignore[no-untyped-def]
    library: Library, tmp_path: Path, lang: str, name: str, walk: Walk
) -> None:
    text = sheet_text(library, walk, lang, tmp_path)
    in_order(text, EXPECTED[name][lang])
    if name == "treadmill":
        # One walk that ends at the first symptoms has no rest after it to print.
        assert "rest after each walk" not in text and "Pause nach jeder Gehphase" not in text
    else:
        assert "treadmill" not in text and "Laufband" not in text.split("Ausgangsstellung")[0]
