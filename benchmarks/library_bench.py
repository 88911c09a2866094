"""Library speed: adding one page to a library of 1,000 essays, and search at that size.

Not a test: prints figures. Run ``python benchmarks/library_bench.py`` (a few
minutes: the first index of the generated library is built once, in a child
process as the window builds it; ``--essays N`` for a smaller library).

The library is the one ``search_bench.py`` generates (variants of the real
essay, each of its real size, as edition folders). Figures:

* the full build of the index, the baseline the additions are compared with;
* adding one page (a text capture written here), from calling the import until
  a search finds it, two ways: as the window does it (import, read the new essay,
  ``SearchIndex.update_essay`` on the open index) and as the command line does
  it (import, load the whole library, open the index, which writes the essays
  whose fingerprints changed); each repeated with a new page, median and worst;
* the longest single step of ``update_essay`` that holds the GIL: a watchdog
  thread asks to wake every millisecond and the longest gap between its wake-ups
  is reported, with the longest wall time between two writer steps;
* search latency at this size (search_bench's queries, top 20 with snippets):
  p50 and p95, on the index after the additions (whose segments hold deletions).

Targets: the page searchable within 2 s; search p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import LIMIT, generate_library, percentile, time_queries

from reader.core import content, library, library_import
from reader.core.search import SearchIndex, open_search_index, update_search_index

ADDITIONS = 5


def capture(number: int) -> str:
    """A page in the source site's text format, about 1,500 words, with a word of its own."""
    title = f"Convoy Report {number}: Shipping Through the Baltic"
    marker = f"zqmarker{number}"
    parts = [f"*** essays: {title}", "", title, ""]
    for heading in ("The Ports", "The Cargoes", "The Escorts", "The Losses", "The Aftermath"):
        sentence = (f"The {heading.lower()[4:]} of the convoy were logged by the harbour "
                    "masters, who noted tonnage, weather and delays in their ledgers. ")
        parts += [heading, "", sentence * 25 + f"The code word was {marker}.", ""]
    parts += ["Created: 9:05 PM 3/4/2010", "Last updated: 10:30 AM 11/22/2012", ""]
    return "\n".join(parts)


class Watchdog:
    """A thread that asks to run every millisecond; the longest gap between its runs is
    how long some other code held the GIL (or the machine was busy elsewhere)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def __enter__(self) -> Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000, help="generated library size")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="library-bench-"))
    try:
        start = time.perf_counter()
        shipped = generate_library(args.essays, work)
        user = library.library_dir(work / "data")
        cache = work / "cache"
        lib = library.load(shipped, user, cache)
        sections = sum(len(e.sections) for e in lib.essays)
        print(f"(generated and loaded {args.essays} essays, {sections:,} sections, in "
              f"{time.perf_counter() - start:.1f} s: not part of the figures)")

        start = time.perf_counter()
        index, _ = open_search_index(lib, cache)
        full = time.perf_counter() - start
        print(f"\nfull build of the index (child process, as the window): {full:.1f} s")

        window: list[float] = []
        gaps: list[float] = []
        steps: list[float] = []
        for number in range(ADDITIONS):
            page = work / "pages" / f"convoy-{number}.txt"
            page.parent.mkdir(exist_ok=True)
            page.write_text(capture(number), encoding="utf-8")
            start = time.perf_counter()
            [result] = library_import.import_paths([page], user, shipped, cache_dir=cache)
            assert result.ok, result.reason
            essay, _ = content.load_essay(user / (result.essay_id or ""), cache)
            assert essay is not None
            marks = [time.perf_counter()]
            with Watchdog() as dog:
                index.update_essay(
                    essay, step=lambda _name, into=marks: into.append(time.perf_counter()))
            hits = index.search(f"zqmarker{number}").hits
            window.append(time.perf_counter() - start)
            assert hits and hits[0].document == essay.id
            gaps.append(dog.longest)
            steps.append(max(b - a for a, b in itertools.pairwise(marks)))
        index.close()

        cli: list[float] = []
        for number in range(ADDITIONS, 2 * ADDITIONS):
            page = work / "pages" / f"convoy-{number}.txt"
            page.write_text(capture(number), encoding="utf-8")
            start = time.perf_counter()
            [result] = library_import.import_paths([page], user, shipped, cache_dir=cache)
            update_search_index(library.load(shipped, user, cache), cache)
            with SearchIndex(library.load(shipped, user, cache), cache) as fresh:
                hits = fresh.search(f"zqmarker{number}").hits
            cli.append(time.perf_counter() - start)
            assert hits and hits[0].document == result.essay_id

        def row(label: str, values: list[float]) -> None:
            median = statistics.median(values)
            print(f"{label:<54} median {median:6.2f} s, worst {max(values):6.2f} s, "
                  f"full build / median {full / median:6.0f}x")

        print(f"\nadding one page until it is searchable ({ADDITIONS} pages each):")
        row("  window: import + update_essay on the open index", window)
        row("  command line: import + load + open (diff by fingerprint)", cli)
        print(f"  longest watchdog gap during update_essay: {max(gaps) * 1000:.0f} ms "
              f"(median of the runs {statistics.median(gaps) * 1000:.0f} ms)")
        print(f"  longest writer step of update_essay: {max(steps) * 1000:.0f} ms")

        lib = library.load(shipped, user, cache)
        with SearchIndex(lib, cache) as index:
            index.open()
            timings = time_queries(lambda text: index.search(text, LIMIT))
        print(f"\nsearch at {len(lib.essays):,} essays (top {LIMIT}, after the additions):")
        everything: list[float] = []
        for label, samples in timings.items():
            everything += samples
            print(f"  {label:<14} p50 {percentile(samples, 0.5):6.1f} ms, "
                  f"p95 {percentile(samples, 0.95):6.1f} ms")
        print(f"  {'all queries':<14} p50 {percentile(everything, 0.5):6.1f} ms, "
              f"p95 {percentile(everything, 0.95):6.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
