"""Launch the Coach app: ``python main.py [--data-dir DIR] [--smoke]``."""

from coach.cli import run

if __name__ == "__main__":
    run()
