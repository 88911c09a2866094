"""Architecture rules: what each part may load, and no import cycles."""

from __future__ import annotations

import subprocess
import sys

import grimp

from tests import PROJECT_ROOT


def test_core_and_cli_do_not_load_qt() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import reader.core, reader.cli\n"
        "names = []\n"
        "for package in (reader.core, reader.cli):\n"
        "    for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "        names.append(m.name)\n"
        "reader.cli.build_parser()\n"
        "loaded = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6')))\n"
        "print(' '.join(names))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    imported, loaded = result.stdout.split("\n")[:2]
    # the walk really reached every command group and the core's modules
    assert {"reader.cli.common", "reader.cli.bookmarks", "reader.cli.export",
            "reader.core.content", "reader.core.bookmarks"} <= set(imported.split())
    assert loaded == ""


def test_importing_the_app_module_creates_nothing() -> None:
    code = (
        "import reader.app\n"
        "from PySide6.QtWidgets import QApplication\n"
        "print(QApplication.instance() is None)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == "True"


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each group of modules that import one another in a circle (strongly connected,
    Tarjan), as one shortest circle through its first module, e.g. ``[a, b, a]``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or graph.direct_import_exists(importer=module, imported=module):
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    cycles = []
    for group in sorted(groups):
        first = group[0]
        back = [
            graph.find_shortest_chain(importer=imported, imported=first) or (imported,)
            for imported in graph.find_modules_directly_imported_by(first)
            if imported in group
        ]
        cycles.append([first, *min(back, key=lambda chain: (len(chain), chain))])
    return cycles


def test_no_import_cycles_between_modules() -> None:
    """Any circle of imports among reader.* modules, a package and its own modules too
    (lazy imports inside functions count: they only hide a circle)."""
    graph = grimp.build_graph("reader", cache_dir=None)
    cycles = import_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(module)
    graph.add_import(importer="p", imported="p.a")  # a package and its module
    graph.add_import(importer="p.a", imported="p")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.d")
    graph.add_import(importer="p.d", imported="p.b")
    graph.add_import(importer="p.d", imported="p.a")  # leads into a cycle, is not in one
    assert import_cycles(graph) == [["p", "p.a", "p"], ["p.b", "p.c", "p.d", "p.b"]]


#: A module longer than this holds more than one job: split it by what it does.
MAX_MODULE_LINES = 600


def test_no_module_of_the_reader_is_over_the_size_limit() -> None:
    sizes = {
        path.relative_to(PROJECT_ROOT).as_posix(): len(path.read_text("utf-8").splitlines())
        for path in (PROJECT_ROOT / "reader").rglob("*.py")
    }
    assert len(sizes) > 50  # the whole package was read
    over = {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not over, f"modules over {MAX_MODULE_LINES} lines: {over}"
