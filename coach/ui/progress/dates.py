"""Short dates in the interface language: "3 Mar", "3. März"."""

from __future__ import annotations

import datetime as dt

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_DE = (
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sep.",
    "Okt.",
    "Nov.",
    "Dez.",
)


def short_date(day: dt.date, lang: str) -> str:
    if lang == "de":
        return f"{day.day}. {MONTHS_DE[day.month - 1]}"
    return f"{day.day} {MONTHS_EN[day.month - 1]}"
