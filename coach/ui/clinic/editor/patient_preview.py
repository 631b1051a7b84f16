"""The routine being edited, as a patient with certain health answers gets it.

A clinician must see what Coach's health rules do to a routine before handing
it over: a hip replacement leaves out deep hip bends, weak bones swap in the
bone-safe versions. The preview asks the personal plan, the one function that
decides what a person plays, with health answers made from the ticks here;
nothing is decided in this module. The draft counts as the clinician's own
plan, which is what it becomes once handed over: a recent back operation does
not lock it, and the rules keep what the clinician assigned where they allow.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.core.session.personal import (
    AS_WRITTEN,
    ChangeKind,
    ClinicianPlan,
    PersonalInputs,
    PersonalPlan,
)
from coach.core.session.plan import format_clock
from coach.core.session.profile import (
    Approach,
    BodySide,
    HealthProfile,
    Joint,
    JointReplacement,
)
from coach.ui.i18n import T
from coach.ui.widgets import button, check_box, label

PAIRED = ("osteoporosis", "back_operation_recent", "cannot_use_floor", "fall_last_year")
"""The yes/no answers: two to a row when there is room."""
JOINTS = ("hip", "knee")
"""The replacements: a row each, with their side (and approach) under them."""
TWO_COLUMNS_EM = 32
"""The yes/no answers go two to a row when the pane is at least this many "m" wide."""


class PatientPreview(QFrame):
    """A pane: ticks for the health answers, then the routine as that patient gets it.

    ``routine_of`` gives the draft as a routine (None while it cannot be one).
    The page calls :meth:`refresh` after every change of the draft. The steps
    are one line per exercise, whatever the editor's own timeline shows: the
    clinician compares which exercises are done and for how long.
    """

    def __init__(
        self,
        library: Library,
        lang: str,
        routine_of: Callable[[], Routine | None],
        *,
        clinician: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.lang = lang
        self.routine_of = routine_of
        self.clinician = clinician
        self.lines: list[str] = []
        """The changes as shown, in plain text (what a screen reader reads)."""
        self.setProperty("role", "pane")
        self._build()

    # -- building ---------------------------------------------------------------------
    def _build(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(14, 12, 14, 12)
        box.setSpacing(8)
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(label(T("Preview for a patient with …"), "h2"), 1)
        self.toggle = button(T("Show"), accessible=T("Show the preview for a patient"))
        self.toggle.setObjectName("patient-preview-toggle")
        # Not a checkable button: the checked style's bold text outgrows the button.
        self.toggle.clicked.connect(lambda: self.set_open(not self.is_open))
        head.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(head)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(6)
        body.addWidget(
            label(
                T(
                    "Tick the answers that matter: you see this routine, saved or not, "
                    "as the patient gets it from you."
                ),
                "hint",
            )
        )
        self.ticks: dict[str, QCheckBox] = {}
        words = {
            "osteoporosis": T("Weak bones (osteoporosis)"),
            "hip": T("Hip replacement, the surgeon's limits still apply"),
            "knee": T("Knee replacement"),
            "cannot_use_floor": T("Cannot get down to the floor and up again safely"),
            "fall_last_year": T("A fall in the last year"),
            "back_operation_recent": T("A back operation in the last 3 months"),
        }
        sides = [
            (T("Left side"), BodySide.LEFT),
            (T("Right side"), BodySide.RIGHT),
            (T("Both sides"), BodySide.BOTH),
        ]
        self.ticks_grid = QGridLayout()
        self.ticks_grid.setContentsMargins(0, 0, 0, 0)
        self.ticks_grid.setHorizontalSpacing(16)
        self.ticks_grid.setVerticalSpacing(2)
        self.tick_rows: dict[str, QWidget] = {}
        for key in (*PAIRED, *JOINTS):
            row, tick = check_box(words[key])
            tick.setObjectName(f"preview-{key}")
            tick.toggled.connect(self._on_ticks_changed)
            self.ticks[key] = tick
            self.tick_rows[key] = row
        self.hip_side = _choice(T("Side"), T("Side of the hip replacement"), sides)
        self.hip_approach = _choice(
            T("Approach"),
            T("Surgical approach of the hip replacement"),
            [
                (T("Posterior"), Approach.POSTERIOR),
                (T("Anterior"), Approach.ANTERIOR),
                (T("Other approach"), Approach.OTHER),
                (T("Not known"), Approach.UNKNOWN),
            ],
        )
        self.knee_side = _choice(T("Side"), T("Side of the knee replacement"), sides)
        self.choices = {
            "hip": _Choices(self.ticks["hip"], self.hip_side, self.hip_approach),
            "knee": _Choices(self.ticks["knee"], self.knee_side),
        }
        for choices in self.choices.values():
            # Only a ticked replacement asks for its side: less to read.
            choices.hide()
        self._columns = 0
        self._place_ticks(1)
        body.addLayout(self.ticks_grid)
        for combo in (self.hip_side, self.hip_approach, self.knee_side):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())

        self.summary = label("", None)
        self.summary.setObjectName("preview-summary")
        bold = QFont(self.summary.font())
        bold.setBold(True)
        self.summary.setFont(bold)
        body.addSpacing(4)
        body.addWidget(self.summary)
        self.changes = label("", None)
        self.changes.setObjectName("preview-changes")
        self.changes.setTextFormat(Qt.TextFormat.RichText)
        # Keyboard-selectable: a tab stop, so the reasons can be reached and read out.
        self.changes.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        body.addWidget(self.changes)
        self.steps_caption = label(T("The exercises as this patient does them"), None)
        self.steps_caption.setFont(bold)
        body.addWidget(self.steps_caption)
        self.steps = label("", None)
        self.steps.setObjectName("preview-steps")
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.steps.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        body.addWidget(self.steps)
        self.body.hide()
        box.addWidget(self.body)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        em = max(1, self.fontMetrics().horizontalAdvance("m"))
        self._place_ticks(2 if self.width() >= TWO_COLUMNS_EM * em else 1)
        inner = self.width() - 28
        for choices in self.choices.values():
            choices.arrange(inner)

    def _place_ticks(self, columns: int) -> None:
        """The yes/no answers two to a row (or one), then a row per replacement."""
        if columns == self._columns:
            return
        self._columns = columns
        grid = self.ticks_grid
        for n, key in enumerate(PAIRED):
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(self.tick_rows[key], n // columns, n % columns, 1, 1, top)
        row = (len(PAIRED) + columns - 1) // columns
        for key in JOINTS:
            grid.addWidget(self.tick_rows[key], row, 0, 1, 2)
            grid.addWidget(self.choices[key], row + 1, 0, 1, 2)
            row += 2
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1 if columns == 2 else 0)

    # -- the answers --------------------------------------------------------------------
    def any_ticked(self) -> bool:
        return any(tick.isChecked() for tick in self.ticks.values())

    def answers(self) -> HealthProfile:
        """The ticks as a health profile (nothing else of a real patient's answers)."""
        on = {key: tick.isChecked() for key, tick in self.ticks.items()}
        joints: list[JointReplacement] = []
        if on["hip"]:
            joints.append(
                JointReplacement(
                    joint=Joint.HIP,
                    side=BodySide(self.hip_side.currentData()),
                    approach=Approach(self.hip_approach.currentData()),
                )
            )
        if on["knee"]:
            joints.append(
                JointReplacement(joint=Joint.KNEE, side=BodySide(self.knee_side.currentData()))
            )
        return HealthProfile(
            osteoporosis=on["osteoporosis"],
            joint_replacements=joints,
            cannot_use_floor=on["cannot_use_floor"],
            fall_last_year=on["fall_last_year"],
            back_operation_recent=on["back_operation_recent"],
            completed=True,
        )

    # -- showing ------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return not self.body.isHidden()

    def set_open(self, on: bool) -> None:
        self.toggle.setText(T("Hide") if on else T("Show"))
        self.toggle.setAccessibleName(
            T("Hide the preview for a patient") if on else T("Show the preview for a patient")
        )
        self.body.setVisible(on)
        self.refresh()
        if on:
            # After the layout has made room: the pane opens below the fold.
            QTimer.singleShot(0, self._scroll_into_view)

    def _scroll_into_view(self) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self.toggle, 0, 0)
            parent.ensureWidgetVisible(self.body, 0, 0)

    def _on_ticks_changed(self, _on: bool = False) -> None:
        for key, choices in self.choices.items():
            choices.setVisible(self.ticks[key].isChecked())
        self.refresh()

    def refresh(self) -> None:
        """Ask the personal plan again; nothing is worked out while the pane is closed."""
        if not self.is_open:
            return
        routine = self.routine_of()
        if routine is None or not routine.items:
            self._show(T("Add exercises to see the routine as this patient gets it."), [])
            return
        inputs = PersonalInputs(
            profile=self.answers(),
            clinician_plans={routine.id: ClinicianPlan(self.clinician)},
        )
        try:
            personal = inputs.plan_for(routine, self.library.exercises)
        except ValueError as exc:
            self._show(str(exc), [])
            return
        lines = self._change_lines(personal)
        if self.ticks["back_operation_recent"].isChecked():
            lines.append(
                _line(
                    "ℹ",
                    T("After a back operation"),
                    T(
                        "Only a plan from a clinician runs in the first 3 months; Coach's own "
                        "routines stay locked. This routine is such a plan once you hand it over."
                    ),
                )
            )
        if not personal.playable:
            self._show("✗ " + T("This routine is not played for a patient with these answers."))
            self._show_lines(lines)
            return
        assert personal.plan is not None and personal.routine is not None
        if not personal.changes:
            nothing = (
                T("Nothing changes for a patient with these answers.")
                if self.any_ticked()
                else T("Nothing changes for a patient with none of these answers.")
            )
            self._show("✓ " + nothing, lines)
            return
        total = personal.total_seconds
        minutes = max(1, round(total / 60))
        summary = T("For this patient: about {n} min ({clock}) · {k} of {m} exercises").format(
            n=minutes,
            clock=format_clock(total),
            k=len(personal.routine.items),
            m=len(routine.items),
        )
        try:
            written = AS_WRITTEN.plan_for(routine, self.library.exercises).total_seconds
        except ValueError:
            written = total
        if max(1, round(written / 60)) != minutes:
            summary += " · " + T("as written about {n} min").format(n=max(1, round(written / 60)))
        self._show(summary, lines)
        blocks = personal.plan.format_timeline(self.lang, detailed=False).splitlines()[1:]
        self.steps.setText(_table(blocks))
        self.steps.setAccessibleName("\n".join(line.strip() for line in blocks))
        self.steps_caption.show()
        self.steps.show()

    def _show(self, summary: str, lines: list[tuple[str, str, str]] | None = None) -> None:
        self.summary.setText(summary)
        self.steps_caption.hide()
        self.steps.hide()
        self.steps.clear()
        self.steps.setAccessibleName("")
        if lines is not None:
            self._show_lines(lines)

    def _show_lines(self, lines: list[tuple[str, str, str]]) -> None:
        """Each change in plain text (with its reason) for tests and screen readers; on
        screen the exercises a reason applies to stand together above it."""
        self.lines = [f"{plain} – {why}" if why else plain for plain, _rich, why in lines]
        groups: dict[str, list[str]] = {}
        for _plain, rich, why in lines:
            groups.setdefault(why, []).append(rich)
        blocks = []
        for why, heads in groups.items():
            blocks += heads
            if why:
                blocks.append(f"<p style='margin: 0 0 8px 0'>{html.escape(why)}</p>")
            else:
                blocks.append("<p style='margin: 0 0 8px 0'></p>")
        self.changes.setText("".join(blocks))
        self.changes.setAccessibleName("\n".join(self.lines))
        self.changes.setVisible(bool(lines))

    def _change_lines(self, personal: PersonalPlan) -> list[tuple[str, str, str]]:
        """Each change in the clinician's words: what happens to which exercise, and why.

        The same note on several items (a firm bed instead of the floor) is one
        line naming them all.
        """
        out: list[tuple[str, str, str]] = []
        notes: dict[str, list[str]] = {}
        for change in personal.changes:
            why = change.reason(self.lang)
            name = self._name(change.exercise_id)
            if change.kind is ChangeKind.LEFT_OUT:
                out.append(_line("✗", T("Left out: {exercise}").format(exercise=name), why))
            elif change.kind is ChangeKind.SWAPPED:
                other, words = self._swapped_to(change.exercise_id)
                head = T("Swapped: {exercise} → {other}").format(exercise=name, other=other)
                out.append(_line("↔", head, why, words))
            elif change.kind is ChangeKind.NOTE:
                notes.setdefault(why, []).append(name)
            elif change.kind is ChangeKind.NOT_PLAYABLE:
                out.append(_line("✗", T("Not played"), why))
            else:
                out.append(_line("ℹ", change.text.get(self.lang), ""))
        for why, names in notes.items():
            head = T("Kept, with a note: {exercises}").format(exercises=", ".join(names))
            out.append(_line("ℹ", head, why))
        return out

    def _name(self, exercise_id: str | None) -> str:
        exercise = self.library.exercises.get(exercise_id or "")
        if exercise is None:
            return exercise_id or "?"
        return f"{exercise.id} {exercise.title.get(self.lang)}"

    def _swapped_to(self, exercise_id: str | None) -> tuple[str, str | None]:
        """What a swapped exercise becomes, and the words the patient is given instead.

        The core swaps only to an exercise's bone-safe version, so that is
        where the target is read from.
        """
        exercise = self.library.exercises.get(exercise_id or "")
        variant = exercise.bone_safe if exercise is not None else None
        if variant is not None and variant.exercise in self.library.exercises:
            return self._name(variant.exercise), None
        words = variant.text.get(self.lang) if variant is not None and variant.text else None
        return T("its bone-safe form"), words


def _line(mark: str, head: str, why: str, words: str | None = None) -> tuple[str, str, str]:
    """One change: its plain text, its rich text (the exercise in bold), and its reason."""
    plain = f"{mark} {head}"
    rich = f"<p style='margin: 0'>{mark} <b>{html.escape(head)}</b></p>"
    if words:
        reads = T("The patient reads: {words}").format(words=words)
        plain += f" ({reads})"
        rich += f"<p style='margin: 0 0 2px 24px'><i>{html.escape(reads)}</i></p>"
    return plain, rich, why


def _table(blocks: list[str]) -> str:
    """The exercise lines of the timeline as a table: start, exercise, how long."""
    rows = []
    for line in blocks:
        start, _gap, rest = line.strip().partition("  ")
        name, _open, length = rest.rpartition("  (")
        if not name or not length.endswith(")"):
            start, name, length = "", line.strip(), ")"
        cells = (start, name, length[:-1])
        aligns = ("right", "left", "right")
        rows.append(
            "<tr>"
            + "".join(
                f"<td align='{a}' style='padding: 1px 6px'>{html.escape(c)}</td>"
                for c, a in zip(cells, aligns, strict=True)
            )
            + "</tr>"
        )
    return "<table cellspacing='0'>" + "".join(rows) + "</table>"


def _choice(caption: str, accessible: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    combo.setProperty("caption", caption)
    for text, value in choices:
        combo.addItem(text, value)
    return combo


class _Choices(QWidget):
    """The choices of a ticked answer under it, indented like its text: side by side,
    or one under the other when they would not fit (large text)."""

    def __init__(self, tick: QCheckBox, *combos: QComboBox) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.indent = tick.sizeHint().width() + 6
        self.grid.setContentsMargins(self.indent, 0, 0, 4)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.pairs: list[tuple[QLabel, QComboBox]] = []
        for combo in combos:
            caption = label(str(combo.property("caption")), wrap=False)
            caption.setBuddy(combo)
            self.pairs.append((caption, combo))
        self.across: bool | None = None
        self.arrange(10_000)

    def arrange(self, width: int) -> None:
        need = self.indent + sum(
            c.sizeHint().width() + 6 + b.sizeHint().width() + 16 for c, b in self.pairs
        )
        across = width >= need
        if across == self.across:
            return
        self.across = across
        for n, (caption, combo) in enumerate(self.pairs):
            row, column = (0, 2 * n) if across else (n, 0)
            caption.setContentsMargins(10 if across and n else 0, 0, 0, 0)
            self.grid.addWidget(caption, row, column)
            self.grid.addWidget(combo, row, column + 1)
        for column in range(2 * len(self.pairs) + 1):
            self.grid.setColumnStretch(column, 0)
        self.grid.setColumnStretch(2 * len(self.pairs) if across else 2, 1)
