"""``python -m reader``, ``python main.py`` and the ``reference-reader`` launcher.

No subcommand opens the window; a subcommand (or ``--help``, ``--version``) runs
the command-line interface. The window is opened from here, not from
``reader.cli``, so the command line never loads Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from reader import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    window = cli.window_arguments(argv)
    if window is None:
        return cli.main(argv)
    from reader import app  # Qt is loaded only when the window is wanted

    return app.run(window)


if __name__ == "__main__":
    sys.exit(main())
