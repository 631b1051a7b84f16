"""The walking item's fields in the dose form: where, how many stages, how long, the break.

A physiotherapist writes "level treadmill up to 45 min, stop at the first
symptoms" or "4 stages of 6 min, 2-min seated breaks" here without YAML. Every
choice is explicit: the stage length is fixed or taken from the walking test
(two radio buttons, not an empty field meaning "from the test"), and the break
is seated (C2) or a standing lean (S9). A mixin of the dose form
(:class:`~coach.ui.clinic.editor.dose_fields.DoseFields`), which gives it the
row adder and the edit call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coach.core.content.durations import Unit
from coach.core.content.model import MAX_DURATION_S, MAX_REST_S, Dosage, Exercise, Walk, WalkKind
from coach.core.session.walk_steps import SEATED_BREAK, STANDING_BREAK
from coach.ui.clinic.editor.style import spin, stepper
from coach.ui.i18n import T
from coach.ui.widgets import check_box

KIND_LABELS = {
    WalkKind.OUTDOOR: "On level ground",
    WalkKind.TREADMILL_LEVEL: "Treadmill, no slope",
    WalkKind.TREADMILL_UPHILL: "Treadmill, uphill",
}
"""Where the walk happens, translated where shown; the player's safety words follow it."""

DEFAULT_MAX_S = 45 * 60
"""What "limit each stage" starts with: the longest walk of Whitman's programme."""

WALK_ROWS = (
    "walk_kind",
    "bouts",
    "stage_mode",
    "share",
    "bout_s",
    "break_s",
    "break_position",
    "max_s",
    "stop_symptoms",
)
BREAK_ROWS = ("break_s", "break_position")
"""Shown only with two stages or more: one stage is a single walk without breaks."""


class WalkFields:
    """Builds the walking rows and shows a walk in them; edits become dose changes."""

    lang: str
    _loading: bool
    form_rows: dict[str, list[QWidget]]
    current_row: Callable[[], int | None]
    _edit_item: Callable[..., None]
    _item_dosage: Callable[[int], tuple[Exercise | None, Dosage | None]]
    _duration_box: Callable[[str, int, int, Unit, str], Any]
    _show_rows: Callable[[str, bool], None]

    def _build_walk_rows(self, add: Callable[[str, str, QWidget], None]) -> None:
        self.f_walk_kind = QComboBox()
        self.f_walk_kind.setObjectName("item-walk-kind")
        self.f_walk_kind.setAccessibleName(T("Where the patient walks"))
        for kind, caption in KIND_LABELS.items():
            self.f_walk_kind.addItem(T(caption), kind.value)
        self.f_walk_kind.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.f_walk_kind.setMinimumContentsLength(8)
        self.f_walk_kind.activated.connect(
            lambda _i: self._edit_walk("kind", self.f_walk_kind.currentData(), merge=False)
        )
        add("walk_kind", T("Where"), self.f_walk_kind)

        self.f_bouts = spin(1, 10, "", T("Number of walking stages"))
        self.f_bouts.setObjectName("item-bouts")
        self.f_bouts.setToolTip(T("1 stage is one walk without breaks"))
        self.f_bouts.valueChanged.connect(lambda v: self._edit_walk("bouts", v))
        add("bouts", T("Stages"), stepper(self.f_bouts, T("Stages")))

        self.f_fixed = QRadioButton(T("Fixed length"))
        self.f_fixed.setObjectName("item-stage-fixed")
        self.f_from_test = QRadioButton(T("From the walking test"))
        self.f_from_test.setObjectName("item-stage-from-test")
        self.f_from_test.setToolTip(
            T("A share of the patient's own time to first symptoms in their walking test")
        )
        self.stage_mode = QButtonGroup(self.f_fixed)
        modes = self._choice(self.stage_mode, self.f_fixed, self.f_from_test)
        add("stage_mode", T("Stage length"), modes)
        self.f_fixed.toggled.connect(self._on_stage_mode_toggled)

        self.f_share = spin(10, 150, " %", T("Share of the time to first symptoms"))
        self.f_share.setObjectName("item-share")
        self.f_share.setSingleStep(5)
        self.f_share.valueChanged.connect(lambda v: self._edit_walk("from_walking_test", v / 100))
        add("share", T("Share of the test"), stepper(self.f_share, T("Share of the test")))

        self.f_bout = self._duration_box(
            "bout_s", 30, int(MAX_DURATION_S), "min", T("Length of each stage")
        )
        self.f_bout.setObjectName("item-bout")
        self.f_bout.setSingleStep(60)
        self.f_bout.valueChanged.connect(lambda v: self._edit_walk("bout_s", v))
        add("bout_s", T("Each stage"), stepper(self.f_bout, T("Each stage")))

        self.f_break = self._duration_box(
            "break_s", 10, int(MAX_REST_S), "min", T("Break between stages")
        )
        self.f_break.setObjectName("item-break")
        self.f_break.setSingleStep(30)
        self.f_break.valueChanged.connect(lambda v: self._edit_walk("break_s", v))
        add("break_s", T("Break"), stepper(self.f_break, T("Break")))

        self.f_seated = QRadioButton(T("Seated lean (C2)"))
        self.f_seated.setObjectName("item-break-seated")
        self.f_standing = QRadioButton(T("Standing lean (S9)"))
        self.f_standing.setObjectName("item-break-standing")
        self.break_position = QButtonGroup(self.f_seated)
        add(
            "break_position",
            T("Break position"),
            self._choice(self.break_position, self.f_seated, self.f_standing),
        )
        self.f_seated.toggled.connect(lambda on: self._on_break_position(on, SEATED_BREAK))
        self.f_standing.toggled.connect(lambda on: self._on_break_position(on, STANDING_BREAK))

        self.f_limit = QCheckBox(T("Limit each stage"))
        self.f_limit.setObjectName("item-limit")
        self.f_limit.setToolTip(T("No stage lasts longer, whatever the walking test says"))
        self.f_max = self._duration_box(
            "max_s", 60, int(MAX_DURATION_S), "min", T("Longest a stage may last")
        )
        self.f_max.setObjectName("item-max")
        self.f_max.setSingleStep(60)
        self.f_max.valueChanged.connect(lambda v: self._edit_walk("max_s", v))
        self.f_limit.toggled.connect(self._on_limit_toggled)
        # One under the other: side by side they made the form too wide for 200 % text.
        limit_row = QWidget()
        limit_row.setFocusProxy(self.f_limit)
        column = QVBoxLayout(limit_row)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.f_limit, 0, Qt.AlignmentFlag.AlignLeft)
        # Shown only when ticked: a greyed "45 min" still read like a limit.
        self.max_stepper = stepper(self.f_max, T("Longest walk"))
        column.addWidget(self.max_stepper)
        add("max_s", T("Longest walk"), limit_row)

        stop_row, self.f_stop = check_box(T("Stop at the first symptoms"))
        self.f_stop.setObjectName("item-stop-symptoms")
        self.f_stop.setToolTip(
            T("The patient's “Symptoms started” ends the stage there, instead of walking on")
        )
        self.f_stop.toggled.connect(
            lambda on: self._edit_walk("stop_at_first_symptoms", on, merge=False)
        )
        stop_row.setFocusProxy(self.f_stop)
        add("stop_symptoms", "", stop_row)

    @staticmethod
    def _choice(group: QButtonGroup, *buttons: QRadioButton) -> QWidget:
        """Radio buttons one under the other: they wrap nowhere and fit large text."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for b in buttons:
            group.addButton(b)
            column.addWidget(b, 0, Qt.AlignmentFlag.AlignLeft)
        holder.setFocusProxy(buttons[0])
        return holder

    def _show_walk(self, walk: Walk | None) -> None:
        """Show ``walk``'s values, or hide the walking rows when the item is no walk."""
        for name in WALK_ROWS:
            self._show_rows(name, walk is not None)
        if walk is None:
            return
        self.f_walk_kind.setCurrentIndex(self.f_walk_kind.findData(walk.kind.value))
        self.f_bouts.setValue(walk.bouts)
        from_test = walk.from_walking_test is not None
        (self.f_from_test if from_test else self.f_fixed).setChecked(True)
        self.f_bout.setValue(round(walk.bout_s))
        self.f_share.setValue(round((walk.from_walking_test or 0.8) * 100))
        self._show_rows("share", from_test)
        # From the test, the fixed length still plays until the first test is done.
        caption = self.form_rows["bout_s"][0]
        assert isinstance(caption, QLabel)
        caption.setText(T("Without a test") if from_test else T("Each stage"))
        self.f_break.setValue(round(walk.break_s))
        for name in BREAK_ROWS:
            self._show_rows(name, walk.bouts > 1)
        self._set_break_position(walk.break_exercise)
        self.f_limit.setChecked(walk.max_s is not None)
        self.f_max.setValue(round(walk.max_s or DEFAULT_MAX_S))
        self.max_stepper.setVisible(walk.max_s is not None)
        self.f_stop.setChecked(walk.stop_at_first_symptoms)

    def _set_break_position(self, exercise_id: str | None) -> None:
        # Another break exercise (a clinic's own) ticks neither: both must be
        # clearable, which an exclusive group does not allow.
        self.break_position.setExclusive(False)
        self.f_seated.setChecked(exercise_id == SEATED_BREAK)
        self.f_standing.setChecked(exercise_id == STANDING_BREAK)
        self.break_position.setExclusive(True)

    def _on_stage_mode_toggled(self, fixed: bool) -> None:
        share = None if fixed else self.f_share.value() / 100
        self._edit_walk("from_walking_test", share, merge=False)

    def _on_break_position(self, on: bool, exercise_id: str) -> None:
        if on:  # the button being left says nothing
            self._edit_walk("break_exercise", exercise_id, merge=False)

    def _on_limit_toggled(self, on: bool) -> None:
        self._edit_walk("max_s", self.f_max.value() if on else None, merge=False)

    def _edit_walk(self, name: str, value: Any, merge: bool = True) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return
        _ex, dose = self._item_dosage(row)
        if dose is None or dose.walk is None:
            return
        walk = dose.walk.to_data() | {name: value}
        self._edit_item("walk", walk, merge)
