"""Coach in the system tray: reminders at the planned times, and nothing in between.

:class:`ReminderService` holds ONE single-shot timer armed for the next due
reminder that :func:`coach.core.reminders.schedule.next_due` names; it is rearmed
after each reminder, after every change and on wake. A monotonic timer does
not run while the computer sleeps and never hears of a clock change, so the
timer is never armed further than ``max_sleep_s`` ahead: when it fires early
for that reason it only recomputes (a wall-clock jump shows up as the
difference between the wall and the monotonic time since arming). Where
logind is there, its "resumed" signal recomputes at once. Whatever was missed
comes back as one catch-up reminder, never a burst (the core decides that).

:class:`TrayPresence` shows the reminders: a tray icon with its menu, or,
where the desktop has no tray, a small always-on-top :class:`ReminderPopup`.
:class:`ReminderSettingsView` edits the reminder preferences.
"""

from __future__ import annotations

import html
import os
import sys
import time as _time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import SLOT, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.days import DAY_NAMES, DAY_NAMES_LONG_EN, WEEK
from coach.core.reminders import autostart
from coach.core.reminders import schedule as core
from coach.core.reminders.plan_entries import PlanEntry, chosen_plan
from coach.core.reminders.preferences import (
    PrefsError,
    Problem,
    ReminderPrefs,
    check_active_hours,
    check_posture_interval,
    check_times,
    format_time,
    parse_minutes,
    parse_time,
)
from coach.core.reminders.schedule import Kind, Reminder
from coach.core.reminders.settings_file import ReminderSettings, save_settings
from coach.ui.i18n import T
from coach.ui.widgets import FigureView, button, label

if TYPE_CHECKING:
    from coach.core.content.library import Library

Clock = Callable[[], datetime]
DoneToday = Callable[[datetime], Mapping[str, int]]

ACCENT = "#0b6e5f"


# --------------------------------------------------------------------------
# Time: the person's zone, read afresh each time
# --------------------------------------------------------------------------


def system_zone() -> tzinfo:
    """The computer's zone with its daylight-saving rules (IANA name via Qt if needed)."""
    zone = core.local_zone()
    if type(zone).__name__ == "ZoneInfo":
        return zone
    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return core.zone_named(name) or zone


def local_now() -> datetime:
    return datetime.now(system_zone())


def _store_counts(store: Any | None, week: bool) -> DoneToday:
    def done(now: datetime) -> Mapping[str, int]:
        if store is None:
            return {}
        tz = now.tzinfo
        assert tz is not None
        day = now.date()
        first = day - timedelta(days=day.weekday()) if week else day
        try:
            sessions = store.sessions(
                core.day_bounds_utc(first, tz)[0], core.day_bounds_utc(day, tz)[1]
            )
        except Exception:  # a broken store must never stop the reminders
            return {}
        return (core.week_done_counts if week else core.done_counts)(sessions, day, tz)

    return done


def store_done_today(store: Any | None) -> DoneToday:
    """Counts of today's sessions per routine, read from the progress store."""
    return _store_counts(store, week=False)


def store_done_this_week(store: Any | None) -> DoneToday:
    """Counts of this ISO week's sessions per routine, for the "n times a week" plans."""
    return _store_counts(store, week=True)


def routine_picture_from(library: Library) -> Callable[[str], Path | None]:
    """A routine's picture for its reminder: the end pose of its first exercise."""

    def picture(routine_id: str) -> Path | None:
        routine = library.routines.get(routine_id)
        if routine is None or not routine.items:
            return None
        ex = library.exercises.get(routine.items[0].exercise)
        if ex is None:
            return None
        source = library.sources.get(("exercise", ex.id))
        return library.resolve_illustration(source.path if source else None, ex.illustrations.end)

    return picture


# --------------------------------------------------------------------------
# Resume from suspend (logind), where there is one
# --------------------------------------------------------------------------


class _SleepWatch(QObject):
    resumed = Signal()

    @Slot(bool)
    def _on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if not going_to_sleep:
            self.resumed.emit()


def watch_resume(
    parent: QObject, bus: Any | None = None, service: str = "org.freedesktop.login1"
) -> _SleepWatch | None:
    """A watcher whose ``resumed`` fires after a suspend; None where it cannot listen."""
    if bus is None:
        if not sys.platform.startswith("linux") or not os.path.exists(
            "/run/dbus/system_bus_socket"
        ):
            return None
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection.systemBus()
    if not bus.isConnected():
        return None
    watch = _SleepWatch(parent)
    # PySide's stubs say bytes, but only the str that SLOT() returns connects.
    ok = bus.connect(  # type: ignore[call-overload]
        service,
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager",
        "PrepareForSleep",
        watch,
        SLOT("_on_prepare_for_sleep(bool)"),
    )
    if not ok:
        watch.deleteLater()
        return None
    return watch


# --------------------------------------------------------------------------
# The service: one single-shot timer
# --------------------------------------------------------------------------


class ReminderService(QObject):
    """Shows each reminder when it is due; sleeps in between.

    ``plan``: entries for every routine that may be chosen (see
    :func:`coach.core.reminders.plan_entries.plan_entries`); the reminders use those the
    preferences name.
    Without one, the plan cached in the settings file is used, so Coach can
    remind from the tray at login before (or without) loading the library.
    The clock returns the aware wall-clock time in the person's zone; tests
    inject a fake one. ``done_today(now)`` counts today's sessions per routine.
    """

    reminder_due = Signal(object)  # a core Reminder, to be shown now
    schedule_changed = Signal()  # the next reminder (or pause, or prefs) changed
    clock_jumped = Signal()  # a wake from suspend or a clock change was noticed

    MAX_SLEEP_S = 300.0
    JUMP_S = 60.0

    def __init__(
        self,
        settings: ReminderSettings | None = None,
        plan: Sequence[PlanEntry] = (),
        *,
        path: Path | None = None,
        done_today: DoneToday | None = None,
        done_this_week: DoneToday | None = None,
        clock: Clock | None = None,
        monotonic: Callable[[], float] = _time.monotonic,
        max_sleep_s: float = MAX_SLEEP_S,
        watch_sleep: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or ReminderSettings()
        # Without a plan from the library, the one cached at the last run.
        self.plan: list[PlanEntry] = list(plan or self.settings.plan)
        self.path = path
        self._done_today = done_today or (lambda _now: {})
        self._done_this_week = done_this_week or (lambda _now: {})
        self._clock = clock or local_now
        self._monotonic = monotonic
        self.max_sleep_s = max_sleep_s
        self.in_routine = False
        self.next: Reminder | None = None
        self.current: Reminder | None = None  # shown and not yet answered
        self.save_problem: str | None = None
        self._armed_at: tuple[datetime, float] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._sleep_watch = watch_resume(self) if watch_sleep else None
        if self._sleep_watch is not None:
            self._sleep_watch.resumed.connect(self.woke_up)

    # -- reading ---------------------------------------------------------------
    @property
    def active_plan(self) -> list[PlanEntry]:
        """The plan entries of the routines the person chose to be reminded of."""
        return chosen_plan(self.prefs, self.plan)

    @property
    def prefs(self) -> ReminderPrefs:
        return self.settings.prefs

    @property
    def state(self) -> core.ReminderState:
        return self.settings.state

    def now(self) -> datetime:
        return self._clock()

    @property
    def paused(self) -> bool:
        return self.state.paused(self.now())

    def todays_routine(self) -> str | None:
        now = self.now()
        return core.todays_routine(
            now, self.prefs, self.active_plan, self._done_today(now), self._done_this_week(now)
        )

    def upcoming(self, n: int) -> list[Reminder]:
        now = self.now()
        return core.upcoming(
            now,
            self.prefs,
            self.active_plan,
            n,
            self.state,
            self._done_today(now),
            self._done_this_week(now),
        )

    # -- arming ----------------------------------------------------------------
    def start(self) -> None:
        """Arm for the first time (shows a catch-up at once if one is due)."""
        self.rearm()

    def stop(self) -> None:
        self.timer.stop()
        self._armed_at = None

    def rearm(self) -> None:
        """Compute the next reminder; show it now if due, else arm the one timer for it."""
        self.timer.stop()
        self._armed_at = None
        now = self.now()
        rem = core.next_due(
            now,
            self.prefs,
            self.active_plan,
            self.state,
            self._done_today(now),
            in_routine=self.in_routine,
            done_this_week=self._done_this_week(now),
        )
        if rem is not None and rem.due.timestamp() <= now.timestamp():
            self._show(rem, now)
            now = self.now()
            rem = core.next_due(
                now,
                self.prefs,
                self.active_plan,
                self.state,
                self._done_today(now),
                done_this_week=self._done_this_week(now),
            )
        self.next = rem
        if rem is not None:
            wait_s = max(0.0, rem.due.timestamp() - now.timestamp())
            precise = wait_s <= self.max_sleep_s
            wait_s = min(wait_s, self.max_sleep_s)
            self.timer.setTimerType(
                Qt.TimerType.PreciseTimer if precise else Qt.TimerType.CoarseTimer
            )
            # Up to 1 s late on purpose: a timer that fires early only re-arms.
            self.timer.start(max(1, int(wait_s * 1000) + (1 if precise else 0)))
            self._armed_at = (now, self._monotonic())
        self.schedule_changed.emit()

    def check_now(self) -> None:
        """What the timer does when it fires (tests call it after moving a fake clock)."""
        self._on_timer_timeout()

    def _on_timer_timeout(self) -> None:
        if self._armed_at is not None:
            wall0, mono0 = self._armed_at
            wall = self.now().timestamp() - wall0.timestamp()
            mono = self._monotonic() - mono0
            if abs(wall - mono) > self.JUMP_S:
                self.clock_jumped.emit()
        self.rearm()

    def woke_up(self) -> None:
        """After a suspend or a clock change: recompute (one catch-up at most)."""
        self.clock_jumped.emit()
        self.rearm()

    def _show(self, rem: Reminder, now: datetime) -> None:
        self.state.mark_shown(rem, now)
        self.current = rem
        self.save()
        self.reminder_due.emit(rem)

    # -- what the person did -----------------------------------------------------
    def acted(self, rem: Reminder | None = None) -> None:
        """Started or dismissed: the reminder is not repeated."""
        rem = rem or self.current
        if rem is not None:
            self.state.acted(rem)
        if rem is self.current:
            self.current = None
        self.save()
        self.rearm()

    def snooze(self, minutes: int | None = None, rem: Reminder | None = None) -> None:
        """Nothing for ``minutes``; then the snoozed reminder once more."""
        rem = rem or self.current
        self.state.snooze_for(self.now(), minutes or self.prefs.snooze_min, rem)
        self.current = None
        self.save()
        self.rearm()

    def pause_today(self) -> None:
        self.state.pause_today(self.now())
        self.current = None
        self.save()
        self.rearm()

    def resume(self) -> None:
        self.state.resume(self.now())
        self.save()
        self.rearm()

    def set_in_routine(self, playing: bool) -> None:
        """A routine is playing: nothing is shown until it ends."""
        if playing == self.in_routine:
            return
        self.in_routine = playing
        if not playing:
            self.state.routine_ended(self.now())
            self.save()
        self.rearm()

    def refresh(self) -> None:
        """Call after a session was recorded: done sessions silence the rest."""
        self.rearm()

    def set_done_today(
        self, done_today: DoneToday, done_this_week: DoneToday | None = None
    ) -> None:
        """Where today's and this week's sessions are counted (the store, once it is open)."""
        self._done_today = done_today
        if done_this_week is not None:
            self._done_this_week = done_this_week
        self.rearm()

    def set_plan(self, plan: Sequence[PlanEntry]) -> None:
        """New routines available (the library loaded or changed); cached for the next start."""
        self.plan = list(plan)
        if tuple(plan) != self.settings.plan:
            self.settings.plan = tuple(plan)
            self.save()
        self.rearm()

    def set_prefs(self, prefs: ReminderPrefs) -> str | None:
        """Apply and save new preferences; returns a message if start-at-login failed."""
        message = None
        if prefs.start_at_login != self.prefs.start_at_login:
            try:
                autostart.set_autostart(prefs.start_at_login)
            except autostart.AutostartError as exc:
                message = str(exc)
                prefs = prefs.changed(start_at_login=False)
        # New settings count from now on: no "missed" reminder from a time
        # that was just moved behind us, nothing caught up from a quiet spell.
        self.state.mark_checked(self.now())
        self.settings.prefs = prefs
        self.save()
        self.rearm()
        return message

    def save(self) -> None:
        if self.path is None:
            return
        try:
            save_settings(self.path, self.settings)
            self.save_problem = None
        except OSError as exc:  # reminders go on; the person is told by whoever asks
            self.save_problem = str(exc.strerror or exc)


# --------------------------------------------------------------------------
# Closing the window: stay in the tray
# --------------------------------------------------------------------------


def should_hide_on_close(*, tray_available: bool, reminders_on: bool, quitting: bool) -> bool:
    """Closing the main window keeps Coach in the tray only when it can remind from there."""
    return tray_available and reminders_on and not quitting


def app_icon(size: int = 64) -> QIcon:
    """Coach's icon, drawn: a calm figure leaning forward on a green disc."""
    icon = QIcon()
    for px in (16, 22, 24, 32, 48, size):
        pix = QPixmap(px, px)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = px / 64
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(ACCENT))
        p.drawEllipse(QRectF(2 * s, 2 * s, 60 * s, 60 * s))
        pen = QPen(QColor("#ffffff"), max(1.5, 5 * s))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.setBrush(QColor("#ffffff"))
        p.drawEllipse(QPointF(38 * s, 17 * s), 5.5 * s, 5.5 * s)
        p.setBrush(Qt.BrushStyle.NoBrush)
        back = QPainterPath(QPointF(34 * s, 25 * s))
        back.quadTo(QPointF(24 * s, 30 * s), QPointF(25 * s, 42 * s))  # rounded back
        p.drawPath(back)
        p.drawLine(QPointF(25 * s, 42 * s), QPointF(22 * s, 54 * s))
        p.drawLine(QPointF(25 * s, 42 * s), QPointF(33 * s, 54 * s))
        p.drawLine(QPointF(32 * s, 28 * s), QPointF(42 * s, 38 * s))
        p.end()
        icon.addPixmap(pix)
    return icon


# --------------------------------------------------------------------------
# The popup: where there is no tray (and wherever one wants it)
# --------------------------------------------------------------------------


class ReminderPopup(QWidget):
    """A small always-on-top window with the reminder, its picture and three buttons."""

    start_clicked = Signal(object)
    snooze_clicked = Signal(object, int)
    dismiss_clicked = Signal(object)

    def __init__(
        self,
        *,
        snooze_min: int = 10,
        lang: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Window
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowCloseButtonHint,
        )
        self.setWindowTitle("Coach")
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setObjectName("reminder-popup")
        self.lang = lang
        self.snooze_min = snooze_min
        self.reminder: Reminder | None = None
        outer = QHBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 18)
        outer.setSpacing(18)
        side = self.fontMetrics().height() * 9
        self.picture = FigureView(minimum=QSize(side, side * 3 // 4))
        self.picture.setMaximumWidth(side * 4 // 3)
        outer.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(12)
        self.title = label("", "h2")
        self.message = label("")
        self.message.setMinimumWidth(320)
        column.addWidget(self.title)
        column.addWidget(self.message)
        column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(10)
        self.start_button = button(T("Start"), "primary")
        self.start_button.setObjectName("reminder-start")
        self.snooze_button = button("")
        self.snooze_button.setObjectName("reminder-snooze")
        self.dismiss_button = button(T("Dismiss"))
        self.dismiss_button.setObjectName("reminder-dismiss")
        for b in (self.start_button, self.snooze_button, self.dismiss_button):
            row.addWidget(b)
        row.addStretch(1)
        column.addLayout(row)
        outer.addLayout(column, 1)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.snooze_button.clicked.connect(self._on_snooze_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)

    def show_reminder(self, rem: Reminder, picture: Path | None = None) -> None:
        self.reminder = rem
        self.title.setText(rem.title(self.lang))
        self.message.setText(rem.message(self.lang))
        routine = rem.kind is Kind.ROUTINE
        self.start_button.setVisible(routine)
        self.start_button.setAccessibleName(
            T("Start {title}").format(title=rem.routines_text(self.lang)) if routine else ""
        )
        self.dismiss_button.setText(T("Not now") if routine else T("Got it"))
        self.dismiss_button.setAccessibleName(self.dismiss_button.text())
        self.snooze_button.setText(T("Remind me in {n} minutes").format(n=self.snooze_min))
        self.snooze_button.setAccessibleName(self.snooze_button.text())
        self.picture.set_file(picture)
        self.picture.setVisible(self.picture.valid)
        if self.picture.valid:
            self.picture.setAccessibleName(rem.title(self.lang))
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        (self.start_button if routine else self.dismiss_button).setFocus()

    def _place(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        size = self.sizeHint().expandedTo(self.size())
        self.move(area.right() - size.width() - 24, area.bottom() - size.height() - 24)

    def _take(self) -> Reminder | None:
        rem, self.reminder = self.reminder, None
        self.hide()
        return rem

    def _on_start_clicked(self) -> None:
        rem = self._take()
        if rem is not None:
            self.start_clicked.emit(rem)

    def _on_snooze_clicked(self) -> None:
        rem = self._take()
        if rem is not None:
            self.snooze_clicked.emit(rem, self.snooze_min)

    def _on_dismiss_clicked(self) -> None:
        rem = self._take()
        if rem is not None:
            self.dismiss_clicked.emit(rem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._on_dismiss_clicked()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.reminder is not None:
            self._on_dismiss_clicked()
        super().closeEvent(event)


# --------------------------------------------------------------------------
# The tray presence
# --------------------------------------------------------------------------

SNOOZE_CHOICES = (10, 30, 60)


class TrayPresence(QObject):
    """The tray icon and its menu, or the popup where there is no tray."""

    start_routine_requested = Signal(str)  # open the player ready to start this routine
    open_requested = Signal()  # show the main window
    quit_requested = Signal()  # quit Coach

    def __init__(
        self,
        service: ReminderService,
        assets: Path,
        *,
        lang: str = "en",
        use_tray: bool | None = None,
        always_popup: bool = False,
        routine_picture: Callable[[str], Path | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.assets = assets
        self.lang = lang
        self.always_popup = always_popup
        self.routine_picture = routine_picture
        self.quitting = False
        available = QSystemTrayIcon.isSystemTrayAvailable() if use_tray is None else use_tray
        self.menu = QMenu()
        self.menu.setObjectName("coach-tray-menu")
        self._build_menu()
        self.tray: QSystemTrayIcon | None = None
        if available:
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._on_tray_activated)
            self.tray.messageClicked.connect(self._on_message_clicked)
            self.tray.show()
        self._popup: ReminderPopup | None = None
        self._tell_box: QMessageBox | None = None
        self.last: Reminder | None = None
        service.reminder_due.connect(self.show_reminder)
        service.schedule_changed.connect(self._update_menu)
        self._update_menu()

    def set_language(self, lang: str) -> None:
        """Reminder texts in ``lang`` from now on (the menu follows T() on the next build)."""
        self.lang = lang
        if self._popup is not None:
            self._popup.lang = lang

    # -- the menu ----------------------------------------------------------------
    def _build_menu(self) -> None:
        m = self.menu
        self.start_action = QAction(T("Start today's routine"), m)
        self.start_action.triggered.connect(self._on_start_today)
        m.addAction(self.start_action)
        m.addSeparator()
        self.snooze_menu = m.addMenu(T("Snooze reminders"))
        self.snooze_actions: dict[int, QAction] = {}
        for minutes in SNOOZE_CHOICES:
            text = T("For 1 hour") if minutes == 60 else T("For {n} minutes").format(n=minutes)
            action = QAction(text, self.snooze_menu)
            action.triggered.connect(lambda _=False, n=minutes: self.snooze(n))
            self.snooze_menu.addAction(action)
            self.snooze_actions[minutes] = action
        self.pause_action = QAction(T("Pause reminders for today"), m)
        self.pause_action.triggered.connect(self._on_pause_toggled)
        m.addAction(self.pause_action)
        m.addSeparator()
        self.open_action = QAction(T("Open Coach"), m)
        self.open_action.triggered.connect(self.open_requested)
        m.addAction(self.open_action)
        self.quit_action = QAction(T("Quit Coach"), m)
        self.quit_action.triggered.connect(self.quit)
        m.addAction(self.quit_action)

    def _update_menu(self) -> None:
        routine = self.service.todays_routine()
        self.start_action.setEnabled(routine is not None)
        paused = self.service.paused
        self.pause_action.setText(
            T("Resume reminders") if paused else T("Pause reminders for today")
        )
        if self.tray is not None:
            self.tray.setToolTip(self.status_text())

    def status_text(self) -> str:
        """One line about what comes next, for the tooltip and the settings page."""
        if not self.service.prefs.enabled:
            return T("Coach: reminders are off")
        if self.service.paused:
            return T("Coach: reminders paused until tomorrow")
        nxt = self.service.next
        if nxt is None:
            return T("Coach: no reminder planned")
        when = format_time(nxt.due.astimezone(self.service.now().tzinfo).time())
        if nxt.due.date() != self.service.now().date():
            when = f"{T(DAY_NAMES['en'][WEEK[nxt.due.weekday()]])} {when}"
        return T("Coach: next reminder {when}").format(when=when)

    # -- showing -------------------------------------------------------------------
    @property
    def popup(self) -> ReminderPopup:
        if self._popup is None:
            self._popup = ReminderPopup(snooze_min=self.service.prefs.snooze_min, lang=self.lang)
            self._popup.start_clicked.connect(self._on_popup_start)
            self._popup.snooze_clicked.connect(self._on_popup_snooze)
            self._popup.dismiss_clicked.connect(self._on_popup_dismiss)
        return self._popup

    @property
    def uses_popup(self) -> bool:
        return self.tray is None or self.always_popup

    def picture_for(self, rem: Reminder) -> Path | None:
        if rem.picture:
            path = self.assets / rem.picture
            return path if path.is_file() else None
        if rem.routine_id and self.routine_picture is not None:
            return self.routine_picture(rem.routine_id)
        return None

    def show_reminder(self, rem: Reminder) -> None:
        self.last = rem
        if self.uses_popup:
            self.popup.snooze_min = self.service.prefs.snooze_min
            self.popup.show_reminder(rem, self.picture_for(rem))
        else:
            assert self.tray is not None
            self.tray.showMessage(rem.title(self.lang), rem.message(self.lang), app_icon(), 30_000)

    # -- actions ---------------------------------------------------------------------
    def start(self, rem: Reminder) -> None:
        self.service.acted(rem)
        if rem.routine_id:
            self.start_routine_requested.emit(rem.routine_id)

    def snooze(self, minutes: int) -> None:
        rem = self.service.current
        if self._popup is not None and self._popup.isVisible():
            rem = self._popup._take() or rem
        self.service.snooze(minutes, rem)

    def quit(self) -> None:
        self.quitting = True
        self.service.stop()
        if self._popup is not None:
            self._popup.hide()
        self.quit_requested.emit()

    def _on_start_today(self) -> None:
        routine = self.service.todays_routine()
        if self.service.current is not None and self.service.current.routine_id == routine:
            self.service.acted(self.service.current)
        if routine:
            self.start_routine_requested.emit(routine)

    def _on_pause_toggled(self) -> None:
        if self.service.paused:
            self.service.resume()
        else:
            self.service.pause_today()
            if self._popup is not None:
                self._popup.hide()

    def _on_tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()

    def _on_message_clicked(self) -> None:
        rem = self.last
        if rem is not None and rem.kind is Kind.ROUTINE:
            self.start(rem)
        else:
            if rem is not None:
                self.service.acted(rem)
            self.open_requested.emit()

    def _on_popup_start(self, rem: Reminder) -> None:
        self.start(rem)

    def _on_popup_snooze(self, rem: Reminder, minutes: int) -> None:
        self.service.snooze(minutes, rem)

    def _on_popup_dismiss(self, rem: Reminder) -> None:
        self.service.acted(rem)

    # -- the main window's close -------------------------------------------------------
    def keep_running_on_close(self, window: QWidget) -> bool:
        """Call from MainWindow.closeEvent: True means "hidden to the tray, ignore the close".

        The first time, the person is told where Coach went and how to quit.
        """
        if not should_hide_on_close(
            tray_available=self.tray is not None,
            reminders_on=self.service.prefs.enabled,
            quitting=self.quitting,
        ):
            return False
        window.hide()
        if not self.service.state.told_about_tray:
            self.service.state.told_about_tray = True
            self.service.save()
            self.tell_about_tray()
        return True

    def tell_about_tray(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, "Coach", T("Coach is still here"))
        box.setInformativeText(
            T(
                "Coach keeps running in the tray so that it can remind you. Click the "
                "Coach icon to open it again. To quit, choose Quit Coach in the icon's menu."
            )
        )
        box.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        ok = box.addButton(T("OK"), QMessageBox.ButtonRole.AcceptRole)
        box.setEscapeButton(ok)
        box.setDefaultButton(ok)
        quit_button = box.addButton(T("Quit Coach now"), QMessageBox.ButtonRole.DestructiveRole)
        box.setObjectName("tray-told-once")
        box.buttonClicked.connect(lambda b: self.quit() if b is quit_button else None)
        self._tell_box = box
        box.open()
        return box


# --------------------------------------------------------------------------
# The settings widget
# --------------------------------------------------------------------------


def _subheading(text: str) -> QLabel:
    widget = label(f"<b>{html.escape(text)}</b>")
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setAccessibleName(text)
    return widget


def problem_text(problem: Problem) -> str:
    """A core problem in the person's language, as a sentence."""
    text = T(problem.template).format(**problem.values)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class ReminderSettingsView(QWidget):
    """Edits the reminder preferences; Save checks every entry and says what is wrong.

    With a ``service``, Save applies the preferences to it (which also adds or
    removes the start-at-login entry); ``prefs_changed`` is emitted either way.
    """

    prefs_changed = Signal(object)

    def __init__(
        self,
        prefs: ReminderPrefs,
        routines: Sequence[tuple[str, str, str]] = (),
        *,
        service: ReminderService | None = None,
        autostart_supported: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``routines``: (id, title, how often in words) of every routine to offer."""
        super().__init__(parent)
        self.setObjectName("reminder-settings")
        self._prefs = prefs
        self.service = service
        supported = (
            autostart.autostart_supported() if autostart_supported is None else autostart_supported
        )
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(label(T("Reminders"), "h2"))
        self.enabled = QCheckBox(T("Remind me of my routines"))
        self.enabled.setChecked(prefs.enabled)
        layout.addWidget(self.enabled)

        # Routines
        layout.addWidget(_subheading(T("Which routines?")))
        self.routine_boxes: dict[str, QCheckBox] = {}
        for routine_id, title, often in routines:
            box = QCheckBox(f"{title} – {often}" if often else title)
            box.setObjectName(f"remind-{routine_id}")
            box.setAccessibleName(title)
            box.setChecked(routine_id in prefs.routines)
            self.routine_boxes[routine_id] = box
            layout.addWidget(box)
        if not routines:
            layout.addWidget(label(T("Your routines appear here once they have loaded."), "muted"))

        # Times
        layout.addWidget(_subheading(T("At what time?")))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.time_edits: list[list[QLineEdit]] = []
        captions = (T("Once a day at"), T("Twice a day at"), T("Three times a day at"))
        for n, caption in enumerate(captions, start=1):
            grid.addWidget(QLabel(caption), n - 1, 0)
            edits = []
            for k, moment in enumerate(prefs.times_for(n)):
                edit = self._time_edit(format_time(moment))
                edit.setObjectName(f"time-{n}-{k}")
                edit.setAccessibleName(f"{caption} ({k + 1})")
                grid.addWidget(edit, n - 1, 1 + k)
                edits.append(edit)
            self.time_edits.append(edits)
        grid.setColumnStretch(4, 1)
        layout.addWidget(
            label(T("Each routine uses the row for how often it is done in a day."), "muted")
        )
        layout.addLayout(grid)
        layout.addWidget(self._error("times"))

        # Days
        layout.addWidget(_subheading(T("On which days?")))
        layout.addWidget(label(T("Reminders for your routines come on these days only."), "muted"))
        self.day_boxes = self._day_row(layout, prefs.days, "day")
        layout.addWidget(self._error("days"))
        layout.addWidget(label(T("Quiet days: no reminders and no tips at all"), "muted"))
        self.quiet_boxes = self._day_row(layout, prefs.quiet_days, "quiet")
        layout.addWidget(self._error("quiet_days"))

        # Posture tips
        layout.addWidget(_subheading(T("Posture tips during the day")))
        self.posture = QCheckBox(T("Show a short posture tip now and then"))
        self.posture.setObjectName("posture-on")
        self.posture.setChecked(prefs.posture_prompts)
        layout.addWidget(self.posture)
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(QLabel(T("Every")))
        self.every = self._time_edit(str(prefs.posture_every_min), width_chars=5)
        self.every.setObjectName("posture-every")
        self.every.setAccessibleName(T("Minutes between posture tips"))
        row.addWidget(self.every)
        row.addWidget(QLabel(T("minutes, from")))
        self.active_from = self._time_edit(format_time(prefs.active_from))
        self.active_from.setObjectName("active-from")
        self.active_from.setAccessibleName(T("Posture tips from"))
        row.addWidget(self.active_from)
        row.addWidget(QLabel(T("to")))
        self.active_until = self._time_edit(format_time(prefs.active_until))
        self.active_until.setObjectName("active-until")
        self.active_until.setAccessibleName(T("Posture tips until"))
        row.addWidget(self.active_until)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self._error("posture_every_min"))
        layout.addWidget(self._error("active_hours"))

        # Start at login
        self.autostart = QCheckBox(T("Start Coach when I log in"))
        self.autostart.setObjectName("start-at-login")
        self.autostart.setChecked(prefs.start_at_login and supported)
        self.autostart.setEnabled(supported)
        layout.addWidget(self.autostart)
        if not supported:
            layout.addWidget(label(T(autostart.AUTOSTART_ELSEWHERE), "muted"))

        save_row = QHBoxLayout()
        self.save_button = button(T("Save reminder settings"), "primary")
        self.save_button.setObjectName("reminders-save")
        self.save_button.clicked.connect(self.save)
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        layout.addLayout(save_row)
        self.status = label("", "muted")
        self.status.setObjectName("reminders-status")
        layout.addWidget(self.status)

        for edits in self.time_edits:
            for edit in edits:
                edit.editingFinished.connect(self._check_times)
        self.every.editingFinished.connect(self._check_posture)
        self.active_from.editingFinished.connect(self._check_posture)
        self.active_until.editingFinished.connect(self._check_posture)

    # -- building blocks -----------------------------------------------------------
    def _time_edit(self, text: str, width_chars: int = 6) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setMaxLength(8)
        edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0" * width_chars) + 40)
        return edit

    def _error(self, name: str) -> QLabel:
        widget = label("", "caution")
        widget.setObjectName(f"error-{name}")
        widget.hide()
        self.errors[name] = widget
        return widget

    def _day_row(
        self, layout: QVBoxLayout, chosen: Sequence[str], prefix: str
    ) -> dict[str, QCheckBox]:
        row = QHBoxLayout()
        row.setSpacing(4)
        boxes: dict[str, QCheckBox] = {}
        for day in WEEK:
            box = QCheckBox(T(DAY_NAMES["en"][day]))
            box.setObjectName(f"{prefix}-{day}")
            box.setAccessibleName(T(DAY_NAMES_LONG_EN[day]))
            box.setChecked(day in chosen)
            boxes[day] = box
            row.addWidget(box)
        row.addStretch(1)
        layout.addLayout(row)
        return boxes

    def _say(self, name: str, message: str | None) -> None:
        widget = self.errors[name]
        widget.setText(message or "")
        widget.setVisible(bool(message))

    # -- checking --------------------------------------------------------------------
    def _read_times(self) -> tuple[tuple[time, ...], ...] | None:
        table = []
        for edits in self.time_edits:
            try:
                times = tuple(parse_time(e.text(), "times") for e in edits)
                check_times(times)
            except PrefsError as exc:
                self._say("times", problem_text(exc.problem))
                return None
            table.append(times)
        self._say("times", None)
        return tuple(table)

    def _check_times(self) -> None:
        self._read_times()

    def _read_posture(self) -> tuple[int, time, time] | None:
        ok = True
        every = None
        try:
            every = check_posture_interval(parse_minutes(self.every.text(), "every"))
            self._say("posture_every_min", None)
        except PrefsError as exc:
            self._say("posture_every_min", problem_text(exc.problem))
            ok = False
        try:
            start = parse_time(self.active_from.text(), "active_hours")
            end = parse_time(self.active_until.text(), "active_hours")
            check_active_hours(start, end)
            self._say("active_hours", None)
        except PrefsError as exc:
            self._say("active_hours", problem_text(exc.problem))
            return None
        return (every, start, end) if ok and every is not None else None

    def _check_posture(self) -> None:
        self._read_posture()

    def values(self) -> ReminderPrefs | None:
        """The preferences as entered, or None (with the messages shown)."""
        times = self._read_times()
        posture = self._read_posture()
        days = tuple(d for d in WEEK if self.day_boxes[d].isChecked())
        quiet = tuple(d for d in WEEK if self.quiet_boxes[d].isChecked())
        self._say("days", None if days else T("Choose at least one day."))
        self._say(
            "quiet_days",
            T("Every day is a quiet day: turn reminders off instead.") if len(quiet) == 7 else None,
        )
        if times is None or posture is None or not days or len(quiet) == 7:
            return None
        every, start, end = posture
        chosen = [r for r, box in self.routine_boxes.items() if box.isChecked()]
        kept = [r for r in self._prefs.routines if r not in self.routine_boxes]
        try:
            return self._prefs.changed(
                enabled=self.enabled.isChecked(),
                routines=tuple(kept + chosen),
                times=times,
                days=days,
                quiet_days=quiet,
                posture_prompts=self.posture.isChecked(),
                posture_every_min=every,
                active_from=start,
                active_until=end,
                start_at_login=self.autostart.isChecked() and self.autostart.isEnabled(),
            )
        except PrefsError as exc:  # a check this view does not do itself
            self.status.setText(problem_text(exc.problem))
            return None

    def save(self) -> bool:
        prefs = self.values()
        if prefs is None:
            self.status.setText(T("Please correct the entries marked above."))
            return False
        message = None
        if self.service is not None:
            message = self.service.set_prefs(prefs)
            prefs = self.service.prefs
            self.autostart.setChecked(prefs.start_at_login)
        self._prefs = prefs
        self.status.setText(message or self._saved_text())
        self.prefs_changed.emit(prefs)
        return True

    def _saved_text(self) -> str:
        if self.service is None or self.service.next is None:
            return T("Saved.")
        nxt = self.service.next
        when = format_time(nxt.due.time())
        day = T(DAY_NAMES["en"][WEEK[nxt.due.weekday()]])
        return T("Saved. Next reminder: {day} {when}.").format(day=day, when=when)


def routine_choices(library: Library, lang: str) -> list[tuple[str, str, str]]:
    """(id, title, how often) of every routine, for :class:`ReminderSettingsView`."""
    from coach.ui.home.home_view import schedule_text

    return [
        (r.id, r.title.get(lang), schedule_text(r, lang))
        for r in sorted(library.routines.values(), key=lambda r: r.title.get(lang))
    ]
