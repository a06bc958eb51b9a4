"""The county preset, generated at the service level, on whichever database the suite
runs on (SQLite locally, PostgreSQL too in CI): counts, states and the workflow's
invariants."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.contrib.auth.hashers import check_password

from shangliang.accounts.models import Membership, User
from shangliang.orgs.models import Organization, Session
from shangliang.proposals.models import Assignment, Cosigner, Proposal, Rating
from shangliang.scale.context import PASSWORD
from shangliang.scale.models import PlantedDuplicate, ScaleRun
from shangliang.scale.presets import PRESETS
from shangliang.scale.runner import Refused, generate

P = Proposal.Status
A = Assignment.Status
NUMBERED = {P.ACCEPTED, P.HANDLING, P.CLOSED}

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def county():
    lines: list[str] = []
    run = generate(preset="county", reindex=False, out=lines.append)
    return run, lines


def test_it_builds_the_committee_tree_and_two_terms(county):
    preset = PRESETS["county"]
    assert Organization.objects.count() == preset.orgs
    assert Organization.objects.filter(level=1).count() == 1
    for org in Organization.objects.all():
        assert org.terms.count() == 2
        assert org.terms.filter(is_current=True).count() == 1
        assert Session.objects.filter(term__org=org).count() == 10
    # every current-term seat of a county committee, and most served the term before
    county_org = Organization.objects.filter(level=3).first()
    current = Membership.objects.filter(org=county_org, term__is_current=True)
    assert current.count() == preset.seats[2]
    carried = current.filter(user__memberships__term__is_current=False).distinct().count()
    assert carried == int(preset.seats[2] * 0.8)


def test_it_writes_proposals_in_every_state_with_unique_numbers(county):
    states = set(Proposal.objects.values_list("status", flat=True))
    assert states == set(P.values)
    numbers = defaultdict(list)
    for p in Proposal.objects.all():
        if p.status in NUMBERED:
            assert p.number is not None and p.accepted_at is not None
            numbers[p.session_id].append(p.number)
        else:
            assert p.number is None
        if p.status == P.DRAFT:
            assert p.submitted_at is None
        if p.status == P.MERGED:
            assert p.merged_into is not None
            assert p.merged_into.session_id == p.session_id
            assert p.merged_into.status in NUMBERED
    for got in numbers.values():
        assert sorted(got) == list(range(1, len(got) + 1))  # 1..n in each session


def test_it_assigns_only_accepted_proposals_and_closes_them_consistently(county):
    by_proposal = defaultdict(list)
    for a in Assignment.objects.select_related("proposal"):
        by_proposal[a.proposal_id].append(a)
        assert a.proposal.status in (P.HANDLING, P.CLOSED)
        assert a.due_on >= a.first_due_on
        if a.status != A.TO_SIGN:
            assert a.signed_at is not None
    for p in Proposal.objects.filter(status__in=[P.HANDLING, P.CLOSED]):
        assert by_proposal[p.pk], f"{p.status} proposal {p.pk} without assignments"
    closed = Proposal.objects.filter(status=P.CLOSED)
    assert closed.exists()
    for p in closed:
        assert {a.status for a in by_proposal[p.pk]} == {A.DONE}
        assert p.closed_at is not None
        proposers = {p.author_id} | set(
            Cosigner.objects.filter(proposal=p, status="confirmed").values_list(
                "membership_id", flat=True
            )
        )
        for a in by_proposal[p.pk]:
            if a.role == Assignment.Role.CO:
                assert a.co_opinion and not a.reply_text
                continue
            assert a.reply_text and a.result_class and a.replied_at
            raters = set(
                Rating.objects.filter(assignment=a).values_list("membership_id", flat=True)
            )
            assert raters == proposers


def test_it_plants_rewritten_duplicates_of_visible_proposals(county):
    dups = list(PlantedDuplicate.objects.filter(kind="proposal"))
    assert dups
    for d in dups:
        original = Proposal.objects.get(pk=d.original_id)
        duplicate = Proposal.objects.get(pk=d.duplicate_id)
        assert original.org_id == duplicate.org_id
        assert duplicate.status not in (P.DRAFT, P.WITHDRAWN)
        assert original.title != duplicate.title or original.situation != duplicate.situation
        assert original.category == duplicate.category


def test_it_records_the_run_with_personas_that_can_log_in(county):
    run, lines = county
    stored = ScaleRun.objects.get()
    assert stored.preset == "county" and stored.finished_at is not None
    assert {"orgs", "members", "proposals"} <= set(stored.stages)
    assert any(line.startswith("- proposals:") for line in lines)
    for username in stored.counts["personas"].values():
        assert check_password(PASSWORD, User.objects.get(username=username).password)
    member = User.objects.get(username="bench_member")
    assert Proposal.objects.filter(author__user=member).exists()
    samples = stored.counts["samples"]
    assert User.objects.filter(username__in=samples["members"]).count() == len(samples["members"])


def test_it_credits_the_duty_ledger_from_the_generated_facts(county):
    from django.apps import apps

    if not apps.is_installed("shangliang.duty"):
        pytest.skip("duty app not installed")
    from shangliang.duty.models import LedgerEntry

    kinds = Counter(LedgerEntry.objects.values_list("source_type", flat=True))
    assert kinds["proposals.proposal"] > 0
    submitted = Proposal.objects.exclude(status__in=[P.DRAFT, P.WITHDRAWN]).filter(
        submitted_at__isnull=False
    )
    credited = set(
        LedgerEntry.objects.filter(
            source_type="proposals.proposal", item="proposal.submitted"
        ).values_list("source_id", flat=True)
    )
    assert credited == {str(pk) for pk in submitted.values_list("pk", flat=True)}


def test_it_refuses_a_database_that_holds_data(county):
    with pytest.raises(Refused):
        generate(preset="county", reindex=False, out=lambda _line: None)


def test_it_refuses_data_it_did_not_make(db):
    Organization.objects.create(name="某政协", level=Organization.Level.CITY)
    with pytest.raises(Refused):
        generate(preset="county", reindex=False, out=lambda _line: None)
    assert not ScaleRun.objects.exists()
