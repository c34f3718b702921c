"""`plankoll history` and `plankoll init`, registered on plankoll.cli's group.

Kept light as plankoll.cli is: git, pandas and the checks load only inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from plankoll.cli import _config, _fail, _write, main

WORDS = {
    "sv": {"new": "ny", "changed": "ändrad", "resolved": "åtgärdad", "was": "var", "none": "Inga planversioner ändrades i historiken.",
           "counts": "{error} fel, {warning} varningar, {info} info, {waived} undantagna, {input_errors} olästa filer",
           "shallow": "förrådet är en grund klon: historiken börjar vid dess äldsta hämtade incheckning (hämta allt med `git fetch --unshallow`)"},
    "en": {"new": "new", "changed": "changed", "resolved": "resolved", "was": "was", "none": "No plan version changed in the history.",
           "counts": "{error} errors, {warning} warnings, {info} info, {waived} waived, {input_errors} unreadable files",
           "shallow": "the repository is a shallow clone: the history starts at its oldest fetched commit (fetch it all with `git fetch --unshallow`)"},
}


def _item_line(mark: str, item: dict[str, Any], words: dict[str, str]) -> str:
    figures = f"{item['expected']} / {item['actual']}"
    if "base" in item:
        figures = f"{words['was']} {item['base']['expected']} / {item['base']['actual']}, {figures}"
    return f"    {mark} {item['rule']} {item['plan']} {item['element']} ({figures}) · {item['file']}"


def history_text(entries: list[dict[str, Any]], lang: str) -> str:
    """Per commit, oldest first: date, commit, author, subject; the counts; then what it made new (+),
    changed (~) and resolved (−)."""
    words = WORDS[lang]
    if not entries:
        return words["none"] + "\n"
    lines = []
    for e in entries:
        lines.append(f"{e['date'][:10]}  {e['commit'][:10]}  {e['author']}  {e['subject']}")
        lines.append("    " + words["counts"].format(**e["counts"])
                     + f" · +{len(e['new'])} {words['new']}, ~{len(e['changed'])} {words['changed']}, −{len(e['resolved'])} {words['resolved']}")
        for mark, state in (("+", "new"), ("~", "changed"), ("−", "resolved")):
            lines += [_item_line(mark, item, words) for item in e[state]]
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the output to FILE instead of stdout.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None, help="Language of messages (default: sv, or lang in the config).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="plankoll.toml or pyproject.toml to use (default: the one in the current directory).")
def history(paths: tuple[Path, ...], fmt: str, output: Path | None, lang: str | None, config_path: Path | None) -> None:
    """Walk the git history of the plan versions under PATHS (default: .), oldest first.

    For each commit that changed a plan version: its date, author and subject, the counts of the
    versions at that commit, and the violations it made new, changed (other figures) or resolved,
    against its first parent. The current configuration's rules apply to every commit.
    """
    from plankoll.gitbase import GitError, is_shallow, repo_root_of
    from plankoll.history import history as walk
    from plankoll.rules import RulebookError

    chosen = list(paths) or [Path(".")]
    config = _config(config_path)
    lang = lang or config.lang or "sv"
    try:
        root = repo_root_of(chosen)
        if is_shallow(root):
            click.echo(f"plankoll: {WORDS[lang]['shallow']}", err=True)
        entries = walk(chosen, root, config, lang)
    except (GitError, RulebookError) as exc:
        _fail(str(exc))
    if fmt == "json":
        import json

        text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    else:
        text = history_text(entries, lang)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--plans", default="plans/", show_default=True, help="Where the plan versions stand, for the CI set-ups.")
@click.option("--hook-repo", default=None, metavar="URL",
              help="The git repository pre-commit fetches plankoll's hook from (default: plankoll's public repository).")
def init(directory: Path, plans: str, hook_repo: str | None) -> None:
    """Write ready set-ups into a plan repository (DIRECTORY, default: .), never overwriting a file:
    plankoll.toml, a GitHub Actions workflow, a GitLab CI job (a snippet to include when
    .gitlab-ci.yml exists) and a pre-commit configuration."""
    from plankoll.setup_files import HOOK_REPO
    from plankoll.setup_files import init as write_files

    try:
        done = write_files(directory, plans, hook_repo or HOOK_REPO)
    except OSError as exc:
        _fail(f"cannot write into {directory}: {exc.strerror or exc}")
    for path, status in done:
        click.echo(f"{path}: {status}")
