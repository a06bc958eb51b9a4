"""The search index (``core.search``) of the units' reply texts (答复内容), for the portal.

One document per assignment (kind :data:`KIND`, object id = the assignment's id, org = its
proposal's org) holding its ``reply_text``; an assignment without a reply text has none.
Every assignment is indexed whatever its state: which replies are published is a filter of
the query (:func:`shangliang.proposals.portal.approved_replies`), not of the index.

Keeping it current, in the transaction that changes the text: the ``draft_reply`` action
of the workflow (which writes with ``update()``) calls :func:`index_reply`; a
``post_save`` receiver covers ``save()`` and ``create()`` (saves whose ``update_fields``
leave the text alone are skipped) and a ``post_delete`` receiver removes the document.
``manage.py reindex_search`` rebuilds the kind in bulk (after imports that bypass the
models, e.g. ``bulk_create``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from shangliang.core import search
from shangliang.proposals.models import Assignment

KIND = "proposal_reply"
FIELDS = ("reply_text",)
TEXT_FIELDS = frozenset({"reply_text", "proposal", "proposal_id"})


def index_reply(assignment_id: int, text: str, *, org_id: int | None) -> None:
    """(Re)index one assignment's reply text; an empty text leaves no document."""
    if text:
        search.index(KIND, assignment_id, [text], org_id=org_id)
    else:
        search.remove(KIND, [assignment_id])


def _org_of(a: Assignment) -> int:
    return int(a.proposal.org_id)  # the proposal is usually loaded already


@receiver(post_save, sender=Assignment, dispatch_uid="proposals.reply_search.saved")
def _saved(sender: Any, instance: Assignment, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or (fields is not None and not TEXT_FIELDS & set(fields)):
        return
    if created and not instance.reply_text:
        return  # nothing indexed yet, nothing to index
    index_reply(instance.pk, instance.reply_text, org_id=_org_of(instance))


@receiver(post_delete, sender=Assignment, dispatch_uid="proposals.reply_search.deleted")
def _deleted(sender: Any, instance: Assignment, **kwargs: Any) -> None:
    search.remove(KIND, [instance.pk])


def all_search_entries() -> Iterator[search.Entry]:
    """Every reply text, for ``manage.py reindex_search``."""
    rows = (
        Assignment.objects.exclude(reply_text="")
        .order_by("pk")
        .values_list("pk", "proposal__org_id", "reply_text")
    )
    for pk, org_id, text in rows.iterator(chunk_size=2000):
        yield search.Entry(object_id=pk, parts=[text], org_id=org_id)


search.register(KIND, all_search_entries)
