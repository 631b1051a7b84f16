"""Launch the Coach app: ``python main.py [--data-dir DIR] [--smoke]``."""

import sys

from coach.cli import main

if __name__ == "__main__":
    sys.exit(main())
