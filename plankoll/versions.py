"""The order of documents and versions: which of two is the later one."""

from __future__ import annotations

import re
from typing import Any


def natural(text: str | None) -> tuple[tuple[int, int | str], ...]:
    """'0.9' < '0.29' < '0.32': runs of digits compare as numbers, the rest as text."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in re.findall(r"\d+|\D+", text or ""))


def version_order(adopted: str | None, label: str | None, file: str | None) -> tuple[Any, ...]:
    """Versions of one plan: drafts (no adopted date) before adopted ones, adopted ones by date;
    then the version label in natural order; then the file name."""
    return (1 if adopted else 0, adopted or "", natural(label), file or "")
