"""A physiotherapist writes a walking prescription in the editor, without YAML.

The real editor page on the real library: (a) a level treadmill walk of up to
45 minutes that ends at the first symptoms, (b) 4 fixed stages of 6 minutes
with 2-minute seated breaks. Set as a person does (typing, clicking, arrow
keys), saved, read back from disk into a fresh editor, and planned.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

from coach.core.common.paths import Paths
from coach.core.content.files import load_document
from coach.core.content.library import Library
from coach.core.content.model import Routine, WalkKind
from coach.core.session.plan import Phase, build_plan
from coach.ui.clinic.editor import RoutineEditor


def open_editor(qtbot, paths: Paths, scale: int = 125, lang: str = "en") -> RoutineEditor:  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language(lang, paths.assets)
    if app.styleSheet() != theme.style_sheet(scale):
        theme.apply(app, scale)
    editor = RoutineEditor(Library.load(paths), paths, lang)
    qtbot.addWidget(editor)
    editor.resize(1366 if scale < 150 else 990, 900)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    return editor


@pytest.fixture(autouse=True)
def _usual_text_size(paths: Paths):  # type: ignore[no-untyped-def]
    yield
    from coach.ui import i18n, theme

    i18n.set_language("en", paths.assets)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if app.styleSheet() != theme.style_sheet(125):
        theme.apply(app, 125)


def focus(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def type_into(qtbot, field: QAbstractSpinBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select what the field shows, type, and press Enter."""
    focus(qtbot, field)
    field.lineEdit().selectAll()
    qtbot.keyClicks(field.lineEdit(), text)
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_Return)


def choose(qtbot, combo: QComboBox, value: str) -> None:  # type: ignore[no-untyped-def]
    """Arrow keys on the closed box, as a keyboard user picks."""
    focus(qtbot, combo)
    for _ in range(combo.count()):
        if combo.currentData() == value:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value


def click(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def new_walk(qtbot, editor: RoutineEditor, name: str) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, editor.new_button)
    qtbot.keyClicks(editor.title_en, name)
    editor.add_exercise("A3")
    editor.select(0)
    assert editor.f_walk_kind.isVisible() and editor.f_stop.isVisible()


def save_and_reopen(qtbot, editor: RoutineEditor, paths: Paths) -> tuple[Routine, RoutineEditor]:  # type: ignore[no-untyped-def]
    click(qtbot, editor.save_button)
    assert editor.routine_id is not None and editor.undo_stack.isClean()
    path = paths.user_routines / f"{editor.routine_id}.yaml"
    routine = load_document(path).document
    assert isinstance(routine, Routine)
    again = open_editor(qtbot, paths)
    again.open_routine(routine.id)
    again.select(0)
    return routine, again


def test_a_treadmill_walk_up_to_45_minutes_that_ends_at_the_first_symptoms(  # type: ignore[no-untyped-def]
    qtbot, paths: Paths
) -> None:
    editor = open_editor(qtbot, paths)
    new_walk(qtbot, editor, "Treadmill walk")
    choose(qtbot, editor.f_walk_kind, WalkKind.TREADMILL_LEVEL.value)
    type_into(qtbot, editor.f_bouts, "1")
    # One stage is one walk: there is no break to set.
    assert not editor.f_break.isVisible() and not editor.f_seated.isVisible()
    click(qtbot, editor.f_fixed)
    assert not editor.f_share.isVisible()
    type_into(qtbot, editor.f_bout, "45 min")
    assert editor.f_bout.text() == "45 min"
    assert not editor.f_max.isVisible()
    focus(qtbot, editor.f_limit)
    qtbot.keyClick(editor.f_limit, Qt.Key.Key_Space)
    assert editor.f_max.isVisible() and editor.f_max.text() == "45 min"
    click(qtbot, editor.f_stop)

    routine, again = save_and_reopen(qtbot, editor, paths)
    walk = routine.items[0].walk
    assert walk is not None
    assert walk.kind is WalkKind.TREADMILL_LEVEL
    assert (walk.bouts, walk.bout_s, walk.max_s, walk.from_walking_test) == (1, 2700, 2700, None)
    assert walk.stop_at_first_symptoms
    # The fresh editor shows it all again.
    assert again.f_walk_kind.currentData() == "treadmill_level"
    assert again.f_bouts.value() == 1 and again.f_fixed.isChecked()
    assert again.f_bout.text() == "45 min"
    assert again.f_limit.isChecked() and again.f_max.text() == "45 min"
    assert again.f_stop.isChecked()
    plan = build_plan(routine, again.library.exercises, walking_test_s=420)
    walks = [s for s in plan.steps if s.phase in (Phase.WALK, Phase.FLEXION_BREAK)]
    assert [(s.phase, s.seconds) for s in walks] == [(Phase.WALK, 2700)]
    assert walks[0].ends_at_symptoms


def test_four_fixed_stages_of_six_minutes_with_seated_breaks(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, paths)
    new_walk(qtbot, editor, "Boot camp walk")
    type_into(qtbot, editor.f_bouts, "4")
    # The built-in A3 takes its stages from the walking test: say "fixed" out loud.
    assert editor.f_from_test.isChecked() and editor.f_share.isVisible()
    focus(qtbot, editor.f_fixed)
    qtbot.keyClick(editor.f_fixed, Qt.Key.Key_Space)
    assert editor.f_fixed.isChecked() and not editor.f_share.isVisible()
    type_into(qtbot, editor.f_bout, "6")  # a bare number: the minutes the field shows
    type_into(qtbot, editor.f_break, "2 min")
    click(qtbot, editor.f_seated)
    assert not editor.f_stop.isChecked()

    routine, again = save_and_reopen(qtbot, editor, paths)
    walk = routine.items[0].walk
    assert walk is not None
    assert (walk.bouts, walk.bout_s, walk.break_s) == (4, 360, 120)
    assert walk.from_walking_test is None and walk.break_exercise == "C2"
    assert walk.kind is WalkKind.OUTDOOR and not walk.stop_at_first_symptoms
    assert again.f_seated.isChecked() and not again.f_standing.isChecked()
    assert again.f_fixed.isChecked() and again.f_bout.text() == "6 min"
    assert again.f_break.text() == "2 min"
    plan = build_plan(routine, again.library.exercises, walking_test_s=900)
    walks = [
        (s.phase, s.seconds, s.exercise_id)
        for s in plan.steps
        if s.phase in (Phase.WALK, Phase.FLEXION_BREAK)
    ]
    walk_step, rest = (Phase.WALK, 360, "A3"), (Phase.FLEXION_BREAK, 120, "C2")
    assert walks == [walk_step, rest, walk_step, rest, walk_step, rest, walk_step]


def test_back_to_the_walking_test_keeps_the_share_and_shows_the_length_before_a_test(  # type: ignore[no-untyped-def]
    qtbot, paths: Paths
) -> None:
    editor = open_editor(qtbot, paths)
    new_walk(qtbot, editor, "Share")
    click(qtbot, editor.f_fixed)
    click(qtbot, editor.f_from_test)
    type_into(qtbot, editor.f_share, "90")
    assert editor.draft.items[0]["walk"]["from_walking_test"] == 0.9
    caption = editor.form_rows["bout_s"][0]
    assert caption.text() == "Without a test"  # type: ignore[attr-defined]
    editor.undo_stack.undo()
    assert editor.draft.items[0]["walk"]["from_walking_test"] == 0.8


@pytest.mark.parametrize(("scale", "lang"), [(100, "en"), (200, "en"), (200, "de")])
def test_the_walking_fields_fit_large_text(qtbot, paths: Paths, scale: int, lang: str) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, paths, scale, lang)
    new_walk(qtbot, editor, "Looks")
    content = editor.scroll_area.widget()
    # The one-column switch takes a layout pass or two.
    qtbot.waitUntil(lambda: content.width() <= editor.scroll_area.viewport().width())
    editor.f_limit.click()
    for widget in (editor.f_standing, editor.f_stop, editor.f_max, editor.f_walk_kind):
        right = widget.mapTo(content, widget.rect().topRight()).x()
        assert right <= editor.scroll_area.viewport().width(), widget.objectName()
