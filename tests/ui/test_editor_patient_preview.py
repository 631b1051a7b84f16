"""The editor's "Preview for a patient with …": the draft as a patient with those answers gets it.

Real widgets on the real built-in content: ticks are clicked and typed like a
physiotherapist would, and what the pane says is compared with the rules of
the health profile (a hip replacement leaves out deep hip bends and leg
crossing, weak bones swap in the bone-safe versions).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QWidget

from coach.core.common.paths import Paths
from coach.core.content.library import Library
from coach.core.session.profile import Approach, BodySide
from coach.ui.clinic.editor import RoutineEditor
from coach.ui.clinic.editor.patient_preview import PatientPreview

HIP_REASON = "Hip replacement, left (posterior approach), the surgeon's limits apply"


def make_editor(qtbot, paths: Paths, lang: str = "en", scale: int = 125) -> RoutineEditor:  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language(lang, paths.assets)
    if app.styleSheet() != theme.style_sheet(scale):
        theme.apply(app, scale)
    widget = RoutineEditor(Library.load(paths), paths, lang, clinician="Anna Berger")
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def editor(qtbot, paths: Paths):  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    widget = make_editor(qtbot, paths)
    widget.open_routine("daily-relief")
    yield widget
    i18n.set_language("en", paths.assets)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if app.styleSheet() != theme.style_sheet(125):
        theme.apply(app, 125)


def preview(editor: RoutineEditor) -> PatientPreview:
    return editor.patient_preview


def open_preview(qtbot, editor: RoutineEditor) -> PatientPreview:  # type: ignore[no-untyped-def]
    pane = preview(editor)
    assert not pane.body.isVisible()
    qtbot.mouseClick(pane.toggle, Qt.MouseButton.LeftButton)
    assert pane.body.isVisible()
    return pane


def tick(qtbot, pane: PatientPreview, key: str) -> None:  # type: ignore[no-untyped-def]
    box = pane.ticks[key]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)


def steps(pane: PatientPreview) -> str:
    return pane.steps.accessibleName() if pane.steps.isVisible() else ""


def step_ids(pane: PatientPreview) -> list[str]:
    return [line.split()[1] for line in steps(pane).splitlines()]


def left_out(pane: PatientPreview) -> dict[str, str]:
    """Exercise id -> the whole line, for every "Left out" line."""
    prefix = "✗ Left out: "
    return {
        line.removeprefix(prefix).split()[0]: line for line in pane.lines if line.startswith(prefix)
    }


def test_hip_replacement_leaves_out_the_deep_hip_bends(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    assert "Nothing changes" in pane.summary.text()
    assert step_ids(pane) == []  # nothing changes: the steps are the ones under Time

    tick(qtbot, pane, "hip")
    assert pane.ticks["hip"].isChecked()
    assert pane.hip_side.isVisible() and pane.hip_approach.isVisible()
    gone = left_out(pane)
    assert sorted(gone) == ["S1", "S4", "S8"]
    assert gone["S4"].startswith("✗ Left out: S4 Forward bend sitting – " + HIP_REASON)
    assert "hip flexion beyond 90°" in gone["S4"]
    assert "hip flexion beyond 90°" in gone["S1"]
    assert "adduction across the midline or inward rotation" in gone["S8"]
    ids = step_ids(pane)
    assert {"S1", "S4", "S8"}.isdisjoint(ids)
    assert [i for i in ids if i in editor.library.exercises and i != "U1"] == ["P1", "T1", "R1"]
    assert "3 of 6 exercises" in pane.summary.text()
    assert "as written about 17 min" in pane.summary.text()
    # On screen too: the exercise in bold, the reason once under the exercises it applies to.
    shown = pane.changes.text()
    assert "✗ <b>Left out: S4 Forward bend sitting</b>" in shown
    assert shown.count("hip flexion beyond 90°") == 1
    assert pane.changes.isVisible() and pane.steps.isVisible()


def test_side_and_approach_are_in_the_reason(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    tick(qtbot, pane, "hip")
    pane.hip_side.setCurrentIndex(pane.hip_side.findData(BodySide.RIGHT))
    pane.hip_approach.setCurrentIndex(pane.hip_approach.findData(Approach.ANTERIOR))
    assert "Hip replacement, right (anterior approach)" in left_out(pane)["S4"]
    assert pane.answers().joint_replacements[0].approach is Approach.ANTERIOR


def test_weak_bones_swap_in_the_bone_safe_versions(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    tick(qtbot, pane, "osteoporosis")
    swaps = [line for line in pane.lines if line.startswith("↔ Swapped: ")]
    assert len(swaps) == 3
    assert swaps[0].startswith("↔ Swapped: S4 Forward bend sitting → C2 Forward lean sitting – ")
    assert all("Osteoporosis – " in line for line in swaps)
    # A variant in the exercise's own words: the patient's words are shown.
    knee = next(line for line in swaps if "S1 One knee to the chest" in line)
    assert "its bone-safe form" in knee and "The patient reads: Draw the knee in" in knee
    assert left_out(pane) == {}
    ids = step_ids(pane)
    assert "C2" in ids and "S4" not in ids
    assert "6 of 6 exercises" in pane.summary.text()


def test_unticking_restores_nothing_changes(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    tick(qtbot, pane, "hip")
    tick(qtbot, pane, "osteoporosis")
    assert left_out(pane) and "Nothing changes" not in pane.summary.text()
    tick(qtbot, pane, "hip")
    assert left_out(pane) == {} and any(line.startswith("↔") for line in pane.lines)
    tick(qtbot, pane, "osteoporosis")
    assert not any(box.isChecked() for box in pane.ticks.values())
    assert "Nothing changes" in pane.summary.text()
    assert pane.lines == [] and not pane.changes.isVisible()
    assert not pane.steps.isVisible() and not pane.hip_side.isVisible()


def test_a_floor_answer_keeps_the_exercises_with_one_note(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    tick(qtbot, pane, "cannot_use_floor")
    notes = [line for line in pane.lines if line.startswith("ℹ Kept, with a note: ")]
    assert len(notes) == 1  # the same firm-bed note on five exercises: one line
    assert "P1 Pelvic tilt lying down" in notes[0] and "R1 " in notes[0]
    assert "firm bed" in notes[0]


def test_a_back_operation_does_not_lock_the_clinicians_plan(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    tick(qtbot, pane, "back_operation_recent")
    assert "Nothing changes for a patient with these answers" in pane.summary.text()
    assert len(pane.lines) == 1 and "once you hand it over" in pane.lines[0]


def test_editing_the_draft_updates_the_preview(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = open_preview(qtbot, editor)
    tick(qtbot, pane, "hip")
    before = pane.summary.text()
    editor.select(5)  # R1, the last: the new ones go after it
    editor.add_exercise("B1")  # kept with a hip replacement
    assert editor.draft.items[-1]["exercise"] == "B1"
    assert "4 of 7 exercises" in pane.summary.text() and pane.summary.text() != before
    assert "B1" in step_ids(pane)
    editor.add_exercise("S6")  # bends the hip past a right angle
    assert "S6" in left_out(pane) and "hip flexion beyond 90°" in left_out(pane)["S6"]
    assert "4 of 8 exercises" in pane.summary.text()
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert "S6" not in left_out(pane) and "B1" not in step_ids(pane)
    assert pane.summary.text() == before
    # A dose changes the patient's time as well.
    editor.select(1)  # P1, kept
    editor.f_reps.setValue(20)
    assert pane.summary.text() != before
    # An empty draft says what to do.
    editor.new_routine()
    assert "Add exercises" in pane.summary.text() and pane.lines == []


def test_closed_it_works_nothing_out_and_opens_by_keyboard(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    pane = preview(editor)
    pane.ticks["hip"].setChecked(True)
    assert pane.lines == [] and pane.summary.text() == ""
    pane.toggle.setFocus()
    qtbot.keyClick(pane.toggle, Qt.Key.Key_Space)
    assert pane.is_open and pane.toggle.text() == "Hide"
    assert sorted(left_out(pane)) == ["S1", "S4", "S8"]
    # Every control is a tab stop; the reasons can be reached and selected by keyboard.
    for widget in (*pane.ticks.values(), pane.hip_side, pane.hip_approach):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    flags = pane.changes.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
    qtbot.keyClick(pane.toggle, Qt.Key.Key_Space)
    assert not pane.is_open and pane.toggle.text() == "Show"


def test_german_labels_and_reasons(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    from coach.ui import i18n

    try:
        editor = make_editor(qtbot, paths, "de")
        editor.open_routine("daily-relief")
        pane = preview(editor)
        assert pane.toggle.text() == "Anzeigen"
        titles = [w.text() for w in pane.findChildren(QLabel)]
        assert "Vorschau für eine Person mit …" in titles
        assert pane.ticks["hip"].accessibleName().startswith("Künstliches Hüftgelenk")
        assert pane.ticks["osteoporosis"].accessibleName() == "Schwache Knochen (Osteoporose)"
        assert pane.hip_side.itemText(0) == "Linke Seite"
        qtbot.mouseClick(pane.toggle, Qt.MouseButton.LeftButton)
        assert pane.toggle.text() == "Ausblenden"
        assert "Für eine Person ohne diese Angaben ändert sich nichts" in pane.summary.text()
        tick(qtbot, pane, "hip")
        gone = [line for line in pane.lines if line.startswith("✗ Weggelassen: ")]
        assert len(gone) == 3
        assert gone[0].startswith(
            "✗ Weggelassen: S4 Vorbeuge im Sitzen – Künstliches Hüftgelenk, links"
        )
        assert "Zugang von hinten" in gone[0]
        assert "3 von 6 Übungen" in pane.summary.text()
        tick(qtbot, pane, "hip")
        tick(qtbot, pane, "osteoporosis")
        assert any(line.startswith("↔ Ersetzt: S4 Vorbeuge im Sitzen → C2 ") for line in pane.lines)
    finally:
        i18n.set_language("en", paths.assets)


def _inside(widget: QWidget, outer: QWidget) -> bool:
    left = widget.mapTo(outer, widget.rect().topLeft()).x()
    return left >= 0 and left + widget.width() <= outer.width()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_fits_a_small_window_at_200_percent_text(qtbot, paths: Paths, lang: str) -> None:  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        editor = make_editor(qtbot, paths, lang, 200)
        # The editor's part of a 1366 × 768 window beside the navigation at 200 %.
        editor.resize(906, 700)
        editor.open_routine("daily-relief")
        pane = preview(editor)
        qtbot.mouseClick(pane.toggle, Qt.MouseButton.LeftButton)
        tick(qtbot, pane, "hip")
        tick(qtbot, pane, "osteoporosis")
        qtbot.wait(50)  # the one-column switch takes one more layout pass
        assert editor.narrow
        assert pane.lines and pane.steps.isVisible()
        # The pane never makes the page wider than its window (the dose form's own
        # width is the dose form's business).
        assert pane.minimumSizeHint().width() <= editor.scroll_area.viewport().width()
        for text in pane.findChildren(QLabel):
            if text.isVisible() and text.wordWrap():
                assert text.height() >= text.heightForWidth(text.width()), text.text()[:40]
        for widget in (pane.toggle, *pane.findChildren(QComboBox), *pane.findChildren(QCheckBox)):
            if widget.isVisible():
                assert _inside(widget, pane), widget.accessibleName()
        hint = pane.toggle.fontMetrics().horizontalAdvance(pane.toggle.text())
        assert hint < pane.toggle.width()
        # The choices of the hip answer go under one another when they do not fit beside.
        choices = pane.choices["hip"]
        assert choices.isVisible() and _inside(choices, pane)
    finally:
        i18n.set_language("en", paths.assets)
        theme.apply(app, 125)
