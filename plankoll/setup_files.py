"""`plankoll init`: ready set-ups for a plan repository, written without overwriting anything.

- plankoll.toml, every setting with a comment;
- .github/workflows/plankoll.yml: a pull request is checked against its target branch
  (--baseline-ref), with annotations, a job summary and SARIF for code scanning;
- .gitlab-ci.yml (or .gitlab-ci.plankoll.yml to include, when there is one): a merge request is
  checked the same way, publishing GitLab Code Quality and JUnit reports;
- .pre-commit-config.yaml: the hook of plankoll's repository (.pre-commit-hooks.yaml) on staged
  plan versions.
"""

from __future__ import annotations

from pathlib import Path

from plankoll import __version__

WRITTEN, LEFT_ALONE = "written", "exists, left alone"
# where pre-commit fetches the hook from: the repository that holds .pre-commit-hooks.yaml (a mirror
# of plankoll's repository in the organisation's own forge is typical; `plankoll init --hook-repo URL`)
HOOK_REPO = "https://github.com/plankoll/plankoll"
GITLAB_SNIPPET = ".gitlab-ci.plankoll.yml"

CONFIG = """\
# plankoll's configuration for this plan repository: `plankoll check` reads it from the directory
# it runs in (see `plankoll rules` for the active rules, `plankoll explain PK101` for one).

# Rulebooks in order: "default" ships with plankoll; add your own, e.g. "rules/extra.yaml".
rulebooks = ["default"]

# Rules not to run, e.g. ["PK605"].
disable = []

# The lowest severity that makes `plankoll check` exit 1: "error", "warning" or "never".
fail_on = "error"

# The language of messages and reports: "sv" or "en".
lang = "sv"

# Severities overridden per rule.
[severity]
# PK302 = "warning"

# A declared exception for a whole rule, with its reason: every report lists it, none drops it.
# (An exception for one element stands in the plan file: waivers: {{PK501: "reason"}}.)
# [[waivers]]
# rule = "PK501"
# plan = "nll-.*"                          # optional: a regular expression on the plan id
# element = "indicator:nll-sjukfranvaro"   # optional: a regular expression on the element
# reason = "Sjukfrånvaro redovisas könsuppdelat i personalbokslutet."

# What documents read directly (Word, PDF, Excel) do not print; a sidecar plan.docx.meta.yaml wins.
# [import]
# organisation = "Region Exempel"
# body = "Regionstyrelsen"
# body_kind = "styrelse"
"""

WORKFLOW = """\
# plankoll: every pull request's plan versions checked against its target branch.
# Only violations the pull request adds (new) or worsens (changed) fail the check; known ones are
# listed, not annotated as errors. Written by `plankoll init` (plankoll {version}).
name: plankoll

on:
  pull_request:

permissions:
  contents: read
  security-events: write  # SARIF to code scanning

jobs:
  plankoll:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # the target branch's plan versions are read from git (--baseline-ref)
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install plankoll
        run: pip install "plankoll=={version}"
      - name: Check the plan versions against the target branch
        run: >-
          plankoll check {plans} --baseline-ref origin/${{{{ github.base_ref }}}}
          --github --sarif plankoll.sarif --markdown "$GITHUB_STEP_SUMMARY"
      - name: Upload the findings to code scanning
        # also when the check failed; not from forks, whose token cannot write security events
        if: always() && hashFiles('plankoll.sarif') != '' && github.event.pull_request.head.repo.full_name == github.repository
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: plankoll.sarif
          category: plankoll
"""

GITLAB = """\
# plankoll: every merge request's plan versions checked against its target branch, published as
# GitLab Code Quality (the merge request widget) and JUnit (the test report). Only violations the
# merge request adds or worsens fail the job. Written by `plankoll init` (plankoll {version}).
plankoll:
  image: python:3.12  # with git, which --baseline-ref uses
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: "0"
  before_script:
    - pip install "plankoll=={version}"
    - git fetch origin "+refs/heads/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME:refs/remotes/origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
  script:
    - plankoll check {plans} --baseline-ref "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --codequality gl-code-quality.json --junit plankoll-junit.xml
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality.json
      junit: plankoll-junit.xml
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): plankoll checks the plan versions a commit stages.
# `pip install pre-commit && pre-commit install` once per clone. Written by `plankoll init`.
repos:
  - repo: {repo}
    rev: v{version}
    hooks:
      - id: plankoll
"""


def _write(path: Path, text: str) -> str:
    """Create the file; an existing one (even one made meanwhile) is left as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError:
        return LEFT_ALONE
    return WRITTEN


def files(plans: str = "plans/", hook_repo: str = HOOK_REPO) -> dict[str, str]:
    """Relative path → content of each set-up file (the GitLab job under its own name)."""
    values = {"version": __version__, "plans": plans, "repo": hook_repo}
    return {
        "plankoll.toml": CONFIG.format(**values),
        ".github/workflows/plankoll.yml": WORKFLOW.format(**values),
        ".gitlab-ci.yml": GITLAB.format(**values),
        ".pre-commit-config.yaml": PRE_COMMIT.format(**values),
    }


def init(root: Path, plans: str = "plans/", hook_repo: str = HOOK_REPO) -> list[tuple[Path, str]]:
    """Write the set-up files under root: (path, "written" | "exists, left alone") for each.

    Where .gitlab-ci.yml exists, the job goes to .gitlab-ci.plankoll.yml, and the status of that
    file says how to include it."""
    out = []
    for rel, text in files(plans, hook_repo).items():
        path = root / rel
        if rel == ".gitlab-ci.yml" and path.exists():
            out.append((path, LEFT_ALONE))
            snippet = root / GITLAB_SNIPPET
            status = _write(snippet, text)
            if status == WRITTEN:
                status += f" (include it from .gitlab-ci.yml: include: [{{local: {GITLAB_SNIPPET}}}])"
            out.append((snippet, status))
        else:
            out.append((path, _write(path, text)))
    return out
