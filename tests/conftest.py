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
