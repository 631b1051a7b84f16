"""The dose form of the exercise selected in the routine: sets, reps, tempo, note.

It is the largest part of the editor page and changes for its own reasons
(a new dose field, a new way of timing), so its building, showing and editing
code sits here together, as a mixin of the page. Durations are typed as a
clinician writes them ("45 min", "1:30", "90 s"; :class:`DurationBox`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coach.core.content.durations import MAX_TEXT, Unit, duration_text, parse_duration
from coach.core.content.library import Library
from coach.core.content.model import (
    DOSE_FIELDS,
    MAX_DURATION_S,
    MAX_HOLD_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    Dosage,
    Exercise,
    RoutineItem,
    Side,
)
from coach.core.content.records import Invalid
from coach.ui.clinic.editor.draft import Draft
from coach.ui.clinic.editor.style import (
    PictureView,
    error_label,
    set_text,
    show_error,
    spin,
    stepper,
)
from coach.ui.clinic.editor.walk_fields import WalkFields
from coach.ui.i18n import T
from coach.ui.widgets import button, label

SIDE_LABELS = {
    Side.NONE: "No sides",
    Side.BOTH: "Both sides, start on the right",
    Side.ALTERNATE: "Right and left, taking turns",
    Side.RIGHT: "Right side only",
    Side.LEFT: "Left side only",
}
"""The side choices, translated where they are shown (``T(caption)``); the
player starts with the right side (``coach.core.session.plan.FIRST_SIDE``)."""


class DurationBox(QSpinBox):
    """Whole seconds, shown in the field's unit and typed as a person writes them.

    "45 min", "1:30", "90 s", "45 Min.", "90 Sek." are all understood; a
    number alone is the unit the field shows. Anything else, or a duration
    out of range, keeps the value the field had and says why through
    ``problem`` (None once the field holds what was typed). The value stays
    in seconds, so the steppers and the undo steps work as for any number.
    """

    problem = Signal(object)  # the message, or None

    def __init__(self, low: int, high: int, unit: Unit, lang: str, name: str) -> None:
        super().__init__()
        self.unit: Unit = unit
        self.lang = lang
        self._refused: str | None = None
        self.setRange(low, high)
        self.setAccessibleName(name)
        self.setKeyboardTracking(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setToolTip(
            T("A number alone means minutes; or type for example 90 s or 1:30.")
            if unit == "min"
            else T("A number alone means seconds; or type for example 2 min or 1:30.")
        )
        self.valueChanged.connect(lambda _v: self._say(None))
        self.editingFinished.connect(self._on_editing_finished)

    def textFromValue(self, value: int) -> str:
        return duration_text(value, self.unit, self.lang)

    def valueFromText(self, text: str) -> int:
        seconds = parse_duration(text, self.unit)
        return self.value() if seconds is None else round(seconds)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if len(text) > MAX_TEXT:
            return QValidator.State.Invalid, text, pos
        seconds = parse_duration(text, self.unit)
        if seconds is not None and self.minimum() <= round(seconds) <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        # Half-typed ("1:", "45 m") or wrong: kept while typing, judged when done.
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        # Qt calls this with what was typed when it is not acceptable, then puts
        # the last good value back: the place to say what was wrong.
        self._refused = self.refusal(text)
        return text

    def refusal(self, text: str) -> str | None:
        """Why ``text`` cannot be this field's value (None: it can)."""
        typed = text.strip()
        value = self.textFromValue(self.value())
        seconds = parse_duration(typed, self.unit)
        if seconds is None:
            return (
                T("Not a duration: “{text}”. Write for example 45 min, 1:30 or 90 s.").format(
                    text=typed
                )
                + " "
                + T("It stays {value}.").format(value=value)
            )
        if round(seconds) > self.maximum():
            limit = self.textFromValue(self.maximum())
            return (
                T("At most {limit}: “{text}” is too long.").format(limit=limit, text=typed)
                + " "
                + T("It stays {value}.").format(value=value)
            )
        if round(seconds) < self.minimum():
            limit = self.textFromValue(self.minimum())
            return (
                T("At least {limit}: “{text}” is too short.").format(limit=limit, text=typed)
                + " "
                + T("It stays {value}.").format(value=value)
            )
        return None

    def _on_editing_finished(self) -> None:
        refused, self._refused = self._refused, None
        self._say(refused)

    def _say(self, message: str | None) -> None:
        self.problem.emit(message)


class DoseFields(WalkFields):
    """The selected item's dose form: builds it, shows an item in it, turns edits into undo steps.

    A mixin of the editor page, which provides what is declared below; the
    form's widgets stay attributes of the page.
    """

    library: Library
    lang: str
    draft: Draft
    _loading: bool
    current_row: Callable[[], int | None]
    _change: Callable[..., None]

    def _build_item_form(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.item_picture = PictureView(minimum=QSize(72, 54))
        self.item_picture.setFixedSize(QSize(96, 72))
        head.addWidget(self.item_picture)
        self.item_title = label(T("Select an exercise to set its dose."), "hint")
        self.item_title.setObjectName("item-title")
        head.addWidget(self.item_title, 1)
        layout.addLayout(head)
        self.item_caution = label("", "caution")
        self.item_caution.hide()
        layout.addWidget(self.item_caution)

        self.form = QWidget()
        form = QGridLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(3)
        self.form_errors: dict[str, QLabel] = {}
        self.form_rows: dict[str, list[QWidget]] = {}
        row = 0

        def add(name: str, caption: str, widget: QWidget) -> None:
            nonlocal row
            caption_label = label(caption, wrap=False)
            caption_label.setBuddy(widget)
            form.addWidget(caption_label, row, 0)
            if isinstance(widget, QCheckBox):  # only the box and its words are clickable
                form.addWidget(widget, row, 1, Qt.AlignmentFlag.AlignLeft)
            else:
                form.addWidget(widget, row, 1)
            row += 1
            error = error_label(f"item-{name}")
            form.addWidget(error, row, 0, 1, 2)
            row += 1
            self.form_errors[name] = error
            self.form_rows[name] = [caption_label, widget]

        self.f_side = QComboBox()
        self.f_side.setObjectName("item-side")
        self.f_side.setAccessibleName(T("Side"))
        for side, caption in SIDE_LABELS.items():
            self.f_side.addItem(T(caption), side.value)
        self.f_side.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.f_side.setMinimumContentsLength(8)
        self.f_side.activated.connect(lambda _i: self._edit_item("side", self.f_side.currentData()))
        add("side", T("Side"), self.f_side)
        # (name, dose field, lowest, highest, caption, accessible name)
        counted = (
            ("f_sets", "sets", 1, MAX_SETS, T("Sets"), T("Sets")),
            ("f_reps", "reps", 1, MAX_REPS, T("Repetitions"), T("Repetitions")),
        )
        boxes = []
        for attr, key, low, high, caption, accessible in counted:
            box = spin(low, high, "", accessible)
            box.setObjectName("item-" + attr.removeprefix("f_"))
            box.valueChanged.connect(lambda v, k=key: self._edit_item(k, v))
            boxes.append(box)
            add(key, caption, stepper(box, caption))
        self.f_sets, self.f_reps = boxes
        timed = (
            ("f_hold", "hold_s", 0, MAX_HOLD_S, T("Hold"), T("Hold in seconds")),
            (
                "f_relax",
                "relax_s",
                0,
                MAX_REST_S,
                T("Between reps"),
                T("Relax between repetitions in seconds"),
            ),
            (
                "f_rest",
                "rest_s",
                0,
                MAX_REST_S,
                T("Between sets"),
                T("Rest between sets in seconds"),
            ),
        )
        durations = []
        for attr, key, low, high, caption, accessible in timed:
            seconds = self._duration_box(key, low, high, "s", accessible)
            seconds.setObjectName("item-" + attr.removeprefix("f_"))
            seconds.valueChanged.connect(lambda v, k=key: self._edit_item(k, v))
            durations.append(seconds)
            add(key, caption, stepper(seconds, caption))
        self.f_hold, self.f_relax, self.f_rest = durations
        self.f_load = QLineEdit()
        self.f_load.setObjectName("item-load")
        self.f_load.setMaxLength(80)
        self.f_load.setPlaceholderText(T("kg, band or effort"))
        self.f_load.setAccessibleName(T("Load"))
        self.f_load.textEdited.connect(lambda t: self._edit_item("load", t.strip() or None))
        add("load", T("Load"), self.f_load)
        self.f_timed = QCheckBox(T("Timed"))
        self.f_timed.setToolTip(T("Timed in seconds instead of counted in repetitions"))
        self.f_timed.setObjectName("item-timed")
        self.f_timed.toggled.connect(self._on_timed_toggled)
        add("timed", "", self.f_timed)
        self.f_duration = self._duration_box(
            "duration_s", 5, int(MAX_DURATION_S), "min", T("Duration in minutes and seconds")
        )
        self.f_duration.setObjectName("item-duration")
        self.f_duration.setSingleStep(30)
        self.f_duration.valueChanged.connect(lambda v: self._edit_item("duration_s", v))
        add("duration_s", T("Duration"), stepper(self.f_duration, T("Duration")))
        self._build_walk_rows(add)
        self.f_self_paced = QCheckBox(T("Self-paced"))
        self.f_self_paced.setToolTip(T("The patient taps when each repetition is done"))
        self.f_self_paced.setObjectName("item-self-paced")
        self.f_self_paced.toggled.connect(self._on_self_paced_toggled)
        add("self_paced", "", self.f_self_paced)
        self.f_out = self._tempo_box(
            "out", T("Tempo: seconds to move out"), T("Seconds to move out")
        )
        self.f_back = self._tempo_box(
            "back", T("Tempo: seconds to come back"), T("Seconds to come back")
        )
        add("tempo", T("Move out"), stepper(self.f_out, T("seconds to move out")))
        add("tempo_back", T("Come back"), stepper(self.f_back, T("seconds to come back")))
        self.f_note_en = QLineEdit()
        self.f_note_en.setObjectName("item-note-en")
        self.f_note_en.setPlaceholderText(T("A personal note"))
        self.f_note_en.setAccessibleName(T("Personal note"))
        self.f_note_en.textEdited.connect(lambda t: self._edit_note("en", t))
        add("note", T("Note"), self.f_note_en)
        self.f_note_de = QLineEdit()
        self.f_note_de.setObjectName("item-note-de")
        self.f_note_de.setPlaceholderText(T("optional"))
        self.f_note_de.setAccessibleName(T("Personal note in German"))
        self.f_note_de.textEdited.connect(lambda t: self._edit_note("de", t))
        add("note_de", T("Note (German)"), self.f_note_de)
        form.setColumnStretch(1, 1)
        layout.addWidget(self.form)
        self.reset_button = button(T("Exercise's own dose"), accessible=T("Reset the dose"))
        self.reset_button.setToolTip(T("Back to the exercise's own dose"))
        self.reset_button.setObjectName("reset-dose")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        reset_row = QHBoxLayout()
        reset_row.addWidget(self.reset_button)
        reset_row.addStretch(1)
        layout.addLayout(reset_row)
        layout.addStretch(1)
        self.form.setEnabled(False)
        self.reset_button.setEnabled(False)
        return body

    def _duration_box(
        self, name: str, low: int, high: int, unit: Unit, accessible: str
    ) -> DurationBox:
        """A duration field whose refusals show in its row's error line (``name``)."""
        box = DurationBox(low, high, unit, self.lang, accessible)
        # The error line is made with the row, after the box: looked up when needed.
        box.problem.connect(lambda message: show_error(self.form_errors[name], message))
        return box

    def _tempo_box(self, part: str, name: str, tip: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(f"item-tempo-{part}")
        box.setRange(0.5, 30)
        box.setSingleStep(0.5)
        box.setDecimals(1)
        box.setKeyboardTracking(False)
        box.setSuffix(" s")
        box.setAccessibleName(name)
        box.setToolTip(tip)
        box.valueChanged.connect(lambda _v: self._edit_tempo())
        return box

    def _item_dosage(self, row: int) -> tuple[Exercise | None, Dosage | None]:
        item = self.draft.items[row]
        ex = self.library.exercises.get(item.get("exercise", ""))
        if ex is None:
            return None, None
        clean = {k: v for k, v in item.items() if k in DOSE_FIELDS}
        try:
            return ex, RoutineItem.from_data({"exercise": ex.id, **clean}).apply_to(ex.dosage)
        except Invalid:
            return ex, None

    def dose_line(self, row: int) -> str:
        from coach.core.content.wording import dose_text
        from coach.core.session.plan import FIRST_SIDE

        ex, dose = self._item_dosage(row)
        if ex is None:
            return T("unknown exercise")
        if dose is None:
            return T("the dose does not fit")
        text = dose_text(dose, self.lang, FIRST_SIDE) + (f", {dose.load}" if dose.load else "")
        item = self.draft.items[row]
        note = item.get("note") or {}
        if note.get(self.lang) or note.get("en"):
            text += " · " + T("note")
        return text

    def _show_item(self, row: int) -> None:
        has = 0 <= row < len(self.draft.items)
        self.form.setEnabled(has)
        self.reset_button.setEnabled(has)
        if not has:
            self.item_title.setText(T("Select an exercise in the routine to set its dose."))
            self.item_title.setProperty("role", "hint")
            self.item_picture.set_picture()
            self.item_caution.hide()
            return
        ex, dose = self._item_dosage(row)
        item = self.draft.items[row]
        self.item_title.setText(
            f"{row + 1}. {ex.title.get(self.lang)}" if ex else str(item.get("exercise"))
        )
        self.item_title.setProperty("role", "h2")
        self.item_title.style().unpolish(self.item_title)
        self.item_title.style().polish(self.item_title)
        self.item_picture.set_picture(path=self.library.illustration(ex.id, "end") if ex else None)
        if ex is not None and ex.lumbar_extension:
            who = self.draft.allowed_by or "?"
            self.item_caution.setText(
                "⚠ "
                + T("Arches the lower back: allowed for this patient by {who}.").format(who=who)
            )
            self.item_caution.show()
        else:
            self.item_caution.hide()
        if ex is None:
            return
        base = dose or ex.dosage
        was = self._loading
        self._loading = True
        for name in ("hold_s", "relax_s", "rest_s", "duration_s", "bout_s", "break_s", "max_s"):
            show_error(self.form_errors[name], None)  # said of the item shown before
        try:
            self.f_side.setCurrentIndex(self.f_side.findData(base.side.value))
            self.f_sets.setValue(base.sets)
            self.f_reps.setValue(base.reps)
            self.f_hold.setValue(round(base.hold_s))
            self.f_relax.setValue(round(base.relax_s))
            self.f_rest.setValue(round(base.rest_s))
            set_text(self.f_load, base.load or "")
            walk = base.walk is not None
            timed = base.duration_s is not None
            default_timed = ex.dosage.duration_s is not None
            self.f_timed.setChecked(timed)
            self._show_rows("timed", not walk and not default_timed)
            self._show_rows("duration_s", timed)
            self.f_duration.setValue(round(base.duration_s or 60))
            self._show_walk(base.walk)
            counted = not walk and not timed
            for name in ("reps", "hold_s", "relax_s", "self_paced", "tempo", "tempo_back"):
                self._show_rows(name, counted)
            self._show_rows("sets", not walk)
            self._show_rows("rest_s", not walk)
            self._show_rows("side", not walk)
            self_paced = base.self_paced or base.tempo is None
            self.f_self_paced.setChecked(self_paced)
            tempo = base.tempo or ex.dosage.tempo
            self.f_out.setValue(tempo.out_s if tempo else 2)
            self.f_back.setValue(tempo.back_s if tempo else 3)
            self.f_out.setEnabled(not self_paced)
            self.f_back.setEnabled(not self_paced)
            note = item.get("note") or {}
            set_text(self.f_note_en, note.get("en", ""))
            set_text(self.f_note_de, note.get("de", ""))
        finally:
            self._loading = was
        self._show_item_errors(row)

    def _show_rows(self, name: str, visible: bool) -> None:
        for widget in self.form_rows[name]:
            widget.setVisible(visible)
        if not visible:
            self.form_errors[name].hide()

    def _edit_item(self, name: str, value: Any, merge: bool = True) -> None:
        row = self.current_row()
        if row is None or not 0 <= row < len(self.draft.items) or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            if value is None:
                item.pop(name, None)
            else:
                item[name] = value

        self._change(T("Change the dose"), change, merge=("item", row, name) if merge else None)

    def _on_timed_toggled(self, on: bool) -> None:
        if self._loading:
            return
        self._edit_item("duration_s", self.f_duration.value() if on else None, merge=False)

    def _on_self_paced_toggled(self, on: bool) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            item["self_paced"] = on
            if on:
                item.pop("tempo", None)
            else:
                item["tempo"] = {"out_s": self.f_out.value(), "back_s": self.f_back.value()}

        self._change(T("Change the tempo"), change)

    def _edit_tempo(self) -> None:
        if self._loading:
            return
        self._edit_item("tempo", {"out_s": self.f_out.value(), "back_s": self.f_back.value()})

    def _edit_note(self, lang: str, text: str) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            note = dict(item.get("note") or {})
            if text.strip():
                note[lang] = text
            else:
                note.pop(lang, None)
            if note:
                item["note"] = note
            else:
                item.pop("note", None)

        self._change(T("Edit the note"), change, merge=("note", row, lang))

    def _on_reset_clicked(self) -> None:
        row = self.current_row()
        if row is None:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            for key in DOSE_FIELDS:
                item.pop(key, None)

        self._change(T("Reset the dose"), change)

    def _show_item_errors(self, row: int) -> None:
        item = self.draft.items[row]
        note = item.get("note") or {}
        show_error(
            self.form_errors["note"],
            T("Write the note in English too (German is optional).")
            if note and not (note.get("en") or "").strip()
            else None,
        )
        _ex, dose = self._item_dosage(row)
        show_error(
            self.form_errors["sets"],
            T("This dose does not fit the exercise.") if dose is None else None,
        )
