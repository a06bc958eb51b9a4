from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded roster files go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
