"""Saving keeps the routine open, and a routine file changed on disk is never handed over stale.

The real main window in clinician mode: the editor saves (the window reads
the library again), the file is changed behind its back, and the clinician
presses Hand over.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from coach.core.clinic.handover import yaml_text
from coach.core.common.paths import Paths
from coach.core.common.settings import Preferences
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.ui.clinic.assignment_view import HandOverDialog
from coach.ui.clinic.editor import RoutineEditor
from coach.ui.clinic.editor.disk_file import DISK_CHANGED_BOX
from coach.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, paths: Paths):  # type: ignore[no-untyped-def]
    from coach.ui import i18n, theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language("en", paths.assets)
    if app.styleSheet() != theme.style_sheet(125):
        theme.apply(app, 125)
    win = MainWindow(paths, Preferences(clinician_mode=True), Library.load(paths))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for dialog in win.findChildren(HandOverDialog):
        dialog.reject()


def saved_routine(qtbot, window: MainWindow) -> tuple[RoutineEditor, Path]:  # type: ignore[no-untyped-def]
    """A two-exercise routine typed in and saved with the Save button; the second selected."""
    editor = window.show_page("editor")
    assert isinstance(editor, RoutineEditor)
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.title_en, "Maria's plan")
    qtbot.keyClicks(editor.description_en, "For the mornings.")
    editor.add_exercise("P1")
    editor.add_exercise("S1")
    editor.select(1)
    editor.f_reps.setValue(4)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.routine_id == "maria-s-plan"
    path = window.paths.user_routines / "maria-s-plan.yaml"
    assert path.is_file()
    return editor, path


def change_on_disk(path: Path, reps: int) -> None:
    """Someone else's change: the first exercise's repetitions, written as Coach writes."""
    from coach.core.content.files import load_document

    routine = load_document(path).document
    assert isinstance(routine, Routine)
    data = routine.to_data()
    data["items"][0]["reps"] = reps
    path.write_text(yaml_text(Routine.from_data(data)), encoding="utf-8")


def open_handovers(window: MainWindow) -> list[HandOverDialog]:
    return [d for d in window.findChildren(HandOverDialog) if d.isVisible()]


def answer(editor: RoutineEditor, button_text: str) -> None:
    box = editor.question
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.objectName() == DISK_CHANGED_BOX
    assert box.text() == "The file changed on disk. Reload it, or keep your version?"
    next(b for b in box.buttons() if b.text() == button_text).click()


def test_save_keeps_the_routine_open_with_its_selection_and_undo(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, _path = saved_routine(qtbot, window)
    # The same editor, not a fresh one on the reloaded library.
    assert shiboken6.isValid(editor)
    assert window.pages["editor"] is editor and window.current_page == "editor"
    qtbot.waitUntil(editor.isVisible, timeout=5000)  # the rebuilt window shows on the next turn
    assert editor.title_en.text() == "Maria's plan"
    assert [i["exercise"] for i in editor.draft.items] == ["P1", "S1"]
    assert editor.current_row() == 1 and editor.item_title.text().startswith("2. ")
    assert editor.undo_stack.canUndo() and editor.undo_stack.isClean()
    assert "saved" in editor.status.text()
    assert editor.open_box.currentData() == "maria-s-plan"
    # The rest of the window knows the new routine.
    assert editor.library is window.lib and "maria-s-plan" in window.lib.routines
    # Go on editing and save again: still the same routine, still open.
    editor.f_reps.setValue(6)
    window.activateWindow()
    editor.items_view.setFocus()
    qtbot.waitUntil(editor.items_view.hasFocus)
    qtbot.keyClick(editor.items_view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.pages["editor"] is editor
    assert window.lib.routines["maria-s-plan"].items[1].reps == 6
    editor.undo_stack.undo()
    assert editor.draft.items[1]["reps"] == 4  # the history survived both saves


def test_a_file_changed_on_disk_is_reloaded_before_the_hand_over(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, path = saved_routine(qtbot, window)
    change_on_disk(path, 17)
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    # Nothing unsaved in the editor: no question, the file as it is now.
    assert editor.question is None
    assert editor.draft.items[0]["reps"] == 17
    assert "changed on disk" in editor.status.text()
    (dialog,) = open_handovers(window)
    (handed,) = dialog.chosen_routines()
    assert handed.items[0].reps == 17


def test_both_changed_asks_and_reload_drops_the_editors_change(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, path = saved_routine(qtbot, window)
    change_on_disk(path, 17)
    editor.f_reps.setValue(9)  # the clinician's own change, not saved
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    assert open_handovers(window) == []
    answer(editor, "Reload it")
    assert editor.draft.items[0]["reps"] == 17 and editor.draft.items[1]["reps"] == 4
    assert editor.undo_stack.isClean()
    assert open_handovers(window) == []  # the clinician looks first, then hands over
    assert "Check it" in editor.status.text()
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    (dialog,) = open_handovers(window)
    assert dialog.chosen_routines()[0].items[0].reps == 17


def test_both_changed_keep_mine_writes_it_and_hands_it_over(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, path = saved_routine(qtbot, window)
    change_on_disk(path, 17)
    editor.f_reps.setValue(9)
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    answer(editor, "Keep my version")
    from coach.core.content.files import load_document

    on_disk = load_document(path).document
    assert isinstance(on_disk, Routine)
    assert [i.get("reps") for i in on_disk.to_data()["items"]] == [None, 9]
    (dialog,) = open_handovers(window)
    handed = dialog.chosen_routines()[0]
    assert [i.get("reps") for i in handed.to_data()["items"]] == [None, 9]


def test_cancel_changes_nothing_and_save_asks_too(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, path = saved_routine(qtbot, window)
    change_on_disk(path, 17)
    written = path.read_bytes()
    editor.f_reps.setValue(9)
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    answer(editor, "Cancel")
    assert path.read_bytes() == written and editor.draft.items[1]["reps"] == 9
    assert open_handovers(window) == []
    # Save would write over the other change: it asks the same question.
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert path.read_bytes() == written
    answer(editor, "Keep my version")
    assert path.read_bytes() != written and not editor.disk_changed()


def test_a_file_only_touched_or_commented_is_no_change(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, path = saved_routine(qtbot, window)
    path.write_text("# checked by B. Physio\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    editor.f_reps.setValue(9)
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    assert editor.question is None
    assert len(open_handovers(window)) == 1


def test_other_routines_the_dialog_offers_are_read_as_they_are_now(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    editor, first = saved_routine(qtbot, window)
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.title_en, "Evening")
    qtbot.keyClicks(editor.description_en, "For the evenings.")
    editor.add_exercise("R1")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    change_on_disk(first, 13)  # the morning plan, not open in the editor
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    (dialog,) = open_handovers(window)
    assert window.lib.routines["maria-s-plan"].items[0].reps == 13
    offered = {r.id: r for r in dialog._offered_routines()}
    assert offered["maria-s-plan"].items[0].reps == 13


def test_a_broken_file_stops_the_hand_over(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    editor, first = saved_routine(qtbot, window)
    qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.title_en, "Evening")
    qtbot.keyClicks(editor.description_en, "For the evenings.")
    editor.add_exercise("R1")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    first.write_text(first.read_text(encoding="utf-8").replace("P1", "P99"), encoding="utf-8")
    qtbot.mouseClick(editor.handover_button, Qt.MouseButton.LeftButton)
    assert open_handovers(window) == []
    boxes = [
        b
        for b in window.findChildren(QMessageBox)
        if b.objectName() == "handover-stale" and b.isVisible()
    ]
    assert len(boxes) == 1 and "P99" in boxes[0].text()
