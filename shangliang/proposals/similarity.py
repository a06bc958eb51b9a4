"""Similar proposals (相似提案): of this session and of earlier years, by title and body.

:func:`similar_to` (a saved proposal) and :func:`similar_to_text` (a title and body being
written) are the whole interface; pages and the API call only these two.

How (first version, no table of its own):

1. **Candidates** (2–3 queries): the organisation's most recent :data:`RECENT` proposals
   that are not drafts or withdrawn, plus older ones whose title contains one of the
   query title's :data:`RARE_TOKENS` rarest words (rarity measured over the recent
   titles), at most :data:`RARE_LIMIT` of them.
2. **Ranking**: TF-IDF cosine over rjieba word tokens (``core.text``), the title's words
   counted :data:`TITLE_WEIGHT` times, IDF over the candidate set.
3. **Verification**: the best :data:`VERIFY` by cosine are re-scored with the character
   ratio of titles and of bodies (difflib), which keeps rewrites whose words changed.
   ``score = COSINE_SHARE × cosine + (1 − COSINE_SHARE) × ratio``, between 0 and 1.

Each proposal's word counts are cached in the process, keyed by id and ``updated_at``, and
so is each organisation's indexed window while no proposal in it changed.

Scaling plan (target: p95 < 100 ms at 100,000 proposals, ≥ 95 % of rewritten duplicates
in the top 5): store each proposal's weighted terms and a MinHash signature in a table of
their own (written by the proposal services after commit), keep a document-frequency
table per organisation, and find candidates through the MinHash band table (DESIGN:
"MinHash band table for history") and an inverted index on rare terms instead of the
recency window and ``title LIKE``. Only this module changes; the two functions keep
their signatures.
"""

from __future__ import annotations

import heapq
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from shangliang.core.text import SimilarityIndex, char_ratio, cosine, tokens, weighted_terms
from shangliang.proposals.models import Proposal

TITLE_WEIGHT = 3.0
RECENT = 2000
RARE_TOKENS = 3
RARE_LIMIT = 500
VERIFY = 20
RATIO_CHARS = 800  # of each body, for the character ratio
COSINE_SHARE = 0.7
CACHE_SIZE = 5000
WINDOW_CACHE = 8  # organisations whose indexed window is kept
EXCLUDED = (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)


@dataclass(frozen=True)
class _Terms:
    stamp: str
    title_words: frozenset[str]
    terms: dict[str, float]


_cache: OrderedDict[int, _Terms] = OrderedDict()
_cache_lock = threading.Lock()


def body_of(p: Any) -> str:
    """The body a proposal is compared by: 情况, 分析 and 建议."""
    return "\n".join(part for part in (p.situation, p.analysis, p.suggestions) if part)


def terms_of(title: str, body: str) -> dict[str, float]:
    return weighted_terms([(title, TITLE_WEIGHT), (body, 1.0)])


def _cached(pk: int, stamp: str) -> _Terms | None:
    with _cache_lock:
        found = _cache.get(pk)
        if found is None or found.stamp != stamp:
            return None
        _cache.move_to_end(pk)
        return found


def _remember(pk: int, value: _Terms) -> None:
    with _cache_lock:
        _cache[pk] = value
        _cache.move_to_end(pk)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _terms_for(rows: list[tuple[int, str]]) -> dict[int, _Terms]:
    """(pk, stamp) → the proposal's terms, from the cache or computed (one query)."""
    out: dict[int, _Terms] = {}
    missing: dict[int, str] = {}
    for pk, stamp in rows:
        hit = _cached(pk, stamp)
        if hit is None:
            missing[pk] = stamp
        else:
            out[pk] = hit
    if missing:
        texts = Proposal.objects.filter(pk__in=list(missing)).only(
            "title", "situation", "analysis", "suggestions"
        )
        for p in texts:
            value = _Terms(
                stamp=missing[p.pk],
                title_words=frozenset(tokens(p.title)),
                terms=terms_of(p.title, body_of(p)),
            )
            _remember(p.pk, value)
            out[p.pk] = value
    return out


def _rarest(words: Iterable[str], title_df: Counter[str]) -> list[str]:
    ranked = sorted(set(words), key=lambda w: (title_df[w], -len(w), w))
    return [w for w in ranked if len(w) > 1][:RARE_TOKENS]


@dataclass(frozen=True)
class _Window:
    """The recency window of one organisation, indexed (shared while it is unchanged)."""

    key: int
    index: SimilarityIndex[int]
    terms: dict[int, _Terms]
    title_df: Counter[str]  # in how many of the window's titles each word is
    oldest: int | None  # the oldest id in a full window; None: the whole history is in it


_windows: OrderedDict[int, _Window] = OrderedDict()


def _base(org_id: int) -> QuerySet[Proposal]:
    return Proposal.objects.filter(org_id=org_id).exclude(status__in=EXCLUDED)


def _window(org_id: int) -> _Window:
    # Any change (a step, an edit, a new or withdrawn proposal) changes one of these.
    state = _base(org_id).aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    key = hash((state["n"], state["last"], state["changed"]))
    with _cache_lock:
        cached = _windows.get(org_id)
    if cached is not None and cached.key == key:
        return cached
    rows = [
        (pk, stamp.isoformat())
        for pk, stamp in _base(org_id).order_by("-id").values_list("pk", "updated_at")[:RECENT]
    ]
    terms = _terms_for(rows)
    index: SimilarityIndex[int] = SimilarityIndex()
    for pk, t in terms.items():
        index.add(pk, t.terms)
    title_df: Counter[str] = Counter()
    for t in terms.values():
        title_df.update(t.title_words)
    window = _Window(key, index, terms, title_df, rows[-1][0] if len(rows) >= RECENT else None)
    with _cache_lock:
        _windows[org_id] = window
        _windows.move_to_end(org_id)
        while len(_windows) > WINDOW_CACHE:
            _windows.popitem(last=False)
    return window


def _older(window: _Window, org_id: int, title: str, exclude_id: int | None) -> dict[int, _Terms]:
    """Proposals older than the window whose title has one of the query title's rarest words."""
    rare = _rarest(tokens(title), window.title_df) if window.oldest is not None else []
    if not rare:
        return {}
    match = Q()
    for word in rare:
        match |= Q(title__contains=word)
    older = _base(org_id).filter(match, pk__lt=window.oldest).exclude(pk=exclude_id or 0)
    rows = older.order_by("-id").values_list("pk", "updated_at")[:RARE_LIMIT]
    return _terms_for([(pk, s.isoformat()) for pk, s in rows])


def _ranked(
    org_id: int, title: str, query: dict[str, float], exclude_id: int | None, n: int
) -> list[tuple[int, float]]:
    """The ``n`` best candidates by TF-IDF cosine (IDF over the window)."""
    window = _window(org_id)
    ranked = window.index.query(query, limit=n, exclude=exclude_id)
    older = _older(window, org_id, title, exclude_id)
    if older:
        q = window.index.vector(query)
        ranked += [(pk, cosine(q, window.index.vector(t.terms))) for pk, t in older.items()]
        ranked = heapq.nlargest(n, ranked, key=lambda kv: kv[1])
    return [(pk, s) for pk, s in ranked if s > 0]


def _verify(
    ranked: list[tuple[int, float]], title: str, body: str, limit: int
) -> list[tuple[int, float]]:
    texts = {
        p.pk: p
        for p in Proposal.objects.filter(pk__in=[pk for pk, _s in ranked]).only(
            "title", "situation", "analysis", "suggestions"
        )
    }
    scored = []
    for pk, cos in ranked:
        p = texts[pk]
        ratio = (char_ratio(title, p.title) + char_ratio(body, body_of(p), limit=RATIO_CHARS)) / 2
        scored.append((pk, COSINE_SHARE * min(cos, 1.0) + (1 - COSINE_SHARE) * ratio))
    scored.sort(key=lambda kv: -kv[1])
    return scored[:limit]


def similar_to_text(
    *,
    org: Any,
    title: str,
    body: str,
    exclude_id: int | None = None,
    limit: int = 10,
    within: QuerySet[Proposal] | None = None,
) -> list[tuple[Proposal, float]]:
    """The ``limit`` proposals of ``org`` (any session; not drafts or withdrawn) most like
    this title and body, best first, each with a score between 0 and 1.

    ``within`` narrows the answer to a queryset (what the caller may see); the ranking is
    still computed over the whole organisation.
    """
    query = terms_of(title, body)
    if not query or limit < 1:
        return []
    org_id = org if isinstance(org, int) else org.pk
    ranked = _ranked(org_id, title, query, exclude_id, max(VERIFY * 4, limit * 4))
    if within is not None and ranked:
        allowed = set(within.filter(pk__in=[pk for pk, _s in ranked]).values_list("pk", flat=True))
        ranked = [(pk, s) for pk, s in ranked if pk in allowed]
    best = _verify(ranked[: max(VERIFY, limit)], title, body, limit)
    objects = Proposal.objects.select_related("session").in_bulk([pk for pk, _s in best])
    return [(objects[pk], round(score, 4)) for pk, score in best if pk in objects]


def similar_to(
    proposal: Proposal, limit: int = 10, *, within: QuerySet[Proposal] | None = None
) -> list[tuple[Proposal, float]]:
    """The proposals most like ``proposal`` (itself excluded); see :func:`similar_to_text`."""
    return similar_to_text(
        org=proposal.org_id,
        title=proposal.title,
        body=body_of(proposal),
        exclude_id=proposal.pk,
        limit=limit,
        within=within,
    )
