"""A labelled corpus of generated proposals with planted rewritten duplicates, for the
similarity tests and for measuring recall locally before ``manage.py seed_scale`` has run.

The text comes from the scale generator's ``TextMaker`` (domain vocabulary plus sentences
from real committee documents), and so do the rewrites (synonyms swapped, sentences
shuffled and one dropped, the title rephrased): the same kind of duplicate the benchmark
plants.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from shangliang.core import search, similar_index
from shangliang.proposals import similarity
from shangliang.proposals.models import Proposal
from shangliang.scale.text import TextMaker

PLACES = ["青州市", "临河县", "白石区", "东湖县", "南山区", "西城县", "北岭市", "安平县"]
STATUSES = [
    Proposal.Status.IN_REVIEW,
    Proposal.Status.ACCEPTED,
    Proposal.Status.HANDLING,
    Proposal.Status.CLOSED,
]


def build(
    *, org: Any, session: Any, author: Any, n: int, planted: int, seed: int = 7
) -> list[tuple[int, int]]:
    """``n`` proposals of ``org``, of which ``planted`` are rewrites of earlier ones (spread
    over five years); both indexes rebuilt. Returns the (original id, duplicate id) pairs."""
    rng = random.Random(seed)
    maker = TextMaker(rng)
    start = timezone.now() - dt.timedelta(days=5 * 365)
    docs: list[Any] = []
    labels: list[int | None] = []  # the index of the original of each duplicate
    dup_at = set(rng.sample(range(max(1, n // 10), n), planted))
    for i in range(n):
        if i in dup_at:
            j = rng.randrange(i)
            while labels[j] is not None:
                j = rng.randrange(i)
            docs.append(maker.rewrite(docs[j]))
            labels.append(j)
        else:
            docs.append(maker.proposal(rng.choice(PLACES)))
            labels.append(None)
    rows = [
        Proposal(
            org=org,
            session=session,
            author=author,
            title=d.title,
            situation=d.situation,
            analysis=d.analysis,
            suggestions=d.suggestions,
            category=d.category,
            status=rng.choice(STATUSES),
            submitted_at=start + dt.timedelta(days=5 * 365 * i / n),
        )
        for i, d in enumerate(docs)
    ]
    made = Proposal.objects.bulk_create(rows, batch_size=1000)
    similar_index.rebuild(similarity.KIND, similarity.all_documents())
    search.rebuild(similarity.KIND, similarity.all_search_entries())
    return [(made[j].pk, made[i].pk) for i, j in enumerate(labels) if j is not None]


def recall_at(pairs: list[tuple[int, int]], k: int = 5) -> float:
    """The share of duplicates whose original is among the ``k`` most similar."""
    found = 0
    by_id = Proposal.objects.in_bulk([d for _o, d in pairs])
    for original, duplicate in pairs:
        top = [p.pk for p, _s in similarity.similar_to(by_id[duplicate], limit=k)]
        found += original in top
    return found / len(pairs) if pairs else 0.0
