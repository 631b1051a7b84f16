"""The record base: what a wrong value is called, where it is, and what survives a round trip."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

import pytest

from coach.core.content.model import Dosage, Routine, RoutineItem, Side, Tempo, Text, Walk
from coach.core.content.records import UNSET, Invalid

GOOD: dict[str, Any] = {
    "id": "r1",
    "title": {"en": "Mine", "de": "Meins"},
    "description": {"en": "Two exercises."},
    "items": [{"exercise": "P1", "reps": 8}, {"exercise": "S1", "hold_s": 20}],
}


def broken(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = deepcopy(GOOD)
    *parents, last = path
    target: Any = data
    for part in parents:
        target = target.setdefault(part, {}) if isinstance(part, str) else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "loc", "message"),
    [
        (("items", 0, "reps"), "eight", ("items", 0, "reps"), "must be a whole number (integer), not text"),
        (("items", 0, "reps"), 0, ("items", 0, "reps"), "must be greater than or equal to 1"),
        (("items", 1, "hold_s"), 10800, ("items", 1, "hold_s"), "must be less than or equal to 300"),
        (("items", 1, "duration_s"), 0, ("items", 1, "duration_s"), "must be greater than 0"),
        (("items", 0, "load"), "x" * 81, ("items", 0, "load"), "must be at most 80 characters long"),
        (("items", 0, "repz"), 8, ("items", 0, "repz"), "unknown field (check the spelling)"),
        (("title",), KeyError, ("title",), "required field is missing"),
        (("items",), [], ("items",), "needs at least 1 entry"),
        (("items", 0, "exercise"), "no spaces", ("items", 0, "exercise"), "use letters, digits"),
        (("items", 0, "side"), "up", ("items", 0, "side"), "'up' is not one of the allowed values (none, both, alternate, left, right)"),
        (("title", "en"), KeyError, ("title",), "an English text ('en') is required"),
        (("title", "fr"), "Le mien", ("title",), "unknown language 'fr'"),
        (("schedule", "days"), ["mon", "mon"], ("schedule", "days"), "a day is listed twice"),
        (("items", 0, "tempo"), {"out_s": 0}, ("items", 0, "tempo", "out_s"), "must be greater than 0"),
        (("description",), "just text", ("description",), "must be a block of texts per language"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_named_and_located(
    path: tuple[str | int, ...], value: Any, loc: tuple[str | int, ...], message: str
) -> None:
    with pytest.raises(Invalid) as raised:
        Routine.from_data(broken(path, value))
    assert raised.value.loc == loc
    assert raised.value.message.startswith(message), raised.value.message


def test_every_mistake_is_listed_in_file_order() -> None:
    data = deepcopy(GOOD)
    data["colour"] = "red"
    data["items"][0]["reps"] = "eight"
    data["items"][1]["repz"] = 3
    data["items"][1]["hold_s"] = -1
    data["schedule"] = {"days": ["mon", "mon"]}
    with pytest.raises(Invalid) as raised:
        Routine.from_data(data)
    assert raised.value.problems == [
        (("colour",), "unknown field (check the spelling)"),
        (("items", 0, "reps"), "must be a whole number (integer), not text"),
        (("items", 1, "repz"), "unknown field (check the spelling)"),
        (("items", 1, "hold_s"), "must be greater than or equal to 0"),
        (("schedule", "days"), "a day is listed twice"),
    ]
    assert (raised.value.loc, raised.value.message) == raised.value.problems[0]


def test_a_list_too_long_is_one_problem_of_the_list() -> None:
    data = deepcopy(GOOD)
    data["items"] = [{"exercise": "P1"}] * 31
    with pytest.raises(Invalid) as raised:
        Routine.from_data(data)
    assert raised.value.problems == [(("items",), "allows at most 30 entries")]


def test_a_hopeless_file_stops_at_twenty_problems() -> None:
    data = deepcopy(GOOD)
    data["items"] = [{"exercise": "P1", "reps": 0}] * 30
    with pytest.raises(Invalid) as raised:
        Routine.from_data(data)
    assert len(raised.value.problems) == 20


def test_the_good_routine_reads_and_keeps_what_was_given() -> None:
    routine = Routine.from_data(GOOD)
    first = routine.items[0]
    assert first.reps == 8 and first.sets is UNSET and first.tempo is UNSET
    # Only the dose fields the file gave come back out, so a saved file stays as written.
    assert [item.changes() for item in routine.items] == [{"reps": 8}, {"hold_s": 20}]
    assert Routine.from_data(routine.to_data()) == routine


def test_null_tempo_is_a_change_and_a_missing_tempo_is_not() -> None:
    counted = Dosage(side=Side.BOTH, tempo=Tempo(out_s=2, back_s=3))
    base = Routine.from_data(GOOD).items[0]
    self_paced = RoutineItem.from_data({"exercise": "P1", "tempo": None, "self_paced": True})
    assert base.changes() == {"reps": 8}
    assert base.apply_to(counted).tempo == Tempo(out_s=2, back_s=3)
    assert self_paced.changes() == {"tempo": None, "self_paced": True}
    dosage = self_paced.apply_to(counted)
    assert dosage.tempo is None and dosage.self_paced and dosage.side is Side.BOTH


def test_an_override_that_breaks_the_dose_is_refused() -> None:
    walking = Dosage(walk=Walk(), tempo=None)
    timed = RoutineItem.from_data({"exercise": "A3", "duration_s": 60})
    with pytest.raises(Invalid, match="either timed"):
        timed.apply_to(walking)


def test_texts_compare_by_content_and_fall_back_to_english() -> None:
    text = Text.of("Sit tall", "Aufrecht sitzen")
    assert text == Text({"en": "Sit tall", "de": "Aufrecht sitzen"})
    assert text != Text.of("Sit tall")
    assert Text.of("Sit tall").get("de") == "Sit tall"
    with pytest.raises(ValueError, match="English"):
        Text({"de": "nur Deutsch"})
    # A title Coach stored itself is shown even if today's rules would refuse it.
    assert Text.trusted({"en": "", "de": "alt"}).root == {"en": "", "de": "alt"}


def test_json_round_trip_and_broken_json() -> None:
    routine = Routine.from_data(GOOD)
    assert Routine.from_json(routine.to_json()) == routine
    with pytest.raises(Invalid, match="not valid JSON"):
        Routine.from_json("{not json")


def test_drop_default_none_keeps_a_null_that_means_something() -> None:
    item = RoutineItem.from_data({"exercise": "P1", "tempo": None, "self_paced": True})
    assert item.to_data(drop_default_none=True) == {
        "tempo": None,
        "self_paced": True,
        "exercise": "P1",
    }  # no "note": None, which is only the default
    uncounted = Dosage(tempo=None, self_paced=True).to_data(drop_default_none=True)
    assert uncounted["tempo"] is None and "walk" not in uncounted
    assert Dosage.from_data(uncounted).tempo is None


def test_drop_default_none_leaves_out_empty_fields_only() -> None:
    data = Routine.from_data(GOOD).to_data(drop_default_none=True)
    assert "text" not in data["schedule"]
    assert data["schedule"]["times_per_day"] == 1
    assert data["chair_only"] is False


@pytest.mark.parametrize("ident", ["P1\n", "daily-relief\n", "a\nb"])
def test_an_identifier_with_a_newline_is_refused_with_the_hint(ident: str) -> None:
    # Python's "$" matches before a final newline: "P1\n" used to pass as an id
    # and so got past the check for clashes with built-in ids.
    data = {"id": ident, "title": {"en": "x"}, "description": {"en": "y"}}
    with pytest.raises(Invalid) as caught:
        Routine.from_data(data | {"items": [{"exercise": "P1"}]})
    assert "use letters, digits" in str(caught.value)
    with pytest.raises(Invalid):
        Routine.from_data({"id": "ok"} | data | {"id": "ok", "items": [{"exercise": ident}]})
