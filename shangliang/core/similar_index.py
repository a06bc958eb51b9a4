"""A persistent index of similar documents (proposals now; opinion reports, topics and
public requests later), for lookups at province scale: 100,000 documents, answers in tens
of milliseconds.

A document is (kind, object id) in one organisation. Everything below is keyed by its
**space**, a 63-bit hash of (kind, organisation), so a lookup reads only that committee's
rows, each through one index:

* ``SimilarDoc``: the document's words (rjieba, ``core.text``) as sublinear term
  frequencies, the title's words counted :data:`TITLE_WEIGHT` times, and its compact title
  and first :data:`RATIO_CHARS` characters of body (for the verification step);
* ``SimilarPosting``: an inverted index on each document's :data:`POSTED_TERMS` strongest
  terms (TF-IDF: the rare and title words), with the term's normalised frequency;
* ``SimilarBand``: MinHash LSH, :data:`BANDS` bands of :data:`ROWS` hashes of the
  signature over the document's set of words: rewrites that keep most words share a band;
* ``SimilarTermStat``: document frequency per term and space (term 0 counts the
  documents, term 1 holds a random generation value every write replaces), kept up to date
  by every write (an upsert in key order). Lookups read the IDF through a per-process
  cache: reloaded when a small space (< :data:`SMALL` documents) changed at all, and a
  large one when its size moved by more than 1 % or after :data:`STATS_TTL` seconds.

**Lookup** (:func:`find_similar`, 5 queries): candidates are the documents with the most
weight on the query's strongest terms (at most :data:`QUERY_TERMS`, whose document
frequencies add up to at most :data:`POSTINGS_BUDGET` rows: one grouped query on the
postings) plus those sharing the most MinHash bands (one grouped query on the bands); the
best :data:`RERANK` (and a third as many from the bands) are loaded and ranked by exact
TF-IDF cosine, the best :data:`VERIFY` re-scored with the character ratio (rapidfuzz's
Indel ratio of the compact texts, which keeps rewrites whose words changed):
``score = COSINE_SHARE × cosine + (1 − COSINE_SHARE) × ratio``, between 0 and 1. The
postings find rewrites that keep the rare words, the bands those that keep most words;
on generated proposals each alone misses a few percent, together they miss almost none.

**Writes**: :func:`index_documents` (idempotent: a document whose text did not change is
skipped after one read) and :func:`remove_documents`, called by the owning app inside the
transaction that changed the text, so the index is never behind the data (the price: a
few milliseconds per changed text, and concurrent writers in one committee queue briefly
on the shared document-frequency rows); :func:`rebuild` is the bulk path of
``manage.py reindex_similar`` (ends with ``VACUUM ANALYZE`` on PostgreSQL: index-only
scans need the visibility map).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import random
import sys
import threading
import time
from array import array
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Q
from rapidfuzz.distance import Indel

from shangliang.core.models import SimilarBand, SimilarDoc, SimilarPosting, SimilarTermStat
from shangliang.core.text import compact, tokens

TITLE_WEIGHT = 3.0
POSTED_TERMS = 24  # per document, in the inverted index
QUERY_TERMS = 16  # of the query, looked up in the inverted index
POSTINGS_BUDGET = 4000  # at most this many postings rows read by one lookup (by df)
HASHES = 32
ROWS = 2
BANDS = HASHES // ROWS
CANDIDATES = 200  # from the postings
BAND_CANDIDATES = 60  # from the bands
RERANK = 40  # loaded and ranked by exact cosine (plus a third as many from the bands)
VERIFY = 20  # re-scored with the character ratio
RATIO_CHARS = 800
COSINE_SHARE = 0.7
STATS_TTL = 600.0
STATS_CACHE = 32  # spaces whose term statistics are kept in the process
DOCS = 0  # the term key under which a space counts its documents
GENERATION = 1  # the term key of a random value every write replaces (cache validation)
SMALL = 1000  # spaces with fewer documents reload their statistics after any write

Eligible = Callable[[list[int]], Collection[int]]


@lru_cache(maxsize=200_000)
def key(text: str) -> int:
    """A stable non-negative 63-bit hash (never 0 or 1: see :data:`DOCS`)."""
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return max(int.from_bytes(digest, "big") >> 1, 2)


def space_of(kind: str, org_id: int) -> int:
    return key(f"{kind}\x00{org_id}")


def _tf(count: float) -> float:
    return 1.0 + math.log(count) if count >= 1 else count


def idf(n: int, df: int) -> float:
    return math.log((1 + n) / (1 + df)) + 1.0


# --- MinHash --------------------------------------------------------------------------------

_PRIME = (1 << 61) - 1
_rng = random.Random(20260305)  # noqa: S311  (fixed hash functions, not secrets)
_PERMS = [(_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(HASHES)]


def signature(term_keys: Iterable[int]) -> list[int]:
    """The MinHash signature of a set of term keys (:data:`HASHES` values)."""
    hs = list(set(term_keys))
    if not hs:
        return []
    return [min((a * h + b) % _PRIME for h in hs) for a, b in _PERMS]


def bands_of(sig: Sequence[int]) -> list[int]:
    if not sig:
        return []
    return [
        key(f"{i}:" + ":".join(str(v) for v in sig[i * ROWS : (i + 1) * ROWS]))
        for i in range(BANDS)
    ]


# --- Analysis ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    object_id: int
    org_id: int
    title: str
    body: str
    year: int | None = None


@dataclass(frozen=True)
class Analysed:
    tf: dict[int, float]  # term key -> sublinear weighted frequency
    norm: float
    bands: list[int]
    title: str
    body: str


def pack(tf: dict[int, float]) -> bytes:
    """Term keys (int64) then frequencies (float32), little-endian."""
    keys, values = array("q", tf.keys()), array("f", tf.values())
    if sys.byteorder != "little":
        keys.byteswap()
        values.byteswap()
    return keys.tobytes() + values.tobytes()


def unpack(data: bytes) -> dict[int, float]:
    n = len(data) // 12
    keys, values = array("q"), array("f")
    keys.frombytes(data[: 8 * n])
    values.frombytes(data[8 * n : 12 * n])
    if sys.byteorder != "little":
        keys.byteswap()
        values.byteswap()
    return dict(zip(keys, values, strict=True))


def digest_of(title: str, body: str) -> str:
    return hashlib.blake2b(f"{title}\x00{body}".encode(), digest_size=16).hexdigest()


def analyse(title: str, body: str) -> Analysed:
    counts: dict[int, float] = {}
    for words, weight in ((tokens(title), TITLE_WEIGHT), (tokens(body), 1.0)):
        for word in words:
            k = key(word)
            counts[k] = counts.get(k, 0.0) + weight
    tf = {k: _tf(c) for k, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in tf.values()))
    return Analysed(
        tf=tf,
        norm=norm,
        bands=bands_of(signature(tf)),
        title=compact(title)[:300],
        body=compact(body)[:RATIO_CHARS],
    )


def _strongest(
    tf: dict[int, float], df: Callable[[int], int | None], n: int, limit: int
) -> list[int]:
    return heapq.nlargest(limit, tf, key=lambda k: tf[k] * idf(n, df(k) or 0))


# --- Term statistics --------------------------------------------------------------------------


@dataclass
class Stats:
    """The document count and IDF of every term over one or more spaces, as a lookup uses
    them (terms not in the table are as rare as can be)."""

    n: int
    heads: tuple[tuple[int, int], ...]  # (documents, generation) of each space, when loaded
    idf: dict[int, float]
    loaded: float

    @property
    def unseen(self) -> float:
        return idf(self.n, 0)

    def vector(self, tf: dict[int, float]) -> dict[int, float]:
        """The normalised TF-IDF vector of a document's frequencies."""
        table, unseen = self.idf, self.unseen
        vec = {k: v * table.get(k, unseen) for k, v in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {k: v / norm for k, v in vec.items()} if norm else {}

    def df(self, k: int) -> int:
        """The document frequency of a term (from its IDF)."""
        found = self.idf.get(k)
        return 0 if found is None else round((1 + self.n) / math.exp(found - 1.0) - 1)

    def norm(self, tf: dict[int, float]) -> float:
        table, unseen = self.idf, self.unseen
        return math.sqrt(sum((v * table.get(k, unseen)) ** 2 for k, v in tf.items()))


_stats: OrderedDict[tuple[int, ...], Stats] = OrderedDict()
_stats_lock = threading.Lock()


def stats_for(spaces: list[int]) -> Stats:
    """The statistics of the spaces: one query when the cached ones are still good (the
    spaces' generations unchanged, or, in a large space, its size within 1 % and younger
    than :data:`STATS_TTL`), else one more that loads them."""
    rows = SimilarTermStat.objects.filter(space__in=spaces, term__in=(DOCS, GENERATION))
    found = {(space, term): df for space, term, df in rows.values_list("space", "term", "df")}
    heads = tuple((found.get((s, DOCS), 0), found.get((s, GENERATION), 0)) for s in spaces)
    n = sum(h[0] for h in heads)
    cache_key = tuple(spaces)
    now = time.monotonic()
    with _stats_lock:
        cached = _stats.get(cache_key)
    if cached is not None and (
        cached.heads == heads
        or (n >= SMALL and abs(cached.n - n) <= 0.01 * n and now - cached.loaded < STATS_TTL)
    ):
        return cached
    df: Counter[int] = Counter()
    table = SimilarTermStat.objects.filter(space__in=spaces).exclude(term__in=(DOCS, GENERATION))
    if len(spaces) == 1:
        df.update(dict(table.values_list("term", "df")))
    else:
        for term, count in table.values_list("term", "df").iterator(chunk_size=20000):
            df[term] += count
    stats = Stats(n=n, heads=heads, idf={k: idf(n, c) for k, c in df.items()}, loaded=now)
    with _stats_lock:
        _stats[cache_key] = stats
        _stats.move_to_end(cache_key)
        while len(_stats) > STATS_CACHE:
            _stats.popitem(last=False)
    return stats


def forget_stats() -> None:
    """Drop the cached statistics (after a rebuild, and in tests)."""
    with _stats_lock:
        _stats.clear()


def _add_df(deltas: dict[tuple[int, int], int]) -> None:
    """Add to the document frequencies (an upsert, in key order so that concurrent writers
    lock the rows in the same order)."""
    rows = sorted((s, t, d) for (s, t), d in deltas.items() if d and t != GENERATION)
    moved = sorted((s, d) for (s, t), d in deltas.items() if t == GENERATION)
    table = SimilarTermStat._meta.db_table
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 300):
            chunk = rows[i : i + 300]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (space, term, df) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (space, term) DO UPDATE SET df = {table}.df + excluded.df",
                [v for row in chunk for v in row],
            )
        for space, value in moved:  # set, not added: a fresh random value
            cursor.execute(
                f"INSERT INTO {table} (space, term, df) VALUES (%s, %s, %s) "  # noqa: S608
                f"ON CONFLICT (space, term) DO UPDATE SET df = excluded.df",
                [space, GENERATION, value],
            )


def _moved() -> int:
    """A fresh random generation value (31 bits: fits the column)."""
    return random.randint(1, 2**31 - 1)  # noqa: S311  (not a secret)


# --- Kinds -------------------------------------------------------------------------------------

_SOURCES: dict[str, Callable[[], Iterable[Document]]] = {}


def register(kind: str, documents: Callable[[], Iterable[Document]]) -> None:
    """Declare a kind and how to list all its documents (for ``manage.py reindex_similar``)."""
    _SOURCES[kind] = documents


def kinds() -> dict[str, Callable[[], Iterable[Document]]]:
    return dict(_SOURCES)


# --- Writes -----------------------------------------------------------------------------------


def _doc_rows(doc: SimilarDoc, a: Analysed, df: Callable[[int], int | None], n: int) -> None:
    strongest = _strongest(a.tf, df, n, POSTED_TERMS)
    SimilarPosting.objects.bulk_create(
        SimilarPosting(space=doc.space, term=k, doc=doc, weight=a.tf[k] / a.norm) for k in strongest
    )
    SimilarBand.objects.bulk_create(SimilarBand(space=doc.space, band=b, doc=doc) for b in a.bands)


@transaction.atomic
def index_documents(kind: str, docs: Iterable[Document]) -> int:
    """Index (or re-index) documents; those whose title and body did not change are skipped.
    Returns how many were written."""
    docs = list(docs)
    if not docs:
        return 0
    existing = {
        d.object_id: d
        for d in SimilarDoc.objects.filter(kind=kind, object_id__in=[d.object_id for d in docs])
    }
    written = 0
    for d in docs:
        digest = digest_of(d.title, d.body)
        space = space_of(kind, d.org_id)
        old = existing.get(d.object_id)
        if old is not None and old.digest == digest and old.space == space:
            continue
        if old is not None:
            _forget(old)
        a = analyse(d.title, d.body)
        deltas: dict[tuple[int, int], int] = {(space, t): 1 for t in a.tf}
        deltas[(space, DOCS)] = 1
        deltas[(space, GENERATION)] = _moved()
        _add_df(deltas)
        table = dict(
            SimilarTermStat.objects.filter(space=space, term__in=[*a.tf, DOCS]).values_list(
                "term", "df"
            )
        )
        doc = SimilarDoc.objects.create(
            kind=kind,
            object_id=d.object_id,
            org_id=d.org_id,
            space=space,
            year=d.year,
            digest=digest,
            vector=pack(a.tf),
            norm=a.norm,
            title=a.title,
            body=a.body,
        )
        _doc_rows(doc, a, table.get, table.get(DOCS, 1))
        written += 1
    return written


def _forget(doc: SimilarDoc) -> None:
    deltas = {(doc.space, k): -1 for k in unpack(bytes(doc.vector))}
    deltas[(doc.space, DOCS)] = -1
    deltas[(doc.space, GENERATION)] = _moved()
    _add_df(deltas)
    SimilarPosting.objects.filter(doc=doc).delete()
    SimilarBand.objects.filter(doc=doc).delete()
    SimilarDoc.objects.filter(pk=doc.pk).delete()


@transaction.atomic
def remove_documents(kind: str, object_ids: Iterable[int]) -> None:
    for doc in SimilarDoc.objects.filter(kind=kind, object_id__in=list(object_ids)):
        _forget(doc)


def rebuild(kind: str, docs: Iterable[Document], *, batch: int = 1000) -> int:
    """Replace the whole index of ``kind`` in bulk (``manage.py reindex_similar``): the
    documents and their bands first, then the statistics, then the postings (which need
    the final document frequencies). Returns the number of documents."""
    with transaction.atomic():
        spaces = list(
            SimilarDoc.objects.filter(kind=kind).values_list("space", flat=True).distinct()
        )
        SimilarPosting.objects.filter(space__in=spaces).delete()
        SimilarBand.objects.filter(space__in=spaces).delete()
        SimilarTermStat.objects.filter(space__in=spaces).delete()
        with connection.cursor() as cursor:  # its rows are gone: no need to collect them
            cursor.execute(f"DELETE FROM {SimilarDoc._meta.db_table} WHERE kind = %s", [kind])  # noqa: S608
    df: dict[int, Counter[int]] = defaultdict(Counter)
    total = 0
    pending: list[tuple[SimilarDoc, Analysed]] = []

    def flush() -> None:
        made = SimilarDoc.objects.bulk_create([doc for doc, _a in pending])
        _insert(
            SimilarBand,
            ("space", "band", "doc_id"),
            [
                (doc.space, b, doc.pk)
                for doc, (_d, a) in zip(made, pending, strict=True)
                for b in a.bands
            ],
        )
        pending.clear()

    for d in docs:
        a = analyse(d.title, d.body)
        space = space_of(kind, d.org_id)
        df[space].update(a.tf.keys())
        df[space][DOCS] += 1
        df[space][GENERATION] = _moved()
        pending.append(
            (
                SimilarDoc(
                    kind=kind,
                    object_id=d.object_id,
                    org_id=d.org_id,
                    space=space,
                    year=d.year,
                    digest=digest_of(d.title, d.body),
                    vector=pack(a.tf),
                    norm=a.norm,
                    title=a.title,
                    body=a.body,
                ),
                a,
            )
        )
        total += 1
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    _insert(
        SimilarTermStat,
        ("space", "term", "df"),
        [(s, t, c) for s, table in df.items() for t, c in table.items()],
    )
    rows: list[tuple[int, int, int, float]] = []
    docs_qs = SimilarDoc.objects.filter(kind=kind).values_list("pk", "space", "vector", "norm")
    for pk, space, vector, norm in docs_qs.iterator(chunk_size=batch):
        table = df[space]
        tf = unpack(bytes(vector))
        for k in _strongest(tf, table.__getitem__, table[DOCS], POSTED_TERMS):
            rows.append((space, k, pk, tf[k] / norm))
        if len(rows) >= 20000:
            _insert(SimilarPosting, ("space", "term", "doc_id", "weight"), rows)
            rows = []
    _insert(SimilarPosting, ("space", "term", "doc_id", "weight"), rows)
    forget_stats()
    vacuum(SimilarDoc, SimilarPosting, SimilarBand, SimilarTermStat)
    return total


def _insert(model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert plain rows: COPY on PostgreSQL, batched ``executemany`` elsewhere."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (quoted names)
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


def vacuum(*models: Any) -> None:
    """PostgreSQL: VACUUM ANALYZE fresh bulk-loaded tables, so that lookups get index-only
    scans (the visibility map) and good plans at once (not inside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


# --- Lookup -----------------------------------------------------------------------------------


def _org_ids(org: Any, orgs: Iterable[int] | None, scope_paths: Iterable[str] | None) -> list[int]:
    ids: set[int] = set()
    if org is not None:
        ids.add(org if isinstance(org, int) else org.pk)
    ids.update(int(o) for o in orgs or ())
    paths = list(scope_paths or ())
    if paths:
        Organization = apps.get_model("orgs", "Organization")
        match = Q()
        for p in paths:
            match |= Q(path__startswith=p)
        ids.update(Organization.objects.filter(match).values_list("pk", flat=True))
    return sorted(ids)


def _lookup_terms(stats: Stats, query: dict[int, float]) -> list[tuple[int, float]]:
    """The query terms to look up in the postings: the strongest first, as long as their
    document frequencies add up to at most :data:`POSTINGS_BUDGET` rows (common words
    cost rows and say little; a word no document has costs a lookup for nothing)."""
    chosen: list[tuple[int, float]] = []
    spent = 0
    for k, w in sorted(query.items(), key=lambda kv: -kv[1]):
        df = stats.df(k)
        if df == 0 or spent + df > POSTINGS_BUDGET:
            continue
        chosen.append((k, w))
        spent += df
        if len(chosen) >= QUERY_TERMS:
            break
    return chosen


def _posting_candidates(
    spaces: list[int], strongest: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    if not strongest:
        return []
    cases = " ".join(["WHEN %s THEN weight * %s"] * len(strongest))  # float, not numeric
    sql = (
        f"SELECT doc_id, SUM(CASE term {cases} END) AS s "  # noqa: S608
        f"FROM {SimilarPosting._meta.db_table} "
        f"WHERE space IN ({', '.join(['%s'] * len(spaces))}) "
        f"AND term IN ({', '.join(['%s'] * len(strongest))}) "
        "GROUP BY doc_id ORDER BY s DESC LIMIT %s"
    )
    params: list[Any] = [v for kv in strongest for v in kv]
    params += spaces + [k for k, _w in strongest] + [CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), float(s)) for pk, s in cursor.fetchall()]


def _band_candidates(spaces: list[int], bands: list[int]) -> list[tuple[int, int]]:
    if not bands:
        return []
    sql = (
        f"SELECT doc_id, COUNT(*) AS c FROM {SimilarBand._meta.db_table} "  # noqa: S608
        f"WHERE space IN ({', '.join(['%s'] * len(spaces))}) "
        f"AND band IN ({', '.join(['%s'] * len(bands))}) "
        "GROUP BY doc_id ORDER BY c DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*spaces, *bands, BAND_CANDIDATES])
        return [(int(pk), int(c)) for pk, c in cursor.fetchall()]


def _ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) if a and b else 0.0


def find_similar(
    kind: str,
    title: str,
    body: str,
    *,
    org: Any = None,
    orgs: Iterable[int] | None = None,
    scope_paths: Iterable[str] | None = None,
    exclude_id: int | None = None,
    limit: int = 10,
    eligible: Eligible | None = None,
) -> list[tuple[int, float]]:
    """The ``limit`` documents of ``kind`` most like this title and body, best first, as
    (object id, score between 0 and 1), within the organisations given by ``org``, ``orgs``
    and ``scope_paths`` (materialised paths: each organisation and everything under it).

    ``eligible`` receives candidate object ids and returns those that may be answered (the
    owning app's status and visibility rules); the ranking is computed over the space.
    """
    if limit < 1:
        return []
    a = analyse(title, body)
    org_ids = _org_ids(org, orgs, scope_paths)
    if not a.tf or not org_ids:
        return []
    spaces = [space_of(kind, o) for o in org_ids]
    stats = stats_for(spaces)
    query = stats.vector(a.tf)
    by_postings = _posting_candidates(spaces, _lookup_terms(stats, query))
    by_bands = _band_candidates(spaces, a.bands)
    chosen = [pk for pk, _s in by_postings[:RERANK]]
    seen = set(chosen)
    chosen += [pk for pk, _c in by_bands if pk not in seen][: max(RERANK // 3, limit)]
    if not chosen:
        return []
    rows = list(
        SimilarDoc.objects.filter(pk__in=chosen)
        .exclude(object_id=exclude_id if exclude_id is not None else -1)
        .values_list("object_id", "vector", "title", "body")
    )
    if eligible is not None and rows:
        allowed = set(eligible([r[0] for r in rows]))
        rows = [r for r in rows if r[0] in allowed]
    ranked: list[tuple[float, int, str, str]] = []
    table, unseen = stats.idf, stats.unseen
    for object_id, vector, d_title, d_body in rows:
        tf = unpack(bytes(vector))
        norm = stats.norm(tf)
        dot = sum(w * tf[k] * table.get(k, unseen) for k, w in query.items() if k in tf)
        cos = dot / norm if norm else 0.0
        if cos > 0:
            ranked.append((cos, object_id, d_title, d_body))
    best = heapq.nlargest(max(VERIFY, limit), ranked, key=lambda r: (r[0], -r[1]))
    scored = []
    for cos, object_id, d_title, d_body in best:
        ratio = (_ratio(a.title, d_title) + _ratio(a.body, d_body)) / 2
        scored.append((object_id, COSINE_SHARE * min(cos, 1.0) + (1 - COSINE_SHARE) * ratio))
    scored.sort(key=lambda kv: (-kv[1], kv[0]))
    return [(object_id, round(score, 4)) for object_id, score in scored[:limit]]
