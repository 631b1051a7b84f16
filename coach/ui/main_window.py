"""The main window: a menu bar, a navigation column and the page it shows.

Pages other than Home are built the first time they are opened, which keeps
start-up quick (the library page renders a thumbnail for every exercise).
The menu bar holds what a desktop program is expected to have where one
looks for it: File > Open…, Print…, Quit and Help > About, with their usual keys.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach.core.common.paths import Paths
from coach.core.common.settings import Preferences
from coach.ui.i18n import T
from coach.ui.widgets import button, label

if TYPE_CHECKING:  # the library (and its validation code) loads after the window shows
    from coach.core.content.library import Library
    from coach.core.content.model import Routine
    from coach.core.session.personal import PersonalInputs, PersonalPlan
    from coach.core.session.profile import HealthProfile
    from coach.ui.session.session_flow import SessionFlow


class MainWindow(QMainWindow):
    preferences_changed = Signal(object)  # emitted after they were applied and saved

    PAGES = ("home", "exercises", "history", "measures", "activity", "advice", "settings")
    CLINIC_PAGES = ("editor", "patients")

    @property
    def nav_pages(self) -> tuple[str, ...]:
        """The pages in the navigation; the clinic's only in clinician mode."""
        if self.prefs.clinician_mode:
            return self.PAGES[:-1] + self.CLINIC_PAGES + self.PAGES[-1:]
        return self.PAGES

    library_loaded = Signal()

    def __init__(
        self,
        paths: Paths,
        prefs: Preferences,
        library: Library | None = None,
        store: Any | None = None,
    ) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            from coach.ui.widgets import guard_wheel

            guard_wheel(app)  # also for windows made without coach.app (tests, tools)
        self.paths = paths
        self.library = library
        self.store = store
        self.prefs = prefs
        self._flow: SessionFlow | None = None
        # Set by the app once reminders run (coach.ui.reminders.tray); None in tests and --smoke.
        self.reminders: Any | None = None
        self.tray: Any | None = None
        self.setWindowTitle("Coach")
        self.resize(1180, 820)
        self.setMinimumSize(760, 560)
        self.pages: dict[str, QWidget] = {}
        self._nav_buttons: dict[str, QPushButton] = {}
        self.menu_actions: dict[str, QAction] = {}
        self._build()
        for n, name in enumerate(self.PAGES, start=1):
            shortcut = QShortcut(QKeySequence(f"Alt+{n}"), self)
            shortcut.activated.connect(lambda name=name: self.show_page(name))
        self._opener: QObject | None = None
        self._drop_filter: QObject | None = None
        self.setAcceptDrops(True)

    # -- structure -----------------------------------------------------------
    def _build(self) -> None:
        self.pages.clear()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        nav = QWidget()
        nav.setObjectName("nav")
        # The column scrolls when its buttons do not fit the window's height
        # (200 % text and clinician mode under the menu bar): squeezed, they
        # were drawn over each other.
        self._nav = nav_area = QScrollArea()
        nav_area.setObjectName("nav-area")
        nav_area.setWidgetResizable(True)
        nav_area.setFrameShape(QFrame.Shape.NoFrame)
        nav_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QVBoxLayout(nav)
        column.setContentsMargins(12, 20, 12, 20)
        column.setSpacing(8)
        title = label("Coach", "h1", wrap=False)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(title)
        group = QButtonGroup(self)
        names = {
            "home": T("Home"),
            "exercises": T("Exercises"),
            "history": T("My progress"),
            "measures": T("Measures"),
            "activity": T("Other activity"),
            "advice": T("Advice"),
            "settings": T("Settings"),
            "editor": T("Routine editor"),
            "patients": T("Patients"),
        }
        for name in self.nav_pages:
            nav_button = button(names[name], "nav")
            nav_button.setCheckable(True)
            nav_button.setObjectName(f"nav-{name}")
            nav_button.clicked.connect(lambda _=False, n=name: self.show_page(n))
            group.addButton(nav_button)
            self._nav_buttons[name] = nav_button
            column.addWidget(nav_button)
        column.addStretch(1)
        nav_area.setWidget(nav)
        nav_area.setFixedWidth(self._nav_width([names[n] for n in self.nav_pages]))
        row.addWidget(nav_area)
        self.stack = QStackedWidget()
        self.stack.currentChanged.connect(lambda _index: self._update_menu())
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        if self.library is None:
            loading = label(T("Loading your routines…"), "h2")
            loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stack.addWidget(loading)
            for nav_button in self._nav_buttons.values():
                nav_button.setEnabled(False)
        else:
            self.show_page("home")

    def _nav_width(self, captions: list[str]) -> int:
        """Wide enough for the longest caption in bold at the text size ("Übungsfolgen
        bearbeiten" at 200 % was cut off), and never narrower than before."""
        from PySide6.QtGui import QFont, QFontMetrics

        from coach.ui.theme import point_size

        scale = self.prefs.text_scale
        font = QFont(self.font())
        font.setPointSizeF(point_size(scale, 1.1))  # the nav buttons' size (theme)
        font.setBold(True)  # the page shown
        widest = max((QFontMetrics(font).horizontalAdvance(c) for c in captions), default=0)
        padding = round(2 * 16 * scale / 100) + 2 * 3 + 2 * 12  # button, border, column
        scroll_bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        return max(230, int(230 * scale / 100), widest + padding + scroll_bar + 4)

    def _build_menu(self) -> None:
        """File and Help, in the person's language (rebuilt with the pages)."""
        bar = self.menuBar()
        bar.clear()
        self.menu_actions.clear()
        file_menu = bar.addMenu(T("&File"))
        file_menu.setObjectName("menu-file")
        help_menu = bar.addMenu(T("&Help"))
        help_menu.setObjectName("menu-help")
        # Windows has no standard key for Quit; Ctrl+Q is what people expect there too.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [
            QKeySequence("Ctrl+Q")
        ]
        entries: tuple[tuple[Any, str, str, list[QKeySequence], Callable[[], object]], ...] = (
            (
                file_menu,
                "open",
                T("&Open…"),
                QKeySequence.keyBindings(QKeySequence.StandardKey.Open),
                self.choose_file,
            ),
            (
                file_menu,
                "print",
                T("&Print…"),
                QKeySequence.keyBindings(QKeySequence.StandardKey.Print),
                self.print_shown,
            ),
            (file_menu, "quit", T("&Quit"), quit_keys, self.quit_coach),
            (help_menu, "about", T("&About Coach"), [], self.show_about),
        )
        for menu, name, text, keys, slot in entries:
            if name == "quit":
                menu.addSeparator()
            action = QAction(text, self)
            action.setObjectName(f"action-{name}")
            action.setShortcuts(keys)
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
            menu.addAction(action)
            self.menu_actions[name] = action
        self.menu_actions["open"].setStatusTip(
            T("Open a plan from your physiotherapist (.coach)")
            if not self.prefs.clinician_mode
            else T("Open a plan, a patient's report or a routine file")
        )
        self._update_menu()

    def _update_menu(self) -> None:
        """Print… only where there is a routine to print: its page, or the editor."""
        action = self.menu_actions.get("print")
        if action is None or not hasattr(self, "stack"):
            return
        action.setEnabled(self.current_page in ("routine", "editor"))

    def set_library(self, library: Library, store: Any | None = None) -> None:
        """Fill the window once the content has loaded (after the first paint)."""
        self.library = library
        if store is not None:
            self.store = store
        if self._drop_filter is None:
            from coach.ui.clinic.assignment_view import FileDropFilter

            self._drop_filter = FileDropFilter(self, self.open_file)
            self.installEventFilter(self._drop_filter)
        self._build()
        self.library_loaded.emit()

    @property
    def flow(self) -> SessionFlow:
        if self._flow is None:
            from coach.ui.session.session_flow import SessionFlow

            self._flow = SessionFlow(self, self, self.store)
            self._flow.session_closed.connect(self.refresh_progress)
        return self._flow

    def personal_inputs(self) -> PersonalInputs:
        """This person's state as the personal plan needs it, read afresh each time.

        Cheap (a few small reads), and read afresh so that the home page, the
        sheet and the player see a dose step or walking test the moment it is saved.
        """
        from coach.core.person.inputs import gather

        inputs, _notes = gather(self.paths, self.lib, self.store, profile=self.flow.profile)
        return inputs

    def personal_plan(self, routine: Routine) -> PersonalPlan:
        """The routine as this person does it today: what every page shows and plays."""
        return self.personal_inputs().plan_for(routine, self.lib.exercises)

    def visible_exercise_ids(self) -> set[str] | None:
        """What the health profile lets this person see; None before a profile exists."""
        profile = self.flow.profile
        if profile is None:
            return None
        from coach.core.session.profile import filter_exercises

        return {
            o.exercise.id for o in filter_exercises(profile, self.lib.exercises.values()) if o.shown
        }

    def profile_changed(self, profile: HealthProfile) -> None:
        home = self.pages.get("home")
        if home is not None:
            home.set_chair_first(self._chair_first())  # type: ignore[attr-defined]
            home.refresh()  # type: ignore[attr-defined]  # the minutes follow the answers
        shown = getattr(self.pages.get("routine"), "routine", None)
        if shown is not None:
            self.pages["routine"].show_routine(shown)  # type: ignore[attr-defined]
        self._update_reminder_plan()
        view = self.pages.get("exercises")
        if view is not None:
            view.set_visible_ids(self.visible_exercise_ids())  # type: ignore[attr-defined]

    def refresh_progress(self) -> None:
        """After a session, a measure, an activity or a restore: show the new numbers."""
        for name in ("history", "measures"):
            view = self.pages.get(name)
            if view is not None:
                view.refresh()  # type: ignore[attr-defined]
        home = self.pages.get("home")
        if home is not None:
            home.refresh()  # type: ignore[attr-defined]
        self._update_reminder_plan()
        if self.reminders is not None and self.store is not None:
            from coach.ui.reminders.tray import store_done_this_week, store_done_today

            self.reminders.set_done_today(
                store_done_today(self.store), store_done_this_week(self.store)
            )

    def _update_reminder_plan(self) -> None:
        """Reminders name the minutes the player will take, so they follow the same changes."""
        if self.reminders is None or self.library is None:
            return
        from coach.core.reminders.plan_entries import plan_entries

        self.reminders.set_plan(plan_entries(self.library, inputs=self.personal_inputs()))

    def replace_store(self, store: Any | None) -> None:
        """A restore reopened (or lost) the database: every page uses the new one."""
        self.store = store
        self.flow.store = store
        for view in self.pages.values():
            setter = getattr(view, "set_store", None)
            if setter is not None:
                setter(store)
        self.refresh_progress()

    def show_player(self, player: QWidget) -> None:
        self.close_player()
        if self.reminders is not None:
            self.reminders.set_in_routine(True)
        self.pages["player"] = player
        self.stack.addWidget(player)
        self.stack.setCurrentWidget(player)
        # The session fills the window: nothing else to press by mistake (the
        # hidden menu's keys rest too; Esc ends the session).
        self._nav.hide()
        self.menuBar().hide()
        player.setFocus()

    def close_player(self) -> None:
        if self.reminders is not None:
            self.reminders.set_in_routine(False)
        player = self.pages.pop("player", None)
        self._nav.show()
        self.menuBar().show()
        if player is not None:
            self.stack.removeWidget(player)
            player.deleteLater()
        self.show_page("home")

    @property
    def lib(self) -> Library:
        assert self.library is not None, "pages are built only once the library has loaded"
        return self.library

    def page(self, name: str) -> QWidget:
        if name not in self.pages:
            widget = self._factories()[name]()
            self.pages[name] = widget
            self.stack.addWidget(widget)
        return self.pages[name]

    def _factories(self) -> dict[str, Callable[[], QWidget]]:
        return {
            "home": self._make_home,
            "exercises": self._make_library,
            "exercise": self._make_exercise,
            "routine": self._make_routine,
            "settings": self._make_settings,
            "advice": self._make_advice,
            "history": self._make_history,
            "measures": self._make_measures,
            "activity": self._make_activity,
            "editor": self._make_editor,
            "patients": self._make_patients,
        }

    def show_page(self, name: str) -> QWidget:
        widget = self.page(name)
        self.stack.setCurrentWidget(widget)
        nav_name = {"exercise": "exercises", "routine": "home"}.get(name, name)
        if nav_name in self._nav_buttons:
            self._nav_buttons[nav_name].setChecked(True)
        return widget

    @property
    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next((n for n, w in self.pages.items() if w is current), "")

    # -- pages ---------------------------------------------------------------
    def _make_home(self) -> QWidget:
        from coach.ui.home.home_view import HomeView

        view = HomeView(
            self.lib,
            self.prefs.language,
            extras=self._home_extras,
            chair_first=self._chair_first(),
            plan_of=self.personal_plan,
        )
        view.start_requested.connect(self.start_routine)
        view.details_requested.connect(self.open_routine)
        view.check_requested.connect(lambda: self.flow.open_check(for_session=False))
        return view

    def _make_library(self) -> QWidget:
        from coach.ui.home.library_view import LibraryView

        view = LibraryView(self.lib, self.prefs.language, visible=self.visible_exercise_ids())
        view.exercise_activated.connect(self.open_exercise)
        return view

    def _make_exercise(self) -> QWidget:
        from coach.ui.home.exercise_view import ExerciseView

        view = ExerciseView(self.lib, self.prefs.language)
        view.exercise_requested.connect(self.open_exercise)
        view.back_requested.connect(lambda: self.show_page("exercises"))
        return view

    def _make_routine(self) -> QWidget:
        from coach.ui.home.home_view import RoutineView

        view = RoutineView(self.lib, self.prefs.language, plan_of=self.personal_plan)
        view.start_requested.connect(self.start_routine)
        view.exercise_requested.connect(self.open_exercise)
        view.back_requested.connect(lambda: self.show_page("home"))
        view.print_requested.connect(self.print_current_routine)
        return view

    def _make_advice(self) -> QWidget:
        from coach.core.content.advice import load_advice
        from coach.core.content.files import FileProblems
        from coach.ui.home.advice_view import AdviceView

        try:
            advice = load_advice(self.paths.assets / "advice.yaml")
        except FileProblems:
            advice = None
        return AdviceView(advice, self.lib, self.prefs.language)

    def _chair_first(self) -> bool:
        """The chair and counter set leads the home page for people who should not
        get down to the floor (health profile)."""
        from coach.core.session.profile import chair_set_default

        profile = self.flow.profile
        return profile is not None and chair_set_default(profile)

    def _home_extras(self) -> list[QWidget]:
        """Under the greeting: today's plan from the physiotherapist, and the
        progression banner when there is something to suggest."""
        if self.store is None:
            return []
        from coach.ui.clinic.assignment_view import TodayPlanWidget
        from coach.ui.progress.progression_banner import ProgressionBanner

        today = TodayPlanWidget(
            self.store, self.paths, self.lib, self.prefs.language, inputs_of=self.personal_inputs
        )
        today.setObjectName("today-plan")
        today.start_requested.connect(self.start_routine)
        banner = ProgressionBanner(self.store, self.lib, self.prefs.language)
        banner.setObjectName("progression-banner")
        return [today, banner]

    def _make_editor(self) -> QWidget:
        from coach.core.clinic.handover import load_clinic_contact
        from coach.ui.clinic.editor import RoutineEditor

        contact = load_clinic_contact(self.paths)
        editor = RoutineEditor(
            self.lib, self.paths, self.prefs.language, clinician=contact.name if contact else ""
        )
        editor.routine_saved.connect(lambda _rid: self.reload_library("editor"))
        editor.handover_requested.connect(self.hand_over)
        return editor

    def _make_patients(self) -> QWidget:
        from coach.ui.clinic.assignment_view import PatientListView

        return PatientListView(self.paths, self.lib, self.prefs.language)

    def hand_over(self, routine_id: str) -> QWidget:
        from coach.ui.clinic.assignment_view import HandOverDialog
        from coach.ui.clinic.editor.disk_file import refresh_changed_routines

        HandOverDialog.printer = _print_assignment
        # Any routine the dialog offers is read as it is on disk now: a file
        # changed since the library loaded must not be handed over stale.
        problems = refresh_changed_routines(self.lib, self.paths)
        if problems:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Coach",
                T("A routine file changed on disk and cannot be used now:")
                + "\n\n"
                + "\n".join(problems[:6])
                + "\n\n"
                + T("Fix the file, or open the routine in the editor and save it again."),
                parent=self,
            )
            box.setObjectName("handover-stale")
            box.open()
            return box
        dialog = HandOverDialog(
            self.lib, self.paths, self.prefs.language, self, routine_ids=[routine_id]
        )
        dialog.open()
        return dialog

    def reload_library(self, page: str = "home") -> None:
        """Files were added (the editor, an installed plan): read the library again.

        Every page is built again on the new library, except the editor after
        a save: the clinician goes on with the same routine, its selection,
        its place on the page and its undo history.
        """
        from coach.core.content.library import Library

        editor = self.pages.get("editor") if page == "editor" else None
        if editor is not None:
            self.stack.removeWidget(editor)
            editor.setParent(None)  # out of the central widget that is replaced
        library = Library.load(self.paths)
        self.set_library(library)
        if editor is not None:
            editor.set_library(library)  # type: ignore[attr-defined]
            self.pages["editor"] = editor
            self.stack.addWidget(editor)
        self.show_page(page if page in self.nav_pages else "home")

    def open_file(self, path: Path) -> None:
        """File > Open, a dropped file, or a file named on the command line."""
        suffix = path.suffix.lower()
        if suffix == ".coachreport" and self.prefs.clinician_mode:
            patients = self.show_page("patients")
            patients.import_file(path)  # type: ignore[attr-defined]
            return
        if suffix in (".yaml", ".yml") and self.prefs.clinician_mode:
            editor = self.show_page("editor")
            editor.open_routine_file(path)  # type: ignore[attr-defined]
            return
        from coach.ui.clinic.assignment_view import PlanOpener

        self._opener = PlanOpener(
            self, paths=self.paths, store=self.store, library=self.lib, lang=self.prefs.language
        )
        self._opener.installed.connect(lambda _result: self.reload_library("home"))
        self._opener.open_file(path)

    def choose_file(self) -> None:
        from coach.ui.clinic.assignment_view import choose_open_path

        if not self.prefs.clinician_mode:
            choose_open_path(self, self.open_file)
            return
        from PySide6.QtWidgets import QFileDialog

        dialog = QFileDialog(self, T("Open a plan, a patient's report or a routine file"))
        dialog.setObjectName("open-file-dialog")
        dialog.setNameFilter(T("Coach files (*.coach *.coachreport *.yaml *.yml)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.open_file(Path(name)))
        dialog.open()

    def print_shown(self) -> QWidget | None:
        """File > Print…: the sheet of the routine on screen (its page, or the editor's)."""
        if self.current_page == "routine":
            return self.print_current_routine("print")
        editor = self.pages.get("editor")
        if self.current_page != "editor" or editor is None:
            return None
        routine = editor.current_routine()  # type: ignore[attr-defined]
        if routine is None:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Coach",
                T("Save the routine first: the sheet shows it as it is saved."),
                parent=self,
            )
            box.setObjectName("print-save-first")
            box.open()
            return box
        from coach.sheets import print_actions
        from coach.sheets.routine_sheet import SheetData

        # No person behind it: the routine as written, as the editor shows it.
        return print_actions.print_routine(self, SheetData(routine, self.lib, self.prefs.language))

    def quit_coach(self) -> None:
        """File > Quit: Coach ends, reminders in the tray too (a session ends early, kept)."""
        if self.tray is not None:
            self.tray.quit()  # stops the reminders; the app then closes this window
            return
        self.close()
        QApplication.quit()

    def show_about(self) -> QMessageBox:
        from coach import __version__

        box = QMessageBox(self)
        box.setObjectName("about")
        box.setWindowTitle(T("About Coach"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(f"Coach {__version__}")
        box.setInformativeText(
            "\n\n".join(
                [
                    T(
                        "An exercise coach for people with lumbar spinal stenosis "
                        "and the physiotherapists who treat them."
                    ),
                    T(
                        "Coach supports the care of a doctor or physiotherapist; "
                        "it does not replace it."
                    ),
                    T("Your data stays on this computer, in {folder}").format(
                        folder=self.paths.data
                    ),
                    T("Typeface: Atkinson Hyperlegible (SIL Open Font Licence)."),
                ]
            )
        )
        box.open()
        return box

    def _make_history(self) -> QWidget:
        from coach.ui.progress.history_view import HistoryView

        view = HistoryView(self.store, self.lib, self.prefs.language)
        # Back to an earlier dose: the home page's minutes and the reminders follow.
        view.dose_changed.connect(self.refresh_progress)
        return view

    def _make_measures(self) -> QWidget:
        from coach.ui.progress.measures_view import MeasuresView

        view = MeasuresView(self.store, self.prefs.language, sound=self.prefs.sound)
        view.measure_saved.connect(lambda _kind: self.refresh_progress())
        return view

    def _make_activity(self) -> QWidget:
        from coach.ui.progress.activity_view import ActivityView

        view = ActivityView(self.store, self.prefs.language)
        view.activity_added.connect(lambda _row: self.refresh_progress())
        return view

    def _make_settings(self) -> QWidget:
        from PySide6.QtWidgets import QScrollArea

        from coach.ui.settings.data_view import DataView
        from coach.ui.settings.settings_view import SettingsView

        view = SettingsView(self.prefs)
        view.preferences_changed.connect(self.apply_preferences)
        view.profile_requested.connect(lambda: self.flow.edit_profile())
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 24)
        column.addWidget(view)
        if self.reminders is not None:
            from coach.ui.reminders.tray import ReminderSettingsView, routine_choices

            column.addWidget(
                ReminderSettingsView(
                    self.reminders.prefs,
                    routine_choices(self.lib, self.prefs.language),
                    service=self.reminders,
                )
            )
        data = DataView(self.store, self.paths)
        data.setObjectName("data-view")
        data.store_replaced.connect(self.replace_store)
        data.data_changed.connect(self.refresh_progress)
        column.addWidget(data)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setObjectName("settings-page")
        self.settings_view = view
        return scroll

    # -- actions ---------------------------------------------------------------
    def open_exercise(self, exercise_id: str) -> None:
        view = self.page("exercise")
        view.show_exercise(exercise_id)  # type: ignore[attr-defined]
        self.show_page("exercise")

    def open_routine(self, routine_id: str) -> None:
        view = self.page("routine")
        view.show_routine(self.lib.routines[routine_id])  # type: ignore[attr-defined]
        self.show_page("routine")

    def start_routine(self, routine_id: str) -> None:
        self.flow.start(routine_id)

    def print_current_routine(self, kind: str) -> QWidget | None:
        """Print, preview or export the routine shown; one layout serves all three."""
        from coach.core.session.profile import DEFAULT_EMERGENCY_NUMBER
        from coach.sheets import print_actions
        from coach.sheets.routine_sheet import SheetData

        routine = getattr(self.pages.get("routine"), "routine", None)
        if routine is None:
            return None
        profile = self.flow.profile
        sheet = SheetData(
            routine,
            self.lib,
            self.prefs.language,
            emergency_number=profile.emergency_number if profile else DEFAULT_EMERGENCY_NUMBER,
            personal=self.personal_plan(routine),
        )
        actions: dict[str, Callable[..., object]] = {
            "print": print_actions.print_routine,
            "preview": print_actions.preview_routine,
            "pdf": print_actions.export_routine_pdf,
        }
        result = actions[kind](self, sheet)
        return result if isinstance(result, QWidget) else None

    def apply_preferences(self, prefs: Preferences) -> None:
        """Apply at once and save; the pages are rebuilt only for a new language."""
        from coach.core.common.settings import save_preferences
        from coach.ui import i18n, theme

        language_changed = prefs.language != self.prefs.language
        old_clinician_mode = self.prefs.clinician_mode
        self.prefs = prefs
        i18n.set_language(prefs.language, self.paths.assets)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, prefs.text_scale, prefs.high_contrast)
        mode_changed = prefs.clinician_mode != old_clinician_mode
        if language_changed or mode_changed:
            if self.tray is not None:
                self.tray.set_language(prefs.language)
            current = self.current_page
            self._build()  # replacing the central widget deletes the old pages
            self.show_page(current if current in self.nav_pages else "settings")
        try:
            self.paths.ensure_data_dir()
            save_preferences(self.paths.settings, prefs)
        except OSError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Coach",
                T("Your settings could not be saved: {why}").format(why=exc.strerror or exc),
                parent=self,
            )
            box.open()
        self.preferences_changed.emit(prefs)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tray is not None and self.tray.keep_running_on_close(self):
            event.ignore()  # reminders go on from the tray; told once how to quit
            return
        player = self.pages.get("player")
        if player is not None:
            # Closing mid-session keeps what was done: the session ends early.
            player.end_session()  # type: ignore[attr-defined]
        event.accept()


def _print_assignment(parent: QWidget, assignment: Any, library: Library) -> None:
    """Print every routine of a hand-over with the patient's and clinician's details."""
    from coach.sheets import print_actions
    from coach.sheets.routine_sheet import SheetData

    for routine in assignment.routines:
        sheet = SheetData(
            routine,
            library,
            getattr(parent, "lang", "en"),
            patient=assignment.patient.name,
            clinician=assignment.clinician.name,
            phone=assignment.clinician.phone or "",
            review=assignment.review,
        )
        print_actions.print_routine(parent, sheet)
