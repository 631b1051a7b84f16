"""The History page and the progression banner, on real stores and real widgets."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.core.content.model import Text
from coach.core.progress import progression, stats
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.plan import Phase, Step
from coach.core.session.runner import Outcome, StepResult
from coach.ui.progress.history_view import HistoryView
from coach.ui.progress.marks import DayCell
from coach.ui.progress.progression_banner import ProgressionBanner

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)  # Thursday, 18:00 in Berlin


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=BERLIN).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(paths: Paths, clock: Clock) -> Iterator[Store]:
    paths.ensure_data_dir()
    with Store.open(paths.database, clock=clock) as opened:
        yield opened


def add_session(
    store: Store,
    clock: Clock,
    when: datetime,
    routine_id: str = "daily-relief",
    *,
    seconds: float = 600.0,
    before: tuple[int, int] = (4, 6),
    after: tuple[int, int] = (4, 6),
    outcome: SessionOutcome = SessionOutcome.COMPLETED,
) -> int:
    clock.now = when
    sid = store.start_session(
        routine_id, routine_id, pain_before_back=before[0], pain_before_leg=before[1]
    )
    step = Step(0, Phase.TIMED, seconds, "R1", 0, Text.of("Breathe"))
    store.record_step(sid, StepResult(step, seconds, Outcome.COMPLETED))
    store.end_session(sid, outcome)
    store.set_pain_after(sid, back=after[0], leg=after[1])
    clock.now = NOW
    return sid


def texts(widget: QWidget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel)]


def make_view(qtbot, store: Store | None, library: Library) -> HistoryView:  # type: ignore[no-untyped-def]
    view = HistoryView(store, library, "en", now=lambda: NOW, tz=BERLIN)
    qtbot.addWidget(view)
    view.resize(1050, 800)
    view.show()
    return view


@pytest.fixture
def week_of_use(store: Store, clock: Clock) -> Store:
    """Mon 9 to Thu 12 March: daily relief every day but Tuesday, walking on Wednesday."""
    add_session(store, clock, at(9), before=(5, 7))
    add_session(store, clock, at(11), before=(4, 6))
    add_session(store, clock, at(11, 15), "walking", seconds=900.0, before=(4, 5))
    add_session(store, clock, at(12), before=(3, 4))
    store.add_activity("cycling", 20, feeling="better", taken=at(10, 16))
    store.add_measure(
        MeasureKind.WALKING_TEST, {"first_symptoms_s": 240, "total_s": 480}, taken=at(9, 17)
    )
    return store


def test_a_week_of_use_shows_the_right_numbers(qtbot, week_of_use: Store, library: Library) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, week_of_use, library)
    ov = view.overview
    assert ov is not None
    assert [r.id for r in ov.plan] == ["daily-relief"]  # walking: only one day so far
    assert view.findChild(QLabel, "streak-number").text() == "2"  # Wed, Thu (Tue missed)
    # 10 + 10 + 15 + 10 minutes of sessions and 20 of cycling.
    assert view.findChild(QLabel, "minutes-number").text() == "65"
    assert view.findChild(QLabel, "sessions-number").text() == "4"
    assert "of 7 planned sessions done this week" in texts(view.findChild(QWidget, "sessions"))
    caption = view.findChild(QLabel, "week-2026-03-09")
    assert caption.text() == (
        "Week of 9 Mar: 4 of 7 planned sessions · 45 of 45 planned minutes done"
    )
    cells = {c.status.day: c for c in view.findChildren(DayCell)}
    M = stats.DayMark
    assert cells[date(2026, 3, 9)].status.mark is M.DONE
    assert cells[date(2026, 3, 10)].status.mark is M.MISSED
    assert cells[date(2026, 3, 11)].status.mark is M.DONE
    assert cells[date(2026, 3, 12)].status.mark is M.DONE
    assert cells[date(2026, 3, 13)].status.mark is M.TO_COME
    assert cells[date(2026, 3, 2)].status.mark is M.BEFORE_START
    assert cells[date(2026, 3, 10)].accessibleName() == "Tuesday 10 Mar: planned, not done"
    assert (
        cells[date(2026, 3, 11)].accessibleName()
        == "Wednesday 11 Mar: done, 2 sessions (1 planned)"
    )
    # Today is marked in words, not only by the frame.
    assert cells[date(2026, 3, 12)].text == "Today"


def test_pain_and_walking_charts_hold_the_data(qtbot, week_of_use: Store, library: Library) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCharts import QChartView, QLineSeries

    view = make_view(qtbot, week_of_use, library)
    pain = view.findChild(QChartView, "pain-chart")
    assert pain is not None
    back, leg = pain.chart().series()
    assert isinstance(back, QLineSeries) and isinstance(leg, QLineSeries)
    # Two lines that differ in dash pattern, not only in colour.
    assert back.pen().style() == Qt.PenStyle.SolidLine
    assert leg.pen().style() == Qt.PenStyle.DashLine
    # The chart starts 13 days before today (27 Feb): x counts days from there.
    assert [(p.x(), p.y()) for p in back.points()] == [(10.0, 5.0), (12.0, 4.0), (13.0, 3.0)]
    assert [(p.x(), p.y()) for p in leg.points()] == [(10.0, 7.0), (12.0, 5.5), (13.0, 4.0)]
    assert pain.accessibleName() == "Pain chart. Latest: back 3, leg 4 out of 10."
    legend = texts(view.findChild(QWidget, "pain"))
    assert "Back pain\n(solid line, circles)" in legend
    assert "Leg pain\n(dashed line, squares)" in legend

    walking = view.findChild(QChartView, "walking-chart")
    first, total = walking.chart().series()
    assert [(p.x(), p.y()) for p in first.points()] == [(10.0, 4.0)]
    assert [(p.x(), p.y()) for p in total.points()] == [(10.0, 8.0)]
    assert "Walking test on 9 Mar: symptoms after 4 min, 8 min in total." in texts(
        view.findChild(QWidget, "walking")
    )


def test_the_summary_compares_with_the_first_week(
    qtbot, store: Store, clock: Clock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    store.add_measure(MeasureKind.WALKING_TEST, {"total_s": 360}, taken=at(1) - timedelta(days=14))
    store.add_measure(MeasureKind.WALKING_TEST, {"total_s": 720}, taken=at(10))
    view = make_view(qtbot, store, library)
    summary = texts(view.findChild(QWidget, "summary"))
    assert summary == [
        "What has changed",
        "•  You walked 6 minutes longer than in your first week (12 minutes instead of 6 minutes).",
    ]


def test_an_empty_store_explains_instead_of_showing_empty_charts(
    qtbot, store: Store, library: Library
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCharts import QChartView

    view = make_view(qtbot, store, library)
    assert view.findChildren(QChartView) == []
    shown = "\n".join(texts(view))
    assert "No pain scores yet." in shown
    assert "No walking test yet." in shown
    assert "Keep going" in shown
    assert view.findChild(QLabel, "streak-number").text() == "0"


def test_without_a_store_the_page_says_so(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, None, library)
    assert (
        view.findChild(QLabel, "history-problem")
        .text()
        .startswith("Your progress file could not be opened")
    )


def test_refresh_shows_a_new_session(
    qtbot, week_of_use: Store, clock: Clock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot, week_of_use, library)
    add_session(week_of_use, clock, at(12, 16), "walking")
    view.refresh()
    assert view.findChild(QLabel, "sessions-number").text() == "5"


def test_the_view_reads_at_the_largest_text_size(
    qtbot, week_of_use: Store, library: Library
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from coach.ui import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, 200)
    try:
        view = make_view(qtbot, week_of_use, library)
        view.resize(820, 800)  # a 1280-wide window with the navigation at 200 %
        qtbot.waitExposed(view)
        # Nothing wider than the window: no sideways scrolling.
        assert view.body.minimumSizeHint().width() <= view.scroller.viewport().width()
        assert view.findChild(QLabel, "streak-number").font().pointSizeF() >= 13 * 2
    finally:
        theme.apply(app, 125)


def test_importing_the_view_does_not_load_qtcharts(repo: Path) -> None:
    code = (
        "import sys, coach.ui.progress.history_view, coach.ui.progress.measures_view, coach.ui.settings.data_view,"
        " coach.ui.progress.activity_view, coach.ui.progress.progression_banner\n"
        "print('PySide6.QtCharts' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# --------------------------------------------------------------------------
# The banner
# --------------------------------------------------------------------------


_PAGES: list[QWidget] = []


def banner(qtbot, store: Store, library: Library, now: datetime) -> ProgressionBanner:  # type: ignore[no-untyped-def]
    # As on the home page: inside a shown parent, so its own hide() sticks.
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    widget = ProgressionBanner(store, library, "en", now=lambda: now, tz=BERLIN)
    layout.addWidget(widget)
    page.show()
    _PAGES.append(page)  # keep the parent alive for the test
    return widget


def test_banner_asks_about_the_morning_then_offers_a_step_up(
    qtbot, store: Store, clock: Clock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    for day in (9, 10, 11):
        add_session(store, clock, at(day), before=(3, 3), after=(4, 4))
    widget = banner(qtbot, store, library, at(12, 8))
    assert widget.isVisible()
    assert widget.question_session is not None
    with qtbot.waitSignal(widget.answered) as answered:
        qtbot.mouseClick(widget.findChild(QPushButton, "next-day-usual"), Qt.MouseButton.LeftButton)
    assert answered.args == ["usual"]
    [morning] = store.measures(progression.NEXT_DAY_KIND)
    assert morning.value["compared"] == "usual"
    # Now the suggestion: daily relief's first item, one thing.
    assert widget.suggestion is not None
    assert (
        widget.findChild(QLabel, "progression-text")
        .text()
        .endswith("hold 25 seconds instead of 20.")
    )
    with qtbot.waitSignal(widget.decided) as decided:
        qtbot.mouseClick(
            widget.findChild(QPushButton, "progression-yes"), Qt.MouseButton.LeftButton
        )
    assert decided.args == [True]
    assert store.get_json(stats.DOSE_CHANGES_KEY)["daily-relief"]["0"]["hold_s"] == 25.0
    assert widget.isHidden()  # nothing more to ask


def test_banner_worse_morning_makes_it_easier_at_once(
    qtbot, store: Store, clock: Clock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    add_session(store, clock, at(11), "walking", before=(2, 2), after=(2, 2))
    widget = banner(qtbot, store, library, at(12, 8))
    qtbot.mouseClick(widget.findChild(QPushButton, "next-day-worse"), Qt.MouseButton.LeftButton)
    # No suggestion to decline (CONTENT section 4): the step is taken and said.
    assert widget.suggestion is None
    assert widget.findChild(QPushButton, "progression-no") is None
    [decision] = store.measures(progression.PROGRESSION_KIND)
    assert decision.value["accepted"] is True and decision.value["direction"] == "down"
    assert decision.value["reason"] == "worse_next_day"
    assert store.get_json(stats.DOSE_CHANGES_KEY)["walking"]["2"]["walk"]["bout_s"] == 275
    qtbot.mouseClick(widget.findChild(QPushButton, "easier-ok"), Qt.MouseButton.LeftButton)
    assert widget.isHidden()


def test_banner_is_hidden_without_anything_to_say(qtbot, store: Store, library: Library) -> None:  # type: ignore[no-untyped-def]
    widget = banner(qtbot, store, library, NOW)
    assert widget.isHidden()
