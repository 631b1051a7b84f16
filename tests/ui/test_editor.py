"""The routine editor, driven by keyboard and mouse like a physiotherapist would.

Builds a five-exercise routine with one clinic exercise (own PNG picture),
sets doses, reorders by keys and by drop, undoes and redoes, saves, reloads
the YAML and compares; an extension exercise needs the explicit allow.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from coach.core.common.paths import Paths
from coach.core.content.files import load_document
from coach.core.content.library import Library, validate
from coach.core.content.model import Routine
from coach.core.session.plan import build_plan
from coach.ui.clinic.editor import CustomExerciseDialog, Draft, ExtensionDialog, RoutineEditor


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + b"\x20\x90\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def editor(qtbot, paths: Paths):  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language("en", paths.assets)
    if app.styleSheet() != theme.style_sheet(125):
        theme.apply(app, 125)  # re-styles every live widget: only when needed
    library = Library.load(paths)  # fresh: the editor adds to it
    widget = RoutineEditor(library, paths, "en", clinician="Anna Berger")
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    CustomExerciseDialog.picture_chooser = CustomExerciseDialog.__dict__["picture_chooser"]


def items(editor: RoutineEditor) -> list[str]:
    return [i["exercise"] for i in editor.draft.items]


def library_row(editor: RoutineEditor, exercise_id: str) -> int:
    return editor.library_ids().index(exercise_id)


def click_library_item(
    qtbot, editor: RoutineEditor, exercise_id: str, double: bool = False
) -> None:  # type: ignore[no-untyped-def]
    view = editor.library_list
    item = view.item(library_row(editor, exercise_id))
    view.scrollToItem(item)
    rect = view.visualItemRect(item)
    if double:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_item(qtbot, editor: RoutineEditor, row: int) -> None:  # type: ignore[no-untyped-def]
    view = editor.items_view
    index = editor.model.index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


def test_build_a_routine_by_keyboard_and_mouse_save_and_reload(  # type: ignore[no-untyped-def]
    qtbot, editor: RoutineEditor, paths: Paths, tmp_path: Path
) -> None:
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    assert editor.title_en.hasFocus()
    qtbot.keyClicks(editor.title_en, "Maria's morning routine")

    # 1. By keyboard: search, Enter moves to the list, Enter adds.
    editor.search.setFocus()
    qtbot.keyClicks(editor.search, "pelvic tilt lying")
    assert editor.library_ids() == ["P1"]
    qtbot.keyClick(editor.search, Qt.Key.Key_Return)
    assert editor.library_list.hasFocus()
    qtbot.keyClick(editor.library_list, Qt.Key.Key_Return)
    assert items(editor) == ["P1"]

    # 2. By mouse: a category, then a double-click.
    editor.search.clear()
    editor.category.setCurrentIndex(editor.category.findData("stretching"))
    click_library_item(qtbot, editor, "S1", double=True)
    # 3. A click and the Add button.
    editor.category.setCurrentIndex(editor.category.findData("relaxation"))
    click_library_item(qtbot, editor, "R1")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.category.setCurrentIndex(0)
    click_library_item(qtbot, editor, "C2", double=True)
    assert items(editor) == ["P1", "S1", "R1", "C2"]

    # 4. The clinic's own exercise with its own PNG picture.
    picture = tmp_path / "knee-hug.png"
    picture.write_bytes(png(320, 240))
    CustomExerciseDialog.picture_chooser = staticmethod(lambda parent, done: done(picture))  # type: ignore[assignment]
    qtbot.mouseClick(editor.custom_button, Qt.MouseButton.LeftButton)
    dialog = editor.dialog
    assert isinstance(dialog, CustomExerciseDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.fields["title"], "Knee hug on a chair")
    qtbot.keyClicks(dialog.fields["start_position"], "Sit near the front of a firm chair.")
    for n, step in enumerate(("Sit tall.", "Hug one knee to your chest.", "Let go slowly.")):
        if n:
            qtbot.keyClick(dialog.fields["steps"], Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.fields["steps"], step)
    qtbot.keyClicks(dialog.fields["cue"], "Let your lower back round gently.")
    dialog.hold.setValue(10)
    qtbot.keyClicks(dialog.fields["breathing"], "Breathe out as you hug.")
    qtbot.mouseClick(dialog.findChild(QPushButton, "choose-start"), Qt.MouseButton.LeftButton)
    assert dialog.previews["start"].valid
    qtbot.mouseClick(dialog.findChild(QPushButton, "save-exercise"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    custom = "clinic-knee-hug-on-a-chair"
    assert items(editor) == ["P1", "S1", "R1", "C2", custom]
    assert editor.library.illustration(custom, "start") is not None
    assert custom in editor.library_ids() or editor.category.currentData() != "clinic"

    # Doses: reps by typing, hold with the + button, side from the list, a note.
    click_item(qtbot, editor, 1)
    assert editor.item_title.text().startswith("2. ")
    editor.f_reps.setFocus()
    editor.f_reps.selectAll()
    qtbot.keyClicks(editor.f_reps, "4")
    qtbot.keyClick(editor.f_reps, Qt.Key.Key_Return)
    plus = next(
        b for b in editor.f_hold.parentWidget().findChildren(QPushButton) if b.text() == "+"
    )
    hold_before = editor.f_hold.value()
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(plus, Qt.MouseButton.LeftButton)
    assert editor.f_hold.value() == hold_before + 2
    editor.f_side.setCurrentIndex(editor.f_side.findData("right"))
    editor.f_side.activated.emit(editor.f_side.currentIndex())
    qtbot.keyClicks(editor.f_note_en, "Only as far as it is comfortable.")
    qtbot.keyClicks(editor.f_note_de, "Nur so weit, wie es angenehm ist.")
    item = editor.draft.items[1]
    assert (item["reps"], item["hold_s"], item["side"]) == (4, hold_before + 2, "right")
    assert item["note"] == {
        "en": "Only as far as it is comfortable.",
        "de": "Nur so weit, wie es angenehm ist.",
    }
    # The clinic exercise: 2 sets, self-paced, a load.
    click_item(qtbot, editor, 4)
    editor.f_sets.setValue(2)
    qtbot.mouseClick(editor.f_self_paced, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.f_load, "light effort")
    assert editor.draft.items[4] | {} == {
        "exercise": custom,
        "sets": 2,
        "self_paced": True,
        "load": "light effort",
    }

    # Reorder by keyboard: the first exercise down one place.
    click_item(qtbot, editor, 0)
    qtbot.keyClick(editor.items_view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert items(editor) == ["S1", "P1", "R1", "C2", custom]
    assert editor.current_row() == 1
    # Reorder by drag: the relaxation to the end (a drop below the last row).
    model = editor.model
    mime = model.mimeData([model.index(2, 0)])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 5, 0, QModelIndex())
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, 5, 0, QModelIndex())
    assert items(editor) == ["S1", "P1", "C2", custom, "R1"]

    # Undo and redo, with the keys and with the buttons.
    editor.items_view.setFocus()
    qtbot.keyClick(editor.items_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert items(editor) == ["S1", "P1", "R1", "C2", custom]
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert items(editor) == ["P1", "S1", "R1", "C2", custom]
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    assert items(editor) == ["S1", "P1", "C2", custom, "R1"]

    # The schedule: twice a day, Monday to Friday.
    editor.times.setValue(2)
    for day in ("sat", "sun"):
        qtbot.mouseClick(editor.findChild(QPushButton, f"day-{day}"), Qt.MouseButton.LeftButton)
    assert editor.draft.days == ["mon", "tue", "wed", "thu", "fri"]
    assert editor.findChild(QPushButton, "day-mon").text().startswith("✓")
    assert not editor.findChild(QPushButton, "day-sat").text().startswith("✓")

    # Save with the keyboard; the file is readable YAML that `coach validate` accepts.
    editor.items_view.setFocus()
    qtbot.keyClick(editor.items_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.routine_id == "maria-s-morning-routine"
    path = paths.user_routines / "maria-s-morning-routine.yaml"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert "- exercise: S1" in text and ".0\n" not in text  # readable: exercise first, 5 not 5.0
    count, problems = validate(paths, [path])
    assert (count, problems) == (1, [])
    assert "saved" in editor.status.text()

    # Reload the YAML: identical to what the editor holds.
    saved = editor.draft.routine("maria-s-morning-routine")
    loaded = load_document(path).document
    assert isinstance(loaded, Routine)
    assert loaded == saved
    assert loaded.to_data() == saved.to_data()  # the same fields given, not only equal values
    assert Draft.from_routine(loaded) == editor.draft
    # ... and in a fresh library and editor, as the app would after a restart.
    fresh = Library.load(paths)
    assert fresh.problems == []
    again = RoutineEditor(fresh, paths, "en")
    qtbot.addWidget(again)
    again.open_routine("maria-s-morning-routine")
    assert again.draft == editor.draft
    assert again.source == path
    plan = build_plan(fresh.routines["maria-s-morning-routine"], fresh.exercises)
    assert plan.total_seconds > 0


def test_total_and_timeline_follow_every_change(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    editor.new_routine()
    assert "add exercises" in editor.total.text()
    editor.add_exercise("P1")
    first = editor.total.text()
    assert "Total: about" in first and "· 1 exercise" in first and "exercises" not in first
    assert "P1 Pelvic tilt lying down" in editor.timeline.toPlainText()
    editor.select(0)
    editor.f_reps.setValue(20)
    assert editor.total.text() != first
    plan = build_plan(editor.draft.preview("x") or Routine.from_data({}), editor.library.exercises)
    assert (
        editor.timeline.toPlainText()
        .splitlines()[-1]
        .startswith(plan.format_timeline(detailed=False).splitlines()[-1][:8])
    )
    qtbot.mouseClick(editor.detailed, Qt.MouseButton.LeftButton)
    assert "Hold" in editor.timeline.toPlainText() or "hold" in editor.timeline.toPlainText()
    assert "min" in editor.status.text()


def test_inline_validation_marks_the_fields_and_refuses_to_save(  # type: ignore[no-untyped-def]
    qtbot, editor: RoutineEditor, paths: Paths
) -> None:
    editor.new_routine()
    editor.description_en.clear()
    editor._edit_text("description", "en", "")
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        qtbot.mouseClick(editor.findChild(QPushButton, f"day-{day}"), Qt.MouseButton.LeftButton)
    assert not editor.save()
    for name, text in (
        ("title", "✗ Give the routine a name."),
        ("description", "✗ Say in a few words what the routine is for."),
        ("days", "✗ Choose at least one day."),
        ("items", "✗ Add at least one exercise."),
    ):
        error = getattr(editor, f"{name}_error")
        assert error.isVisible() and error.text() == text  # a mark and words, not colour alone
    assert editor.summary_error.isVisible()
    assert editor.title_en.hasFocus()
    assert not list(paths.user_routines.glob("*.yaml")) if paths.user_routines.exists() else True
    # A German note without the English one is marked on the field.
    editor.add_exercise("P1")
    qtbot.keyClicks(editor.f_note_de, "Langsam")
    assert editor.form_errors["note"].isVisible()
    assert editor.model.data(editor.model.index(0, 0)).startswith("1. ✗")
    qtbot.keyClicks(editor.f_note_en, "Slowly")
    assert not editor.form_errors["note"].isVisible()
    qtbot.keyClicks(editor.title_en, "Short")
    editor._edit_text("description", "en", "For the mornings.")
    qtbot.mouseClick(editor.findChild(QPushButton, "day-mon"), Qt.MouseButton.LeftButton)
    assert editor.save()
    assert not editor.title_error.isVisible()


def test_extension_exercise_needs_an_explicit_allow(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    editor.new_routine()
    assert "X1" not in editor.library_ids()
    qtbot.mouseClick(editor.show_extension, Qt.MouseButton.LeftButton)
    assert "X1" in editor.library_ids()
    click_library_item(qtbot, editor, "X1", double=True)
    dialog = editor.dialog
    assert isinstance(dialog, ExtensionDialog) and dialog.isVisible()
    assert "arches the lower back" in " ".join(
        label.text() for label in dialog.findChildren(type(editor.total))
    )
    qtbot.mouseClick(dialog.findChild(QPushButton, "extension-cancel"), Qt.MouseButton.LeftButton)
    assert items(editor) == []
    click_library_item(qtbot, editor, "X1", double=True)
    dialog = editor.dialog
    assert isinstance(dialog, ExtensionDialog)
    dialog.who.clear()
    qtbot.mouseClick(dialog.findChild(QPushButton, "extension-allow"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()  # who allows it must be named
    qtbot.keyClicks(dialog.who, "Anna Berger")
    qtbot.mouseClick(dialog.findChild(QPushButton, "extension-allow"), Qt.MouseButton.LeftButton)
    assert items(editor) == ["X1"]
    assert editor.draft.allow_extension == ["X1"] and editor.draft.allowed_by == "Anna Berger"
    assert editor.item_caution.isVisible() and "Anna Berger" in editor.item_caution.text()
    editor.undo_stack.undo()
    assert items(editor) == [] and editor.draft.allow_extension == []
    editor.undo_stack.redo()
    qtbot.keyClicks(editor.title_en, "Tolerates extension")
    assert editor.save()
    saved = editor.library.routines[editor.routine_id or ""]
    assert saved.permissions.allow_extension == ["X1"]
    assert saved.permissions.allowed_by == "Anna Berger"
    # Removing the exercise takes its permission away too.
    editor.select(0)
    qtbot.keyClick(editor.items_view, Qt.Key.Key_Delete)
    assert editor.draft.allow_extension == []


def test_builtin_routine_opens_as_a_copy_and_duplicate(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    editor.open_routine("daily-relief")
    assert editor.routine_id is None  # never overwrites a built-in routine
    assert editor.draft.title["en"] == "Daily relief (copy)"
    assert items(editor) == ["S4", "P1", "S1", "S8", "T1", "R1"]
    assert editor.save()
    assert editor.routine_id == "daily-relief-copy"
    editor.duplicate()
    assert editor.routine_id is None and editor.draft.title["en"].endswith("(copy) (copy)")


def test_typing_is_one_undo_step_per_field(qtbot, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    editor.new_routine()
    qtbot.keyClicks(editor.title_en, "Evening")
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert editor.title_en.text() == ""


def test_clinic_exercise_picture_is_checked(qtbot, editor: RoutineEditor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x00not a picture" * 50)
    huge = tmp_path / "huge.png"
    data = bytearray(png(4, 4))
    data[16:24] = struct.pack(">II", 50000, 50000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    huge.write_bytes(bytes(data))
    chosen: list[Path] = [broken]
    CustomExerciseDialog.picture_chooser = staticmethod(lambda parent, done: done(chosen[0]))  # type: ignore[assignment]
    editor.open_custom_exercise()
    dialog = editor.dialog
    assert isinstance(dialog, CustomExerciseDialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "choose-start"), Qt.MouseButton.LeftButton)
    assert "not a PNG picture" in dialog.errors["pictures"].text()
    assert not dialog.previews["start"].valid
    chosen[0] = huge
    qtbot.mouseClick(dialog.findChild(QPushButton, "choose-start"), Qt.MouseButton.LeftButton)
    assert "50000 × 50000" in dialog.errors["pictures"].text()
    # Saving without the required fields marks each one.
    qtbot.mouseClick(dialog.findChild(QPushButton, "save-exercise"), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    for name in ("title", "start_position", "steps", "cue", "pictures"):
        assert dialog.errors[name].isVisible(), name
        assert dialog.errors[name].text().startswith("✗ ")


def test_items_model_passes_the_model_tester(qtmodeltester, editor: RoutineEditor) -> None:  # type: ignore[no-untyped-def]
    for ident in ("P1", "S1", "C2"):
        editor.add_exercise(ident)
    qtmodeltester.check(editor.model)


def test_large_text_gives_one_column(qtbot, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    from coach.ui import theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app, 200)
    try:
        widget = RoutineEditor(Library.load(paths), paths, "en")
        qtbot.addWidget(widget)
        widget.resize(990, 800)
        widget.show()
        qtbot.waitExposed(widget)
        assert widget.width() == 990  # the wide layout does not force the window wider
        assert widget.narrow
        qtbot.wait(50)  # the switch to one column takes one more layout pass
        content = widget.scroll_area.widget()
        assert content.width() <= widget.scroll_area.viewport().width()
    finally:
        theme.apply(app, 125)
