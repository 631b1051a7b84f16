"""The domain model of Coach: exercises, routines and their dosage.

Everything a routine file can say is defined here once, with its limits, so
that the YAML loader, the JSON Schema shipped for editors and the player all
agree. Text fields are per-language mappings; English is required and every
other language falls back to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from coach.core.common.days import WEEK, Day
from coach.core.content.records import (
    UNSET,
    Custom,
    FieldProblem,
    Meta,
    Record,
    UnsetType,
    field,
    pattern,
)

FORMAT_VERSION = 1
"""The newest file format this Coach reads and writes."""

LANGUAGES = ("en", "de")

# Limits that catch typing mistakes in hand-written files (a 3-hour hold)
# without getting in a clinician's way.
MAX_HOLD_S = 300
MAX_REST_S = 900
MAX_DURATION_S = 2 * 60 * 60
MAX_REPS = 100
MAX_SETS = 10

# "(?!\n)$": in Python's re (which msgspec uses) a bare "$" also matches before a
# final newline, so "P1\n" passed and slipped past the built-in clash check. The
# look-ahead keeps the pattern valid JSON Schema (ECMA regex has no "\Z").
Identifier = Annotated[
    str,
    pattern(
        r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}(?!\n)$",
        "use letters, digits, '-', '_' or '.' (up to 64 characters, starting with a "
        "letter or digit)",
    ),
]


class Text(Custom):
    """A text in several languages: ``{en: ..., de: ...}``; English is required."""

    __slots__ = ("root",)

    json_schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "description": "A text per language; English ('en') is required.",
        "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
        "required": ["en"],
        "additionalProperties": False,
    }

    def __init__(self, root: Mapping[str, str]) -> None:
        if not isinstance(root, Mapping):
            raise TypeError("must be a block of texts per language, such as 'en: ...'")
        if not isinstance(root.get("en"), str) or not root["en"].strip():
            raise ValueError("an English text ('en') is required")
        for lang, text in root.items():
            if lang not in LANGUAGES:
                raise ValueError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the '{lang}' text is empty")
        self.root: dict[str, str] = dict(root)

    @classmethod
    def from_data(cls, data: Any) -> Text:
        return cls(data)

    @classmethod
    def trusted(cls, root: Mapping[str, str]) -> Text:
        """A text Coach stored itself, not checked again (an old title stays readable)."""
        text = cls.__new__(cls)
        text.root = dict(root)
        return text

    def to_data(self) -> dict[str, str]:
        return dict(self.root)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other.root == self.root

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Text({self.root!r})"

    def get(self, lang: str = "en") -> str:
        return self.root.get(lang) or self.root["en"]

    def has(self, lang: str) -> bool:
        return bool(self.root.get(lang))

    @classmethod
    def of(cls, en: str, de: str | None = None) -> Text:
        return cls({"en": en} | ({"de": de} if de else {}))


class Category(StrEnum):
    POSTURE = "posture"
    STRETCHING = "stretching"
    STRENGTHENING = "strengthening"
    BALANCE = "balance"
    AEROBIC = "aerobic"
    RELAXATION = "relaxation"


GET_UP = "U1"
"""The built-in "getting up from lying" exercise. The plan puts it in by itself
wherever a routine goes from lying to sitting or standing, so nobody picks it:
the library's lists and its search leave it out."""


class Tag(StrEnum):
    """Movement tags that the health profile uses to hide or swap exercises."""

    FLOOR = "floor"
    KNEELING = "kneeling"
    END_RANGE_FLEXION = "end_range_flexion"
    LOADED_FLEXION = "loaded_flexion"
    TWIST = "twist"
    HIP_FLEXION_OVER_90 = "hip_flexion_over_90"
    HIP_CROSSING = "hip_crossing"
    HIP_EXTENSION = "hip_extension"
    ISOMETRIC_HOLD = "isometric_hold"
    HEAD_DOWN = "head_down"
    LUMBAR_EXTENSION = "lumbar_extension"
    STANDING = "standing"
    SEATED = "seated"
    BED_OK = "bed_ok"


class Side(StrEnum):
    NONE = "none"  # a movement without sides (pelvic tilt)
    BOTH = "both"  # each side in turn: all sets right, then all sets left
    ALTERNATE = "alternate"  # sides take turns within a set; reps count per side
    LEFT = "left"
    RIGHT = "right"


# A file's format: 0 or -5 would pass into a plan and then be refused by the
# routine reader once installed (the plan's routine vanished); newer ones are
# refused by the readers with "please update Coach".
FormatVersion = Annotated[int, Meta(ge=1)]
Sets = Annotated[int, Meta(ge=1, le=MAX_SETS)]
Reps = Annotated[int, Meta(ge=1, le=MAX_REPS)]
HoldS = Annotated[float, Meta(ge=0, le=MAX_HOLD_S, description="Hold at the end position.")]
RelaxS = Annotated[float, Meta(ge=0, le=MAX_REST_S, description="Relax between two reps.")]
RestS = Annotated[float, Meta(ge=0, le=MAX_REST_S, description="Rest between sets.")]
DurationS = Annotated[
    float, Meta(gt=0, le=MAX_DURATION_S, description="For timed items (cycling, breathing).")
]
Load = Annotated[str, Meta(max_length=80, description="kg, band colour or effort.")]


class Tempo(Record, kw_only=True):
    """Counted rep timing: move out, hold at the end, come back."""

    out_s: Annotated[float, Meta(gt=0, le=30)] = 2
    back_s: Annotated[float, Meta(gt=0, le=30)] = 3


class WalkKind(StrEnum):
    """Where the walk happens: it decides the safety words the person is given."""

    OUTDOOR = "outdoor"  # a level route outside or indoors, e.g. with a walker or trolley
    TREADMILL_LEVEL = "treadmill_level"
    TREADMILL_UPHILL = "treadmill_uphill"


class Walk(Record, kw_only=True):
    """Interval walking: bouts of walking with a flexion break in between.

    One bout is a single continuous walk. The break position is the break
    exercise: the seated hip-hinge lean (C2) or the standing forward lean (S9).
    """

    kind: WalkKind = WalkKind.OUTDOOR
    bouts: Annotated[int, Meta(ge=1, le=10)] = 3
    bout_s: Annotated[float, Meta(gt=0, le=MAX_DURATION_S)] = 300
    break_s: Annotated[float, Meta(gt=0, le=MAX_REST_S)] = 90
    from_walking_test: (
        Annotated[
            float,
            Meta(
                gt=0,
                le=1.5,
                description="When set, a bout lasts this share of the person's own time to "
                "first symptoms from their walking test (0.8 = 80 %).",
            ),
        ]
        | None
    ) = 0.8
    break_exercise: (
        Annotated[Identifier, Meta(description="The exercise shown during the break.")] | None
    ) = "S9"
    max_s: (
        Annotated[
            float,
            Meta(
                gt=0,
                le=MAX_DURATION_S,
                description="The longest one bout may last, however long the walking test "
                "makes it (e.g. 2700 = up to 45 min).",
            ),
        ]
        | None
    ) = None
    stop_at_first_symptoms: Annotated[
        bool,
        Meta(
            description="The person's 'symptoms now' mark ends the bout there, instead of "
            "walking on to its planned end."
        ),
    ] = False


class Dosage(Record, kw_only=True):
    """How much of an exercise: an exercise's default or a routine item's values.

    ``duration_s`` makes a timed item (cycling, breathing); ``walk`` an
    interval-walking item; otherwise the item is counted in reps.
    """

    side: Side = Side.NONE
    sets: Sets = 1
    reps: Reps = 10
    hold_s: HoldS = 0
    relax_s: RelaxS = 3
    rest_s: RestS = 30
    tempo: (
        Annotated[
            Tempo, Meta(description="Counted timing of each rep; null together with self_paced.")
        ]
        | None
    ) = field(default_factory=Tempo)
    self_paced: Annotated[
        bool, Meta(description="The person taps when each rep is done instead of a count.")
    ] = False
    duration_s: DurationS | None = None
    walk: Walk | None = None
    load: Load | None = None

    def __post_init__(self) -> None:
        if self.duration_s is not None and self.walk is not None:
            raise ValueError("an item is either timed (duration_s) or a walk, not both")


class DosageOverride(Record, kw_only=True):
    """The fields a routine item may change; anything left out keeps the default.

    Left-out fields are ``UNSET`` (not ``None``): ``tempo: null`` in a file is a
    change (no counted tempo), a missing ``tempo`` is not.
    """

    side: Side | UnsetType = UNSET
    sets: Sets | UnsetType = UNSET
    reps: Reps | UnsetType = UNSET
    hold_s: HoldS | UnsetType = UNSET
    relax_s: RelaxS | UnsetType = UNSET
    rest_s: RestS | UnsetType = UNSET
    tempo: Tempo | UnsetType | None = UNSET
    self_paced: bool | UnsetType = UNSET
    duration_s: DurationS | UnsetType | None = UNSET
    walk: Walk | UnsetType | None = UNSET
    load: Load | UnsetType | None = UNSET

    def changes(self) -> dict[str, Any]:
        """The dosage fields this override sets, as plain data."""
        data = self.to_data()
        return {name: data[name] for name in DOSE_FIELDS if name in data}

    def apply_to(self, base: Dosage) -> Dosage:
        return Dosage.from_data(base.to_data() | self.changes())


DOSE_FIELDS: tuple[str, ...] = DosageOverride.__struct_fields__
"""The fields of a dose a routine item may change (a RoutineItem adds exercise and note)."""


class Variant(Record, kw_only=True):
    """An easier or harder version: another exercise, or a described change.

    A variant done as the same exercise may bring its own words: they replace
    the exercise's summary, steps, cue or breathing line wherever the variant
    is played or printed. A bone-safe variant needs them when the exercise's
    own words ask for a round back, which weak bones must not be told.
    """

    exercise: Identifier | None = None
    text: Text | None = None
    summary: Text | None = None
    steps: Annotated[list[Text], Meta(min_length=3, max_length=6)] | None = None
    cue: Text | None = None
    breathing: Text | None = None

    def __post_init__(self) -> None:
        if self.exercise is None and self.text is None:
            raise ValueError("give an exercise id, a text, or both")
        if self.exercise is not None and self.has_own_words:
            # Another exercise comes with its own words; two sets would disagree.
            raise ValueError("a variant that names another exercise cannot bring its own words")

    @property
    def has_own_words(self) -> bool:
        return any(w is not None for w in (self.summary, self.steps, self.cue, self.breathing))


class Illustrations(Record, kw_only=True):
    """Pictures of the start and end pose, and optionally the pose to avoid.

    Paths are relative to the assets folder for built-in exercises, and to the
    file's own folder for a clinic's exercises; they may not leave it.
    """

    start: str
    end: str
    avoid: str | None = None
    avoid_caption: Text | None = None

    def paths(self) -> list[str]:
        return [p for p in (self.start, self.end, self.avoid) if p]


class Exercise(Record, kw_only=True):
    format_version: FormatVersion = FORMAT_VERSION
    kind: Literal["exercise"] = "exercise"
    id: Identifier
    category: Category
    title: Text
    summary: Text | None = None
    start_position: Text
    steps: Annotated[list[Text], Meta(min_length=3, max_length=6)]
    dosage: Dosage
    dosage_text: (
        Annotated[
            Text, Meta(description="The dose in words, as the sheet shows it (e.g. build to 10 s).")
        ]
        | None
    ) = None
    cue: Annotated[Text, Meta(description="The one line against overarching the lower back.")]
    breathing: (
        Annotated[
            Text, Meta(description="Required when the exercise has a hold: never hold the breath.")
        ]
        | None
    ) = None
    mistakes: list[Text] = field(default_factory=list)
    cautions: list[Text] = field(default_factory=list)
    easier: Variant | None = None
    harder: Variant | None = None
    bone_safe: (
        Annotated[Variant, Meta(description="What to do instead in bone-safe mode (osteoporosis).")]
        | None
    ) = None
    tags: list[Tag] = field(default_factory=list)
    lumbar_extension: bool = False
    illustrations: Illustrations

    def __post_init__(self) -> None:
        if self.dosage.hold_s > 0 and self.breathing is None:
            raise ValueError("an exercise with a hold needs a breathing cue ('breathing')")
        if self.lumbar_extension != (Tag.LUMBAR_EXTENSION in self.tags):
            raise ValueError("lumbar_extension: true and the 'lumbar_extension' tag go together")

    def in_words_of(self, variant: Variant) -> Exercise:
        """This exercise as the variant describes it: its own words where it has them."""
        if not variant.has_own_words:
            return self
        return self.replace(
            summary=variant.summary or self.summary,
            steps=list(variant.steps) if variant.steps is not None else self.steps,
            cue=variant.cue or self.cue,
            breathing=variant.breathing or self.breathing,
        )


def _every_day() -> list[Day]:
    return list(WEEK)


class Schedule(Record, kw_only=True):
    """How often: on fixed weekdays, or ``times_per_week`` days of the person's choosing.

    With ``times_per_week`` the ``days`` are the days it may fall on (every day
    unless narrowed), and each of those exercise days still plans
    ``times_per_day`` sessions.
    """

    times_per_day: Annotated[int, Meta(ge=1, le=3)] = 1
    days: Annotated[list[Day], Meta(min_length=1)] = field(default_factory=_every_day)
    times_per_week: (
        Annotated[
            int,
            Meta(
                ge=1,
                le=7,
                description="Exercise days a week, on any of 'days' (e.g. 2: twice a week); "
                "leave it out for fixed weekdays.",
            ),
        ]
        | None
    ) = None
    text: Annotated[Text, Meta(description="How often, in words.")] | None = None

    def __post_init__(self) -> None:
        if len(set(self.days)) != len(self.days):
            raise FieldProblem("days", "a day is listed twice")
        if self.times_per_week is not None and self.times_per_week > len(self.days):
            raise FieldProblem(
                "times_per_week",
                f"{self.times_per_week} times a week cannot fit on {len(self.days)} "
                "possible day(s): allow more days or ask for fewer times",
            )

    @property
    def flexible(self) -> bool:
        """True when the person picks the days (n times a week), not the calendar."""
        return self.times_per_week is not None


class KeepMark(Record, kw_only=True):
    """A clinician's "keep, I know this patient's history", with name and date."""

    by: Annotated[str, Meta(min_length=1, max_length=200)]
    on: date


class RoutineItem(DosageOverride, kw_only=True):
    exercise: Identifier
    note: Annotated[Text, Meta(description="A personal note from the clinician.")] | None = None
    keep: (
        Annotated[
            KeepMark,
            Meta(
                description="Kept although the patient's health answers would leave it out "
                "(a clinician's plan only; the lumbar-extension permission is separate)."
            ),
        ]
        | None
    ) = None
    # CERT (items 8 and 13): how the dose grows, where it starts, how it may be tailored.
    progression: (
        Annotated[
            Text,
            Meta(description="The progression rule, e.g. '+1 rep a week up to 15'."),
        ]
        | None
    ) = None
    starting_level: (
        Annotated[Text, Meta(description="Where the patient starts, e.g. 'seated version'.")] | None
    ) = None
    tailoring: (
        Annotated[Text, Meta(description="How the item may be tailored to the patient.")] | None
    ) = None


class Permissions(Record, kw_only=True):
    """What a clinician allowed for one patient, beyond the safe defaults."""

    allow_extension: Annotated[
        list[Identifier], Meta(description="Lumbar-extension exercises this patient may do.")
    ] = field(default_factory=list)
    allowed_by: Annotated[str, Meta(max_length=200)] | None = None


class Routine(Record, kw_only=True):
    format_version: FormatVersion = FORMAT_VERSION
    kind: Literal["routine"] = "routine"
    id: Identifier
    title: Text
    description: Text
    items: Annotated[list[RoutineItem], Meta(min_length=1, max_length=30)]
    schedule: Schedule = field(default_factory=Schedule)
    permissions: Permissions = field(default_factory=Permissions)
    chair_only: Annotated[bool, Meta(description="No floor work: safe for everyone.")] = False

    def exercise_ids(self) -> list[str]:
        return [item.exercise for item in self.items]
