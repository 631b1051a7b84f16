"""The clinic's Patients page and one patient's history, on real widgets.

Two reports of one patient (tests/fixtures/home_scenario.py) are imported through the
page: one row, the trend in its cells, the selected patient's changes at home below;
"Open the history…" shows the charts across both reports and every change.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from coach.core.common.paths import Paths, resolve
from coach.ui import i18n
from coach.ui.clinic.patients_view import PatientListView

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))

from home_scenario import PATIENT, Scenario, make_scenario

TODAY = date(2026, 4, 20)  # a week after the plan's review date


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return make_scenario(tmp_path_factory.mktemp("home"))


@pytest.fixture
def clinic(tmp_path: Path) -> Paths:
    return resolve(tmp_path / "clinic")


def texts(widget: QWidget) -> str:
    QApplication.processEvents()
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def page(qtbot, clinic: Paths, lang: str = "en") -> PatientListView:  # type: ignore[no-untyped-def]
    view = PatientListView(clinic, None, lang, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


def cells(view: PatientListView, row: int) -> list[str]:
    return [view.table.item(row, c).text() for c in range(view.table.columnCount())]


def test_two_reports_are_one_row_with_the_trend(qtbot, scenario: Scenario, clinic: Paths) -> None:  # type: ignore[no-untyped-def]
    view = page(qtbot, clinic)
    assert view.table.rowCount() == 0 and view.note.isVisibleTo(view)
    for report in scenario.reports:
        assert view.import_file(report)
    assert view.table.rowCount() == 1
    row = cells(view, 0)
    assert row[0] == PATIENT
    assert row[1] == "2 Mar – 15 Mar 2026\n2 reports"
    assert row[2] == "25 % → 25 %\n6/24\ntime done 91 %"
    assert row[3] == "back 5 → 4.3\nleg 3 → 2.7"
    assert row[4] == "15 → 20 min\n+33 %"
    assert row[5] == "chair 9 → 12\nPSFS 3.5 → 5.5"
    assert row[6] == "1 stopped\n13 changed"
    assert row[7] == "⚠ overdue since 13 Apr"
    detail = texts(view)
    assert "⚠ Review overdue since 13 April 2026" in detail
    assert "Walk to the bakery: 3 → 6 (baseline 2 March 2026)" in detail
    # The latest changes under the list, the rest a click away.
    assert "12 March 2026 · Walking in stages with rest breaks: symptoms after 4:10" in detail
    assert "7 earlier changes: open the history." in detail


def test_the_history_shows_charts_and_every_change(
    qtbot, scenario: Scenario, clinic: Paths
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCharts import QChartView, QLineSeries

    view = page(qtbot, clinic)
    for report in scenario.reports:
        view.import_file(report)
    opener = view.findChild(QWidget, "open-patient")
    qtbot.mouseClick(opener, Qt.MouseButton.LeftButton)
    history = view.patient_view
    assert view.pages.currentWidget() is history
    charts = {c.objectName(): c for c in history.findChildren(QChartView)}
    assert set(charts) == {
        "patient-sessions-chart",
        "patient-pain-chart",
        "patient-walking-chart",
        "patient-measures-chart",
    }

    def points(name: str) -> list[list[tuple[float, float]]]:
        chart = charts[name].chart()
        return [
            [(p.x(), p.y()) for p in s.points()]
            for s in chart.series()
            if isinstance(s, QLineSeries)
        ]

    # Both reports on one time line from 2 March: the weeks of the first report come
    # from the newer one, once.
    assert points("patient-sessions-chart") == [[(0.0, 25.0), (7.0, 25.0)]]
    until, total = points("patient-walking-chart")
    assert until == [(0.0, pytest.approx(400 / 60)), (9.0, pytest.approx(520 / 60))]
    assert total == [(0.0, 15.0), (9.0, 20.0)]
    stands, psfs = points("patient-measures-chart")
    assert stands == [(0.0, 9.0), (11.0, 12.0)] and psfs == [(0.0, 3.5), (11.0, 5.5)]
    shown = texts(history)
    assert "2 reports · latest 2 March 2026 – 15 March 2026" in shown
    lines = [t for t in shown.splitlines() if t.startswith(("• ", "⚠ "))]
    assert sum(1 for t in lines if " March 2026 · " in t) >= 12
    assert (
        "⚠ 4 March 2026 · Walking in stages with rest breaks: stopped in walk 2 "
        "(The pain goes further down my leg than usual)" in lines
    )
    assert any("back to the earlier dose: walking stage 4:25 → 4:51" in t for t in lines)
    qtbot.mouseClick(history.back, Qt.MouseButton.LeftButton)
    assert view.pages.currentIndex() == 0


def test_in_german_at_large_text(qtbot, scenario: Scenario, clinic: Paths) -> None:  # type: ignore[no-untyped-def]
    from coach.ui import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language("de", clinic.assets)
    theme.apply(app, 200)
    try:
        view = page(qtbot, clinic, "de")
        for report in scenario.reports:
            view.import_file(report)
        header = [view.table.horizontalHeaderItem(c).text() for c in range(8)]
        assert header[0] == "Patient/in" and header[7] == "Kontrolle"
        row = cells(view, 0)
        assert row[3] == "Rücken 5 → 4,3\nBein 3 → 2,7"
        assert row[6] == "1 beendet\n13 Änderungen"
        view.open_patient(0)
        shown = texts(view.patient_view)
        assert "Änderungen zu Hause" in shown
        assert "4. März 2026 · Gehen in Etappen mit Entlastungspausen: leichter:" in shown
        # At large text one chart a row: each keeps the width for its dates.
        grid = view.patient_view.grid
        assert grid.columnCount() >= 1 and view.patient_view._columns == 1
    finally:
        i18n.set_language("en", clinic.assets)
        theme.apply(app, 125)


def test_an_older_report_is_marked_matched_by_name(
    qtbot, scenario: Scenario, clinic: Paths, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(scenario.reports[0].read_text(encoding="utf-8"))
    data["format_version"] = 1
    del data["changes_at_home"]
    data["patient"] = {"name": "Ben Becker"}
    old = tmp_path / "ben.coachreport"
    old.write_text(json.dumps(data), encoding="utf-8")
    view = page(qtbot, clinic)
    assert view.import_file(old)
    assert view.import_file(scenario.reports[1])
    names = [cells(view, r)[0] for r in range(view.table.rowCount())]
    # The newest report first.
    assert names == [PATIENT, "Ben Becker\n(matched by name)"]
    view.table.setCurrentCell(1, 0)
    assert "From an older Coach: what Coach changes in the plan now." in texts(view)
    view.open_patient(1)
    assert "they are put together by the name alone" in texts(view.patient_view)
