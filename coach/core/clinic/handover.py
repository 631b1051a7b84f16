"""The plan a physiotherapist hands over: the records both sides agree on.

The clinic builds a plan from its library and checks it here against the exercises
every Coach has, so that what it hands over is never refused at home; the patient's
Coach reads the very same records back (coach.core.clinic.handover_file). A ``.coach``
file is a zip archive holding ``manifest.yaml`` (the patient, the clinician, goals,
dates, the routines, the clinic's own exercises, permissions and measures) and the
pictures of the clinic's exercises under ``pictures/``.
"""

from __future__ import annotations

import io
import re
import secrets
import stat
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml

from coach.core.clinic.goals import (
    MAX_GOALS,
    MAX_WEEKS,
    Goal,
    goal_line,
    programme_week,
    week_of_text,
)
from coach.core.common.atomic import write_bytes_atomic, write_text_atomic
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import (
    PictureError,
    picture_kind,
    picture_suffix,
    read_picture,
)
from coach.core.content.library import Library, unknown_exercise_message
from coach.core.content.model import (
    FORMAT_VERSION,
    Exercise,
    Identifier,
    Permissions,
    Routine,
    RoutineItem,
    Text,
)
from coach.core.content.records import (
    FieldProblem,
    Invalid,
    Loc,
    Meta,
    Record,
    field,
    field_path,
    one_line,
)
from coach.core.session.personal import AS_WRITTEN

try:  # the same dumper as coach.core.content.files
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

ASSIGNMENT_FORMAT_VERSION = 3
"""The newest hand-over file format this Coach reads and writes.

2 adds the patient's id (``patient.id``); a Coach that reads only 1 would refuse it
as an unknown field, so it is told plainly that the plan is newer instead. 3 adds the
programme's length (``weeks``), goals with a German text and a baseline score, "n
times a week" schedules and the items' progression, starting level and tailoring."""

ASSIGNMENT_SUFFIX = ".coach"

MANIFEST = "manifest.yaml"
_PICTURE_MEMBER = re.compile(r"^pictures/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")

MeasureName = Literal["pain", "walking_test", "psfs", "chair_stand"]
MEASURE_NAMES: tuple[MeasureName, ...] = ("pain", "walking_test", "psfs", "chair_stand")
DEFAULT_MEASURES: tuple[MeasureName, ...] = ("pain", "walking_test")


class HandoverError(Exception):
    """A hand-over or report file that cannot be used, or an install that failed.

    ``message`` is one line for a person; ``details`` lists every problem
    found. Whatever was stored before is unchanged when this is raised.
    """

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        # A message quotes what the file holds (a member's name): kept on one line.
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.details = [one_line(d) for d in details] or [message]


# --------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------


MAX_NAME = 120
# The length is checked in _name, once the blanks around the name are gone.
Name = Annotated[str, Meta(description=f"Up to {MAX_NAME} characters.")]


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        raise FieldProblem("name", "must not be empty")
    if len(name) > MAX_NAME:
        raise FieldProblem("name", f"must be at most {MAX_NAME} characters long")
    return name


def _blank_to_none(value: str | None) -> str | None:
    return (value or "").strip() or None


class Contact(Record, kw_only=True):
    """The clinician and how to reach them: printed on the sheet and the summary."""

    name: Name
    clinic: Annotated[str, Meta(max_length=200)] | None = None
    phone: Annotated[str, Meta(max_length=60)] | None = None
    email: Annotated[str, Meta(max_length=200)] | None = None

    def __post_init__(self) -> None:
        self.name = _name(self.name)
        self.clinic = _blank_to_none(self.clinic)
        self.phone = _blank_to_none(self.phone)
        self.email = _blank_to_none(self.email)

    def line(self) -> str:
        return ", ".join(p for p in (self.name, self.clinic, self.phone, self.email) if p)


class Patient(Record, kw_only=True):
    name: Name
    # Made at random by the clinic for the first plan and kept for every later one:
    # the clinic puts all reports of one patient together by it, whatever the name
    # says (two Maria Müllers, a name written differently the next time).
    id: Identifier | None = None

    def __post_init__(self) -> None:
        self.name = _name(self.name)


def new_patient_id() -> str:
    """A patient id nobody can guess from the name: 'pt-' and 12 random hex digits."""
    return f"pt-{secrets.token_hex(6)}"


class ProfileHints(Record, kw_only=True):
    """What the clinician knows about the patient's health that changes the offer.

    Only ever switches a health-profile answer on (a plan never tells the app
    to forget an osteoporosis answer the person gave).
    """

    osteoporosis: bool | None = None
    low_trauma_fracture: bool | None = None
    long_term_steroids: bool | None = None
    cannot_use_floor: bool | None = None
    fall_last_year: bool | None = None
    back_operation_recent: bool | None = None
    heart_or_bp_uncontrolled: bool | None = None
    diabetes: bool | None = None
    blood_thinners: bool | None = None
    neuropathy: bool | None = None
    dizziness_on_standing: bool | None = None

    def active(self) -> list[str]:
        return [name for name in self.__struct_fields__ if getattr(self, name)]


HINT_LABELS: dict[str, str] = {
    "osteoporosis": "Osteoporosis (bone-safe mode)",
    "low_trauma_fracture": "A fracture from a minor fall or a spine fracture",
    "long_term_steroids": "Long-term steroids",
    "cannot_use_floor": "Cannot get down to the floor safely",
    "fall_last_year": "A fall in the last year",
    "back_operation_recent": "Back operation in the last 3 months",
    "heart_or_bp_uncontrolled": "Heart or blood pressure not under control",
    "diabetes": "Diabetes",
    "blood_thinners": "Blood thinners",
    "neuropathy": "Neuropathy or usual numbness",
    "dizziness_on_standing": "Dizziness on standing up",
}


Progression = Annotated[Text, Meta(description="The progression rule and next step.")]


def _default_measures() -> list[MeasureName]:
    return list(DEFAULT_MEASURES)


class Assignment(Record, kw_only=True, dict=True):
    """Everything a physiotherapist hands over for one patient.

    The pictures of the clinic's exercises travel with it (``pictures``, keyed
    by their ``pictures/...`` name) but are not part of the manifest. They sit
    in the instance's ``__dict__`` (``dict=True``), which msgspec leaves out of
    reading, writing and comparing, so the plan and its pictures stay one
    object for every caller.
    """

    format_version: int = ASSIGNMENT_FORMAT_VERSION
    kind: Literal["assignment"] = "assignment"
    id: Identifier
    created: datetime
    patient: Patient
    clinician: Contact
    goals: Annotated[
        list[Goal],
        Meta(
            max_length=MAX_GOALS,
            description="The activities the patient wants back (PSFS), in their words, "
            "with the score they start from.",
        ),
    ] = field(default_factory=list)
    start: date
    weeks: (
        Annotated[int, Meta(ge=1, le=MAX_WEEKS, description="The programme's length in weeks.")]
        | None
    ) = None
    review: date | None = None
    progression: Progression | None = None
    measures: list[MeasureName] = field(default_factory=_default_measures)
    routines: Annotated[list[Routine], Meta(min_length=1, max_length=10)]
    exercises: Annotated[list[Exercise], Meta(max_length=40)] = field(default_factory=list)
    permissions: Permissions = field(default_factory=Permissions)
    profile_hints: ProfileHints | None = None

    def __post_init__(self) -> None:
        if self.created.tzinfo is None or self.created.utcoffset() is None:
            raise FieldProblem("created", "the creation time needs a time zone (e.g. ending in Z)")
        self.created = self.created.astimezone(UTC)
        # Built in code, a goal may still be a plain string: the same reading as a file's.
        goals: list[Goal] = []
        for i, goal in enumerate(self.goals):
            try:
                goals.append(goal if isinstance(goal, Goal) else Goal.from_data(goal))
            except (TypeError, ValueError) as exc:
                raise FieldProblem(("goals", i), str(exc)) from None
        self.goals = goals
        self.measures = list(dict.fromkeys(self.measures))
        if self.review is not None and self.review < self.start:
            raise FieldProblem("review", "the review date is before the start date")
        for name, ids in (
            ("routine", [r.id for r in self.routines]),
            ("exercise", [e.id for e in self.exercises]),
        ):
            seen: set[str] = set()
            for i, ident in enumerate(ids):
                if ident in seen:
                    raise FieldProblem(
                        (f"{name}s", i, "id"), f"the {name} id '{ident}' appears twice"
                    )
                seen.add(ident)

    @property
    def pictures(self) -> dict[str, bytes]:
        pictures: dict[str, bytes] = self.__dict__.setdefault("_pictures", {})
        return pictures

    def with_pictures(self, pictures: Mapping[str, bytes]) -> Self:
        self.__dict__["_pictures"] = dict(pictures)
        return self

    def replace(self, **changes: Any) -> Self:
        # msgspec copies the fields only; the pictures belong to the copy too.
        return super().replace(**changes).with_pictures(self.pictures)

    def exercise(self, ident: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == ident), None)

    def goal_texts(self, lang: str = "en") -> list[str]:
        return [g.get(lang) for g in self.goals]

    @property
    def end(self) -> date | None:
        """The day after the programme's last week, when it has a length."""
        return self.start + timedelta(weeks=self.weeks) if self.weeks else None

    def week_on(self, day: date) -> int | None:
        return programme_week(self.start, self.weeks, day)

    def allowed_extension(self, routine: Routine) -> set[str]:
        return set(routine.permissions.allow_extension) | set(self.permissions.allow_extension)


def _readable_order(item: dict[str, Any]) -> dict[str, Any]:
    """Routine items read best with the exercise first and the note last."""
    out = dict(item)
    head = {"exercise": out.pop("exercise")} if "exercise" in out else {}
    tail = {"note": out.pop("note")} if "note" in out else {}
    return head | out | tail


def yaml_text(record: Record) -> str:
    """Readable YAML for a document; explicit nulls (``tempo: null``) are kept."""
    data = record.to_data(drop_default_none=True)
    if "items" in data:
        data["items"] = [_readable_order(item) for item in data["items"]]
    if "routines" in data:
        for routine in data["routines"]:
            routine["items"] = [_readable_order(item) for item in routine["items"]]
    return yaml.dump(
        _whole_numbers(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88
    )


def _whole_numbers(data: Any) -> Any:
    """``hold_s: 5`` rather than ``5.0``: the way a person writes it."""
    if isinstance(data, float) and data.is_integer():
        return int(data)
    if isinstance(data, dict):
        return {k: _whole_numbers(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_whole_numbers(v) for v in data]
    return data


# --------------------------------------------------------------------------
# Checks against the library
# --------------------------------------------------------------------------


def builtin_exercise_ids(library: Library) -> set[str]:
    return {i for i in library.exercises if library.origin("exercise", i) == "builtin"}


def _details(problems: Iterable[tuple[Loc, str]]) -> list[str]:
    """One ``field.path: message`` line per problem, for HandoverError.details."""
    return [f"{field_path(loc)}: {message}" for loc, message in problems]


def check_assignment(assignment: Assignment, library: Library) -> list[tuple[Loc, str]]:
    """Problems of a plan against this Coach's built-in exercises (empty: fine).

    A routine may use built-in exercises and the exercises in the file, nothing
    else: the patient's own files are not part of what the clinician planned.
    """
    problems: list[tuple[Loc, str]] = []
    builtin = builtin_exercise_ids(library)
    own = {e.id: e for e in assignment.exercises}
    known = builtin | set(own)
    exercises: dict[str, Exercise] = {
        i: library.exercises[i] for i in builtin if i in library.exercises
    }
    for i, ex in enumerate(assignment.exercises):
        loc: Loc = ("exercises", i)
        if ex.format_version > FORMAT_VERSION:
            problems.append(((*loc, "format_version"), _newer(ex.format_version)))
        if ex.id in builtin:
            problems.append(
                (
                    (*loc, "id"),
                    f"'{ex.id}' is the id of a built-in exercise; the clinic's exercise "
                    "needs an id of its own",
                )
            )
            continue
        exercises[ex.id] = ex
        for name in ("easier", "harder", "bone_safe"):
            variant = getattr(ex, name)
            if variant is not None and variant.exercise and variant.exercise not in known:
                problems.append(
                    ((*loc, name, "exercise"), unknown_exercise_message(variant.exercise, known))
                )
        walk = ex.dosage.walk
        if walk is not None and walk.break_exercise and walk.break_exercise not in known:
            problems.append(
                (
                    (*loc, "dosage", "walk", "break_exercise"),
                    unknown_exercise_message(walk.break_exercise, known),
                )
            )
        for frame in ("start", "end", "avoid"):
            ref = getattr(ex.illustrations, frame)
            if ref is None:
                continue
            if not _PICTURE_MEMBER.match(ref) or picture_kind(ref) is None:
                problems.append(
                    (
                        (*loc, "illustrations", frame),
                        f"picture '{ref}' must be a PNG, JPEG or SVG under pictures/",
                    )
                )
            elif ref not in assignment.pictures:
                problems.append(
                    ((*loc, "illustrations", frame), f"picture '{ref}' is not in the file")
                )
    for r, routine in enumerate(assignment.routines):
        loc = ("routines", r)
        if routine.format_version > FORMAT_VERSION:
            problems.append(((*loc, "format_version"), _newer(routine.format_version)))
        allowed = assignment.allowed_extension(routine)
        ok = True
        for i, item in enumerate(routine.items):
            used = exercises.get(item.exercise)
            if used is None:
                problems.append(
                    (
                        (*loc, "items", i, "exercise"),
                        unknown_exercise_message(item.exercise, known),
                    )
                )
                ok = False
                continue
            if used.lumbar_extension and item.exercise not in allowed:
                problems.append(
                    (
                        (*loc, "items", i, "exercise"),
                        f"'{item.exercise}' arches the lower back (lumbar extension) and the "
                        "plan does not allow it for this patient",
                    )
                )
            try:
                item.apply_to(used.dosage)
            except Invalid as exc:
                problems.append(((*loc, "items", i), f"dosage does not fit: {exc}"))
                ok = False
        if ok:
            try:
                AS_WRITTEN.plan_for(routine, exercises)
            except ValueError as exc:
                problems.append((loc, f"cannot be turned into steps: {exc}"))
    return problems


def _newer(version: int) -> str:
    return (
        f"this plan was made with a newer Coach (format {version}); this Coach reads up to "
        f"format {ASSIGNMENT_FORMAT_VERSION}. Please update Coach."
    )


# --------------------------------------------------------------------------
# Building and writing (the clinic's side)
# --------------------------------------------------------------------------


def new_assignment_id(created: datetime) -> str:
    return f"{created.astimezone(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def build_assignment(
    routines: Sequence[Routine],
    library: Library,
    *,
    patient: str,
    clinician: Contact,
    goals: Sequence[str | Goal] = (),
    start: date | None = None,
    review: date | None = None,
    weeks: int | None = None,
    measures: Sequence[MeasureName] = DEFAULT_MEASURES,
    progression: Text | None = None,
    profile_hints: ProfileHints | None = None,
    created: datetime | None = None,
    assignment_id: str | None = None,
    patient_id: str | None = None,
) -> Assignment:
    """Put routines from the clinic's library into a hand-over, pictures included.

    Every exercise that is not built in (the clinic's own) goes into the file
    with its pictures, so the patient's Coach needs nothing else. ``patient_id``
    is the id the clinic gave this patient before (a new one when None). A
    programme of ``weeks`` without a review date is reviewed when it ends. Raises
    HandoverError if the result would be refused at home.
    """
    created = created or datetime.now(UTC)
    start = start or created.astimezone().date()
    if review is None and weeks:
        review = start + timedelta(weeks=weeks)
    builtin = builtin_exercise_ids(library)
    wanted: list[str] = []

    def want(ident: str | None) -> None:
        if ident and ident not in builtin and ident not in wanted and ident in library.exercises:
            wanted.append(ident)
            ex = library.exercises[ident]
            for variant in (ex.easier, ex.harder, ex.bone_safe):
                want(variant.exercise if variant is not None else None)
            want(ex.dosage.walk.break_exercise if ex.dosage.walk else None)

    for routine in routines:
        for ident in routine.exercise_ids():
            want(ident)
    pictures: dict[str, bytes] = {}
    names: dict[Path, str] = {}  # one copy of a picture used for several frames
    exercises: list[Exercise] = []
    for ident in wanted:
        ex = library.exercises[ident]
        refs: dict[str, str] = {}
        for frame in ("start", "end", "avoid"):
            if getattr(ex.illustrations, frame) is None:
                continue
            path = library.illustration(ident, frame)
            if path is None:
                raise HandoverError(
                    f"The picture ({frame}) of '{ex.title.get()}' is missing; "
                    "choose it again in the exercise."
                )
            if path in names:
                refs[frame] = names[path]
                continue
            try:
                data, info = read_picture(path)
            except PictureError as exc:
                raise HandoverError(f"The picture of '{ex.title.get()}': {exc}.") from None
            name = f"pictures/{ident}-{frame}{picture_suffix(info.kind)}"
            pictures[name] = data
            names[path] = name
            refs[frame] = name
        exercises.append(ex.replace(illustrations=ex.illustrations.replace(**refs)))
    allow: list[str] = []
    allowed_by = None
    for routine in routines:
        allow += [i for i in routine.permissions.allow_extension if i not in allow]
        allowed_by = allowed_by or routine.permissions.allowed_by
    if allow and not allowed_by:
        allowed_by = clinician.name
    # Read from plain data, so that what the clinic typed or built in code
    # (contact, routines) is checked as the patient's Coach will check it.
    try:
        assignment = Assignment.from_data(
            {
                "id": assignment_id or new_assignment_id(created),
                "created": created,
                "patient": {"name": patient, "id": patient_id or new_patient_id()},
                "clinician": clinician.to_data(),
                "goals": [g.to_data() if isinstance(g, Goal) else g for g in goals],
                "start": start,
                "weeks": weeks,
                "review": review,
                "progression": progression.to_data() if progression else None,
                "measures": list(measures),
                "routines": [r.to_data() for r in routines],
                "exercises": [e.to_data() for e in exercises],
                "permissions": {"allow_extension": allow, "allowed_by": allowed_by},
                "profile_hints": profile_hints.to_data() if profile_hints else None,
            }
        )
    except Invalid as exc:
        details = _details(exc.problems)
        raise HandoverError(f"The plan cannot be handed over: {details[0]}", details) from None
    assignment.with_pictures(pictures)
    problems = check_assignment(assignment, library)
    if problems:
        details = _details(problems)
        raise HandoverError(f"The plan cannot be handed over: {details[0]}", details)
    return assignment


def assignment_bytes(assignment: Assignment) -> bytes:
    """The .coach archive: the manifest first, then the pictures, deflated."""
    buffer = io.BytesIO()
    stamp = assignment.created.astimezone(UTC)
    date_time = (max(1980, stamp.year), stamp.month, stamp.day, stamp.hour, stamp.minute, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        members = [(MANIFEST, yaml_text(assignment).encode("utf-8"))]
        members += sorted(assignment.pictures.items())
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def write_assignment(path: Path, assignment: Assignment) -> Path:
    """Write the hand-over file atomically; adds the .coach ending if missing."""
    path = Path(path)
    if path.suffix.lower() != ASSIGNMENT_SUFFIX:
        path = path.with_name(path.name + ASSIGNMENT_SUFFIX)
    write_bytes_atomic(path, assignment_bytes(assignment))
    return path


def handed_over_folder(paths: Paths) -> Path:
    """The clinic's copies of the plans it handed over."""
    return paths.data / "clinic" / "handed-over"


def keep_handed_over_copy(paths: Paths, assignment: Assignment) -> Path:
    target = handed_over_folder(paths) / f"{assignment.id}{ASSIGNMENT_SUFFIX}"
    write_bytes_atomic(target, assignment_bytes(assignment))
    return target


def clinic_contact_file(paths: Paths) -> Path:
    return paths.data / "clinic" / "contact.json"


def load_clinic_contact(paths: Paths) -> Contact | None:
    """The clinician's own contact as last used on this computer (for the next hand-over)."""
    try:
        return Contact.from_json(clinic_contact_file(paths).read_bytes())
    except (OSError, ValueError):
        return None


def save_clinic_contact(paths: Paths, contact: Contact) -> None:
    write_text_atomic(clinic_contact_file(paths), contact.to_json() + "\n")


def dose_text(item: RoutineItem, exercise: Exercise) -> str:
    """The dose of one item in a few words: '2 × 10, hold 5 s, each side'."""
    d = item.apply_to(exercise.dosage)
    if d.walk is not None:
        text = f"{d.walk.bouts} walks of about {round(d.walk.bout_s / 60)} min"
    elif d.duration_s:
        text = f"{max(1, round(d.duration_s / 60))} min"
    else:
        text = f"{d.sets} × {d.reps}" if d.sets > 1 else f"{d.reps} times"
        if d.hold_s:
            text += f", hold {d.hold_s:g} s"
    if d.side.value == "both":
        text += ", each side"
    elif d.side.value == "alternate":
        text += ", sides in turn"
    elif d.side.value in ("left", "right"):
        text += f", {d.side.value} side"
    if d.load:
        text += f", {d.load}"
    return text


ITEM_PLAN_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("starting_level", "Starts at", "Beginnt mit"),
    ("progression", "Progression", "Steigerung"),
    ("tailoring", "Tailoring", "Anpassen"),
)
"""The CERT fields of an item, with their captions in English and German."""


def item_plan_texts(item: RoutineItem, lang: str = "en") -> list[tuple[str, str]]:
    """(caption, text) for each CERT field the item has, in the order a clinician reads them."""
    out = []
    for name, en, de in ITEM_PLAN_FIELDS:
        text: Text | None = getattr(item, name)
        if text is not None:
            out.append((de if lang == "de" else en, text.get(lang)))
    return out


def describe_assignment(
    assignment: Assignment, library: Library, lang: str = "en", today: date | None = None
) -> list[str]:
    """A plain-text summary: who, when, and every routine with its exercises and doses.

    ``today`` adds where the programme stands ("now in week 3 of 6").
    """
    from coach.core.content.wording import schedule_text

    a = assignment
    lines = [f"Plan for {a.patient.name} from {a.clinician.line()}"]
    when = f"Starts {a.start:%d %b %Y}"
    if a.weeks:
        when += f", {a.weeks} weeks"
    if a.review:
        when += f", review on {a.review:%d %b %Y}"
    now = week_of_text(a.start, a.weeks, today) if today is not None else ""
    if now:
        when += f"; now in {now}"
    lines.append(when)
    if a.goals:
        lines.append("Goals: " + "; ".join(goal_line(g, lang) for g in a.goals))
    exercises = dict(library.exercises) | {e.id: e for e in a.exercises}
    for routine in a.routines:
        try:
            # As the clinician wrote it: the patient's changes come back in the report.
            seconds = AS_WRITTEN.plan_for(routine, exercises).total_seconds
            minutes = f", about {max(1, round(seconds / 60))} min"
        except ValueError:
            minutes = ""
        often = schedule_text(routine.schedule, lang)
        count = len(routine.items)
        lines.append(f"{routine.title.get(lang)} ({count} exercises{minutes}; {often})")
        for n, item in enumerate(routine.items, 1):
            ex = exercises.get(item.exercise)
            if ex is None:
                continue
            note = f" – {item.note.get(lang)}" if item.note else ""
            lines.append(f"  {n}. {ex.title.get(lang)}: {dose_text(item, ex)}{note}")
            for caption, text in item_plan_texts(item, lang):
                lines.append(f"     {caption}: {text}")
    if a.permissions.allow_extension:
        lines.append(
            "Allowed although they arch the back: "
            + ", ".join(a.permissions.allow_extension)
            + (f" (by {a.permissions.allowed_by})" if a.permissions.allowed_by else "")
        )
    return lines


# --------------------------------------------------------------------------
# Reading (the patient's side): the file is hostile until proven otherwise
