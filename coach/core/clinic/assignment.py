"""The hand-over file: a physiotherapist's plan for one patient, and the report back.

A ``.coach`` file is a zip archive holding ``manifest.yaml`` (who, what, when:
the patient, the clinician and clinic contact, goals, start and review dates,
the routines with their schedules, the clinic's own exercises, permissions,
the measures to record) and the clinic's pictures under ``pictures/``. It
travels by mail or USB stick, so reading treats it as hostile:

- size limits for the archive, for each member and for all of them unpacked,
  and a compression-ratio limit (a "zip bomb" is a small file that unpacks to
  gigabytes);
- member names that could escape a folder (``../``, absolute paths,
  backslashes, drive letters), symbolic links, encrypted or oddly compressed
  members, duplicates and unknown names are refused;
- pictures are checked from their bytes (format, structure, dimensions from
  the header) before anything decodes them;
- the manifest is read with the safe YAML loader under the same alias and
  duplicate-key rules as every other file, and validated with the model;
- a plan from a newer Coach, or a routine that names an exercise that is
  neither built in nor in the file, is refused with the closest known ids.

Every check runs before anything is written. Installing then writes the plan
into a staging folder, swaps it into place with renames and records it in the
progress store, so a refused or failed import leaves what is stored as it was.

The report back to the clinic (``.coachreport``, JSON) is built from the
progress store for the plan's period and read under the same rules.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import os
import re
import secrets
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml

from coach import __version__
from coach.core.common.atomic import write_bytes_atomic, write_text_atomic
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import (
    PictureError,
    check_picture,
    picture_kind,
    picture_suffix,
    read_picture,
    slug,
)
from coach.core.content.files import (
    MAX_EXPANDED_NODES,
    _duplicate_keys,
    _expanded_size,
    _locate,
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
from coach.core.content.records import FieldProblem, Invalid, Loc, Meta, Record, field, field_path
from coach.core.session.plan import build_plan

try:  # the same loader and dumper as coach.core.content.files
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

ASSIGNMENT_FORMAT_VERSION = 1
"""The newest hand-over file format this Coach reads and writes."""
REPORT_FORMAT_VERSION = 1

ASSIGNMENT_SUFFIX = ".coach"
REPORT_SUFFIX = ".coachreport"

MAX_ARCHIVE_BYTES = 24 * 1024 * 1024
MAX_MEMBERS = 64
MAX_MANIFEST_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 48 * 1024 * 1024
"""All members together, unpacked."""
MAX_RATIO = 100
"""Unpacked size / packed size; text compresses about 3-10 times, pictures hardly."""
RATIO_FLOOR_BYTES = 64 * 1024
"""Members smaller than this unpacked are never a bomb, whatever their ratio."""
MAX_REPORT_BYTES = 4 * 1024 * 1024

MANIFEST = "manifest.yaml"
_PICTURE_MEMBER = re.compile(r"^pictures/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")

MeasureName = Literal["pain", "walking_test", "psfs", "chair_stand"]
MEASURE_NAMES: tuple[MeasureName, ...] = ("pain", "walking_test", "psfs", "chair_stand")
DEFAULT_MEASURES: tuple[MeasureName, ...] = ("pain", "walking_test")

STATE_KEY = "assignments"
"""Store kv key: the installed plans, the current one and the history."""


class HandoverError(Exception):
    """A hand-over or report file that cannot be used, or an install that failed.

    ``message`` is one line for a person; ``details`` lists every problem
    found. Whatever was stored before is unchanged when this is raised.
    """

    def __init__(self, message: str, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details) or [message]


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

    def __post_init__(self) -> None:
        self.name = _name(self.name)


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
        list[str],
        Meta(
            max_length=5,
            description="The activities the patient wants back (PSFS), in their words.",
        ),
    ] = field(default_factory=list)
    start: date
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
        goals = [g.strip() for g in self.goals]
        for i, goal in enumerate(goals):
            if not goal:
                raise FieldProblem(("goals", i), "a goal is empty")
            if len(goal) > 200:
                raise FieldProblem(("goals", i), "a goal is longer than 200 characters")
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
                build_plan(routine, exercises)
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
    goals: Sequence[str] = (),
    start: date | None = None,
    review: date | None = None,
    measures: Sequence[MeasureName] = DEFAULT_MEASURES,
    progression: Text | None = None,
    profile_hints: ProfileHints | None = None,
    created: datetime | None = None,
    assignment_id: str | None = None,
) -> Assignment:
    """Put routines from the clinic's library into a hand-over, pictures included.

    Every exercise that is not built in (the clinic's own) goes into the file
    with its pictures, so the patient's Coach needs nothing else. Raises
    HandoverError if the result would be refused at home.
    """
    created = created or datetime.now(UTC)
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
                "patient": {"name": patient},
                "clinician": clinician.to_data(),
                "goals": list(goals),
                "start": start or created.astimezone().date(),
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


def describe_assignment(assignment: Assignment, library: Library, lang: str = "en") -> list[str]:
    """A plain-text summary: who, when, and every routine with its exercises and doses."""
    a = assignment
    lines = [f"Plan for {a.patient.name} from {a.clinician.line()}"]
    when = f"Starts {a.start:%d %b %Y}"
    if a.review:
        when += f", review on {a.review:%d %b %Y}"
    lines.append(when)
    if a.goals:
        lines.append("Goals: " + "; ".join(a.goals))
    exercises = dict(library.exercises) | {e.id: e for e in a.exercises}
    for routine in a.routines:
        try:
            minutes = (
                f", about {max(1, round(build_plan(routine, exercises).total_seconds / 60))} min"
            )
        except ValueError:
            minutes = ""
        days = routine.schedule.days
        often = "every day" if len(days) == 7 else ", ".join(d.capitalize() for d in days)
        times = routine.schedule.times_per_day
        lines.append(
            f"{routine.title.get(lang)} ({len(routine.items)} exercises{minutes}; {often}"
            + (f", {times} times a day" if times > 1 else "")
            + ")"
        )
        for n, item in enumerate(routine.items, 1):
            ex = exercises.get(item.exercise)
            if ex is None:
                continue
            note = f" – {item.note.get(lang)}" if item.note else ""
            lines.append(f"  {n}. {ex.title.get(lang)}: {dose_text(item, ex)}{note}")
    if a.permissions.allow_extension:
        lines.append(
            "Allowed although they arch the back: "
            + ", ".join(a.permissions.allow_extension)
            + (f" (by {a.permissions.allowed_by})" if a.permissions.allowed_by else "")
        )
    return lines


# --------------------------------------------------------------------------
# Reading (the patient's side): the file is hostile until proven otherwise
# --------------------------------------------------------------------------


def _refused(name: str, why: str, details: Sequence[str] = ()) -> HandoverError:
    return HandoverError(f"{name}: refused, {why}", details)


def _member_problem(name: str) -> str | None:
    """Why a member name is refused, or None for a name we expect."""
    if "\x00" in name:
        return f"a name in the file contains a NUL character ('{name!r}')"
    if "\\" in name:
        return f"a path in the file uses backslashes ('{name}')"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"the file contains an absolute path ('{name}')"
    parts = name.split("/")
    if ".." in parts:
        return f"the file contains a path that leaves its folder ('{name}')"
    if name == MANIFEST or name == "pictures/":
        return None
    if not _PICTURE_MEMBER.match(name) or picture_kind(name) is None:
        return (
            f"the file contains '{name}', which a plan file does not have "
            "(only manifest.yaml and PNG, JPEG or SVG pictures under pictures/)"
        )
    return None


def _limit_for(name: str) -> int:
    from coach.core.content.custom_exercise import MAX_PICTURE_BYTES

    return MAX_MANIFEST_BYTES if name == MANIFEST else MAX_PICTURE_BYTES


def _unpack(path: Path, raw: bytes) -> dict[str, bytes]:
    """The members of a .coach archive, after every structural check."""
    name = path.name
    if not raw.startswith(b"PK\x03\x04"):
        raise _refused(name, "it is not a Coach plan file (.coach)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError):
        raise _refused(name, "the file is damaged (not a readable archive)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise _refused(name, f"it holds {len(infos)} files; a plan has at most {MAX_MEMBERS}")
        seen: set[str] = set()
        declared = 0
        for info in infos:
            problem = _member_problem(info.filename)
            if problem:
                raise _refused(name, problem)
            if info.filename in seen:
                raise _refused(name, f"'{info.filename}' appears twice in the file")
            seen.add(info.filename)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise _refused(name, f"'{info.filename}' is a symbolic link")
            if info.flag_bits & 0x1:
                raise _refused(name, f"'{info.filename}' is encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _refused(name, f"'{info.filename}' uses an unknown compression")
            if info.is_dir():
                continue
            if info.file_size > RATIO_FLOOR_BYTES and (
                info.file_size > MAX_RATIO * max(1, info.compress_size)
            ):
                raise _refused(name, _bomb(info.filename))
            limit = _limit_for(info.filename)
            if info.file_size > limit:
                raise _refused(
                    name,
                    f"'{info.filename}' unpacks to {info.file_size // 1024} KiB; "
                    f"at most {limit // 1024} KiB are allowed",
                )
            declared += info.file_size
        if declared > MAX_TOTAL_BYTES:
            raise _refused(name, "it unpacks to far more data than a plan holds (a 'zip bomb')")
        if MANIFEST not in seen:
            raise _refused(name, "it has no manifest.yaml, so it is not a Coach plan file")
        members: dict[str, bytes] = {}
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            limit = min(_limit_for(info.filename), info.file_size)
            try:
                with archive.open(info) as handle:
                    data = handle.read(limit + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
                raise _refused(name, f"'{info.filename}' is damaged") from None
            except (NotImplementedError, RuntimeError):
                raise _refused(name, f"'{info.filename}' cannot be unpacked") from None
            if len(data) > limit:  # pragma: no cover - zipfile stops at file_size
                raise _refused(name, _bomb(info.filename))
            total += len(data)
            if total > MAX_TOTAL_BYTES:  # pragma: no cover - declared sizes caught it
                raise _refused(name, _bomb(info.filename))
            members[info.filename] = data
    return members


def _bomb(member: str) -> str:
    return (
        f"'{member}' would unpack to far more data than the file holds "
        "(a 'zip bomb'); it was not unpacked"
    )


def _parse_manifest(label: str, raw: bytes) -> tuple[Any, yaml.Node]:
    """Safe YAML with the limits of coach.core.content.files, from bytes."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise HandoverError(f"{label}: refused, the plan is not UTF-8 text") from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "not valid YAML"
        raise HandoverError(f"{label}{where}: refused, YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:
        raise HandoverError(f"{label}: refused, YAML error: {exc}") from None
    if root is None:
        raise HandoverError(f"{label}: refused, the plan is empty")
    if _expanded_size(root) > MAX_EXPANDED_NODES:
        raise HandoverError(f"{label}: refused, it expands to too much data (nested aliases)")
    for key in _duplicate_keys(root):
        raise HandoverError(
            f"{label}:{key.start_mark.line + 1}:{key.start_mark.column + 1}: {key.value}: "
            "refused, this key appears twice in the same block"
        )
    loader = _Loader("")
    try:
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise HandoverError(f"{label}: refused, YAML error: {exc}") from None
    except RecursionError:
        raise HandoverError(f"{label}: refused, the plan is nested far too deeply") from None
    finally:
        loader.dispose()
    return data, root


def _located(label: str, root: yaml.Node, loc: Loc, message: str) -> str:
    line, column = _locate(root, loc)
    path = field_path(loc)
    return f"{label}:{line}:{column}:{' ' + path + ':' if path else ''} {message}"


def read_assignment_bytes(raw: bytes, library: Library, name: str = "plan.coach") -> Assignment:
    """Every check of :func:`read_assignment`, on bytes already in memory."""
    path = Path(name)
    if len(raw) > MAX_ARCHIVE_BYTES:
        raise _refused(
            path.name,
            f"the file is {len(raw) // (1024 * 1024)} MiB; plan files up to "
            f"{MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB are accepted",
        )
    members = _unpack(path, raw)
    label = f"{path.name}/{MANIFEST}"
    data, root = _parse_manifest(label, members.pop(MANIFEST))
    if not isinstance(data, dict):
        raise HandoverError(f"{label}: refused, the plan is not a block of 'field: value' lines")
    if data.get("kind") != "assignment":
        raise HandoverError(
            _located(label, root, ("kind",), "refused, this is not a plan (kind: assignment)")
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise HandoverError(
            _located(label, root, ("format_version",), "refused, a whole number such as 1")
        )
    if version > ASSIGNMENT_FORMAT_VERSION:
        raise HandoverError(f"{path.name}: refused, {_newer(version)}")
    try:
        assignment = Assignment.from_data(data)
    except Invalid as exc:
        details = [_located(label, root, loc, message) for loc, message in exc.problems]
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        raise HandoverError(f"{details[0]}{more}", details) from None
    for member, blob in members.items():
        try:
            check_picture(blob, member)
        except PictureError as exc:
            raise _refused(path.name, f"picture '{member}': {exc}") from None
    referenced = {
        ref for ex in assignment.exercises for ref in ex.illustrations.paths() if ref in members
    }
    assignment.with_pictures({k: v for k, v in members.items() if k in referenced})
    problems = check_assignment(assignment, library)
    if problems:
        details = [_located(label, root, loc, msg) for loc, msg in problems]
        newer = [d for d in details if "newer Coach" in d]
        if newer:
            raise HandoverError(f"{path.name}: refused, {_newer(_first_newer(assignment))}")
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        raise HandoverError(f"{details[0]}{more}", details)
    return assignment


def _first_newer(assignment: Assignment) -> int:
    versions = [r.format_version for r in assignment.routines]
    versions += [e.format_version for e in assignment.exercises]
    return max(versions)


def read_assignment(path: Path, library: Library) -> Assignment:
    """Read and check a .coach file; raises HandoverError with one clear line.

    Reads only: nothing is written, whatever the file holds.
    """
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _refused(path.name, "it is not a regular file")
        if info.st_size > MAX_ARCHIVE_BYTES:
            raise _refused(
                path.name,
                f"the file is {info.st_size // (1024 * 1024)} MiB; plan files up to "
                f"{MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB are accepted",
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARCHIVE_BYTES + 1)
    except OSError as exc:
        raise HandoverError(f"{path.name}: cannot be read ({exc.strerror})") from None
    return read_assignment_bytes(raw, library, path.name)


# --------------------------------------------------------------------------
# Installing (the patient's side)
# --------------------------------------------------------------------------


def clinician_slot(contact: Contact) -> str:
    """A stable folder and id prefix per clinician: a newer plan replaces theirs only."""
    identity = f"{contact.name.strip().casefold()}|{(contact.clinic or '').strip().casefold()}"
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:6]
    return f"{slug(contact.name, 20) or 'clinician'}-{digest}"


def namespaced_id(slot: str, ident: str) -> str:
    """``slot.ident`` within the 64 characters an id may have."""
    full = f"{slot}.{ident}"
    if len(full) <= 64:
        return full
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:6]
    keep = 64 - len(slot) - 1 - len(digest) - 1
    return f"{slot}.{ident[:keep]}-{digest}"


def assigned_folder(paths: Paths) -> Path:
    """Installed plans: inside the person's routine folder, one folder per clinician."""
    return paths.user_routines / "assigned"


def from_installed_plan(library: Library, paths: Paths, kind: str, ident: str) -> bool:
    """Whether a routine or exercise came from a clinician's plan installed here.

    Such documents belong to that plan (a newer plan replaces them); the
    routine editor and the hand-over do not offer them for reuse.
    """
    loaded = library.sources.get((kind, ident))
    if loaded is None:
        return False
    return loaded.path.resolve().is_relative_to(assigned_folder(paths).resolve())


def archive_folder(paths: Paths) -> Path:
    return paths.data / "assignments"


@dataclass(frozen=True)
class InstalledAssignment:
    """A plan as it is installed: the file's content and the ids it got here."""

    slot: str
    assignment: Assignment
    routine_ids: dict[str, str]  # the file's routine id -> installed id
    exercise_ids: dict[str, str]  # the file's exercise id -> installed id
    installed_utc: datetime
    folder: Path
    archive: Path | None

    @property
    def installed_routine_ids(self) -> list[str]:
        return [self.routine_ids[r.id] for r in self.assignment.routines]

    def routine(self, installed_id: str) -> Routine | None:
        for routine in self.assignment.routines:
            if self.routine_ids.get(routine.id) == installed_id:
                return routine
        return None

    def record(self, data: Path) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "id": self.assignment.id,
            "created": self.assignment.created.isoformat(),
            "installed_utc": self.installed_utc.isoformat(),
            "folder": _relative(self.folder, data),
            "archive": _relative(self.archive, data) if self.archive else None,
            "routine_ids": self.routine_ids,
            "exercise_ids": self.exercise_ids,
            "manifest": self.assignment.to_data(drop_default_none=True),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any], data: Path) -> InstalledAssignment:
        assignment = Assignment.from_data(record["manifest"])
        archive = record.get("archive")
        return cls(
            slot=str(record["slot"]),
            assignment=assignment,
            routine_ids={str(k): str(v) for k, v in record["routine_ids"].items()},
            exercise_ids={str(k): str(v) for k, v in record["exercise_ids"].items()},
            installed_utc=datetime.fromisoformat(str(record["installed_utc"])),
            folder=data / str(record["folder"]),
            archive=data / str(archive) if archive else None,
        )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class InstallResult:
    installed: InstalledAssignment
    replaced: InstalledAssignment | None
    notes: list[str] = dataclass_field(default_factory=list)


def _map_variant(value: Any, ids: Mapping[str, str]) -> Any:
    if value is None or value.exercise is None or value.exercise not in ids:
        return value
    return value.replace(exercise=ids[value.exercise])


def installed_documents(
    assignment: Assignment, slot: str
) -> tuple[list[Routine], list[Exercise], dict[str, str], dict[str, str]]:
    """The plan's routines and exercises with ids of their own on this computer.

    Ids get the clinician's prefix so they never clash with built-in ones or
    with another clinician's plan; permissions and references follow.
    """
    ex_ids = {e.id: namespaced_id(slot, e.id) for e in assignment.exercises}
    r_ids = {r.id: namespaced_id(slot, r.id) for r in assignment.routines}
    exercises: list[Exercise] = []
    for ex in assignment.exercises:
        update: dict[str, Any] = {"id": ex_ids[ex.id]}
        for name in ("easier", "harder", "bone_safe"):
            update[name] = _map_variant(getattr(ex, name), ex_ids)
        if ex.dosage.walk and ex.dosage.walk.break_exercise in ex_ids:
            walk = ex.dosage.walk.replace(break_exercise=ex_ids[ex.dosage.walk.break_exercise])
            update["dosage"] = ex.dosage.replace(walk=walk)
        exercises.append(ex.replace(**update))
    routines: list[Routine] = []
    for routine in assignment.routines:
        used = set(routine.exercise_ids())
        allowed = [i for i in assignment.allowed_extension(routine) if i in used]
        permissions = Permissions(
            allow_extension=sorted(ex_ids.get(i, i) for i in allowed),
            allowed_by=(
                routine.permissions.allowed_by
                or assignment.permissions.allowed_by
                or (assignment.clinician.name if allowed else None)
            ),
        )
        items = [
            item.replace(exercise=ex_ids.get(item.exercise, item.exercise))
            for item in routine.items
        ]
        routines.append(routine.replace(id=r_ids[routine.id], items=items, permissions=permissions))
    return routines, exercises, r_ids, ex_ids


def _load_state(store: Any) -> dict[str, Any]:
    state = store.get_json(STATE_KEY, None)
    if not isinstance(state, dict):
        state = {}
    state.setdefault("current", None)
    state.setdefault("installed", {})
    state.setdefault("history", [])
    return state


def installed_assignments(store: Any, paths: Paths) -> list[InstalledAssignment]:
    """Every plan installed here, newest first; a damaged record is skipped."""
    state = _load_state(store)
    out = []
    for record in state["installed"].values():
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            out.append(InstalledAssignment.from_record(record, paths.data))
    out.sort(key=lambda a: a.installed_utc, reverse=True)
    return out


def current_assignment(store: Any, paths: Paths) -> InstalledAssignment | None:
    """The plan that drives the home view: the one installed last."""
    if store is None:
        return None
    state = _load_state(store)
    record = state["installed"].get(state["current"]) if state["current"] else None
    if record is None:
        return None
    try:
        return InstalledAssignment.from_record(record, paths.data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def assignment_history(store: Any) -> list[dict[str, Any]]:
    return list(_load_state(store)["history"])


def _installed_files(
    assignment: Assignment, slot: str
) -> tuple[dict[str, bytes], dict[str, str], dict[str, str]]:
    routines, exercises, r_ids, ex_ids = installed_documents(assignment, slot)
    files: dict[str, bytes] = {}
    for ex in exercises:
        files[f"{ex.id}.yaml"] = _file_text(ex).encode("utf-8")
    for routine in routines:
        files[f"{routine.id}.yaml"] = _file_text(routine).encode("utf-8")
    for name, data in assignment.pictures.items():
        files[name] = data
    return files, r_ids, ex_ids


def _file_text(document: Exercise | Routine) -> str:
    kind = "exercise" if isinstance(document, Exercise) else "routine"
    return (
        f"# Installed by Coach from a physiotherapist's plan. Changes here are replaced\n"
        f"# when a newer plan from the same clinician is opened ({kind}).\n" + yaml_text(document)
    )


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _apply_profile_hints(paths: Paths, hints: ProfileHints) -> str | None:
    from coach.core.session.profile import HealthProfile, load_profile, save_profile

    wanted = hints.active()
    if not wanted:
        return None
    target = paths.data / "profile.json"
    profile, _notes = load_profile(target)
    base = profile or HealthProfile()
    changes = {name: True for name in wanted if not getattr(base, name, False)}
    if not changes:
        return None
    save_profile(target, base.replace(**changes))
    return "Your health answers were updated from your physiotherapist's notes: " + ", ".join(
        HINT_LABELS.get(n, n) for n in changes
    )


def install_assignment(
    assignment: Assignment,
    paths: Paths,
    store: Any,
    *,
    library: Library | None = None,
    raw: bytes | None = None,
    now: datetime | None = None,
) -> InstallResult:
    """Store the plan and make it the current one.

    A newer plan from the same clinician replaces theirs (routines, exercises
    and pictures); the progress history stays as it is. An older plan than the
    one installed is refused. Everything is checked first; the files go into a
    staging folder and are swapped in by renames, and the store record is
    written last, so a failure leaves the previous state in place.
    """
    now = now or datetime.now(UTC)
    if library is None:
        library = Library.load(paths, include_user=False)
    problems = check_assignment(assignment, library)
    if problems:
        details = _details(problems)
        raise HandoverError(f"The plan cannot be installed: {details[0]}", details)
    slot = clinician_slot(assignment.clinician)
    state = _load_state(store)
    previous: InstalledAssignment | None = None
    if slot in state["installed"]:
        with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
            previous = InstalledAssignment.from_record(state["installed"][slot], paths.data)
    if previous is not None and previous.assignment.created > assignment.created:
        raise HandoverError(
            f"You already have a newer plan from {assignment.clinician.name} "
            f"(made {previous.assignment.created.astimezone():%d %b %Y}); this one "
            f"(made {assignment.created.astimezone():%d %b %Y}) was not installed."
        )
    files, r_ids, ex_ids = _installed_files(assignment, slot)
    blob = raw if raw is not None else assignment_bytes(assignment)

    target = assigned_folder(paths) / slot
    archive = archive_folder(paths) / slot / f"{assignment.id}{ASSIGNMENT_SUFFIX}"
    incoming = paths.data / ".incoming"
    token = secrets.token_hex(4)
    staging = incoming / f"{slot}-{token}"
    old_aside = incoming / f"{slot}-{token}-old"
    try:
        paths.ensure_data_dir()
        for name, data in files.items():
            write_bytes_atomic(staging / name, data)
        write_bytes_atomic(archive, blob)
        target.parent.mkdir(parents=True, exist_ok=True)
        moved_old = False
        if target.exists():
            os.replace(target, old_aside)
            moved_old = True
        try:
            os.replace(staging, target)
        except OSError:
            if moved_old:
                os.replace(old_aside, target)
            raise
    except OSError as exc:
        _remove_tree(staging)
        with contextlib.suppress(OSError):
            incoming.rmdir()
        raise HandoverError(
            f"The plan could not be stored ({exc.strerror or exc}); nothing was changed."
        ) from None

    installed = InstalledAssignment(
        slot=slot,
        assignment=assignment.replace(),
        routine_ids=r_ids,
        exercise_ids=ex_ids,
        installed_utc=now.astimezone(UTC),
        folder=target,
        archive=archive,
    )
    history = list(state["history"])
    if previous is not None and previous.assignment.id != assignment.id:
        for entry in history:
            if entry.get("id") == previous.assignment.id and not entry.get("replaced_utc"):
                entry["replaced_utc"] = now.astimezone(UTC).isoformat()
    if not any(e.get("id") == assignment.id for e in history):
        history.append(
            {
                "id": assignment.id,
                "slot": slot,
                "created": assignment.created.isoformat(),
                "installed_utc": now.astimezone(UTC).isoformat(),
                "replaced_utc": None,
                "patient": assignment.patient.name,
                "clinician": assignment.clinician.name,
                "routines": {r_ids[r.id]: r.title.root for r in assignment.routines},
            }
        )
    new_state = {
        "current": slot,
        "installed": dict(state["installed"]) | {slot: installed.record(paths.data)},
        "history": history,
    }
    try:
        store.set_json(STATE_KEY, new_state)
    except Exception as exc:
        # Put the previous plan's files back: the store still describes them.
        with contextlib.suppress(OSError):
            failed = incoming / f"{slot}-{token}-failed"
            os.replace(target, failed)
            if old_aside.exists():
                os.replace(old_aside, target)
            _remove_tree(failed)
        if previous is None or previous.archive != archive:
            archive.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                archive.parent.rmdir()
                archive.parent.parent.rmdir()
        with contextlib.suppress(OSError):
            incoming.rmdir()
        message = getattr(exc, "message", None) or str(exc)
        raise HandoverError(f"The plan could not be recorded: {message}") from exc
    _remove_tree(old_aside)
    with contextlib.suppress(OSError):
        incoming.rmdir()
    notes: list[str] = []
    with contextlib.suppress(Exception):
        from coach.core.progress.stats import PLAN_KEY

        # The progress statistics plan with these routines (coach.core.progress.stats).
        planned = [r for r in assignment.routines if not as_needed(r)]
        store.set_json(PLAN_KEY, [r_ids[r.id] for r in planned])
    if assignment.goals:
        from coach.core.progress.store import PSFS_ACTIVITIES_KEY

        with contextlib.suppress(Exception):
            if not store.get_json(PSFS_ACTIVITIES_KEY, None):
                store.set_json(PSFS_ACTIVITIES_KEY, list(assignment.goals))
    if assignment.profile_hints is not None:
        try:
            note = _apply_profile_hints(paths, assignment.profile_hints)
        except (OSError, ValueError) as exc:
            note = f"Your health answers could not be updated ({exc})."
        if note:
            notes.append(note)
    return InstallResult(installed, previous, notes)


# --------------------------------------------------------------------------
# Today: what the plan asks for, and what was done
# --------------------------------------------------------------------------


def _local_bounds(day: date, tz: tzinfo | None) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min)
    end = datetime.combine(day + timedelta(days=1), time.min)
    if tz is None:
        return start.astimezone(), end.astimezone()
    return start.replace(tzinfo=tz), end.replace(tzinfo=tz)


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).date()


def as_needed(routine: Routine) -> bool:
    """A routine for bad days (the gentle day): offered, never planned or counted as due."""
    from coach.core.progress.stats import AS_NEEDED_ROUTINES

    return routine.id in AS_NEEDED_ROUTINES


def due_on(routine: Routine, day: date, start: date | None = None) -> int:
    """How many sessions of ``routine`` the schedule asks for on ``day``."""
    from coach.core.progress.stats import planned_on

    if (start is not None and day < start) or as_needed(routine):
        return 0
    return planned_on([routine], day)


@dataclass(frozen=True)
class TodayItem:
    routine_id: str  # the installed id, for starting it
    title: Text
    due: int
    done: int
    as_needed: bool = False  # for bad days: never due


@dataclass(frozen=True)
class TodayPlan:
    installed: InstalledAssignment
    day: date
    items: tuple[TodayItem, ...]

    @property
    def due(self) -> int:
        return sum(i.due for i in self.items)

    @property
    def done(self) -> int:
        return sum(min(i.done, i.due) for i in self.items)

    @property
    def rest_day(self) -> bool:
        return self.due == 0

    @property
    def started(self) -> bool:
        return self.day >= self.installed.assignment.start


def today_plan(
    store: Any, paths: Paths, day: date | None = None, *, tz: tzinfo | None = None
) -> TodayPlan | None:
    """Today's sessions of the current plan and how many are done; None without a plan."""
    installed = current_assignment(store, paths)
    if installed is None:
        return None
    day = day or datetime.now().date()
    since, until = _local_bounds(day, tz)
    sessions = store.sessions(since, until)
    from coach.core.progress.history import COUNTED_OUTCOMES

    items = []
    for routine in installed.assignment.routines:
        rid = installed.routine_ids[routine.id]
        done = sum(1 for s in sessions if s.routine_id == rid and s.outcome in COUNTED_OUTCOMES)
        items.append(
            TodayItem(
                rid,
                routine.title,
                due_on(routine, day, installed.assignment.start),
                done,
                as_needed(routine),
            )
        )
    return TodayPlan(installed, day, tuple(items))


# --------------------------------------------------------------------------
# The report back to the clinic
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def default_period(installed: InstalledAssignment | None, today: date | None = None) -> Period:
    today = today or datetime.now().date()
    if installed is None:
        return Period(today - timedelta(days=27), today)
    start = min(installed.assignment.start, today)
    return Period(start, today)


def _mean(values: Iterable[float | int | None]) -> float | None:
    numbers = [float(v) for v in values if v is not None]
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def _text_dict(text: Any) -> dict[str, str]:
    root = getattr(text, "root", text)
    return {str(k): str(v) for k, v in dict(root).items()} if isinstance(root, dict) else {}


def _stop_text(reason: str | None) -> dict[str, str]:
    from coach.core.session.safety import STOP_LABELS, StopReason

    if reason is None:
        return {}
    try:
        return dict(STOP_LABELS[StopReason(reason)].root)
    except ValueError:
        return {"en": reason}


def export_report_data(
    store: Any,
    assignment: InstalledAssignment | None,
    period: Period | None = None,
    *,
    library: Library | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> dict[str, Any]:
    """The machine-readable report for the clinic, for one period (JSON-ready).

    Adherence counts completed sessions of the plan's routines against what
    its schedule asked for each day (at most the planned number a day); pain
    is before and after each session, back and leg apart; walking tolerance
    comes from the walking tests; every stopped session is listed with its
    reason.
    """
    now = now or datetime.now(UTC)
    today = _local_day(now, tz)
    period = period or default_period(assignment, today)
    since, _ = _local_bounds(period.start, tz)
    _, until = _local_bounds(period.end, tz)
    rows = store.sessions(since, until)
    sessions = []
    for row in rows:
        steps = store.steps(row.id)
        final: dict[int, str] = {}
        for step in steps:
            final[step.step_index] = step.outcome
        sessions.append(
            {
                "date": _local_day(row.started_utc, tz).isoformat(),
                "started_utc": row.started_utc.astimezone(UTC).isoformat(),
                "ended_utc": row.ended_utc.astimezone(UTC).isoformat() if row.ended_utc else None,
                "routine_id": row.routine_id,
                "routine_title": _text_dict(row.routine_title),
                "outcome": row.outcome.value,
                "planned_s": row.planned_total_s,
                "steps_done": sum(1 for o in final.values() if o == "completed"),
                "steps_skipped": sum(1 for o in final.values() if o == "skipped"),
                "pain_before_back": row.pain_before_back,
                "pain_before_leg": row.pain_before_leg,
                "pain_after_back": row.pain_after_back,
                "pain_after_leg": row.pain_after_leg,
                "stop_reason": row.stop_reason,
                "stop_note": row.stop_note,
            }
        )
    adherence = _adherence(assignment, period, sessions)
    first_week_end = period.start + timedelta(days=6)
    last_week_start = period.end - timedelta(days=6)
    first = [s for s in sessions if date.fromisoformat(s["date"]) <= first_week_end]
    last = [s for s in sessions if date.fromisoformat(s["date"]) >= last_week_start]
    pain = {
        "first_week_before_back": _mean(s["pain_before_back"] for s in first),
        "first_week_before_leg": _mean(s["pain_before_leg"] for s in first),
        "last_week_before_back": _mean(s["pain_before_back"] for s in last),
        "last_week_before_leg": _mean(s["pain_before_leg"] for s in last),
        "mean_change_back": _mean(
            s["pain_after_back"] - s["pain_before_back"]
            for s in sessions
            if s["pain_after_back"] is not None and s["pain_before_back"] is not None
        ),
        "mean_change_leg": _mean(
            s["pain_after_leg"] - s["pain_before_leg"]
            for s in sessions
            if s["pain_after_leg"] is not None and s["pain_before_leg"] is not None
        ),
    }
    walking = [
        {
            "date": _local_day(m.taken_utc, tz).isoformat(),
            "first_symptoms_s": _num(m.value.get("first_symptoms_s")),
            "total_s": _num(m.value.get("total_s")),
            "distance_m": _num(m.value.get("distance_m")),
        }
        for m in store.measures("walking_test", since=since, until=until)
    ]
    stops = [
        {
            "date": s["date"],
            "routine_title": s["routine_title"],
            "reason": s["stop_reason"],
            "reason_text": _stop_text(s["stop_reason"]),
            "note": s["stop_note"],
        }
        for s in sessions
        if s["outcome"] == "stopped"
    ]
    other: dict[str, list[dict[str, Any]]] = {}
    for kind in ("psfs", "chair_stand", "pain"):
        other[kind] = [
            {"date": _local_day(m.taken_utc, tz).isoformat(), "value": m.value}
            for m in store.measures(kind, since=since, until=until)
        ]
    report: dict[str, Any] = {
        "format_version": REPORT_FORMAT_VERSION,
        "kind": "coach-report",
        "created": now.astimezone(UTC).isoformat(),
        "app_version": __version__,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "patient": None,
        "clinician": None,
        "assignment_id": None,
        "assignment_created": None,
        "review": None,
        "plan": None,
        "adherence": adherence,
        "pain": pain,
        "walking_tests": walking,
        "stops": stops,
        "sessions": sessions,
        "psfs": other["psfs"],
        "chair_stand": other["chair_stand"],
        "pain_measures": other["pain"],
    }
    if assignment is not None:
        a = assignment.assignment
        titles: dict[str, dict[str, str]] = {e.id: dict(e.title.root) for e in a.exercises}
        if library is not None:
            for routine in a.routines:
                for ident in routine.exercise_ids():
                    ex = library.exercises.get(ident)
                    if ident not in titles and ex is not None:
                        titles[ident] = dict(ex.title.root)
        report |= {
            "patient": a.patient.to_data(),
            "clinician": a.clinician.to_data(),
            "assignment_id": a.id,
            "assignment_created": a.created.isoformat(),
            "review": a.review.isoformat() if a.review else None,
            "plan": {
                "start": a.start.isoformat(),
                "goals": list(a.goals),
                "measures": list(a.measures),
                "routines": [r.to_data(drop_default_none=True) for r in a.routines],
                "exercise_titles": titles,
            },
        }
    return report


def _num(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _adherence(
    assignment: InstalledAssignment | None, period: Period, sessions: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Sessions done against planned, with the definitions of coach.core.progress.stats.

    Planned: each scheduled weekday of a plan routine plans ``times_per_day``
    sessions, from the plan's start on. Done: any session completed or stopped
    by the person (stopping when it hurts is doing it right); weeks are ISO
    weeks (Monday to Sunday), as the person's own progress page shows them.
    """
    from coach.core.progress.history import COUNTED_OUTCOMES
    from coach.core.progress.stats import planned_on

    if assignment is None:
        return None
    a = assignment.assignment
    counted: dict[str, int] = {}
    completed = stopped = 0
    for s in sessions:
        if s["outcome"] not in COUNTED_OUTCOMES or date.fromisoformat(s["date"]) < a.start:
            continue
        counted[s["date"]] = counted.get(s["date"], 0) + 1
        completed += s["outcome"] == "completed"
        stopped += s["outcome"] == "stopped"
    weeks: dict[date, dict[str, Any]] = {}
    total_planned = total_done = 0
    for day in period.days():
        if day < a.start:
            continue
        monday = day - timedelta(days=day.weekday())
        week = weeks.setdefault(monday, {"start": monday.isoformat(), "prescribed": 0, "done": 0})
        planned = planned_on([r for r in a.routines if not as_needed(r)], day)
        done = counted.get(day.isoformat(), 0)
        week["prescribed"] += planned
        week["done"] += done
        total_planned += planned
        total_done += done
    return {
        "prescribed": total_planned,
        "done": total_done,
        "completed": completed,
        "stopped": stopped,
        "ratio": round(min(1.0, total_done / total_planned), 3) if total_planned else None,
        "weeks": list(weeks.values()),
    }


def write_report_file(path: Path, report: Mapping[str, Any]) -> Path:
    """Write the report as readable JSON, atomically; adds .coachreport if missing."""
    path = Path(path)
    if path.suffix.lower() != REPORT_SUFFIX:
        path = path.with_name(path.name + REPORT_SUFFIX)
    try:
        Report.from_data(report)  # never hand out a file the clinic would refuse
    except Invalid as exc:
        raise HandoverError(f"The report could not be written: {exc}") from None
    text = json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    write_text_atomic(path, text)
    return path


# -- reading a report (the clinic's side) ---------------------------------------


class ReportPeriod(Record, kw_only=True):
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise FieldProblem("end", "the period ends before it starts")


Pain = Annotated[int, Meta(ge=0, le=10)]
Seconds = Annotated[float, Meta(ge=0)]
Count = Annotated[int, Meta(ge=0)]
Reason = Annotated[str, Meta(max_length=200)]
Note = Annotated[str, Meta(max_length=4000)]
Average = Annotated[float, Meta(ge=0, le=10)]
Change = Annotated[float, Meta(ge=-10, le=10)]


# A report holds more than the clinic's list reads (start times, the other
# measures), so these parts pass over fields they do not name.


class ReportSession(Record, kw_only=True, forbid_unknown_fields=False):
    date: date
    routine_id: Annotated[str, Meta(max_length=200)]
    routine_title: dict[str, str] = field(default_factory=dict)
    outcome: Literal["in_progress", "completed", "stopped", "abandoned"]
    planned_s: Seconds | None = None
    steps_done: Count = 0
    steps_skipped: Count = 0
    pain_before_back: Pain | None = None
    pain_before_leg: Pain | None = None
    pain_after_back: Pain | None = None
    pain_after_leg: Pain | None = None
    stop_reason: Reason | None = None
    stop_note: Note | None = None


class ReportStop(Record, kw_only=True, forbid_unknown_fields=False):
    date: date
    routine_title: dict[str, str] = field(default_factory=dict)
    reason: Reason | None = None
    reason_text: dict[str, str] = field(default_factory=dict)
    note: Note | None = None


class ReportWalk(Record, kw_only=True, forbid_unknown_fields=False):
    date: date
    first_symptoms_s: Seconds | None = None
    total_s: Seconds | None = None
    distance_m: Annotated[float, Meta(ge=0)] | None = None


class ReportWeek(Record, kw_only=True, forbid_unknown_fields=False):
    start: date
    prescribed: Count
    done: Count


class ReportAdherence(Record, kw_only=True, forbid_unknown_fields=False):
    prescribed: Count
    done: Count
    completed: Count = 0
    stopped: Count = 0
    ratio: Annotated[float, Meta(ge=0, le=1)] | None = None
    weeks: Annotated[list[ReportWeek], Meta(max_length=600)] = field(default_factory=list)


class ReportPain(Record, kw_only=True, forbid_unknown_fields=False):
    first_week_before_back: Average | None = None
    first_week_before_leg: Average | None = None
    last_week_before_back: Average | None = None
    last_week_before_leg: Average | None = None
    mean_change_back: Change | None = None
    mean_change_leg: Change | None = None


class ReportPlan(Record, kw_only=True, forbid_unknown_fields=False):
    start: date
    goals: Annotated[list[str], Meta(max_length=5)] = field(default_factory=list)
    measures: Annotated[list[str], Meta(max_length=10)] = field(default_factory=list)
    routines: Annotated[list[Routine], Meta(max_length=10)] = field(default_factory=list)
    exercise_titles: dict[str, Text] = field(default_factory=dict)


class Report(Record, kw_only=True, forbid_unknown_fields=False):
    """A patient's report as the clinic reads it back (checked like any outside file)."""

    format_version: int
    kind: Literal["coach-report"]
    created: datetime
    app_version: Annotated[str, Meta(max_length=40)] | None = None
    period: ReportPeriod
    patient: Patient | None = None
    clinician: Contact | None = None
    assignment_id: Identifier | None = None
    assignment_created: datetime | None = None
    review: date | None = None
    plan: ReportPlan | None = None
    adherence: ReportAdherence | None = None
    pain: ReportPain = field(default_factory=ReportPain)
    walking_tests: Annotated[list[ReportWalk], Meta(max_length=2000)] = field(default_factory=list)
    stops: Annotated[list[ReportStop], Meta(max_length=5000)] = field(default_factory=list)
    sessions: Annotated[list[ReportSession], Meta(max_length=10000)] = field(default_factory=list)

    @property
    def patient_name(self) -> str:
        return self.patient.name if self.patient else "(no name)"


def read_report_bytes(raw: bytes, name: str = "report.coachreport") -> Report:
    if len(raw) > MAX_REPORT_BYTES:
        raise HandoverError(
            f"{name}: refused, the report is {len(raw) // 1024} KiB; reports up to "
            f"{MAX_REPORT_BYTES // 1024} KiB are accepted"
        )
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise HandoverError(f"{name}: refused, it is not a Coach report (not text)") from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise HandoverError(f"{name}: refused, the report is nested far too deeply") from None
    except ValueError as exc:
        raise HandoverError(f"{name}: refused, it is not a Coach report ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != "coach-report":
        raise HandoverError(f"{name}: refused, it is not a Coach report")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise HandoverError(f"{name}: refused, format_version must be a whole number such as 1")
    if version > REPORT_FORMAT_VERSION:
        raise HandoverError(
            f"{name}: refused, this report comes from a newer Coach (format {version}); "
            f"this Coach reads up to format {REPORT_FORMAT_VERSION}. Please update Coach."
        )
    try:
        return Report.from_data(data)
    except Invalid as exc:
        details = _details(exc.problems)
        raise HandoverError(f"{name}: refused, {details[0]}", details) from None


def _no_constant(value: str) -> Any:
    raise ValueError(f"'{value}' is not a number")


def read_report_file(path: Path) -> Report:
    """Read and check a report file; raises HandoverError with one clear line."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise HandoverError(f"{path.name}: refused, it is not a regular file")
        if info.st_size > MAX_REPORT_BYTES:
            raise HandoverError(
                f"{path.name}: refused, the report is {info.st_size // 1024} KiB; reports up "
                f"to {MAX_REPORT_BYTES // 1024} KiB are accepted"
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as exc:
        raise HandoverError(f"{path.name}: cannot be read ({exc.strerror})") from None
    return read_report_bytes(raw, path.name)


# -- the clinic's patient list ----------------------------------------------------


def clinic_reports_folder(paths: Paths) -> Path:
    return paths.data / "clinic" / "reports"


def _report_key(report: Report) -> str:
    who = slug(report.patient_name, 30) or "patient"
    plan = report.assignment_id or "no-plan"
    return f"{who}-{plan}"


def import_report(path: Path, paths: Paths) -> Report:
    """Check a patient's report and keep it in the clinic's folder.

    One file per patient and plan: a later report for the same plan (a longer
    period) replaces the earlier one; an older one never replaces a newer.
    """
    report = read_report_file(path)
    raw = Path(path).read_bytes()
    target = clinic_reports_folder(paths) / f"{_report_key(report)}.json"
    if target.exists():
        with contextlib.suppress(HandoverError, OSError):
            existing = read_report_file(target)
            if (existing.period.end, existing.created) > (report.period.end, report.created):
                return report
    try:
        write_bytes_atomic(target, raw)
    except OSError as exc:
        raise HandoverError(f"The report could not be kept ({exc.strerror or exc}).") from None
    return report


@dataclass(frozen=True)
class PatientRow:
    """One line of the clinician's patient list."""

    report: Report
    file: Path

    @property
    def patient(self) -> str:
        return self.report.patient_name

    @property
    def period(self) -> Period:
        return Period(self.report.period.start, self.report.period.end)

    @property
    def adherence(self) -> float | None:
        a = self.report.adherence
        return a.ratio if a is not None else None

    @property
    def sessions_done(self) -> tuple[int, int] | None:
        a = self.report.adherence
        return (a.done, a.prescribed) if a is not None else None

    @property
    def pain_trend(self) -> tuple[float | None, float | None, float | None, float | None]:
        """Before-session pain, first week and last week: back, back, leg, leg."""
        p = self.report.pain
        return (
            p.first_week_before_back,
            p.last_week_before_back,
            p.first_week_before_leg,
            p.last_week_before_leg,
        )

    @property
    def walking(self) -> tuple[float | None, float | None]:
        """Minutes walked in the first and in the last walking test of the period."""
        tests = [t for t in self.report.walking_tests if t.total_s or t.first_symptoms_s]
        if not tests:
            return None, None

        def minutes(t: ReportWalk) -> float | None:
            value = t.total_s if t.total_s is not None else t.first_symptoms_s
            return round(value / 60, 1) if value is not None else None

        return minutes(tests[0]), minutes(tests[-1])

    @property
    def stops(self) -> list[ReportStop]:
        return list(self.report.stops)


def patient_list(paths: Paths) -> tuple[list[PatientRow], list[str]]:
    """The reports kept by the clinic, newest period first, and any unreadable ones."""
    folder = clinic_reports_folder(paths)
    rows: list[PatientRow] = []
    problems: list[str] = []
    if not folder.is_dir():
        return rows, problems
    for file in sorted(folder.glob("*.json")):
        try:
            rows.append(PatientRow(read_report_file(file), file))
        except HandoverError as exc:
            problems.append(exc.message)
    rows.sort(key=lambda r: (r.patient.casefold(), r.report.period.end))
    return rows, problems
