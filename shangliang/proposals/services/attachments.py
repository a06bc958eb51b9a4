"""A proposal's attachments: the type is read from the content (magic bytes), never from
the name; the count and size limits come from the committee's proposal settings."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from shangliang.core import uploads
from shangliang.core.audit import audit_record
from shangliang.core.errors import Conflict, Forbidden, Invalid, NotFound
from shangliang.proposals.models import Attachment, Proposal
from shangliang.proposals.steps import settings_for

EDITABLE = (Proposal.Status.DRAFT, Proposal.Status.RETURNED)
ALLOWED_LABEL = "PDF、Word、Excel、PowerPoint、JPG、PNG"


def sniff(fp: IO[bytes], name: str) -> tuple[str, str] | None:
    """(extension, content type) of an allowed file, from its first bytes, or None."""
    return uploads.sniff(fp, name)


def _display_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name.strip() or "attachment"
    return base[-200:]


@transaction.atomic
def proposal_add_attachment(*, actor: Any, proposal: Proposal, file: Any) -> Attachment:
    """Attach an uploaded file (a Django ``UploadedFile`` or any file object with a name)."""
    if proposal.author.user_id != actor.pk:
        raise Forbidden()
    if proposal.status not in EDITABLE:
        raise Conflict(_("这件提案已经提交，不能再添加附件。"))
    conf = settings_for(proposal.org)
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()  # count under a lock
    if proposal.attachments.count() >= conf.max_attachments:
        raise Invalid(
            _("附件最多 %(n)s 个。") % {"n": conf.max_attachments}, fields={"file": [_("已达上限")]}
        )
    name = _display_name(str(getattr(file, "name", "") or ""))
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        raise Invalid(_("文件是空的。"), fields={"file": [_("空文件")]})
    if size > conf.max_attachment_mb * 1024 * 1024:
        raise Invalid(
            _("单个附件不能超过 %(n)s MB。") % {"n": conf.max_attachment_mb},
            fields={"file": [_("文件过大")]},
        )
    kind = sniff(file, name)
    if kind is None:
        raise Invalid(
            _("“%(name)s”不是允许的文件类型（只接受 %(types)s）。")
            % {"name": name, "types": ALLOWED_LABEL},
            fields={"file": [_("类型不允许")]},
        )
    ext, content_type = kind
    stored = File(file, name=f"{uuid.uuid4().hex}.{ext}")
    attachment = Attachment.objects.create(
        proposal=proposal,
        file=stored,
        name=name,
        size=size,
        content_type=content_type,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="proposals.attachment_added",
        target=proposal,
        data={"attachment": attachment.pk, "name": name, "size": size, "type": ext},
    )
    return attachment


@transaction.atomic
def proposal_remove_attachment(*, actor: Any, proposal: Proposal, attachment_id: int) -> None:
    if proposal.author.user_id != actor.pk:
        raise Forbidden()
    if proposal.status not in EDITABLE:
        raise Conflict(_("这件提案已经提交，不能再删除附件。"))
    attachment = proposal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    name, stored = attachment.name, attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    audit_record(
        actor=actor,
        action="proposals.attachment_removed",
        target=proposal,
        data={"attachment": attachment_id, "name": name},
    )
