"""A routine turned into the ordered, timed steps the player walks through.

The plan is the single source of every duration: the session runner takes its
deadlines from here, `coach plan` prints it, and the total time shown before a
session is the sum of these steps. Nothing here knows about clocks or Qt.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from coach.core.content.model import (
    GET_UP,
    LANGUAGES,
    Dosage,
    Exercise,
    Routine,
    RoutineItem,
    Side,
    Tag,
    Text,
    Walk,
)
from coach.core.session.timeline_words import TIMELINE_WORDS as _WORDS
from coach.core.session.walk_steps import (
    bout_seconds as bout_seconds,  # where the personal plan has always found it
)
from coach.core.session.walk_steps import (
    break_words,
    get_ready_words,
    played_walk,
    walk_words,
)

SELF_PACED_REP_S = 4.0
"""Estimated time of one self-paced rep without its hold; used for totals only."""


FIRST_SIDE = Side.RIGHT
"""Sided work starts here: all sets of this side first (both), or this side's
turn first in every pair of reps (alternate)."""
SECOND_SIDE = Side.LEFT if FIRST_SIDE is Side.RIGHT else Side.RIGHT

ROLL_AND_PUSH_UP_S = 15.0
"""Getting up, part one: roll onto the side and push up to sitting."""
SIT_BEFORE_STANDING_S = 30.0
"""Getting up, part two: sitting before standing. CONTENT asks for 30-60 s;
the countdown gives the shortest, the words say to sit longer when dizzy."""


class PlanError(ValueError):
    """A routine that cannot be turned into a plan (an unknown exercise id)."""


class Phase(StrEnum):
    GET_READY = "get_ready"
    MOVE = "move"
    HOLD = "hold"
    BACK = "back"  # return from the end position
    RELAX = "relax"  # between two reps
    REST = "rest"  # between two sets
    SWITCH_SIDE = "switch_side"
    TRANSITION = "transition"  # rest between two exercises
    TIMED = "timed"  # cycling, breathing: one stretch of time
    WALK = "walk"  # one walking bout
    FLEXION_BREAK = "flexion_break"  # sit or lean forward between bouts
    DONE = "done"


class Position(StrEnum):
    """Where the body is during an exercise, as far as getting up is concerned."""

    DOWN = "down"  # lying, side-lying, kneeling, on all fours
    UP = "up"  # sitting or standing


def position_of(exercise: Exercise) -> Position | None:
    """Down or up, read from the exercise's tags; None keeps the person where they are.

    - ``floor`` is down, whatever else is tagged: the floor tag covers lying,
      side-lying, kneeling and all fours, and someone sitting on the floor
      needs the same careful way up.
    - ``seated`` or ``standing`` is up, unless ``bed_ok`` is tagged too: then
      the exercise is done either lying in bed or sitting (R2, the muscle
      relaxation), and the person simply stays as they were.
    - ``bed_ok`` alone is down: an exercise lying on a bed (S5, at its edge).
    - No position tag (water exercise, a clinic's own exercise without one):
      unknown, the person stays as they were.

    The getting-up exercise itself is up: it ends sitting.
    """
    if exercise.id == GET_UP:
        return Position.UP
    tags = set(exercise.tags)
    if Tag.FLOOR in tags:
        return Position.DOWN
    if tags & {Tag.SEATED, Tag.STANDING}:
        return None if Tag.BED_OK in tags else Position.UP
    if Tag.BED_OK in tags:
        return Position.DOWN
    return None


class Frame(StrEnum):
    """Which picture the player shows during a step."""

    START = "start"
    END = "end"
    ANIMATE = "animate"  # loop start -> end -> start


@dataclass(frozen=True)
class Step:
    """One thing the person does, for a planned number of seconds.

    For a self-paced step the runner waits for a tap and ``seconds`` is only
    the estimate used for totals. Walk steps count bouts in ``rep_no``/``reps``;
    ``ends_at_symptoms`` makes the person's "symptoms started" mark end the
    bout there. ``side`` is LEFT or RIGHT for sided work and None otherwise.
    """

    index: int
    phase: Phase
    seconds: float
    exercise_id: str | None
    item_index: int | None
    instruction: Text
    cue: Text | None = None
    side: Side | None = None
    set_no: int | None = None
    sets: int | None = None
    rep_no: int | None = None
    reps: int | None = None
    self_paced: bool = False
    count_aloud: bool = False
    frame: Frame = Frame.START
    note: Text | None = None  # the clinician's note on this item
    caution: Text | None = None  # what a permission asks the person to heed
    ends_at_symptoms: bool = False

    @property
    def getting_up(self) -> bool:
        """A step of getting up from lying: the plan's own, part of no item."""
        return self.phase is Phase.TRANSITION and self.item_index is None


@dataclass(frozen=True)
class Plan:
    routine_id: str
    routine_title: Text
    steps: tuple[Step, ...]
    exercise_titles: Mapping[str, Text] = field(default_factory=dict)

    @cached_property
    def offsets(self) -> tuple[float, ...]:
        """Planned start of every step from the session start, plus the end.

        The runner's deadlines and ``total_seconds`` both come from these same
        additions, so an unpaused session ends at exactly start + total.
        """
        offsets = [0.0]
        for step in self.steps:
            offsets.append(offsets[-1] + step.seconds)
        return tuple(offsets)

    @property
    def total_seconds(self) -> float:
        return self.offsets[-1]

    def title_of(self, exercise_id: str | None, lang: str = "en") -> str:
        if exercise_id is None:
            return ""
        title = self.exercise_titles.get(exercise_id)
        return title.get(lang) if title else exercise_id

    def to_json_dict(self, lang: str = "en") -> dict[str, Any]:
        """The ``coach plan --json`` contract: routine, total_seconds, steps."""
        return {
            "routine": self.routine_id,
            "total_seconds": _number(self.total_seconds),
            "steps": [_step_json(step, lang) for step in self.steps],
        }

    def format_timeline(self, lang: str = "en", *, detailed: bool = True) -> str:
        """A readable timeline: one line per step, or one per exercise block."""
        words = _WORDS[lang if lang in _WORDS else "en"]
        header = (
            f"{self.routine_title.get(lang)} ({self.routine_id}) — "
            f"{format_clock(self.total_seconds)} {words['total']}, "
            f"{len(self.steps)} {words['steps']}"
        )
        lines = [header]
        if detailed:
            for step, start in zip(self.steps, self.offsets, strict=False):
                lines.append(self._step_line(step, start, lang))
        else:
            for first, last in self._blocks():
                lines.append(self._block_line(first, last, lang))
        return "\n".join(lines)

    def _step_line(self, step: Step, start: float, lang: str) -> str:
        words = _WORDS[lang if lang in _WORDS else "en"]
        seconds = f"{_number(step.seconds)} s"
        if step.self_paced:
            seconds = f"~{seconds}"
        detail = _detail(step, lang)
        phase = words["get_up"] if step.getting_up else words[step.phase.value]
        return (
            f"{format_clock(start):>8}  {phase:<16} {seconds:>8}  "
            f"{step.exercise_id or '':<6} {step.instruction.get(lang)}"
            + (f"  [{detail}]" if detail else "")
        )

    def _blocks(self) -> Iterator[tuple[int, int]]:
        """Index ranges of consecutive steps that belong to the same item.

        Getting up and the end belong to no item; they are blocks of their own.
        """

        def key(step: Step) -> tuple[int | None, bool]:
            return step.item_index, step.phase is Phase.DONE

        start = 0
        for i in range(1, len(self.steps) + 1):
            if i == len(self.steps) or key(self.steps[i]) != key(self.steps[start]):
                yield start, i - 1
                start = i

    def _block_line(self, first: int, last: int, lang: str) -> str:
        step = self.steps[first]
        seconds = self.offsets[last + 1] - self.offsets[first]
        if step.phase is Phase.DONE:
            name = step.instruction.get(lang)
        elif step.exercise_id is None:
            name = _WORDS[lang if lang in _WORDS else "en"]["get_up"].capitalize()
        else:
            name = f"{step.exercise_id} {self.title_of(step.exercise_id, lang)}"
        return f"{format_clock(self.offsets[first]):>8}  {name}  ({format_clock(seconds)})"


def build_plan(
    routine: Routine,
    exercises: Mapping[str, Exercise],
    *,
    walking_test_s: float | None = None,
    get_ready_s: float = 10,
    transition_s: float = 15,
    switch_side_s: float = 5,
    first_get_ready_s: float | None = None,
    roll_and_push_up_s: float = ROLL_AND_PUSH_UP_S,
    sit_before_standing_s: float = SIT_BEFORE_STANDING_S,
) -> Plan:
    """Expand a routine into timed steps.

    ``walking_test_s`` is the person's time to first symptoms; walk bouts then
    last their ``from_walking_test`` share of it (see ``walk_steps`` for how a
    walking item is played, also a timed treadmill walk). The first get-ready is
    longer by default (twice ``get_ready_s``): getting down to the floor or
    setting up the bike takes more than moving on to the next exercise.

    Where the routine goes from an exercise done lying to one done sitting or
    standing (see ``position_of``), and after a routine that ends lying, the
    person gets up the way CONTENT asks instead of a plain rest: roll onto the
    side and push up to sitting (``roll_and_push_up_s``), then sit before
    standing (``sit_before_standing_s``). Both steps show the getting-up
    exercise (GET_UP) and carry their own words and cue; they belong to no
    item, and they are transitions, so the progress counts no exercise in them.
    """
    if walking_test_s is not None and walking_test_s <= 0:
        raise ValueError("walking_test_s must be positive")
    builder = _Builder(exercises)
    position: Position | None = None
    for item_index, item in enumerate(routine.items):
        exercise = _lookup(exercises, item.exercise, item_index)
        builder.words = (item.note, permission_caution(routine, exercise))
        now = position_of(exercise)
        if position is Position.DOWN and now is Position.UP and exercise.id != GET_UP:
            builder.get_up(exercise, roll_and_push_up_s, sit_before_standing_s)
        elif item_index > 0:
            builder.add(
                Phase.TRANSITION,
                transition_s,
                exercise,
                item_index,
                _compose(_INSTRUCTIONS["transition"], title=exercise.title),
            )
        if now is not None:
            position = now
        ready_s = get_ready_s
        if item_index == 0:
            ready_s = first_get_ready_s if first_get_ready_s is not None else 2 * get_ready_s
        dosage = effective_dosage(item, exercise)
        walk = played_walk(exercise, dosage)
        builder.get_ready(exercise, item_index, dosage, ready_s, walk)
        if walk is not None:
            builder.walk(exercise, item_index, walk, walking_test_s)
        elif dosage.duration_s is not None:
            builder.timed(exercise, item_index, dosage, dosage.duration_s, switch_side_s)
        else:
            builder.reps(exercise, item_index, dosage, switch_side_s)
    if position is Position.DOWN:
        builder.get_up(None, roll_and_push_up_s, sit_before_standing_s)
    builder.add(Phase.DONE, 0, None, None, _INSTRUCTIONS["done"], force=True)
    return Plan(routine.id, routine.title, tuple(builder.steps), builder.titles)


_ALLOWED_BY = Text.of(
    "Allowed for you by {who}: this exercise arches the back. If your leg symptoms do not "
    "settle within a minute, stop and leave it out.",
    "Von {who} für Sie erlaubt: Bei dieser Übung gehen Sie ins Hohlkreuz. Wenn die "
    "Beschwerden im Bein nicht innerhalb einer Minute nachlassen, hören Sie auf und lassen "
    "Sie die Übung weg.",
)
_YOUR_PHYSIO = Text.of("your physiotherapist", "Ihrer Physiotherapie")


def permission_caution(routine: Routine, exercise: Exercise) -> Text | None:
    """The caution an exercise allowed by permission carries wherever it is shown."""
    if not exercise.lumbar_extension or exercise.id not in routine.permissions.allow_extension:
        return None
    who = routine.permissions.allowed_by
    return Text.trusted(
        {
            lang: _ALLOWED_BY.get(lang).format(who=who or _YOUR_PHYSIO.get(lang))
            for lang in ("en", "de")
        }
    )


def effective_dosage(item: RoutineItem, exercise: Exercise) -> Dosage:
    """The exercise's default dose with the routine item's changes on top."""
    return item.apply_to(exercise.dosage)


def format_clock(seconds: float) -> str:
    """m:ss, or h:mm:ss from one hour on; rounded up like a countdown."""
    whole = math.ceil(seconds - 1e-9)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def _lookup(exercises: Mapping[str, Exercise], exercise_id: str, item_index: int) -> Exercise:
    try:
        return exercises[exercise_id]
    except KeyError:
        raise PlanError(f"item {item_index + 1}: unknown exercise '{exercise_id}'") from None


def _sides(side: Side) -> list[Side | None]:
    """The order in which sides are worked: FIRST_SIDE first."""
    if side in (Side.BOTH, Side.ALTERNATE):
        return [FIRST_SIDE, SECOND_SIDE]
    if side in (Side.LEFT, Side.RIGHT):
        return [side]
    return [None]


class _Builder:
    """Collects steps; zero-length timed steps are left out."""

    def __init__(self, exercises: Mapping[str, Exercise]) -> None:
        self.exercises = exercises
        self.steps: list[Step] = []
        self.titles: dict[str, Text] = {}
        # The clinician's note and a permission's caution of the item being
        # built: every step of it carries them, so the player shows them
        # whichever step the person is on.
        self.words: tuple[Text | None, Text | None] = (None, None)

    def add(
        self,
        phase: Phase,
        seconds: float,
        exercise: Exercise | None,
        item_index: int | None,
        instruction: Text,
        *,
        force: bool = False,
        cue: Text | None = None,
        **fields: Any,
    ) -> None:
        if seconds <= 0 and not force:
            return
        if exercise is not None:
            self.titles[exercise.id] = exercise.title
        if item_index is not None:
            fields.setdefault("note", self.words[0])
            fields.setdefault("caution", self.words[1])
        self.steps.append(
            Step(
                index=len(self.steps),
                phase=phase,
                seconds=float(seconds),
                exercise_id=exercise.id if exercise else None,
                item_index=item_index,
                instruction=instruction,
                cue=cue or (exercise.cue if exercise else None),
                **fields,
            )
        )

    def get_up(self, following: Exercise | None, roll_s: float, sit_s: float) -> None:
        """Roll and push up to sitting, then sit; ``following`` None at the end.

        The words are the plan's own, so they are right even where the library
        at hand lacks the getting-up exercise (a sheet printed from a routine's
        own exercises): only its picture and title are missing then.
        """
        helper = self.exercises.get(GET_UP)
        roll_cue = helper.cue if helper else _INSTRUCTIONS["get_up_roll_cue"]
        sit_cue = (helper.breathing if helper else None) or _INSTRUCTIONS["get_up_sit_cue"]
        self.add(
            Phase.TRANSITION,
            roll_s,
            helper,
            None,
            _INSTRUCTIONS["get_up_roll"],
            cue=roll_cue,
            frame=Frame.START,
        )
        if following is None:
            sit = _INSTRUCTIONS["get_up_sit"]
        else:
            sit = _compose(_INSTRUCTIONS["get_up_sit_next"], title=following.title)
        self.add(Phase.TRANSITION, sit_s, helper, None, sit, cue=sit_cue, frame=Frame.END)

    def get_ready(
        self,
        exercise: Exercise,
        item_index: int,
        dosage: Dosage,
        seconds: float,
        walk: Walk | None = None,
    ) -> None:
        # Walks have no sides; sided work says where to begin.
        first_side = None if walk else _sides(dosage.side)[0]
        if walk is not None:
            instruction = get_ready_words(
                walk, _compose(_INSTRUCTIONS["get_ready"], title=exercise.title)
            )
        elif first_side is None:
            instruction = _compose(_INSTRUCTIONS["get_ready"], title=exercise.title)
        else:
            instruction = _compose(
                _INSTRUCTIONS["get_ready_side"],
                title=exercise.title,
                side=_SIDE_NAMES[first_side],
            )
        self.add(Phase.GET_READY, seconds, exercise, item_index, instruction, side=first_side)

    def switch_side(self, exercise: Exercise, item_index: int, to: Side, seconds: float) -> None:
        template = "switch_left" if to is Side.LEFT else "switch_right"
        self.add(Phase.SWITCH_SIDE, seconds, exercise, item_index, _INSTRUCTIONS[template], side=to)

    def reps(
        self, exercise: Exercise, item_index: int, dosage: Dosage, switch_side_s: float
    ) -> None:
        if dosage.side is Side.ALTERNATE:
            # Each rep step is one side and the sides take turns within the set;
            # ``reps`` counts per side, as the exercises' dose texts do
            # ("10 times each leg"), so a set is 2 x reps rep steps.
            first, second = _sides(Side.BOTH)
            turns = [(rep, side) for rep in range(1, dosage.reps + 1) for side in (first, second)]
            for set_no in range(1, dosage.sets + 1):
                if set_no > 1:
                    self._rest(exercise, item_index, dosage, set_no - 1, None)
                self._one_set(exercise, item_index, dosage, set_no, turns)
            return
        for side_no, side in enumerate(_sides(dosage.side)):
            if side_no > 0 and side is not None:
                self.switch_side(exercise, item_index, side, switch_side_s)
            for set_no in range(1, dosage.sets + 1):
                if set_no > 1:
                    self._rest(exercise, item_index, dosage, set_no - 1, side)
                turns = [(rep, side) for rep in range(1, dosage.reps + 1)]
                self._one_set(exercise, item_index, dosage, set_no, turns)

    def _rest(
        self, exercise: Exercise, item_index: int, dosage: Dosage, set_no: int, side: Side | None
    ) -> None:
        self.add(
            Phase.REST,
            dosage.rest_s,
            exercise,
            item_index,
            _INSTRUCTIONS["rest"],
            side=side,
            set_no=set_no,
            sets=dosage.sets,
        )

    def _one_set(
        self,
        exercise: Exercise,
        item_index: int,
        dosage: Dosage,
        set_no: int,
        turns: Sequence[tuple[int, Side | None]],
    ) -> None:
        """The reps of one set, as (rep number, side) turns, relaxing between them."""
        previous: dict[str, Any] | None = None
        for rep_no, side in turns:
            where: dict[str, Any] = {
                "side": side,
                "set_no": set_no,
                "sets": dosage.sets,
                "rep_no": rep_no,
                "reps": dosage.reps,
            }
            if previous is not None:
                # A relax is labelled with the rep just done.
                self.add(
                    Phase.RELAX,
                    dosage.relax_s,
                    exercise,
                    item_index,
                    _INSTRUCTIONS["relax"],
                    **previous,
                )
            self._one_rep(exercise, item_index, dosage, where)
            previous = where

    def _one_rep(
        self, exercise: Exercise, item_index: int, dosage: Dosage, where: dict[str, Any]
    ) -> None:
        side = where["side"]
        if dosage.tempo is None or dosage.self_paced:
            self.add(
                Phase.MOVE,
                SELF_PACED_REP_S + dosage.hold_s,
                exercise,
                item_index,
                _with_side(_INSTRUCTIONS["self_paced"], side),
                self_paced=True,
                frame=Frame.ANIMATE,
                **where,
            )
            return
        self.add(
            Phase.MOVE,
            dosage.tempo.out_s,
            exercise,
            item_index,
            _with_side(_INSTRUCTIONS["move"], side),
            count_aloud=True,
            frame=Frame.END,
            **where,
        )
        self.add(
            Phase.HOLD,
            dosage.hold_s,
            exercise,
            item_index,
            _INSTRUCTIONS["hold"],
            frame=Frame.END,
            **where,
        )
        self.add(
            Phase.BACK,
            dosage.tempo.back_s,
            exercise,
            item_index,
            _INSTRUCTIONS["back"],
            count_aloud=True,
            frame=Frame.START,
            **where,
        )

    def timed(
        self,
        exercise: Exercise,
        item_index: int,
        dosage: Dosage,
        seconds: float,
        switch_side_s: float,
    ) -> None:
        """A timed item: ``duration_s`` per set and per side, rest between sets."""
        for side_no, side in enumerate(_sides(dosage.side)):
            if side_no > 0 and side is not None:
                self.switch_side(exercise, item_index, side, switch_side_s)
            for set_no in range(1, dosage.sets + 1):
                if set_no > 1:
                    self._rest(exercise, item_index, dosage, set_no - 1, side)
                self.add(
                    Phase.TIMED,
                    seconds,
                    exercise,
                    item_index,
                    _with_side(_INSTRUCTIONS["timed"], side),
                    side=side,
                    set_no=set_no,
                    sets=dosage.sets,
                    frame=Frame.ANIMATE,
                )

    def walk(
        self, exercise: Exercise, item_index: int, walk: Walk, walking_test_s: float | None
    ) -> None:
        bout_s = bout_seconds(walk, walking_test_s)
        break_exercise = exercise
        if walk.break_exercise is not None:
            break_exercise = _lookup(self.exercises, walk.break_exercise, item_index)
        for bout in range(1, walk.bouts + 1):
            if bout > 1:
                self.add(
                    Phase.FLEXION_BREAK,
                    walk.break_s,
                    break_exercise,
                    item_index,
                    break_words(walk),
                    rep_no=bout - 1,
                    reps=walk.bouts,
                    frame=Frame.END,
                )
            self.add(
                Phase.WALK,
                bout_s,
                exercise,
                item_index,
                walk_words(walk),
                rep_no=bout,
                reps=walk.bouts,
                frame=Frame.ANIMATE,
                ends_at_symptoms=walk.stop_at_first_symptoms,
            )


# --- texts -----------------------------------------------------------------

_INSTRUCTIONS: dict[str, Text] = {
    "get_ready": Text.of("Get ready: {title}", "Machen Sie sich bereit: {title}"),
    "get_ready_side": Text.of(
        "Get ready: {title}. Start with your {side} side.",
        "Machen Sie sich bereit: {title}. Beginnen Sie mit der {side} Seite.",
    ),
    "move": Text.of("Move slowly", "Langsam bewegen"),
    "hold": Text.of("Hold, and keep breathing", "Halten und ruhig weiteratmen"),
    "back": Text.of("Slowly come back", "Langsam zurück"),
    "relax": Text.of("Relax", "Entspannen"),
    "rest": Text.of("Rest before the next set", "Pause vor dem nächsten Durchgang"),
    "switch_left": Text.of("Switch to your left side", "Wechseln Sie zur linken Seite"),
    "switch_right": Text.of("Switch to your right side", "Wechseln Sie zur rechten Seite"),
    "transition": Text.of("Rest. Next: {title}", "Pause. Als Nächstes: {title}"),
    "get_up_roll": Text.of(
        "Roll onto your side with your knees bent. Then push yourself up to sitting "
        "with your arms.",
        "Rollen Sie sich mit angewinkelten Beinen auf die Seite. Dann drücken Sie sich "
        "mit den Armen zum Sitzen hoch.",
    ),
    "get_up_sit": Text.of(
        "Sit and breathe calmly. Stand up slowly when you feel steady, holding on to "
        "something stable.",
        "Bleiben Sie sitzen und atmen Sie ruhig. Stehen Sie langsam auf, wenn Sie sich "
        "sicher fühlen, und halten Sie sich an etwas Stabilem fest.",
    ),
    "get_up_sit_next": Text.of(
        "Sit and breathe calmly. Stand up slowly when you feel steady, holding on to "
        "something stable. Next: {title}",
        "Bleiben Sie sitzen und atmen Sie ruhig. Stehen Sie langsam auf, wenn Sie sich "
        "sicher fühlen, und halten Sie sich an etwas Stabilem fest. Als Nächstes: {title}",
    ),
    # The getting-up exercise's own cue and breathing line take their place
    # wherever the library has it.
    "get_up_roll_cue": Text.of(
        "Roll as one piece and push up with your arms. Do not sit straight up from lying.",
        "Rollen Sie sich in einem Stück und drücken Sie sich mit den Armen hoch. "
        "Nicht gerade aus dem Liegen aufsetzen.",
    ),
    "get_up_sit_cue": Text.of(
        "Feeling dizzy? Stay sitting until it has passed.",
        "Ist Ihnen schwindelig? Bleiben Sie sitzen, bis es vorbei ist.",
    ),
    "self_paced": Text.of(
        "One repetition at your own pace, then press Done",
        "Eine Wiederholung in Ihrem Tempo, dann auf „Fertig“ drücken",
    ),
    "timed": Text.of("Keep going calmly", "Ruhig weitermachen"),
    "done": Text.of("Well done. The session is finished.", "Gut gemacht. Die Einheit ist beendet."),
}

# Adjective forms that fit both "your ___ side" and "der ___ Seite".
_SIDE_NAMES: dict[Side, Text] = {
    Side.LEFT: Text.of("left", "linken"),
    Side.RIGHT: Text.of("right", "rechten"),
}

_SIDE_PREFIX: dict[Side, Text] = {
    Side.LEFT: Text.of("Left side", "Linke Seite"),
    Side.RIGHT: Text.of("Right side", "Rechte Seite"),
}


def _compose(template: Text, **parts: Text) -> Text:
    """Fill a two-language template with two-language parts, language by language."""
    filled = {
        lang: template.get(lang).format(**{k: v.get(lang) for k, v in parts.items()})
        for lang in LANGUAGES
    }
    return Text(filled)


def _with_side(instruction: Text, side: Side | None) -> Text:
    if side is None:
        return instruction
    prefix = _SIDE_PREFIX[side]
    return Text({lang: f"{prefix.get(lang)}: {instruction.get(lang)}" for lang in LANGUAGES})


def _detail(step: Step, lang: str) -> str:
    words = _WORDS[lang if lang in _WORDS else "en"]
    parts: list[str] = []
    if step.phase in (Phase.WALK, Phase.FLEXION_BREAK):
        if step.rep_no is not None:
            parts.append(f"{words['bout']} {step.rep_no}/{step.reps}")
    else:
        if step.set_no is not None and (step.sets or 1) > 1:
            parts.append(f"{words['set']} {step.set_no}/{step.sets}")
        if step.rep_no is not None:
            parts.append(f"{words['rep']} {step.rep_no}/{step.reps}")
    if step.side is not None:
        parts.append(words[step.side.value])
    return ", ".join(parts)


def _number(value: float) -> int | float:
    """Whole numbers as ints in JSON (12, not 12.0)."""
    return int(value) if float(value).is_integer() else value


def _step_json(step: Step, lang: str) -> dict[str, Any]:
    return {
        "exercise": step.exercise_id,
        "phase": step.phase.value,
        "seconds": _number(step.seconds),
        "cue": step.cue.get(lang) if step.cue else None,
        "instruction": step.instruction.get(lang),
        "side": step.side.value if step.side else None,
        "set": step.set_no,
        "sets": step.sets,
        "rep": step.rep_no,
        "reps": step.reps,
        "self_paced": step.self_paced,
        "count_aloud": step.count_aloud,
        "frame": step.frame.value,
        "note": step.note.get(lang) if step.note else None,
        "caution": step.caution.get(lang) if step.caution else None,
        "ends_at_symptoms": step.ends_at_symptoms,
    }
