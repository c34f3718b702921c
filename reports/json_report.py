"""JSON: the result contract itself (documented in the README).

Indented to the level of plan versions, with each violation on a line of its own: readable and
diffable. The pieces are encoded by orjson: an indented `json.dumps` runs in pure Python and takes
seconds on a result with tens of thousands of violations.
"""

from __future__ import annotations

from typing import Any

from plankoll.results import dumps


def encode(value: Any) -> str:
    return dumps(value).decode("utf-8")


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
            lines.append(f"  {encode(key)}: [")
            lines.extend(f"    {encode(v)}{',' if k < len(value) - 1 else ''}" for k, v in enumerate(value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {encode(key)}: {encode(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _plan(lines: list[str], plan: dict[str, Any], comma: str) -> None:
    head = encode({k: v for k, v in plan.items() if k != "violations"})
    found = plan.get("violations", [])
    opening = f"{head[:-1]}{',' if len(head) > 2 else ''}\"violations\":["
    if not found:
        lines.append(f"    {opening}]}}{comma}")
        return
    lines.append(f"    {opening}")
    lines.extend(f"      {encode(v)}{',' if k < len(found) - 1 else ''}" for k, v in enumerate(found))
    lines.append(f"    ]}}{comma}")
