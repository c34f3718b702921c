"""JSON: the result contract itself (documented in the README).

Indented to the level of plan versions, with each violation on a line of its own: readable and
diffable, and written by the C encoder (an indented `json.dumps` runs in pure Python, which takes
seconds on a result with tens of thousands of violations).
"""

from __future__ import annotations

import json
from typing import Any

_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def render(result: dict[str, Any]) -> str:
    lines = ["{"]
    items = list(result.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if key == "plans":
            lines.append(f'  "plans": [{"" if value else "]" + comma}')
            for j, plan in enumerate(value):
                _plan(lines, plan, "," if j < len(value) - 1 else "")
            if value:
                lines.append(f"  ]{comma}")
        elif isinstance(value, list) and value:
            lines.append(f"  {_compact(key)}: [")
            lines.extend(f"    {_compact(v)}{',' if k < len(value) - 1 else ''}" for k, v in enumerate(value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {_compact(key)}: {_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _plan(lines: list[str], plan: dict[str, Any], comma: str) -> None:
    head = {k: v for k, v in plan.items() if k != "violations"}
    found = plan.get("violations", [])
    lines.append(f"    {_compact(head)[:-1]}, \"violations\": [{'' if found else ']}' + comma}")
    if found:
        lines.extend(f"      {_compact(v)}{',' if k < len(found) - 1 else ''}" for k, v in enumerate(found))
        lines.append(f"    ]}}{comma}")
