"""Texts put together from parts read as whole phrases, in English and German.

A dose, its sides, a schedule and the player's side instruction are composed
from pieces ("10 times" + "each side" + "start on the right"). Each test here
reads the finished text whole, as a person would, so that a piece that no
longer fits ("Each side sides taking turns", "Jede Seite zuerst rechts") shows
up as a failing sentence. The printed sheet's stop box and dose box are read
back from a real PDF in tests/sheets/test_routine_sheet_words.py.
"""

from __future__ import annotations

import ast
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from coach.core.content.model import Dosage, Routine, RoutineItem, Schedule, Side, Text, Walk
from coach.core.content.wording import dose_text, schedule_text
from coach.core.session.plan import FIRST_SIDE, Phase, build_plan

REPO = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------
# Doses and sides (coach.core.content.wording.dose_text)
# --------------------------------------------------------------------------

DOSES: list[tuple[Dosage, str, str]] = [
    (Dosage(reps=10, hold_s=5), "10 times, hold 5 s", "10-mal, jeweils 5 s halten"),
    (Dosage(reps=8), "8 times", "8-mal"),
    (
        Dosage(side=Side.BOTH, reps=3, hold_s=20),
        "3 times each side, hold 20 s, start on the right",
        "3-mal pro Seite, jeweils 20 s halten, rechts beginnen",
    ),
    (
        Dosage(side=Side.ALTERNATE, reps=10),
        "10 times each side, right and left taking turns",
        "10-mal pro Seite, rechts und links im Wechsel",
    ),
    (
        Dosage(side=Side.BOTH, sets=2, reps=12),
        "2 sets of 12 each side, start on the right",
        "2 Durchgänge mit je 12 Wiederholungen pro Seite, rechts beginnen",
    ),
    (
        Dosage(side=Side.LEFT, sets=3, reps=8, hold_s=2.5),
        "3 sets of 8, hold 2.5 s, left side only",
        "3 Durchgänge mit je 8 Wiederholungen, jeweils 2,5 s halten, nur links",
    ),
    (Dosage(side=Side.RIGHT, reps=5), "5 times, right side only", "5-mal, nur rechts"),
    (Dosage(duration_s=600), "10 minutes", "10 Minuten"),
    (
        Dosage(walk=Walk(bouts=4, bout_s=300, break_s=90)),
        "4 walks with rests in between",
        "4 Gehphasen mit Pausen dazwischen",
    ),
]


@pytest.mark.parametrize(("dose", "english", "german"), DOSES)
def test_a_dose_reads_as_one_phrase(dose: Dosage, english: str, german: str) -> None:
    assert dose_text(dose, "en") == english
    assert dose_text(dose, "de") == german


def test_the_dose_names_the_side_the_player_starts_with() -> None:
    # wording may not import the session room; its default must be the player's side.
    both = Dosage(side=Side.BOTH, reps=3)
    assert dose_text(both, "en") == dose_text(both, "en", FIRST_SIDE)
    assert dose_text(both, "de") == dose_text(both, "de", FIRST_SIDE)
    left_first = dose_text(Dosage(side=Side.ALTERNATE, reps=4), "en", Side.LEFT)
    assert left_first == "4 times each side, left and right taking turns"
    assert dose_text(both, "de", Side.LEFT) == "3-mal pro Seite, links beginnen"


def test_no_dose_phrase_repeats_or_leaves_a_placeholder() -> None:
    for dose, *_ in DOSES:
        for lang in ("en", "de"):
            text = dose_text(dose, lang)
            assert "{" not in text and "}" not in text, text
            words = text.replace(",", "").split()
            doubled = [a for a, b in pairwise(words) if a == b]
            assert not doubled, text
            assert "each side each side" not in text and "Seite Seite" not in text


# --------------------------------------------------------------------------
# Schedules (coach.core.content.wording.schedule_text)
# --------------------------------------------------------------------------

SCHEDULES: list[tuple[Schedule, str, str]] = [
    (Schedule(), "every day", "jeden Tag"),
    (Schedule(times_per_day=2), "twice a day", "zweimal am Tag"),
    (Schedule(times_per_day=3), "3 times a day", "dreimal am Tag"),
    (
        Schedule(days=["mon", "wed", "fri"]),
        "Monday, Wednesday and Friday",
        "Montag, Mittwoch und Freitag",
    ),
    (Schedule(days=["thu", "tue"]), "Tuesday and Thursday", "Dienstag und Donnerstag"),
    (Schedule(days=["sat"]), "Saturday", "Samstag"),
    (
        Schedule(days=["mon", "thu"], times_per_day=2),
        "Monday and Thursday, twice a day",
        "Montag und Donnerstag, jeweils zweimal am Tag",
    ),
    (Schedule(days=["sun"], times_per_day=3), "Sunday, 3 times a day", "Sonntag, dreimal am Tag"),
    (
        Schedule(text=Text.of("After breakfast", "Nach dem Frühstück")),
        "After breakfast",
        "Nach dem Frühstück",
    ),
]


@pytest.mark.parametrize(("schedule", "english", "german"), SCHEDULES)
def test_a_schedule_reads_as_one_phrase(schedule: Schedule, english: str, german: str) -> None:
    assert schedule_text(schedule, "en") == english
    assert schedule_text(schedule, "de") == german


# --------------------------------------------------------------------------
# The player's side instruction (coach.core.session.plan)
# --------------------------------------------------------------------------


def test_the_get_ready_step_says_where_to_begin_in_a_whole_sentence(tmp_path: Path) -> None:
    from coach.core.common.paths import resolve
    from coach.core.content.library import Library

    library = Library.load(resolve(tmp_path / "data"), include_user=False)
    routine = Routine(
        id="sides",
        title=Text.of("Sides", "Seiten"),
        description=Text.of("Sides.", "Seiten."),
        items=[RoutineItem(exercise="S1", side=Side.BOTH, reps=2)],
    )
    plan = build_plan(routine, library.exercises)
    ready = next(s for s in plan.steps if s.phase is Phase.GET_READY)
    title = library.exercises["S1"].title
    assert FIRST_SIDE is Side.RIGHT  # the sentences below name the right side
    assert (
        ready.instruction.get("en") == f"Get ready: {title.get('en')}. Start with your right side."
    )
    assert ready.instruction.get("de") == (
        f"Machen Sie sich bereit: {title.get('de')}. Beginnen Sie mit der rechten Seite."
    )


# --------------------------------------------------------------------------
# The routine editor's side choices (coach/ui/clinic/editor/dose_fields.py)
# --------------------------------------------------------------------------


def _side_labels() -> dict[str, str]:
    """SIDE_LABELS read from the source (this room of the tests imports no Qt)."""
    path = REPO / "coach" / "ui" / "clinic" / "editor" / "dose_fields.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "SIDE_LABELS" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return {
                ast.unparse(k): v.value
                for k, v in zip(node.value.keys, node.value.values, strict=True)
                if isinstance(v, ast.Constant)
            }
    raise AssertionError("SIDE_LABELS not found")


def test_the_editors_side_choices_read_whole_in_both_languages() -> None:
    labels = _side_labels()
    german = yaml.safe_load((REPO / "assets" / "translations" / "de.yaml").read_text("utf-8"))
    assert {k: (v, german.get(v)) for k, v in labels.items()} == {
        "Side.NONE": ("No sides", "Ohne Seiten"),
        "Side.BOTH": ("Both sides, start on the right", "Beide Seiten, rechts beginnen"),
        "Side.ALTERNATE": ("Right and left, taking turns", "Rechts und links im Wechsel"),
        "Side.RIGHT": ("Right side only", "Nur rechts"),
        "Side.LEFT": ("Left side only", "Nur links"),
    }
