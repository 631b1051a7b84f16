"""``python -m coach.core.content.figures [--out assets/figures]``: write every SVG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import render_all

DEFAULT_OUT = Path(__file__).resolve().parents[4] / "assets" / "figures"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coach.core.content.figures",
        description="Write the exercise illustrations (start, end, avoid) as SVG files.",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    paths = render_all(args.out)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
