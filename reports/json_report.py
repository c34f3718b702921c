"""JSON: the result contract itself (documented in the README)."""

from __future__ import annotations

import json
from typing import Any


def render(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"
