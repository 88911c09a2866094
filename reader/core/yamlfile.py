"""The content's text files, read with line numbers; what is wrong becomes a ``Problem``.

Front matter, related.yaml, index.yaml and timeline.yaml are all read here:
safe YAML only (libyaml when present), parsed once into both the node tree
(which knows every item's line) and the data. A syntax error never raises; it
is reported as ``path:line: message`` on the line where the parser stopped.
YAML is imported on first use, so a start-up answered from the caches needs
none of it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.model import Problem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """Read a UTF-8 file; bad bytes are replaced and reported with their line."""
    try:
        raw = path.read_bytes()
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
) -> Document | None:
    """Parse ``text`` (which starts on ``first_line`` of ``path``); None after a
    syntax error, reported as ``path:line: <what>: <reason>``."""
    import yaml

    loader = _loader_class(dates)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(path, line, f"{what}: {reason}"))
        return None
    finally:
        loader.dispose()
    return Document(data, node, first_line)


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
