"""The words of the readable plan timeline (``coach plan``, the editor's time pane).

Kept apart from the plan's steps: these name phases and counts for a
clinician reading a timeline, not what the person is told to do.
"""

from __future__ import annotations

TIMELINE_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "total": "in total",
        "steps": "steps",
        "set": "set",
        "rep": "rep",
        "bout": "bout",
        "left": "left",
        "right": "right",
        "get_ready": "get ready",
        "move": "move",
        "hold": "hold",
        "back": "back",
        "relax": "relax",
        "rest": "rest",
        "switch_side": "switch side",
        "transition": "transition",
        "get_up": "getting up",
        "timed": "timed",
        "walk": "walk",
        "flexion_break": "flexion break",
        "done": "done",
    },
    "de": {
        "total": "insgesamt",
        "steps": "Schritte",
        "set": "Durchgang",
        "rep": "Wiederholung",
        "bout": "Gehphase",
        "left": "links",
        "right": "rechts",
        "get_ready": "bereit machen",
        "move": "bewegen",
        "hold": "halten",
        "back": "zurück",
        "relax": "entspannen",
        "rest": "Pause",
        "switch_side": "Seitenwechsel",
        "transition": "Übergang",
        "get_up": "Aufstehen",
        "timed": "nach Zeit",
        "walk": "gehen",
        "flexion_break": "Beugepause",
        "done": "fertig",
    },
}
