"""Similar earlier reports, shown while a report is written and edited (the shared Chinese
text module: rjieba words, TF-IDF cosine, verified by a character ratio).

The candidates are the committee's most recent reports (at most :data:`CANDIDATES`, read in
one query), so the cost stays flat however many years of reports a committee holds."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shangliang.core.text import SimilarityIndex, char_ratio, weighted_terms
from shangliang.opinions.models import Opinion

CANDIDATES = 3000
MIN_SCORE = 0.12
TITLE_WEIGHT = 3.0


def _terms(title: str, text: str) -> dict[str, float]:
    return weighted_terms([(title, TITLE_WEIGHT), (text, 1.0)])


def similar_to_text(
    *,
    org: Any,
    title: str,
    text: str,
    within: QuerySet[Opinion],
    limit: int = 5,
    exclude: int | None = None,
) -> list[tuple[Opinion, float]]:
    """Reports of ``org`` like ``title``/``text``, best first, score 0–1; only those in
    ``within`` (what the user may see)."""
    query = _terms(title, text)
    if not query:
        return []
    org_id = getattr(org, "pk", org)
    rows = list(
        Opinion.objects.filter(org_id=org_id)
        .exclude(status=Opinion.Status.DRAFT)
        .order_by("-id")
        .values_list("pk", "title", "edited_title", "situation", "edited_text")[:CANDIDATES]
    )
    index: SimilarityIndex[int] = SimilarityIndex()
    texts: dict[int, str] = {}
    for pk, t, et, situation, edited in rows:
        if pk == exclude:
            continue
        index.add(pk, _terms(et or t, edited or situation))
        texts[pk] = f"{et or t}{edited or situation}"
    if not len(index):
        return []
    found = index.query(query, limit=limit * 3)
    scored = []
    for pk, cosine in found:
        ratio = char_ratio(f"{title}{text}", texts[pk])
        score = max(cosine, (cosine + ratio) / 2)
        if score >= MIN_SCORE:
            scored.append((pk, min(score, 1.0)))
    scored.sort(key=lambda kv: -kv[1])
    ids = [pk for pk, _s in scored]
    visible = {o.pk: o for o in within.filter(pk__in=ids).select_related("org")}
    return [(visible[pk], s) for pk, s in scored if pk in visible][:limit]
