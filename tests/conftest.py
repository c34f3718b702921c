from __future__ import annotations

from pathlib import Path

import pytest
from helpers import plan_text


@pytest.fixture
def write_plan(tmp_path: Path):
    def write(body: str, name: str = "test.plan.yaml", **kwargs) -> Path:
        path = tmp_path / name
        path.write_text(plan_text(body, **kwargs), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Tests never read or write the user's cache (parsed plan versions and kept results)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
