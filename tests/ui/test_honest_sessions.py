"""Honest adherence on the real pages: a real plan from the clinic, sessions played
through the real runner into a real SQLite file, the real report read back at the
clinic, and the real session flow asking the pain after a stop."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from coach.core.clinic.report import read_report_bytes
from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.progress import progression
from coach.core.progress.store import Store
from coach.core.session.plan import Phase
from coach.core.session.profile import HealthProfile
from coach.ui import i18n
from coach.ui.clinic.patients_view import PatientListView
from coach.ui.main_window import MainWindow
from coach.ui.progress.history_view import HistoryView
from coach.ui.progress.progression_banner import ProgressionBanner
from coach.ui.session.player import PlayerView
from coach.ui.session.safety_views import CheckDialog, PainDialog
from tests.fixtures.played_sessions import Clock, is_exercise, play

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))

from home_scenario import coach, ok

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)  # Thursday 12 March, 18:00 in Berlin
MONDAY = date(2026, 3, 9)
SHOTS = Path(__file__).resolve().parents[2] / "build" / "shots"


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).astimezone(UTC)


@dataclass
class Week:
    clinic: Paths
    home: Paths
    report: Path
    routine_id: str  # strength as installed at home


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    """Strength (Mon, Wed, Fri) from the clinic; at home, in its first week:

    Mon 9 Mar three whole sessions (more than the one planned), Wed 11 Mar one
    run through with every step skipped, then one stopped in the dead bug (T2)
    for sharp pain.
    """
    root = tmp_path_factory.mktemp("honest")
    clinic, home = resolve(root / "clinic"), resolve(root / "home")
    plan_file = root / "usb" / "plan.coach"
    ok(coach("--data-dir", clinic.data, "assign", "strength", "--patient", "Erika Beispiel",
             "--clinician", "Anna Berger", "--start", MONDAY.isoformat(),
             "--review", "2026-04-20", "-o", plan_file))  # fmt: skip
    home.ensure_data_dir()
    ok(coach("--data-dir", home.data, "import", plan_file))
    library = Library.load(home)
    (rid,) = [r.id for r in library.routines.values() if library.origin("routine", r.id) == "user"]
    clock = Clock(NOW)
    with Store.open(home.database, clock=clock) as store:
        for hour in (8, 12, 17):
            play(store, library, clock, at(MONDAY, hour), routine_id=rid)
        wednesday = MONDAY + timedelta(days=2)
        play(store, library, clock, at(wednesday, 8), routine_id=rid, skip=is_exercise)
        play(
            store,
            library,
            clock,
            at(wednesday, 16),
            routine_id=rid,
            stop_in=lambda s: s.exercise_id == "T2" and s.phase is Phase.MOVE,
        )
    report = root / "usb" / "erika.coachreport"
    ok(coach("--data-dir", home.data, "report-data", "-o", report, "--from", MONDAY.isoformat(),
             "--to", "2026-03-15"))  # fmt: skip
    ok(coach("--data-dir", clinic.data, "import", report))
    return Week(clinic, home, report, rid)


def texts(widget: QWidget) -> str:
    return "\n".join(w.text() for w in widget.findChildren(QLabel))


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def test_the_report_counts_time_done_and_says_where_it_stopped(week: Week) -> None:
    data = json.loads(week.report.read_text(encoding="utf-8"))
    a = data["adherence"]
    # Three on Monday and the stopped one; the skipped run-through is not done.
    assert (a["done"], a["prescribed"]) == (4, 3)
    assert (a["completed"], a["stopped"], a["mostly_skipped"]) == (3, 1, 1)
    assert a["ratio"] == 1.0  # at most all of it
    assert 0 < a["time_ratio"] < 1
    verdicts = [s["verdict"] for s in data["sessions"]]
    assert verdicts == ["completed"] * 3 + ["mostly_skipped", "stopped"]
    skipped, stopped = data["sessions"][3], data["sessions"][4]
    assert skipped["outcome"] == "completed"  # the store's word stays as it was
    assert skipped["time_done_s"] < 0.5 * skipped["time_planned_s"]
    assert stopped["stopped_at"] == {"item": 3, "exercise": "T2"}
    assert [i["state"] for i in stopped["items"]] == ["done", "done", "stopped"]
    assert data["stops"][0]["exercise"] == "T2"
    assert sum(w["time_done_s"] for w in a["weeks"]) == pytest.approx(a["time_done_s"])


def test_a_report_without_the_new_fields_still_reads(week: Week) -> None:
    data = json.loads(week.report.read_text(encoding="utf-8"))
    for key in ("mostly_skipped", "ended_early", "time_planned_s", "time_done_s", "time_ratio"):
        del data["adherence"][key]
    for w in data["adherence"]["weeks"]:
        del w["time_planned_s"], w["time_done_s"]
    for s in data["sessions"]:
        for key in ("verdict", "time_planned_s", "time_done_s", "stopped_at", "items"):
            del s[key]
    for stop in data["stops"]:
        del stop["exercise"]
    old = read_report_bytes(json.dumps(data).encode(), "old.coachreport")
    assert old.adherence is not None and old.adherence.time_ratio is None
    assert old.sessions[4].verdict is None and old.sessions[4].time_share is None
    new = read_report_bytes(week.report.read_bytes())
    assert new.sessions[3].verdict == "mostly_skipped"
    assert new.sessions[4].stopped_at is not None and new.sessions[4].stopped_at.exercise == "T2"


# --------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------


@pytest.fixture
def english(paths: Paths) -> Iterator[None]:
    i18n.set_language("en", paths.assets)
    yield
    i18n.set_language("en", paths.assets)


def history_view(qtbot, week: Week, lang: str) -> Iterator[HistoryView]:  # type: ignore[no-untyped-def]
    i18n.set_language(lang, week.home.assets)
    store = Store.open(week.home.database)
    try:
        view = HistoryView(store, Library.load(week.home), lang, now=lambda: NOW, tz=BERLIN)
        qtbot.addWidget(view)
        view.resize(1100, 1700)
        view.show()
        yield view
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_history_never_says_more_of_fewer_planned(qtbot, week: Week, lang: str) -> None:  # type: ignore[no-untyped-def]
    for view in history_view(qtbot, week, lang):
        tile = texts(view.findChild(QWidget, "sessions"))
        caption = view.findChild(QLabel, "week-2026-03-09").text()
        monday = next(c for c in view.findChildren(QWidget) if c.objectName() == "day-2026-03-09")
        shown = texts(view)
        SHOTS.mkdir(parents=True, exist_ok=True)
        view.body.grab().save(str(SHOTS / f"history-honest-{lang}.png"))
        if lang == "en":
            assert view.findChild(QLabel, "sessions-number").text() == "4"
            assert "sessions this week (3 planned)" in tile
            assert "4 sessions (3 planned)" in caption
            assert monday.accessibleName() == "Monday 9 Mar: done, 3 sessions (1 planned)"
            assert "mostly skipped, not counted as done" in shown
            assert "stopped at Dead bug, step by step (" in shown
            assert "planned minutes done" in caption
        else:
            assert "Einheiten diese Woche (3 geplant)" in tile
            assert "4 Einheiten (3 geplant)" in caption
            assert "größtenteils übersprungen" in shown
        # Nowhere "4 of 3" or "3 of 1".
        for wrong in ("4 of 3", "3 of 1", "4 von 3", "3 von 1"):
            pattern = re.compile(rf"\b{wrong}\b")
            assert not pattern.search(shown) and not pattern.search(monday.accessibleName())
        lines = view.last_sessions
        assert [line.verdict.value for line in lines[:2]] == ["stopped", "mostly_skipped"]
        assert lines[0].stopped_exercise == "T2"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_patients_list_says_more_sessions_than_planned_plainly(
    qtbot, week: Week, lang: str
) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language(lang, week.clinic.assets)
    try:
        view = PatientListView(
            week.clinic, Library.load(week.clinic), lang, today=lambda: NOW.date()
        )
        qtbot.addWidget(view)
        view.resize(1400, 900)
        view.show()
        assert view.table.rowCount() == 1
        row = [view.table.item(0, c).text() for c in range(view.table.columnCount())]
        SHOTS.mkdir(parents=True, exist_ok=True)
        view.grab().save(str(SHOTS / f"patients-honest-{lang}.png"))
        sessions = row[2]
        planned = "geplant" if lang == "de" else "planned"
        assert sessions.startswith(f"4 (3 {planned}) · 100 %"), sessions
        assert "4/3" not in sessions
        assert ("1 größtenteils übersprungen" if lang == "de" else "1 mostly skipped") in sessions
        detail = texts(view)
        if lang == "en":
            assert "4 sessions (3 planned) done (3 completed, 1 stopped early)" in detail
            assert "1 session was run through with most of it skipped" in detail
            assert "planned minutes done" in detail
            assert "Strength: Sharp pain · stopped at Dead bug, step by step" in detail
        assert "4 of 3" not in detail and "4 von 3" not in detail
    finally:
        i18n.set_language("en", week.clinic.assets)


def test_the_banner_offers_the_easier_step_for_the_exercise_that_hurt(qtbot, week: Week) -> None:  # type: ignore[no-untyped-def]
    evening = at(MONDAY + timedelta(days=2), 20)  # the stop was this afternoon
    store = Store.open(week.home.database)
    try:
        library = Library.load(week.home)
        banner = ProgressionBanner(store, library, "en", now=lambda: evening, tz=BERLIN)
        qtbot.addWidget(banner)
        banner.show()
        found = banner.suggestion
        assert found is not None and found.direction is progression.Direction.DOWN
        assert found.change.exercise_id == "T2"
        why = banner.findChild(QLabel, "progression-why").text()
        offer = banner.findChild(QLabel, "progression-text").text()
        assert why.endswith("during Dead bug, step by step.")
        assert offer.startswith("Coach suggests making it one step easier: Dead bug, step by step:")
    finally:
        store.close()


# --------------------------------------------------------------------------
# The pain after a stop
# --------------------------------------------------------------------------


def _click(qtbot, widget: QWidget, name: str) -> None:  # type: ignore[no-untyped-def]
    target = widget.findChild(QPushButton, name)
    assert target is not None, name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def _to_the_player(qtbot, window: MainWindow, paths: Paths) -> tuple[Store, PlayerView]:  # type: ignore[no-untyped-def]
    paths.ensure_data_dir()
    store = Store.open(paths.database)
    window.replace_store(store)
    window.flow.set_profile(HealthProfile(completed=True))
    window.start_routine("strength")
    check = window.flow.dialog
    assert isinstance(check, CheckDialog)
    _click(qtbot, check, "check-done" if check.stack.currentIndex() == 1 else "nothing-new")
    pain = window.flow.dialog
    assert isinstance(pain, PainDialog)
    _click(qtbot, pain, "back-2")
    _click(qtbot, pain, "leg-2")
    player = window.pages.get("player")
    assert isinstance(player, PlayerView)
    return store, player


def test_pain_after_is_asked_after_a_stop_and_kept(window: MainWindow, qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    store, player = _to_the_player(qtbot, window, paths)
    try:
        player.start()
        for _ in range(3):
            player.skip()
        player.stop_this_hurts()
        reasons = player.findChild(QWidget, "stop-dialog")
        assert reasons is not None
        _click(qtbot, reasons, "reason-sharp_pain")
        player.close_player()
        after = window.flow.dialog
        assert isinstance(after, PainDialog)
        assert "How is your pain now?" in texts(after)
        _click(qtbot, after, "back-4")
        _click(qtbot, after, "leg-3")
        (session,) = store.sessions()
        assert session.outcome.value == "stopped"
        assert (session.pain_after_back, session.pain_after_leg) == (4, 3)
    finally:
        store.close()


def test_pain_after_an_emergency_stop_is_not_asked(window: MainWindow, qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    store, player = _to_the_player(qtbot, window, paths)
    asked_before = window.flow.dialog
    try:
        player.start()
        player.stop_this_hurts()
        reasons = player.findChild(QWidget, "stop-dialog")
        assert reasons is not None
        _click(qtbot, reasons, "reason-dizziness_chest")
        player.close_player()
        # No new question: the last dialog is still the pain before the session.
        assert window.flow.dialog is asked_before
        assert "player" not in window.pages
        (session,) = store.sessions()
        assert session.outcome.value == "stopped" and session.pain_after_back is None
    finally:
        store.close()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_printed_progress_report_reads_back_honestly(
    qapp: object, week: Week, tmp_path: Path, lang: str
) -> None:
    from pypdf import PdfReader

    from coach.core.progress.history import History
    from coach.sheets.pdf import write_report_pdf
    from coach.sheets.progress_report import ReportData, collect_report

    library = Library.load(week.home)
    with History(week.home.database) as history:
        facts = collect_report(history, library.routines, MONDAY, date(2026, 3, 15), NOW, tz=BERLIN)
    assert (facts.sessions_done, facts.sessions_stopped, facts.sessions_skipped) == (4, 1, 1)
    report = ReportData(facts, library.routines, lang, patient="Erika", created=NOW.date())
    path = tmp_path / f"progress-{lang}.pdf"
    write_report_pdf(path, report)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    if lang == "en":
        assert "4 (3 planned) · 82 of 116 min" in text
        assert "1 more run through with most of it skipped (not counted)" in text
    else:
        assert "4 (3 geplant) · 82 von 116 Min." in text
        assert "1 weitere größtenteils übersprungen (nicht gezählt)" in text
    assert "4 of 3" not in text and "4 von 3" not in text


@pytest.mark.parametrize("skip_all", [False, True])
def test_the_end_screen_says_well_done_only_for_a_session_done(  # type: ignore[no-untyped-def]
    qtbot, library: Library, skip_all: bool
) -> None:
    from coach.core.session.plan import build_plan
    from coach.ui.session.player import PlayerView

    plan = build_plan(library.routines["chair-counter"], library.exercises)
    now = [0.0]
    player = PlayerView(plan, library, sound=False, voice=False, clock=lambda: now[0])
    qtbot.addWidget(player)
    player.show()
    player.start()
    while player.runner.next_deadline() is not None:
        if skip_all:
            now[0] += 1
            player.skip()
        else:
            now[0] = player.runner.next_deadline() or now[0]
            player.tick()
    title = player.findChild(QLabel, "end-title")
    assert title is not None and title.isVisible()
    words = " ".join(w.text() for w in player.findChildren(QLabel, "end-text"))
    if skip_all:
        assert title.text() == "Session ended"
        assert "You skipped most of today's exercises" in words
    else:
        assert title.text() == "Well done" and "skipped" not in words
