"""The library from the command line: ``import``, ``library list``/``remove``, and every
other command working on imported essays (run in-process through ``reader.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import cli
from reader.core import library
from tests.conftest import CONTENT_DIR, ESSAY_ID


def capture(title: str, headings: list[str], words: str) -> str:
    """A page in the source site's text format: kicker, title, headings standing alone,
    the "Navigate" footer and the dates."""
    parts = [f"*** essays: {title}", "", title, ""]
    for number, heading in enumerate(headings, start=1):
        parts += [
            heading,
            "",
            f"Paragraph {number} of {title} tells about {heading.lower()} at some length, "
            f"with enough words to be a paragraph of its own. {words}",
            "",
        ]
    parts += ["Navigate the Essays Section:", "[Return to Main essay page]", ""]
    parts += ["Created: 9:05 PM 3/4/2010", "Last updated: 10:30 AM 11/22/2012", ""]
    return "\n".join(parts)


HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Harbour Cranes of Antwerp</title>
<script>alert("never run")</script></head>
<body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article>
<h1>Harbour Cranes of Antwerp</h1>
<p>The quay cranes of the old harbour lifted grain, timber and coal for a century,
and the dock workers who ran them kept their own union and their own songs.</p>
<h2>Steam Cranes</h2>
<p>The first steam cranes came in the eighteen-seventies and doubled the tonnage
a berth could handle in a day, which changed the whole quarter around the docks.</p>
<h2>Electric Cranes</h2>
<p>Electric cranes followed after the war, quieter and faster, and the last steam
crane was kept as a monument beside the river for the visitors to admire.</p>
</article>
<footer>Copyright nobody</footer>
</body></html>
"""


@pytest.fixture
def where(tmp_path: Path) -> list[str]:
    """The location options: the shipped edition, data and cache in tmp."""
    return ["--content", str(CONTENT_DIR), "--data-dir", str(tmp_path / "data"),
            "--cache-dir", str(tmp_path / "cache")]


def run(where: list[str], capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = cli.main([*where, *args])
    return status, capsys.readouterr().out


def page(tmp_path: Path, name: str, title: str, headings: list[str], words: str = "") -> Path:
    path = tmp_path / "inputs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(capture(title, headings, words), encoding="utf-8")
    return path


def test_import_reports_each_input_and_the_essay_joins_every_command(
    tmp_path: Path, where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = page(tmp_path, "rations.txt", "Wartime Rations in Lisbon",
                ["Bread Queues", "Coffee Substitutes", "The Black Market"],
                "Sardines were plentiful and German agents watched the port.")
    html = tmp_path / "inputs" / "cranes.html"
    html.write_text(HTML_PAGE, encoding="utf-8")
    status, out = run(where, capsys, "import", str(text), str(html), "--json")
    assert status == 0
    results = json.loads(out)
    assert [r["status"] for r in results] == ["added", "added"]
    assert [r["source"] for r in results] == [str(text), str(html)]
    rations, cranes = (r["essay_id"] for r in results)
    assert rations and cranes and rations != cranes
    assert results[0]["sections"] >= 3 and results[0]["format"]
    assert (tmp_path / "data" / "library" / rations / "essay.md").is_file()

    # sections --json: the shipped essay, then both imported ones.
    status, out = run(where, capsys, "sections", "--json")
    rows = json.loads(out)
    titles = {(r["document"], r["title"]) for r in rows}
    assert (rations, "Coffee Substitutes") in titles
    assert (cranes, "Steam Cranes") in titles
    assert rows[0]["document"] == ESSAY_ID

    # library list: both origins.
    status, out = run(where, capsys, "library", "list", "--json")
    listed = {r["id"]: r["origin"] for r in json.loads(out)}
    assert listed == {ESSAY_ID: "shipped", rations: "imported", cranes: "imported"}
    status, out = run(where, capsys, "library", "list")
    assert f"{cranes}  imported" in out and "Harbour Cranes of Antwerp" in out

    # search finds the imported text; --essay keeps to one essay.
    status, out = run(where, capsys, "search", "sardines", "--json")
    assert status == 0 and {h["document"] for h in json.loads(out)} == {rations}
    status, out = run(where, capsys, "search", "German", "--json", "--limit", "50")
    assert {h["document"] for h in json.loads(out)} >= {ESSAY_ID, rations}
    status, out = run(where, capsys, "search", "German", "--json", "--limit", "50",
                      "--essay", rations)
    hits = json.loads(out)
    assert len(hits) == 3 and {h["document"] for h in hits} == {rations}
    status, _ = run(where, capsys, "search", "German", "--essay", "no-such-essay")
    assert status == 1

    # export carries the imported essays; scripts never reach it.
    target = tmp_path / "all.html"
    status, out = run(where, capsys, "export", str(target))
    assert status == 0
    exported = target.read_text(encoding="utf-8")
    assert "Sardines were plentiful" in exported
    assert "the last steam" in exported and "never run" not in exported


def test_a_refused_input_exits_1_and_the_others_are_still_imported(
    tmp_path: Path, where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "inputs" / "empty.txt"
    empty.parent.mkdir(parents=True)
    empty.write_bytes(b"")
    good = page(tmp_path, "mills.txt", "Paper Mills of the Ardennes", ["Rags", "Water", "Ink"])
    status, out = run(where, capsys, "import", str(empty), str(good))
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{empty}: refused")
    assert lines[1].strip()  # the reason, on its own line
    added = next(line for line in lines if line.startswith(f"{good}: added"))
    assert "(3 sections" in added or "(4 sections" in added
    assert [e.origin for e in library.list_essays(CONTENT_DIR, tmp_path / "data" / "library")
            ] == ["shipped", "imported"]

    # The same page again: updated in place, not a second essay.
    status, out = run(where, capsys, "import", str(good), "--json")
    assert status == 0 and json.loads(out)[0]["status"] == "updated"
    # The shipped essay's own capture is recognised, not duplicated.
    source = Path(__file__).parents[1] / "data" / "nazi-soviet-alliance.txt"
    status, out = run(where, capsys, "import", str(source), "--json")
    result = json.loads(out)[0]
    assert status == 0 and result["status"] == "exists" and result["essay_id"] == ESSAY_ID


def test_removed_essay_keeps_its_bookmarks_which_come_back_on_reimport(
    tmp_path: Path, where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = page(tmp_path, "kites.txt", "Kite Flying on the Dunes",
                  ["Box Kites", "Fighting Kites", "Repairs"], "Bamboo and paper.")
    status, out = run(where, capsys, "import", str(source), "--json")
    essay = json.loads(out)[0]["essay_id"]
    status, out = run(where, capsys, "sections", "--json")
    section = next(r["section"] for r in json.loads(out)
                   if r["document"] == essay and r["title"] == "Fighting Kites")
    assert run(where, capsys, "search", "bamboo")[0] == 0  # an index now exists
    status, out = run(where, capsys, "bookmarks", "add", f"{essay}/{section}", "--name", "Kites")
    assert status == 0

    status, out = run(where, capsys, "library", "remove", essay)
    assert status == 0 and essay in out
    assert not (tmp_path / "data" / "library" / essay).exists()
    status, out = run(where, capsys, "bookmarks", "list", "--json")
    marks = json.loads(out)
    assert [(m["document"], m["section"], m["found"]) for m in marks] == [
        (essay, section, False)]
    status, out = run(where, capsys, "bookmarks", "list")
    assert "(not found)" in out
    status, out = run(where, capsys, "search", "bamboo", "--json")
    assert json.loads(out) == []  # its documents left the index with it

    status, out = run(where, capsys, "import", str(source), "--json")
    assert json.loads(out)[0]["essay_id"] == essay
    status, out = run(where, capsys, "bookmarks", "list", "--json")
    assert [m["found"] for m in json.loads(out)] == [True]
    status, out = run(where, capsys, "search", "bamboo", "--json")
    assert {h["document"] for h in json.loads(out)} == {essay}


def test_the_shipped_essay_and_unknown_essays_cannot_be_removed(
    tmp_path: Path, where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for name in (ESSAY_ID, "nothing-here", "../escape"):
        capsys.readouterr()
        assert cli.main([*where, "library", "remove", name]) == 1
        assert "reference-reader:" in capsys.readouterr().err
    assert (CONTENT_DIR / ESSAY_ID / "essay.md").is_file()


def test_the_index_of_names_finds_mentions_in_an_imported_page(
    tmp_path: Path, where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = run(where, capsys, "index", "--json")  # cached before the import
    before = {r["name"]: r["mentions"] for r in json.loads(out)}
    source = page(tmp_path, "oil.txt", "Romanian Oil for the Reich",
                  ["The Wells", "The Trains", "The Bombing"],
                  "Ribbentrop pressed Bucharest for more oil from Ploesti.")
    status, out = run(where, capsys, "import", str(source), "--json")
    assert status == 0
    essay = json.loads(out)[0]["essay_id"]
    _, out = run(where, capsys, "index", "--json")
    after = {r["name"]: r["mentions"] for r in json.loads(out)}
    for name in ("Ribbentrop", "Ploesti"):
        assert not any(m["document"] == essay for m in before[name])
        mine = [m for m in after[name] if m["document"] == essay]
        assert len(mine) == 3  # one in each of its three paragraphs
        assert [m for m in after[name] if m["document"] == ESSAY_ID] == before[name]
