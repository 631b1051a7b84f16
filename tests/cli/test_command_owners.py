"""`coach COMMAND` builds only its own feature's parser: the owner table must be complete."""

from __future__ import annotations

import argparse
import importlib

from coach import cli


def _registered_by(module: str) -> set[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(module).register(sub)
    return set(sub.choices)


def test_every_feature_command_has_its_owner() -> None:
    owners = {
        command: module for module in cli.COMMAND_MODULES for command in _registered_by(module)
    }
    assert owners == cli.COMMAND_OWNERS


def test_one_command_parses_with_only_its_module() -> None:
    args = cli._parser(only=cli._owner(["print", "daily-relief", "-o", "x.pdf"])).parse_args(
        ["print", "daily-relief", "-o", "x.pdf"]
    )
    assert args.command == "print" and args.quick_exit is True
    # Help and unknown words get the whole parser, so every command is listed.
    assert cli._owner(["--help"]) is None
    assert cli._owner(["prnt"]) is None
    # Global options are taken off first, wherever they stand (as main() does).
    _, rest = cli._gui_parser().parse_known_args(["--data-dir", "d", "export", "-o", "x"])
    assert cli._owner(rest) == "coach.commands.data"
