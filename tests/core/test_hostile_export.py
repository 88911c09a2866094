"""Hostile export targets and content: only regular files are replaced, failed writes
leave the old file, and the exported HTML carries only what the reader renders."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from reader.core import atomic, export
from reader.core.content import load_library
from tests.essay_fixtures import GOOD_ESSAY, write_essay


def test_an_empty_path_is_refused() -> None:
    with pytest.raises(atomic.NotRegularFile, match="no file name"):
        atomic.write_text("", "x")  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["folder", "fifo", "dangling"])
def test_only_a_regular_file_is_ever_replaced(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(tmp_path / "nowhere")
    before = os.lstat(target).st_mode
    with pytest.raises(atomic.NotRegularFile) as raised:
        atomic.write_text(target, "new")
    assert str(raised.value).count("\n") == 0
    assert os.lstat(target).st_mode == before
    assert [p.name for p in tmp_path.iterdir()] == ["target"]  # no temporary left


def test_a_link_to_a_regular_file_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(real)
    atomic.write_text(tmp_path / "link.txt", "new")
    assert (tmp_path / "link.txt").is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_full_disk_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as raised:
        atomic.write_text(target, "new")
    assert atomic.reason(raised.value) == "No space left on device"
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.html"]


def test_export_to_a_folder_is_an_error_not_success(tmp_path: Path) -> None:
    write_essay(tmp_path / "content")
    library = load_library(tmp_path / "content")
    (tmp_path / "out.html").mkdir()
    with pytest.raises(export.Error, match="is a folder"):
        export.export_html(library, tmp_path / "out.html", "")
    assert (tmp_path / "out.html").is_dir()


def test_export_on_a_full_disk_reports_it_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_essay(tmp_path / "content")
    library = load_library(tmp_path / "content")
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(export.Error, match="No space left on device"):
        export.export_html(library, target, "")
    assert target.read_text(encoding="utf-8") == "old"


HOSTILE = GOOD_ESSAY + """
<script>alert("x")</script>

<p onclick="steal()" onmouseover="steal()">Click</p>

<iframe src="https://evil.example/"></iframe>

<a href="javascript:alert(1)">run</a> <a href="https://example.org/">web</a>
<a href="mailto:a@example.org">mail</a>

<img src="https://evil.example/track.png"> <img src="../../secret.png">

<link rel="stylesheet" href="https://evil.example/s.css">
<style>body { background: url(https://evil.example/x) }</style>

<form action="https://evil.example/"><input name="q"></form>
"""


def test_exported_html_carries_only_what_the_reader_renders(tmp_path: Path) -> None:
    write_essay(tmp_path / "content", text=HOSTILE)
    library = load_library(tmp_path / "content")
    out = tmp_path / "out.html"
    export.export_html(library, out, "p { color: black }")
    html = out.read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    for bad in ("<script", "onclick", "onmouseover", "<iframe", "javascript:", "evil.example",
                "secret.png", "<form", "<input", "<link"):
        assert bad not in body, bad
    assert 'href="https://example.org/"' in body and 'href="mailto:a@example.org"' in body
    assert 'src="data:image/svg+xml;base64,' in body  # the essay's own figure, embedded
    assert 'href="#second"' in body  # in-page links stay
    assert "p { color: black }" in html  # the reader's own stylesheet, in the head


def test_a_figure_outside_the_essay_folder_is_not_embedded(tmp_path: Path) -> None:
    (tmp_path / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"><text>SECRET</text></svg>',
        encoding="utf-8",
    )
    text = GOOD_ESSAY.replace("figures/plate.svg", "../../secret.svg")
    write_essay(tmp_path / "content", text=text)
    library = load_library(tmp_path / "content")
    html = export.standalone_html(library.essays[0], "")
    assert "data:image/svg" not in html
    assert any("outside the essay folder" in p.message for p in library.problems)


def test_images_outside_the_folder_are_never_rendered_printed_or_exported(
    tmp_path: Path,
) -> None:
    from reader.core.render import render_body

    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = GOOD_ESSAY + f'\n<img src="{tmp_path / "secret.png"}"> <img src="figures/plate.svg">\n'
    write_essay(tmp_path / "content", text=text)
    essay = load_library(tmp_path / "content").essays[0]
    for reading in ("corrected", "original", "changes"):
        body = render_body(essay, reading)
        assert "secret.png" not in body
        assert 'src="figures/plate.svg"' in body and "src=\"figure://" in body
    assert "secret.png" not in export.essay_html(essay, "")
