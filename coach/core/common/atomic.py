"""Atomic file writes: a crash or a full disk never leaves half a file behind.

Also where Coach's folders and files get their modes: every folder Coach
creates is 0700 and every file 0600 (unless a caller asks for another mode),
whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private_dir(path: Path) -> None:
    """Create ``path`` and each missing folder above it as 0700, whatever the umask.

    Folders that already exist are left as they are (see :func:`tighten_dir`).
    """
    missing: list[Path] = []
    folder = Path(path)
    while not folder.is_dir():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue  # made meanwhile by someone else: not ours to change
        # mkdir's mode passes through the umask; chmod does not.
        with contextlib.suppress(OSError):  # a share may not keep modes
            os.chmod(new, PRIVATE_DIR)


def tighten_dir(path: Path) -> None:
    """Take group and other access away from an existing folder of ours (0755 -> 0700)."""
    with contextlib.suppress(OSError):
        info = path.stat()
        owner = getattr(os, "getuid", None)
        if owner is not None and info.st_uid != owner():
            return
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over ``path``.

    The file is 0600 (mkstemp's mode) unless ``mode`` says otherwise; missing
    folders are created 0700.
    """
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    write_bytes_atomic(path, text.replace("\r\n", "\n").encode("utf-8"), mode=mode)
