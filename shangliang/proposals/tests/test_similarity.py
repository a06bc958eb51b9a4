"""Similar proposals: Chinese segmentation, TF-IDF and the character ratio find rewritten
duplicates among proposals on many topics."""

from __future__ import annotations

from typing import Any

import pytest

from shangliang.core import similar_index, text
from shangliang.core.models import SimilarDoc
from shangliang.proposals import similarity
from shangliang.proposals.models import Proposal
from shangliang.proposals.services.drafting import proposal_save_draft
from shangliang.proposals.tests.similarity_corpus import ORIGINALS, REWRITES

S = Proposal.Status


def add(
    world: Any,
    title: str,
    situation: str,
    suggestions: str,
    *,
    status: str = S.IN_REVIEW,
    org: Any = None,
    term: Any = None,
) -> Proposal:
    org = org or world.province
    term = term or world.terms[org.pk]
    author = world.member_m if org == world.province else world.county_a_member_m
    return Proposal.objects.create(
        org=org,
        session=term.sessions.get(),
        author=author,
        title=title,
        situation=situation,
        suggestions=suggestions,
        status=status,
    )


@pytest.fixture
def corpus(world):
    originals = [add(world, *row) for row in ORIGINALS]
    rewrites = [(add(world, t, s, g), originals[i]) for i, t, s, g in REWRITES]
    return originals, rewrites


def test_it_segments_with_the_domain_dictionary_and_drops_boilerplate():
    words = text.tokens("关于进一步加强乡村振兴和营商环境的建议（ＡＢＣ）")
    assert words == ["乡村振兴", "营商环境", "abc"]


def test_it_makes_cjk_bigrams():
    assert text.bigrams("县域 教育，A") == ["县域", "教育"]
    assert text.bigrams("水") == ["水"]


def test_char_ratio_ignores_punctuation_and_width():
    assert text.char_ratio("义务教育，均衡！", "义务教育均衡") == 1.0
    assert text.char_ratio("", "教育") == 0.0


def test_the_index_ranks_by_cosine():
    index: text.SimilarityIndex[str] = text.SimilarityIndex()
    index.add("a", text.weighted_terms([("居家养老服务 助餐 老年食堂", 1.0)]))
    index.add("b", text.weighted_terms([("充电桩 新能源汽车", 1.0)]))
    index.add("c", text.weighted_terms([("养老 床位", 1.0)]))
    ranked = index.query(text.weighted_terms([("社区居家养老服务和助餐", 1.0)]))
    assert [k for k, _s in ranked][0] == "a"
    assert all(0 < s <= 1.0001 for _k, s in ranked)
    assert "b" not in dict(ranked)


def test_it_finds_the_originals_of_rewritten_duplicates(corpus):
    _originals, rewrites = corpus
    found, first = 0, 0
    for rewrite, original in rewrites:
        top = [p.pk for p, _score in similarity.similar_to(rewrite, limit=5)]
        found += original.pk in top
        first += bool(top) and top[0] == original.pk
    assert found >= 9, f"recall@5 {found}/10"
    assert first >= 8, f"top-1 {first}/10"


def test_scores_are_between_0_and_1_and_sorted(corpus):
    rewrite, original = corpus[1][0]
    results = similarity.similar_to(rewrite)
    scores = [s for _p, s in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert rewrite not in [p for p, _s in results]


def test_similar_to_text_for_a_proposal_being_written(corpus):
    originals, _rewrites = corpus
    results = similarity.similar_to_text(
        org=originals[0].org,
        title="关于加强城区公交专用道建设的建议",
        body="公交线路重复，换乘不便，准点率低。建议增设公交专用道，推进公交与地铁换乘一体化。",
        limit=3,
    )
    assert results[0][0] == originals[18]


def test_it_skips_drafts_withdrawn_and_other_committees(world, corpus):
    originals, _rewrites = corpus
    title, situation, suggestions = ORIGINALS[5]
    draft = add(world, title, situation, suggestions, status=S.DRAFT)
    withdrawn = add(world, title, situation, suggestions, status=S.WITHDRAWN)
    elsewhere = add(world, title, situation, suggestions, org=world.county_a)
    found = [p for p, _s in similarity.similar_to(originals[5])]
    assert not {draft, withdrawn, elsewhere} & set(found)
    assert originals[5] not in found


def test_within_narrows_the_answer(corpus):
    originals, rewrites = corpus
    rewrite, original = rewrites[0]
    only = Proposal.objects.filter(pk__in=[originals[1].pk, originals[2].pk])
    found = [p for p, _s in similarity.similar_to(rewrite, within=only)]
    assert original not in found and set(found) <= {originals[1], originals[2]}


def test_older_proposals_come_in_through_their_rare_words(world, corpus, monkeypatch):
    originals, _rewrites = corpus
    # Only a handful of candidates from the inverted index, none from the bands: the one
    # older proposal sharing the query's rare words (非遗, 传承人, 后继乏人) is among them.
    monkeypatch.setattr(similar_index, "CANDIDATES", 3)
    monkeypatch.setattr(similar_index, "RERANK", 3)
    monkeypatch.setattr(similar_index, "BAND_CANDIDATES", 0)
    title, situation, suggestions = ORIGINALS[16]
    newest = add(world, "非物质文化遗产传承人后继乏人", situation, suggestions)
    found = [p for p, _s in similarity.similar_to(newest, limit=3)]
    assert found[0] == originals[16]
    assert similarity.similar_to_text(org=world.province, title="", body="的了") == []


def test_edits_refresh_the_index(world, corpus):
    """Saving a proposal re-indexes it; so does the draft service, which writes with
    ``update()`` (a returned proposal being revised)."""
    originals, _rewrites = corpus
    probe = add(world, "关于加强中小学生近视防控的建议", "户外活动", "视力筛查")
    assert similarity.similar_to(probe, limit=1)[0][0] == originals[19]
    target = originals[25]
    target.title = "关于加强青少年近视防控的建议"
    target.situation = "近视率高，户外活动少。"
    target.suggestions = "视力筛查，户外活动。"
    target.save()
    top = [p.pk for p, _s in similarity.similar_to(probe, limit=2)]
    assert target.pk in top

    revised = originals[26]
    Proposal.objects.filter(pk=revised.pk).update(status=S.RETURNED)
    revised.refresh_from_db()
    proposal_save_draft(
        actor=revised.author.user,
        proposal=revised,
        title="关于青少年近视防控和户外活动的建议",
        situation="户外活动少，近视率高。",
        suggestions="定期视力筛查。",
    )
    top = [p.pk for p, _s in similarity.similar_to(probe, limit=3)]
    assert revised.pk in top
    assert SimilarDoc.objects.filter(kind="proposals").count() == len(Proposal.objects.all())


def test_a_deleted_proposal_leaves_the_index(world, corpus):
    originals, rewrites = corpus
    rewrite, original = rewrites[0]
    original.delete()
    found = [p for p, _s in similarity.similar_to(rewrite)]
    assert original not in found
    assert not SimilarDoc.objects.filter(object_id=original.pk).exists()


def test_it_finds_planted_rewrites_among_generated_proposals(world):
    """A labelled corpus like the benchmark's: 400 generated proposals over five years, 20 of
    them rewrites of earlier ones (synonyms swapped, sentences shuffled and dropped)."""
    from shangliang.proposals.tests import similarity_scale

    pairs = similarity_scale.build(
        org=world.province,
        session=world.terms[world.province.pk].sessions.get(),
        author=world.member_m,
        n=400,
        planted=20,
    )
    assert len(pairs) == 20
    assert similarity_scale.recall_at(pairs, 5) >= 0.95
