"""Import benchmark: 100 generated pages (text captures and HTML pages) into a temporary library.

Prints the time per page (median and 95th percentile, by format) and in total,
and, as a baseline in the same run, the time to parse the same pages' written
editions again (what loading them costs without a cache): the import's own
work is reading the input and writing the folder on top of that.

    .venv/bin/python benchmarks/import_bench.py [--pages 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core import content, library_import

WORDS = [
    "the",
    "boys",
    "wore",
    "caps",
    "and",
    "jackets",
    "to",
    "school",
    "in",
    "winter",
    "while",
    "summer",
    "brought",
    "straw",
    "hats",
    "sailor",
    "suits",
    "were",
    "popular",
    "before",
    "the",
    "war",
    "and",
    "mothers",
    "sewed",
    "them",
    "at",
    "home",
]


def sentence(seed: int, length: int = 18) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + f" ({1900 + seed % 90})."


def capture(number: int) -> str:
    title = f"Clothing Page Number {number}"
    parts = [
        f"*** clothing: page {number}",
        "",
        title,
        "",
        "A picture",
        f"Figure 1.--{sentence(number)}",
        "",
    ]
    for section in range(6):
        parts += [f"Part {section} of Page {number}", ""]
        parts += [" ".join(sentence(number + section + k) for k in range(6)), ""]
    parts += ["Navigate the Clothing Section:", "[Return to Main Clothing page] [Hats]", ""]
    parts += ["Created: 9:05 PM 3/4/2010", "Last updated: 10:30 AM 11/22/2012"]
    return "\n".join(parts)


def html_page(number: int) -> str:
    body = [f"<h1>Web Page Number {number}</h1>"]
    body.append(
        '<figure><img src="page_files/p.png" alt="p">'
        f"<figcaption>{sentence(number)}</figcaption></figure>"
    )
    for section in range(6):
        body.append(f"<h2>Topic {section} of {number}</h2>")
        body += [
            f"<p>{sentence(number + section + k)} <em>{sentence(k)}</em> "
            f'<a href="https://example.org/p{k}.html">more</a></p>'
            for k in range(4)
        ]
    return (
        f"<!-- saved from url=(0040)https://example.org/bench/{number}.html -->"
        "<html><head><title>x</title><script>var a = 1;</script></head><body>"
        "<nav><a href='/'>Home</a></nav><article>" + "".join(body) + "</article></body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        inputs: list[Path] = []
        for number in range(args.pages):
            if number % 2:
                folder = root / "in" / f"h{number}"
                (folder / "page_files").mkdir(parents=True)
                (folder / "page_files" / "p.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
                path = folder / "page.html"
                path.write_text(html_page(number), encoding="utf-8")
            else:
                path = root / "in" / f"c{number}.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(capture(number), encoding="utf-8")
            inputs.append(path)
        target = root / "library"
        times: dict[str, list[float]] = {}
        # Warm the imports (Markdown, Beautiful Soup) so the first page is not an outlier.
        library_import.import_paths([inputs[0], inputs[1]], root / "warm", None)
        marks: list[float] = []
        started = time.perf_counter()
        results = library_import.import_paths(
            inputs,
            target,
            None,
            progress=lambda done, total, path: marks.append(time.perf_counter()),
        )
        for result, begin, end in zip(results, marks, marks[1:], strict=False):
            assert result.ok, result
            times.setdefault(result.format, []).append(end - begin)
        total = time.perf_counter() - started
        before = time.perf_counter()
        for folder in sorted(target.iterdir()):
            if not folder.name.startswith("."):
                content.parse_essay(folder)
        parse_total = time.perf_counter() - before
    every = [t for values in times.values() for t in values]
    for kind, values in sorted(times.items()):
        ordered = sorted(values)
        print(
            f"{kind:13} {len(values):4} pages: median {statistics.median(values) * 1000:6.1f} ms,"
            f" p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:6.1f} ms"
        )
    print(
        f"all           {len(every):4} pages: {total:.2f} s in total, "
        f"{total / len(every) * 1000:.1f} ms per page"
    )
    print(
        f"baseline: parsing the written editions again {parse_total / len(every) * 1000:.1f} ms"
        f" per page (import/parse ratio {total / parse_total:.2f})"
    )


if __name__ == "__main__":
    main()
