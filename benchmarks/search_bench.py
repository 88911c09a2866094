"""Search speed: query latency and index build time, Whoosh against SQLite FTS5.

Not a test: prints figures. Run ``python benchmarks/search_bench.py`` (about
two minutes; ``--essays N`` for a smaller generated library). Two libraries:

* the essay as shipped in ``content/``;
* a generated library of N essays (default 1,000): variants of the real essay
  (sentences shuffled within each paragraph, some words swapped for other words
  of the essay, a numbered title) written to a temporary folder and loaded
  like any library.

For each, the reader's index (``reader.core.search``) is built from scratch and
a fixed list of queries is timed (top 20 hits with snippets, as the search
panel asks for them); the same sections go into an SQLite FTS5 table (porter
stemmer, accents removed, bm25 with the title weighted 3x, snippets) in the same
run, as the reference. FTS5 has no typo tolerance: its "fuzzy" row runs the
misspelt word exactly. Each query is run once before it is timed, so the rows are
warm figures; the first Whoosh search after opening the index (three words, no
cache warm) is printed on its own line.

The reader keeps each word's postings between searches (searching as the reader
types repeats the words typed so far), so a query repeated as such would be
timed from that cache: the per-query rows drop it before every timed run (each
is the first search of its words), and the "as you type" row times what the
search panel sends while a person types each query, one character at a time
(every prefix of each query, in order, the cache dropped before each query).

The reader ranks most queries with its own bulk BM25F scorer
(``reader.core.search.ranking``); the same index is also timed with the scorer
switched off (whoosh's own matchers), side by side in the same run, with the
ratio: the scorer reads whoosh's private internals and is kept only while it
clearly wins.

Targets: p95 under 15 ms on the essay and under 100 ms at 1,000 essays; building
1,000 essays in under 60 s.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core.content import Library, load_library
from reader.core.paths import shipped_content_dir

QUERIES = [
    ("single term", "Ribbentrop"),
    ("phrase", '"strategic materials"'),
    ("prefix", "Plo*"),
    ("fuzzy", "Ploiesti"),
    ("three words", "German Soviet oil"),
]
REPEATS = 40
TYPING_REPEATS = 3
TYPING = "as you type"
LIMIT = 20


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def generate_library(count: int, folder: Path) -> Path:
    """Write ``count`` variants of the real essay under ``folder``; returns the content root."""
    source = shipped_content_dir() / "nazi-soviet-alliance"
    text = (source / "essay.md").read_text(encoding="utf-8")
    vocabulary = sorted(set(re.findall(r"\b[a-z]{4,}\b", text)))
    root = folder / "content"
    for number in range(count):
        rng = random.Random(number)
        lines = []
        for line in text.splitlines():
            plain = line and line[0].isalpha() and not re.search(r"[{}<>\[\]`|]", line)
            if plain:
                sentences = re.split(r"(?<=\.) ", line)
                rng.shuffle(sentences)
                words = " ".join(sentences).split(" ")
                for index in range(len(words)):
                    if words[index].isalpha() and words[index].islower() and rng.random() < 0.05:
                        words[index] = rng.choice(vocabulary)
                line = " ".join(words)
            elif line.startswith("title:"):
                line = f'title: "Variant {number}: World War II: NAZI-Soviet Alliance"'
            lines.append(line)
        essay = root / f"essay-{number:04d}"
        essay.mkdir(parents=True)
        (essay / "essay.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        shutil.copytree(source / "figures", essay / "figures")
    return root


def time_queries(
    run: Callable[[str], object], before: Callable[[], object] | None = None
) -> dict[str, list[float]]:
    """Each query timed ``REPEATS`` times, after one warm-up; ``before`` is called
    (untimed) before every timed run."""
    timings: dict[str, list[float]] = {}
    for label, text in QUERIES:
        run(text)  # warm up: first use of a query pays for caches
        samples = []
        for _ in range(REPEATS):
            if before is not None:
                before()
            start = time.perf_counter()
            run(text)
            samples.append((time.perf_counter() - start) * 1000)
        timings[label] = samples
    return timings


def time_typing(run: Callable[[str], object], before: Callable[[], object]) -> list[float]:
    """Every prefix of every query, in order, as typed; ``before`` before each query."""
    samples = []
    for _ in range(TYPING_REPEATS):
        for _, text in QUERIES:
            before()
            for end in range(1, len(text) + 1):
                start = time.perf_counter()
                run(text[:end])
                samples.append((time.perf_counter() - start) * 1000)
    return samples


Figures = tuple[float, dict[str, list[float]], dict[str, int], float | None]


def whoosh_figures(library: Library, cache: Path) -> tuple[Figures, Figures]:
    """The reader's index timed with its bulk scorer, then with whoosh's matchers."""
    from reader.core import search
    from reader.core.search.ranking import Ranker

    index = search.SearchIndex(library, cache)
    start = time.perf_counter()
    index.open()
    build = time.perf_counter() - start
    start = time.perf_counter()
    index.search(QUERIES[-1][1], LIMIT)
    first = time.perf_counter() - start
    hits = {label: len(index.search(text, LIMIT).hits) for label, text in QUERIES}

    def run(text: str) -> object:
        return index.search(text, LIMIT)

    timings = time_queries(run, index.drop_caches)
    timings[TYPING] = time_typing(run, index.drop_caches)
    Ranker.bulk_enabled = False  # the same index, ranked by whoosh's own matchers
    try:
        plain_hits = {label: len(index.search(text, LIMIT).hits) for label, text in QUERIES}
        plain = time_queries(run)
        plain[TYPING] = time_typing(run, index.drop_caches)
    finally:
        Ranker.bulk_enabled = True
    index.close()
    return (build, timings, hits, first), (build, plain, plain_hits, None)


def fts5_figures(library: Library, folder: Path) -> Figures:
    path = folder / "fts5.sqlite"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    start = time.perf_counter()
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(document UNINDEXED, section UNINDEXED, "
        "title, body, tokenize='porter unicode61 remove_diacritics 2')"
    )
    with db:
        db.executemany(
            "INSERT INTO docs VALUES (?, ?, ?, ?)",
            ((s.document, s.id, s.title, s.text) for s in library.sections()),
        )
    build = time.perf_counter() - start
    sql = (
        "SELECT document, section, title, snippet(docs, 3, '**', '**', '…', 24) "
        "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 0, 3.0, 1.0) LIMIT ?"
    )

    def run(text: str) -> list[tuple[str, ...]]:
        return db.execute(sql, (text, LIMIT)).fetchall()

    hits = {label: len(run(text)) for label, text in QUERIES}
    timings = time_queries(run)
    db.close()
    return build, timings, hits, None


def report_scorer(bulk: Figures, plain: Figures) -> None:
    """The bulk scorer against whoosh's matchers, per query kind, and the ratio."""
    print(f"{'query':<14} {'bulk p50':>9} {'p95':>8}   {'matchers p50':>12} {'p95':>8}   "
          f"{'p95 ratio':>9}")
    every_bulk: list[float] = []
    every_plain: list[float] = []
    for label in [label for label, _ in QUERIES] + [TYPING]:
        b, p = bulk[1][label], plain[1][label]
        if label != TYPING:
            every_bulk += b
            every_plain += p
        print(f"{label:<14} {statistics.median(b):>7.2f}ms {percentile(b, 0.95):>6.2f}ms   "
              f"{statistics.median(p):>10.2f}ms {percentile(p, 0.95):>6.2f}ms   "
              f"{percentile(p, 0.95) / max(percentile(b, 0.95), 1e-9):>8.1f}x"
              + ("" if bulk[2].get(label) == plain[2].get(label) else "  (hits differ!)"))
    print(f"{'all queries':<14} {statistics.median(every_bulk):>7.2f}ms "
          f"{percentile(every_bulk, 0.95):>6.2f}ms   {statistics.median(every_plain):>10.2f}ms "
          f"{percentile(every_plain, 0.95):>6.2f}ms   "
          f"{percentile(every_plain, 0.95) / max(percentile(every_bulk, 0.95), 1e-9):>8.1f}x")


def report(name: str, sections: int, reader: tuple[Figures, Figures], fts5: Figures) -> None:
    print(f"\n## {name}: {sections:,} sections")
    whoosh, plain = reader
    print(f"index build: Whoosh {whoosh[0]:.2f} s, FTS5 {fts5[0]:.2f} s "
          f"(ratio {whoosh[0] / max(fts5[0], 1e-9):.0f}x)")
    print(f"first Whoosh search after opening ({QUERIES[-1][0]}, caches cold): "
          f"{(whoosh[3] or 0.0) * 1000:.1f} ms")
    print(f"{'query':<14} {'Whoosh p50':>10} {'p95':>8} {'hits':>5}   "
          f"{'FTS5 p50':>8} {'p95':>8} {'hits':>5}")
    everything_w: list[float] = []
    everything_f: list[float] = []
    for label, _ in QUERIES:
        w, f = whoosh[1][label], fts5[1][label]
        everything_w += w
        everything_f += f
        print(f"{label:<14} {statistics.median(w):>8.2f}ms {percentile(w, 0.95):>6.2f}ms "
              f"{whoosh[2][label]:>5}   {statistics.median(f):>6.2f}ms "
              f"{percentile(f, 0.95):>6.2f}ms {fts5[2][label]:>5}")
    print(f"{'all queries':<14} {statistics.median(everything_w):>8.2f}ms "
          f"{percentile(everything_w, 0.95):>6.2f}ms {'':>5}   "
          f"{statistics.median(everything_f):>6.2f}ms {percentile(everything_f, 0.95):>6.2f}ms")
    typed = whoosh[1][TYPING]
    print(f"{TYPING:<14} {statistics.median(typed):>8.2f}ms {percentile(typed, 0.95):>6.2f}ms "
          f"(every prefix of each query; max {max(typed):.0f} ms)")
    print("\nThe reader's bulk scorer against whoosh's own matchers (same index, same run):")
    report_scorer(whoosh, plain)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000, help="generated library size")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        essay = load_library(shipped_content_dir())
        report("The essay", len(list(essay.sections())),
               whoosh_figures(essay, work / "cache-essay"), fts5_figures(essay, work))
        if args.essays > 0:
            start = time.perf_counter()
            root = generate_library(args.essays, work)
            generated = time.perf_counter() - start
            start = time.perf_counter()
            big = load_library(root, work / "content-cache")
            loaded = time.perf_counter() - start
            print(f"\n(generated {args.essays} essays in {generated:.1f} s, "
                  f"loaded them in {loaded:.1f} s: not part of the figures below)")
            report(f"Generated library of {args.essays:,} essays", len(list(big.sections())),
                   whoosh_figures(big, work / "cache-big"), fts5_figures(big, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
