"""Index the units' reply texts for the portal's search (kind ``proposal_reply``): the portal
finds reply-text hits only through the index, so an upgraded database gets its entries here
(new replies are indexed as they are written; ``manage.py reindex_search`` rebuilds)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

KIND = "proposal_reply"


def index_replies(apps: Any, schema_editor: Any) -> None:
    from shangliang.core.search import document_tokens

    Assignment = apps.get_model("proposals", "Assignment")
    SearchEntry = apps.get_model("core", "SearchEntry")
    SearchEntry.objects.filter(kind=KIND).delete()
    rows = (
        Assignment.objects.exclude(reply_text="")
        .order_by("pk")
        .values_list("pk", "proposal__org_id", "reply_text")
    )
    batch: list[Any] = []
    for pk, org_id, text in rows.iterator(chunk_size=2000):
        tokens = " ".join(document_tokens([text]))
        batch.append(SearchEntry(kind=KIND, object_id=pk, org_id=org_id, tokens=tokens))
        if len(batch) >= 2000:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)


def drop_entries(apps: Any, schema_editor: Any) -> None:
    apps.get_model("core", "SearchEntry").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_similar_and_search"),
        ("proposals", "0003_performance_indexes"),
    ]

    operations = [migrations.RunPython(index_replies, drop_entries, elidable=True)]
