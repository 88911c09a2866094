"""Launcher for a checkout: ``python main.py`` opens the reader, a subcommand runs the CLI."""

import sys

from reader.__main__ import main

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # The bundle: a child process of the reader's (the search index build, an
        # import) starts this same program, and goes its own way here.
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
