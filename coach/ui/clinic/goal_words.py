"""One PSFS goal or activity in words, for the Patients list and a patient's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from coach.core.clinic.patients import GoalTrend
from coach.ui.i18n import T


def goal_trend_text(goal: GoalTrend, day_text: Callable[[date], str]) -> str:
    """'Walk to the bakery: 3 → 6 (baseline 2 Mar)', or the start score alone before a rating."""
    if goal.latest is None:
        # Scored at the hand-over, not yet rated at home: no arrow to nowhere.
        return T("{activity}: {first} at the start ({date}), not rated at home yet").format(
            activity=goal.activity, first=goal.baseline, date=day_text(goal.baseline_day)
        )
    return T("{activity}: {first} → {latest} (baseline {date})").format(
        activity=goal.activity,
        first=goal.baseline,
        latest=goal.latest,
        date=day_text(goal.baseline_day),
    )
