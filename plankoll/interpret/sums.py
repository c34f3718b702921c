"""Which rows of a numeric table are totals of which: from the layout, never from the figures.

- A row labelled as a total (Summa, Totalt, "Summa X", "X totalt") sums the rows since the
  previous total or section row; a section row is a label with empty cells and opens a group.
- A total that has no rows of its own since the previous total sums the subtotals before it and
  the rows outside any group (a grand total).
- A total at the top of a table sums the rows below it.
- Rows whose labels repeat under different group rows ("Somatik", "Psykiatri" under
  "Läkarbesök" and under "Övriga besök") make those group rows subtotals of the rows under them.
- "varav"/"därav" rows are parts of the row above, not addends.
Parts that cannot be placed (a total whose candidate parts repeat a label) give a notice instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RowInfo:
    id: str
    label: str
    total: bool
    section: bool
    part_of_above: bool


@dataclass
class Structure:
    sums: dict[str, list[str]] = field(default_factory=dict)  # total row id → part row ids
    unplaced: list[str] = field(default_factory=list)  # total row ids whose parts could not be placed
    how: dict[str, str] = field(default_factory=dict)  # total row id → how its parts were found


def _repeated_groups(rows: list[RowInfo]) -> dict[int, list[int]]:
    """Group rows whose runs of sub-rows repeat labels: header index → member indices."""
    plain = [i for i, r in enumerate(rows) if not (r.total or r.section or r.part_of_above)]
    labels = [rows[i].label.lower() for i in plain]
    repeated = {lab for lab in labels if labels.count(lab) > 1}
    if not repeated:
        return {}
    first_repeated = next(lab for lab in labels if lab in repeated)
    starts = [plain[k] for k, lab in enumerate(labels) if lab == first_repeated]
    groups: dict[int, list[int]] = {}
    for n, start in enumerate(starts):
        header = start - 1
        if header < 0 or rows[header].total or rows[header].section or rows[header].label.lower() in repeated:
            return {}
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(rows)
        groups[header] = [i for i in range(start, end) if not (rows[i].total or rows[i].section or rows[i].part_of_above)]
    return groups


def infer(rows: list[RowInfo]) -> Structure:
    out = Structure()
    groups = _repeated_groups(rows)
    for header, members in groups.items():
        out.sums[rows[header].id] = [rows[i].id for i in members]
        out.how[rows[header].id] = "group"
    grouped = {i for members in groups.values() for i in members}
    subtotals: list[int] = list(groups)
    since: list[int] = []
    outside: list[int] = []
    sectioned = opened = False  # the table opens its groups with section rows; the current run was opened by one
    for i, row in enumerate(rows):
        if row.section:
            since, sectioned, opened = [], True, True
            continue
        if row.part_of_above:
            continue
        if not row.total:
            if i not in groups:
                since.append(i)
                if i not in grouped:
                    outside.append(i)
            continue
        if i == 0 or all(r.section for r in rows[:i]):
            parts = [j for j in range(i + 1, len(rows)) if not (rows[j].total or rows[j].section or rows[j].part_of_above)]
            _place(out, rows, i, parts, "top")
        elif since and not (subtotals and groups) and not (subtotals and _last_total(rows, i) and (len(since) == 1 or (sectioned and not opened))):
            _place(out, rows, i, since, "since")
            subtotals.append(i)
            outside = [j for j in outside if j not in since]
        else:
            _place(out, rows, i, sorted([*subtotals, *outside]), "grand")
        since, opened = [], False
    return out


def _last_total(rows: list[RowInfo], i: int) -> bool:
    """The last total row of a table: after subtotals, the grand total (a one-part subtotal may stand before it)."""
    return not any(r.total for r in rows[i + 1:])


def _place(out: Structure, rows: list[RowInfo], total: int, parts: list[int], how: str) -> None:
    labels = [rows[j].label.lower() for j in parts]
    if not parts or len(set(labels)) < len(labels):
        out.unplaced.append(rows[total].id)
        return
    out.sums[rows[total].id] = [rows[j].id for j in parts]
    out.how[rows[total].id] = how
