"""The measure screens and the activity log, with a fake clock for the timers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox

from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.core.progress.store import PSFS_ACTIVITIES_KEY, Store
from coach.core.progress.store_rows import MeasureKind
from coach.core.session.plan import Phase, build_plan
from coach.ui.progress.activity_view import ActivityView
from coach.ui.progress.measures_view import (
    ChairStandScreen,
    MeasuresView,
    PsfsScreen,
    Stopwatch,
    WalkingTestScreen,
)

NOW = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)


class FakeClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.t = 5000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    paths.ensure_data_dir()
    with Store.open(paths.database, clock=lambda: NOW) as opened:
        yield opened


@pytest.fixture
def view(qtbot, store: Store, clock: FakeClock) -> MeasuresView:  # type: ignore[no-untyped-def]
    beeps: list[int] = []
    widget = MeasuresView(store, "en", clock=clock, now=lambda: NOW, beep=lambda: beeps.append(1))
    widget.beeps = beeps  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    return widget


def click(qtbot, parent, name: str) -> None:  # type: ignore[no-untyped-def]
    target = parent.findChild(QPushButton, name)
    assert target is not None, name
    assert target.isEnabled(), name
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


# --------------------------------------------------------------------------
# The stopwatch: deadlines from the clock, never counted ticks
# --------------------------------------------------------------------------


def test_stopwatch_reads_the_clock_and_wakes_at_whole_seconds(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    watch = Stopwatch(clock, 10.0)
    finished: list[bool] = []
    watch.finished.connect(lambda: finished.append(True))
    watch.start()
    assert watch._timer.isSingleShot()
    assert watch._timer.timerType() == Qt.TimerType.PreciseTimer
    assert watch._timer.interval() == 1000
    clock.advance(2.7)  # a stalled GUI: a single wake still shows the true time
    watch.wake()
    assert watch.elapsed() == pytest.approx(2.7)
    assert watch._timer.interval() == 300  # to the next whole second, 3.0
    clock.advance(100)  # far past the end: capped, finished once
    watch.wake()
    watch.wake()
    assert watch.elapsed() == 10.0
    assert finished == [True]
    assert not watch.running and not watch._timer.isActive()


def test_stopwatch_stop_freezes_the_time(clock: FakeClock) -> None:
    watch = Stopwatch(clock, 60.0)
    watch.start()
    clock.advance(12.25)
    assert watch.stop() == pytest.approx(12.25)
    clock.advance(30)
    assert watch.elapsed() == pytest.approx(12.25)


# --------------------------------------------------------------------------
# Pain
# --------------------------------------------------------------------------


def test_pain_is_two_taps(qtbot, view: MeasuresView, store: Store) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, view, "open-pain")
    screen = view.current
    assert screen is not None
    click(qtbot, screen, "back-3")
    assert store.measures(MeasureKind.PAIN) == []  # one tap is not enough
    click(qtbot, screen, "leg-6")
    [saved] = store.measures(MeasureKind.PAIN)
    assert saved.value == {"back": 3, "leg": 6}
    assert saved.taken_utc == NOW
    assert view.current is None
    assert view.findChild(QLabel, "measure-saved").text() == "✓ Saved: back pain 3, leg pain 6."


# --------------------------------------------------------------------------
# The home walking test
# --------------------------------------------------------------------------


def test_walking_test_start_symptoms_stop_save(
    qtbot, view: MeasuresView, store: Store, clock: FakeClock, library: Library
) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, view, "open-walking")
    screen = view.current
    assert isinstance(screen, WalkingTestScreen)
    click(qtbot, screen, "walk-start")
    time_label = screen.findChild(QLabel, "walk-time")
    assert time_label.text() == "0:00"
    clock.advance(252.4)
    screen.watch.wake()
    assert time_label.text() == "4:12"
    click(qtbot, screen, "walk-symptoms")
    assert screen.findChild(QPushButton, "walk-symptoms").text() == "✓ Noted at 4:12"
    assert screen.findChild(QLabel, "walk-status").text() == (
        "Symptoms began at 4:12. Walk on if you can."
    )
    clock.advance(200.0)
    screen.watch.wake()
    assert time_label.text() == "7:32"
    click(qtbot, screen, "walk-stop")
    assert screen.stack.currentIndex() == screen.RESULT
    assert screen.findChild(QSpinBox, "walk-first-min").value() == 4
    assert screen.findChild(QSpinBox, "walk-first-s").value() == 12
    assert screen.findChild(QSpinBox, "walk-total-min").value() == 7
    assert screen.findChild(QSpinBox, "walk-total-s").value() == 32
    screen.findChild(QSpinBox, "walk-distance").setValue(450)
    click(qtbot, screen, "walk-save")
    [saved] = store.measures(MeasureKind.WALKING_TEST)
    assert saved.value == {"first_symptoms_s": 252.4, "total_s": 452.4, "distance_m": 450}
    # The walking program's bouts follow: 80 % of the time to first symptoms.
    assert store.latest_walking_test_s() == 252.4
    plan = build_plan(
        library.routines["walking"], library.exercises, walking_test_s=store.latest_walking_test_s()
    )
    bouts = [s.seconds for s in plan.steps if s.phase is Phase.WALK]
    assert bouts == [round(0.8 * 252.4)] * 3  # the plan rounds to whole seconds
    assert "Your walking program now plans its walks from this result" in view.message


def test_walking_test_ends_by_itself_at_30_minutes(
    qtbot, view: MeasuresView, store: Store, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    screen = view.open("walking")
    assert isinstance(screen, WalkingTestScreen)
    screen.start()
    clock.advance(29 * 60 + 59.5)
    screen.watch.wake()
    assert screen.stack.currentIndex() == screen.RUNNING
    clock.advance(10)  # the screen woke late: the cap still says 30:00
    screen.watch.wake()
    assert screen.stack.currentIndex() == screen.RESULT
    assert screen.findChild(QLabel, "walk-result-note").text() == (
        "30 minutes: the test ends here. Well done!"
    )
    assert screen.findChild(QCheckBox, "walk-no-symptoms").isChecked()
    assert screen.findChild(QSpinBox, "walk-total-min").value() == 30
    screen.save()
    [saved] = store.measures(MeasureKind.WALKING_TEST)
    assert saved.value == {"first_symptoms_s": None, "total_s": 1800.0}


def test_walking_test_timed_with_a_watch_checks_the_numbers(
    qtbot, view: MeasuresView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    screen = view.open("walking")
    assert screen is not None
    click(qtbot, screen, "walk-manual")
    screen.findChild(QSpinBox, "walk-first-min").setValue(9)
    screen.findChild(QSpinBox, "walk-total-min").setValue(6)
    click(qtbot, screen, "walk-save")
    assert store.measures(MeasureKind.WALKING_TEST) == []
    assert (
        screen.findChild(QLabel, "walk-problem")
        .text()
        .startswith("The time until symptoms began must be")
    )
    screen.findChild(QSpinBox, "walk-first-min").setValue(5)
    screen.findChild(QSpinBox, "walk-steps").setValue(700)
    click(qtbot, screen, "walk-save")
    [saved] = store.measures(MeasureKind.WALKING_TEST)
    assert saved.value == {"first_symptoms_s": 300.0, "total_s": 360.0, "steps": 700}


def test_leaving_the_walking_test_stops_its_timer(
    qtbot, view: MeasuresView, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    screen = view.open("walking")
    assert isinstance(screen, WalkingTestScreen)
    screen.start()
    assert screen.watch._timer.isActive()
    click(qtbot, screen, "walk-abort")
    assert not screen.watch._timer.isActive()
    assert view.current is None


# --------------------------------------------------------------------------
# PSFS
# --------------------------------------------------------------------------


def test_psfs_names_activities_once_then_rates_them(
    qtbot, view: MeasuresView, store: Store
) -> None:  # type: ignore[no-untyped-def]
    screen = view.open("psfs")
    assert isinstance(screen, PsfsScreen)
    assert screen.stack.currentIndex() == 0  # no activities yet: name them first
    screen.findChild(QLineEdit, "psfs-name-0").setText("  Walking to   the shop ")
    screen.findChild(QLineEdit, "psfs-name-2").setText("Standing to cook")
    click(qtbot, screen, "psfs-save-names")
    assert store.get_json(PSFS_ACTIVITIES_KEY) == ["Walking to the shop", "Standing to cook"]
    assert screen.stack.currentIndex() == 1
    click(qtbot, screen, "psfs-0-4")
    click(qtbot, screen, "psfs-save")  # one activity not rated yet
    assert store.measures(MeasureKind.PSFS) == []
    click(qtbot, screen, "psfs-1-7")
    click(qtbot, screen, "psfs-save")
    [saved] = store.measures(MeasureKind.PSFS)
    assert saved.value == {"scores": {"Walking to the shop": 4, "Standing to cook": 7}}
    assert view.message == "Saved. Your score today: 5.5 out of 10."
    # Next time the names are known: straight to the ratings.
    again = view.open("psfs")
    assert isinstance(again, PsfsScreen) and again.stack.currentIndex() == 1
    assert "The next rating is due on 19 Mar 2026." in again.findChild(QLabel, "psfs-last").text()


# --------------------------------------------------------------------------
# The 30-second chair stand
# --------------------------------------------------------------------------


def test_chair_stand_counts_down_beeps_and_compares(
    qtbot, view: MeasuresView, store: Store, clock: FakeClock
) -> None:  # type: ignore[no-untyped-def]
    screen = view.open("chair")
    assert isinstance(screen, ChairStandScreen)
    text = "\n".join(w.text() for w in screen.findChildren(QLabel))
    for safety in ("against a wall", "Have someone nearby", "arms crossed"):
        assert safety in text
    click(qtbot, screen, "chair-start")
    seconds = screen.findChild(QLabel, "chair-seconds")
    clock.advance(2.2)
    screen.get_ready.wake()
    assert seconds.text() == "3"
    clock.advance(2.8)
    screen.get_ready.wake()  # get ready is over: "Go", beep, the 30 seconds run
    assert screen.findChild(QLabel, "chair-phase").text() == "Go! Stand up and sit down"
    assert view.beeps == [1]  # type: ignore[attr-defined]
    assert seconds.text() == "30"
    clock.advance(12.5)
    screen.test.wake()
    assert seconds.text() == "18"
    clock.advance(17.5)
    screen.test.wake()
    assert view.beeps == [1, 1]  # type: ignore[attr-defined]
    assert screen.stack.currentIndex() == screen.COUNT
    for _ in range(11):
        click(qtbot, screen, "chair-more")
    screen.findChild(QSpinBox, "chair-age").setValue(72)
    screen.findChild(QRadioButton, "chair-sex-female").setChecked(True)
    click(qtbot, screen, "chair-save")
    [saved] = store.measures(MeasureKind.CHAIR_STAND)
    assert saved.value == {"count": 11, "age": 72, "sex": "female"}
    assert view.message == (
        "Saved: 11 times in 30 seconds. For women aged 70 to 74, fewer than 10 stands is below "
        "average. Your 11 is not below average."
    )


def test_chair_stand_without_beeps_and_without_age(qtbot, store: Store, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    beeps: list[int] = []
    screen = ChairStandScreen(
        store, clock=clock, now=lambda: NOW, beep=lambda: beeps.append(1), sound=False
    )
    qtbot.addWidget(screen)
    assert not screen.findChild(QCheckBox, "chair-beep").isChecked()
    screen.start()
    clock.advance(40)
    screen.get_ready.wake()
    clock.advance(40)
    screen.test.wake()
    assert beeps == []
    screen.count.setValue(9)
    screen.save()
    assert store.measures(MeasureKind.CHAIR_STAND)[0].value == {"count": 9}


# --------------------------------------------------------------------------
# The activity log
# --------------------------------------------------------------------------


def test_activity_log_saves_and_lists(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    view = ActivityView(store, "en", now=lambda: NOW)
    qtbot.addWidget(view)
    view.show()
    assert "Nothing noted yet." in [w.text() for w in view.findChildren(QLabel)]
    click(qtbot, view, "kind-cycling")
    assert view.findChild(QPushButton, "kind-cycling").text() == "✓ Cycling"
    assert view.findChild(QPushButton, "kind-walk").text() == "A walk"
    click(qtbot, view, "minutes-more")
    click(qtbot, view, "feeling-better")
    view.findChild(QLineEdit, "activity-note").setText("Along the river")
    with qtbot.waitSignal(view.activity_added):
        click(qtbot, view, "activity-save")
    [row] = store.activities()
    assert (row.kind, row.minutes, row.feeling, row.note, row.taken_utc) == (
        "cycling",
        35.0,
        "better",
        "Along the river",
        NOW,
    )
    assert view.findChild(QLabel, "activity-saved").text() == "✓ Saved: Cycling, 35 minutes."
    assert view.recent_lines == [
        "12 Mar · Cycling · 35 minutes · ↑ Better than before · “Along the river”"
    ]
    # The note is cleared for the next entry; "how it felt" is asked afresh.
    assert view.findChild(QLineEdit, "activity-note").text() == ""
    assert view.feeling_group.checkedButton() is None
