"""The tray companion with a fake clock: reminders show, Start opens the player, one timer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from coach.core.reminders import schedule as core
from coach.core.reminders.autostart import autostart_path
from coach.core.reminders.plan_entries import PlanEntry
from coach.core.reminders.preferences import ReminderPrefs
from coach.core.reminders.schedule import WEEK, Kind, Reason, ReminderState
from coach.core.reminders.settings_file import ReminderSettings, load_settings
from coach.ui.reminders.tray import (
    ReminderService,
    ReminderSettingsView,
    TrayPresence,
    should_hide_on_close,
    store_done_this_week,
    store_done_today,
)

BERLIN = ZoneInfo("Europe/Berlin")
REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "assets"
TWICE = PlanEntry("twice", {"en": "Twice", "de": "Zweimal"}, 600.0, 2, WEEK[:5])


class FakeClock:
    """Wall clock in Berlin plus a monotonic clock; a suspend moves only the wall clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.mono = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, **kw: float) -> None:
        step = timedelta(**kw)
        self.now = (self.now.astimezone(UTC) + step).astimezone(BERLIN)
        self.mono += step.total_seconds()

    def sleep(self, **kw: float) -> None:
        """The computer was suspended: wall time passes, monotonic time does not."""
        self.now = (self.now.astimezone(UTC) + timedelta(**kw)).astimezone(BERLIN)


@pytest.fixture(autouse=True)
def _own_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=BERLIN))  # a Monday


def make_service(
    clock: FakeClock,
    path: Path | None = None,
    prefs: ReminderPrefs | None = None,
    done: dict[str, int] | None = None,
    max_sleep_s: float = 3600.0,
) -> ReminderService:
    settings = ReminderSettings(
        prefs or ReminderPrefs(routines=("twice",)), ReminderState(checked_until=clock.now)
    )
    return ReminderService(
        settings,
        [TWICE],
        path=path,
        done_today=lambda _now: done or {},
        clock=clock,
        monotonic=clock.monotonic,
        max_sleep_s=max_sleep_s,
        watch_sleep=False,
    )


@pytest.fixture
def service(clock: FakeClock, tmp_path: Path) -> Iterator[ReminderService]:
    svc = make_service(clock, tmp_path / "reminders.json")
    yield svc
    svc.stop()


@pytest.fixture
def presence(qtbot, service: ReminderService) -> Iterator[TrayPresence]:  # type: ignore[no-untyped-def]
    tray = TrayPresence(service, ASSETS, use_tray=False)
    yield tray
    if tray._popup is not None:
        tray._popup.close()
        tray._popup.deleteLater()
    tray.menu.deleteLater()


def test_a_due_reminder_shows_its_message_and_start_opens_the_player(
    qtbot, clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    clock.now = datetime(2026, 11, 30, 8, 59, 59, 700_000, tzinfo=BERLIN)
    service.start()
    assert service.timer.isActive() and service.timer.isSingleShot()
    assert service.timer.interval() <= 301
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)  # the real timer now finds it due
    with qtbot.waitSignal(service.reminder_due, timeout=5000) as due:
        pass
    rem = due.args[0]
    assert rem.kind is Kind.ROUTINE and rem.routine_id == "twice"
    popup = presence.popup
    assert popup.isVisible()
    assert popup.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert popup.title.text() == "Time for your routine"
    assert popup.message.text() == "Twice (about 10 minutes)."
    assert popup.start_button.isVisible()
    with qtbot.waitSignal(presence.start_routine_requested, timeout=1000) as started:
        qtbot.mouseClick(popup.start_button, Qt.MouseButton.LeftButton)
    assert started.args == ["twice"]
    assert not popup.isVisible()
    assert all(service.state.shown[k].acted for k in rem.keys)
    assert service.next is not None and service.next.due.hour == 18  # no repeat after Start


def test_snooze_rearms_and_says_it_again(
    qtbot, clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    service.start()
    popup = presence.popup
    assert popup.isVisible()
    qtbot.mouseClick(popup.snooze_button, Qt.MouseButton.LeftButton)
    assert not popup.isVisible()
    assert service.next is not None and service.next.reason is Reason.SNOOZED
    assert service.next.due == datetime(2026, 11, 30, 9, 10, tzinfo=BERLIN)
    assert service.timer.isActive()
    assert abs(service.timer.interval() - 600_000) <= 1
    clock.advance(minutes=10)
    with qtbot.waitSignal(service.reminder_due, timeout=1000) as due:
        service.check_now()
    assert due.args[0].reason is Reason.SNOOZED
    assert popup.isVisible() and popup.message.text() == "Twice (about 10 minutes)."
    saved, notes = load_settings(service.path)  # type: ignore[arg-type]
    assert notes == [] and saved.state.snooze is None


def test_the_service_has_exactly_one_timer_and_it_is_single_shot(
    clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    service.set_prefs(service.prefs.changed(posture_prompts=True, posture_every_min=45))
    service.start()
    for action in (
        lambda: presence.snooze_actions[30].trigger(),
        service.rearm,
        lambda: presence.pause_action.trigger(),
        lambda: presence.pause_action.trigger(),
        service.check_now,
    ):
        action()
        timers = service.findChildren(QTimer)
        assert timers == [service.timer]
        assert service.timer.isSingleShot()
        assert service.timer.isActive()
    assert presence.findChildren(QTimer) == []


def test_the_timer_never_sleeps_past_the_guard(clock: FakeClock) -> None:
    svc = make_service(clock, max_sleep_s=300.0)
    svc.start()
    assert svc.next is not None and svc.next.due.hour == 9
    assert svc.timer.interval() == 300_000  # an hour ahead, but it looks again in 5 minutes
    assert svc.timer.timerType() == Qt.TimerType.CoarseTimer
    clock.advance(minutes=58)
    svc.check_now()
    assert svc.timer.interval() == 120_001
    assert svc.timer.timerType() == Qt.TimerType.PreciseTimer
    svc.stop()


def test_waking_from_suspend_gives_one_catch_up(
    qtbot, clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    service.set_prefs(service.prefs.changed(posture_prompts=True, posture_every_min=45))
    service.start()
    shown: list[core.Reminder] = []
    service.reminder_due.connect(shown.append)
    clock.advance(minutes=5)
    clock.sleep(hours=6)  # suspended from 08:05 to 14:05: a routine and six tips missed
    with qtbot.waitSignal(service.clock_jumped, timeout=1000):
        service.check_now()
    assert len(shown) == 1
    assert shown[0].reason is Reason.CATCH_UP and shown[0].routine_id == "twice"
    assert presence.popup.message.text().startswith("Planned for 09:00: Twice")
    service.check_now()
    service.woke_up()
    assert len(shown) == 1, "never a burst"
    assert service.next is not None and service.next.due == datetime(
        2026, 11, 30, 14, 15, tzinfo=BERLIN
    )


def test_unanswered_is_repeated_once_then_left_alone(
    clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    shown: list[core.Reminder] = []
    service.reminder_due.connect(shown.append)
    service.start()
    clock.advance(minutes=30)
    service.check_now()
    assert [r.reason for r in shown] == [Reason.PLANNED, Reason.REPEAT]
    assert presence.popup.message.text().startswith("A gentle reminder")
    assert service.next is not None and service.next.due.hour == 18


def test_dismiss_means_no_repeat(
    qtbot, clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=BERLIN)
    service.start()
    qtbot.mouseClick(presence.popup.dismiss_button, Qt.MouseButton.LeftButton)
    assert service.next is not None and service.next.due.hour == 18


def test_done_sessions_and_a_playing_routine_keep_it_quiet(clock: FakeClock) -> None:
    svc = make_service(clock)
    svc.start()
    assert svc.next is not None and svc.next.due.hour == 9
    svc.set_done_today(lambda _now: {"twice": 1})  # the store opened: one session today
    assert svc.next is not None and svc.next.due.hour == 18
    svc.set_in_routine(True)
    assert svc.next is None and not svc.timer.isActive()
    svc.set_in_routine(False)
    assert svc.timer.isActive()
    svc.stop()


def test_done_today_from_the_progress_store(tmp_path: Path) -> None:
    from coach.core.progress.store import Store

    started = datetime(2026, 11, 30, 7, 30, tzinfo=UTC)
    with Store.open(tmp_path / "p.sqlite3", clock=lambda: started) as store:
        sid = store.start_session("twice", "Twice")
        store.end_session(sid, "completed")
        done = store_done_today(store)
        assert done(datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN)) == {"twice": 1}
        assert done(datetime(2026, 12, 1, 12, 0, tzinfo=BERLIN)) == {}
    assert store_done_today(None)(datetime(2026, 11, 30, 12, 0, tzinfo=BERLIN)) == {}


def test_tray_menu_snooze_pause_and_start_today(
    qtbot, clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    service.start()
    presence.snooze_actions[30].trigger()
    assert service.state.snooze is not None
    assert service.state.snooze.until == (clock.now + timedelta(minutes=30)).astimezone(UTC)
    presence.pause_action.trigger()
    assert service.paused and presence.pause_action.text() == "Resume reminders"
    assert service.next is not None and service.next.due.date().day == 1  # tomorrow
    presence.pause_action.trigger()
    assert not service.paused and presence.pause_action.text() == "Pause reminders for today"
    with qtbot.waitSignal(presence.start_routine_requested, timeout=1000) as started:
        presence.start_action.trigger()
    assert started.args == ["twice"]
    with qtbot.waitSignal(presence.quit_requested, timeout=1000):
        presence.quit_action.trigger()
    assert not service.timer.isActive()


def test_posture_tip_shows_its_picture(
    clock: FakeClock, service: ReminderService, presence: TrayPresence
) -> None:
    service.set_prefs(ReminderPrefs(routines=(), posture_prompts=True, posture_every_min=45))
    clock.now = datetime(2026, 11, 30, 9, 45, tzinfo=BERLIN)
    service.check_now()
    popup = presence.popup
    assert popup.isVisible() and popup.title.text() == "A moment for your back"
    assert not popup.start_button.isVisible()
    assert popup.dismiss_button.text() == "Got it"
    assert popup.picture.valid == (ASSETS / "figures" / "P2-end.svg").is_file()


def test_closing_the_window_keeps_coach_in_the_tray_told_once(
    qtbot, service: ReminderService
) -> None:
    assert should_hide_on_close(tray_available=True, reminders_on=True, quitting=False)
    assert not should_hide_on_close(tray_available=False, reminders_on=True, quitting=False)
    assert not should_hide_on_close(tray_available=True, reminders_on=False, quitting=False)
    assert not should_hide_on_close(tray_available=True, reminders_on=True, quitting=True)
    tray = TrayPresence(service, ASSETS, use_tray=True)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    assert tray.keep_running_on_close(window)
    assert not window.isVisible()
    assert tray._tell_box is not None and tray._tell_box.isVisible()
    saved, _ = load_settings(service.path)  # type: ignore[arg-type]
    assert saved.state.told_about_tray
    first_box = tray._tell_box
    first_box.close()
    window.show()
    assert tray.keep_running_on_close(window)
    assert tray._tell_box is first_box and not first_box.isVisible(), "told only once"
    tray.quit()
    window.show()
    assert not tray.keep_running_on_close(window), "after Quit the window really closes"
    no_tray = TrayPresence(service, ASSETS, use_tray=False)
    assert not no_tray.keep_running_on_close(window)
    for t in (tray, no_tray):
        if t.tray is not None:
            t.tray.hide()
        t.menu.deleteLater()
    first_box.deleteLater()


def test_settings_view_refuses_impossible_entries(
    qtbot, clock: FakeClock, service: ReminderService
) -> None:
    view = ReminderSettingsView(
        service.prefs,
        [("twice", "Twice", "Mon–Fri, twice a day"), ("other", "Other", "")],
        service=service,
        autostart_supported=True,
    )
    qtbot.addWidget(view)
    before = service.prefs
    view.time_edits[1][1].setText("25:00")
    view.every.setText("0")
    view.posture.setChecked(True)
    view.active_from.setText("18:00")
    view.active_until.setText("09:00")
    for box in view.day_boxes.values():
        box.setChecked(False)
    assert view.save() is False
    assert service.prefs == before
    assert "'25:00' is not a time of day" in view.errors["times"].text()
    assert "0 minutes is not possible" in view.errors["posture_every_min"].text()
    assert "must end after they start" in view.errors["active_hours"].text()
    assert view.errors["days"].text() == "Choose at least one day."
    assert not view.errors["times"].isHidden()

    view.time_edits[1][1].setText("19:30")
    view.every.setText("45")
    view.active_from.setText("9")
    view.active_until.setText("18:00")
    for day in WEEK[:5]:
        view.day_boxes[day].setChecked(True)
    view.routine_boxes["other"].setChecked(True)
    view.autostart.setChecked(True)
    with qtbot.waitSignal(view.prefs_changed, timeout=1000) as changed:
        assert view.save() is True
    prefs = changed.args[0]
    assert prefs is service.prefs
    assert prefs.times_for(2)[1].hour == 19 and prefs.times_for(2)[1].minute == 30
    assert prefs.posture_prompts and prefs.posture_every_min == 45
    assert prefs.days == WEEK[:5] and prefs.routines == ("twice", "other")
    assert all(view.errors[name].isHidden() for name in view.errors)
    assert view.status.text().startswith("Saved. Next reminder:")
    saved, _ = load_settings(service.path)  # type: ignore[arg-type]
    assert saved.prefs == prefs
    assert autostart_path().is_file()


def test_settings_view_without_start_at_login_support(qtbot) -> None:
    view = ReminderSettingsView(ReminderPrefs(), [], autostart_supported=False)
    qtbot.addWidget(view)
    assert not view.autostart.isEnabled()
    assert view.values() is not None


XVFB_SCRIPT = r"""
import json, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from coach.core.common.days import WEEK
from coach.core.reminders.plan_entries import PlanEntry
from coach.core.reminders.preferences import ReminderPrefs
from coach.core.reminders.settings_file import ReminderSettings
from coach.core.reminders.schedule import ReminderState
from coach.ui.reminders.tray import ReminderService, TrayPresence
app = QApplication([])
now = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
before = datetime(2026, 11, 30, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
svc = ReminderService(
    ReminderSettings(ReminderPrefs(routines=("twice",)), ReminderState(checked_until=before)),
    [PlanEntry("twice", {"en": "Twice"}, 600.0, 2, WEEK[:5])],
    clock=lambda: now, watch_sleep=False,
)
tray = TrayPresence(svc, sys.argv[1] if len(sys.argv) > 1 else ".")
svc.start()
app.processEvents()
p = tray.popup
print(json.dumps({
    "platform": app.platformName(),
    "tray_available": QSystemTrayIcon.isSystemTrayAvailable(),
    "uses_popup": tray.uses_popup,
    "visible": p.isVisible(),
    "on_top": bool(p.windowHandle().flags() & Qt.WindowType.WindowStaysOnTopHint),
    "text": p.message.text(),
}))
"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian's xvfb)")
def test_on_a_real_x_server_without_a_tray_the_popup_appears(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", XVFB_SCRIPT, str(ASSETS)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    if result.returncode != 0 and "Could not load the Qt platform plugin" in result.stderr:
        pytest.skip("Qt's xcb plugin cannot load here (missing libxcb-* libraries)")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout.strip().splitlines()[-1])
    assert info["platform"] == "xcb"
    assert info["tray_available"] is False and info["uses_popup"] is True
    assert info["visible"] and info["on_top"]
    assert info["text"] == "Twice (about 10 minutes)."


def test_the_cached_plan_reminds_before_the_library_loads(clock: FakeClock, tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    first = make_service(clock, path)
    first.set_plan([TWICE])  # the library loaded once: the plan is cached
    first.stop()
    settings, notes = load_settings(path)
    assert notes == [] and settings.plan == (TWICE,)
    later = ReminderService(settings, clock=clock, watch_sleep=False)
    later.start()
    assert later.next is not None and later.next.routine_id == "twice"
    later.stop()


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="needs dbus-daemon")
def test_logind_resume_signal_recomputes(qtbot, clock: FakeClock) -> None:
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    from coach.ui.reminders.tray import watch_resume

    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address=1", "--nofork", "--nopidfile"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        bus = QDBusConnection.connectToBus(address, "coach-test-logind")
        assert bus.isConnected()
        svc = make_service(clock)
        # Any sender on this private bus; the real one listens to logind only.
        watch = watch_resume(svc, bus=bus, service="")
        assert watch is not None
        watch.resumed.connect(svc.woke_up)
        for going_to_sleep in (True, False):
            msg = QDBusMessage.createSignal(
                "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep"
            )
            msg.setArguments([going_to_sleep])
            bus.send(msg)
        with qtbot.waitSignal(svc.clock_jumped, timeout=5000):
            pass
        assert svc.timer.isActive()
        svc.stop()
        QDBusConnection.disconnectFromBus("coach-test-logind")
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        if daemon.stdout is not None:
            daemon.stdout.close()


def test_a_twice_a_week_plan_goes_quiet_once_the_store_has_two_sessions(tmp_path: Path) -> None:
    from coach.core.progress.store import Store

    weekly = PlanEntry("strength", {"en": "Strength"}, 900.0, 1, WEEK, 2)
    moment = [datetime(2026, 11, 30, 8, 0, tzinfo=UTC)]
    clock = FakeClock(datetime(2026, 12, 2, 7, 0, tzinfo=BERLIN))  # the Wednesday
    with Store.open(tmp_path / "p.sqlite3", clock=lambda: moment[0]) as store:
        settings = ReminderSettings(
            ReminderPrefs(routines=("strength",)), ReminderState(checked_until=clock.now)
        )
        svc = ReminderService(
            settings,
            [weekly],
            done_today=store_done_today(store),
            done_this_week=store_done_this_week(store),
            clock=clock,
            monotonic=clock.monotonic,
            watch_sleep=False,
        )
        # Nothing done yet: Wednesday is an exercise day like any other.
        assert svc.upcoming(1)[0].due.date() == clock.now.date()
        for day in (30, 1):  # Monday and Tuesday
            moment[0] = moment[0].replace(month=11 if day == 30 else 12, day=day)
            store.end_session(store.start_session("strength", "Strength"), "completed")
        assert store_done_this_week(store)(clock.now) == {"strength": 2}
        # The week's two are done: no more reminders until next Monday.
        assert svc.upcoming(1)[0].due.date() == datetime(2026, 12, 7).date()
        svc.stop()
    assert store_done_this_week(None)(clock.now) == {}
