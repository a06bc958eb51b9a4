"""Builders for the member and proposal-office tests: drafts and proposals made through
the services and the engine, never by writing states directly."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from shangliang.accounts.models import Membership, Role, User
from shangliang.core.workflow import transition
from shangliang.proposals.models import Proposal
from shangliang.proposals.services.drafting import (
    proposal_act,
    proposal_create_draft,
    proposal_invite_cosigners,
)
from shangliang.testing import World, make_member, make_role

TITLE = "关于推进县域义务教育优质均衡发展的建议"
TEXT = {
    "title": TITLE,
    "situation": "县域内城乡学校办学条件差距较大。",
    "suggestions": "一是统筹教师编制；二是加大薄弱学校投入。",
    "category": "社会",
}


def office_of(world: World, org: Any = None, username: str = "p_office") -> User:
    return make_role(org or world.province, Role.Kind.PROPOSAL_OFFICE, username=username)


def second_member(world: World, name: str = "省委员乙", username: str = "member2") -> Membership:
    return make_member(world.province, world.terms[world.province.pk], username=username, name=name)


def draft(world: World, **fields: Any) -> Proposal:
    values = {**TEXT, **fields}
    return proposal_create_draft(actor=world.member, membership=world.member_m, **values)


def submitted(world: World, **fields: Any) -> Proposal:
    p = draft(world, **fields)
    return proposal_act(actor=world.member, proposal=p, action="submit")


def joint(world: World, cosigner: Membership, **fields: Any) -> Proposal:
    p = draft(world, kind=Proposal.Kind.JOINT, **fields)
    proposal_invite_cosigners(actor=world.member, proposal=p, memberships=[cosigner.pk])
    return p


def accepted(world: World, office: User, **fields: Any) -> Proposal:
    p = submitted(world, **fields)
    for _stage in range(3):
        p = transition(p, "review", actor=office, outcome="accept")
    return p


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 60


def ooxml(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "<x/>")
    return buf.getvalue()
