"""Full-text search over the library's sections (the only package that imports whoosh).

``SearchIndex`` opens (building when needed) and queries the index;
``open_search_index`` first builds a large library's index in a separate
process. The parts: ``analysis`` (words, folding, stems, the schema),
``storage`` (the index on disk: fingerprint, building, health check, repair),
``query`` (cleaning, parsing, rewriting, aliases), ``ranking`` (BM25F, with a
bulk scorer over whole posting lists), ``suggestions`` ("Did you mean …?"),
``highlight`` (matched spans and snippets), ``results`` (what a search returns).
"""

from reader.core.search.analysis import TEXT_FIELDS, TITLE_BOOST, Error, WordAnalyzer, make_schema
from reader.core.search.highlight import SNIPPET_CHARS
from reader.core.search.index import (
    DEFAULT_LIMIT,
    SearchIndex,
    open_search_index,
    update_search_index,
)
from reader.core.search.integrity import INDEX_FOLDER, SIDECAR, DamagedIndex
from reader.core.search.query import (
    ALIAS_BOOST,
    FEW_EXACT_HITS,
    FUZZY_BOOST,
    MAX_EXPANSIONS,
    MAX_QUERY_CHARS,
    clean_query,
)
from reader.core.search.results import Hit, SearchResults
from reader.core.search.storage import (
    PARALLEL_BUILD_SECTIONS,
    PROCESS_BUILD_SECTIONS,
    LockError,
    build_in_child,
    fingerprint,
)

__all__ = [
    "ALIAS_BOOST",
    "DEFAULT_LIMIT",
    "FEW_EXACT_HITS",
    "FUZZY_BOOST",
    "INDEX_FOLDER",
    "MAX_EXPANSIONS",
    "MAX_QUERY_CHARS",
    "PARALLEL_BUILD_SECTIONS",
    "PROCESS_BUILD_SECTIONS",
    "SIDECAR",
    "SNIPPET_CHARS",
    "TEXT_FIELDS",
    "TITLE_BOOST",
    "DamagedIndex",
    "Error",
    "Hit",
    "LockError",
    "SearchIndex",
    "SearchResults",
    "WordAnalyzer",
    "build_in_child",
    "clean_query",
    "fingerprint",
    "make_schema",
    "open_search_index",
    "update_search_index",
]
