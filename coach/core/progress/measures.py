"""What a PSFS rating or a chair-stand count means, kept apart from the trends.

The measures page scores an entry while it is typed and the printed report shows
the same scores; neither needs the calendar and trend code of
:mod:`coach.core.progress.stats`. The thresholds and the cut-off table
(CONTENT.md section 5) stay next to the scores they judge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from coach.core.content.model import Text

PSFS_MEAN_CHANGE = 2.0  # MDC90 of the mean (Stratford 1995)
PSFS_ONE_CHANGE = 3.0  # MDC90 of one activity
WALKING_TEST_CAP_S = 30 * 60

PSFS_MAX_ACTIVITIES = 5


def psfs_scores(value: Mapping[str, Any]) -> dict[str, int]:
    """The activity ratings of a stored PSFS measure (bad entries left out)."""
    scores = value.get("scores")
    if not isinstance(scores, dict):
        return {}
    return {
        str(name): int(score)
        for name, score in scores.items()
        if isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= 10
    }


def psfs_score(scores: Mapping[str, int]) -> float | None:
    """The PSFS score: the mean of the activity ratings (0-10)."""
    values = [float(v) for v in scores.values()]
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class PsfsChange:
    first: float
    latest: float
    per_activity: dict[str, tuple[int, int]]  # activity -> (first, latest), rated both times

    @property
    def mean_change(self) -> float:
        return self.latest - self.first

    @property
    def meaningful(self) -> bool:
        return abs(self.mean_change) >= PSFS_MEAN_CHANGE

    def activities_changed(self) -> dict[str, int]:
        """Activities whose rating changed by the MDC of one activity or more."""
        return {
            name: latest - first
            for name, (first, latest) in self.per_activity.items()
            if abs(latest - first) >= PSFS_ONE_CHANGE
        }


def psfs_change(first: Mapping[str, int], latest: Mapping[str, int]) -> PsfsChange | None:
    """First against latest rating, over the activities rated both times."""
    common = [name for name in latest if name in first]
    if not common:
        return None
    a = [float(first[n]) for n in common]
    b = [float(latest[n]) for n in common]
    return PsfsChange(sum(a) / len(a), sum(b) / len(b), {n: (first[n], latest[n]) for n in common})


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


CHAIR_STAND_BELOW_AVERAGE: tuple[tuple[int, int, int, int], ...] = (
    # (age from, age to, men below, women below): fewer stands than this is
    # below average (CDC STEADI, via a secondary source; CONTENT.md section 5).
    (60, 64, 14, 12),
    (65, 69, 12, 11),
    (70, 74, 12, 10),
    (75, 79, 11, 10),
    (80, 84, 10, 9),
    (85, 89, 8, 8),
    (90, 94, 7, 4),
)


@dataclass(frozen=True)
class ChairStandVerdict:
    count: int
    age_from: int
    age_to: int
    sex: Sex
    cutoff: int  # fewer than this is below average

    @property
    def below_average(self) -> bool:
        return self.count < self.cutoff

    def text(self) -> Text:
        group_en = "women" if self.sex is Sex.FEMALE else "men"
        group_de = "Frauen" if self.sex is Sex.FEMALE else "Männer"
        if self.below_average:
            return Text.of(
                f"For {group_en} aged {self.age_from} to {self.age_to}, fewer than "
                f"{self.cutoff} stands is below average. Your {self.count} is below that: "
                "the strength and balance exercises help here.",
                f"Für {group_de} von {self.age_from} bis {self.age_to} Jahren gilt weniger als "
                f"{self.cutoff}-mal Aufstehen als unterdurchschnittlich. Ihre {self.count} "
                "liegen darunter: Die Kraft- und Gleichgewichtsübungen helfen hier.",
            )
        return Text.of(
            f"For {group_en} aged {self.age_from} to {self.age_to}, fewer than {self.cutoff} "
            f"stands is below average. Your {self.count} is not below average.",
            f"Für {group_de} von {self.age_from} bis {self.age_to} Jahren gilt weniger als "
            f"{self.cutoff}-mal Aufstehen als unterdurchschnittlich. Ihre {self.count} "
            "liegen nicht darunter.",
        )


def chair_stand_verdict(count: int, age: int | None, sex: str | None) -> ChairStandVerdict | None:
    """The comparison with the age and sex cut-off, None without a matching row."""
    if age is None or sex not in (Sex.FEMALE, Sex.MALE):
        return None
    for low, high, men, women in CHAIR_STAND_BELOW_AVERAGE:
        if low <= age <= high:
            s = Sex(sex)
            return ChairStandVerdict(count, low, high, s, women if s is Sex.FEMALE else men)
    return None


__all__ = [
    "CHAIR_STAND_BELOW_AVERAGE",
    "PSFS_MAX_ACTIVITIES",
    "PSFS_MEAN_CHANGE",
    "PSFS_ONE_CHANGE",
    "WALKING_TEST_CAP_S",
    "ChairStandVerdict",
    "PsfsChange",
    "Sex",
    "chair_stand_verdict",
    "psfs_change",
    "psfs_score",
    "psfs_scores",
]
