"""The player shows the physiotherapist's note and a permission's caution with every step of
their item, says them once, and keeps them readable on a small screen at the largest text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel

from coach.core.content.library import Library
from coach.core.content.model import Permissions, Routine, RoutineItem, Text
from coach.core.session.plan import Phase, Plan, build_plan
from coach.core.session.runner import State
from coach.ui import i18n, theme
from coach.ui.session.player import PlayerView
from coach.ui.session.player_widgets import FitText

NOTE = Text.of(
    "Keep your knees apart and your feet flat on the floor.",
    "Lassen Sie die Knie auseinander und die Füße flach auf dem Boden.",
)
SHOWN_NOTE = {
    "en": "From your physiotherapist: Keep your knees apart and your feet flat on the floor.",
    "de": "Von Ihrer Physiotherapie: Lassen Sie die Knie auseinander und die Füße flach auf "
    "dem Boden.",
}
CAUTION_START = {
    "en": "Allowed for you by B. Physio: this exercise arches the back.",
    "de": "Von B. Physio für Sie erlaubt: Bei dieser Übung gehen Sie ins Hohlkreuz.",
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def routine(library: Library) -> Routine:
    """A note on the first item, nothing on the second, the third allowed by permission."""
    items = [
        RoutineItem(exercise="C1", note=NOTE),
        RoutineItem(exercise="C3"),
        RoutineItem(exercise="X2"),
    ]
    permissions = Permissions(allow_extension=["X2"], allowed_by="B. Physio")
    return library.routines["chair-counter"].replace(items=items, permissions=permissions)


@pytest.fixture
def plan(library: Library) -> Plan:
    return build_plan(routine(library), library.exercises)


@pytest.fixture
def language(paths) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    def use(lang: str, scale: int = 125) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        i18n.set_language(lang, paths.assets)
        theme.load_fonts(paths.assets)
        theme.apply(app, scale)

    yield use
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    i18n.set_language("en", paths.assets)
    theme.apply(app, 125)


def make_player(qtbot, plan: Plan, library: Library, lang: str, size=(1280, 800)) -> PlayerView:  # type: ignore[no-untyped-def]
    player = PlayerView(plan, library, lang=lang, sound=False, voice=False, clock=FakeClock())
    qtbot.addWidget(player)
    player.resize(*size)
    player.show()
    qtbot.waitExposed(player)
    return player


def next_step(player: PlayerView) -> None:
    clock = player._clock
    assert isinstance(clock, FakeClock)
    if player.runner.state is State.WAITING_FOR_TAP:
        player.done()
        return
    index = player.runner.current_step.index
    while player.runner.current_step.index == index and player.runner.state is State.RUNNING:
        deadline = player.runner.next_deadline()
        assert deadline is not None
        clock.now = deadline
        player.tick()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_step_of_an_item_shows_its_note_or_caution(  # type: ignore[no-untyped-def]
    qtbot, library: Library, plan: Plan, language, lang: str
) -> None:
    language(lang)
    player = make_player(qtbot, plan, library, lang)
    player.start()
    seen: set[int] = set()
    while player.runner.state in (State.RUNNING, State.WAITING_FOR_TAP):
        step = player.runner.current_step
        item = step.item_index
        if item == 0:
            assert player.words_box.isVisible() and player.note_row.isVisible(), step
            assert player.note.text() == SHOWN_NOTE[lang]
            assert not player.caution_row.isVisible()
            assert player.words_box.property("caution") is False
        elif item == 2:
            assert player.words_box.isVisible() and player.caution_row.isVisible(), step
            assert player.caution.text().startswith(CAUTION_START[lang])
            assert player.caution_mark.isVisible()  # a triangle: not the colour alone
            assert player.words_box.property("caution") is True
            assert not player.note_row.isVisible()
        else:
            assert not player.words_box.isVisible(), step
        if item is not None:
            seen.add(item)
        next_step(player)
    assert seen == {0, 1, 2}


def test_the_note_and_the_caution_are_said_once_each(qtbot, library: Library, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    player = make_player(qtbot, plan, library, "en")
    said: list[tuple[int, str]] = []
    player.cues.say = lambda text: said.append((player.runner.current_step.index, text))  # type: ignore[method-assign]
    player.start()
    went_back = False
    while player.runner.state in (State.RUNNING, State.WAITING_FOR_TAP):
        step = player.runner.current_step
        if step.item_index == 0 and step.phase is Phase.HOLD and not went_back:
            # Back over a step of the same item: the step is said again, the note not.
            went_back = True
            player.back()
            continue
        next_step(player)
    assert went_back
    note = [index for index, text in said if NOTE.get("en") in text]
    caution = [index for index, text in said if CAUTION_START["en"] in text]
    assert len(note) == 1 and len(caution) == 1
    first_of = {item: next(s.index for s in plan.steps if s.item_index == item) for item in (0, 2)}
    assert note == [first_of[0]]  # with the item's first step (its get-ready) ...
    assert caution == [first_of[2]]  # ... or the rest that leads into it
    spoken = dict(said)
    assert spoken[first_of[0]].startswith(plan.steps[first_of[0]].instruction.get("en"))
    assert spoken[first_of[0]].endswith(SHOWN_NOTE["en"])


SMALL_SCREENS = [(1366, 700), (1280, 660)]
"""What a maximised window leaves the player on a 1366 × 768 and a 1280 × 720 screen,
once the title bar and the task bar have taken their share."""


def both_words_plan(library: Library) -> Plan:
    """Item 2 carries the longest words of all: the caution, and the note added to it."""
    items = [*routine(library).items[:2], routine(library).items[2].replace(note=NOTE)]
    return build_plan(routine(library).replace(items=items), library.exercises)


def assert_fits(player: PlayerView, size: tuple[int, int]) -> None:
    """The window kept the screen's size, the control row is on it, and no text is cut."""
    width, height = size
    assert (player.width(), player.height()) == size, "the page pushed the window larger"
    controls = [player.stop_button, player.pause_button, player.end_button]
    for widget in controls:
        bottom_right = widget.mapTo(player, QPoint(widget.width(), widget.height()))
        assert widget.isVisible() and bottom_right.y() <= height, widget.objectName()
        assert bottom_right.x() <= width, widget.objectName()
    for text in player.findChildren(FitText):
        if text.isVisible() and text.text():
            assert text.fits(), (text.objectName(), text.text())
    for label in player.play_page.findChildren(QLabel):
        if label.isVisible() and label.text():
            # A label narrower or shorter than its text is a clipped label.
            need = label.minimumSizeHint()
            assert label.height() >= need.height() and label.width() >= need.width(), label.text()


@pytest.mark.parametrize("size", SMALL_SCREENS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_note_and_caution_fit_a_small_screen_at_200_percent(  # type: ignore[no-untyped-def]
    qtbot, library: Library, language, lang: str, size: tuple[int, int], tmp_path
) -> None:
    language(lang, 200)
    player = make_player(qtbot, both_words_plan(library), library, lang, size)
    player.start()
    while not (player.runner.current_step.item_index == 2 and
               player.runner.current_step.phase is Phase.HOLD):  # fmt: skip
        next_step(player)
    # The words settle their size once the layout has given them their width.
    qtbot.wait(50)
    assert player.note.text() == SHOWN_NOTE[lang]
    assert player.caution.text().startswith(CAUTION_START[lang])
    assert_fits(player, size)
    # Readable, not a footnote: at least the smallest size the screen allows for them.
    sizes = player._sizes()
    assert player.caution.fitted_points() >= sizes["note_min"]
    assert player.figure.height() >= 150  # and the picture still has room
    shot = player.grab().toImage()
    assert (shot.width(), shot.height()) == size
    box = player.words_box
    bottom = box.mapTo(player, QPoint(box.width() // 2, box.height() - 2))
    border = shot.pixelColor(bottom)
    warn = QColor(theme.PALETTES["normal"]["warn"])
    # The frame's lower edge is drawn: the box is whole, not cut by the cue below it.
    assert abs(border.red() - warn.red()) < 40 and border.green() < 90, border.name()
    assert shot.save(str(tmp_path / f"player-words-{lang}-200-{size[0]}x{size[1]}.png"))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_step_fits_1366_by_700_at_200_percent_running_and_paused(  # type: ignore[no-untyped-def]
    qtbot, library: Library, language, lang: str
) -> None:
    """A pause, a self-paced rep's Done button or a new long instruction must not
    push the window taller either: a grown window does not shrink back."""
    language(lang, 200)
    size = SMALL_SCREENS[0]
    player = make_player(qtbot, both_words_plan(library), library, lang, size)
    player.start()
    checked: set[int] = set()
    while player.runner.state in (State.RUNNING, State.WAITING_FOR_TAP):
        qtbot.wait(1)  # the texts are fitted once the layout has settled
        assert_fits(player, size)
        player.pause()
        qtbot.wait(1)
        assert player.paused_label.isVisible()
        assert_fits(player, size)
        player.resume()
        checked.add(player.runner.current_step.index)
        next_step(player)
    assert len(checked) >= len(player.plan.steps) - 1  # all but the closing "done"
