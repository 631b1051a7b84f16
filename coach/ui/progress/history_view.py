"""The History page: sessions against the plan, pain and walking over time, in words too.

Everything here is drawn for older eyes: big numbers, shapes as well as colour
(the day marks, ``marks.py``) and charts whose lines differ in dash pattern and
marker shape (``charts.py``, which alone imports QtCharts, on first use). The
page also lists the steps Coach made easier on its own after a session that was
too much, with a way back to the earlier dose, on purpose and after a
confirmation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.days import DAY_NAMES
from coach.core.progress import progression, session_log, stats
from coach.core.progress.history import History
from coach.core.progress.store_errors import StoreError
from coach.ui.flow_layout import FlowLayout
from coach.ui.i18n import T
from coach.ui.progress.charts import pain_card, walking_card
from coach.ui.progress.dates import short_date
from coach.ui.progress.marks import MARK_WORDS, DayCell, MarkIcon, body_pt, legend_entry
from coach.ui.progress.session_words import sessions_of_planned, time_of_planned, verdict_text
from coach.ui.widgets import button, card, label

if TYPE_CHECKING:
    from coach.core.content.library import Library
    from coach.core.content.model import Routine
    from coach.core.progress.store import Store


def _bold(widget: QLabel) -> QLabel:
    """Bold by font, not by a per-widget style sheet (those are slow to polish)."""
    font = QFont(widget.font())
    font.setBold(True)
    widget.setFont(font)
    return widget


LAST_SESSIONS_SHOWN = 6


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class HistoryView(QWidget):
    """The History page. Build it with the open store (or None), the library and a language.

    ``dose_changed`` follows going back to an earlier dose (already stored).
    """

    dose_changed = Signal()

    def __init__(
        self,
        store: Store | None,
        library: Library,
        lang: str = "en",
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        tz: dt.tzinfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._library = library
        self._lang = lang
        self._now = now
        self._tz = tz
        self.overview: stats.Overview | None = None
        self.problem: str | None = None
        self.easier: list[progression.AutomaticStep] = []
        self.week_times: dict[dt.date, session_log.WeekTime] = {}
        self.last_sessions: list[session_log.SessionLine] = []
        self.confirm: QMessageBox | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        outer.addWidget(self.scroller)
        self.body = QWidget()
        self._layout = QVBoxLayout(self.body)
        self.refresh()

    # -- public ------------------------------------------------------------------
    def set_store(self, store: Store | None) -> None:
        """After a restore or a delete the window hands over the reopened store."""
        self._store = store
        self.refresh()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.refresh()

    def refresh(self) -> None:
        # A fresh page each time: setWidget deletes the old one at once, so no
        # stale widget lingers until the event loop runs.
        self.body = QWidget()
        self._layout = QVBoxLayout(self.body)
        self._layout.setContentsMargins(32, 24, 32, 32)
        self._layout.setSpacing(18)
        self.scroller.setWidget(self.body)
        self.overview, self.problem = None, None
        self.week_times, self.last_sessions = {}, []
        layout = self._layout
        layout.addWidget(label(T("Your progress"), "h1"))
        if self._store is None:
            self._say(T("Your progress file could not be opened, so there is nothing to show."))
            return
        try:
            with History(self._store) as history:
                self.overview = stats.overview(history, self._routines(), self._now(), self._tz)
                self.easier = [
                    s
                    for s in progression.automatic_steps(history)
                    if s.routine_id in self._routines()
                ]
                ov = self.overview
                mondays = [w.start for w in ov.weeks]
                self.week_times = {
                    t.start: t for t in session_log.week_times(history, mondays, self._tz)
                }
                since = stats.day_start_utc(mondays[0], self._tz)
                self.last_sessions = session_log.session_lines(history, since, self._now())[
                    :LAST_SESSIONS_SHOWN
                ]
        except StoreError as exc:
            self.problem = exc.message
            self._say(exc.message)
            return
        ov = self.overview
        if self.easier:
            layout.addWidget(self._easier_card(self.easier))
        layout.addWidget(self._summary_card(ov))
        layout.addLayout(self._tiles(ov))
        layout.addWidget(self._calendar_card(ov))
        if self.last_sessions:
            layout.addWidget(self._sessions_card(self.last_sessions))
        layout.addWidget(pain_card(ov, self._lang))
        layout.addWidget(walking_card(ov, self._lang, self._tz))
        layout.addStretch(1)

    # -- pieces --------------------------------------------------------------------
    def _routines(self) -> Mapping[str, Routine]:
        return self._library.routines

    def _say(self, text: str) -> None:
        msg = label(text, "caution")
        msg.setObjectName("history-problem")
        self._layout.addWidget(msg)
        self._layout.addStretch(1)

    def _easier_card(self, steps: Sequence[progression.AutomaticStep]) -> QWidget:
        frame, box = card()
        frame.setObjectName("easier")
        box.addWidget(label(T("Made easier for you"), "h2"))
        box.addWidget(
            label(
                T(
                    "Coach made these one step easier after a session that was too much. "
                    "When you feel ready, you can go back to the dose before."
                ),
                "muted",
            )
        )
        routines = self._routines()
        for step in steps:
            title = routines[step.routine_id].title.get(self._lang)
            day = short_date(stats.local_day(step.taken_utc, self._tz), self._lang)
            if step.reason is progression.Reason.WORSE_NEXT_DAY:
                why = T("after a morning worse than usual ({day})").format(day=day)
            else:
                why = T("after your pain rose too much ({day})").format(day=day)
            what = step.text(self._library.exercises).get(self._lang)
            line = _bold(label(f"{title} – {what}"))
            line.setObjectName(f"easier-{step.routine_id}")
            box.addWidget(line)
            box.addWidget(label(why, "muted"))
            row = QHBoxLayout()
            back = button(
                T("Go back to the earlier dose"),
                accessible=T("Go back to the earlier dose of {title}").format(title=title),
            )
            back.setObjectName(f"go-back-{step.routine_id}")
            back.clicked.connect(lambda _=False, s=step: self.ask_go_back(s))
            row.addWidget(back)
            row.addStretch(1)
            box.addLayout(row)
        return frame

    def ask_go_back(self, step: progression.AutomaticStep) -> QMessageBox:
        """Ask first: going back is the person's own decision, against Coach's advice."""
        title = self._routines()[step.routine_id].title.get(self._lang)
        what = step.earlier_text(self._library.exercises)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            T("Go back to the earlier dose"),
            T("Go back to the earlier dose of {title}?").format(title=title),
            parent=self,
        )
        box.setInformativeText(
            T(
                "{what}. Do this only if your back and legs have been as usual again "
                "after your last sessions."
            ).format(what=what.get(self._lang))
        )
        yes = box.addButton(T("Yes, go back"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("go-back-yes")
        no = box.addButton(T("No, keep it easier"), QMessageBox.ButtonRole.RejectRole)
        no.setObjectName("go-back-no")
        box.setDefaultButton(no)

        def answered(clicked: object) -> None:
            if clicked is yes:
                self._go_back(step)

        box.buttonClicked.connect(answered)
        self.confirm = box
        box.open()
        return box

    def _go_back(self, step: progression.AutomaticStep) -> None:
        if self._store is None:
            return
        try:
            progression.go_back_to_earlier(self._store, step, when=self._now())
        except (StoreError, ValueError) as exc:
            self.problem = getattr(exc, "message", str(exc))
        self.refresh()
        self.dose_changed.emit()

    def _summary_card(self, ov: stats.Overview) -> QWidget:
        frame, box = card()
        frame.setObjectName("summary")
        box.addWidget(label(T("What has changed"), "h2"))
        for sentence in ov.sentences:
            line = label("•  " + sentence.get(self._lang))
            line.setProperty("summary", True)
            box.addWidget(line)
        return frame

    def _tile(self, name: str, number: str, words: str, extra: str = "") -> QWidget:
        frame, box = card()
        frame.setObjectName(name)
        big = label(number, "h1", wrap=False)
        big.setObjectName(f"{name}-number")
        box.addWidget(big)
        box.addWidget(label(words))
        if extra:
            box.addWidget(label(extra, "muted"))
        box.addStretch(1)
        frame.setAccessibleName(f"{number} {words} {extra}".strip())
        return frame

    def _tiles(self, ov: stats.Overview) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        streak_words = T("day on plan") if ov.streak == 1 else T("days in a row on plan")
        streak_extra = "" if ov.streak else T("Every session starts a new streak.")
        row.addWidget(self._tile("streak", str(ov.streak), streak_words, streak_extra))
        minutes = ov.minutes
        row.addWidget(
            self._tile(
                "minutes",
                str(round(minutes.total)),
                T("minutes active this week"),
                T("{coach} with Coach, {other} in other activities").format(
                    coach=round(minutes.with_coach), other=round(minutes.other)
                ),
            )
        )
        week = ov.weeks[-1]
        if week.planned and week.done <= week.planned:
            words = T("of {planned} planned sessions done this week").format(planned=week.planned)
        elif week.planned:
            words = T("sessions this week ({planned} planned)").format(planned=week.planned)
        else:
            words = T("sessions this week")
        time = self.week_times.get(week.start)
        extra = time_of_planned(time.done_s, time.planned_s) if time and time.planned_s else ""
        row.addWidget(self._tile("sessions", str(week.done), words, extra))
        return row

    def _sessions_card(self, lines: Sequence[session_log.SessionLine]) -> QWidget:
        """The last sessions, each with how it went: done, mostly skipped, or where it stopped."""
        frame, box = card()
        frame.setObjectName("last-sessions")
        box.addWidget(label(T("Your last sessions"), "h2"))
        routines = self._routines()
        for line in lines:
            routine = routines.get(line.routine_id)
            title = routine.title.get(self._lang) if routine is not None else line.routine_id
            day = short_date(stats.local_day(line.started_utc, self._tz), self._lang)
            went = verdict_text(line, self._library.exercises, self._lang)
            text = f"{day} · {title}: {went}"
            if line.effort.planned_s:
                text += " · " + time_of_planned(line.effort.done_s, line.effort.planned_s)
            entry = label(text)
            entry.setObjectName(f"session-{line.id}")
            box.addWidget(entry)
        return frame

    def _calendar_card(self, ov: stats.Overview) -> QWidget:
        frame, box = card()
        frame.setObjectName("calendar")
        first, last = ov.weeks[0].start, ov.weeks[-1].start + dt.timedelta(days=6)
        box.addWidget(
            label(
                T("Sessions from {first} to {last}").format(
                    first=short_date(first, self._lang), last=short_date(last, self._lang)
                ),
                "h2",
            )
        )
        if not ov.plan:
            box.addWidget(
                label(
                    T(
                        "Coach counts a routine as your plan once you have done it on two "
                        "different days."
                    ),
                    "muted",
                )
            )
        else:
            names = ", ".join(r.title.get(self._lang) for r in ov.plan)
            box.addWidget(label(T("Your plan: {names}").format(names=names), "muted"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        for col, name in enumerate(DAY_NAMES["en"].values()):
            head = _bold(label(T(name), None, wrap=False))
            head.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(head, 0, col)
            grid.setColumnStretch(col, 1)
        row = 1
        for week in ov.weeks:
            if week.planned:
                text = T("Week of {date}: {sessions}").format(
                    date=short_date(week.start, self._lang),
                    sessions=sessions_of_planned(week.done, week.planned),
                )
            else:
                text = T("Week of {date}: {done} sessions").format(
                    date=short_date(week.start, self._lang), done=week.done
                )
            time = self.week_times.get(week.start)
            if time is not None and time.planned_s:
                text += " · " + time_of_planned(time.done_s, time.planned_s)
            caption = _bold(label(text))
            caption.setObjectName(f"week-{week.start.isoformat()}")
            caption.setContentsMargins(0, 6, 0, 0)
            grid.addWidget(caption, row, 0, 1, 7)
            for col, status in enumerate(week.days):
                grid.addWidget(DayCell(status, ov.today, self._lang), row + 1, col)
            row += 2
        box.addLayout(grid)
        legend = FlowLayout(spacing=16)
        for mark in (
            stats.DayMark.DONE,
            stats.DayMark.PARTLY,
            stats.DayMark.MISSED,
            stats.DayMark.TO_COME,
            stats.DayMark.FREE,
        ):
            legend.addWidget(legend_entry(MarkIcon(mark, round(body_pt(2.0))), T(MARK_WORDS[mark])))
        box.addLayout(legend)
        return frame
