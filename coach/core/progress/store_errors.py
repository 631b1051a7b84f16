"""The faults of the progress file, in words a person can act on.

Kept apart from the store so that a page or a command can catch
:class:`StoreError` without importing the store, and so that the file handling
(:mod:`coach.core.progress.store_file`) and the store itself turn SQLite and OS
errors into the same kinds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path


class StoreErrorKind(StrEnum):
    LOCKED = "locked"  # another process holds the write lock
    READ_ONLY = "read_only"  # the file or its folder cannot be written
    FULL = "full"  # the disk (or quota) is full
    CORRUPT = "corrupt"  # not a database, or a damaged one
    NEWER = "newer"  # written by a newer Coach: schema unknown here
    IO = "io"  # anything else the operating system or SQLite refused


_MESSAGES: dict[StoreErrorKind, str] = {
    StoreErrorKind.LOCKED: (
        "Coach's progress file is in use by another program, perhaps a second Coach window. "
        "Close it and try again."
    ),
    StoreErrorKind.READ_ONLY: (
        "Coach cannot save your progress because the progress file or its folder is read-only."
    ),
    StoreErrorKind.FULL: (
        "The disk is full, so Coach could not save your progress. Free some space and try "
        "again. What was saved before is safe."
    ),
    StoreErrorKind.CORRUPT: (
        "Coach's progress file is damaged and cannot be read. It has not been changed. "
        "Coach can put it aside and start a new one (Settings, Your data)."
    ),
    StoreErrorKind.NEWER: (
        "This progress file comes from a newer version of Coach. Please update Coach to "
        "open it. The file has not been changed."
    ),
    StoreErrorKind.IO: "Coach could not read or write its progress file.",
}


class StoreError(Exception):
    """Any fault of the progress file, in words a person can act on.

    ``kind`` says what to offer (wait and retry, free space, quarantine the
    file, update Coach); ``detail`` keeps the technical cause for a log.
    """

    def __init__(
        self,
        kind: StoreErrorKind,
        message: str | None = None,
        *,
        path: Path | None = None,
        detail: str = "",
    ) -> None:
        self.kind = kind
        self.message = message or _MESSAGES[kind]
        self.path = path
        self.detail = detail
        super().__init__(self.message)


# Primary SQLite result codes (the low byte of an extended code).
_SQLITE_KINDS: dict[int, StoreErrorKind] = {
    5: StoreErrorKind.LOCKED,  # SQLITE_BUSY
    6: StoreErrorKind.LOCKED,  # SQLITE_LOCKED
    8: StoreErrorKind.READ_ONLY,  # SQLITE_READONLY
    11: StoreErrorKind.CORRUPT,  # SQLITE_CORRUPT
    13: StoreErrorKind.FULL,  # SQLITE_FULL
    26: StoreErrorKind.CORRUPT,  # SQLITE_NOTADB
}
_SQLITE_CANTOPEN = 14

_ERRNO_KINDS: dict[int, StoreErrorKind] = {
    errno.ENOSPC: StoreErrorKind.FULL,
    errno.EDQUOT: StoreErrorKind.FULL,
    errno.EACCES: StoreErrorKind.READ_ONLY,
    errno.EPERM: StoreErrorKind.READ_ONLY,
    errno.EROFS: StoreErrorKind.READ_ONLY,
}


def translate(exc: sqlite3.Error | OSError, path: Path) -> StoreError:
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else -1
        kind = _SQLITE_KINDS.get(primary, StoreErrorKind.IO)
        if primary == _SQLITE_CANTOPEN and not os.access(path.parent, os.W_OK):
            # SQLite cannot create its -wal/-shm files in a read-only folder.
            kind = StoreErrorKind.READ_ONLY
    else:
        kind = _ERRNO_KINDS.get(exc.errno or 0, StoreErrorKind.IO)
    return StoreError(kind, path=path, detail=f"{type(exc).__name__}: {exc}")


@contextlib.contextmanager
def translating(path: Path) -> Iterator[None]:
    """Turn sqlite3 and OS errors into StoreError; constraint failures are caller bugs."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise ValueError(f"the progress store refused the data: {exc}") from exc
    except (sqlite3.Error, OSError) as exc:
        raise translate(exc, path) from exc
    except UnicodeDecodeError as exc:
        # A name in the schema that is not UTF-8: the file is damaged.
        raise StoreError(StoreErrorKind.CORRUPT, path=path, detail=f"{exc}") from exc
