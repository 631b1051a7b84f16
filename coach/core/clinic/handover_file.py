"""Reading a ``.coach`` file, which is hostile until every check has passed.

A plan travels by mail or USB stick, so anyone could have made or changed it:

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

Reading only reads: whatever the file holds, nothing is written.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from coach.core.clinic.handover import (
    _PICTURE_MEMBER,
    ASSIGNMENT_FORMAT_VERSION,
    MANIFEST,
    Assignment,
    HandoverError,
    _newer,
    check_assignment,
)
from coach.core.content.custom_exercise import PictureError, check_picture, picture_kind
from coach.core.content.files import FileProblems, _locate, decode_text, parse_yaml
from coach.core.content.library import Library
from coach.core.content.records import Invalid, Loc, field_path

MAX_ARCHIVE_BYTES = 24 * 1024 * 1024
MAX_MEMBERS = 64
MAX_MANIFEST_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 48 * 1024 * 1024
"""All members together, unpacked."""
MAX_RATIO = 100
"""Unpacked size / packed size; text compresses about 3-10 times, pictures hardly."""
RATIO_FLOOR_BYTES = 64 * 1024
"""Members smaller than this unpacked are never a bomb, whatever their ratio."""


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
    """Safe YAML under the limits of coach.core.content.files, from bytes."""
    try:
        return parse_yaml(decode_text(Path(label), raw), Path(label))
    except FileProblems as exc:
        details = [
            f"{p.path}:{p.line}:{p.column}:{' ' + p.field + ':' if p.field else ''} "
            f"refused, {p.message}"
            for p in exc.problems
        ]
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        raise HandoverError(f"{details[0]}{more}", details) from None


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
