"""Hostile-content benchmark: a 20 MB essay against the shipped one, in one run.

Generates, in a temporary folder, an essay of about ``--megabytes`` MB made of
the shipped essay's body repeated (every heading id made unique, so sections
multiply as a long real essay's would), with the shipped index.yaml and
timeline.yaml beside it. For the shipped essay and the generated one it times
``load_library`` (parsing, no cache), the cross-references (index of names,
mentions, timeline), the "See also" decoration of the body, and ``check``
(the index and timeline problems), and prints the figures side by side with
the ratio of time per megabyte. It first loads the generated essay under the
parse budget (which refuses it, quickly), then with the budget lifted.

    .venv/bin/python benchmarks/hostile_content.py [--megabytes 20]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.core import content, timeline, xref, xref_render  # noqa: E402
from reader.core.content import load_library  # noqa: E402

ESSAY = ROOT / "content" / "nazi-soviet-alliance"


def make_big(target: Path, megabytes: float) -> Path:
    """A copy of the shipped essay whose body is repeated to ``megabytes`` MB."""
    folder = target / ESSAY.name
    shutil.copytree(ESSAY, folder)
    text = (ESSAY / "essay.md").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    parts = [front, "\n---\n", body]
    size, copy = len(text.encode()), 1
    while size < megabytes * 1024 * 1024:
        copy += 1
        repeated = re.sub(r"\{#([A-Za-z][\w.:-]*)", rf"{{#\1-{copy}", body)
        repeated = re.sub(r"\]\(#([A-Za-z][\w.:-]*)\)", rf"](#\1-{copy})", repeated)
        parts.append("\n" + repeated)
        size += len(repeated.encode()) + 1
    (folder / "essay.md").write_text("".join(parts), encoding="utf-8")
    return folder


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def refused(root: Path) -> tuple[float, str]:
    """The time to load a library whose essay is over the parse budget, and why."""
    load_s, library = timed(lambda: load_library(root))
    return load_s, "; ".join(p.message for p in library.problems)


def measure(root: Path) -> dict[str, float]:
    load_s, library = timed(lambda: load_library(root))
    essay = library.essays[0]
    xref_s, (index, _) = timed(lambda: xref.load_index(library))
    timeline_s, _ = timed(lambda: timeline.load_timeline(library))
    decorate_s, _ = timed(
        lambda: xref_render.decorate(essay.body_html, essay, library, index, names=True)
    )
    check_s, problems = timed(lambda: [*xref.check(library), *timeline.check(library)])
    size = (essay.folder / "essay.md").stat().st_size
    return {
        "MB": size / 1024 / 1024,
        "sections": float(len(essay.sections)),
        "load_library s": load_s,
        "index s": xref_s,
        "timeline s": timeline_s,
        "decorate s": decorate_s,
        "check s": check_s,
        "problems": float(len(library.problems) + len(problems)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        shipped = measure(ESSAY.parent)
        big_root = Path(temp) / "content"
        big_root.mkdir()
        make_big(big_root, args.megabytes)
        refused_s, why = refused(big_root)
        budget = content.MAX_ESSAY_BYTES
        content.MAX_ESSAY_BYTES = 1 << 40  # lifted, to time the whole pipeline
        try:
            big = measure(big_root)
        finally:
            content.MAX_ESSAY_BYTES = budget
    print(f"with the parse budget ({budget} bytes): load_library {refused_s:.3f} s ({why})")
    print("without it:")
    print(f"{'':16}{'shipped':>12}{'generated':>12}{'per MB ratio':>14}")
    for key in shipped:
        ratio = ""
        if key.endswith(" s") and shipped[key] > 0:
            per_mb = (big[key] / big["MB"]) / (shipped[key] / shipped["MB"])
            ratio = f"{per_mb:.2f}"
        print(f"{key:16}{shipped[key]:12.3f}{big[key]:12.3f}{ratio:>14}")
    total = sum(v for k, v in big.items() if k.endswith(" s"))
    print(f"generated essay: everything in {total:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
