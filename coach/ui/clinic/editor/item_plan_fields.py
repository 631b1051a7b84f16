"""The selected item's plan beyond the dose: CERT's progression, starting level and
tailoring, and the clinician's "keep, I know this patient's history".

The three texts say how the dose grows ("+1 rep a week up to 15"), where the
patient starts, and what may be changed for them, so the plan reports what
CERT asks of a home programme. The keep mark holds an item the patient's
health answers would leave out; it carries a name and a date, because the
patient's report says who kept it and when.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QWidget

from coach.core.clinic.handover import ITEM_PLAN_FIELDS
from coach.ui.clinic.editor.style import error_label, set_text, show_error
from coach.ui.i18n import T
from coach.ui.widgets import label

if TYPE_CHECKING:
    from coach.ui.clinic.editor.draft import Draft

PLAN_FIELDS = tuple(name for name, _en, _de in ITEM_PLAN_FIELDS)
CAPTIONS = {
    "starting_level": "Starting level",
    "progression": "Progression",
    "tailoring": "Tailoring",
}
EXAMPLES = {
    "starting_level": "e.g. seated version, 5 repetitions",
    "progression": "e.g. +1 repetition a week up to 15",
    "tailoring": "e.g. a rolled towel under the head if the neck is stiff",
}
MAX_TEXT = 300


class ItemPlanFields:
    """A mixin of the editor page, like the dose form: its widgets are the page's attributes."""

    draft: Draft
    clinician: str
    lang: str
    _loading: bool
    current_row: Callable[[], int | None]
    _change: Callable[..., None]

    today: Callable[[], dt.date] = staticmethod(dt.date.today)
    """The date a keep mark gets; tests replace it."""

    def _build_item_plan(self) -> QWidget:
        self.plan_box = QWidget()
        self.plan_box.setObjectName("item-plan")
        grid = QGridLayout(self.plan_box)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        grid.addWidget(label(T("How it goes on"), "h2"), 0, 0, 1, 2)
        self.plan_edits: dict[tuple[str, str], QLineEdit] = {}
        self.plan_errors: dict[str, QLabel] = {}
        row = 1
        for name in PLAN_FIELDS:
            for lang in ("en", "de"):
                edit = QLineEdit()
                edit.setObjectName(f"item-{name.replace('_', '-')}-{lang}")
                edit.setMaxLength(MAX_TEXT)
                caption = T(CAPTIONS[name]) if lang == "en" else T("… in German")
                edit.setPlaceholderText(T(EXAMPLES[name]) if lang == "en" else T("optional"))
                edit.setAccessibleName(
                    T(CAPTIONS[name])
                    if lang == "en"
                    else T("{what} in German").format(what=T(CAPTIONS[name]))
                )
                edit.textEdited.connect(lambda t, n=name, g=lang: self._edit_plan_text(n, g, t))
                words = label(caption, wrap=False)
                words.setBuddy(edit)
                grid.addWidget(words, row, 0)
                grid.addWidget(edit, row, 1)
                self.plan_edits[(name, lang)] = edit
                row += 1
            self.plan_errors[name] = error_label(f"item-{name}")
            grid.addWidget(self.plan_errors[name], row, 0, 1, 2)
            row += 1
        self.f_keep = QCheckBox(T("Keep, I know this patient's history"))
        self.f_keep.setObjectName("item-keep")
        self.f_keep.setToolTip(
            T(
                "Keeps the exercise although the patient's health answers would leave it "
                "out. Your name and today's date go with it."
            )
        )
        self.f_keep.toggled.connect(self._on_keep_toggled)
        self.f_keep_by = QLineEdit(self.clinician)
        self.f_keep_by.setObjectName("item-keep-by")
        self.f_keep_by.setPlaceholderText(T("Your name"))
        self.f_keep_by.setAccessibleName(T("Kept by"))
        self.f_keep_by.setMaxLength(200)
        self.f_keep_by.textEdited.connect(self._on_keep_by_edited)
        grid.addWidget(self.f_keep, row, 0, 1, 2)
        by = label(T("Kept by"), wrap=False)
        by.setBuddy(self.f_keep_by)
        grid.addWidget(by, row + 1, 0)
        grid.addWidget(self.f_keep_by, row + 1, 1)
        self.keep_note = label("", "hint")
        self.keep_note.setObjectName("item-keep-note")
        grid.addWidget(self.keep_note, row + 2, 0, 1, 2)
        self.keep_error = error_label("item-keep")
        grid.addWidget(self.keep_error, row + 3, 0, 1, 2)
        self.plan_box.setEnabled(False)
        return self.plan_box

    # -- showing ---------------------------------------------------------------------
    def _show_item_plan(self, row: int) -> None:
        has = 0 <= row < len(self.draft.items)
        self.plan_box.setEnabled(has)
        item: dict[str, Any] = self.draft.items[row] if has else {}
        was = self._loading
        self._loading = True
        try:
            for (name, lang), edit in self.plan_edits.items():
                set_text(edit, (item.get(name) or {}).get(lang, ""))
            keep = item.get("keep")
            self.f_keep.setChecked(bool(keep))
            if keep:
                set_text(self.f_keep_by, str(keep.get("by", "")))
                self.keep_note.setText(
                    T("Kept by {who} on {date}.").format(
                        who=keep.get("by"), date=_day_text(keep.get("on"), self.lang)
                    )
                )
            else:
                set_text(self.f_keep_by, self.f_keep_by.text() or self.clinician)
                self.keep_note.setText("")
            show_error(self.keep_error, None)
        finally:
            self._loading = was
        for name in PLAN_FIELDS:
            show_error(self.plan_errors[name], self.item_plan_problem(item, name))

    def item_plan_problem(self, item: dict[str, Any], name: str | None = None) -> str | None:
        """A German text without the English one cannot be saved: English is the fallback."""
        for field in (name,) if name else PLAN_FIELDS:
            text = item.get(field) or {}
            if text and not (text.get("en") or "").strip():
                return T("Write it in English too (German is optional).")
        return None

    def item_marks(self, row: int) -> str:
        """' · kept by Dr Weber' for the item list: the list shows what the form holds."""
        keep = self.draft.items[row].get("keep") if 0 <= row < len(self.draft.items) else None
        return " · " + T("kept by {who}").format(who=keep.get("by")) if keep else ""

    # -- editing ---------------------------------------------------------------------
    def _edit_plan_text(self, name: str, lang: str, text: str) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return

        def change(d: Draft) -> None:
            item = d.items[row]
            values = dict(item.get(name) or {})
            if text.strip():
                values[lang] = text.strip()
            else:
                values.pop(lang, None)
            if values:
                item[name] = values
            else:
                item.pop(name, None)

        self._change(T(CAPTIONS[name]), change, merge=(name, row, lang))

    def _on_keep_toggled(self, on: bool) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return
        who = self.f_keep_by.text().strip()
        if on and not who:
            # The mark is worth nothing without a name: ask for it before keeping.
            self._loading = True
            self.f_keep.setChecked(False)
            self._loading = False
            show_error(self.keep_error, T("Write your name first: the plan says who kept it."))
            self.f_keep_by.setFocus()
            return

        def change(d: Draft) -> None:
            if on:
                d.items[row]["keep"] = {"by": who, "on": self.today().isoformat()}
            else:
                d.items[row].pop("keep", None)

        self._change(T("Keep the exercise") if on else T("Do not keep the exercise"), change)

    def _on_keep_by_edited(self, text: str) -> None:
        row = self.current_row()
        if row is None or self._loading:
            return
        show_error(self.keep_error, None)
        keep = self.draft.items[row].get("keep")
        if not keep or not text.strip():
            return

        def change(d: Draft) -> None:
            d.items[row]["keep"] = dict(keep) | {"by": text.strip()}

        self._change(T("Kept by"), change, merge=("keep-by", row))


def _day_text(value: object, lang: str) -> str:
    """'2 March 2026' for the stored ISO date (shown as stored if it is not one)."""
    from coach.core.content.wording import date_text

    try:
        return date_text(dt.date.fromisoformat(str(value)), lang)
    except ValueError:
        return str(value)
