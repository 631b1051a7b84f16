"""Reading and writing Coach's YAML files, treating every file as untrusted.

Routine and exercise files arrive from clinics by mail or USB stick, so the
reader refuses anything that could hang or mislead the app (huge files, alias
bombs, duplicate keys, files for a newer Coach) and reports what is wrong as
``file:line:column: field.path: message`` so a physiotherapist can fix it in
any text editor. Every problem found is listed, so a file gets fixed in one
go.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coach.core.common.atomic import write_text_atomic
from coach.core.content.model import FORMAT_VERSION, Exercise, Routine
from coach.core.content.records import Invalid, Loc, field_path, one_line

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024
"""A routine or exercise file is a few kilobytes; anything larger is a mistake."""

MAX_EXPANDED_NODES = 20_000
"""Bound on the document size after aliases are expanded (stops alias bombs)."""

Document = Exercise | Routine

# Migrations from format N to N+1, applied in order to the raw mapping.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as we can."""

    path: Path
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{self.column}:{field} {one_line(self.message)}"


class FileProblems(Exception):
    """Raised when a file cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Loaded:
    """A validated document with the means to point back into its source."""

    document: Document
    path: Path
    root: yaml.Node | None

    def locate(self, *loc: str | int) -> tuple[int, int]:
        if self.root is None:
            try:
                _data, self.root = read_yaml(self.path)
            except FileProblems:
                return 1, 1
        return _locate(self.root, loc)

    def release(self) -> None:
        """Drop the node tree; :meth:`locate` reads the file again if it is ever needed.

        The trees are there only to point at a line when something is wrong;
        a whole library's hold ~40,000 small objects (2.6 MiB).
        """
        self.root = None

    def problem(self, loc: Loc, message: str) -> Problem:
        line, column = self.locate(*loc)
        return Problem(self.path, line, column, field_path(loc), message)


def _locate(node: yaml.Node, loc: Loc) -> tuple[int, int]:
    """Line and column (1-based) of the deepest node on the path ``loc``."""
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    child = value
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the document once every alias is expanded, counted without expanding."""
    memo: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in memo:
            return memo[key]
        memo[key] = 1  # guards against recursive aliases
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k) + size(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
        total = min(total, MAX_EXPANDED_NODES + 1)
        memo[key] = total
        return total

    return size(root)


def _duplicate_keys(node: yaml.Node, seen: set[int] | None = None) -> Iterator[yaml.Node]:
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in keys:
                    yield key
                keys.add(key.value)
            yield from _duplicate_keys(value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item, seen)


def decode_text(path: Path, raw: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped); FileProblems pointing at the first bad byte."""
    return _decode(path, raw)


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise FileProblems(
            [Problem(path, line, column, "", "the file is not UTF-8 text; save it as UTF-8")]
        ) from None
    return text.removeprefix("\ufeff")


def read_yaml(path: Path) -> tuple[Any, yaml.Node]:
    """Parse one YAML file safely into plain data and its node tree."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block the read (or never end): only
            # ordinary files are content.
            raise FileProblems(
                [Problem(path, 1, 1, "", "not an ordinary file (a pipe, device or folder)")]
            )
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise FileProblems(
                [
                    Problem(
                        path,
                        1,
                        1,
                        "",
                        f"the file is {size // 1024} KiB; files over "
                        f"{MAX_FILE_BYTES // 1024} KiB are refused",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise FileProblems(
            [Problem(path, 1, 1, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    return parse_yaml(_decode(path, raw), path)


MAX_DEPTH = 40
"""Blocks inside blocks; a Coach document has about eight levels."""


class _Constructor(_Loader):
    """The safe loader, with a value it cannot build reported where the value is.

    PyYAML raises plain ValueError and friends for ``2026-13-45``, a number
    with 5,000 digits or ``!!int abc``; here they become located YAML errors.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            value = str(node.value) if isinstance(node, yaml.ScalarNode) else node.tag
            shown = value if len(value) <= 40 else value[:37] + "..."
            if "integer string conversion" in str(exc):
                why = "a number with far too many digits"
            else:
                why = str(exc) if isinstance(exc, ValueError) else "not readable"
            raise yaml.constructor.ConstructorError(
                None, None, f"the value '{shown}' cannot be read ({why})", node.start_mark
            ) from None


def _too_deep(root: yaml.Node) -> bool:
    """Whether blocks nest deeper than MAX_DEPTH (aliases that loop count as endless).

    Level by level, without recursion, so that the recursive checks after it
    are safe; stops early once the levels hold more than the expansion limit.
    """
    level = [root]
    seen = 0
    for _ in range(MAX_DEPTH):
        below: dict[int, yaml.Node] = {}
        for node in level:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    below[id(key)] = key
                    below[id(value)] = value
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    below[id(item)] = item
        if not below:
            return False
        seen += len(below)
        if seen > MAX_EXPANDED_NODES:
            return False  # the expansion check refuses it
        level = list(below.values())
    return True


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based) of a character's index in ``text``."""
    before = text[: max(0, index)]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def parse_yaml(text: str, path: Path) -> tuple[Any, yaml.Node]:
    """Safe YAML from text, under every limit; problems name ``path`` (a file or a member)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "not valid YAML"
        ctx = exc.context_mark
        if exc.context and ctx and mark and ctx.line != mark.line:
            what += f" ({exc.context} that starts at line {ctx.line + 1}, column {ctx.column + 1})"
        raise FileProblems(
            [Problem(path, line, column, "", f"YAML syntax error: {what}")]
        ) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (a NUL, a control character).
        line, column = _position(text, exc.position)
        reason = exc.reason.split(":")[-1].strip() or "a character YAML does not allow"
        raise FileProblems(
            [Problem(path, line, column, "", f"YAML error: {reason} (#x{exc.character:04x})")]
        ) from None
    except yaml.YAMLError as exc:
        what = str(exc).splitlines()[0] if str(exc) else "not valid YAML"
        raise FileProblems([Problem(path, 1, 1, "", f"YAML error: {what}")]) from None
    except RecursionError:  # pragma: no cover - the pure-Python parser only
        raise FileProblems([Problem(path, 1, 1, "", "the file is nested far too deeply")]) from None
    if root is None:
        raise FileProblems([Problem(path, 1, 1, "", "the file is empty")])
    if _too_deep(root):
        raise FileProblems(
            [Problem(path, 1, 1, "", f"blocks are nested more than {MAX_DEPTH} deep; refused")]
        )
    if _expanded_size(root) > MAX_EXPANDED_NODES:
        raise FileProblems(
            [Problem(path, 1, 1, "", "the file expands to too much data (nested aliases); refused")]
        )
    duplicates = [
        Problem(
            path,
            k.start_mark.line + 1,
            k.start_mark.column + 1,
            str(k.value),
            "this key appears twice in the same block",
        )
        for k in _duplicate_keys(root)
    ]
    if duplicates:
        raise FileProblems(duplicates)
    loader = _Constructor("")
    try:
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "not valid YAML"
        raise FileProblems([Problem(path, line, column, "", what)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every construct error has a mark
        what = str(exc).splitlines()[0] if str(exc) else "not valid YAML"
        raise FileProblems([Problem(path, 1, 1, "", f"YAML error: {what}")]) from None
    finally:
        loader.dispose()
    return data, root


def _check_version(path: Path, data: dict[str, Any], root: yaml.Node) -> dict[str, Any]:
    version = data.get("format_version")
    line, column = _locate(root, ("format_version",))
    if version is None:
        raise FileProblems(
            [Problem(path, line, column, "format_version", "required field is missing")]
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FileProblems(
            [Problem(path, line, column, "format_version", "must be a whole number such as 1")]
        )
    if version > FORMAT_VERSION:
        raise FileProblems(
            [
                Problem(
                    path,
                    line,
                    column,
                    "format_version",
                    f"this file was made for a newer Coach (format {version}); this Coach "
                    f"reads up to format {FORMAT_VERSION}. Please update Coach.",
                )
            ]
        )
    while version < FORMAT_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["format_version"] = version
    return data


def load_document(path: Path) -> Loaded:
    """Read and validate an exercise or routine file; raise FileProblems if unusable."""
    data, root = read_yaml(path)
    if not isinstance(data, dict):
        raise FileProblems(
            [Problem(path, 1, 1, "", "expected a block of 'field: value' lines at the top")]
        )
    data = _check_version(path, data, root)
    kind = data.get("kind")
    model: type[Exercise] | type[Routine]
    if kind == "exercise":
        model = Exercise
    elif kind == "routine":
        model = Routine
    else:
        line, column = _locate(root, ("kind",))
        raise FileProblems([Problem(path, line, column, "kind", "must be 'exercise' or 'routine'")])
    try:
        document = model.from_data(data)
    except Invalid as exc:
        raise located_problems(path, root, exc) from None
    return Loaded(document, path, root)


def located_problems(path: Path, root: yaml.Node, exc: Invalid) -> FileProblems:
    """Each problem of a refused record, pointed at its line and column in the file."""
    return FileProblems(
        [
            Problem(path, *_locate(root, loc), field_path(loc), message)
            for loc, message in exc.problems
        ]
    )


def dump_document(document: Document) -> str:
    """YAML text for a document: readable, stable key order, no defaults left out."""
    data = document.to_data(drop_default_none=True)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def save_document(document: Document, path: Path) -> None:
    write_text_atomic(path, dump_document(document))


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
