"""A full disk while a member uploads an attachment: a clear error, no row, no stray file."""

from __future__ import annotations

import errno
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from shangliang.core.audit import history_for
from shangliang.proposals.models import Attachment
from shangliang.proposals.tests.member_office_cast import draft

PDF = b"%PDF-1.4\n" + b"x" * 4000


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def full_disk(monkeypatch):
    def write_half_then_fail(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:  # the disk filled up half-way through the write
            fh.write(b"%PDF-1.4\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", write_half_then_fail)


def _files(root) -> list[object]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_it_tells_the_member_and_leaves_nothing_behind(world, media, full_disk):
    p = draft(world)
    before = history_for(p).count()
    client = world.client_for(world.member)
    upload = SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
    response = client.post(f"/proposals/{p.pk}/attachments/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "服务器存储空间已满，文件没有保存" in response.content.decode()
    assert not Attachment.objects.exists()
    assert history_for(p).count() == before  # no audit row for an upload that failed
    assert _files(media) == []  # the partial file is gone


def test_it_still_saves_when_there_is_room(world, media):
    p = draft(world)
    client = world.client_for(world.member)
    upload = SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")
    client.post(f"/proposals/{p.pk}/attachments/", {"file": upload})
    a = Attachment.objects.get()
    assert a.file.read() == PDF and len(_files(media)) == 1


def test_other_storage_errors_are_not_hidden(world, media, monkeypatch):
    from shangliang.core.storage import SafeFileSystemStorage

    def denied(self, name, content):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(FileSystemStorage, "_save", denied)
    with pytest.raises(PermissionError):
        SafeFileSystemStorage(location=media).save("a.txt", SimpleUploadedFile("a.txt", b"a"))
