"""The contents tree's bookmark markers and search hit counts."""

from __future__ import annotations

from reader.core.content import Library
from reader.ui.section_tree import BOOKMARKED_ROLE, SectionTree
from tests.conftest import ESSAY_ID


def marked(tree: SectionTree, library: Library) -> set[str]:
    return {
        s.id for s in library.sections()
        if (item := tree.item_for(s.document, s.id)) is not None and item.data(0, BOOKMARKED_ROLE)
    }


def test_bookmarked_sections_get_a_marker_and_lose_it(qtbot, library: Library) -> None:
    tree = SectionTree(library)
    qtbot.addWidget(tree)
    tree.set_bookmarked({(ESSAY_ID, "pact"), (ESSAY_ID, "poland"), ("elsewhere", "pact")})
    assert marked(tree, library) == {"pact", "poland"}
    pact = tree.item_for(ESSAY_ID, "pact")
    assert pact is not None and "Bookmarked" in pact.toolTip(0)
    assert not pact.icon(0).isNull()
    tree.set_bookmarked({(ESSAY_ID, "poland")})
    assert marked(tree, library) == {"poland"}
    assert "Bookmarked" not in pact.toolTip(0)


def test_hit_counts_show_in_a_second_column_and_hide_when_none(qtbot, library: Library) -> None:
    tree = SectionTree(library)
    qtbot.addWidget(tree)
    tree.show()
    tree.set_hit_counts([(ESSAY_ID, "pact", 3), (ESSAY_ID, "poland", 1)])
    assert not tree.isColumnHidden(1)
    counts = {
        s.id: item.text(1) for s in library.sections()
        if (item := tree.item_for(s.document, s.id)) is not None and item.text(1)
    }
    assert counts == {"pact": "3", "poland": "1"}
    assert tree.item_for(ESSAY_ID, "poland").toolTip(1) == "1 search hit"  # type: ignore[union-attr]
    tree.set_hit_counts([])
    assert tree.isColumnHidden(1)
    assert tree.item_for(ESSAY_ID, "pact").text(1) == ""  # type: ignore[union-attr]
