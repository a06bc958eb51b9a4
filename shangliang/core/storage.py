"""Uploaded files: the file system storage, with a full disk turned into a clear error.

A disk that fills up while a file is being written raises ``StorageFull`` (a domain error:
the page shows its message, the API answers 507) instead of a bare 500, and the partly
written file is removed. The row that would have pointed at it is never committed, since
the service that saves a file does so inside its transaction.
"""

from __future__ import annotations

import errno
import logging
from typing import Any

from django.core.files.storage import FileSystemStorage

from shangliang.core.errors import StorageFull

log = logging.getLogger(__name__)

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class SafeFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        try:
            return str(super()._save(name, content))  # type: ignore[misc]
        except OSError as exc:
            if exc.errno not in FULL:
                raise
            log.error("storage full while saving %s: %s", name, exc)
            try:
                if self.exists(name):
                    self.delete(name)
            except OSError:
                log.exception("could not remove the partial file %s", name)
            raise StorageFull() from exc
