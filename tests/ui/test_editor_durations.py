"""Durations in the routine editor typed as a clinician writes them, in English and German.

The real editor page: a timed exercise's duration (shown in minutes) and a
hold (shown in seconds) take "45 min", "1:30", "90 s", a bare number in the
unit the field shows; a wrong value says why beside the field and changes
nothing, not even the undo history.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.ui.clinic.editor import RoutineEditor


def make_editor(qtbot, paths: Paths, lang: str) -> RoutineEditor:  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language(lang, paths.assets)
    if app.styleSheet() != theme.style_sheet(125):
        theme.apply(app, 125)
    editor = RoutineEditor(Library.load(paths), paths, lang)
    qtbot.addWidget(editor)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.new_routine()
    editor.add_exercise("R1")  # timed: 3 minutes
    editor.add_exercise("P1")  # counted, with a hold
    return editor


@pytest.fixture
def editor(qtbot, paths: Paths):  # type: ignore[no-untyped-def]
    widget = make_editor(qtbot, paths, "en")
    yield widget
    from coach.ui import i18n

    i18n.set_language("en", paths.assets)


def type_into(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what the field shows, type, and press Enter, as a person would."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)


def error_of(editor: RoutineEditor, name: str) -> QLabel:
    found = editor.findChild(QLabel, f"error-item-{name}")
    assert found is not None
    return found


# (typed into the duration, seconds kept, what the field then shows)
DURATIONS = [
    ("45 min", 2700, "45 min"),
    ("1:30", 90, "1 min 30 s"),
    ("90 s", 90, "1 min 30 s"),
    ("2", 120, "2 min"),  # a bare number: the minutes the field shows
    ("1,5", 90, "1 min 30 s"),
    ("10 minutes", 600, "10 min"),
]


@pytest.mark.parametrize(("typed", "seconds", "shown"), DURATIONS)
def test_typed_durations_become_the_dose(  # type: ignore[no-untyped-def]
    qtbot, editor: RoutineEditor, typed: str, seconds: int, shown: str
) -> None:
    editor.select(0)
    assert editor.f_duration.isVisible()
    assert editor.f_duration.text() == "3 min"  # the unit is shown
    type_into(qtbot, editor.f_duration, typed)
    assert editor.draft.items[0].get("duration_s") == seconds
    assert editor.f_duration.text() == shown
    assert not error_of(editor, "duration_s").isVisible()


def test_a_hold_field_counts_in_seconds_and_takes_minutes_too(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    editor.select(1)
    assert editor.f_hold.text().endswith(" s")
    type_into(qtbot, editor.f_hold, "8")
    assert editor.draft.items[1]["hold_s"] == 8
    type_into(qtbot, editor.f_hold, "1 min")
    assert editor.draft.items[1]["hold_s"] == 60 and editor.f_hold.text() == "60 s"
    type_into(qtbot, editor.f_rest, "1:30")
    assert editor.draft.items[1]["rest_s"] == 90


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Not a duration: “abc”. Write for example 45 min, 1:30 or 90 s. It stays 3 min."),
        ("3 h", "At most 120 min: “3 h” is too long. It stays 3 min."),
        ("2 s", "At least 5 s: “2 s” is too short. It stays 3 min."),
        ("1 min 30", "Not a duration: “1 min 30”."),
    ],
)
def test_a_bad_value_says_why_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, editor: RoutineEditor, typed: str, message: str
) -> None:
    editor.select(0)
    before = [dict(i) for i in editor.draft.items]
    steps = editor.undo_stack.count()
    type_into(qtbot, editor.f_duration, typed)
    error = error_of(editor, "duration_s")
    assert error.isVisible() and message in error.text()
    assert editor.f_duration.text() == "3 min"
    assert [dict(i) for i in editor.draft.items] == before
    assert editor.undo_stack.count() == steps
    # Leaving the field with a bad value is the same as Enter.
    editor.f_duration.lineEdit().selectAll()
    qtbot.keyClicks(editor.f_duration.lineEdit(), "soon")
    other = editor.findChild(QLineEdit, "title-en")
    assert other is not None
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    assert "“soon”" in error.text() and editor.f_duration.text() == "3 min"
    # A good value afterwards takes the message away.
    type_into(qtbot, editor.f_duration, "4 min")
    assert not error.isVisible() and editor.draft.items[0]["duration_s"] == 240


def test_german_units(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    editor = make_editor(qtbot, paths, "de")
    try:
        editor.select(0)
        assert editor.f_duration.text() == "3 Min."
        type_into(qtbot, editor.f_duration, "45 Min.")
        assert editor.draft.items[0]["duration_s"] == 2700
        type_into(qtbot, editor.f_duration, "90 Sek.")
        assert editor.draft.items[0]["duration_s"] == 90
        assert editor.f_duration.text() == "1 Min. 30 Sek."
        type_into(qtbot, editor.f_duration, "bald")
        error = error_of(editor, "duration_s")
        assert error.isVisible()
        assert (
            "Keine Dauer: „bald“" in error.text() and "Es bleibt bei 1 Min. 30 Sek." in error.text()
        )
        editor.select(1)
        assert editor.f_hold.text().endswith(" Sek.")
        assert not error.isVisible()  # said of the other exercise
    finally:
        from coach.ui import i18n

        i18n.set_language("en", paths.assets)
