"""Starting Coach at login (Linux: an XDG autostart entry).

Apart from the reminders proper: it changes the person's desktop session, not
Coach's data, and what is possible differs per operating system.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from coach.core.common.atomic import write_text_atomic


class AutostartError(RuntimeError):
    pass


AUTOSTART_ELSEWHERE = (
    "Starting Coach at login is set up automatically on Linux only. "
    "On Windows, put a shortcut to Coach into the Startup folder (Win+R, shell:startup); "
    "on macOS, add Coach under System Settings > General > Login Items."
)


def autostart_supported(platform: str | None = None) -> bool:
    name = platform or sys.platform
    return name.startswith("linux") or "bsd" in name


def autostart_path(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/autostart/coach.desktop`` (``~/.config`` by default)."""
    environ = os.environ if env is None else env
    base = environ.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "autostart" / "coach.desktop"


def autostart_command() -> list[str]:
    """How Coach starts at login: this interpreter, the module, in the tray only."""
    return [sys.executable, "-m", "coach", "--tray"]


def _desktop_quote(arg: str) -> str:
    # The Desktop Entry spec: quote arguments with reserved characters, and
    # escape ", `, $ and \ inside the quotes.
    if arg and not re.search(r"[\s\"'\\><~|&;$*?#()`]", arg):
        return arg
    escaped = re.sub(r'(["`$\\])', r"\\\1", arg)
    return f'"{escaped}"'


def desktop_entry(command: Sequence[str]) -> str:
    exec_line = " ".join(_desktop_quote(a) for a in command).replace("%", "%%")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Coach\n"
        "Comment=Exercise reminders for your back\n"
        "Comment[de]=Übungserinnerungen für Ihren Rücken\n"
        f"Exec={exec_line}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "X-GNOME-Autostart-Delay=20\n"
    )


def autostart_enabled(env: Mapping[str, str] | None = None) -> bool:
    return autostart_supported() and autostart_path(env).is_file()


def set_autostart(
    enabled: bool,
    command: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> str:
    """Add or remove the login entry; returns what was done, in a sentence.

    Raises AutostartError where it is not supported or the file cannot be written.
    """
    if not autostart_supported(platform):
        raise AutostartError(AUTOSTART_ELSEWHERE)
    path = autostart_path(env)
    try:
        if enabled:
            write_text_atomic(path, desktop_entry(command or autostart_command()), mode=0o644)
            return f"Coach will start when you log in ({path})."
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(
            f"The login entry could not be changed: {exc.strerror or exc}"
        ) from exc
    return "Coach will not start when you log in."


def describe_command(command: Sequence[str]) -> str:
    return shlex.join(command)
