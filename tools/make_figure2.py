"""Make Figure 2 (editorial) from content/nazi-soviet-alliance/memorandum-1940.yaml.

    python tools/make_figure2.py            write figures/figure2-memorandum-1940.svg
    python tools/make_figure2.py --table    print the HTML table that essay.md holds
    python tools/make_figure2.py --check    exit 1 if essay.md's table differs from the data

Needs matplotlib, a development-only dependency (``pip install -e '.[dev]'``);
the reader never imports it. The SVG is reproducible: no date in its metadata,
a fixed hash salt for ids, text kept as text.
"""

from __future__ import annotations

import argparse
import re
import sys
from html import escape
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
ESSAY = ROOT / "content" / "nazi-soviet-alliance"
DATA = ESSAY / "memorandum-1940.yaml"
SVG = ESSAY / "figures" / "figure2-memorandum-1940.svg"
TABLE_START = "<!-- editorial-table: memorandum-1940 -->"
TABLE_END = "<!-- /editorial-table -->"


def load(path: Path = DATA) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("commodities"), list):
        raise SystemExit(f"{path}: expected a 'commodities:' list")
    return data


def _number(value: float) -> str:
    return f"{value:g}"


def table_html(data: dict[str, Any]) -> str:
    """The editorial table, as raw HTML (kept out of the source text by the outline)."""
    rows = []
    for item in data["commodities"]:
        marks = item.get("million_reichsmarks")
        rows.append(
            f"<tr><td>{escape(item['name'])}</td>"
            f"<td align=\"right\">{_number(item['million_tons'])}</td>"
            f"<td align=\"right\">{_number(marks) if marks is not None else '—'}</td></tr>"
        )
    return "\n".join([
        TABLE_START,
        '<table class="editorial" cellspacing="0" cellpadding="4">',
        f"<caption>Editorial table (not part of the source): {escape(data['title'])}, "
        "from the figures the essay gives.</caption>",
        "<tr><th align=\"left\">Commodity</th><th align=\"right\">Million tons</th>"
        "<th align=\"right\">Million Reichsmarks</th></tr>",
        *rows,
        f"<tr><td colspan=\"3\"><i>Also: {escape(data['unquantified'])}.</i></td></tr>",
        "</table>",
        TABLE_END,
    ])


def make_svg(data: dict[str, Any], out: Path = SVG) -> None:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.hashsalt": "figure2-memorandum-1940",
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 10,
    })
    items = data["commodities"]
    names = [item["name"] for item in items][::-1]
    tons = [item["million_tons"] for item in items][::-1]
    marks = [item.get("million_reichsmarks") for item in items][::-1]
    fig, ax = plt.subplots(figsize=(7.2, 3.9))
    bars = ax.barh(names, tons, color=["#9a2b1e" if m else "#c9a38f" for m in marks],
                   edgecolor="#5a3a33", linewidth=0.6, height=0.62)
    for bar, ton, mark in zip(bars, tons, marks, strict=True):
        label = f"{_number(ton)} million t"
        if mark is not None:
            label += f"  ({_number(mark)} million RM)"
        ax.text(bar.get_width() + 0.02, bar.get_y() + bar.get_height() / 2, label,
                va="center", ha="left", fontsize=9, color="#23313f")
    ax.set_xlim(0, 1.55)
    ax.set_xlabel("Million tons to be delivered by the Soviet Union")
    ax.set_title(f"{data['title']}\n(editorial chart from the figures in the essay)",
                 fontsize=10.5, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    # No small print in the chart: the caption says what the red bars mean and the
    # table lists what was promised without quantities, both at a readable size.
    fig.tight_layout(rect=(0, 0.09, 1, 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "tools/make_figure2.py"})
    plt.close(fig)


def essay_table(essay: Path = ESSAY / "essay.md") -> str | None:
    text = essay.read_text(encoding="utf-8")
    match = re.search(re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), text, re.DOTALL)
    return match.group(0) if match else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", action="store_true", help="print the HTML table")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if essay.md's table differs from the data")
    args = parser.parse_args(argv)
    data = load()
    if args.table:
        print(table_html(data))
        return 0
    if args.check:
        same = essay_table() == table_html(data)
        print("essay.md table matches the data" if same else "essay.md table differs: "
              "paste the output of --table between the editorial-table comments")
        return 0 if same else 1
    make_svg(data)
    print(f"wrote {SVG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
