"""Guided screens for the measures: pain, the home walking test, the PSFS, the chair stand.

No licensed questionnaire wording: the Patient-Specific Functional Scale asks
about activities the person names, in our own plain words.

Timers follow the app's rule: a countdown or a stopwatch is a deadline read
from an injected monotonic clock; a single-shot precise timer only wakes the
screen to repaint at the next whole second (or the end), and nothing counts
ticks. Tests pass a fake clock and call :meth:`Stopwatch.wake`.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach.core.progress import measures
from coach.core.progress.store import PSFS_ACTIVITIES_KEY, WALK_FIRST_SYMPTOMS_S, WALK_TOTAL_S
from coach.core.progress.store_errors import StoreError
from coach.core.progress.store_rows import MeasureKind
from coach.ui.flow_layout import FlowLayout
from coach.ui.i18n import T
from coach.ui.progress.dates import short_date
from coach.ui.widgets import button, card, clear_layout, label

if TYPE_CHECKING:
    from coach.core.progress.store import Store

Clock = Callable[[], float]

WALK_CAP_S = float(measures.WALKING_TEST_CAP_S)
CHAIR_GET_READY_S = 5.0
CHAIR_TEST_S = 30.0


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def clock_text(seconds: float) -> str:
    """m:ss, whole seconds rounded down (a stopwatch shows what has passed)."""
    whole = max(0, int(seconds + 1e-6))
    return f"{whole // 60}:{whole % 60:02d}"


def long_date(day: dt.date, lang: str) -> str:
    """ "12 Mar 2026" / "12. März 2026"."""
    return f"{short_date(day, lang)} {day.year}"


def _big(text: str, factor: float = 4.0) -> QLabel:
    size = QApplication.font().pointSizeF()
    widget = label(text, None, wrap=False)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setStyleSheet(
        f"font-size: {(size if size > 0 else 13.0) * factor:.1f}pt; font-weight: bold;"
    )
    return widget


def _scroll(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


def _page() -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(32, 24, 32, 24)
    layout.setSpacing(14)
    return page, layout


def _row(*widgets: QWidget) -> QLayout:
    """Buttons side by side, wrapping onto the next line when the text is large."""
    flow = FlowLayout(spacing=12)
    for w in widgets:
        flow.addWidget(w)
    return flow


class Stopwatch(QObject):
    """Elapsed time from a monotonic clock, up to ``limit_s``; wakes once a second.

    ``changed`` is emitted at every wake (the next whole second, or the
    limit), ``finished`` once when the limit is reached. ``wake()`` is the
    timer's slot; a test calls it after moving its fake clock.
    """

    changed = Signal()
    finished = Signal()

    def __init__(
        self, clock: Clock = time.monotonic, limit_s: float = WALK_CAP_S, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.limit_s = limit_s
        self._start: float | None = None
        self._stopped_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.wake)

    @property
    def running(self) -> bool:
        return self._start is not None and self._stopped_at is None

    def start(self) -> None:
        self._start, self._stopped_at = self._clock(), None
        self._arm()
        self.changed.emit()

    def stop(self) -> float:
        if self.running:
            self._stopped_at = min(self._clock(), self._deadline())
        self._timer.stop()
        return self.elapsed()

    def reset(self) -> None:
        self._timer.stop()
        self._start = self._stopped_at = None

    def elapsed(self) -> float:
        if self._start is None:
            return 0.0
        end = self._stopped_at if self._stopped_at is not None else self._clock()
        return max(0.0, min(self.limit_s, end - self._start))

    def remaining(self) -> float:
        return max(0.0, self.limit_s - self.elapsed())

    def wake(self) -> None:
        if not self.running:
            return
        if self._clock() >= self._deadline():
            self._stopped_at = self._deadline()
            self._timer.stop()
            self.changed.emit()
            self.finished.emit()
            return
        self._arm()
        self.changed.emit()

    def _deadline(self) -> float:
        assert self._start is not None
        return self._start + self.limit_s

    def _arm(self) -> None:
        elapsed = self._clock() - (self._start or 0.0)
        next_second = math.floor(elapsed + 1e-9) + 1
        target = min(float(next_second), self.limit_s)
        self._timer.start(max(1, math.ceil((target - elapsed) * 1000 - 1e-6)))


class ScoreRow(QWidget):
    """Eleven big buttons, 0 to 10; one tap chooses. ``chosen(int)`` follows."""

    chosen = Signal(int)

    def __init__(self, name: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value: int | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        self.group = QButtonGroup(self)
        for n in range(11):
            b = QPushButton(str(n))
            b.setCheckable(True)
            b.setMinimumSize(52, 52)
            b.setObjectName(f"{name}-{n}")
            b.setAccessibleName(T("{what} {n}").format(what=what, n=n))
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            self.group.addButton(b, n)
            grid.addWidget(b, 0, n)
        self.group.idClicked.connect(self._on_clicked)
        # The chosen number must stand out by more than colour: filled, bold, thick frame.
        # Small side padding: eleven buttons must fit at the largest text size.
        self.setStyleSheet(
            "QPushButton { padding: 6px 2px; }"
            " QPushButton:checked { background: #0b6e5f; color: #ffffff; font-weight: bold;"
            " border: 4px solid #1d1d1b; }"
        )

    def _on_clicked(self, n: int) -> None:
        self.value = n
        self.chosen.emit(n)


# --------------------------------------------------------------------------
# Pain
# --------------------------------------------------------------------------


class PainScreen(QWidget):
    """Back and leg, 0 to 10: two taps and it is saved."""

    saved = Signal(str)  # a sentence saying what was saved
    cancelled = Signal()

    def __init__(self, store: Store, now: Callable[[], dt.datetime] = _utc_now) -> None:
        super().__init__()
        self._store, self._now = store, now
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        page, layout = _page()
        outer.addWidget(_scroll(page))
        layout.addWidget(label(T("How is your pain right now?"), "h1"))
        layout.addWidget(label(T("0 = no pain, 10 = the worst pain you can imagine."), "muted"))
        layout.addWidget(label(T("Back pain"), "h2"))
        self.back = ScoreRow("back", T("Back pain"))
        layout.addWidget(self.back)
        layout.addWidget(label(T("Leg pain"), "h2"))
        self.leg = ScoreRow("leg", T("Leg pain"))
        layout.addWidget(self.leg)
        self.back.chosen.connect(self._maybe_save)
        self.leg.chosen.connect(self._maybe_save)
        self.problem = label("", "caution")
        self.problem.hide()
        layout.addWidget(self.problem)
        cancel = button(T("← Back"), accessible=T("Back to the measures"))
        cancel.setObjectName("pain-cancel")
        cancel.clicked.connect(self.cancelled)
        layout.addStretch(1)
        layout.addLayout(_row(cancel))

    def _maybe_save(self, _n: int) -> None:
        back, leg = self.back.value, self.leg.value
        if back is None or leg is None:
            return
        try:
            self._store.add_measure(MeasureKind.PAIN, {"back": back, "leg": leg}, taken=self._now())
        except StoreError as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        self.saved.emit(T("Saved: back pain {back}, leg pain {leg}.").format(back=back, leg=leg))


# --------------------------------------------------------------------------
# The home walking test
# --------------------------------------------------------------------------


class DurationEdit(QWidget):
    """Minutes and seconds in two spin boxes (a result timed with a watch)."""

    def __init__(self, name: str, what: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 30)
        self.minutes.setObjectName(f"{name}-min")
        self.minutes.setAccessibleName(T("{what}: minutes").format(what=what))
        self.seconds = QSpinBox()
        self.seconds.setRange(0, 59)
        self.seconds.setObjectName(f"{name}-s")
        self.seconds.setAccessibleName(T("{what}: seconds").format(what=what))
        row.addWidget(self.minutes)
        row.addWidget(label(T("min"), None, wrap=False))
        row.addWidget(self.seconds)
        row.addWidget(label(T("s"), None, wrap=False))
        row.addStretch(1)

    def set_seconds(self, seconds: float | None) -> None:
        whole = round(seconds or 0)
        self.minutes.setValue(min(30, whole // 60))
        self.seconds.setValue(whole % 60 if whole < 1800 else 0)

    def total(self) -> int:
        return self.minutes.value() * 60 + self.seconds.value()


class WalkingTestScreen(QWidget):
    """Start walking -> First symptoms -> I had to stop (30 min cap) -> result -> saved."""

    saved = Signal(str)
    cancelled = Signal()

    INTRO, RUNNING, RESULT = 0, 1, 2

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock = time.monotonic,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__()
        self._store, self._now = store, now
        self.watch = Stopwatch(clock, WALK_CAP_S, self)
        self.watch.changed.connect(self._on_watch_changed)
        self.watch.finished.connect(self._on_cap_reached)
        self.first_symptoms_s: float | None = None
        self.total_s: float | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.stack.addWidget(_scroll(self._intro_page()))
        self.stack.addWidget(self._running_page())
        self.stack.addWidget(_scroll(self._result_page()))

    # -- pages -------------------------------------------------------------------
    def _intro_page(self) -> QWidget:
        page, layout = _page()
        layout.addWidget(label(T("Home walking test"), "h1"))
        layout.addWidget(
            label(
                T(
                    "This test shows best how your walking changes. Do it about once every "
                    "one or two weeks, on the same route."
                )
            )
        )
        for line in (
            T("Choose a level route you know, with a place to sit or lean on the way."),
            T("Walk at your own comfortable pace, with your walking aid if you use one."),
            T(
                "Press “First symptoms” when your usual back or leg symptoms begin. Walk on if "
                "you can."
            ),
            T(
                "Press “I had to stop” when you must stop. After 30 minutes the test ends by "
                "itself."
            ),
            T(
                "Take the computer or tablet with you, or ask someone to walk along and press "
                "the buttons. Take your phone."
            ),
        ):
            layout.addWidget(label("•  " + line))
        layout.addWidget(
            label(
                T(
                    "Stop at once if you feel dizzy, short of breath or pain in your chest, or if "
                    "new numbness or weakness appears."
                ),
                "caution",
            )
        )
        start = button(T("Start walking"), "primary")
        start.setObjectName("walk-start")
        start.clicked.connect(self.start)
        manual = button(T("I timed it with a watch"))
        manual.setObjectName("walk-manual")
        manual.clicked.connect(self._on_manual_clicked)
        back = button(T("← Back"), accessible=T("Back to the measures"))
        back.setObjectName("walk-cancel")
        back.clicked.connect(self.cancelled)
        layout.addLayout(_row(start, manual))
        layout.addStretch(1)
        layout.addLayout(_row(back))
        return page

    def _running_page(self) -> QWidget:
        page, layout = _page()
        layout.addWidget(label(T("Walking test"), "h2"))
        self.time_label = _big("0:00", 5.0)
        self.time_label.setObjectName("walk-time")
        self.time_label.setAccessibleName(T("Time walked"))
        layout.addWidget(self.time_label)
        self.status = label(T("Walk at your own pace."))
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setObjectName("walk-status")
        layout.addWidget(self.status)
        self.symptoms_button = button(T("First symptoms"), "primary")
        self.symptoms_button.setObjectName("walk-symptoms")
        self.symptoms_button.setMinimumHeight(80)
        self.symptoms_button.clicked.connect(self.mark_symptoms)
        self.stop_button = button(T("I had to stop"), "danger")
        self.stop_button.setObjectName("walk-stop")
        self.stop_button.setMinimumHeight(80)
        self.stop_button.clicked.connect(self.stop)
        row = QHBoxLayout()
        row.addWidget(self.symptoms_button, 1)
        row.addWidget(self.stop_button, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        cancel = button(T("Cancel the test"))
        cancel.setObjectName("walk-abort")
        cancel.clicked.connect(self._on_abort_clicked)
        layout.addLayout(_row(cancel))
        return page

    def _result_page(self) -> QWidget:
        page, layout = _page()
        layout.addWidget(label(T("Your walking test"), "h1"))
        self.result_note = label("")
        self.result_note.setObjectName("walk-result-note")
        layout.addWidget(self.result_note)
        layout.addWidget(label(T("Time until your symptoms began"), "h2"))
        self.first_edit = DurationEdit("walk-first", T("Time until your symptoms began"))
        layout.addWidget(self.first_edit)
        self.no_symptoms = QCheckBox(T("No symptoms came"))
        self.no_symptoms.setObjectName("walk-no-symptoms")
        self.no_symptoms.toggled.connect(lambda on: self.first_edit.setEnabled(not on))
        layout.addWidget(self.no_symptoms)
        layout.addWidget(label(T("Time walked in total"), "h2"))
        self.total_edit = DurationEdit("walk-total", T("Time walked in total"))
        layout.addWidget(self.total_edit)
        layout.addWidget(label(T("If you know them (you may leave them at 0):"), "muted"))
        self.distance = QSpinBox()
        self.distance.setRange(0, 20000)
        self.distance.setSingleStep(50)
        self.distance.setObjectName("walk-distance")
        self.distance.setAccessibleName(T("Distance in metres"))
        self.steps = QSpinBox()
        self.steps.setRange(0, 50000)
        self.steps.setSingleStep(100)
        self.steps.setObjectName("walk-steps")
        self.steps.setAccessibleName(T("Steps"))
        extra = QGridLayout()
        extra.addWidget(label(T("Distance (metres)"), None, wrap=False), 0, 0)
        extra.addWidget(self.distance, 0, 1)
        extra.addWidget(label(T("Steps"), None, wrap=False), 1, 0)
        extra.addWidget(self.steps, 1, 1)
        extra.setColumnStretch(2, 1)
        layout.addLayout(extra)
        self.problem = label("", "caution")
        self.problem.setObjectName("walk-problem")
        self.problem.hide()
        layout.addWidget(self.problem)
        save = button(T("Save the result"), "primary")
        save.setObjectName("walk-save")
        save.clicked.connect(self.save)
        discard = button(T("Discard"))
        discard.setObjectName("walk-discard")
        discard.clicked.connect(self._on_abort_clicked)
        layout.addLayout(_row(save, discard))
        layout.addStretch(1)
        return page

    # -- actions -------------------------------------------------------------------
    def start(self) -> None:
        self.first_symptoms_s = self.total_s = None
        self.symptoms_button.setText(T("First symptoms"))
        self.symptoms_button.setEnabled(True)
        self.status.setText(T("Walk at your own pace."))
        self.stack.setCurrentIndex(self.RUNNING)
        self.watch.start()
        self.symptoms_button.setFocus()

    def mark_symptoms(self) -> None:
        if not self.watch.running or self.first_symptoms_s is not None:
            return
        self.first_symptoms_s = self.watch.elapsed()
        # A disabled button looks much like an enabled one: the words say it too.
        self.symptoms_button.setText(
            "✓ " + T("Noted at {time}").format(time=clock_text(self.first_symptoms_s))
        )
        self.symptoms_button.setEnabled(False)
        self.status.setText(
            T("Symptoms began at {time}. Walk on if you can.").format(
                time=clock_text(self.first_symptoms_s)
            )
        )
        self.stop_button.setFocus()

    def stop(self) -> None:
        if not self.watch.running:
            return
        self.total_s = self.watch.stop()
        self._show_result(T("You walked {time}.").format(time=clock_text(self.total_s)))

    def _on_cap_reached(self) -> None:
        self.total_s = WALK_CAP_S
        self._show_result(T("30 minutes: the test ends here. Well done!"))

    def _on_watch_changed(self) -> None:
        self.time_label.setText(clock_text(self.watch.elapsed()))

    def _on_manual_clicked(self) -> None:
        self.first_symptoms_s = self.total_s = None
        self._show_result(T("Enter the times you measured."))

    def _on_abort_clicked(self) -> None:
        self.watch.reset()
        self.stack.setCurrentIndex(self.INTRO)
        self.cancelled.emit()

    def _show_result(self, note: str) -> None:
        self.result_note.setText(note)
        self.first_edit.set_seconds(self.first_symptoms_s)
        self.no_symptoms.setChecked(self.first_symptoms_s is None and self.total_s is not None)
        self.total_edit.set_seconds(self.total_s)
        self.distance.setValue(0)
        self.steps.setValue(0)
        self.problem.hide()
        self.stack.setCurrentIndex(self.RESULT)

    def save(self) -> None:
        total = min(self.total_edit.total(), int(WALK_CAP_S))
        first = None if self.no_symptoms.isChecked() else self.first_edit.total()
        if not total:
            self._problem(T("Please enter how long you walked."))
            return
        if first is not None and (first <= 0 or first > total):
            self._problem(
                T(
                    "The time until symptoms began must be more than 0 and not longer than the "
                    "whole walk. Or tick “No symptoms came”."
                )
            )
            return
        # Seconds from the stopwatch keep their fraction when the fields were not changed.
        if self.total_s is not None and round(self.total_s) == total:
            total_s: float = round(self.total_s, 1)
        else:
            total_s = float(total)
        first_s: float | None = None
        if first is not None:
            keep = self.first_symptoms_s is not None and round(self.first_symptoms_s) == first
            first_s = (
                round(self.first_symptoms_s, 1) if keep and self.first_symptoms_s else float(first)
            )
        value: dict[str, Any] = {WALK_FIRST_SYMPTOMS_S: first_s, WALK_TOTAL_S: total_s}
        if self.distance.value():
            value["distance_m"] = self.distance.value()
        if self.steps.value():
            value["steps"] = self.steps.value()
        try:
            self._store.add_measure(MeasureKind.WALKING_TEST, value, taken=self._now())
        except (StoreError, ValueError) as exc:
            self._problem(getattr(exc, "message", str(exc)))
            return
        self.stack.setCurrentIndex(self.INTRO)
        bout = first_s or total_s
        self.saved.emit(
            T(
                "Saved: {total} in total{first}. Your walking program now plans its walks from "
                "this result ({bout})."
            ).format(
                total=clock_text(total_s),
                first=T(", symptoms after {time}").format(time=clock_text(first_s))
                if first_s
                else "",
                bout=clock_text(bout),
            )
        )

    def _problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()


# --------------------------------------------------------------------------
# The Patient-Specific Functional Scale (own words)
# --------------------------------------------------------------------------


class PsfsScreen(QWidget):
    """Name up to 5 activities once; rate each 0-10, about once a week."""

    saved = Signal(str)
    cancelled = Signal()

    def __init__(
        self, store: Store, lang: str = "en", now: Callable[[], dt.datetime] = _utc_now
    ) -> None:
        super().__init__()
        self._store, self._lang, self._now = store, lang, now
        self.rows: dict[str, ScoreRow] = {}
        self.names: list[QLineEdit] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.setup_page, self._setup = _page()
        self.rate_page, self._rate = _page()
        self.stack.addWidget(_scroll(self.setup_page))
        self.stack.addWidget(_scroll(self.rate_page))
        self.refresh()

    def activities(self) -> list[str]:
        names = self._store.get_json(PSFS_ACTIVITIES_KEY, [])
        return (
            [n for n in names if isinstance(n, str) and n.strip()]
            if isinstance(names, list)
            else []
        )

    def refresh(self) -> None:
        chosen = self.activities()
        if chosen:
            self._build_rating(chosen)
            self.stack.setCurrentIndex(1)
        else:
            self._build_setup([])
            self.stack.setCurrentIndex(0)

    def _build_setup(self, current: list[str]) -> None:
        layout = self._setup
        clear_layout(layout)
        layout.addWidget(label(T("Your activities"), "h1"))
        layout.addWidget(
            label(
                T(
                    "Name up to 5 everyday activities that are hard for you because of your back "
                    "or legs. For example: walking to the shops, standing to cook, gardening."
                )
            )
        )
        self.names = []
        for n in range(measures.PSFS_MAX_ACTIVITIES):
            edit = QLineEdit(current[n] if n < len(current) else "")
            edit.setMaxLength(80)
            edit.setObjectName(f"psfs-name-{n}")
            edit.setAccessibleName(T("Activity {n}").format(n=n + 1))
            edit.setPlaceholderText(T("Activity {n}").format(n=n + 1))
            self.names.append(edit)
            layout.addWidget(edit)
        self.setup_problem = label("", "caution")
        self.setup_problem.hide()
        layout.addWidget(self.setup_problem)
        save = button(T("Save my activities"), "primary")
        save.setObjectName("psfs-save-names")
        save.clicked.connect(self.save_names)
        back = button(T("← Back"), accessible=T("Back to the measures"))
        back.setObjectName("psfs-cancel")
        back.clicked.connect(self.cancelled)
        layout.addLayout(_row(save))
        layout.addStretch(1)
        layout.addLayout(_row(back))

    def save_names(self) -> None:
        names: list[str] = []
        for edit in self.names:
            text = " ".join(edit.text().split())
            if text and text not in names:
                names.append(text)
        if not names:
            self.setup_problem.setText(T("Please name at least one activity."))
            self.setup_problem.show()
            return
        try:
            self._store.set_json(PSFS_ACTIVITIES_KEY, names)
        except StoreError as exc:
            self.setup_problem.setText(exc.message)
            self.setup_problem.show()
            return
        self.refresh()

    def _build_rating(self, chosen: list[str]) -> None:
        layout = self._rate
        clear_layout(layout)
        self.rows = {}
        layout.addWidget(label(T("How well can you do these activities?"), "h1"))
        layout.addWidget(
            label(T("0 = I cannot do it at all, 10 = as well as before my back trouble."), "muted")
        )
        latest = self._store.measures(MeasureKind.PSFS)
        if latest:
            last_day = latest[-1].taken_utc.astimezone().date()
            due = last_day + dt.timedelta(days=7)
            note = T("Last rated on {date}. Rate again about once a week.").format(
                date=long_date(last_day, self._lang)
            )
            if self._now().astimezone().date() < due:
                note += " " + T("The next rating is due on {date}.").format(
                    date=long_date(due, self._lang)
                )
            info = label(note, "muted")
            info.setObjectName("psfs-last")
            layout.addWidget(info)
        for n, name in enumerate(chosen):
            layout.addWidget(label(name, "h2"))
            row = ScoreRow(f"psfs-{n}", name)
            self.rows[name] = row
            layout.addWidget(row)
        self.rate_problem = label("", "caution")
        self.rate_problem.hide()
        layout.addWidget(self.rate_problem)
        self.save_button = button(T("Save the ratings"), "primary")
        self.save_button.setObjectName("psfs-save")
        self.save_button.clicked.connect(self.save_ratings)
        change = button(T("Change my activities"))
        change.setObjectName("psfs-change")
        change.clicked.connect(self._on_change_clicked)
        back = button(T("← Back"), accessible=T("Back to the measures"))
        back.setObjectName("psfs-back")
        back.clicked.connect(self.cancelled)
        layout.addLayout(_row(self.save_button, change))
        layout.addStretch(1)
        layout.addLayout(_row(back))

    def _on_change_clicked(self) -> None:
        self._build_setup(self.activities())
        self.stack.setCurrentIndex(0)

    def save_ratings(self) -> None:
        scores = {name: row.value for name, row in self.rows.items() if row.value is not None}
        if len(scores) != len(self.rows):
            self.rate_problem.setText(T("Please choose a number for every activity."))
            self.rate_problem.show()
            return
        try:
            self._store.add_measure(MeasureKind.PSFS, {"scores": scores}, taken=self._now())
        except StoreError as exc:
            self.rate_problem.setText(exc.message)
            self.rate_problem.show()
            return
        score = measures.psfs_score({k: v for k, v in scores.items() if v is not None})
        self.saved.emit(
            T("Saved. Your score today: {score} out of 10.").format(
                score=f"{score:.1f}".replace(".", "," if self._lang == "de" else ".")
            )
        )
        self.refresh()


# --------------------------------------------------------------------------
# The 30-second chair stand
# --------------------------------------------------------------------------


class ChairStandScreen(QWidget):
    """Safety first, a guided 30-second countdown, then the count (and age and sex)."""

    saved = Signal(str)
    cancelled = Signal()

    INTRO, COUNTDOWN, COUNT = 0, 1, 2

    def __init__(
        self,
        store: Store,
        lang: str = "en",
        *,
        clock: Clock = time.monotonic,
        now: Callable[[], dt.datetime] = _utc_now,
        beep: Callable[[], None] | None = None,
        sound: bool = True,
    ) -> None:
        super().__init__()
        self._store, self._lang, self._now = store, lang, now
        self._beep = beep or QApplication.beep
        self.beeps = 0
        self.get_ready = Stopwatch(clock, CHAIR_GET_READY_S, self)
        self.test = Stopwatch(clock, CHAIR_TEST_S, self)
        self.get_ready.changed.connect(self._on_tick)
        self.get_ready.finished.connect(self._on_get_ready_done)
        self.test.changed.connect(self._on_tick)
        self.test.finished.connect(self._on_test_done)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.stack.addWidget(_scroll(self._intro_page(sound)))
        self.stack.addWidget(self._countdown_page())
        self.stack.addWidget(_scroll(self._count_page()))

    def _intro_page(self, sound: bool) -> QWidget:
        page, layout = _page()
        layout.addWidget(label(T("30-second chair stand"), "h1"))
        layout.addWidget(label(T("How often can you stand up from a chair in 30 seconds?")))
        layout.addWidget(label(T("Before you start"), "h2"))
        for line in (
            T("Use a sturdy chair without wheels or arm rests, about knee high (43 cm)."),
            T("Put its back against a wall so it cannot slide."),
            T("Have someone nearby."),
            T(
                "Sit in the middle of the seat, feet flat on the floor, arms crossed over "
                "your chest."
            ),
            T(
                "On “Go”, stand up fully and sit down fully, as often as you can until “Stop”. "
                "Count each time you stand up."
            ),
        ):
            layout.addWidget(label("•  " + line))
        layout.addWidget(
            label(
                T("Stop if pain spreads, or if you feel dizzy or unsteady. Safety comes first."),
                "caution",
            )
        )
        self.beep_box = QCheckBox(T("Beep at “Go” and at “Stop”"))
        self.beep_box.setObjectName("chair-beep")
        self.beep_box.setChecked(sound)
        layout.addWidget(self.beep_box)
        start = button(T("I am sitting ready: start"), "primary")
        start.setObjectName("chair-start")
        start.clicked.connect(self.start)
        manual = button(T("Enter a count without the timer"))
        manual.setObjectName("chair-manual")
        manual.clicked.connect(lambda: self._show_count(T("Enter how often you stood up.")))
        back = button(T("← Back"), accessible=T("Back to the measures"))
        back.setObjectName("chair-cancel")
        back.clicked.connect(self.cancelled)
        layout.addLayout(_row(start, manual))
        layout.addStretch(1)
        layout.addLayout(_row(back))
        return page

    def _countdown_page(self) -> QWidget:
        page, layout = _page()
        self.phase_label = label(T("Get ready"), "h1")
        self.phase_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phase_label.setObjectName("chair-phase")
        layout.addWidget(self.phase_label)
        self.count_label = _big("5", 6.0)
        self.count_label.setObjectName("chair-seconds")
        layout.addWidget(self.count_label)
        self.hint = label(T("Arms crossed over your chest."))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        cancel = button(T("Stop the test"))
        cancel.setObjectName("chair-abort")
        cancel.clicked.connect(self._on_abort_clicked)
        layout.addLayout(_row(cancel))
        return page

    def _count_page(self) -> QWidget:
        page, layout = _page()
        layout.addWidget(label(T("How often did you stand up?"), "h1"))
        self.count_note = label("")
        self.count_note.setObjectName("chair-note")
        layout.addWidget(self.count_note)
        self.count = QSpinBox()
        self.count.setRange(0, 60)
        self.count.setObjectName("chair-count")
        self.count.setAccessibleName(T("Number of stands"))
        self.count.setStyleSheet("font-size: 24pt; min-width: 120px;")
        less = button("−", accessible=T("One less"))
        less.setObjectName("chair-less")
        less.clicked.connect(lambda: self.count.setValue(self.count.value() - 1))
        more = button("+", accessible=T("One more"))
        more.setObjectName("chair-more")
        more.clicked.connect(lambda: self.count.setValue(self.count.value() + 1))
        layout.addLayout(_row(less, self.count, more))
        layout.addWidget(label(T("For a comparison with people of your age (optional)"), "h2"))
        self.age = QSpinBox()
        self.age.setRange(0, 110)
        self.age.setSpecialValueText(T("not given"))
        self.age.setObjectName("chair-age")
        self.age.setAccessibleName(T("Your age"))
        layout.addLayout(_row(label(T("Your age"), None, wrap=False), self.age))
        self.sex_group = QButtonGroup(self)
        sex_row = QHBoxLayout()
        for key, text in (("female", T("Woman")), ("male", T("Man")), ("", T("Rather not say"))):
            radio = QRadioButton(text)
            radio.setObjectName(f"chair-sex-{key or 'none'}")
            radio.setProperty("sex", key)
            self.sex_group.addButton(radio)
            sex_row.addWidget(radio)
        sex_row.addStretch(1)
        layout.addLayout(sex_row)
        last = self._store.measures(MeasureKind.CHAIR_STAND)
        if last:
            age, sex = last[-1].value.get("age"), last[-1].value.get("sex")
            if isinstance(age, int):
                self.age.setValue(age)
            for b in self.sex_group.buttons():
                b.setChecked(b.property("sex") == (sex or ""))
        self.count_problem = label("", "caution")
        self.count_problem.hide()
        layout.addWidget(self.count_problem)
        save = button(T("Save"), "primary")
        save.setObjectName("chair-save")
        save.clicked.connect(self.save)
        discard = button(T("Discard"))
        discard.setObjectName("chair-discard")
        discard.clicked.connect(self._on_abort_clicked)
        layout.addLayout(_row(save, discard))
        layout.addStretch(1)
        return page

    # -- the countdown -------------------------------------------------------------
    def start(self) -> None:
        self.stack.setCurrentIndex(self.COUNTDOWN)
        self.phase_label.setText(T("Get ready"))
        self.hint.setText(T("Arms crossed over your chest."))
        self.get_ready.start()

    def _on_tick(self) -> None:
        watch = (
            self.test
            if self.test.running or self.get_ready.elapsed() >= CHAIR_GET_READY_S
            else self.get_ready
        )
        self.count_label.setText(str(math.ceil(watch.remaining() - 1e-6)))

    def _on_get_ready_done(self) -> None:
        self.phase_label.setText(T("Go! Stand up and sit down"))
        self.hint.setText(T("Count each time you stand up."))
        self._sound()
        self.test.start()

    def _on_test_done(self) -> None:
        self._sound()
        self._show_count(T("Stop. Sit and rest. How often did you stand up?"))

    def _sound(self) -> None:
        if self.beep_box.isChecked():
            self.beeps += 1
            self._beep()

    def _on_abort_clicked(self) -> None:
        self.get_ready.reset()
        self.test.reset()
        self.stack.setCurrentIndex(self.INTRO)
        self.cancelled.emit()

    def _show_count(self, note: str) -> None:
        self.count_note.setText(note)
        self.count_problem.hide()
        self.stack.setCurrentIndex(self.COUNT)
        self.count.setFocus()

    def save(self) -> None:
        value: dict[str, Any] = {"count": self.count.value()}
        if self.age.value():
            value["age"] = self.age.value()
        checked = self.sex_group.checkedButton()
        sex = checked.property("sex") if checked is not None else ""
        if sex:
            value["sex"] = sex
        try:
            self._store.add_measure(MeasureKind.CHAIR_STAND, value, taken=self._now())
        except StoreError as exc:
            self.count_problem.setText(exc.message)
            self.count_problem.show()
            return
        text = T("Saved: {n} times in 30 seconds.").format(n=value["count"])
        verdict = measures.chair_stand_verdict(value["count"], value.get("age"), value.get("sex"))
        if verdict is not None:
            text += " " + verdict.text().get(self._lang)
        self.stack.setCurrentIndex(self.INTRO)
        self.saved.emit(text)


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


class MeasuresView(QWidget):
    """The Measures page: a card per measure; each opens its guided screen."""

    measure_saved = Signal(str)  # the kind, after it was stored

    def __init__(
        self,
        store: Store | None,
        lang: str = "en",
        *,
        clock: Clock = time.monotonic,
        now: Callable[[], dt.datetime] = _utc_now,
        sound: bool = True,
        beep: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._lang = store, lang
        self._clock, self._now, self._sound, self._beep = clock, now, sound, beep
        self.current: QWidget | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.menu = QWidget()
        self._menu = QVBoxLayout(self.menu)
        self._menu.setContentsMargins(32, 24, 32, 24)
        self._menu.setSpacing(16)
        self.stack.addWidget(_scroll(self.menu))
        self.message = ""
        self.refresh()

    def set_store(self, store: Store | None) -> None:
        self._store = store
        self.show_menu()

    def refresh(self) -> None:
        layout = self._menu
        clear_layout(layout)
        layout.addWidget(label(T("Measures"), "h1"))
        if self.message:
            done = label("✓ " + self.message, "cue")
            done.setObjectName("measure-saved")
            layout.addWidget(done)
        if self._store is None:
            layout.addWidget(
                label(
                    T("Your progress file could not be opened, so measures cannot be saved."),
                    "caution",
                )
            )
            layout.addStretch(1)
            return
        layout.addWidget(
            label(
                T("Measure now and then to see how you are doing. Each takes a few minutes."),
                "muted",
            )
        )
        items = (
            ("pain", T("Pain"), T("Back and leg pain right now, 0 to 10."), T("Rate my pain")),
            (
                "walking",
                T("Home walking test"),
                T("How long you can walk before symptoms start, and in total. Up to 30 minutes."),
                T("Start the walking test"),
            ),
            (
                "psfs",
                T("Your activities"),
                T("How well you manage up to 5 activities you chose. Once a week."),
                T("Rate my activities"),
            ),
            (
                "chair",
                T("30-second chair stand"),
                T("How often you can stand up from a chair in 30 seconds."),
                T("Start the chair stand"),
            ),
        )
        for key, title, text, action in items:
            frame, box = card()
            frame.setObjectName(f"measure-{key}")
            box.addWidget(label(title, "h2"))
            box.addWidget(label(text))
            last = self._last_text(key)
            if last:
                box.addWidget(label(last, "muted"))
            go = button(action, "primary")
            go.setObjectName(f"open-{key}")
            go.clicked.connect(lambda _=False, k=key: self.open(k))
            box.addLayout(_row(go))
            layout.addWidget(frame)
        layout.addStretch(1)

    def _last_text(self, key: str) -> str:
        assert self._store is not None
        kind = {
            "pain": MeasureKind.PAIN,
            "walking": MeasureKind.WALKING_TEST,
            "psfs": MeasureKind.PSFS,
            "chair": MeasureKind.CHAIR_STAND,
        }[key]
        try:
            found = self._store.measures(kind)
        except StoreError:
            return ""
        if not found:
            return T("Not done yet.")
        m = found[-1]
        day = m.taken_utc.astimezone().date()
        when = long_date(day, self._lang)
        v = m.value
        if key == "pain":
            what = T("back {back}, leg {leg}").format(back=v.get("back"), leg=v.get("leg"))
        elif key == "walking":
            parts = []
            first, total = v.get(WALK_FIRST_SYMPTOMS_S), v.get(WALK_TOTAL_S)
            if isinstance(first, int | float) and first > 0:
                parts.append(T("symptoms after {t}").format(t=clock_text(first)))
            if isinstance(total, int | float) and total > 0:
                parts.append(T("{t} in total").format(t=clock_text(total)))
            what = ", ".join(parts)
        elif key == "psfs":
            score = measures.psfs_score(measures.psfs_scores(v))
            what = T("score {s} out of 10").format(s=f"{score:.1f}") if score is not None else ""
        else:
            what = T("{n} times").format(n=v.get("count"))
        return T("Last time ({date}): {what}").format(date=when, what=what)

    def open(self, key: str) -> QWidget | None:
        if self._store is None:
            return None
        self._close_screen()
        screen: QWidget
        if key == "pain":
            screen = PainScreen(self._store, self._now)
        elif key == "walking":
            screen = WalkingTestScreen(self._store, clock=self._clock, now=self._now)
        elif key == "psfs":
            screen = PsfsScreen(self._store, self._lang, self._now)
        elif key == "chair":
            screen = ChairStandScreen(
                self._store,
                self._lang,
                clock=self._clock,
                now=self._now,
                beep=self._beep,
                sound=self._sound,
            )
        else:
            raise KeyError(key)
        screen.setObjectName(f"screen-{key}")
        screen.saved.connect(lambda text, k=key: self._on_saved(k, text))
        screen.cancelled.connect(self.show_menu)
        self.current = screen
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        return screen

    def show_menu(self, message: str = "") -> None:
        self.message = message
        self._close_screen()
        self.refresh()
        self.stack.setCurrentIndex(0)

    def _on_saved(self, key: str, text: str) -> None:
        self.show_menu(text)
        kind = {"walking": "walking_test", "chair": "chair_stand"}.get(key, key)
        self.measure_saved.emit(kind)

    def _close_screen(self) -> None:
        screen, self.current = self.current, None
        if screen is not None:
            for watch in screen.findChildren(Stopwatch):
                watch.reset()
            self.stack.removeWidget(screen)
            screen.deleteLater()
