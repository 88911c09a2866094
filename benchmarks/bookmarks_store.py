"""Bookmarks store benchmark: what the safety costs, against bare sqlite3 in the same run.

1. Adding a bookmark: ``BookmarkStore.add`` (WAL, ``synchronous=FULL``, ``BEGIN
   IMMEDIATE``) against a bare sqlite3 INSERT + commit in the default rollback journal
   (the floor a naive store would have).
2. Opening a store holding N bookmarks: ``BookmarkStore.open_in`` (read-only inspection,
   quick_check, schema check, WAL) against a bare ``sqlite3.connect`` + one SELECT.
3. Listing all N bookmarks.

Prints medians and ratios. The data folder is a temporary directory (``--dir`` to put
it on another disk: fsync costs depend on it).

    .venv/bin/python benchmarks/bookmarks_store.py [--adds 300] [--bookmarks 2000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core.bookmarks import BookmarkStore

ESSAY = "nazi-soviet-alliance"


def per_call_ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.3f} ms, " \
           f"p95 {sorted(samples)[int(len(samples) * 0.95) - 1] * 1000:.3f} ms"


def bench_adds(folder: Path, count: int) -> tuple[list[float], list[float]]:
    store = BookmarkStore.open_in(folder / "store")
    bare = sqlite3.connect(folder / "bare.sqlite3")
    bare.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, essay, section, name, note)")
    bare.commit()
    ours: list[float] = []
    floor: list[float] = []
    for n in range(count):  # alternate, so that both see the same disk conditions
        start = time.perf_counter()
        store.add(ESSAY, "pact", f"Bookmark {n}", note="a note")
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare.execute("INSERT INTO b (essay, section, name, note) VALUES (?, ?, ?, ?)",
                     (ESSAY, "pact", f"Bookmark {n}", "a note"))
        bare.commit()
        floor.append(time.perf_counter() - start)
    store.close()
    bare.close()
    return ours, floor


def bench_open(folder: Path, size: int, runs: int) -> tuple[list[float], list[float], list[float]]:
    data = folder / "big"
    with BookmarkStore.open_in(data) as store:
        for n in range(size):
            store.add(ESSAY, "pact", f"Bookmark {n}", note="note " * 20, folder=f"F{n % 17}")
    path = data / "bookmarks.sqlite3"
    ours: list[float] = []
    floor: list[float] = []
    listing: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        store = BookmarkStore.open_in(data)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        marks = store.bookmarks()
        listing.append(time.perf_counter() - start)
        assert len(marks) == size
        store.close()
        start = time.perf_counter()
        bare = sqlite3.connect(path)
        bare.execute("SELECT count(*) FROM bookmarks").fetchone()
        floor.append(time.perf_counter() - start)
        bare.close()
    return ours, floor, listing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adds", type=int, default=300)
    parser.add_argument("--bookmarks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        print(f"folder: {folder}  (sqlite {sqlite3.sqlite_version})")
        ours, floor = bench_adds(folder, args.adds)
        ratio = statistics.median(ours) / statistics.median(floor)
        print(f"add, store (WAL, FULL, one transaction): {per_call_ms(ours)}")
        print(f"add, bare sqlite3 INSERT + commit:       {per_call_ms(floor)}")
        print(f"add ratio store/bare: {ratio:.2f}")
        opened, bare_open, listing = bench_open(folder, args.bookmarks, args.runs)
        ratio = statistics.median(opened) / statistics.median(bare_open)
        print(f"open with {args.bookmarks} bookmarks, store: {per_call_ms(opened)}")
        print(f"open with {args.bookmarks} bookmarks, bare:  {per_call_ms(bare_open)}")
        print(f"open ratio store/bare: {ratio:.2f}")
        print(f"list {args.bookmarks} bookmarks: {per_call_ms(listing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
