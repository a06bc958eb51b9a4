"""Bulk writing of generated rows: COPY on PostgreSQL, batched ``executemany`` elsewhere.

Ids are allocated here (from the table's current maximum), so generators can link rows
before any of them is written; :func:`reset_sequences` puts the sequences right at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


class Sink:
    """The pending rows of one table."""

    def __init__(self, model: type[models.Model], *, stamp: Any, batch: int = 20_000) -> None:
        self.model = model
        self.table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.fields = fields
        self.attnames = [f.attname for f in fields]
        self.json = [f.attname for f in fields if isinstance(f, models.JSONField)]
        defaults: dict[str, Any] = {}
        for f in fields:
            if f.attname in ("created_at", "updated_at", "date_joined"):
                defaults[f.attname] = stamp
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null:
                defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField | models.FileField):
                defaults[f.attname] = ""
            else:
                defaults[f.attname] = None
        self.defaults = defaults
        self.batch = batch
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        has_id = model._meta.pk is not None and model._meta.pk.attname == "id"
        self.auto_id = has_id and isinstance(model._meta.pk, models.AutoField)
        last = model._default_manager.aggregate(m=Max("pk"))["m"] if self.auto_id else 0
        self.next_id = int(last or 0) + 1

    def new_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, **values: Any) -> int:
        """Queue one row; returns its id (allocated unless given)."""
        if self.auto_id and "id" not in values:
            values["id"] = self.new_id()
        for name in self.json:
            if name in values and not isinstance(values[name], str):
                values[name] = json.dumps(values[name], ensure_ascii=False)
        d = self.defaults
        self.rows.append(tuple([values[a] if a in values else d[a] for a in self.attnames]))
        if len(self.rows) >= self.batch:
            self.flush()
        return int(values.get("id", 0))

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.count += len(rows)
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in self.fields)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                json_at = {i for i, f in enumerate(self.fields) if f.attname in self.json}
                marks = ", ".join(["%s"] * len(self.fields))
                prepared = [
                    [
                        v if i in json_at else f.get_db_prep_save(v, connection)
                        for i, (f, v) in enumerate(zip(self.fields, row, strict=True))
                    ]
                    for row in rows
                ]
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted names)
                cursor.executemany(sql, prepared)


class Sinks:
    """One :class:`Sink` per model, created on first use."""

    def __init__(self, stamp: Any) -> None:
        self.stamp = stamp
        self.by_model: dict[type[models.Model], Sink] = {}

    def __getitem__(self, model: type[models.Model]) -> Sink:
        sink = self.by_model.get(model)
        if sink is None:
            sink = self.by_model[model] = Sink(model, stamp=self.stamp)
        return sink

    def flush(self) -> None:
        for sink in self.by_model.values():
            sink.flush()

    def counts(self) -> dict[str, int]:
        return {s.model._meta.label: s.count for s in self.by_model.values()}


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
