"""A clinic's own exercise shows its own photo in the player and in the editor, in the same
box a drawn figure gets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from coach.core.common.paths import Paths, resolve
from coach.core.content.library import Library
from coach.core.content.model import Routine
from coach.core.session.plan import build_plan
from coach.core.session.runner import State
from coach.ui.clinic.editor.custom_exercise_dialog import CustomExerciseDialog
from coach.ui.session.player import PlayerView
from tests.fixtures.clinic_photo import BLUE, YELLOW, near, painted_box, save_photo_exercise


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Paths, Library, str]:
    paths = resolve(tmp_path / "clinic")
    ident = save_photo_exercise(paths, tmp_path)
    return paths, Library.load(paths), ident


def test_the_player_shows_the_clinics_photo_as_big_as_a_drawn_figure(  # type: ignore[no-untyped-def]
    qtbot, clinic: tuple[Paths, Library, str]
) -> None:
    _, library, ident = clinic
    assert library.illustration(ident, "start") is not None
    routine = Routine.from_data(
        {
            "id": "mixed",
            "title": {"en": "Mixed"},
            "description": {"en": "A clinic's exercise, then a built-in one."},
            "items": [{"exercise": ident}, {"exercise": "C1"}],
        }
    )
    player = PlayerView(build_plan(routine, library.exercises), library, sound=False, voice=False)
    qtbot.addWidget(player)
    player.resize(1280, 800)
    player.show()
    qtbot.waitExposed(player)
    player.start()
    assert player.runner.current_step.exercise_id == ident
    # The bug: the photo was read and then cleared, leaving the placeholder.
    assert not player.showing_placeholder
    shot = player.figure.grab().toImage()
    photo_size = player.figure.size()
    centre = shot.pixelColor(shot.width() // 2, shot.height() // 2)
    assert near(centre, YELLOW), centre.name()
    blue = painted_box(shot, BLUE)
    # Fitted to the picture area like a figure: it fills the area on one side at least.
    assert blue.width() >= shot.width() - 8 or blue.height() >= shot.height() - 8, blue
    yellow = painted_box(shot, YELLOW)
    assert abs(yellow.width() - blue.width() / 2) <= 6  # the photo's own shape, not stretched
    assert abs(yellow.height() - blue.height() / 2) <= 6

    while player.runner.current_step.exercise_id != "C1":
        player.skip()
    assert player.runner.state is State.RUNNING
    qtbot.wait(10)
    assert not player.showing_placeholder and player.figure.valid
    # The drawn figure gets the very same space the photo had.
    assert player.figure.size() == photo_size
    drawn = player.figure.grab().toImage()
    assert not near(drawn.pixelColor(drawn.width() // 2, drawn.height() // 2), YELLOW)


def test_the_editor_previews_the_photo_like_a_drawn_picture(  # type: ignore[no-untyped-def]
    qtbot, clinic: tuple[Paths, Library, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, library, ident = clinic
    # The end picture: a built-in drawn figure, chosen like any file.
    figure = library.illustration("C1", "end")
    assert figure is not None and figure.suffix == ".svg"
    monkeypatch.setattr(
        CustomExerciseDialog, "picture_chooser", staticmethod(lambda _parent, done: done(figure))
    )
    dialog = CustomExerciseDialog(library, paths, exercise=library.exercises[ident])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "choose-end"), Qt.MouseButton.LeftButton)
    start, end = dialog.previews["start"], dialog.previews["end"]
    qtbot.wait(10)
    assert "PNG, 400 × 300" in dialog.picture_names["start"].text()
    assert "SVG" in dialog.picture_names["end"].text()
    assert start.valid and end.valid
    assert start.size() == end.size()  # the same box for the photo and the drawing
    drawn = end.grab().toImage()
    assert not near(drawn.pixelColor(drawn.width() // 2, drawn.height() // 2), YELLOW)
    shot = start.grab().toImage()
    assert near(shot.pixelColor(shot.width() // 2, shot.height() // 2), YELLOW)
    blue = painted_box(shot, BLUE)
    assert blue.width() >= shot.width() - 8 or blue.height() >= shot.height() - 8, blue
