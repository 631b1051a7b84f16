"""The clinic's own exercises, and the checks every picture from outside must pass.

A physiotherapist adds an exercise of their own with the same fields as the
built-in ones and a picture of their own (PNG, JPEG or SVG). It is stored as an
ordinary exercise file in the clinic's folder inside the person's exercise
folder (``<data>/exercises/clinic/``), so the library, ``coach validate`` and
every routine that uses it see it without further set-up.

Pictures come from a clinic's camera, a scanner, or a hand-over file that came
by mail: they are checked from their bytes (magic numbers, structure, the
dimensions read from the header) without decoding the image, so a picture
that claims 50,000 × 50,000 pixels is refused before anything tries to
allocate memory for it.
"""

from __future__ import annotations

import base64
import re
import struct
import unicodedata
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.core.common.atomic import write_bytes_atomic
from coach.core.common.paths import Paths
from coach.core.content.files import save_document
from coach.core.content.model import (
    MAX_HOLD_S,
    MAX_REPS,
    MAX_REST_S,
    MAX_SETS,
    Category,
    Exercise,
    Side,
    Tag,
)
from coach.core.content.records import Invalid

MAX_PICTURE_BYTES = 4 * 1024 * 1024
"""A photo or drawing of an exercise; a larger file is a mistake (or an attack)."""
MAX_SVG_BYTES = 1024 * 1024
MAX_PICTURE_SIDE = 6000
"""Pixels per side; the header is read, the image never decoded to find out."""
MAX_PICTURE_PIXELS = 24_000_000
MAX_SVG_ELEMENTS = 20_000

PICTURE_KINDS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
"""File name endings accepted for a picture, and the format each must really be."""

CLINIC_PREFIX = "clinic-"


class PictureError(ValueError):
    """A picture that cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class PictureInfo:
    kind: str  # "png", "jpeg" or "svg"
    width: int
    height: int


# --------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------


def picture_kind(name: str) -> str | None:
    """The format a file name promises, or None for a name we do not take."""
    return PICTURE_KINDS.get(Path(name).suffix.lower())


def _check_size(width: int, height: int, what: str) -> None:
    if width <= 0 or height <= 0:
        raise PictureError(f"the {what} picture has no size; it is damaged")
    if width > MAX_PICTURE_SIDE or height > MAX_PICTURE_SIDE or width * height > MAX_PICTURE_PIXELS:
        raise PictureError(
            f"the picture is {width} × {height} pixels; pictures up to "
            f"{MAX_PICTURE_SIDE} pixels a side ({MAX_PICTURE_PIXELS // 1_000_000} megapixels) "
            "are accepted"
        )


def _png_info(data: bytes) -> PictureInfo:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise PictureError("this is not a PNG picture (its first bytes are wrong)")
    pos = 8
    width = height = 0
    seen_ihdr = seen_idat = seen_iend = False
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise PictureError("the PNG picture is cut off (incomplete file)")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : end])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise PictureError("the PNG picture is damaged (a checksum does not match)")
        if not seen_ihdr:
            if kind != b"IHDR" or length != 13:
                raise PictureError("the PNG picture is damaged (no header)")
            width, height = struct.unpack(">II", body[:8])
            _check_size(width, height, "PNG")
            seen_ihdr = True
        elif kind == b"IDAT":
            seen_idat = True
        elif kind == b"IEND":
            seen_iend = True
            break
        pos = end
    if not (seen_ihdr and seen_idat and seen_iend):
        raise PictureError("the PNG picture is incomplete or damaged")
    return PictureInfo("png", width, height)


# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_info(data: bytes) -> PictureInfo:
    if not data.startswith(b"\xff\xd8\xff"):
        raise PictureError("this is not a JPEG picture (its first bytes are wrong)")
    pos = 2
    size: tuple[int, int] | None = None
    while pos < len(data):
        if data[pos] != 0xFF:
            raise PictureError("the JPEG picture is damaged")
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1
        if pos >= len(data):
            break
        marker = data[pos]
        pos += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            continue  # markers without a length
        if marker == 0xD9:
            break
        if pos + 2 > len(data):
            break
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2 or pos + length > len(data):
            raise PictureError("the JPEG picture is cut off or damaged")
        if marker in _SOF:
            if length < 7:
                raise PictureError("the JPEG picture is damaged (bad frame header)")
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            size = (width, height)
        if marker == 0xDA:  # start of scan: the picture data follows
            break
        pos += length
    if size is None:
        raise PictureError("the JPEG picture is damaged (no frame header)")
    _check_size(size[0], size[1], "JPEG")
    return PictureInfo("jpeg", size[0], size[1])


_SVG_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in|)\s*$")
_UNIT_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def _svg_length(value: str | None) -> float | None:
    if value is None:
        return None
    match = _SVG_NUMBER.match(value)
    if not match:
        return None  # percentages and the like: no fixed size
    return float(match.group(1)) * _UNIT_PX[match.group(2)]


def _svg_info(data: bytes) -> PictureInfo:
    if len(data) > MAX_SVG_BYTES:
        raise PictureError(
            f"the SVG picture is {len(data) // 1024} KiB; SVG pictures up to "
            f"{MAX_SVG_BYTES // 1024} KiB are accepted"
        )
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise PictureError("this is not an SVG picture (not UTF-8 text)") from None
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        # Entities are how XML "billion laughs" bombs work; drawings need none.
        raise PictureError("the SVG picture declares a DOCTYPE or entities; refused")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise PictureError(f"this is not a valid SVG picture ({exc})") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise PictureError("this is not an SVG picture (no <svg> element)")
    count = 0
    for element in root.iter():
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise PictureError("the SVG picture is far too detailed; refused")
        name = str(element.tag).rsplit("}", 1)[-1]
        if name == "script":
            raise PictureError("the SVG picture contains a script; refused")
        for attr, value in element.attrib.items():
            if attr.rsplit("}", 1)[-1] != "href":
                continue
            ref = value.strip()
            if ref.startswith("#"):
                continue
            if ref.startswith("data:image/"):
                _check_embedded(ref)
                continue
            raise PictureError(
                "the SVG picture refers to another file or a web address; only "
                "self-contained pictures are accepted"
            )
    width = _svg_length(root.get("width"))
    height = _svg_length(root.get("height"))
    if width is None or height is None:
        box = (root.get("viewBox") or "").replace(",", " ").split()
        try:
            width, height = float(box[2]), float(box[3])
        except (IndexError, ValueError):
            width, height = 400.0, 300.0  # no size at all: it scales to fit anyway
    if width <= 0 or height <= 0 or width > 100_000 or height > 100_000:
        raise PictureError("the SVG picture has an impossible size")
    return PictureInfo("svg", max(1, round(width)), max(1, round(height)))


def _check_embedded(ref: str) -> None:
    head, _, payload = ref.partition(",")
    if ";base64" not in head:
        raise PictureError("the SVG picture embeds an image in an unknown way; refused")
    if len(payload) > MAX_SVG_BYTES * 2:
        raise PictureError("the SVG picture embeds a very large image; refused")
    try:
        raw = base64.b64decode(payload, validate=False)
    except ValueError:
        raise PictureError("the SVG picture embeds a damaged image") from None
    if head.startswith("data:image/png"):
        _png_info(raw)
    elif head.startswith(("data:image/jpeg", "data:image/jpg")):
        _jpeg_info(raw)
    else:
        raise PictureError("the SVG picture embeds an image that is not PNG or JPEG; refused")


def check_picture(data: bytes, name: str) -> PictureInfo:
    """Check a picture from its bytes; raises PictureError with a plain reason.

    The format must match the name's ending (a ``.png`` must really be PNG).
    """
    kind = picture_kind(name)
    if kind is None:
        raise PictureError(
            f"'{Path(name).name}' is not a picture Coach takes; use PNG, JPEG or SVG"
        )
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureError(
            f"the picture is {len(data) / 1024 / 1024:.1f} MiB; pictures up to "
            f"{MAX_PICTURE_BYTES // 1024 // 1024} MiB are accepted"
        )
    if not data:
        raise PictureError("the picture file is empty")
    if kind == "png":
        return _png_info(data)
    if kind == "jpeg":
        return _jpeg_info(data)
    return _svg_info(data)


def read_picture(path: Path) -> tuple[bytes, PictureInfo]:
    """Read and check a picture file (the size is checked before reading)."""
    kind = picture_kind(path.name)
    if kind is None:
        raise PictureError(f"'{path.name}' is not a picture Coach takes; use PNG, JPEG or SVG")
    try:
        size = path.stat().st_size
        if size > MAX_PICTURE_BYTES:
            raise PictureError(
                f"the picture is {size / 1024 / 1024:.1f} MiB; pictures up to "
                f"{MAX_PICTURE_BYTES // 1024 // 1024} MiB are accepted"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise PictureError(f"cannot read '{path.name}': {exc.strerror}") from None
    return data, check_picture(data, path.name)


def picture_suffix(kind: str) -> str:
    return {"png": ".png", "jpeg": ".jpg", "svg": ".svg"}[kind]


# --------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------


def slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII letters, digits and dashes: 'Knie-Umarmung' -> 'knie-umarmung'."""
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return out[:limit].strip("-")


def unique_id(base: str, taken: Iterable[str]) -> str:
    """``base`` or ``base-2``, ``base-3``...: not in ``taken`` (case-insensitive)."""
    used = {t.lower() for t in taken}
    base = base[:60]
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def new_exercise_id(title: str, taken: Iterable[str]) -> str:
    return unique_id(CLINIC_PREFIX + (slug(title, 40) or "exercise"), taken)


# --------------------------------------------------------------------------
# The clinic's exercises
# --------------------------------------------------------------------------


def clinic_folder(paths: Paths) -> Path:
    """Where the clinic's own exercises live: inside the person's exercise folder,
    so that the library and ``coach validate`` find them like any exercise file."""
    return paths.user_exercises / "clinic"


@dataclass
class ExerciseDraft:
    """What the custom-exercise form holds, before it is a valid Exercise.

    Texts are per language (``{"en": ..., "de": ...}``); empty German texts are
    left out. ``pictures`` maps "start"/"end" to a picture file chosen by the
    clinician; with only one, it serves as both.
    """

    title: dict[str, str] = field(default_factory=dict)
    category: Category = Category.STRETCHING
    start_position: dict[str, str] = field(default_factory=dict)
    steps: dict[str, list[str]] = field(default_factory=dict)
    cue: dict[str, str] = field(default_factory=dict)
    breathing: dict[str, str] = field(default_factory=dict)
    side: Side = Side.NONE
    sets: int = 1
    reps: int = 10
    hold_s: float = 0
    rest_s: float = 30
    duration_s: float | None = None
    load: str = ""
    tags: list[Tag] = field(default_factory=list)
    lumbar_extension: bool = False
    pictures: dict[str, Path] = field(default_factory=dict)


def _text(values: Mapping[str, str]) -> dict[str, str] | None:
    cleaned = {lang: v.strip() for lang, v in values.items() if v and v.strip()}
    return cleaned or None


def draft_problems(draft: ExerciseDraft) -> dict[str, str]:
    """Field name -> what is wrong, in words for the form's inline messages."""
    problems: dict[str, str] = {}
    if not (draft.title.get("en") or "").strip():
        problems["title"] = "Give the exercise a title in English."
    if not (draft.start_position.get("en") or "").strip():
        problems["start_position"] = "Describe the start position."
    steps = [s for s in draft.steps.get("en", []) if s.strip()]
    if not 3 <= len(steps) <= 6:
        problems["steps"] = f"Write 3 to 6 steps, one per line (now {len(steps)})."
    de_steps = [s for s in draft.steps.get("de", []) if s.strip()]
    if de_steps and len(de_steps) != len(steps):
        problems["steps_de"] = "The German steps need as many lines as the English ones."
    if not (draft.cue.get("en") or "").strip():
        problems["cue"] = "Write the one line that keeps the lower back safe."
    if draft.hold_s > 0 and not (draft.breathing.get("en") or "").strip():
        problems["breathing"] = "An exercise with a hold needs a breathing cue."
    if not 1 <= draft.sets <= MAX_SETS:
        problems["sets"] = f"Sets: 1 to {MAX_SETS}."
    if not 1 <= draft.reps <= MAX_REPS:
        problems["reps"] = f"Repetitions: 1 to {MAX_REPS}."
    if not 0 <= draft.hold_s <= MAX_HOLD_S:
        problems["hold_s"] = f"Hold: 0 to {MAX_HOLD_S} seconds."
    if not 0 <= draft.rest_s <= MAX_REST_S:
        problems["rest_s"] = f"Rest: 0 to {MAX_REST_S} seconds."
    if len(draft.load) > 80:
        problems["load"] = "Load: at most 80 characters."
    if not draft.pictures:
        problems["pictures"] = "Choose a picture (PNG, JPEG or SVG)."
    for frame, path in draft.pictures.items():
        try:
            read_picture(path)
        except PictureError as exc:
            problems["pictures"] = f"{frame.capitalize()} picture: {exc}."
    return problems


def build_exercise(
    draft: ExerciseDraft, exercise_id: str, picture_refs: Mapping[str, str]
) -> Exercise:
    """The Exercise for a draft without problems; ``picture_refs`` are the stored names."""
    steps_en = [s.strip() for s in draft.steps.get("en", []) if s.strip()]
    steps_de = [s.strip() for s in draft.steps.get("de", []) if s.strip()]
    steps = [
        {"en": en} | ({"de": steps_de[i]} if len(steps_de) == len(steps_en) else {})
        for i, en in enumerate(steps_en)
    ]
    tags = list(dict.fromkeys(draft.tags))
    if draft.lumbar_extension and Tag.LUMBAR_EXTENSION not in tags:
        tags.append(Tag.LUMBAR_EXTENSION)
    if not draft.lumbar_extension and Tag.LUMBAR_EXTENSION in tags:
        tags.remove(Tag.LUMBAR_EXTENSION)
    if draft.hold_s > 0 and Tag.ISOMETRIC_HOLD not in tags:
        tags.append(Tag.ISOMETRIC_HOLD)
    dosage: dict[str, Any] = {
        "side": draft.side.value,
        "sets": draft.sets,
        "reps": draft.reps,
        "hold_s": draft.hold_s,
        "rest_s": draft.rest_s,
    }
    if draft.duration_s:
        dosage["duration_s"] = draft.duration_s
    if draft.load.strip():
        dosage["load"] = draft.load.strip()
    start = picture_refs.get("start") or picture_refs["end"]
    end = picture_refs.get("end") or start
    data: dict[str, Any] = {
        "id": exercise_id,
        "category": draft.category.value,
        "title": _text(draft.title),
        "start_position": _text(draft.start_position),
        "steps": steps,
        "dosage": dosage,
        "cue": _text(draft.cue),
        "tags": [t.value for t in tags],
        "lumbar_extension": draft.lumbar_extension,
        "illustrations": {"start": start, "end": end},
    }
    breathing = _text(draft.breathing)
    if breathing:
        data["breathing"] = breathing
    return Exercise.from_data(data)


def save_clinic_exercise(
    paths: Paths, draft: ExerciseDraft, taken_ids: Iterable[str], exercise_id: str | None = None
) -> tuple[Exercise, Path]:
    """Check the draft, copy its pictures and write the exercise file; returns both.

    ``exercise_id`` names an existing clinic exercise to replace; otherwise a
    new id is made from the title. Raises ValueError listing the problems;
    nothing is written then.
    """
    problems = draft_problems(draft)
    if problems:
        raise ValueError("; ".join(problems.values()))
    ident = exercise_id or new_exercise_id(draft.title["en"], taken_ids)
    folder = clinic_folder(paths)
    pictures: dict[str, tuple[bytes, str]] = {}
    refs: dict[str, str] = {}
    for frame, path in draft.pictures.items():
        data, info = read_picture(path)
        name = f"pictures/{ident}-{frame}{picture_suffix(info.kind)}"
        pictures[name] = (data, frame)
        refs[frame] = name
    try:
        exercise = build_exercise(draft, ident, refs)
    except Invalid as exc:
        raise ValueError(str(exc)) from None
    for name, (data, _) in pictures.items():
        write_bytes_atomic(folder / name, data)
    target = folder / f"{ident}.yaml"
    save_document(exercise, target)
    # Pictures of an earlier version under another format are left behind otherwise.
    for old in (folder / "pictures").glob(f"{ident}-*"):
        if f"pictures/{old.name}" not in pictures:
            old.unlink(missing_ok=True)
    return exercise, target
