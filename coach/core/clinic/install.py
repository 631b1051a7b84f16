"""Installing a plan at home, so that it can never spoil what is already stored.

Each clinician gets a folder and an id prefix of their own, so a plan never clashes
with the built-in content or with another clinician's plan, and a newer plan from the
same clinician replaces theirs only. Everything is checked first; the files go into a
staging folder, are swapped into place with renames and are recorded in the progress
store last, so a refused or failed install leaves what is stored as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.core.clinic.handover import (
    ASSIGNMENT_SUFFIX,
    HINT_LABELS,
    Assignment,
    Contact,
    HandoverError,
    ProfileHints,
    _details,
    assignment_bytes,
    check_assignment,
    yaml_text,
)
from coach.core.common.atomic import make_private_dir, write_bytes_atomic
from coach.core.common.paths import Paths
from coach.core.content.custom_exercise import slug
from coach.core.content.library import Library
from coach.core.content.model import Exercise, Permissions, Routine

STATE_KEY = "assignments"
"""Store kv key: the installed plans, the current one and the history."""


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
        make_private_dir(target.parent)
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
                store.set_json(PSFS_ACTIVITIES_KEY, assignment.goal_texts())
    if assignment.profile_hints is not None:
        try:
            note = _apply_profile_hints(paths, assignment.profile_hints)
        except (OSError, ValueError) as exc:
            note = f"Your health answers could not be updated ({exc})."
        if note:
            notes.append(note)
    return InstallResult(installed, previous, notes)


def as_needed(routine: Routine) -> bool:
    """A routine for bad days (the gentle day): offered, never planned or counted as due."""
    from coach.core.progress.stats import AS_NEEDED_ROUTINES

    return routine.id in AS_NEEDED_ROUTINES
