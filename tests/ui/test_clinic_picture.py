"""A clinic's own exercise shows its own photo in the player and in the editor, in the same
box a drawn figure gets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QPushButton

from coach.core.common.paths import Paths, resolve
from coach.core.content.custom_exercise import ExerciseDraft, save_clinic_exercise
from coach.core.content.library import Library
from coach.core.content.model import Category, Routine
from coach.core.session.plan import build_plan
from coach.core.session.runner import State
from coach.ui.clinic.editor.custom_exercise_dialog import CustomExerciseDialog
from coach.ui.session.player import PlayerView

BLUE = QColor("#3366aa")
YELLOW = QColor("#ffcc00")


def photo(path: Path, width: int = 400, height: int = 300) -> Path:
    """A stand-in photo: blue, with a yellow block in the middle half."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(BLUE)
    painter = QPainter(image)
    painter.fillRect(QRect(width // 4, height // 4, width // 2, height // 2), YELLOW)
    painter.end()
    assert image.save(str(path))
    return path


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Paths, Library, str]:
    paths = resolve(tmp_path / "clinic")
    draft = ExerciseDraft(
        title={"en": "Knee hug on a chair"},
        category=Category.STRETCHING,
        start_position={"en": "Sit near the front of a firm chair."},
        steps={"en": ["Sit tall.", "Hug one knee to your chest.", "Let go slowly."]},
        cue={"en": "Let your lower back round gently."},
        pictures={"start": photo(tmp_path / "knee-hug.png")},
    )
    exercise, _ = save_clinic_exercise(paths, draft, Library.load(paths).exercises)
    return paths, Library.load(paths), exercise.id


def near(color: QColor, wanted: QColor) -> bool:
    return all(
        abs(a - b) <= 12 for a, b in zip(color.getRgb()[:3], wanted.getRgb()[:3], strict=True)
    )


def painted_box(image: QImage, color: QColor) -> QRect:
    """The smallest rectangle holding every pixel of ``color`` (sampled every 2 px)."""
    xs, ys = [], []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if near(image.pixelColor(x, y), color):
                xs.append(x)
                ys.append(y)
    assert xs, f"no {color.name()} pixels"
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


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
