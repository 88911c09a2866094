"""The library: atomic imports, updates that keep section ids, refusals, removal,
loading the shipped and the imported essays as one, and links between essays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from reader.core import content, library, library_import, render
from reader.core.model import OVERRIDE_SUFFIXES
from tests.conftest import CONTENT_DIR, ESSAY_ID

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def capture(title: str, headings: list[str], footer: list[str], words: str = "") -> str:
    """A page in the source site's text format, with its own headings and footer."""
    parts = [f"*** essays: {title}", "", title, ""]
    for number, heading in enumerate(headings, start=1):
        parts += [
            heading,
            "",
            f"Paragraph {number} of {title} tells about {heading.lower()} in some detail, "
            f"with enough words to be a paragraph. {words}",
            "",
        ]
    parts += ["Navigate the Essays Section:", *(f"[Return to {f}]" for f in footer), ""]
    parts += ["Created: 9:05 PM 3/4/2010", "Last updated: 10:30 AM 11/22/2012", ""]
    return "\n".join(parts)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".lock")


def test_importing_again_updates_in_place_and_keeps_section_ids(tmp_path: Path) -> None:
    source = tmp_path / "uniforms.txt"
    source.write_text(capture("School Uniforms", ["Caps", "Blazers", "Ties"], []), "utf-8")
    lib = tmp_path / "library"
    first = library_import.import_paths([source], lib, CONTENT_DIR)[0]
    assert first.status == "added" and first.essay_id == "school-uniforms"
    folder = lib / "school-uniforms"
    essay, _ = content.parse_essay(folder)
    assert essay is not None
    # An earlier import's ids are kept even if the slug rules would give others.
    md = (folder / "essay.md").read_text("utf-8").replace("{#blazers}", "{#jackets}")
    (folder / "essay.md").write_text(md, "utf-8")
    picture = folder / "figures" / "figure-1.png"
    # A capture with one more section and a changed paragraph is the same page.
    source.write_text(
        capture("School Uniforms", ["Caps", "Blazers", "Shoes", "Ties"], [], "More."), "utf-8"
    )
    second = library_import.import_paths([source], lib, CONTENT_DIR)[0]
    assert second.status == "updated" and second.essay_id == "school-uniforms"
    assert names(lib) == ["school-uniforms"]
    updated, _ = content.parse_essay(folder)
    assert updated is not None
    assert [s.id for s in updated.sections] == [
        "school-uniforms",
        "caps",
        "jackets",
        "shoes",
        "ties",
    ]
    assert not picture.exists()


def test_an_index_and_a_timeline_added_by_hand_survive_a_reimport(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text(capture("Harbour Pilots", ["The Bar"], []), "utf-8")
    lib = tmp_path / "library"
    [first] = library_import.import_paths([source], lib, None)
    folder = lib / str(first.essay_id)
    index = "entries:\n  - id: pilot-boat\n    kind: ship\n    name: Pilot Boat\n"
    timeline = "events:\n  - date: 1940-02-11\n    text: The pilots' log begins.\n"
    (folder / "index.yaml").write_text(index, "utf-8")
    (folder / "timeline.yaml").write_text(timeline, "utf-8")
    [again] = library_import.import_paths([source], lib, None)
    assert again.status == "updated" and again.essay_id == first.essay_id
    assert (folder / "index.yaml").read_text("utf-8") == index
    assert (folder / "timeline.yaml").read_text("utf-8") == timeline


def test_a_picture_given_to_a_stand_in_survives_a_reimport(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    text = capture("Sailor Suits", ["Navy"], []).replace(
        "Navy\n", "A boy\nFigure 1.--A boy in a sailor suit.\n\nNavy\n"
    )
    source.write_text(text, "utf-8")
    lib = tmp_path / "library"
    result = library_import.import_paths([source], lib, None)[0]
    assert result.figures == 1
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    written = library.set_figure_picture(lib / "sailor-suits", "figure-1", photo)
    assert written == lib / "sailor-suits" / "figures" / "figure-1.png"
    loaded = content.load_library(CONTENT_DIR, user_library=lib)
    essay = loaded.essay("sailor-suits")
    assert essay is not None and essay.figures[0].path == written
    assert library_import.import_paths([source], lib, None)[0].status == "updated"
    assert written.read_bytes() == PNG
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("hello", "utf-8")
    with pytest.raises(library.LibraryError, match="not a PNG or JPEG"):
        library.set_figure_picture(lib / "sailor-suits", "figure-1", not_a_picture)
    with pytest.raises(library.LibraryError, match="no figure"):
        library.set_figure_picture(lib / "sailor-suits", "figure-9", photo)
    assert OVERRIDE_SUFFIXES  # the picture types the reader shows in place of a plate


def test_a_killed_import_leaves_no_half_written_essay(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text(capture("Knickers", ["Wool", "Corduroy"], []), "utf-8")
    lib = tmp_path / "library"
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from reader.core import library_import
        from reader.core.importers import draft

        real = draft.write_edition

        def stalled(d, folder, ids):
            real(d, folder, ids)
            print("written", flush=True)
            time.sleep(60)

        library_import.write_edition = stalled
        library_import.import_paths([Path({str(source)!r})], Path({str(lib)!r}), None)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "written"
        temporary = [p for p in lib.iterdir() if p.name.startswith(".import-")]
        assert len(temporary) == 1 and (temporary[0] / "essay.md").is_file()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert names(lib) == [temporary[0].name]
    assert content.load_library(CONTENT_DIR, user_library=lib).essay("knickers") is None
    # The next load cleans up what the dead process left.
    library.load(CONTENT_DIR, lib)
    assert names(lib) == []
    result = library_import.import_paths([source], lib, None)[0]
    assert result.status == "added" and names(lib) == ["knickers"]


def test_an_update_caught_between_its_two_renames_is_put_back(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    source = tmp_path / "page.txt"
    source.write_text(capture("Smocks", ["Linen"], []), "utf-8")
    library_import.import_paths([source], lib, None)
    (lib / "smocks").rename(lib / ".replaced-999999-abcd-smocks")
    library_import.import_paths([], lib, None)
    assert names(lib) == ["smocks"]


def test_a_crash_of_another_live_import_is_not_cleaned_up(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    lib.mkdir()
    busy = lib / f".import-{os.getppid()}-abcd"
    busy.mkdir()
    library.clean_up(lib)
    assert busy.is_dir()


def make_huge(path: Path) -> None:
    """A 50 MB page (sparse on disk): a title, then spaces."""
    path.write_bytes(b"A Title\n\n")
    os.truncate(path, 50 * 1024 * 1024)


def make_epub_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", "<container/>")
        book.writestr("OEBPS/zeros.xhtml", b"\0" * (30 * 1024 * 1024))


def make_epub_escape(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip")
        book.writestr("META-INF/container.xml", "<container/>")
        book.writestr("../../outside.xhtml", "<p>out</p>")


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.txt", lambda p: p.write_bytes(b""), "empty"),
        ("blank.html", lambda p: p.write_bytes(b"  \n\n "), "empty"),
        ("blob.bin", lambda p: p.write_bytes(b"\x00\x01\x02" * 1000), "binary"),
        ("photo.txt", lambda p: p.write_bytes(PNG), "PNG picture"),
        ("huge.txt", make_huge, "large"),
        (
            "nav.html",
            lambda p: p.write_text(
                "<html><body><nav><a href='/a'>Home</a></nav>"
                + "".join(f"<p><a href='/p{n}'>Page {n} of the site</a></p>" for n in range(40))
                + "</body></html>",
                "utf-8",
            ),
            "navigation",
        ),
        ("bomb.epub", make_epub_bomb, "ZIP bomb"),
        ("escape.epub", make_epub_escape, "outside itself"),
        ("archive.zip", lambda p: zipfile.ZipFile(p, "w").close(), "not an EPUB"),
        ("gone.txt", lambda p: None, "not there"),
        ("latin.txt", lambda p: p.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20), "neither UTF-8"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    tmp_path: Path, name: str, make: object, reason: str
) -> None:
    source = tmp_path / name
    make(source)  # type: ignore[operator]
    lib = tmp_path / "library"
    [result] = library_import.import_paths([source], lib, CONTENT_DIR)
    assert result.status == "refused", result
    assert reason in result.reason
    assert names(lib) == []


def test_an_old_page_in_windows_1252_is_read_and_said_so(tmp_path: Path) -> None:
    source = tmp_path / "old.txt"
    text = capture("Caf\u00e9 Days", ["Menus"], [], "Prices in \u00a3 \u2013 dear.")
    source.write_bytes(text.encode("cp1252"))
    [result] = library_import.import_paths([source], tmp_path / "library", None)
    assert result.status == "added"
    assert any("Windows-1252" in p for p in result.problems)
    essay, _ = content.parse_essay(tmp_path / "library" / "cafe-days")
    assert essay is not None and "\u00a3 \u2013 dear" in essay.sections[1].text


def test_a_file_that_vanishes_mid_import_is_refused_alone(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(capture("Berets", ["Wool"], []), "utf-8")
    second.write_text(capture("Boaters", ["Straw"], []), "utf-8")
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int, path: Path) -> None:
        seen.append((done, total))
        if done == 1:
            second.unlink()

    results = library_import.import_paths([first, second], tmp_path / "library", None, progress)
    assert [r.status for r in results] == ["added", "refused"]
    assert "not there" in results[1].reason
    assert seen == [(0, 2), (1, 2), (2, 2)]


def test_cancel_leaves_the_rest_alone(tmp_path: Path) -> None:
    sources = []
    for title in ("Aprons", "Bibs", "Capes"):
        path = tmp_path / f"{title}.txt"
        path.write_text(capture(title, ["Cloth"], []), "utf-8")
        sources.append(path)
    done: list[Path] = []
    results = library_import.import_paths(
        sources,
        tmp_path / "library",
        None,
        progress=lambda n, total, path: done.append(path),
        cancelled=lambda: len(done) >= 1,
    )
    assert [r.status for r in results] == ["added", "cancelled", "cancelled"]
    assert names(tmp_path / "library") == ["aprons"]


def test_ids_are_safe_unique_folder_names(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(capture("Ça: «Bérets» / ../..", ["Laine"], []), "utf-8")
    second.write_text(
        "Ça: «Bérets» / ../..\n\nA different page under the same title, whose text shares "
        "nothing with the first one at all.\n",
        "utf-8",
    )
    results = library_import.import_paths([first, second], lib, None)
    assert [r.essay_id for r in results] == ["ca-berets", "ca-berets-2"]
    shipped = tmp_path / "shipped.txt"
    shipped.write_text(capture("Nazi Soviet Alliance", ["Pact"], []), "utf-8")
    [result] = library_import.import_paths([shipped], lib, CONTENT_DIR)
    assert result.essay_id == ESSAY_ID + "-2"  # not the shipped essay: other text


def test_list_remove_and_load_as_one_library(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    source = tmp_path / "page.txt"
    source.write_text(capture("Sandals", ["Leather"], []), "utf-8")
    library_import.import_paths([source], lib, CONTENT_DIR)
    rows = library.list_essays(CONTENT_DIR, lib)
    assert [(r.id, r.origin) for r in rows] == [(ESSAY_ID, "shipped"), ("sandals", "imported")]
    assert rows[1].sections == 2 and rows[1].format == "text capture"
    loaded = library.load(CONTENT_DIR, lib)
    assert [e.id for e in loaded.essays] == [ESSAY_ID, "sandals"]
    assert loaded.problems == []
    assert not loaded.imported(loaded.essays[0]) and loaded.imported(loaded.essays[1])
    with pytest.raises(library.LibraryError, match="cannot be removed"):
        library.remove_essay(ESSAY_ID, lib)
    with pytest.raises(library.LibraryError):
        library.remove_essay("../library", lib)
    assert library.remove_essay("sandals", lib) == lib / "sandals"
    assert names(lib) == []
    assert [e.id for e in library.load(CONTENT_DIR, lib).essays] == [ESSAY_ID]


def test_a_user_folder_with_a_shipped_id_is_left_out(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    (lib / ESSAY_ID).mkdir(parents=True)
    (lib / ESSAY_ID / "essay.md").write_text("---\ntitle: Copy\n---\n\n# Copy {#copy}\n", "utf-8")
    loaded = content.load_library(CONTENT_DIR, user_library=lib)
    assert [e.id for e in loaded.essays] == [ESSAY_ID]
    assert loaded.essays[0].title != "Copy"
    assert any("already in the library" in p.message for p in loaded.problems)


def test_two_imported_pages_that_link_to_each_other(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    alpha = tmp_path / "alpha.txt"
    alpha.write_text(capture("Alpha Essay", ["One"], ["Main Beta Essay page", "Gamma page"]))
    beta = tmp_path / "beta.html"
    beta.write_text(
        "<!-- saved from url=(0033)https://example.org/beta.html -->"
        "<html><head><title>Beta Essay</title></head><body><article><h1>Beta Essay</h1>"
        "<p>Beta is the second essay; it points back at "
        '<a href="https://example.org/alpha.html">the first essay</a> and at '
        '<a href="https://example.org/delta.html">a page not here</a>, '
        "with words enough for a paragraph.</p></article></body></html>",
        "utf-8",
    )
    gamma = tmp_path / "gamma.html"
    gamma.write_text(
        '<html><head><link rel="canonical" href="https://example.org/alpha.html">'
        "<title>Gamma</title></head><body><p>Gamma has the address the Beta page links to "
        "and enough words to be an article of its own.</p></body></html>",
        "utf-8",
    )
    results = library_import.import_paths([alpha, beta, gamma], lib, CONTENT_DIR)
    assert [r.status for r in results] == ["added", "added", "added"], results
    loaded = library.load(CONTENT_DIR, lib)
    related = library.related_targets(loaded)
    alpha_pages = {p.title: p.id for p in loaded.essay("alpha-essay").related}  # type: ignore[union-attr]
    assert related[("alpha-essay", alpha_pages["Main Beta Essay page"])] == "beta-essay"
    assert ("alpha-essay", alpha_pages["Gamma page"]) in related
    assert library.link_targets(loaded) == {
        ("beta-essay", "https://example.org/alpha.html"): "gamma"
    }
    alpha_essay = loaded.essay("alpha-essay")
    assert alpha_essay is not None
    html = render.render_essay(alpha_essay, in_library=library.essay_links(loaded, "alpha-essay"))
    assert '<a href="reader://beta-essay">Main Beta Essay page</a>' in html
    beta_essay = loaded.essay("beta-essay")
    assert beta_essay is not None
    html = render.render_essay(beta_essay, in_library=library.essay_links(loaded, "beta-essay"))
    assert '<a href="reader://gamma">the first essay</a>' in html
    assert '<a href="https://example.org/delta.html">a page not here</a>' in html
    # The shipped essay's related pages are not in the library: marked, not linked.
    shipped = loaded.essay(ESSAY_ID)
    assert shipped is not None
    html = render.render_essay(shipped, in_library=library.essay_links(loaded, ESSAY_ID))
    assert f'class="editorial unavailable" title="{render.UNAVAILABLE_TITLE}"' in html
    assert html.count('class="unavailable"') == len(shipped.related)
    assert "reader://alpha-essay" not in html


def test_pages_are_recognised_from_a_description_of_the_library(tmp_path: Path) -> None:
    """An import told what the library holds (``describe``, as a window tells its import
    process) recognises a page of it without reading every essay again: the page
    updates its essay, a new page is added beside it."""
    lib, cache = tmp_path / "library", tmp_path / "cache"
    sources = []
    for title, heading in (("Canals", "Locks"), ("Bridges", "Arches"), ("Roads", "Tolls")):
        sources.append(tmp_path / f"{title.lower()}.txt")
        sources[-1].write_text(capture(title, [heading, "Maps"], []), "utf-8")
    library_import.import_paths(sources[:2], lib, CONTENT_DIR)
    before = library.load(CONTENT_DIR, lib, cache)

    sources[1].write_text(capture("Bridges", ["Arches", "Maps", "Piers"], []), "utf-8")
    results = library_import.import_paths(
        sources[1:], lib, CONTENT_DIR, known=library_import.describe(before))
    assert [(r.status, r.essay_id) for r in results] == [("updated", "bridges"),
                                                         ("added", "roads")]
    after = library.load(CONTENT_DIR, lib, cache)
    assert [e.id for e in after.essays] == [ESSAY_ID, "bridges", "canals", "roads"]
    assert [s.title for s in after.essay("bridges").sections][-1] == "Piers"  # type: ignore[union-attr]


def test_imported_essays_are_told_from_shipped_ones_through_a_linked_folder(
    tmp_path: Path,
) -> None:
    """The user data folder reached through a symbolic link: essays read from the cache
    carry the resolved folder, and are still the reader's own."""
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    lib = tmp_path / "linked" / "library"
    source = tmp_path / "page.txt"
    source.write_text(capture("Lanterns", ["Wicks"], []), "utf-8")
    library_import.import_paths([source], lib, CONTENT_DIR)
    loaded = library.load(CONTENT_DIR, lib, tmp_path / "cache")
    essay = loaded.essay("lanterns")
    assert essay is not None and essay.folder.parent != lib  # resolved
    assert loaded.imported(essay) and not loaded.imported(loaded.essays[0])
    # and so an import recognises it as the reader's own, to update, not as shipped
    [result] = library_import.import_paths(
        [source], lib, CONTENT_DIR, known=library_import.describe(loaded))
    assert (result.status, result.essay_id) == ("updated", "lanterns")
