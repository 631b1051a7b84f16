"""The plan's goals, its weeks, and the goals against the scores they started from.

A goal is a PSFS activity in the patient's words; the clinician scores it at
the first visit (the baseline), and the patient rates the same activities at
home (coach.core.progress.measures). This puts the two side by side, for the
report, the clinic's patient page and the patient's own progress page alike.
The hand-over (coach.core.clinic.handover) holds the goals and the programme's
length; the records and the week arithmetic live here so the report's reader
can use them without the hand-over's file code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any, ClassVar

from coach.core.content.records import Custom
from coach.core.progress.measures import PSFS_ONE_CHANGE, psfs_scores

MAX_GOALS = 5
MAX_GOAL = 200
MAX_WEEKS = 52


class Goal(Custom):
    """One activity the patient wants back, with its PSFS score at the start.

    Written as ``{text, text_de, baseline}``; a plain string (hand-over files
    before goals had scores) reads as a goal without German words or baseline.
    The score is the Patient-Specific Functional Scale's 0 (cannot do it) to 10
    (as before the problem), so the report can set the later ratings against it.
    """

    __slots__ = ("baseline", "text", "text_de")

    json_schema: ClassVar[dict[str, Any]] = {
        "oneOf": [
            {"type": "string", "minLength": 1, "maxLength": MAX_GOAL},
            {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "minLength": 1, "maxLength": MAX_GOAL},
                    "text_de": {"type": "string", "maxLength": MAX_GOAL},
                    "baseline": {"type": "integer", "minimum": 0, "maximum": 10},
                },
                "required": ["text"],
                "additionalProperties": False,
            },
        ]
    }

    def __init__(self, text: str, text_de: str | None = None, baseline: int | None = None) -> None:
        for name, value in (("text", text), ("text_de", text_de)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"the goal's {name} must be text")
        text = (text or "").strip()
        if not text:
            raise ValueError("a goal is empty")
        if len(text) > MAX_GOAL or len(text_de or "") > MAX_GOAL:
            raise ValueError(f"a goal is longer than {MAX_GOAL} characters")
        # bool is an int in Python; True as a score is a typing slip, not a 1.
        if baseline is not None and (
            isinstance(baseline, bool) or not isinstance(baseline, int) or not 0 <= baseline <= 10
        ):
            raise ValueError("the baseline is a PSFS score from 0 to 10")
        self.text = text
        self.text_de = (text_de or "").strip() or None
        self.baseline = baseline

    @classmethod
    def from_data(cls, data: Any) -> Goal:
        if isinstance(data, str):
            return cls(data)
        if not isinstance(data, Mapping):
            raise TypeError("a goal is a text or a block with 'text' (and 'text_de', 'baseline')")
        unknown = set(data) - {"text", "text_de", "baseline"}
        if unknown:
            raise ValueError(f"unknown field '{sorted(unknown)[0]}' in a goal")
        return cls(data.get("text", ""), data.get("text_de"), data.get("baseline"))

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.text_de:
            data["text_de"] = self.text_de
        if self.baseline is not None:
            data["baseline"] = self.baseline
        return data

    def get(self, lang: str = "en") -> str:
        return self.text_de if lang == "de" and self.text_de else self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Goal) and other.to_data() == self.to_data()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Goal({self.to_data()!r})"


def goal_line(goal: Goal, lang: str = "en") -> str:
    """'Walk to the bakery (at the start 3/10)': a goal with the score it starts from."""
    if goal.baseline is None:
        return goal.get(lang)
    start = "zu Beginn" if lang == "de" else "at the start"
    return f"{goal.get(lang)} ({start} {goal.baseline}/10)"


def programme_week(start: date, weeks: int | None, day: date) -> int | None:
    """The programme week ``day`` falls in (1 from the start date), None before the start.

    Past the last week it keeps counting (week 8 of 6 says the review is overdue)."""
    if day < start:
        return None
    return (day - start).days // 7 + 1


def week_of_text(start: date, weeks: int | None, day: date, lang: str = "en") -> str:
    """'week 3 of 6' (or 'week 3' without a length), '' before the start."""
    number = programme_week(start, weeks, day)
    if number is None:
        return ""
    word = "Woche" if lang == "de" else "week"
    if weeks is None:
        return f"{word} {number}"
    return f"{word} {number} {'von' if lang == 'de' else 'of'} {weeks}"


@dataclass(frozen=True)
class GoalProgress:
    """One goal: where it started, the latest rating, and whether that is a real change."""

    goal: Goal
    baseline: int | None  # the clinician's score, else the first rating at home
    baseline_from_plan: bool
    latest: int | None
    latest_day: date | None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def changed(self) -> bool:
        """At least the smallest real change of one activity (MDC90, 3 points)."""
        return self.change is not None and abs(self.change) >= PSFS_ONE_CHANGE

    def line(self, lang: str = "en") -> str:
        """'Walk to the bakery: 3 → 7' (or '3 at the start' before any rating)."""
        text = self.goal.get(lang)
        if self.baseline is None and self.latest is None:
            return text
        if self.latest is None or self.latest_day is None:
            start = "zu Beginn" if lang == "de" else "at the start"
            return f"{text}: {self.baseline} {start}"
        if self.baseline is None:
            return f"{text}: {self.latest}"
        return f"{text}: {self.baseline} → {self.latest}"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def goals_against_baselines(
    goals: Iterable[Goal | str | Mapping[str, Any]],
    ratings: Sequence[tuple[date, Mapping[str, int]]],
) -> list[GoalProgress]:
    """Each goal with its baseline and its latest PSFS rating (``ratings`` oldest first).

    ``goals`` may be a plan's goals, the report's ``plan.goal_details`` or plain
    texts (older reports). A rating matches a goal by its English or German
    words, whatever the spacing and case. Without a clinician's score the first
    rating at home is the baseline, as the PSFS is meant to be used.
    """
    out = []
    for raw in goals:
        goal = raw if isinstance(raw, Goal) else Goal.from_data(raw)
        names = {_key(goal.text)} | ({_key(goal.text_de)} if goal.text_de else set())
        found = [
            (day, score)
            for day, scores in ratings
            for name, score in scores.items()
            if _key(name) in names
        ]
        baseline = goal.baseline
        from_plan = baseline is not None
        if baseline is None and found:
            baseline = found[0][1]
            found = found[1:]
        latest_day, latest = found[-1] if found else (None, None)
        out.append(GoalProgress(goal, baseline, from_plan, latest, latest_day))
    return out


def goal_progress_in_store(
    store: Any, goals: Iterable[Goal | str | Mapping[str, Any]], tz: tzinfo | None = None
) -> list[GoalProgress]:
    """:func:`goals_against_baselines` with the PSFS ratings the progress store holds."""
    ratings = [
        (m.taken_utc.astimezone(tz).date(), psfs_scores(m.value))
        for m in store.measures("psfs")
        if isinstance(m.value, Mapping)
    ]
    return goals_against_baselines(goals, ratings)
