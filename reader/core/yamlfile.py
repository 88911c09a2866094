"""The content's text files, read with line numbers; what is wrong becomes a ``Problem``.

Front matter, related.yaml, index.yaml and timeline.yaml are all read here:
safe YAML only (libyaml when present), parsed once into both the node tree
(which knows every item's line) and the data. A syntax error never raises; it
is reported as ``path:line: message`` on the line where the parser stopped.
YAML is imported on first use, so a start-up answered from the caches needs
none of it.

A YAML text is bounded before its data is built: aliases ("billion laughs")
and nesting cannot make the reader do unbounded work. The node tree is walked
once, counting every node as often as aliases repeat it; a text whose expanded
size passes ``MAX_NODES``, that nests deeper than ``MAX_DEPTH`` or that uses
more than ``MAX_ALIASES`` aliases is reported as a problem and not used.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core import safefile
from reader.core.model import Problem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"

#: Nodes a text may expand to (aliases counted every time they are used).
MAX_NODES = 200_000
#: How deep mappings and lists may nest.
MAX_DEPTH = 64
#: Aliases (``*name``) a text may use; the content needs none.
MAX_ALIASES = 100
#: Largest YAML text read (index.yaml is tens of kilobytes).
MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Budget:
    """The work one YAML text may cause; tests lower it to prove the bound cheaply."""

    nodes: int = MAX_NODES
    depth: int = MAX_DEPTH
    aliases: int = MAX_ALIASES
    size: int = MAX_BYTES


DEFAULT_BUDGET = Budget()


def bound_problem(node: Any, budget: Budget) -> tuple[Any, str] | None:
    """(node, reason) for the first bound ``node``'s tree passes, or None if it fits.

    The walk stops as soon as a bound is passed, so its cost is bounded too.
    """
    import yaml

    seen: set[int] = set()
    aliases = expanded = 0
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        expanded += 1
        if expanded > budget.nodes:
            return current, f"too large once its aliases are expanded (over {budget.nodes} items)"
        if depth > budget.depth:
            return current, f"nested deeper than {budget.depth} levels"
        if isinstance(current, yaml.ScalarNode):
            continue
        if id(current) in seen:
            aliases += 1
            if aliases > budget.aliases:
                return current, f"uses more than {budget.aliases} aliases"
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    return None


#: Largest content text file read (the shipped essay is tens of kilobytes).
MAX_TEXT_BYTES = 64 * 1024 * 1024


def read_text(
    path: Path, problems: list[Problem], limit: int = MAX_TEXT_BYTES
) -> str | None:
    """Read a UTF-8 regular file; bad bytes are replaced and reported with their line.

    A folder, pipe, device or a file over ``limit`` bytes is reported, never read."""
    try:
        raw = safefile.read_regular(path, limit)
    except safefile.Refused as exc:
        problems.append(Problem(path, 0, f"cannot read file: {exc.reason}"))
        return None
    except OSError as exc:
        problems.append(Problem(path, 0, f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(path, line, f"not UTF-8 (byte 0x{raw[exc.start]:02x})"))
        return raw.decode("utf-8", errors="replace")


@functools.cache
def _loader_class(dates: bool) -> Any:
    """Safe YAML; without ``dates`` 1939-08-23 stays text, so a bad date is
    reported by whoever reads it instead of raised here."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("_Loader", (base,), {})
    if not dates:
        loader.yaml_implicit_resolvers = {
            first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
    return loader


@dataclass(frozen=True)
class Document:
    """A parsed YAML text: its data and its node tree, lines counted in the file."""

    data: Any
    node: Any
    first_line: int = 1

    def line(self, node: Any) -> int:
        """The file line where ``node`` starts."""
        return node.start_mark.line + self.first_line if node is not None else self.first_line

    def list_items(self, key: str) -> list[tuple[int, Any]] | None:
        """(line, item) for each item of the top-level ``key:`` list; None if there is none."""
        import yaml

        if not isinstance(self.data, dict) or not isinstance(self.data.get(key), list):
            return None
        if not isinstance(self.node, yaml.MappingNode):
            return None
        seq = next(
            (v for k, v in self.node.value if isinstance(k, yaml.ScalarNode) and k.value == key),
            None,
        )
        lines = [self.line(n) for n in seq.value] if isinstance(seq, yaml.SequenceNode) else []
        return list(zip(lines, self.data[key], strict=False))


def parse(
    text: str,
    path: Path,
    problems: list[Problem],
    *,
    first_line: int = 1,
    dates: bool = False,
    what: str = "malformed YAML",
    budget: Budget = DEFAULT_BUDGET,
) -> Document | None:
    """Parse ``text`` (which starts on ``first_line`` of ``path``); None after a
    syntax error or a text past ``budget``, reported as ``path:line: <what>: <reason>``."""
    import yaml

    if len(text) > budget.size:
        problems.append(
            Problem(path, first_line, f"{what}: larger than {budget.size} characters")
        )
        return None
    loader = _loader_class(dates)(text)
    try:
        node = loader.get_single_node()
        bound = bound_problem(node, budget) if node is not None else None
        if bound is not None:
            problems.append(Problem(path, _line_of(bound[0], first_line), f"{what}: {bound[1]}"))
            return None
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(path, line, f"{what}: {reason}"))
        return None
    except RecursionError:  # the pure-Python parser recurses once per nesting level
        problems.append(Problem(path, first_line, f"{what}: nested too deeply"))
        return None
    finally:
        loader.dispose()
    return Document(data, node, first_line)


def _line_of(node: Any, first_line: int) -> int:
    mark = getattr(node, "start_mark", None)
    return mark.line + first_line if mark is not None else first_line


def read_list(path: Path, key: str, problems: list[Problem]) -> list[tuple[int, Any]] | None:
    """Read a YAML file holding ``key:`` followed by a list.

    Returns (line, item) pairs so that later problems can name the item's
    line, or None when the file is unreadable or malformed (the problem is
    recorded).
    """
    text = read_text(path, problems)
    if text is None:
        return None
    document = parse(text, path, problems)
    if document is None:
        return None
    items = document.list_items(key)
    if items is None:
        problems.append(Problem(path, 1, f"expected a '{key}:' list"))
    return items


def complete_items(
    items: list[tuple[int, Any]],
    required: tuple[str, ...],
    what: str,
    path: Path,
    problems: list[Problem],
) -> list[tuple[int, dict[str, Any]]]:
    """The (line, mapping) items that have every ``required`` key; the rest are reported."""
    complete = []
    for line, item in items:
        if not isinstance(item, dict):
            problems.append(
                Problem(path, line, f"{what} must be a mapping ({', '.join(required)})")
            )
            continue
        missing = [key for key in required if not item.get(key)]
        if missing:
            problems.append(Problem(path, line, f"{what} needs {', '.join(missing)}"))
            continue
        complete.append((line, item))
    return complete
