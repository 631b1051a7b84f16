"""The posture tips (CONTENT.md sections 1 and 9, in our own words).

Content rather than logic: the wording in both languages and the picture of
each tip change for other reasons than the schedule that picks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PostureCue:
    id: str
    figure: str  # exercise id of the illustration: assets/figures/<figure>-end.svg
    text: Mapping[str, str]

    def text_in(self, lang: str) -> str:
        return self.text.get(lang) or self.text["en"]

    @property
    def picture(self) -> str:
        return f"figures/{self.figure}-end.svg"


POSTURE_CUES: tuple[PostureCue, ...] = (
    PostureCue(
        "pelvic-tilt",
        "P2",
        {
            "en": "Standing? Tilt your pelvis the way it sits when you sit: "
            "belt buckle towards your chin, knees soft. No hollow back.",
            "de": "Sie stehen? Richten Sie das Becken auf wie im Sitzen: "
            "Gürtelschnalle Richtung Kinn, Knie locker. Kein Hohlkreuz.",
        },
    ),
    PostureCue(
        "foot-up",
        "P4",
        {
            "en": "Standing at the sink or the stove? Put one foot up on a low step, "
            "and swap feet now and then.",
            "de": "Sie stehen an der Spüle oder am Herd? Stellen Sie einen Fuß auf eine "
            "niedrige Stufe und wechseln Sie ab und zu.",
        },
    ),
    PostureCue(
        "flexion-break",
        "S9",
        {
            "en": "Out for a long walk? Stop for a minute and lean forward on a rail, "
            "a shopping trolley or your walker (brakes on).",
            "de": "Lange unterwegs? Bleiben Sie eine Minute stehen und lehnen Sie sich nach "
            "vorne auf ein Geländer, den Einkaufswagen oder den Rollator (Bremsen fest).",
        },
    ),
    PostureCue(
        "sit-lean",
        "C2",
        {
            "en": "Legs or back tired? Sit down and lean forward, forearms on your "
            "thighs. Breathe out slowly.",
            "de": "Beine oder Rücken müde? Setzen Sie sich und beugen Sie sich nach vorne, "
            "die Unterarme auf den Oberschenkeln. Langsam ausatmen.",
        },
    ),
    PostureCue(
        "uphill",
        "A2",
        {
            "en": "Going for a walk? Choose the way uphill and ride down: "
            "walking downhill arches the lower back.",
            "de": "Sie gehen spazieren? Gehen Sie lieber bergauf und fahren Sie bergab: "
            "Bergabgehen führt ins Hohlkreuz.",
        },
    ),
)
