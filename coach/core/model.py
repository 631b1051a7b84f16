"""The domain model of Coach: exercises, routines and their dosage.

Everything a routine file can say is defined here once, with its limits, so
that the YAML loader, the JSON Schema shipped for editors and the player all
agree. Text fields are per-language mappings; English is required and every
other language falls back to it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    field_validator,
    model_validator,
)

from coach.core.days import WEEK, Day

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

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
        description="Letters, digits, '-', '_' or '.', up to 64 characters.",
    ),
]


class Text(RootModel[dict[str, str]]):
    """A text in several languages: ``{en: ..., de: ...}``; English is required."""

    @field_validator("root")
    @classmethod
    def _english_required(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("en", "").strip():
            raise ValueError("an English text ('en') is required")
        for lang, text in value.items():
            if lang not in LANGUAGES:
                raise ValueError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"the '{lang}' text is empty")
        return value

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


class Tempo(BaseModel):
    """Counted rep timing: move out, hold at the end, come back."""

    model_config = ConfigDict(extra="forbid")

    out_s: float = Field(2, gt=0, le=30)
    back_s: float = Field(3, gt=0, le=30)


class Walk(BaseModel):
    """Interval walking: bouts of walking with a flexion break in between."""

    model_config = ConfigDict(extra="forbid")

    bouts: int = Field(3, ge=1, le=10)
    bout_s: float = Field(300, gt=0, le=MAX_DURATION_S)
    break_s: float = Field(90, gt=0, le=MAX_REST_S)
    from_walking_test: float | None = Field(
        0.8,
        gt=0,
        le=1.5,
        description="When set, a bout lasts this share of the person's own time to "
        "first symptoms from their walking test (0.8 = 80 %).",
    )
    break_exercise: Identifier | None = Field(
        "S9", description="The exercise shown during the break (the flexion break)."
    )


class Dosage(BaseModel):
    """How much of an exercise: an exercise's default or a routine item's values.

    ``duration_s`` makes a timed item (cycling, breathing); ``walk`` an
    interval-walking item; otherwise the item is counted in reps.
    """

    model_config = ConfigDict(extra="forbid")

    side: Side = Side.NONE
    sets: int = Field(1, ge=1, le=MAX_SETS)
    reps: int = Field(10, ge=1, le=MAX_REPS)
    hold_s: float = Field(0, ge=0, le=MAX_HOLD_S, description="Hold at the end position.")
    relax_s: float = Field(3, ge=0, le=MAX_REST_S, description="Relax between two reps.")
    rest_s: float = Field(30, ge=0, le=MAX_REST_S, description="Rest between sets.")
    tempo: Tempo | None = Field(
        default_factory=Tempo,
        description="Counted timing of each rep; null together with self_paced.",
    )
    self_paced: bool = Field(
        False, description="The person taps when each rep is done instead of a count."
    )
    duration_s: float | None = Field(
        None, gt=0, le=MAX_DURATION_S, description="For timed items (cycling, breathing)."
    )
    walk: Walk | None = None
    load: str | None = Field(None, max_length=80, description="kg, band colour or effort.")

    @model_validator(mode="after")
    def _consistent(self) -> Dosage:
        if self.duration_s is not None and self.walk is not None:
            raise ValueError("an item is either timed (duration_s) or a walk, not both")
        return self


class DosageOverride(BaseModel):
    """The fields a routine item may change; anything left out keeps the default."""

    model_config = ConfigDict(extra="forbid")

    side: Side | None = None
    sets: int | None = Field(None, ge=1, le=MAX_SETS)
    reps: int | None = Field(None, ge=1, le=MAX_REPS)
    hold_s: float | None = Field(None, ge=0, le=MAX_HOLD_S)
    relax_s: float | None = Field(None, ge=0, le=MAX_REST_S)
    rest_s: float | None = Field(None, ge=0, le=MAX_REST_S)
    tempo: Tempo | None = None
    self_paced: bool | None = None
    duration_s: float | None = Field(None, gt=0, le=MAX_DURATION_S)
    walk: Walk | None = None
    load: str | None = Field(None, max_length=80)

    def apply_to(self, base: Dosage) -> Dosage:
        changes = self.model_dump(include=set(DosageOverride.model_fields), exclude_unset=True)
        return Dosage.model_validate(base.model_dump() | changes)


class Variant(BaseModel):
    """An easier or harder version: another exercise, or a described change."""

    model_config = ConfigDict(extra="forbid")

    exercise: Identifier | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _something(self) -> Variant:
        if self.exercise is None and self.text is None:
            raise ValueError("give an exercise id, a text, or both")
        return self


class Illustrations(BaseModel):
    """Pictures of the start and end pose, and optionally the pose to avoid.

    Paths are relative to the assets folder for built-in exercises, and to the
    file's own folder for a clinic's exercises; they may not leave it.
    """

    model_config = ConfigDict(extra="forbid")

    start: str
    end: str
    avoid: str | None = None
    avoid_caption: Text | None = None

    def paths(self) -> list[str]:
        return [p for p in (self.start, self.end, self.avoid) if p]


class Exercise(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format_version: int = FORMAT_VERSION
    kind: Literal["exercise"] = "exercise"
    id: Identifier
    category: Category
    title: Text
    summary: Text | None = None
    start_position: Text
    steps: list[Text] = Field(min_length=3, max_length=6)
    dosage: Dosage
    dosage_text: Text | None = Field(
        None, description="The dose in words, as the sheet shows it (e.g. build to 10 s)."
    )
    cue: Text = Field(description="The one line against overarching the lower back.")
    breathing: Text | None = Field(
        None, description="Required when the exercise has a hold: never hold the breath."
    )
    mistakes: list[Text] = Field(default_factory=list)
    cautions: list[Text] = Field(default_factory=list)
    easier: Variant | None = None
    harder: Variant | None = None
    bone_safe: Variant | None = Field(
        None, description="What to do instead in bone-safe mode (osteoporosis)."
    )
    tags: list[Tag] = Field(default_factory=list)
    lumbar_extension: bool = False
    illustrations: Illustrations

    @model_validator(mode="after")
    def _rules(self) -> Exercise:
        if self.dosage.hold_s > 0 and self.breathing is None:
            raise ValueError("an exercise with a hold needs a breathing cue ('breathing')")
        if self.lumbar_extension != (Tag.LUMBAR_EXTENSION in self.tags):
            raise ValueError("lumbar_extension: true and the 'lumbar_extension' tag go together")
        return self


class Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    times_per_day: int = Field(1, ge=1, le=3)
    days: list[Day] = Field(
        default_factory=lambda: list(WEEK),
        min_length=1,
    )
    text: Text | None = Field(None, description="How often, in words.")

    @field_validator("days")
    @classmethod
    def _unique_days(cls, days: list[str]) -> list[str]:
        if len(set(days)) != len(days):
            raise ValueError("a day is listed twice")
        return days


class RoutineItem(DosageOverride):
    exercise: Identifier
    note: Text | None = Field(None, description="A personal note from the clinician.")


class Permissions(BaseModel):
    """What a clinician allowed for one patient, beyond the safe defaults."""

    model_config = ConfigDict(extra="forbid")

    allow_extension: list[Identifier] = Field(
        default_factory=list,
        description="Lumbar-extension exercises this patient may do.",
    )
    allowed_by: str | None = Field(None, max_length=200)


class Routine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format_version: int = FORMAT_VERSION
    kind: Literal["routine"] = "routine"
    id: Identifier
    title: Text
    description: Text
    items: list[RoutineItem] = Field(min_length=1, max_length=30)
    schedule: Schedule = Field(default_factory=Schedule)
    permissions: Permissions = Field(default_factory=Permissions)
    chair_only: bool = Field(False, description="No floor work: safe for everyone.")

    def exercise_ids(self) -> list[str]:
        return [item.exercise for item in self.items]
