"""The hand-over file: round trip, install, replace, report, and every hostile file.

A refused file must leave the data folder byte-identical: each hostile case
hashes the whole folder (with a plan and a session already stored) before and
after the attempt.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from coach.core.clinic.handover import (
    MANIFEST,
    Assignment,
    Contact,
    HandoverError,
    ProfileHints,
    assignment_bytes,
    build_assignment,
    write_assignment,
)
from coach.core.clinic.handover_file import read_assignment
from coach.core.clinic.install import (
    assigned_folder,
    assignment_history,
    current_assignment,
    install_assignment,
    installed_assignments,
)
from coach.core.clinic.patients import import_report, patient_list
from coach.core.clinic.report import (
    Period,
    export_report_data,
    read_report_bytes,
    read_report_file,
    write_report_file,
)
from coach.core.clinic.today import today_plan
from coach.core.common.paths import Paths, resolve
from coach.core.content.custom_exercise import (
    ExerciseDraft,
    PictureError,
    check_picture,
    save_clinic_exercise,
)
from coach.core.content.files import yaml_files
from coach.core.content.library import Library
from coach.core.content.model import Category, Routine, Schedule
from coach.core.progress.store import Store
from coach.core.progress.store_rows import MeasureKind, SessionOutcome
from coach.core.session.plan import build_plan
from coach.core.session.profile import load_profile
from coach.core.session.runner import Outcome, StepResult

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def png(width: int, height: int, *, pixels: bool = True) -> bytes:
    """A real PNG; with pixels=False only the header is honest (for size tests)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = height if pixels else 1
    raw = b"".join(b"\x00" + b"\x30\x80\x70" * (width if pixels else 1) for _ in range(rows))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def tree_hash(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


_BUILTIN: list[Library] = []


def load_library(paths: Paths) -> Library:
    """load_library(paths), with the built-in part parsed once per test run."""
    if not _BUILTIN:
        _BUILTIN.append(Library.load(paths, include_user=False))
    base = _BUILTIN[0]
    lib = Library(
        assets=base.assets,
        exercises=dict(base.exercises),
        routines=dict(base.routines),
        sources=dict(base.sources),
        origins=dict(base.origins),
    )
    files: list[Path] = []
    for folder in (paths.user_exercises, paths.user_routines):
        if folder.is_dir():
            files += yaml_files(folder)
    lib.add_files(files, "user")
    lib.problems.extend(lib.check())
    return lib


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


ANNA = Contact(name="Anna Berger", clinic="Physio am Park", phone="+49 30 123456")
BEN = Contact(name="Ben Okafor", clinic="Rückenzentrum")


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Paths, Library, str]:
    """A clinic data folder with one custom exercise (with a PNG picture)."""
    paths = resolve(tmp_path / "clinic")
    picture = tmp_path / "knee.png"
    picture.write_bytes(png(64, 48))
    draft = ExerciseDraft(
        title={"en": "Knee hug on a chair", "de": "Knie umarmen im Sitzen"},
        category=Category.STRETCHING,
        start_position={"en": "Sit near the front of a firm chair."},
        steps={"en": ["Sit tall.", "Hug one knee to your chest.", "Let go slowly."]},
        cue={"en": "Let your lower back round gently."},
        breathing={"en": "Breathe out as you hug."},
        hold_s=10,
        pictures={"start": picture},
    )
    library = load_library(paths)
    exercise, _ = save_clinic_exercise(paths, draft, library.exercises)
    return paths, load_library(paths), exercise.id


@pytest.fixture
def home(tmp_path: Path) -> tuple[Paths, Library]:
    paths = resolve(tmp_path / "home")
    paths.ensure_data_dir()
    return paths, load_library(paths)


def routine(ident: str, *items: dict[str, object], **extra: object) -> Routine:
    return Routine.from_data(
        {
            "id": ident,
            "title": {"en": ident.replace("-", " ").capitalize()},
            "description": {"en": "From your physiotherapist."},
            "items": list(items),
            **extra,
        }
    )


def make_plan(
    library: Library,
    custom: str,
    *,
    clinician: Contact = ANNA,
    created: datetime | None = None,
    routines: list[Routine] | None = None,
) -> Assignment:
    routines = routines or [
        routine(
            "daily",
            {"exercise": "P1", "reps": 8, "hold_s": 5},
            {"exercise": custom, "side": "both", "reps": 3},
            {"exercise": "S1", "reps": 3},
            schedule={
                "times_per_day": 2,
                "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            },
        )
    ]
    return build_assignment(
        routines,
        library,
        patient="Maria Muster",
        clinician=clinician,
        goals=["Walk to the bakery", "Stand at the sink for 10 minutes"],
        start=date(2026, 3, 2),
        review=date(2026, 4, 13),
        measures=["pain", "walking_test", "psfs"],
        created=created or datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )


def manifest_of(plan: Assignment) -> dict[str, object]:
    data = yaml.safe_load(assignment_bytes_manifest(plan))
    assert isinstance(data, dict)
    return data


def assignment_bytes_manifest(plan: Assignment) -> bytes:
    with zipfile.ZipFile(io.BytesIO(assignment_bytes(plan))) as archive:
        return archive.read(MANIFEST)


def zip_of(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------
# Round trip
# --------------------------------------------------------------------------


def test_round_trip_write_read_install(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library], tmp_path: Path
) -> None:
    _clinic_paths, clinic_lib, custom = clinic
    plan = make_plan(clinic_lib, custom)
    assert [e.id for e in plan.exercises] == [custom]
    assert len(plan.pictures) == 1  # one picture serves as start and end
    file = write_assignment(tmp_path / "maria", plan)
    assert file.name == "maria.coach"

    home_paths, home_lib = home
    read = read_assignment(file, home_lib)
    assert read.to_data() == plan.to_data()
    assert read.pictures == plan.pictures

    with Store.open(home_paths.database) as store:
        result = install_assignment(read, home_paths, store, library=home_lib)
        installed = result.installed
        assert result.replaced is None
        current = current_assignment(store, home_paths)
        assert current is not None and current.assignment.id == plan.id
        # The goals become the patient's PSFS activities, the routines the plan
        # that the progress statistics count against.
        assert store.get_json("psfs_activities") == plan.goal_texts()
        from coach.core.progress.stats import PLAN_KEY

        assert store.get_json(PLAN_KEY) == [result.installed.routine_ids["daily"]]

    lib = load_library(home_paths)
    assert lib.problems == []
    rid = installed.routine_ids["daily"]
    assert rid in lib.routines and lib.origin("routine", rid) == "user"
    installed_routine = lib.routines[rid]
    ex_id = installed.exercise_ids[custom]
    assert installed_routine.exercise_ids() == ["P1", ex_id, "S1"]
    assert lib.exercises[ex_id].title.get("de") == "Knie umarmen im Sitzen"
    picture = lib.illustration(ex_id, "end")
    assert picture is not None and picture.read_bytes() == next(iter(plan.pictures.values()))
    assert picture.is_relative_to(assigned_folder(home_paths))
    # The same steps as at the clinic.
    clinic_plan = build_plan(plan.routines[0], clinic_lib.exercises)
    home_plan = build_plan(installed_routine, lib.exercises)
    assert home_plan.total_seconds == clinic_plan.total_seconds
    # The installed files are readable YAML that `coach validate` accepts.
    from coach.core.content.library import validate

    count, problems = validate(home_paths, [assigned_folder(home_paths)])
    assert count == 2 and problems == []


def test_hand_over_refuses_what_home_would_refuse(clinic: tuple[Paths, Library, str]) -> None:
    _, lib, _ = clinic
    bad = routine("ext", {"exercise": "X1"})
    with pytest.raises(HandoverError, match="arches the lower back"):
        make_plan(lib, "", routines=[bad])
    allowed = routine(
        "ext", {"exercise": "X1"}, permissions={"allow_extension": ["X1"], "allowed_by": "A. B."}
    )
    plan = make_plan(lib, "", routines=[allowed])
    assert plan.permissions.allow_extension == ["X1"]


def test_extension_permission_travels_and_is_checked_at_home(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library], tmp_path: Path
) -> None:
    _, clinic_lib, _ = clinic
    allowed = routine(
        "ext",
        {"exercise": "P1"},
        {"exercise": "X2"},
        permissions={"allow_extension": ["X2"], "allowed_by": "Anna Berger"},
    )
    file = write_assignment(tmp_path / "ext.coach", make_plan(clinic_lib, "", routines=[allowed]))
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        install_assignment(read_assignment(file, home_lib), home_paths, store, library=home_lib)
    lib = load_library(home_paths)
    assert lib.problems == []
    installed = next(r for r in lib.routines.values() if r.id.endswith(".ext"))
    assert installed.permissions.allow_extension == ["X2"]


def test_today_plan_counts_sessions_of_the_day(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library]
) -> None:
    _, clinic_lib, custom = clinic
    plan = make_plan(clinic_lib, custom)
    home_paths, home_lib = home
    clock = Clock(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    with Store.open(home_paths.database, clock=clock) as store:
        result = install_assignment(plan, home_paths, store, library=home_lib)
        rid = result.installed.routine_ids["daily"]
        before = today_plan(store, home_paths, date(2026, 3, 4), tz=UTC)
        assert before is not None and (before.done, before.due) == (0, 2)
        session = store.start_session(rid, "Daily")
        store.end_session(session, SessionOutcome.COMPLETED)
        other = store.start_session("daily-relief", "Daily relief")
        store.end_session(other, SessionOutcome.COMPLETED)
        today = today_plan(store, home_paths, date(2026, 3, 4), tz=UTC)
        assert today is not None
        assert (today.done, today.due) == (1, 2)
        assert today.items[0].title.get() == "Daily"
        # Run to its end with every step skipped: not the second session done.
        skipped = store.start_session(rid, "Daily")
        now_lib = load_library(home_paths)
        for step in build_plan(now_lib.routines[rid], now_lib.exercises).steps:
            store.record_step(skipped, StepResult(step, 1.0, Outcome.SKIPPED))
        store.end_session(skipped, SessionOutcome.COMPLETED)
        again = today_plan(store, home_paths, date(2026, 3, 4), tz=UTC)
        assert again is not None and (again.done, again.due) == (1, 2)
        # Before the plan's start date nothing is due.
        early = today_plan(store, home_paths, date(2026, 3, 1), tz=UTC)
        assert early is not None and early.due == 0 and not early.started


def test_profile_hints_only_switch_answers_on(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library]
) -> None:
    _, clinic_lib, custom = clinic
    plan = make_plan(clinic_lib, custom)
    plan.profile_hints = ProfileHints(cannot_use_floor=True, osteoporosis=False)
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        result = install_assignment(plan, home_paths, store, library=home_lib)
    profile, _ = load_profile(home_paths.data / "profile.json")
    assert profile is not None and profile.cannot_use_floor and not profile.osteoporosis
    assert not profile.completed  # the person still answers the questions
    assert any("floor" in note for note in result.notes)


# --------------------------------------------------------------------------
# A newer plan from the same clinician
# --------------------------------------------------------------------------


def test_newer_plan_replaces_older_and_keeps_the_history(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library]
) -> None:
    _, clinic_lib, custom = clinic
    first = make_plan(clinic_lib, custom, created=datetime(2026, 3, 2, 9, tzinfo=UTC))
    second = make_plan(
        clinic_lib,
        custom,
        created=datetime(2026, 3, 16, 9, tzinfo=UTC),
        routines=[routine("strength", {"exercise": "T1", "reps": 8}, {"exercise": "P1"})],
    )
    from_ben = make_plan(clinic_lib, custom, clinician=BEN)
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        one = install_assignment(first, home_paths, store, library=home_lib).installed
        session = store.start_session(one.routine_ids["daily"], "Daily")
        store.end_session(session, SessionOutcome.STOPPED, stop_reason="sharp_pain")
        ben = install_assignment(from_ben, home_paths, store, library=home_lib).installed
        result = install_assignment(second, home_paths, store, library=home_lib)
        assert result.replaced is not None and result.replaced.assignment.id == first.id
        two = result.installed
        assert two.slot == one.slot != ben.slot
        # The session stays, with its title as it was.
        assert [s.routine_title.get() for s in store.sessions()] == ["Daily"]
        history = assignment_history(store)
        assert [h["id"] for h in history] == [first.id, from_ben.id, second.id]
        assert history[0]["replaced_utc"] and not history[2]["replaced_utc"]
        current = current_assignment(store, home_paths)
        assert current is not None and current.assignment.id == second.id
        assert {a.assignment.id for a in installed_assignments(store, home_paths)} == {
            second.id,
            from_ben.id,
        }
        # Opening the older plan again does not bring it back.
        before = tree_hash(home_paths.data)
        with pytest.raises(HandoverError, match="already have a newer plan"):
            install_assignment(first, home_paths, store, library=home_lib)
        assert tree_hash(home_paths.data) == before
    lib = load_library(home_paths)
    assert lib.problems == []
    anna = [r for r in lib.routines if r.startswith(one.slot)]
    assert anna == [two.routine_ids["strength"]]
    assert ben.routine_ids["daily"] in lib.routines


def test_failed_store_write_puts_the_previous_plan_back(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library]
) -> None:
    _, clinic_lib, custom = clinic
    first = make_plan(clinic_lib, custom)
    second = make_plan(
        clinic_lib,
        custom,
        created=datetime(2026, 3, 16, tzinfo=UTC),
        routines=[routine("strength", {"exercise": "T1"})],
    )
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        install_assignment(first, home_paths, store, library=home_lib)
    before = tree_hash(home_paths.data)

    class FullStore:
        def __init__(self, store: Store) -> None:
            self.store = store

        def get_json(self, key: str, default: object = None) -> object:
            return self.store.get_json(key, default)

        def set_json(self, key: str, value: object) -> None:
            raise OSError("disk full")

    with (
        Store.open(home_paths.database) as store,
        pytest.raises(HandoverError, match="could not be recorded"),
    ):
        install_assignment(second, home_paths, FullStore(store), library=home_lib)
    assert tree_hash(home_paths.data) == before


# --------------------------------------------------------------------------
# Hostile files: refused with a clear message, nothing touched
# --------------------------------------------------------------------------


@pytest.fixture
def stored_home(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library]
) -> Iterator[tuple[Paths, Library, Assignment]]:
    """A home folder that already holds a plan, a session and a walking test."""
    _, clinic_lib, custom = clinic
    plan = make_plan(clinic_lib, custom)
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        result = install_assignment(plan, home_paths, store, library=home_lib)
        sid = store.start_session(result.installed.routine_ids["daily"], "Daily")
        store.end_session(sid, SessionOutcome.COMPLETED)
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 300, "total_s": 600})
    yield home_paths, load_library(home_paths), plan


def _attempt(path: Path, paths: Paths, library: Library) -> HandoverError:
    """What `coach import` and the app do: read (all checks), then install."""
    with pytest.raises(HandoverError) as caught:
        assignment = read_assignment(path, library)
        with Store.open(paths.database) as store:
            install_assignment(assignment, paths, store, library=library)
    return caught.value


def _with_members(plan: Assignment, extra: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    members: list[tuple[str | zipfile.ZipInfo, bytes]] = [
        (MANIFEST, assignment_bytes_manifest(plan))
    ]
    members += list(plan.pictures.items())
    return zip_of(members + extra)


def _manifest_changed(plan: Assignment, change: Callable[[dict[str, object]], None]) -> bytes:
    data = manifest_of(plan)
    change(data)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return zip_of([(MANIFEST, text.encode()), *plan.pictures.items()])


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("pictures/link.png")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _bad_routine(data: dict[str, object]) -> None:
    routines = data["routines"]
    assert isinstance(routines, list)
    routines[0]["items"][0]["exercise"] = "S99"


def _newer_routine(data: dict[str, object]) -> None:
    routines = data["routines"]
    assert isinstance(routines, list)
    routines[0]["format_version"] = 7


def _two_mistakes(data: dict[str, object]) -> None:
    data["goals"] = ["walk to the shop"] * 6
    data["measures"] = ["walking_test", "shoe_size"]


def _unallowed_extension(data: dict[str, object]) -> None:
    routines = data["routines"]
    assert isinstance(routines, list)
    routines[0]["items"].append({"exercise": "X1"})


HOSTILE: dict[str, tuple[Callable[[Assignment], bytes], str]] = {
    "dot-dot member": (
        lambda p: _with_members(p, [("../evil.yaml", b"x: 1")]),
        r"path that leaves its folder \('\.\./evil\.yaml'\)",
    ),
    "dot-dot inside pictures": (
        lambda p: _with_members(p, [("pictures/../../evil.png", png(2, 2))]),
        "path that leaves its folder",
    ),
    "absolute path": (
        lambda p: _with_members(p, [("/etc/evil.png", png(2, 2))]),
        r"absolute path \('/etc/evil\.png'\)",
    ),
    "drive letter": (
        lambda p: _with_members(p, [("C:/Windows/evil.png", png(2, 2))]),
        "absolute path",
    ),
    "backslashes": (
        lambda p: _with_members(p, [("pictures\\evil.png", png(2, 2))]),
        "backslashes",
    ),
    "symbolic link": (
        lambda p: _with_members(p, [(_symlink(), b"/etc/passwd")]),
        "symbolic link",
    ),
    "unknown member": (
        lambda p: _with_members(p, [("run-me.sh", b"rm -rf ~")]),
        "which a plan file does not have",
    ),
    "zip bomb": (
        # 200 MB of zeros deflate to about 200 KB.
        lambda p: _with_members(p, [("pictures/bomb.png", bytes(200 * 1024 * 1024))]),
        "zip bomb",
    ),
    "small zip bomb under the size limit": (
        lambda p: _with_members(p, [("pictures/zeros.png", bytes(3 * 1024 * 1024))]),
        "zip bomb",
    ),
    "huge picture (header)": (
        lambda p: _with_members(p, [("pictures/huge.png", png(50000, 50000, pixels=False))]),
        r"50000 × 50000 pixels",
    ),
    "picture over the size limit": (
        lambda p: _with_members(p, [("pictures/big.png", os.urandom(5 * 1024 * 1024))]),
        r"unpacks to 5120 KiB; at most 4096 KiB",
    ),
    "broken picture": (
        lambda p: _with_members(p, [("pictures/broken.png", os.urandom(3000))]),
        r"picture 'pictures/broken\.png': this is not a PNG picture",
    ),
    "picture that is another format": (
        lambda p: _with_members(p, [("pictures/fake.jpg", png(4, 4))]),
        "not a JPEG picture",
    ),
    "truncated picture": (
        lambda p: _with_members(p, [("pictures/cut.png", png(40, 40)[:-30])]),
        "cut off|incomplete|damaged",
    ),
    "unknown format version": (
        # One past what this Coach reads (format 3 added goals with scores and weeks).
        lambda p: _manifest_changed(p, lambda d: d.update(format_version=4)),
        r"newer Coach \(format 4\).*Please update Coach",
    ),
    "newer routine inside": (
        lambda p: _manifest_changed(p, _newer_routine),
        r"newer Coach \(format 7\)",
    ),
    "unknown exercise": (
        lambda p: _manifest_changed(p, _bad_routine),
        r"manifest\.yaml:\d+:\d+: routines\[0\]\.items\[0\]\.exercise: unknown exercise "
        r"'S99'; closest known: S9",
    ),
    "extension without permission": (
        lambda p: _manifest_changed(p, _unallowed_extension),
        "arches the lower back",
    ),
    "two mistakes in the manifest": (
        lambda p: _manifest_changed(p, _two_mistakes),
        r"manifest\.yaml:\d+:\d+: goals: allows at most 5 entries \(and 1 more\)$",
    ),
    "not a plan file": (lambda p: b"just some text\n" * 10, "not a Coach plan file"),
    "no manifest": (lambda p: zip_of([("pictures/a.png", png(2, 2))]), "no manifest.yaml"),
    "alias bomb in the manifest": (
        lambda p: zip_of(
            [
                (
                    MANIFEST,
                    (
                        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                        + "".join(
                            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n"
                            for i in range(6)
                        )
                    ).encode(),
                )
            ]
        ),
        "too much data",
    ),
    "duplicate member": (
        lambda p: _with_members(p, [("pictures/dup.png", png(2, 2)), ("pictures/dup.png", b"")]),
        "appears twice",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused_and_nothing_is_touched(
    case: str, stored_home: tuple[Paths, Library, Assignment], tmp_path: Path
) -> None:
    paths, library, plan = stored_home
    make, message = HOSTILE[case]
    newer = plan.replace(created=plan.created + timedelta(days=7))
    if case == "duplicate member":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate
            blob = make(newer)
    else:
        blob = make(newer)
    file = tmp_path / "hostile.coach"
    file.write_bytes(blob)
    before = tree_hash(paths.data)
    error = _attempt(file, paths, library)
    assert tree_hash(paths.data) == before
    import re

    assert re.search(message, error.message), error.message
    assert "\n" not in error.message  # one clear line


def test_a_good_file_passes_the_same_path(
    stored_home: tuple[Paths, Library, Assignment], tmp_path: Path
) -> None:
    """The hostile cases fail for their own reason: the unmodified file installs."""
    paths, library, plan = stored_home
    newer = plan.replace(created=plan.created + timedelta(days=7))
    file = tmp_path / "good.coach"
    file.write_bytes(_with_members(newer, []))
    assignment = read_assignment(file, library)
    with Store.open(paths.database) as store:
        assert install_assignment(assignment, paths, store, library=library).replaced


def test_oversized_archive_is_refused_before_reading(
    stored_home: tuple[Paths, Library, Assignment], tmp_path: Path
) -> None:
    _paths, library, _ = stored_home
    file = tmp_path / "big.coach"
    with file.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.seek(30 * 1024 * 1024)
        handle.write(b"\0")
    with pytest.raises(HandoverError, match=r"30 MiB; plan files up to 24 MiB"):
        read_assignment(file, library)


def test_picture_checks() -> None:
    assert check_picture(png(30, 20), "a.png").width == 30
    with pytest.raises(PictureError, match="checksum"):
        data = bytearray(png(30, 20))
        data[20] ^= 0xFF
        check_picture(bytes(data), "a.png")
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xc0\x00\x11\x08\x00\x40\x00\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
        + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
        + b"\x00" * 20
        + b"\xff\xd9"
    )
    info = check_picture(jpeg, "photo.jpeg")
    assert (info.kind, info.width, info.height) == ("jpeg", 128, 64)
    huge = jpeg.replace(b"\x08\x00\x40\x00\x80", b"\x08\xc3\x50\xc3\x50")
    with pytest.raises(PictureError, match="50000 × 50000"):
        check_picture(huge, "photo.jpg")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300"><path d="M0 0"/></svg>'
    assert check_picture(svg, "a.svg").width == 400
    laughs = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    with pytest.raises(PictureError, match="DOCTYPE"):
        check_picture(laughs, "a.svg")
    outside = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="file:///etc/passwd"/></svg>'
    with pytest.raises(PictureError, match="another file"):
        check_picture(outside, "a.svg")
    with pytest.raises(PictureError, match="not a picture Coach takes"):
        check_picture(b"GIF89a", "a.gif")


# --------------------------------------------------------------------------
# The report back to the clinic
# --------------------------------------------------------------------------


def test_report_round_trip_to_the_patient_list(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library], tmp_path: Path
) -> None:
    clinic_paths, clinic_lib, custom = clinic
    plan = make_plan(clinic_lib, custom)  # twice a day from Mon 2 March 2026
    home_paths, home_lib = home
    clock = Clock(datetime(2026, 3, 2, 8, tzinfo=UTC))
    with Store.open(home_paths.database, clock=clock) as store:
        installed = install_assignment(plan, home_paths, store, library=home_lib).installed
        rid = installed.routine_ids["daily"]
        # Days 1-14: one session a day (pain easing), two on day 3; a stop on day 5.
        for day in range(14):
            clock.moment = datetime(2026, 3, 2 + day, 9, tzinfo=UTC)
            pain = 6 if day < 7 else 3
            sid = store.start_session(rid, "Daily", pain_before_back=pain, pain_before_leg=pain - 1)
            if day == 4:
                store.end_session(sid, SessionOutcome.STOPPED, stop_reason="pain_spreading_leg")
                continue
            store.end_session(sid, SessionOutcome.COMPLETED)
            store.set_pain_after(sid, back=pain - 1, leg=pain - 1)
            if day == 2:
                clock.moment = datetime(2026, 3, 4, 18, tzinfo=UTC)
                extra = store.start_session(rid, "Daily")
                store.end_session(extra, SessionOutcome.COMPLETED)
        clock.moment = datetime(2026, 3, 2, 10, tzinfo=UTC)
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 240, "total_s": 480})
        clock.moment = datetime(2026, 3, 15, 10, tzinfo=UTC)
        store.add_measure(MeasureKind.WALKING_TEST, {"first_symptoms_s": 420, "total_s": 720})
        report = export_report_data(
            store,
            installed,
            Period(date(2026, 3, 2), date(2026, 3, 15)),
            library=home_lib,
            now=datetime(2026, 3, 15, 20, tzinfo=UTC),
            tz=UTC,
        )
    adherence = report["adherence"]
    # The definitions of coach.core.progress.stats: a stopped session counts as done,
    # and a second session on one day makes up for nothing but counts.
    assert adherence["prescribed"] == 28
    assert adherence["done"] == 15
    assert (adherence["completed"], adherence["stopped"]) == (14, 1)
    assert adherence["ratio"] == round(15 / 28, 3)
    assert [(w["start"], w["done"]) for w in adherence["weeks"]] == [
        ("2026-03-02", 8),
        ("2026-03-09", 7),
    ]
    assert report["pain"]["first_week_before_back"] == 6.0
    assert report["pain"]["last_week_before_back"] == 3.0
    assert report["stops"][0]["reason"] == "pain_spreading_leg"
    assert "leg" in report["stops"][0]["reason_text"]["en"]
    assert len(report["sessions"]) == 15
    assert report["plan"]["exercise_titles"]["P1"]["en"] == "Pelvic tilt lying down"

    file = write_report_file(tmp_path / "maria-report", report)
    assert file.suffix == ".coachreport"
    json.loads(file.read_text(encoding="utf-8"))  # plain JSON for other tools
    back = read_report_file(file)
    assert back.patient_name == "Maria Muster"
    import_report(file, clinic_paths)
    rows, problems = patient_list(clinic_paths)
    assert problems == []
    assert [r.patient for r in rows] == ["Maria Muster"]
    row = rows[0]
    assert row.adherence == round(15 / 28, 3)
    assert row.sessions_done == (15, 28)
    assert row.pain_trend == (6.0, 3.0, 5.0, 2.0)
    assert row.walking == (8.0, 12.0)
    assert [s.reason for s in row.stops] == ["pain_spreading_leg"]
    assert row.report.plan is not None and row.report.plan.routines[0].id == "daily"


def test_hostile_reports_are_refused(tmp_path: Path) -> None:
    cases = {
        "deep": ("[" * 100_000 + "]" * 100_000, "nested far too deeply|not a Coach report"),
        "wrong kind": (json.dumps({"kind": "something"}), "not a Coach report"),
        "newer": (
            json.dumps({"kind": "coach-report", "format_version": 9}),
            r"newer Coach \(format 9\)",
        ),
        "bad values": (
            json.dumps(
                {
                    "kind": "coach-report",
                    "format_version": 1,
                    "created": "2026-03-01T00:00:00Z",
                    "period": {"start": "2026-03-01", "end": "2026-03-02"},
                    "sessions": [{"date": "2026-03-01", "routine_id": "x", "outcome": "x"}],
                }
            ),
            r"sessions\[0\]\.outcome",
        ),
        "nan": ('{"kind": "coach-report", "format_version": NaN}', "not a number"),
        "not text": ("\udcff", "not a Coach report"),
    }
    for name, (text, message) in cases.items():
        raw = text.encode("utf-8", "surrogateescape")
        with pytest.raises(HandoverError, match=message):
            read_report_bytes(raw, f"{name}.coachreport")
    two = {
        "kind": "coach-report",
        "format_version": 1,
        "created": "2026-03-01T00:00:00Z",
        "period": {"start": "2026-03-02", "end": "2026-03-01"},
        "sessions": [{"date": "2026-03-01", "routine_id": "x", "outcome": "x"}],
    }
    with pytest.raises(HandoverError) as caught:
        read_report_bytes(json.dumps(two).encode(), "two.coachreport")
    assert caught.value.details == [
        "period.end: the period ends before it starts",
        "sessions[0].outcome: 'x' is not one of the allowed values "
        "(abandoned, completed, in_progress, stopped)",
    ]
    big = tmp_path / "big.coachreport"
    big.write_bytes(b" " * (5 * 1024 * 1024))
    with pytest.raises(HandoverError, match="reports up to"):
        read_report_file(big)


def test_a_later_report_replaces_the_earlier_one(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library], tmp_path: Path
) -> None:
    clinic_paths, clinic_lib, custom = clinic
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        installed = install_assignment(
            make_plan(clinic_lib, custom), home_paths, store, library=home_lib
        ).installed
        early = export_report_data(
            store, installed, Period(date(2026, 3, 2), date(2026, 3, 8)), tz=UTC
        )
        late = export_report_data(
            store, installed, Period(date(2026, 3, 2), date(2026, 3, 22)), tz=UTC
        )
    import_report(write_report_file(tmp_path / "late", late), clinic_paths)
    import_report(write_report_file(tmp_path / "early", early), clinic_paths)
    rows, _ = patient_list(clinic_paths)
    assert len(rows) == 1 and rows[0].period.end == date(2026, 3, 22)


def test_schedule_days_drive_adherence(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library]
) -> None:
    _, clinic_lib, custom = clinic
    mwf = routine(
        "strength",
        {"exercise": "T1"},
        schedule=Schedule(times_per_day=1, days=["mon", "wed", "fri"]).to_data(),
    )
    plan = make_plan(clinic_lib, custom, routines=[mwf])
    home_paths, home_lib = home
    with Store.open(home_paths.database) as store:
        installed = install_assignment(plan, home_paths, store, library=home_lib).installed
        report = export_report_data(
            store, installed, Period(date(2026, 3, 2), date(2026, 3, 15)), tz=UTC
        )
    assert report["adherence"]["prescribed"] == 6


def test_the_report_says_what_coach_changed_at_home(
    clinic: tuple[Paths, Library, str], home: tuple[Paths, Library], tmp_path: Path
) -> None:
    from coach.core.person.inputs import gather
    from coach.core.progress.stats import DOSE_CHANGES_KEY
    from coach.core.session.profile import (
        BodySide,
        HealthProfile,
        Joint,
        JointReplacement,
        save_profile,
    )

    clinic_paths, clinic_lib, custom = clinic
    plan = make_plan(clinic_lib, custom)
    home_paths, home_lib = home
    save_profile(
        home_paths.data / "profile.json",
        HealthProfile(
            completed=True,
            joint_replacements=[JointReplacement(joint=Joint.HIP, side=BodySide.LEFT)],
        ),
    )
    with Store.open(home_paths.database) as store:
        installed = install_assignment(plan, home_paths, store, library=home_lib).installed
        rid = installed.routine_ids["daily"]
        store.set_json(DOSE_CHANGES_KEY, {rid: {"0": {"exercise_id": "P1", "reps": 10}}})
        library = load_library(home_paths)  # with the installed plan in it
        inputs, notes = gather(home_paths, library, store, today=date(2026, 3, 16))
        assert notes == []
        report = export_report_data(
            store,
            installed,
            Period(date(2026, 3, 2), date(2026, 3, 15)),
            library=library,
            inputs=inputs,
            now=datetime(2026, 3, 15, 20, tzinfo=UTC),
        )
    (run,) = report["as_run"]
    assert run["routine_id"] == "daily" and run["playable"] is True
    assert run["total_seconds"] < run["written_total_seconds"]  # S1 is left out
    kinds = [(c["cause"], c["kind"], c["exercise"]) for c in run["changes"]]
    assert kinds == [
        ("dose_change", "dose", "P1"),
        ("health", "left_out", "S1"),
        ("programme_week", "programme", None),
    ]
    assert "8 → 10" in run["changes"][0]["text"]["en"]
    assert "Woche 3 von 7" in run["changes"][2]["text"]["de"]

    file = write_report_file(tmp_path / "maria-report", report)
    import_report(file, clinic_paths)
    (row,), problems = patient_list(clinic_paths)
    assert problems == []
    assert [c.exercise for c in row.changes["daily"]] == ["P1", "S1", None]
    assert row.changes["daily"][1].text.get("en").startswith("Left out for you: One knee")


def test_a_report_from_before_the_personal_plan_still_reads(tmp_path: Path) -> None:
    report = {
        "format_version": 1,
        "kind": "coach-report",
        "created": "2026-03-15T20:00:00+00:00",
        "period": {"start": "2026-03-02", "end": "2026-03-15"},
    }
    file = tmp_path / "old.coachreport"
    file.write_text(json.dumps(report), encoding="utf-8")
    assert read_report_file(file).as_run == []
