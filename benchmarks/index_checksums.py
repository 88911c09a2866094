"""The cost of checking the search index's files against their checksums on open.

Not a test: prints figures. Run ``python benchmarks/index_checksums.py``
(``--essays N``, default 1,000; a few minutes). For the essay as shipped and for a
generated library (the variants of ``search_bench``), the index is built, then
opened repeatedly in the same process: with the check of every file's checksum
and without it. The difference is what the check adds to an open.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import generate_library

from reader.core.content import Library, load_library
from reader.core.paths import shipped_content_dir
from reader.core.search import storage

RUNS = 7


def figures(name: str, library: Library, cache: Path) -> None:
    ix, _message = storage.Store(library, cache).open()
    ix.close()
    folder = cache / storage.INDEX_FOLDER
    sidecar = storage.read_sidecar(folder)
    size = sum(p.stat().st_size for p in folder.iterdir())
    plain: list[float] = []
    checked: list[float] = []
    for _ in range(RUNS):
        for checksums, samples in ((None, plain), (sidecar["files"], checked)):
            start = time.perf_counter()
            ix = storage.open_checked(folder, sidecar["documents"], checksums)
            samples.append((time.perf_counter() - start) * 1000)
            assert ix is not None
            ix.close()
    base, total = statistics.median(plain), statistics.median(checked)
    print(f"{name}: index {size / 1e6:.1f} MB in {len(sidecar['files'])} files; "
          f"open {base:.1f} ms without the check, {total:.1f} ms with it "
          f"(+{total - base:.1f} ms, median of {RUNS})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000, help="generated library size")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="checksum-bench-"))
    try:
        figures("The essay", load_library(shipped_content_dir()), work / "cache-essay")
        if args.essays > 0:
            root = generate_library(args.essays, work)
            big = load_library(root, work / "content-cache")
            figures(f"{args.essays:,} essays", big, work / "cache-big")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
