from __future__ import annotations

from pathlib import Path

from django.conf import settings

from shangliang.core.diagrams import workflow_markdown
from shangliang.core.workflow import REGISTRY


def test_the_docs_diagrams_are_up_to_date():
    assert REGISTRY, "no workflow registered"
    for wf in REGISTRY.values():
        path = Path(settings.BASE_DIR) / "docs" / "workflows" / f"{wf.name}.md"
        assert path.exists(), f"{path} missing: run make diagram"
        assert path.read_text(encoding="utf-8") == workflow_markdown(wf), "run make diagram"


def test_every_edge_is_drawn():
    wf = next(w for w in REGISTRY.values() if w.name == "accounts.membership")
    text = workflow_markdown(wf)
    for source, target, action in wf.edges():
        assert f"{source} --> {target}: {action.label}" in text
