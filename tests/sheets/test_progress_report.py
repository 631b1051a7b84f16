"""The progress report for the physiotherapist, from a real store, read back from the PDF."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.content.model import Text
from coach.core.progress.history import History
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult
from coach.sheets.pdf import write_report_pdf
from coach.sheets.progress_report import ReportData, collect_report

TODAY = date(2026, 3, 12)
NOW = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
SINCE = TODAY - timedelta(days=41)
PATIENT = "Łukasz Żółć-Müller"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """Drawing needs a QGuiApplication (pytest-qt's QApplication)."""


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    return resolve(data_dir)


@pytest.fixture
def library(paths: Paths) -> Library:
    return Library.load(paths, include_user=False)


@pytest.fixture
def store_path(paths: Paths) -> Path:
    """Six weeks of sessions, pain, walking tests, measures, two stops and two notes."""
    paths.ensure_data_dir()
    now = [NOW]
    with Store.open(paths.database, clock=lambda: now[0]) as store:
        store.set_json("plan_routines", ["daily-relief"])
        for k in range(42):
            day = SINCE + timedelta(days=k)
            base = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            if k % 5 != 4:  # one day in five missed
                now[0] = base
                pain = 6 - k // 10
                sid = store.start_session(
                    "daily-relief",
                    Text.of("Daily relief"),
                    pain_before_back=pain,
                    pain_before_leg=pain - 1,
                )
                step = Step(0, Phase.HOLD, 60, "P1", 0, Text.of("Hold"), set_no=1, rep_no=1)
                store.record_step(sid, StepResult(step, 60, Outcome.COMPLETED))
                if k == 10:
                    store.end_session(
                        sid,
                        SessionOutcome.STOPPED,
                        stop_reason="pain_spreading_leg",
                        stop_note="after the stairs",
                    )
                else:
                    store.end_session(sid, SessionOutcome.COMPLETED)
            if k % 14 == 3:
                store.add_measure(
                    MeasureKind.WALKING_TEST,
                    {"first_symptoms_s": 300 + 20 * k, "total_s": 600 + 30 * k},
                    taken=base + timedelta(hours=5),
                )
        store.add_measure(MeasureKind.CHAIR_STAND, {"count": 9}, taken=NOW - timedelta(days=40))
        store.add_measure(MeasureKind.CHAIR_STAND, {"count": 12}, taken=NOW - timedelta(days=1))
        store.add_measure(
            MeasureKind.CLINICIAN_SCORE,
            {"instrument": "ODI", "score": 38},
            taken=NOW - timedelta(days=30),
        )
        store.add_note("Walked to the market and back without a break!", taken=NOW)
        store.add_note("Zu alt für den Bericht", taken=NOW - timedelta(days=90))
    return paths.database


def report_for(store_path: Path, library: Library, lang: str) -> ReportData:
    with History(store_path) as history:
        facts = collect_report(history, library.routines, SINCE, TODAY, NOW)
    return ReportData(
        facts, library.routines, lang, patient=PATIENT, clinician="Anna Schmidt", created=TODAY
    )


def test_facts_cover_the_period(store_path: Path, library: Library) -> None:
    facts = report_for(store_path, library, "en").facts
    assert facts.since == SINCE and facts.until == TODAY
    assert [r.id for r in facts.plan] == ["daily-relief"]
    assert len(facts.weeks) == 7  # the period touches seven ISO weeks
    assert facts.sessions_done == sum(1 for k in range(42) if k % 5 != 4)
    assert facts.sessions_stopped == 1
    assert [s.reason for s in facts.stops] == ["pain_spreading_leg"]
    assert [n.text for n in facts.notes] == ["Walked to the market and back without a break!"]
    assert len(facts.walking) == 3
    assert {s.label for s in facts.measures} == {"chair_stand", "clinician_score:ODI"}


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_report_pdf_reads_back(
    store_path: Path, library: Library, tmp_path: Path, lang: str, paper: str
) -> None:
    report = report_for(store_path, library, lang)
    path = tmp_path / "report.pdf"
    pages = write_report_pdf(path, report, paper)
    reader = PdfReader(path)
    assert 1 <= len(reader.pages) == pages <= 2
    text = squash(" ".join(p.extract_text() for p in reader.pages))
    assert PATIENT in text and "Anna Schmidt" in text
    words = {
        "en": ["Sessions done per week", "Pain at rest", "Walking test", "Measures", "ODI"],
        "de": ["Geübte Einheiten pro Woche", "Schmerz in Ruhe", "Gehtest", "Messungen", "ODI"],
    }[lang]
    for word in words:
        assert word in text, word
    reason = {"en": "The pain goes further down my leg than usual", "de": "weiter ins Bein"}
    assert reason[lang] in text
    assert "after the stairs" in text
    assert "Walked to the market" in text
    assert "Zu alt für den Bericht" not in text
    assert {"en": "12 stands", "de": "12-mal"}[lang] in text
    # The charts are vector lines: many path segments, no images.
    content = "".join(p.get_contents().get_data().decode("latin-1") for p in reader.pages)
    assert content.count(" l\n") > 40
    for page in reader.pages:
        resources = page["/Resources"]
        xobjects = dict(resources["/XObject"]) if "/XObject" in resources else {}
        assert all(x.get_object()["/Subtype"] != "/Image" for x in xobjects.values())


def test_empty_history_still_makes_a_report(paths: Paths, library: Library, tmp_path: Path) -> None:
    paths.ensure_data_dir()
    with Store.open(paths.database) as _store:
        pass
    with History(paths.database) as history:
        facts = collect_report(history, library.routines, SINCE, TODAY, NOW)
    report = ReportData(facts, library.routines, "en", created=TODAY)
    pages = write_report_pdf(tmp_path / "empty.pdf", report)
    text = squash(PdfReader(tmp_path / "empty.pdf").pages[0].extract_text())
    assert pages == 1
    assert "No walking test in this period." in text
    assert "No pain ratings in this period." in text


def test_period_must_not_end_before_it_starts(store_path: Path, library: Library) -> None:
    with History(store_path) as history, pytest.raises(ValueError):
        collect_report(history, library.routines, TODAY, SINCE, NOW)
