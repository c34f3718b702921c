"""The README's rule list is generated from the rulebook, never copied by hand."""

from __future__ import annotations

from helpers import REPO

from plankoll.docs import readme_with_rules
from plankoll.rules import load_rulebooks


def test_readme_rule_table_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rules = load_rulebooks(None)
    assert readme == readme_with_rules(readme, rules), "run `python -m plankoll.docs` to regenerate the README's rule table"
    for rule in rules:
        assert f"| {rule.id} |" in readme
