"""The Markdown reader: each construct read into the layout model with the place it stands."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankoll.layout import Heading, Layout, Location, Paragraph, ReadError, Table
from plankoll.readers.markdown import read, read_text


def blocks(text: str) -> list:
    return read_text(text, "plan.md").blocks


def tables(layout: Layout) -> list[Table]:
    return [block for block in layout.blocks if isinstance(block, Table)]


def grid(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def test_headings_atx_and_setext_with_levels_and_lines():
    found = blocks("# Verksamhetsplan\n\nMål och budget\n==============\n\n### Ekonomi ###\n\nPersonal\n--------\n")
    assert [(b.text, b.level, b.location.line) for b in found] == [
        ("Verksamhetsplan", 1, 1),
        ("Mål och budget", 1, 3),
        ("Ekonomi", 3, 6),
        ("Personal", 2, 8),
    ]
    assert all(isinstance(b, Heading) for b in found)
    assert found[0].location == Location("plan.md", line=1)


def test_paragraph_spanning_lines_starts_at_its_first_line():
    found = blocks("# Rubrik\n\nFörsta raden med *betoning*,\n`kod` och [en länk](https://example.se)  \nsista raden.\n")
    paragraph = found[1]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.location.line == 3
    assert paragraph.style is None
    assert paragraph.text == "Första raden med betoning, kod och en länk sista raden."


def test_list_items_quotes_and_code_blocks():
    found = blocks("- ett\n- **två**\n  fortsätter\n  1. inre\n\n> citerat\n> stycke\n\n```yaml\nmål: 1\n```\n")
    assert [(b.text, b.style, b.location.line) for b in found] == [
        ("ett", "list", 1),
        ("två fortsätter", "list", 2),
        ("inre", "list", 4),
        ("citerat stycke", "quote", 6),
        ("mål: 1", "code", 9),
    ]


def test_pipe_table_keeps_swedish_figures_and_cell_locations():
    text = (
        "Inledning\n"
        "\n"
        "| Mått | Utfall | Förändring |\n"
        "|------|-------:|-----------:|\n"
        "| Intäkter | 1 369 635 | 5,0 % |\n"
        "| Kostnader \\| netto | 1\u00a0402\u00a0118 | −11,2 % |\n"
    )
    layout = read_text(text, "plan.md")
    (table,) = tables(layout)
    assert table.location == Location("plan.md", line=3, table=1)
    assert table.header_rows == 1
    assert grid(table) == [
        ["Mått", "Utfall", "Förändring"],
        ["Intäkter", "1 369 635", "5,0 %"],
        ["Kostnader | netto", "1\u00a0402\u00a0118", "−11,2 %"],
    ]
    assert [cell.header for cell in table.rows[0]] == [True, True, True]
    assert not any(cell.header for row in table.rows[1:] for cell in row)
    assert table.rows[1][2].location == Location("plan.md", line=5, table=1, row=2, column=3)
    assert [row[0].location.line for row in table.rows] == [3, 5, 6]
    assert [(cell.location.row, cell.location.column) for cell in table.rows[2]] == [(3, 1), (3, 2), (3, 3)]


HTML_TABLE = """\
Före tabellen.

<table>
  <thead>
    <tr>
      <th rowspan="2">Styrmått</th>
      <th colspan="3">Periodens utfall</th>
    </tr>
    <tr><th>Totalt</th><th>K</th><th>M</th></tr>
  </thead>
  <tbody>
    <tr><td>Andel &amp; antal</td><td>1 369</td><td>700</td><td><b>669</b></td></tr>
  </tbody>
</table>
"""


def test_html_table_with_spanned_two_row_header():
    layout = read_text(HTML_TABLE, "plan.md")
    (table,) = tables(layout)
    assert table.location == Location("plan.md", line=3, table=1)
    assert table.header_rows == 2
    assert grid(table) == [
        ["Styrmått", "Periodens utfall", "Periodens utfall", "Periodens utfall"],
        ["Styrmått", "Totalt", "K", "M"],
        ["Andel & antal", "1 369", "700", "669"],
    ]
    top, second, body = table.rows
    assert [(c.origin, c.col_span) for c in top[1:]] == [(True, 3), (False, 3), (False, 3)]
    assert (top[0].origin, top[0].row_span, second[0].origin) == (True, 2, False)
    assert all(cell.header for cell in top + second)
    assert not any(cell.header for cell in body)
    assert body[3].bold and not body[2].bold
    assert [row[0].location.line for row in table.rows] == [5, 9, 12]
    assert second[0].location == Location("plan.md", line=9, table=1, row=2, column=1)
    assert top[3].location == Location("plan.md", line=5, table=1, row=1, column=4)


def test_html_table_with_blank_lines_and_a_nested_table():
    text = "| a |\n|---|\n| 1 |\n\n<table>\n<tr><td>yttre<table><tr><td>inre</td></tr></table> slut</td>\n\n<td>2</td></tr>\n</table>\n\nEfter.\n"
    layout = read_text(text, "plan.md")
    _pipe, outer, inner = tables(layout)
    assert grid(outer) == [["yttre slut", "2"]]
    assert (outer.location.table, outer.nested, outer.header_rows) == (2, False, None)
    assert grid(inner) == [["inre"]] and inner.nested and inner.location == Location("plan.md", line=6, table=3)
    assert [b.text for b in layout.blocks if isinstance(b, Paragraph)] == ["Efter."]


def test_footnote_in_table_cell_is_linked_to_its_definition():
    text = "| Mått | Utfall |\n|---|---|\n| Intäkter[^4] | 5,0 %[^4] |\n| Kostnader¹ | 3 [^x] |\n\n[^4]: Källa: *Cognos*,\n    bokslut 2024.\n"
    layout = read_text(text, "plan.md")
    (table,) = tables(layout)
    assert grid(table)[1] == ["Intäkter", "5,0 %"]
    assert table.rows[1][0].notes == ["footnote:4"] and table.rows[1][1].notes == ["footnote:4"]
    # Printed marks and undefined references are the interpreter's business: they stay as printed.
    assert grid(table)[2] == ["Kostnader¹", "3 [^x]"]
    note = layout.notes["footnote:4"]
    assert (note.text, note.kind, note.mark, note.location) == ("Källa: Cognos, bokslut 2024.", "footnote", "4", Location("plan.md", line=6))
    assert len(layout.blocks) == 1  # the definition is no paragraph


def test_footnote_in_paragraph_and_escaped_or_fenced_marks():
    text = "Text[^a] och \\[^a] kvar.\n\n```\n[^a]: i kod\n```\n\n[^a]: Noten.\n"
    layout = read_text(text, "plan.md")
    paragraph, code = layout.blocks
    assert (paragraph.text, paragraph.notes) == ("Text och [^a] kvar.", ["footnote:a"])
    assert code.text == "[^a]: i kod"
    assert layout.notes["footnote:a"].text == "Noten."


def test_inline_html_is_flattened():
    found = blocks("Diagram 3 visar utfallet. <i>Källa: Cognos</i><br>Rad två\n\n<i>Källa: Cognos</i>\n\n<div>\n<p>Not <b>fet</b></p>\n</div>\n")
    assert [(b.text, b.location.line) for b in found] == [
        ("Diagram 3 visar utfallet. Källa: Cognos Rad två", 1),
        ("Källa: Cognos", 3),
        ("Not fet", 6),
    ]


def test_non_utf8_file_names_the_line(tmp_path: Path):
    path = tmp_path / "plan.md"
    path.write_bytes("# Plan\n\nRad 3\nM\u00e5l\n".encode("latin-1"))
    with pytest.raises(ReadError, match=r"not UTF-8 text: .* at line 4 \(save it as UTF-8\)") as caught:
        read(path)
    assert caught.value.location == Location(str(path), line=4)


def test_utf8_with_bom_from_bytes():
    layout = read("plan.md", "\ufeff# Mål\n".encode())
    assert (layout.file, layout.format) == ("plan.md", "markdown")
    assert [(b.text, b.location.line) for b in layout.blocks] == [("Mål", 1)]


def test_empty_file_has_no_blocks(tmp_path: Path):
    path = tmp_path / "tom.md"
    path.write_bytes(b"")
    layout = read(path)
    assert (layout.blocks, layout.notes, layout.properties, layout.format) == ([], {}, {}, "markdown")


def test_front_matter_gives_properties_and_keeps_line_numbers():
    text = '---\ntitle: Verksamhetsplan 2025\norganisation: "Region Exempel"  # kommentar\nnyckelord: [a, b]\nmeta:\n  djup: nej\n---\n# Inledning\n'
    layout = read_text(text, "plan.md")
    assert layout.properties == {"title": "Verksamhetsplan 2025", "organisation": "Region Exempel"}
    assert [(b.text, b.location.line) for b in layout.blocks] == [("Inledning", 8)]


def test_thematic_break_at_top_is_not_front_matter():
    layout = read_text("---\n\nText\n\n---\n", "plan.md")
    assert layout.properties == {}
    assert [(b.text, b.location.line) for b in layout.blocks] == [("Text", 3)]
