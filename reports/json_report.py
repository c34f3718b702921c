"""JSON: the result contract itself (documented in the README), indented by two spaces.

Encoded by orjson: `json.dumps` with an indent runs in pure Python and takes seconds on a result
with tens of thousands of violations.
"""

from __future__ import annotations

from typing import Any

from plankoll.results import dumps


def render(result: dict[str, Any]) -> str:
    return dumps(result, indent=True).decode("utf-8") + "\n"
