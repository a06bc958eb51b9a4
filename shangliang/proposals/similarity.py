"""Similar proposals (相似提案): of this session and of earlier years, by title and body.

:func:`similar_to` (a saved proposal) and :func:`similar_to_text` (a title and body being
written) are the whole interface; pages and the API call only these two.

How: through the persistent similarity index of ``core.similar_index`` (kind
:data:`KIND`, one space per organisation): candidates from the inverted index on each
proposal's strongest words and from the MinHash band table, ranked by TF-IDF cosine over
rjieba words (the title's words counted three times), the best verified by the character
ratio of titles and bodies. Drafts and withdrawn proposals stay in the index (their text
changes there like any other) but are never answered.

Keeping the index current: every proposal is (re)indexed **in the transaction that
changes its text**, by :func:`reindex` (a ``post_save`` receiver for ``save()`` and
``create()``, and the draft service, which writes with ``update()``); state changes do
not touch the text and need nothing. ``manage.py reindex_similar`` rebuilds the whole
index in bulk (after an import that bypassed the models, e.g. ``bulk_create``), and so
does ``manage.py reindex_search`` for the search index (``core.search``), which
:func:`reindex` keeps current too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shangliang.core import search, similar_index
from shangliang.proposals.models import Proposal

KIND = "proposals"
SEARCH_FIELDS = ("title", "situation", "analysis", "suggestions")
EXCLUDED = (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)
TEXT_FIELDS = frozenset({"title", "situation", "analysis", "suggestions", "org", "org_id"})


def body_of(p: Any) -> str:
    """The body a proposal is compared by: 情况, 分析 and 建议."""
    return "\n".join(part for part in (p.situation, p.analysis, p.suggestions) if part)


def document_of(p: Proposal) -> similar_index.Document:
    stamp = p.submitted_at or p.created_at
    return similar_index.Document(
        object_id=p.pk,
        org_id=p.org_id,
        title=p.title,
        body=body_of(p),
        year=stamp.year if stamp else None,
    )


def reindex(proposals: Iterable[Proposal]) -> None:
    """Bring both indexes up to date with these proposals' text (cheap when unchanged)."""
    proposals = list(proposals)
    similar_index.index_documents(KIND, [document_of(p) for p in proposals])
    for p in proposals:
        search.index(KIND, p.pk, [getattr(p, f) for f in SEARCH_FIELDS], org_id=p.org_id)


@receiver(post_save, sender=Proposal, dispatch_uid="proposals.similarity.saved")
def _saved(sender: Any, instance: Proposal, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (fields is not None and not TEXT_FIELDS & set(fields)):
        return
    reindex([instance])


@receiver(post_delete, sender=Proposal, dispatch_uid="proposals.similarity.deleted")
def _deleted(sender: Any, instance: Proposal, **kwargs: Any) -> None:
    similar_index.remove_documents(KIND, [instance.pk])
    search.remove(KIND, [instance.pk])


def all_documents() -> Iterator[similar_index.Document]:
    """Every proposal, for ``manage.py reindex_similar``."""
    qs = Proposal.objects.only(
        "pk",
        "org_id",
        "title",
        "situation",
        "analysis",
        "suggestions",
        "submitted_at",
        "created_at",
    ).order_by("pk")
    for p in qs.iterator(chunk_size=2000):
        yield document_of(p)


def all_search_entries() -> Iterator[search.Entry]:
    """Every proposal's searchable text, for ``manage.py reindex_search``."""
    rows = Proposal.objects.order_by("pk").values_list("pk", "org_id", *SEARCH_FIELDS)
    for pk, org_id, *parts in rows.iterator(chunk_size=2000):
        yield search.Entry(object_id=pk, parts=parts, org_id=org_id)


similar_index.register(KIND, all_documents)
search.register(KIND, all_search_entries)


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
    if limit < 1:
        return []
    base = within if within is not None else Proposal.objects.all()

    def eligible(ids: list[int]) -> list[int]:
        return list(
            base.filter(pk__in=ids).exclude(status__in=EXCLUDED).values_list("pk", flat=True)
        )

    found = similar_index.find_similar(
        KIND,
        title,
        body,
        org=org if isinstance(org, int) else org.pk,
        exclude_id=exclude_id,
        limit=limit,
        eligible=eligible,
    )
    objects = Proposal.objects.select_related("session").in_bulk([pk for pk, _s in found])
    return [(objects[pk], score) for pk, score in found if pk in objects]


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
