"""The printed progress report lists every change at home, in plain words, read back from the PDF."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from coach.core.content.library import Library
from coach.core.person.inputs import gather_from_folder
from coach.core.progress.history import History
from coach.sheets.pdf import write_report_pdf
from coach.sheets.progress_report import ReportData, collect_report

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))

from home_scenario import PATIENT, Scenario, make_scenario


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return make_scenario(tmp_path_factory.mktemp("home"))


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """Drawing needs a QGuiApplication (pytest-qt's QApplication)."""


def squash(text: str) -> str:
    return " ".join(text.split())


def pdf_text(scenario: Scenario, tmp_path: Path, lang: str, *, full: bool = True) -> str:
    home = scenario.home
    library = Library.load(home)
    inputs, _notes = gather_from_folder(home, library)
    with History(home.database) as history:
        facts = collect_report(
            history,
            library.routines,
            date(2026, 3, 2),
            date(2026, 3, 15),
            datetime(2026, 3, 15, 20, tzinfo=UTC),
            tz=UTC,
            exercises=library.exercises if full else None,
            inputs=inputs if full else None,
        )
    report = ReportData(facts, library.routines, lang, patient=PATIENT, created=date(2026, 3, 15))
    path = tmp_path / f"report-{lang}.pdf"
    pages = write_report_pdf(path, report)
    reader = PdfReader(path)
    assert len(reader.pages) == pages
    return squash(" ".join(p.extract_text() for p in reader.pages))


def test_the_changes_read_back_in_english(scenario: Scenario, tmp_path: Path) -> None:
    text = pdf_text(scenario, tmp_path, "en")
    assert "Changes at home" in text
    for words in (
        "3 March 2026: One knee to the chest: left out: Hip replacement, left",
        "4 March 2026: Walking in stages with rest breaks: stopped in walk 2 "
        "(The pain goes further down my leg than usual)",
        "4 March 2026: Walking in stages with rest breaks: easier: walking stage 5:20 → 4:51",
        "9 March 2026: Walking in stages with rest breaks: easier: walking stage 4:51 → 4:25 "
        "(Coach, at once:",
        "10 March 2026: Walking in stages with rest breaks: back to the earlier dose",
        "walking stages of 4:51 instead of 5:20 until then (73 % of the walking test of 6:40)",
        "12 March 2026: Walking in stages with rest breaks: symptoms after 4:10 of walk 3",
    ):
        assert words in text, words


def test_the_changes_read_back_in_german(scenario: Scenario, tmp_path: Path) -> None:
    text = pdf_text(scenario, tmp_path, "de")
    assert "Änderungen zu Hause" in text
    for words in (
        "3. März 2026: Ein Knie zur Brust: weggelassen: Künstliches Hüftgelenk, links",
        "4. März 2026: Gehen in Etappen mit Entlastungspausen: beendet bei Gehstrecke 2",
        "leichter: Gehstrecke 5:20 → 4:51",
        "zurück zur früheren Dosis: Gehstrecke 4:25 → 4:51",
        "Beschwerden nach 3:20 in Gehstrecke 2 (4:51 geplant)",
    ):
        assert words in text, words


def test_without_the_health_answers_the_rest_is_still_there(
    scenario: Scenario, tmp_path: Path
) -> None:
    """The callers that pass neither exercises nor answers still print the dated list."""
    text = pdf_text(scenario, tmp_path, "en", full=False)
    assert "left out" not in text
    assert "A3: easier: walking stage 5:20 → 4:51" in text
    assert "A3: stopped in walk 2" in text
