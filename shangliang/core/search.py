"""Full-text search with exactly the hits of a ``LIKE`` scan, through an index.

A document (kind, object id) is indexed by its **search tokens**: the overlapping CJK
character pairs of each run of Chinese characters (a lone character stays itself) and the
overlapping trigrams of each run of letters and digits (a shorter run stays itself), all
lower case. The tokens live in ``core.SearchEntry``; SQLite keeps an FTS5 table over them
(kept in step by triggers), PostgreSQL a generated ``tsvector`` column
(``array_to_tsvector`` of the tokens: no text-search parser is involved) with a GIN index.

A query string ``q`` is cut the same way. If ``q`` occurs in a text, each of its tokens
occurs in that text's tokens (a run inside ``q`` lies inside a run of the text), so the
documents holding every token of ``q`` are a superset of the documents containing ``q``;
:func:`search_q` returns that index filter **and** the ``icontains`` conditions on the
fields, which keep exactly the ``LIKE`` hits. A query with no token (one Chinese
character, two letters) falls back to the plain ``icontains`` scan: the answer is the
same, only slower, and such a query matches most documents anyway.

Writers: :func:`index` (one document, idempotent) and :func:`remove`; apps call them from
their save hooks and from ``manage.py reindex_search``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from shangliang.core.models import SearchEntry

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_ALNUM_RUN = re.compile(r"[0-9a-z]+")
MAX_QUERY_TOKENS = 24  # any subset of the tokens still gives a superset; more only costs


def _fold(text: str) -> str:
    # Lower case only (what LIKE/ILIKE fold, too); no NFKC: LIKE does not fold widths.
    return (text or "").lower()


def _runs(text: str) -> Iterable[tuple[str, int]]:
    folded = _fold(text)
    for run in _CJK_RUN.findall(folded):
        yield run, 2
    for run in _ALNUM_RUN.findall(folded):
        yield run, 3


def document_tokens(parts: Iterable[str]) -> list[str]:
    """The distinct search tokens of a document's texts (each text cut on its own, so no
    token spans two fields), sorted."""
    out: set[str] = set()
    for part in parts:
        for run, n in _runs(part):
            if len(run) <= n:
                out.add(run)
                if len(run) == n:
                    continue
            out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return sorted(out)


def query_tokens(q: str) -> list[str]:
    """The tokens every document containing ``q`` has (none for a too short ``q``)."""
    out: list[str] = []
    for run, n in _runs(q):
        if len(run) < n:
            continue
        for i in range(len(run) - n + 1):
            token = run[i : i + n]
            if token not in out:
                out.append(token)
    # Keep the tokens spread over the whole query (the first and last stay).
    if len(out) > MAX_QUERY_TOKENS:
        step = (len(out) - 1) / (MAX_QUERY_TOKENS - 1)
        out = [out[round(i * step)] for i in range(MAX_QUERY_TOKENS)]
    return out


def fts_available() -> bool:
    """Whether this database has the index structures (always on PostgreSQL; on SQLite
    when the migration could create the FTS5 table)."""
    if connection.vendor == "postgresql":
        return True
    if connection.vendor != "sqlite":
        return False
    key = connection.settings_dict.get("NAME")
    cached = _fts_seen.get(str(key))
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'core_search_fts'"
            )
            cached = cursor.fetchone() is not None
        _fts_seen[str(key)] = cached
    return cached


_fts_seen: dict[str, bool] = {}


def index(kind: str, object_id: int, parts: Sequence[str], *, org_id: int | None = None) -> None:
    """Index (or re-index) one document; nothing is written when its tokens are unchanged."""
    tokens = " ".join(document_tokens(parts))
    found = SearchEntry.objects.filter(kind=kind, object_id=object_id).first()
    if found is None:
        SearchEntry.objects.create(kind=kind, object_id=object_id, org_id=org_id, tokens=tokens)
    elif found.tokens != tokens or found.org_id != org_id:
        SearchEntry.objects.filter(pk=found.pk).update(tokens=tokens, org_id=org_id)


@dataclass(frozen=True)
class Entry:
    object_id: int
    parts: Sequence[str]
    org_id: int | None = None


def rebuild(kind: str, entries: Iterable[Entry], *, batch: int = 2000) -> int:
    """Replace the whole index of ``kind`` (bulk; for ``manage.py reindex_search``)."""
    SearchEntry.objects.filter(kind=kind).delete()
    rows: list[SearchEntry] = []
    n = 0
    for e in entries:
        tokens = " ".join(document_tokens(e.parts))
        rows.append(SearchEntry(kind=kind, object_id=e.object_id, org_id=e.org_id, tokens=tokens))
        if len(rows) >= batch:
            SearchEntry.objects.bulk_create(rows)
            n += len(rows)
            rows = []
    SearchEntry.objects.bulk_create(rows)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SearchEntry._meta.db_table}")
    return n + len(rows)


_SOURCES: dict[str, Callable[[], Iterable[Entry]]] = {}


def register(kind: str, entries: Callable[[], Iterable[Entry]]) -> None:
    """Declare a kind and how to list all its entries (for ``manage.py reindex_search``)."""
    _SOURCES[kind] = entries


def kinds() -> dict[str, Callable[[], Iterable[Entry]]]:
    return dict(_SOURCES)


def remove(kind: str, object_ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


COMMON = 0.25  # a token in more than this share of documents narrows too little down
FREQUENT_TTL = 600.0
_frequent: tuple[float, dict[str, float]] = (-FREQUENT_TTL, {})


def frequent_tokens() -> dict[str, float]:
    """PostgreSQL: the most common tokens and the share of entries holding each, from the
    planner's statistics of the tsvector column (``ANALYZE``; cached for ten minutes)."""
    global _frequent
    loaded, table = _frequent
    if time.monotonic() - loaded < FREQUENT_TTL:
        return table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'core_searchentry' AND attname = 'vector'"
        )
        row = cursor.fetchone()
    table = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequent = (time.monotonic(), table)
    return table


def matching_ids(kind: str, q: str) -> RawSQL | None:
    """A subquery of the object ids whose tokens include every token of ``q`` (a superset of
    the documents containing ``q``), or None when ``q`` has no token or there is no index."""
    tokens = query_tokens(q)
    if not tokens or not fts_available():
        return None
    if connection.vendor == "postgresql":
        frequent = frequent_tokens()
        tokens = [t for t in tokens if frequent.get(t, 0.0) < COMMON]
        if not tokens:
            return None  # every token is in most documents: the scan is as fast
        tsquery = " & ".join(f"'{t}'" for t in tokens)
        return RawSQL(
            "SELECT object_id FROM core_searchentry WHERE kind = %s AND vector @@ %s::tsquery",
            (kind, tsquery),
        )
    match = " ".join(f'"{t}"' for t in tokens)
    return RawSQL(
        "SELECT e.object_id FROM core_searchentry e WHERE e.kind = %s AND e.id IN "
        "(SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s)",
        (kind, match),
    )


MATERIALISE_LIMIT = 20000


def search_ids_q(kind: str, q: str, fields: Sequence[str], *, pk: str = "pk") -> Q:
    """As :func:`search_q`, with the index's candidate ids read first (one query) and passed
    as a list: for subqueries where PostgreSQL, misjudging how rare the ``LIKE`` is, would
    scan the outer table and probe the index per row. Falls back to :func:`search_q` when
    there are more than :data:`MATERIALISE_LIMIT` candidates."""
    q = q.strip()
    if not q:
        return Q()
    ids = matching_ids(kind, q)
    if ids is None:
        return like_q(q, fields)
    sql, params = ids.sql, ids.params
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [*params, MATERIALISE_LIMIT + 1])
        found = [row[0] for row in cursor.fetchall()]
    if len(found) > MATERIALISE_LIMIT:
        return Q(**{f"{pk}__in": ids}) & like_q(q, fields)
    if connection.vendor == "postgresql":  # one array parameter, not thousands of them
        array = RawSQL("SELECT unnest(%s::bigint[])", (found,))
        return Q(**{f"{pk}__in": array}) & like_q(q, fields)
    return Q(**{f"{pk}__in": found}) & like_q(q, fields)


def like_q(q: str, fields: Sequence[str]) -> Q:
    """``q`` in any of ``fields`` (case-insensitive): what a ``LIKE`` scan finds."""
    out = Q()
    for f in fields:
        out |= Q(**{f"{f}__icontains": q})
    return out


def search_q(kind: str, q: str, fields: Sequence[str], *, pk: str = "pk") -> Q:
    """A filter of the objects of ``kind`` that contain ``q`` in one of ``fields``: the same
    hits as :func:`like_q`, found through the index (``pk`` names the indexed id)."""
    q = q.strip()
    if not q:
        return Q()
    ids = matching_ids(kind, q)
    exact = like_q(q, fields)
    return exact if ids is None else Q(**{f"{pk}__in": ids}) & exact
