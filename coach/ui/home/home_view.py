"""The home view (the routines to start) and a routine's overview page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.core.content import wording
from coach.core.content.library import Library
from coach.core.content.model import Dosage, Routine, RoutineItem
from coach.core.session.personal import AS_WRITTEN, PersonalPlan
from coach.ui.i18n import T, language
from coach.ui.widgets import FigureView, button, card, clear_layout, label


def minutes_text(seconds: float | None) -> str:
    return wording.minutes_text(seconds, language())


def schedule_text(routine: Routine, lang: str) -> str:
    return wording.schedule_text(routine.schedule, lang)


def item_dose_text(item: RoutineItem, base: Dosage) -> str:
    return wording.dose_text(item.apply_to(base), language())


PlanOf = Callable[[Routine], PersonalPlan]
"""Gives the routine as this person does it (the main window's ``personal_plan``)."""


def as_written(library: Library) -> PlanOf:
    """For a view shown without a person behind it (tests, a clinician's preview)."""
    return lambda routine: AS_WRITTEN.plan_for(routine, library.exercises)


def routine_seconds(personal: PersonalPlan) -> float | None:
    return personal.total_seconds if personal.playable else None


def personal_or_none(plan_of: PlanOf, routine: Routine) -> PersonalPlan | None:
    """The personal plan, or None for a routine that names an unknown exercise."""
    try:
        return plan_of(routine)
    except (KeyError, ValueError):
        return None


def _scrolling(parent: QWidget) -> QVBoxLayout:
    outer = QVBoxLayout(parent)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(32, 24, 32, 32)
    layout.setSpacing(16)
    return layout


class HomeView(QWidget):
    start_requested = Signal(str)
    details_requested = Signal(str)
    check_requested = Signal()

    def __init__(
        self,
        library: Library,
        lang: str = "en",
        *,
        today: Callable[[], dt.date] = dt.date.today,
        extras: Callable[[], list[QWidget]] | None = None,
        chair_first: bool = False,
        plan_of: PlanOf | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._plan_of = plan_of or as_written(library)
        self._extras = extras
        self._chair_first = chair_first
        self._cards: list[QWidget] = []
        self._grid: QGridLayout | None = None
        self._columns = 2
        self._library = library
        self._lang = lang
        self._today = today
        self._layout = _scrolling(self)
        self.routine_order: list[str] = []
        self.refresh()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.refresh()

    def set_chair_first(self, chair_first: bool) -> None:
        if chair_first != self._chair_first:
            self._chair_first = chair_first
            self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_cards()

    def _place_cards(self) -> None:
        """Two columns of routine cards when they fit, one at large text sizes."""
        if self._grid is None:
            return
        card_width = self.fontMetrics().averageCharWidth() * 40
        columns = 2 if self.width() >= 2 * card_width + 96 else 1
        if columns == self._columns:
            return
        self._columns = columns
        for card_widget in self._cards:
            self._grid.removeWidget(card_widget)
        for n, card_widget in enumerate(self._cards):
            self._grid.addWidget(card_widget, n // columns, n % columns)

    def refresh(self, routines: list[Routine] | None = None) -> None:
        lang = self._lang
        layout = self._layout
        self._cards = []
        self._grid = None
        clear_layout(layout)
        hour = dt.datetime.now().hour
        greeting = (
            T("Good morning")
            if hour < 12
            else T("Good afternoon")
            if hour < 18
            else T("Good evening")
        )
        layout.addWidget(label(greeting, "h1"))
        layout.addWidget(
            label(
                T("Choose a routine and press Start. Coach will guide you step by step."), "muted"
            )
        )

        check_row = QHBoxLayout()
        check = button(T("Check warning signs"), accessible=T("Check warning signs"))
        check.setToolTip(T("Something new or worse than usual? Check here first."))
        check.clicked.connect(self.check_requested)
        check_row.addWidget(check)
        check_row.addStretch(1)
        layout.addLayout(check_row)
        for widget in self._extras() if self._extras else []:
            layout.addWidget(widget)
            # These cards show or hide themselves; ask again now that they have
            # a parent (a show() before that would have made them a window).
            refresh = getattr(widget, "refresh", None)
            if refresh is not None:
                refresh()

        layout.addWidget(label(T("Your routines"), "h2"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        if routines is None:
            routines = sorted(self._library.routines.values(), key=_builtin_order)
            if self._chair_first:
                routines.sort(key=lambda r: not r.chair_only)
        self.routine_order = [r.id for r in routines]
        for n, routine in enumerate(routines):
            card_widget = self._routine_card(routine, lang)
            self._cards.append(card_widget)
            grid.addWidget(card_widget, n // 2, n % 2)
        self._grid = grid
        layout.addLayout(grid)
        self._columns = 2
        self._place_cards()
        layout.addStretch(1)
        layout.addWidget(
            label(
                T(
                    "Coach does not replace your doctor or physiotherapist. Stop if pain "
                    "spreads, or if you feel dizzy or short of breath."
                ),
                "muted",
            )
        )

    def _routine_card(self, routine: Routine, lang: str) -> QWidget:
        frame, box = card()
        frame.setObjectName(f"routine-{routine.id}")
        box.addWidget(label(routine.title.get(lang), "h2"))
        personal = personal_or_none(self._plan_of, routine)
        played = personal.routine if personal is not None else None
        facts = [
            minutes_text(routine_seconds(personal) if personal is not None else None),
            T("{n} exercises").format(n=len((played or routine).items)),
            schedule_text(routine, lang),
        ]
        box.addWidget(label(" · ".join(f for f in facts if f), "muted"))
        box.addWidget(label(routine.description.get(lang)))
        row = QHBoxLayout()
        start = button(
            T("Start"),
            "primary",
            accessible=T("Start {title}").format(title=routine.title.get(lang)),
        )
        start.setObjectName(f"start-{routine.id}")
        start.clicked.connect(lambda _=False, i=routine.id: self.start_requested.emit(i))
        more = button(
            T("See the exercises"),
            accessible=T("See the exercises of {title}").format(title=routine.title.get(lang)),
        )
        more.clicked.connect(lambda _=False, i=routine.id: self.details_requested.emit(i))
        row.addWidget(start)
        row.addWidget(more)
        row.addStretch(1)
        box.addLayout(row)
        box.addStretch(1)
        return frame


_BUILTIN_ORDER = [
    "daily-relief",
    "chair-counter",
    "strength",
    "balance-legs",
    "posture-daily",
    "walking",
    "gentle-day",
]


def _builtin_order(routine: Routine) -> tuple[int, str]:
    try:
        return (_BUILTIN_ORDER.index(routine.id), routine.id)
    except ValueError:
        return (len(_BUILTIN_ORDER), routine.id)


class RoutineView(QWidget):
    start_requested = Signal(str)
    print_requested = Signal(str)  # "print", "preview" or "pdf"
    exercise_requested = Signal(str)
    back_requested = Signal()

    def __init__(
        self,
        library: Library,
        lang: str = "en",
        parent: QWidget | None = None,
        *,
        plan_of: PlanOf | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._lang = lang
        self._plan_of = plan_of or as_written(library)
        self.routine: Routine | None = None
        self._layout = _scrolling(self)

    def set_language(self, lang: str) -> None:
        self._lang = lang
        if self.routine is not None:
            self.show_routine(self.routine)

    def show_routine(self, routine: Routine) -> None:
        self.routine = routine
        lang = self._lang
        layout = self._layout
        clear_layout(layout)
        top = QHBoxLayout()
        back = button(T("← Back"), accessible=T("Back to the routines"))
        back.clicked.connect(self.back_requested)
        top.addWidget(back)
        top.addStretch(1)
        start = button(
            T("Start"),
            "primary",
            accessible=T("Start {title}").format(title=routine.title.get(lang)),
        )
        start.clicked.connect(lambda: self.start_requested.emit(routine.id))
        for kind, caption in (
            ("print", T("Print…")),
            ("preview", T("Print preview…")),
            ("pdf", T("Export PDF…")),
        ):
            action = button(caption)
            action.setObjectName(f"print-{kind}")
            action.clicked.connect(lambda _=False, k=kind: self.print_requested.emit(k))
            top.addWidget(action)
        top.addWidget(start)
        layout.addLayout(top)
        layout.addWidget(label(routine.title.get(lang), "h1"))
        personal = personal_or_none(self._plan_of, routine)
        facts = [
            minutes_text(routine_seconds(personal) if personal is not None else None),
            schedule_text(routine, lang),
        ]
        layout.addWidget(label(" · ".join(f for f in facts if f), "muted"))
        layout.addWidget(label(routine.description.get(lang)))
        if personal is not None and personal.changes:
            changed, changes_box = card()
            changed.setObjectName("routine-changes")
            changes_box.addWidget(label(T("Changed for you"), "h2"))
            for change in personal.change_texts(lang):
                changes_box.addWidget(label("• " + change))
            layout.addWidget(changed)
        played = personal.routine if personal is not None else None
        for n, item in enumerate((played or routine).items, start=1):
            ex = (
                personal.exercise(item.exercise, self._library.exercises)
                if personal is not None
                else self._library.exercises.get(item.exercise)
            )
            if ex is None:
                continue
            frame, box = card()
            row = QHBoxLayout()
            picture = FigureView(minimum=QSize(160, 120))
            picture.setMaximumWidth(220)
            picture.set_file(self._library.illustration(ex.id, "end"))
            row.addWidget(picture)
            text = QVBoxLayout()
            text.addWidget(label(f"{n}. {ex.title.get(lang)}", "h2"))
            text.addWidget(label(item_dose_text(item, ex.dosage)))
            text.addWidget(label("✓ " + ex.cue.get(lang)))
            if item.note:
                text.addWidget(label(item.note.get(lang), "muted"))
            more = button(
                T("How to do it"),
                accessible=T("How to do {title}").format(title=ex.title.get(lang)),
            )
            more.clicked.connect(lambda _=False, i=ex.id: self.exercise_requested.emit(i))
            line = QHBoxLayout()
            line.addWidget(more)
            line.addStretch(1)
            text.addLayout(line)
            row.addLayout(text, 1)
            box.addLayout(row)
            layout.addWidget(frame)
        layout.addStretch(1)
