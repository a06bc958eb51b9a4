"""A 5,000-row roster imports with a number of queries that does not grow per row."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shangliang.accounts.models import Membership, User
from shangliang.orgs.models import Group
from shangliang.roster import services
from shangliang.roster.models import ImportJob
from shangliang.roster.tests.sheets import person, upload
from shangliang.testing import World

ROWS = 5000


def rows(world: World) -> list[dict[str, Any]]:
    """Half the people are in two groups, some positions vary, a few are existing people."""
    Group.objects.create(org=world.city, name="第二学习组", kind=Group.Kind.STUDY)
    existing = [world.member, world.county_a_member, world.county_b_member]
    out = []
    for n in range(1, ROWS + 1):
        row = person(
            n, 职务="常委" if n % 10 == 0 else "委员", 界别="经济界" if n % 3 else "教育界"
        )
        row["小组"] = "第一学习组、第二学习组" if n % 2 else "第一学习组"
        if n <= len(existing):
            row.update(姓名=existing[n - 1].name, 手机号=existing[n - 1].phone)
        out.append(row)
    return out


def test_it_imports_5000_rows_with_a_bounded_number_of_queries(
    world, django_capture_on_commit_callbacks
):
    file = upload(rows(world))
    users_before = User.objects.count()
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.roster_import_start(
                actor=world.general_office,
                org=world.city,
                term=world.terms[world.city.pk],
                upload=file,
            )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.message, job.errors[:5])
    assert (job.created_users, job.matched_users, job.created_memberships) == (ROWS - 3, 3, ROWS)
    assert User.objects.count() == users_before + ROWS - 3
    members = Membership.objects.filter(org=world.city, term=world.terms[world.city.pk])
    assert members.count() == ROWS
    assert members.filter(position=Membership.Position.STANDING).count() == ROWS // 10
    assert Membership.groups.through.objects.filter(membership__in=members).count() == ROWS * 3 // 2
    # Bulk inserts in batches: about 10 queries per 1,000 rows on PostgreSQL, about 45 on
    # SQLite (Django keeps SQLite statements under 999 parameters, ~50 users each). One or
    # more queries per row would be 5,000+.
    assert len(queries) <= 350, len(queries)
