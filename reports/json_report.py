"""JSON: the result contract itself (documented in the README), indented by two spaces.

Encoded by orjson: `json.dumps` with an indent runs in pure Python and takes seconds on a result
with tens of thousands of violations. An internal error keeps `"internal": true` but not its
traceback (`detail`): that goes to the crash file the command line names, never into a report.
"""

from __future__ import annotations

from typing import Any

from plankoll.results import dumps


def render(result: dict[str, Any]) -> str:
    if any("detail" in e for e in result["errors"]):
        result = {**result, "errors": [{k: v for k, v in e.items() if k != "detail"} for e in result["errors"]]}
    return dumps(result, indent=True).decode("utf-8") + "\n"
