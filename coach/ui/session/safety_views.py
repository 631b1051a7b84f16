"""Safety screens: the health profile, the warning-sign check, pain scores, the
next-morning question and advice that must be read.

Each is a dialog opened with ``open()``; the result arrives by signal, so no
nested event loop runs while a person is answering.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coach.core.session import check as safety
from coach.core.session.profile import (
    Approach,
    BodySide,
    HealthProfile,
    Joint,
    JointReplacement,
    default_emergency_number,
)
from coach.ui import theme
from coach.ui.i18n import T
from coach.ui.widgets import button, check_box, label

COUNTRIES = [
    ("DE", "Deutschland / Germany"),
    ("AT", "Österreich / Austria"),
    ("CH", "Schweiz / Switzerland"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("US", "United States"),
    ("CA", "Canada"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("FR", "France"),
    ("NL", "Nederland / Netherlands"),
    ("IT", "Italia / Italy"),
    ("ES", "España / Spain"),
    ("PL", "Polska / Poland"),
]


def _scroll(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


class ProfileDialog(QDialog):
    """The health profile of the first run; editable later from Settings."""

    profile_saved = Signal(object)

    @staticmethod
    def _flags() -> list[tuple[str, list[tuple[str, str]]]]:
        return [
            (
                T("Your bones"),
                [
                    ("osteoporosis", T("I have osteoporosis (thin bones).")),
                    (
                        "low_trauma_fracture",
                        T("I broke a bone in a small fall, or a bone in my spine."),
                    ),
                    ("height_loss", T("I have become noticeably shorter.")),
                    ("long_term_steroids", T("I have taken cortisone tablets for months.")),
                ],
            ),
            (
                T("Floor and falls"),
                [
                    ("cannot_use_floor", T("I cannot get down to the floor and up again safely.")),
                    ("fall_last_year", T("I have fallen in the last 12 months.")),
                ],
            ),
            (
                T("Heart, circulation and more"),
                [
                    (
                        "heart_or_bp_uncontrolled",
                        T("I have heart trouble, or blood pressure that is not under control."),
                    ),
                    ("dizziness_on_standing", T("I often feel dizzy when I stand up.")),
                    ("blood_thinners", T("I take blood thinners.")),
                    ("diabetes", T("I have diabetes.")),
                    ("neuropathy", T("I have nerve damage or numbness that a doctor knows about.")),
                ],
            ),
        ]

    def __init__(
        self, profile: HealthProfile | None, lang: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T("About your health"))
        self.setMinimumSize(760, 640)
        profile = profile or HealthProfile()
        self._lang = lang
        self.checks: dict[str, QCheckBox] = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setSpacing(12)
        layout.addWidget(label(T("About your health"), "h1"))
        layout.addWidget(
            label(
                T(
                    "A few questions so that Coach only offers exercises that are safe for "
                    "you. You can change the answers later in Settings."
                ),
                "muted",
            )
        )
        for heading, flags in self._flags():
            layout.addWidget(label(heading, "h2"))
            for name, text in flags:
                flag_row, box = check_box(text)
                box.setChecked(bool(getattr(profile, name)))
                self.checks[name] = box
                layout.addWidget(flag_row)

        layout.addWidget(label(T("Joint replacements"), "h2"))
        hips = [r for r in profile.joint_replacements if r.joint is Joint.HIP]
        knees = [r for r in profile.joint_replacements if r.joint is Joint.KNEE]
        self.hip = self._joint_row(layout, T("I have an artificial hip."), hips, with_approach=True)
        self.knee = self._joint_row(layout, T("I have an artificial knee."), knees)

        layout.addWidget(label(T("Back operation"), "h2"))
        back_op_row, self.back_op = check_box(T("I had a back operation in the last 3 months."))
        self.back_op.setChecked(profile.back_operation_recent)
        layout.addWidget(back_op_row)
        row = QHBoxLayout()
        row.addWidget(label(T("Date of the operation (if you know it):")))
        self.back_op_date = QDateEdit()
        self.back_op_date.setCalendarPopup(True)
        self.back_op_date.setAccessibleName(T("Date of the back operation"))
        when = profile.back_operation_date or dt.date.today()
        self.back_op_date.setDate(QDate(when.year, when.month, when.day))
        self.back_op_date.setEnabled(profile.back_operation_recent)
        self.back_op.toggled.connect(self.back_op_date.setEnabled)
        row.addWidget(self.back_op_date)
        row.addStretch(1)
        layout.addLayout(row)

        layout.addWidget(label(T("What is usual for you"), "h2"))
        layout.addWidget(label(safety.BASELINE_INTRO.get(lang), "muted"))
        self.usual: dict[str, QCheckBox] = {}
        for question in safety.BASELINE_QUESTIONS:
            usual_row, box = check_box(question.text.get(lang))
            box.setChecked(bool(getattr(profile.usual_symptoms, question.id)))
            self.usual[question.id] = box
            layout.addWidget(usual_row)
        layout.addWidget(label(safety.BASELINE_TEXT_PROMPT.get(lang)))
        self.usual_text = QLineEdit(profile.usual_symptoms.text)
        self.usual_text.setAccessibleName(T("Your usual symptoms in your own words"))
        layout.addWidget(self.usual_text)
        layout.addWidget(label(T("Your usual pain on a normal day")))
        layout.addWidget(
            label(
                T(
                    "0 = no pain, 10 = the worst pain you can imagine. After a session Coach "
                    "compares your pain with this. Keep “not given” if you are not sure."
                ),
                "muted",
            )
        )
        self.usual_pain: dict[str, QComboBox] = {}
        usual = profile.usual_symptoms
        grid = QGridLayout()
        grid.setContentsMargins(18, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        for n, (key, text, name, value) in enumerate(
            (
                (
                    "usual_back_pain",
                    T("Back pain"),
                    T("Your usual back pain"),
                    usual.usual_back_pain,
                ),
                ("usual_leg_pain", T("Leg pain"), T("Your usual leg pain"), usual.usual_leg_pain),
            )
        ):
            choice = QComboBox()
            choice.setObjectName(key)
            choice.setAccessibleName(name)
            choice.addItem(T("not given"), None)
            for level in range(11):
                choice.addItem(str(level), level)
            choice.setCurrentIndex(choice.findData(value) if value is not None else 0)
            grid.addWidget(label(text, wrap=False), n, 0)
            grid.addWidget(choice, n, 1)
            self.usual_pain[key] = choice
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)

        layout.addWidget(label(T("Where you live"), "h2"))
        row = QHBoxLayout()
        self.country = QComboBox()
        self.country.setAccessibleName(T("Country"))
        for code, name in COUNTRIES:
            self.country.addItem(name, code)
        index = self.country.findData(profile.country)
        if index < 0:
            self.country.addItem(profile.country, profile.country)
            index = self.country.count() - 1
        self.country.setCurrentIndex(index)
        row.addWidget(self.country)
        row.addWidget(label(T("Emergency number:")))
        self.number = QLineEdit(profile.emergency_number_override or "")
        self.number.setAccessibleName(T("Emergency number"))
        self.number.setMaximumWidth(160)
        row.addWidget(self.number)
        row.addStretch(1)
        layout.addLayout(row)
        self.country.currentIndexChanged.connect(self._on_country_changed)
        self._on_country_changed()
        layout.addStretch(1)

        outer = self._outer = QVBoxLayout(self)
        self._scroll = _scroll(body)
        outer.addWidget(self._scroll, 1)
        buttons = QHBoxLayout()
        # Beside Save, not at the end of the form: seen whatever part is scrolled into view.
        self.error = label("", "caution")
        self.error.hide()
        buttons.addWidget(self.error, 1)
        buttons.addStretch(1)
        cancel = button(T("Cancel"))
        cancel.clicked.connect(self.reject)
        save = button(T("Save"), "primary")
        save.setObjectName("save-profile")
        save.clicked.connect(self._on_save_clicked)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        outer.addLayout(buttons)

    def _joint_row(
        self,
        layout: QVBoxLayout,
        text: str,
        existing: list[JointReplacement],
        *,
        with_approach: bool = False,
    ) -> dict[str, QWidget]:
        current = existing[0] if existing else None
        have_row, have = check_box(text)
        have.setChecked(current is not None)
        layout.addWidget(have_row)
        row = QHBoxLayout()
        row.setContentsMargins(36, 0, 0, 0)
        side = QComboBox()
        side.setAccessibleName(T("Which side"))
        for value, name in (
            (BodySide.LEFT, T("left")),
            (BodySide.RIGHT, T("right")),
            (BodySide.BOTH, T("both sides")),
        ):
            side.addItem(name, value.value)
        if current:
            side.setCurrentIndex(side.findData(current.side.value))
        row.addWidget(side)
        widgets: dict[str, QWidget] = {"have": have, "side": side}
        if with_approach:
            approach = QComboBox()
            approach.setAccessibleName(T("How it was operated"))
            for kind, name in (
                (Approach.UNKNOWN, T("operated from: I don't know")),
                (Approach.POSTERIOR, T("operated from behind")),
                (Approach.ANTERIOR, T("operated from the front")),
                (Approach.OTHER, T("operated another way")),
            ):
                approach.addItem(name, kind.value)
            if current:
                approach.setCurrentIndex(approach.findData(current.approach.value))
            row.addWidget(approach)
            widgets["approach"] = approach
        row.addStretch(1)
        layout.addLayout(row)
        # On a line of its own: beside the two choices it made the page too wide at large text.
        limits_row, limits = check_box(T("My surgeon's movement limits still apply"), indent=36)
        limits.setChecked(current.limits_apply if current else True)
        layout.addWidget(limits_row)
        widgets["limits"] = limits
        for part in (side, widgets.get("approach"), limits_row):
            if part is not None:
                part.setEnabled(have.isChecked())
                have.toggled.connect(part.setEnabled)
        return widgets

    def _on_country_changed(self) -> None:
        code = self.country.currentData()
        self.number.setPlaceholderText(default_emergency_number(code))

    def profile(self) -> HealthProfile:
        values: dict[str, object] = {name: box.isChecked() for name, box in self.checks.items()}
        replacements = []
        for joint, widgets in ((Joint.HIP, self.hip), (Joint.KNEE, self.knee)):
            have = widgets["have"]
            assert isinstance(have, QCheckBox)
            if not have.isChecked():
                continue
            side = widgets["side"]
            limits = widgets["limits"]
            assert isinstance(side, QComboBox) and isinstance(limits, QCheckBox)
            entry: dict[str, object] = {
                "joint": joint,
                "side": side.currentData(),
                "limits_apply": limits.isChecked(),
            }
            approach = widgets.get("approach")
            if isinstance(approach, QComboBox):
                entry["approach"] = approach.currentData()
            replacements.append(entry)
        date = self.back_op_date.date()
        return HealthProfile.from_data(
            values
            | {
                "joint_replacements": replacements,
                "back_operation_recent": self.back_op.isChecked(),
                "back_operation_date": (
                    dt.date(date.year(), date.month(), date.day())
                    if self.back_op.isChecked()
                    else None
                ),
                "usual_symptoms": {k: b.isChecked() for k, b in self.usual.items()}
                | {"text": self.usual_text.text().strip()}
                | {k: box.currentData() for k, box in self.usual_pain.items()},
                "country": self.country.currentData(),
                "emergency_number_override": self.number.text().strip() or None,
                "completed": True,
            }
        )

    def _on_save_clicked(self) -> None:
        from coach.core.content.records import Invalid

        try:
            profile = self.profile()
        except Invalid as exc:
            # The person sees the field's label, never the name in the file.
            field = {
                "emergency_number_override": (T("Emergency number"), self.number),
                "text": (T("Your usual symptoms in your own words"), self.usual_text),
            }.get(str(exc.loc[-1]) if exc.loc else "")
            shown = field[0] if field is not None else exc.message
            self.error.setText(T("Please check: {fields}").format(fields=shown))
            self.error.show()
            if field is not None:
                # After the message took its room, so the field stays wholly in view.
                self._outer.activate()
                self._scroll.ensureWidgetVisible(field[1])
                field[1].setFocus()
            return
        self.profile_saved.emit(profile)
        self.accept()


class CheckDialog(QDialog):
    """The warning-sign check: one tap for "nothing new", the full list otherwise."""

    check_done = Signal(object)  # a safety.CheckResult

    def __init__(
        self,
        profile: HealthProfile | None,
        lang: str = "en",
        *,
        full: bool = False,
        for_session: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T("Warning signs"))
        self.setMinimumSize(760, 600)
        self._profile = profile
        self._lang = lang
        self._for_session = for_session
        self.result_value: safety.CheckResult | None = None
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.stack)

        # Page 0: the quick question.
        quick = QWidget()
        q = QVBoxLayout(quick)
        q.addStretch(1)
        prompt = label(safety.QUICK_PROMPT.get(lang), "h1")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        q.addWidget(prompt)
        row = QHBoxLayout()
        self.nothing_new = button(safety.NOTHING_NEW.get(lang), "primary")
        self.nothing_new.setObjectName("nothing-new")
        self.changed = button(safety.SOMETHING_CHANGED.get(lang))
        self.changed.setObjectName("something-changed")
        for b in (self.nothing_new, self.changed):
            b.setMinimumHeight(90)
            row.addWidget(b)
        q.addLayout(row)
        q.addStretch(2)
        self.stack.addWidget(quick)

        # Page 1: the full list.
        body = QWidget()
        full_layout = QVBoxLayout(body)
        full_layout.addWidget(label(T("Warning signs"), "h1"))
        full_layout.addWidget(
            label(T("Tick only what is new, or worse than usual for you."), "muted")
        )
        self.answers: dict[str, QCheckBox] = {}
        usual = profile.usual_symptoms if profile else None
        last_group: safety.Group | None = None
        for section in safety.sections_for(profile):
            if section.group is not last_group:
                heading = label(safety.GROUP_HEADINGS[section.group].get(lang), "h2")
                full_layout.addWidget(heading)
                last_group = section.group
            full_layout.addWidget(label(section.heading.get(lang)))
            for question in section.questions:
                question_row, box = check_box(question.text_for(usual).get(lang), indent=18)
                box.setObjectName(f"q-{question.id}")
                self.answers[question.id] = box
                full_layout.addWidget(question_row)
        full_layout.addStretch(1)
        page = QWidget()
        p = QVBoxLayout(page)
        p.setContentsMargins(0, 0, 0, 0)
        p.addWidget(_scroll(body), 1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        self.done_button = button(T("Done"), "primary")
        self.done_button.setObjectName("check-done")
        done_row.addWidget(self.done_button)
        p.addLayout(done_row)
        self.stack.addWidget(page)

        # Page 2: the result.
        self.result_page = QWidget()
        self.result_layout = QVBoxLayout(self.result_page)
        self.stack.addWidget(self.result_page)

        self.nothing_new.clicked.connect(lambda: self._finish({}))
        self.changed.clicked.connect(lambda: self.stack.setCurrentIndex(1))
        self.done_button.clicked.connect(
            lambda: self._finish({k: b.isChecked() for k, b in self.answers.items()})
        )
        self.stack.setCurrentIndex(1 if full else 0)

    def _finish(self, answers: dict[str, bool]) -> None:
        result = safety.evaluate(answers, profile=self._profile)
        self.result_value = result
        self.check_done.emit(result)
        if result.exercise_allowed and self._for_session:
            self.accept()
            return
        self._show_result(result)

    def _show_result(self, result: safety.CheckResult) -> None:
        lang = self._lang
        layout = self.result_layout
        emergency = result.outcome is safety.Outcome.EMERGENCY
        if emergency:
            number = label(f"☎  {result.emergency_number}", "h1")
            number.setObjectName("emergency-number")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            font = number.font()
            font.setPointSizeF(max(font.pointSizeF(), 12) * 3)
            number.setFont(font)
            layout.addWidget(number)
        headline = label(result.headline.get(lang), "h1")
        headline.setObjectName("check-headline")
        layout.addWidget(headline)
        for advice in result.advice:
            layout.addWidget(
                label(advice.get(lang), "caution" if not result.exercise_allowed else None)
            )
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = button(T("Close"), "primary")
        close.setObjectName("check-close")
        close.clicked.connect(self.accept if result.exercise_allowed else self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.stack.setCurrentIndex(2)


class PainDialog(QDialog):
    """Back and leg pain 0-10: one tap per row; skipping is always allowed."""

    pain_given = Signal(object, object)  # back, leg (int or None when skipped)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(820)
        self.values: dict[str, int | None] = {"back": None, "leg": None}
        layout = QVBoxLayout(self)
        layout.addWidget(label(title, "h1"))
        layout.addWidget(label(T("0 = no pain, 10 = the worst pain you can imagine."), "muted"))
        self.groups: dict[str, QButtonGroup] = {}
        for key, text in (("back", T("Back pain")), ("leg", T("Leg pain"))):
            layout.addWidget(label(text, "h2"))
            grid = QGridLayout()
            group = QButtonGroup(self)
            for n in range(11):
                b = QPushButton(str(n))
                b.setCheckable(True)
                b.setMinimumSize(52, 52)
                b.setAccessibleName(T("{part}: {n}").format(part=text, n=n))
                b.setObjectName(f"{key}-{n}")
                group.addButton(b, n)
                grid.addWidget(b, 0, n)
            group.idClicked.connect(lambda n, k=key: self._on_score_clicked(k, n))
            self.groups[key] = group
            layout.addLayout(grid)
        row = QHBoxLayout()
        row.addStretch(1)
        skip = button(T("Skip"))
        skip.setObjectName("pain-skip")
        skip.clicked.connect(self._on_skip_clicked)
        row.addWidget(skip)
        layout.addLayout(row)

    def _on_score_clicked(self, key: str, value: int) -> None:
        self.values[key] = value
        if all(v is not None for v in self.values.values()):
            self.pain_given.emit(self.values["back"], self.values["leg"])
            self.accept()

    def _on_skip_clicked(self) -> None:
        self.pain_given.emit(self.values["back"], self.values["leg"])
        self.reject()


class _BigDialog(QDialog):
    """Big buttons, room around them, and a height that follows the wrapped text.

    A top-level window does not grow for a label that wraps to more lines
    (at 200 % text, or in German): its height is set from the layout's
    height for the width it has, whenever that width changes.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        base = QApplication.font().pointSizeF()
        self.text_scale = max(0.5, base / theme.BASE_PT if base > 0 else 1.0)
        px = math.sqrt(self.text_scale)
        # Sizes by style sheet, not setFont: the app's style sheet would win at
        # polish time, after the height was already worked out for another font.
        advice_pt = round(theme.BASE_PT * 1.3 * math.pow(self.text_scale, 0.8), 1)
        self.setStyleSheet(
            f"QPushButton {{ font-size: {round(base * 1.2, 1)}pt;"
            f" min-height: {round(44 * px)}px; padding: {round(8 * px)}px {round(20 * px)}px; }}"
            f' QLabel[advice="text"] {{ font-size: {advice_pt}pt; }}'
            f" QLabel#advice-0 {{ font-weight: bold; }}"
        )
        # Wide enough for the advice to read as lines, not a column of words.
        self.setMinimumWidth(min(round(660 * px), 1000))
        self.column = QVBoxLayout(self)
        margin = round(28 * px)
        self.column.setContentsMargins(margin, margin, margin, margin)
        self.column.setSpacing(round(16 * px))
        self._fitted_width = -1

    def _fit_height(self) -> None:
        if self.width() == self._fitted_width:
            return
        self._fitted_width = self.width()
        self.column.invalidate()  # heights cached before the style sheet's fonts applied
        height = self.column.totalHeightForWidth(self.width())
        if height > 0:
            self.setMinimumHeight(height)
            if self.height() < height:
                self.resize(self.width(), height)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()


class NextMorningDialog(_BigDialog):
    """ "How did you feel this morning?", asked before the first session the day after one.

    ``answered`` carries "better", "usual" or "worse" (``NextDay`` values), or ""
    for "Not now", which leaves the question for the home page.
    """

    answered = Signal(str)

    def __init__(self, routine_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(T("How did you feel this morning?"))
        self.setObjectName("next-morning-dialog")
        column = self.column
        column.addWidget(label(T("How did you feel this morning?"), "h1"))
        column.addWidget(
            label(
                T("Compared with a usual morning, after your last session ({routine}):").format(
                    routine=routine_title
                )
            )
        )
        for value, text in (
            ("better", T("Better than usual")),
            ("usual", T("As usual")),
            ("worse", T("Worse than usual")),
        ):
            # All alike: a highlighted "usual" would lead the answer.
            choice = button(text)
            choice.setObjectName(f"next-morning-{value}")
            choice.clicked.connect(lambda _=False, v=value: self._answer(v))
            column.addWidget(choice)
        later = button(T("Not now"))
        later.setObjectName("next-morning-later")
        later.clicked.connect(lambda: self._answer(""))
        column.addWidget(later)

    def _answer(self, value: str) -> None:
        self.answered.emit(value)
        self.accept()

    def reject(self) -> None:
        # Esc or the window's close box is a "Not now" too: the session goes on.
        self.answered.emit("")
        super().reject()


class AdviceDialog(_BigDialog):
    """Advice that must be read before going on: a heading, large text, one button.

    ``finished`` (QDialog's own) follows "I understand", Esc or the close box alike.
    """

    def __init__(
        self, title: str, paragraphs: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("advice-dialog")
        column = self.column
        heading = label(title, "h1")
        heading.setObjectName("advice-title")
        column.addWidget(heading)
        for n, text in enumerate(paragraphs):
            line = label(text)
            line.setObjectName(f"advice-{n}")
            line.setProperty("advice", "text")
            column.addWidget(line)
        row = QHBoxLayout()
        row.addStretch(1)
        ok = button(T("I understand"), "primary")
        ok.setObjectName("advice-ok")
        ok.setDefault(True)
        ok.clicked.connect(self.accept)
        row.addWidget(ok)
        column.addLayout(row)
        self.ok_button = ok
