"""The persistent similar-document index: any kind of document, scoped by organisation,
kept current by incremental writes, rebuilt in bulk with the same answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from shangliang.core import similar_index as si
from shangliang.core.models import SimilarBand, SimilarDoc, SimilarPosting, SimilarTermStat
from shangliang.proposals.tests.similarity_corpus import ORIGINALS, REWRITES

KIND = "notes"  # a kind of its own: nothing else writes it


def doc(i: int, org: Any, title: str, situation: str, suggestions: str) -> si.Document:
    return si.Document(object_id=i, org_id=org.pk, title=title, body=situation + suggestions)


@pytest.fixture
def notes(world: Any) -> list[si.Document]:
    docs = [doc(i, world.province, *row) for i, row in enumerate(ORIGINALS, start=1)]
    docs += [doc(100 + i, world.county_a, *ORIGINALS[i]) for i in (0, 2)]  # elsewhere
    si.index_documents(KIND, docs)
    return docs


def stat(space: int, term: int) -> int:
    return SimilarTermStat.objects.get(space=space, term=term).df


def test_it_packs_vectors():
    tf = {2: 1.0, 2**62: 2.5, 12345: 0.5}
    assert si.unpack(si.pack(tf)) == tf


def test_it_finds_rewrites_within_the_organisation(world, notes):
    for i, title, situation, suggestions in REWRITES:
        found = si.find_similar(KIND, title, situation + suggestions, org=world.province, limit=5)
        assert found[0][0] == i + 1, title
        assert all(0 < s <= 1 for _pk, s in found)
        assert [s for _pk, s in found] == sorted((s for _pk, s in found), reverse=True)
        assert not {100, 102} & {pk for pk, _s in found}


def test_scope_paths_reach_the_committees_below(world, notes):
    i, title, situation, suggestions = REWRITES[0]
    county = si.find_similar(KIND, title, situation + suggestions, org=world.county_a)
    assert county[0][0] == 100
    below = si.find_similar(
        KIND, title, situation + suggestions, scope_paths=[world.province.path], limit=3
    )
    assert world.county_a.path.startswith(world.province.path)
    assert {pk for pk, _s in below} >= {1, 100}
    assert si.find_similar(KIND, title, situation) == []  # no organisation: nothing


def test_exclude_and_eligible(world, notes):
    title, situation, suggestions = ORIGINALS[5]
    body = situation + suggestions
    assert si.find_similar(KIND, title, body, org=world.province)[0][0] == 6
    assert 6 not in dict(si.find_similar(KIND, title, body, org=world.province, exclude_id=6))
    only = si.find_similar(
        KIND, title, body, org=world.province, eligible=lambda ids: [i for i in ids if i > 20]
    )
    assert only and all(pk > 20 for pk, _s in only)


def test_unchanged_text_is_not_rewritten_and_changes_keep_the_statistics(world, notes):
    space = si.space_of(KIND, world.province.pk)
    assert stat(space, si.DOCS) == len(ORIGINALS)
    assert si.index_documents(KIND, notes[:3]) == 0
    generation = stat(space, si.GENERATION)
    edited = si.Document(
        object_id=1,
        org_id=world.province.pk,
        title="关于加强近视防控的建议",
        body="户外活动，视力筛查。",
    )
    assert si.index_documents(KIND, [edited]) == 1
    assert stat(space, si.DOCS) == len(ORIGINALS)
    assert stat(space, si.GENERATION) != generation
    assert stat(space, si.key("户外活动")) == 2  # the edit and ORIGINALS[19]
    found = si.find_similar(KIND, "近视防控", "户外活动 视力筛查", org=world.province, limit=2)
    assert {pk for pk, _s in found} == {1, 20}
    si.remove_documents(KIND, [1])
    assert stat(space, si.DOCS) == len(ORIGINALS) - 1
    assert stat(space, si.key("户外活动")) == 1
    for model in (SimilarPosting, SimilarBand):
        assert not model.objects.filter(doc__object_id=1, doc__kind=KIND).exists()


def test_a_rebuild_gives_the_same_answers(world, notes):
    def answers() -> list[list[tuple[int, float]]]:
        return [
            si.find_similar(KIND, t, s + g, org=world.province, limit=3) for _i, t, s, g in REWRITES
        ]

    before = answers()
    postings = SimilarPosting.objects.count()
    assert si.rebuild(KIND, notes) == len(notes)
    assert SimilarDoc.objects.filter(kind=KIND).count() == len(notes)
    assert SimilarPosting.objects.count() == postings
    after = answers()
    # The same best match, and the same score for every document both answers hold (the
    # postings of the incremental index were chosen with the statistics of their time,
    # so the tail of the candidates may differ).
    for a, b in zip(after, before, strict=True):
        assert a[0] == b[0]
        common = dict(a).keys() & dict(b).keys()
        assert {pk: dict(a)[pk] for pk in common} == {pk: dict(b)[pk] for pk in common}


def test_the_command_rebuilds_registered_kinds(world, proposals_for_command):
    call_command("reindex_similar", "--kind", "proposals", stdout=open("/dev/null", "w"))
    assert SimilarDoc.objects.filter(kind="proposals").count() == proposals_for_command
    with pytest.raises(CommandError):
        call_command("reindex_similar", "--kind", "nonsense")


@pytest.fixture
def proposals_for_command(world: Any) -> int:
    from shangliang.proposals.models import Proposal

    session = world.terms[world.province.pk].sessions.get()
    rows = [
        Proposal(
            org=world.province,
            session=session,
            author=world.member_m,
            title=t,
            situation=s,
            suggestions=g,
            status=Proposal.Status.IN_REVIEW,
        )
        for t, s, g in ORIGINALS[:5]
    ]
    Proposal.objects.bulk_create(rows)  # no post_save: not indexed yet
    assert not SimilarDoc.objects.filter(kind="proposals").exists()
    return len(rows)
