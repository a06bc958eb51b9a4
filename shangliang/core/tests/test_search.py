"""Full-text search: the index finds exactly what a LIKE scan finds, on SQLite (FTS5) and on
PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from shangliang.core import search
from shangliang.core.models import SearchEntry
from shangliang.proposals.models import Proposal
from shangliang.proposals.selectors import ProposalFilters, apply_filters
from shangliang.proposals.similarity import KIND, SEARCH_FIELDS
from shangliang.proposals.tests.similarity_corpus import ORIGINALS

QUERIES = [
    "养老",  # two characters
    "居家养老服务",
    "老年食堂和助餐点",
    "充电桩",
    "僵尸桩",
    "水",  # one character: no token, LIKE fallback
    "60岁",  # digits next to Chinese characters
    "5g网络",
    "5G网络",  # case: LIKE ignores it for ASCII
    "abc",
    "ABCD",
    "助餐、助浴",  # punctuation inside the query
    "全省60岁以上老年人口",
    "一是",
    "不存在的词语组合",
    "ng",
]


def test_it_cuts_documents_into_bigrams_and_trigrams():
    assert search.document_tokens(["居家养老", "5G网络 abcd", "水"]) == sorted(
        ["居家", "家养", "养老", "5g", "网络", "abc", "bcd", "水"]
    )


def test_query_tokens_are_inside_every_text_containing_the_query():
    text = "全省60岁以上老年人口占比已超过20%，5G网络覆盖ABCD乡村。"
    tokens = set(search.document_tokens([text]))
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            assert set(search.query_tokens(text[i:j])) <= tokens, text[i:j]
    assert search.query_tokens("水") == [] and search.query_tokens("5g") == []


def test_long_queries_use_a_spread_of_their_tokens():
    q = "关于推进县域义务教育优质均衡发展的建议：乡村学校教师流失严重，音体美教师普遍短缺"
    tokens = search.query_tokens(q)
    assert len(tokens) <= search.MAX_QUERY_TOKENS
    assert tokens[0] == "关于" and tokens[-1] == search.query_tokens(q[-2:])[0]


@pytest.fixture
def proposals(world: Any) -> list[Proposal]:
    session = world.terms[world.province.pk].sessions.get()
    made = [
        Proposal.objects.create(
            org=world.province,
            session=session,
            author=world.member_m,
            title=title,
            situation=situation,
            suggestions=suggestions,
            status=Proposal.Status.IN_REVIEW,
        )
        for title, situation, suggestions in ORIGINALS
    ]
    made.append(
        Proposal.objects.create(
            org=world.province,
            session=session,
            author=world.member_m,
            title="关于加快5G网络建设的建议",
            analysis="ABCDE 项目进展缓慢。",
            status=Proposal.Status.IN_REVIEW,
        )
    )
    return made


def test_it_indexes_on_save_and_answers_like_like(proposals):
    assert SearchEntry.objects.filter(kind=KIND).count() == len(proposals)
    assert search.fts_available()
    for q in QUERIES:
        ours = set(Proposal.objects.filter(search.search_q(KIND, q, SEARCH_FIELDS)))
        like = set(Proposal.objects.filter(search.like_q(q, SEARCH_FIELDS)))
        assert ours == like, q
    assert len(Proposal.objects.filter(search.search_q(KIND, "养老", SEARCH_FIELDS))) >= 2


def test_it_really_goes_through_the_index(proposals):
    """A proposal missing from the index is not found (so the index is what answers), until
    ``reindex_search`` puts it back."""
    target = proposals[6]  # 充电桩
    SearchEntry.objects.filter(kind=KIND, object_id=target.pk).delete()
    found = Proposal.objects.filter(search.search_q(KIND, "僵尸桩", SEARCH_FIELDS))
    assert target not in found
    call_command("reindex_search", "--kind", KIND, stdout=open("/dev/null", "w"))
    found = Proposal.objects.filter(search.search_q(KIND, "僵尸桩", SEARCH_FIELDS))
    assert list(found) == [target]
    sql = str(found.query)
    assert ("@@" in sql) if connection.vendor == "postgresql" else ("MATCH" in sql)


def test_edits_and_deletes_follow(proposals):
    p = proposals[0]
    p.suggestions = "推广智慧课堂。"
    p.save()
    assert list(Proposal.objects.filter(search.search_q(KIND, "智慧课堂", SEARCH_FIELDS))) == [p]
    p.delete()
    assert not SearchEntry.objects.filter(kind=KIND, object_id=p.pk).exists()


def test_the_proposal_lists_search_title_and_body(proposals):
    found = apply_filters(Proposal.objects.all(), ProposalFilters(q="老年食堂"))
    assert list(found) == [proposals[2]]  # in the body only
    found = apply_filters(Proposal.objects.all(), ProposalFilters(q=" 居家养老服务 "))
    assert proposals[2] in found


def test_the_materialised_form_answers_like_like_too(proposals, monkeypatch):
    for q in QUERIES:
        ours = set(Proposal.objects.filter(search.search_ids_q(KIND, q, SEARCH_FIELDS)))
        like = set(Proposal.objects.filter(search.like_q(q, SEARCH_FIELDS)))
        assert ours == like, q
    monkeypatch.setattr(search, "MATERIALISE_LIMIT", 1)  # too many candidates: the subquery
    for q in ("养老", "充电桩"):
        ours = set(Proposal.objects.filter(search.search_ids_q(KIND, q, SEARCH_FIELDS)))
        assert ours == set(Proposal.objects.filter(search.like_q(q, SEARCH_FIELDS))), q


def test_the_capped_paginator_stops_counting_at_its_cap(proposals):
    from shangliang.core.paging import CappedPaginator

    class Small(CappedPaginator):
        cap = 3

    many = Small(Proposal.objects.order_by("pk"), 2)
    assert (many.count, many.capped, many.num_pages) == (3, True, 2)
    assert len(many.page(2).object_list) == 1
    few = Small(Proposal.objects.order_by("pk")[:2], 2)
    assert (few.count, few.capped) == (2, False)
