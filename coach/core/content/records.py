"""Validated records: the base of every structure Coach reads from a file.

Routine files, hand-over packages, the health profile and the clinic's
report all arrive as plain data (YAML or JSON) and become typed records
here. The checking is done by msgspec: its limits (``Meta(ge=1, le=10)``)
sit in the type annotations, where the JSON Schema for editors is also
read from, and it imports in ~20 ms and ~2 MiB, which the player's memory
and ``coach print``'s start-up budgets need (pydantic took ~150 ms and
~20 MiB). Rules that span fields live in ``__post_init__``, which msgspec
runs after the field checks when a record is read.

A record built in code (``Routine(...)``) is not checked (only its
``__post_init__`` runs): code that turns a person's input into a record reads
it with :meth:`Record.from_data`.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, ClassVar, Self

import msgspec
from msgspec import UNSET, Meta, UnsetType, field

__all__ = [
    "UNSET",
    "UNWRITABLE_TEXT",
    "FieldProblem",
    "Invalid",
    "Loc",
    "Meta",
    "Record",
    "UnsetType",
    "field",
    "field_path",
    "one_line",
    "pattern",
    "unwritable_text",
]

Loc = tuple[str | int, ...]


class Invalid(ValueError):
    """Data that does not fit a record: where (keys and indexes) and what is wrong.

    ``loc`` and ``message`` are the first problem; ``problems`` lists each one
    found (a file with three mistakes gets all three fixed in one go).
    """

    def __init__(
        self, loc: Loc, message: str, *, more: list[tuple[Loc, str]] | None = None
    ) -> None:
        where = field_path(loc)
        message = one_line(message)
        super().__init__(f"{where}: {message}" if where else message)
        self.loc = loc
        self.message = message
        self.problems: list[tuple[Loc, str]] = [(loc, message), *(more or [])]


def one_line(text: str) -> str:
    """``text`` with line breaks and other invisible characters escaped (``\\n``).

    Messages quote what a file holds (an unknown language, a value); a problem
    stays one printable line whatever that is.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class FieldProblem(ValueError):
    """Raised in ``__post_init__`` for a rule about one field, so the problem points at it."""

    def __init__(self, name: str | Loc, message: str) -> None:
        super().__init__(message)
        self.loc: Loc = (name,) if isinstance(name, str) else name


class Custom:
    """A value type msgspec does not know, read from and written as plain data."""

    @classmethod
    def from_data(cls, data: Any) -> Self:
        raise NotImplementedError

    def to_data(self) -> Any:
        raise NotImplementedError

    json_schema: ClassVar[dict[str, Any]] = {}


def _dec_hook(kind: type, data: Any) -> Any:
    if isinstance(kind, type) and issubclass(kind, Custom):
        return data if isinstance(data, kind) else kind.from_data(data)
    raise NotImplementedError(f"cannot read {kind!r}")


def _enc_hook(value: Any) -> Any:
    if isinstance(value, Custom):
        return value.to_data()
    raise NotImplementedError(f"cannot write {type(value).__name__}")


def schema_hook(kind: type) -> dict[str, Any]:
    if isinstance(kind, type) and issubclass(kind, Custom):
        return dict(kind.json_schema)
    raise NotImplementedError(f"no schema for {kind!r}")


class Record(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A typed record with the reading, writing and copying every Coach record needs."""

    @classmethod
    def from_data(cls, data: Any) -> Self:
        """Check plain data (or a record of this type) and build the record; raise Invalid."""
        if (bad := unwritable_text(data)) is not None:
            raise Invalid(bad, UNWRITABLE_TEXT)
        try:
            return msgspec.convert(data, cls, dec_hook=_dec_hook)
        except msgspec.ValidationError:
            pass
        # msgspec stops at the first mistake; look for the others only now.
        (loc, message), *more = _problems(cls, data, ()) or [((), "not valid")]
        raise Invalid(loc, message, more=more)

    @classmethod
    def from_json(cls, raw: bytes | str) -> Self:
        """Read a record from JSON text; raise Invalid (also for text that is not JSON)."""
        try:
            return msgspec.json.decode(raw, type=cls, dec_hook=_dec_hook)
        except msgspec.ValidationError as exc:
            raise _invalid(exc, cls) from None
        except msgspec.DecodeError as exc:
            raise Invalid((), f"not valid JSON: {exc}") from None

    def to_data(self, *, drop_default_none: bool = False) -> dict[str, Any]:
        """Plain, JSON-ready data (enums as values, dates as ISO text); UNSET fields left out.

        ``drop_default_none`` leaves out the None values a record only has as
        its default, for files a person reads; a None that means something
        (``tempo: null``: the rep is not counted) is kept, so the file reads
        back the same.
        """
        data = msgspec.to_builtins(self, enc_hook=_enc_hook)
        assert isinstance(data, dict)
        if drop_default_none:
            _drop_default_none(self, data)
        return data

    def to_json(self) -> str:
        raw = msgspec.json.encode(self, enc_hook=_enc_hook)
        return msgspec.json.format(raw, indent=2).decode("utf-8")

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (not checked)."""
        return msgspec.structs.replace(self, **changes)


UNWRITABLE_TEXT = (
    "contains a character that is not text (a lone UTF-16 surrogate such as \\ud800); "
    "Coach cannot store it"
)


def unwritable_text(data: Any) -> Loc | None:
    """Where plain data holds text that cannot be written as UTF-8, or None.

    JSON's ``"\\ud800"`` reads as half a character (a lone surrogate): it
    passes every check and breaks whatever writes or prints it later. Keys
    count too. Walks without recursion (deeply nested data is no crash).
    """
    stack: list[tuple[Loc, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and not _encodes(value):
                return loc
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not key.isascii() and not _encodes(key):
                    return loc
                stack.append(((*loc, key if isinstance(key, str | int) else str(key)), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*loc, i), item) for i, item in enumerate(value))
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _none_by_default(kind: type[Record]) -> frozenset[str]:
    return frozenset(f.name for f in msgspec.structs.fields(kind) if f.default is None)


def _drop_default_none(record: Record, data: dict[str, Any]) -> None:
    optional = _none_by_default(type(record))
    for name in record.__struct_fields__:
        value = getattr(record, name)
        if value is None:
            if name in optional:
                data.pop(name, None)
        elif isinstance(value, Record):
            _drop_default_none(value, data[name])
        elif isinstance(value, list):
            for item, item_data in zip(value, data[name], strict=False):
                if isinstance(item, Record):
                    _drop_default_none(item, item_data)


# -- patterns with a hint a person can act on ------------------------------------

_PATTERN_HINTS: dict[str, str] = {}


def pattern(regex: str, hint: str) -> Meta:
    """A text pattern whose problem message is ``hint`` instead of the regular expression."""
    _PATTERN_HINTS[regex] = hint
    return Meta(pattern=regex, description=hint)


# -- msgspec's messages in the words of Coach's problem reports -------------------

_AT = re.compile(r"^(?P<what>.*?) - at `(?P<path>[^`]*)`(?: in `(?P<parent>[^`]*)`)?$", re.S)
_STEP = re.compile(r"\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?P<index>\d+|\.\.\.)\]")
_NOUNS = {
    "int": "a whole number (integer)",
    "float": "a number",
    "str": "text",
    "bool": "true or false",
    "array": "a list",
    "object": "a block of 'field: value' lines",
    "null": "nothing (null)",
    "date": "a date such as 2026-03-01",
    "datetime": "a date and time",
}
_COMPARISONS = {
    ">=": "greater than or equal to",
    ">": "greater than",
    "<=": "less than or equal to",
    "<": "less than",
}


def _noun(kind: str) -> str:
    return " or ".join(_NOUNS.get(k.strip(), k.strip()) for k in kind.split("|"))


def _path(text: str) -> Iterator[str | int]:
    for step in _STEP.finditer(text.removeprefix("$")):
        if step["name"]:
            yield step["name"]
        elif step["index"] != "...":
            yield int(step["index"])


def _number(text: str) -> str:
    return text.removesuffix(".0")


def _message(what: str) -> tuple[Loc, str]:
    """Coach's wording for one msgspec message, and any field it names below its path."""
    if m := re.fullmatch(r"Object missing required field `(.+)`", what):
        return (m[1],), "required field is missing"
    if m := re.fullmatch(r"Object contains unknown field `(.+)`", what):
        return (m[1],), "unknown field (check the spelling)"
    if m := re.fullmatch(r"Expected `(.+)`, got `(.+)`", what):
        return (), f"must be {_noun(m[1])}, not {_noun(m[2])}"
    if m := re.fullmatch(r"Expected `(?:int|float)` (>=|>|<=|<) (.+)", what):
        return (), f"must be {_COMPARISONS[m[1]]} {_number(m[2])}"
    if m := re.fullmatch(r"Expected `str` of length (>=|<=) (\d+)", what):
        if m[1] == ">=":
            return (), "must not be empty" if m[2] == "1" else f"must be at least {m[2]} characters"
        return (), f"must be at most {m[2]} characters long"
    if m := re.fullmatch(r"Expected `(?:array|object)` of length (>=|<=) (\d+)", what):
        if m[1] == ">=":
            return (), f"needs at least {m[2]} {'entry' if m[2] == '1' else 'entries'}"
        return (), f"allows at most {m[2]} entries"
    if m := re.fullmatch(r"Expected `str` matching regex '(.+)'", what, re.S):
        # msgspec doubles the backslashes of the regex it quotes.
        regex = m[1].replace("\\\\", "\\")
        return (), _PATTERN_HINTS.get(regex, "does not have the expected form")
    if what == "Number out of range":
        return (), "is far too large a number"
    if m := re.fullmatch(r"Invalid enum value (.+)", what):
        return (), f"{m[1]} is not one of the allowed values"
    if m := re.fullmatch(r"Invalid RFC3339 encoded (date|datetime)", what):
        return (), f"must be {_noun(m[1])}"
    return (), what


def _invalid(exc: msgspec.ValidationError, kind: type) -> Invalid:
    text = str(exc)
    loc: Loc = ()
    if m := _AT.match(text):
        what = m["what"]
        loc = tuple(_path(m["parent"] or m["path"]))
    else:
        what = text
    below, message = _message(what)
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, FieldProblem):
        below = cause.loc
    if what.startswith("Invalid enum value") and (choices := _choices(kind, loc)):
        message += f" ({', '.join(choices)})"
    return Invalid(loc + below, message)


def _choices(kind: type, loc: Loc) -> list[str]:
    """The values an enum or literal field at ``loc`` takes, to name them in a problem."""
    import msgspec.inspect as mi  # only when a file has a wrong value

    def walk(info: mi.Type, rest: Loc) -> list[str]:
        if isinstance(info, mi.Metadata):
            return walk(info.type, rest)
        if isinstance(info, mi.UnionType):
            return next((found for t in info.types if (found := walk(t, rest))), [])
        if not rest:
            if isinstance(info, mi.EnumType):
                return [str(member.value) for member in info.cls]
            if isinstance(info, mi.LiteralType):
                return [str(value) for value in info.values]
            return []
        head, tail = rest[0], rest[1:]
        if isinstance(info, mi.StructType):
            named = [f for f in info.fields if f.name == head]
            return walk(named[0].type, tail) if named else []
        if isinstance(info, mi.ListType) and isinstance(head, int):
            return walk(info.item_type, tail)
        return []

    return walk(mi.type_info(kind), loc)


def field_path(loc: Loc) -> str:
    """``items[1].hold_s`` for ("items", 1, "hold_s"), as problem reports write a place."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part.isprintable() or not part:
            # A made-up key ("\n", "\ud800", ""): shown escaped, so the problem stays one line.
            out += f"[{part!r}]"
        else:
            out += f".{part}" if out else part
    return out


MAX_PROBLEMS = 20
"""Enough to fix a file in one go; a file with more is usually not a Coach file at all."""


def _problems(kind: Any, data: Any, loc: Loc) -> list[tuple[Loc, str]]:
    """Every problem of ``data`` as a ``kind``, checking the parts one by one.

    A part that passes on its own but fails as a whole (a rule in
    ``__post_init__`` across fields) is reported once, where the whole is.
    """
    try:
        msgspec.convert(data, kind, dec_hook=_dec_hook)
        return []
    except msgspec.ValidationError as exc:
        first = _invalid(exc, kind)
    whole = [(loc + first.loc, first.message)]
    inner = _unwrap(kind, data)
    found: list[tuple[Loc, str]] = []
    if isinstance(inner, type) and issubclass(inner, msgspec.Struct) and isinstance(data, dict):
        fields = {f.name: f for f in msgspec.structs.fields(inner)}
        if inner.__struct_config__.forbid_unknown_fields:
            found += [
                ((*loc, key), "unknown field (check the spelling)")
                for key in data
                if key not in fields
            ]
        for name, info in fields.items():
            if name in data:
                found += _problems(info.type, data[name], (*loc, name))
            elif info.required:
                found.append(((*loc, name), "required field is missing"))
            if len(found) >= MAX_PROBLEMS:
                break
    elif typing.get_origin(inner) is list and isinstance(data, list):
        (item,) = typing.get_args(inner)
        for index, value in enumerate(data):
            found += _problems(item, value, (*loc, index))
            if len(found) >= MAX_PROBLEMS:
                break
        if not found:  # the items are fine: the list itself (too long, too short)
            return whole
    return found[:MAX_PROBLEMS] or whole


def _unwrap(kind: Any, data: Any) -> Any:
    """The record or list type inside ``Annotated[...]`` or ``X | None`` that ``data`` is for."""
    if typing.get_origin(kind) is typing.Annotated:
        return _unwrap(typing.get_args(kind)[0], data)
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        for member in typing.get_args(kind):
            inner = _unwrap(member, data)
            is_record = isinstance(inner, type) and issubclass(inner, msgspec.Struct)
            if (is_record and isinstance(data, dict)) or (
                typing.get_origin(inner) is list and isinstance(data, list)
            ):
                return inner
    return kind
