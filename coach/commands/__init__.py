"""Sub-commands of ``coach`` that belong to one feature each.

A module here has ``register(subparsers)``, adds its parsers and sets
``handler=<function(args) -> int>`` on each; ``coach.cli.COMMAND_MODULES``
lists the modules. Shared helpers for handlers live in this module.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.core.common.paths import Paths
    from coach.core.content.library import Library


def paths_of(args: argparse.Namespace) -> Paths:
    from coach.core.common.paths import resolve

    return resolve(args.data_dir)


def library_of(args: argparse.Namespace) -> Library:
    from coach.core.content.library import Library

    lib = Library.load(paths_of(args))
    for problem in lib.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return lib


def fail(command: str, message: str, code: int = 1) -> int:
    """One clear line on stderr and a non-zero exit, never a traceback."""
    print(f"coach {command}: {message}", file=sys.stderr)
    return code
