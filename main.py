"""Launcher for a checkout: ``python main.py`` opens the reader, a subcommand runs the CLI."""

import sys

from reader.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
