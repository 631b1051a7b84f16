"""Where Coach finds its built-in content and keeps the person's data.

Resolved once at start-up and passed on, so that tests and clinics (who keep
data on a share) can point everything elsewhere with ``--data-dir`` or
``COACH_DATA_DIR``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import coach
from coach.core.common.atomic import make_private_dir, tighten_dir

DATA_DIR_ENV = "COACH_DATA_DIR"


def _builtin_root() -> Path:
    # An installed wheel carries the content inside the package (see pyproject's
    # force-include); a source checkout has it next to the package.
    packaged = Path(coach.__file__).resolve().parent / "_builtin"
    if (packaged / "routines").is_dir():
        return packaged
    return Path(coach.__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """The platform's per-user application-data folder for Coach."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        return base / "Coach"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Coach"
    base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "coach"


@dataclass(frozen=True)
class Paths:
    builtin_routines: Path
    assets: Path
    data: Path

    @property
    def user_exercises(self) -> Path:
        return self.data / "exercises"

    @property
    def user_routines(self) -> Path:
        return self.data / "routines"

    @property
    def database(self) -> Path:
        return self.data / "coach.sqlite3"

    @property
    def settings(self) -> Path:
        return self.data / "settings.json"

    def ensure_data_dir(self) -> Path:
        """Create the data folder (and any folder above it) readable by its owner only.

        A folder that exists with group or other access (an older Coach made it
        0755) is tightened to 0700.
        """
        make_private_dir(self.data)
        tighten_dir(self.data)
        return self.data


def resolve(data_dir: str | Path | None = None) -> Paths:
    """Paths for this run: an explicit folder wins over the environment and the default."""
    chosen = data_dir or os.environ.get(DATA_DIR_ENV) or default_data_dir()
    root = _builtin_root()
    return Paths(
        builtin_routines=root / "routines",
        assets=root / "assets",
        data=Path(chosen).expanduser().resolve(),
    )
