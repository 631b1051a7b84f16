"""The exercise and routine library: built-in content plus the person's own.

Built-in files come from ``routines/`` (exercises in ``routines/exercises/``);
the person's and the clinic's files from the data folder. A user file never
silently replaces a built-in one: a clash is reported and the built-in wins.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from coach.core.common.paths import Paths
from coach.core.content.files import FileProblems, Loaded, Problem, load_document, yaml_files
from coach.core.content.model import GET_UP, Category, Exercise, Routine
from coach.core.content.records import Invalid

Origin = Literal["builtin", "user"]


def closest_ids(wanted: str, known: Iterable[str], n: int = 3) -> list[str]:
    known = sorted(known)
    by_case = {k.lower(): k for k in known}
    found = difflib.get_close_matches(wanted.lower(), list(by_case), n=n, cutoff=0.4)
    return [by_case[f] for f in found]


def unknown_exercise_message(wanted: str, known: Iterable[str]) -> str:
    close = closest_ids(wanted, known)
    hint = f"; closest known: {', '.join(close)}" if close else ""
    return f"unknown exercise '{wanted}'{hint}"


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


@dataclass
class Library:
    assets: Path
    exercises: dict[str, Exercise] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    sources: dict[tuple[str, str], Loaded] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    # -- loading -----------------------------------------------------------
    @classmethod
    def load(cls, paths: Paths, *, include_user: bool = True) -> Library:
        lib = cls(assets=paths.assets)
        builtin = yaml_files(paths.builtin_routines) if paths.builtin_routines.is_dir() else []
        lib.add_files(builtin, "builtin")
        if include_user:
            user: list[Path] = []
            for folder in (paths.user_exercises, paths.user_routines):
                if folder.is_dir():
                    user.extend(yaml_files(folder))
            lib.add_files(user, "user")
        lib.problems.extend(lib.check())
        for loaded in lib.sources.values():
            loaded.release()
        return lib

    def add_files(self, files: Iterable[Path], origin: Origin) -> list[Loaded]:
        added = []
        for path in files:
            try:
                loaded = load_document(path)
            except FileProblems as exc:
                self.problems.extend(exc.problems)
                continue
            if self._add(loaded, origin):
                added.append(loaded)
        return added

    def _add(self, loaded: Loaded, origin: Origin) -> bool:
        doc = loaded.document
        kind = doc.kind
        key = (kind, doc.id)
        previous = self.sources.get(key)
        if previous is not None:
            if previous.path.resolve() == loaded.path.resolve():
                return False
            self.problems.append(
                loaded.problem(
                    ("id",),
                    f"duplicate {kind} id '{doc.id}': already defined in {previous.path}; "
                    "this file is ignored",
                )
            )
            return False
        self.sources[key] = loaded
        self.origins[key] = origin
        if isinstance(doc, Exercise):
            self.exercises[doc.id] = doc
        else:
            self.routines[doc.id] = doc
        return True

    # -- checks across files ----------------------------------------------
    def check(self, only: Iterable[Loaded] | None = None) -> list[Problem]:
        """Cross-file problems: references, extension permissions, illustrations."""
        targets = list(only) if only is not None else list(self.sources.values())
        problems: list[Problem] = []
        for loaded in targets:
            doc = loaded.document
            if isinstance(doc, Exercise):
                problems.extend(self._check_exercise(loaded, doc))
            else:
                problems.extend(self._check_routine(loaded, doc))
        return problems

    def _check_exercise(self, loaded: Loaded, ex: Exercise) -> list[Problem]:
        problems = []
        for name in ("easier", "harder", "bone_safe"):
            variant = getattr(ex, name)
            if variant and variant.exercise and variant.exercise not in self.exercises:
                problems.append(
                    loaded.problem(
                        (name, "exercise"),
                        unknown_exercise_message(variant.exercise, self.exercises),
                    )
                )
        if ex.dosage.walk and ex.dosage.walk.break_exercise:
            wanted = ex.dosage.walk.break_exercise
            if wanted not in self.exercises:
                problems.append(
                    loaded.problem(
                        ("dosage", "walk", "break_exercise"),
                        unknown_exercise_message(wanted, self.exercises),
                    )
                )
        for frame in ("start", "end", "avoid"):
            ref = getattr(ex.illustrations, frame)
            if ref is None:
                continue
            message = self._illustration_problem(loaded.path, ref)
            if message:
                problems.append(loaded.problem(("illustrations", frame), message))
        return problems

    def _check_routine(self, loaded: Loaded, routine: Routine) -> list[Problem]:
        problems = []
        allowed = set(routine.permissions.allow_extension)
        origin = self.origins.get(("routine", routine.id))
        for i, item in enumerate(routine.items):
            ex = self.exercises.get(item.exercise)
            if ex is None:
                problems.append(
                    loaded.problem(
                        ("items", i, "exercise"),
                        unknown_exercise_message(item.exercise, self.exercises),
                    )
                )
                continue
            if ex.lumbar_extension and (origin == "builtin" or item.exercise not in allowed):
                why = (
                    "a built-in routine may not contain it"
                    if origin == "builtin"
                    else "add it to permissions.allow_extension to allow it for this patient"
                )
                problems.append(
                    loaded.problem(
                        ("items", i, "exercise"),
                        f"'{item.exercise}' arches the lower back (lumbar extension); {why}",
                    )
                )
            try:
                item.apply_to(ex.dosage)
            except Invalid as exc:
                problems.append(loaded.problem(("items", i), f"dosage does not fit: {exc}"))
        return problems

    def _illustration_problem(self, source: Path, ref: str) -> str | None:
        if Path(ref).is_absolute() or "\\" in ref:
            return f"illustration path '{ref}' must be relative (e.g. figures/P1-start.svg)"
        resolved = self.resolve_illustration(source, ref)
        if resolved is None:
            candidates = [source.parent / ref, self.assets / ref]
            if not any(
                _inside(c, root)
                for c, root in zip(candidates, (source.parent, self.assets), strict=True)
            ):
                return f"illustration path '{ref}' leaves its folder; refused"
            return f"illustration not found: '{ref}'"
        return None

    def resolve_illustration(self, source: Path | None, ref: str) -> Path | None:
        """The picture file for ``ref``, only if it lies inside an allowed folder."""
        roots = ([source.parent] if source is not None else []) + [self.assets]
        for root in roots:
            candidate = root / ref
            try:
                if _inside(candidate, root) and candidate.is_file():
                    return candidate.resolve()
            except OSError:
                # A name over the system's limit (ENAMETOOLONG) or a path the
                # system refuses is no picture; it must not stop the window.
                continue
        return None

    def illustration(self, exercise_id: str, frame: str) -> Path | None:
        ex = self.exercises.get(exercise_id)
        if ex is None:
            return None
        ref = getattr(ex.illustrations, frame, None)
        if ref is None:
            return None
        loaded = self.sources.get(("exercise", exercise_id))
        return self.resolve_illustration(loaded.path if loaded else None, ref)

    # -- queries -------------------------------------------------------------
    def origin(self, kind: str, ident: str) -> Origin | None:
        return self.origins.get((kind, ident))

    def by_category(self, *, include_extension: bool = False) -> dict[Category, list[Exercise]]:
        out: dict[Category, list[Exercise]] = {c: [] for c in Category}
        for ex in self.exercises.values():
            if (ex.lumbar_extension and not include_extension) or ex.id == GET_UP:
                continue
            out[ex.category].append(ex)
        for items in out.values():
            items.sort(key=_natural_key)
        return {c: v for c, v in out.items() if v}

    def search(
        self, text: str, lang: str = "en", *, include_extension: bool = False
    ) -> list[Exercise]:
        """The exercises that contain ``text``, best first.

        A clinician typing "walk" wants the walking exercises, not the one
        whose summary mentions a walk: a hit in the title (at its start, then
        at a word's start, then anywhere) comes before one in the tags,
        category or id, which comes before one in the summary. Equal hits keep
        the library's order (P1, P2, ..., S9, S10).
        """
        needle = " ".join(text.lower().split())
        if not needle:
            return []
        ranked: list[tuple[int, tuple[str, int, str], Exercise]] = []
        for ex in self.exercises.values():
            if (ex.lumbar_extension and not include_extension) or ex.id == GET_UP:
                continue
            rank = search_rank(ex, needle, lang)
            if rank is not None:
                ranked.append((rank, _natural_key(ex), ex))
        ranked.sort(key=lambda hit: hit[:2])
        return [ex for _rank, _key, ex in ranked]

    def routine_from(self, ref: str, *, cwd: Path | None = None) -> Routine:
        """A routine by id, or from a file path; raises FileProblems or KeyError."""
        if ref in self.routines:
            return self.routines[ref]
        path = Path(ref) if cwd is None else cwd / ref
        if path.suffix in (".yaml", ".yml") or path.exists():
            loaded = load_document(path)
            if not isinstance(loaded.document, Routine):
                raise FileProblems(
                    [loaded.problem(("kind",), "this file holds an exercise, not a routine")]
                )
            problems = self.check([loaded])
            if problems:
                raise FileProblems(problems)
            return loaded.document
        close = closest_ids(ref, self.routines)
        hint = f"; closest known: {', '.join(close)}" if close else ""
        raise KeyError(f"unknown routine '{ref}'{hint}")


# The words a person searches a category or a tag by, in both languages; the
# screens' own names for the categories ("Walking and cycling") are among them.
_CATEGORY_WORDS: dict[Category, str] = {
    Category.POSTURE: "posture haltung",
    Category.STRETCHING: "stretching stretch dehnen dehnung",
    Category.STRENGTHENING: "strengthening strength kräftigen kräftigung kraft",
    Category.BALANCE: "balance gleichgewicht",
    Category.AEROBIC: "aerobic walking and cycling endurance gehen und radfahren ausdauer",
    Category.RELAXATION: "relaxation entspannung",
}
_TAG_WORDS: dict[str, str] = {
    "floor": "floor on the floor boden auf dem boden",
    "kneeling": "kneeling knien kniend",
    "standing": "standing stehen im stehen",
    "seated": "seated sitting sitzen im sitzen",
    "bed_ok": "in bed bett im bett",
    "twist": "twist drehung",
}

TITLE_START, TITLE_WORD, TITLE, FACTS, SUMMARY = range(5)
"""The ranks of a search hit, best first: where in the exercise the text was found."""


def search_rank(ex: Exercise, needle: str, lang: str = "en") -> int | None:
    """Where ``needle`` (lower case, single spaces) is found in ``ex``; None: not at all."""
    titles = [" ".join(t.lower().split()) for t in (ex.title.get(lang), ex.title.get("en"))]
    if ex.id.lower() == needle or any(t.startswith(needle) for t in titles):
        return TITLE_START
    if any(f" {needle}" in t or f"-{needle}" in t or f"({needle}" in t for t in titles):
        return TITLE_WORD
    if any(needle in t for t in titles):
        return TITLE
    facts = [ex.id.lower(), ex.category.value, _CATEGORY_WORDS[ex.category]]
    for tag in ex.tags:
        facts += [tag.value.replace("_", " "), _TAG_WORDS.get(tag.value, "")]
    if any(needle in f for f in facts):
        return FACTS
    summaries = [ex.summary.get(lang), ex.summary.get("en")] if ex.summary else []
    if any(needle in " ".join(s.lower().split()) for s in summaries):
        return SUMMARY
    return None


def _natural_key(ex: Exercise) -> tuple[str, int, str]:
    head = ex.id.rstrip("0123456789")
    tail = ex.id[len(head) :]
    return (head, int(tail) if tail else 0, ex.id)


def validate(paths: Paths, targets: Iterable[Path]) -> tuple[int, list[Problem]]:
    """Check files and folders against the library; returns (files checked, problems)."""
    lib = Library.load(paths)
    files: list[Path] = []
    problems: list[Problem] = []
    for target in targets:
        if target.is_dir():
            files.extend(yaml_files(target))
        elif target.exists():
            files.append(target)
        else:
            problems.append(Problem(target, 1, 1, "", "no such file or folder"))
    seen: set[Path] = set()
    fresh: list[Loaded] = []
    known = {loaded.path.resolve(): loaded for loaded in lib.sources.values()}
    for path in files:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        if real in known:
            fresh.append(known[real])
            continue
        added = lib.add_files([path], "user")
        fresh.extend(added)
    # Only the named files' problems count, whatever else the library holds.
    problems.extend(p for p in lib.problems if p.path.resolve() in seen)
    problems.extend(lib.check(fresh))
    unique: dict[str, Problem] = {}
    for p in problems:
        unique.setdefault(str(p), p)
    ordered = sorted(unique.values(), key=lambda p: (str(p.path), p.line, p.column))
    return len(seen), ordered
