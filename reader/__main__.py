"""``python -m reader`` and the ``reference-reader`` launcher.

No subcommand opens the window; a subcommand runs the command-line interface.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from reader import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    args = cli.window_arguments(argv) or cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run_command(args)
    from reader import app  # Qt is loaded only when the window is wanted

    return app.run(args)


if __name__ == "__main__":
    sys.exit(main())
