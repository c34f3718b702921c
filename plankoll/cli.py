"""The command line. Kept light: pandas, pandera and the check kinds load only inside commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plankoll import __version__

EXIT_CLEAN, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
from plankoll.formats import STDOUT_FORMATS  # noqa: E402 - the registry is light (no pandas): fast start holds


def entry() -> None:
    """The `plankoll` command: click's main, with the exit codes of the reliability contract —
    130 when interrupted, 3 with a traceback file for a bug, never a traceback on the screen."""
    try:
        code = main.main(standalone_mode=False, prog_name="plankoll")
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("plankoll: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_INPUT)
    except Exception as exc:
        import traceback

        path = crash_file("".join(traceback.format_exception(exc)))
        click.echo(f"plankoll: internal error ({type(exc).__name__}: {str(exc)[:200]}); the traceback is in {path} (please report it)",
                   err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)


def _fail(message: str) -> None:
    click.echo(f"plankoll: {message}", err=True)
    sys.exit(EXIT_INPUT)


def _config(config_path: Path | None):  # type: ignore[no-untyped-def]
    from plankoll.config import find_config, load_config
    from plankoll.rules import RulebookError

    try:
        return load_config(config_path or find_config(Path.cwd()))
    except RulebookError as exc:
        _fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plankoll")
def main() -> None:
    """plankoll: rule-based validation of Swedish regional and municipal plans.

    Checks plan versions (*.plan.yaml, or Word, Markdown and text documents read directly) against declarative rules: totals equal their rows,
    targets have a baseline and a source, measures about people are split by sex, follow-up
    periods are valid. Exit codes: 0 clean, 1 violations at or above --fail-on, 2 unusable
    input or usage.
    """


def _report_options(func):  # type: ignore[no-untyped-def]
    """One --NAME FILE option per file format of the registry (plankoll.formats)."""
    from plankoll.formats import FILE_FORMATS

    for fmt in reversed(FILE_FORMATS):
        func = click.option(fmt.file_option, f"{fmt.name}_path", type=click.Path(dir_okay=False, path_type=Path),
                            help=f"Also write this to FILE: {fmt.help}")(func)
    return func


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(STDOUT_FORMATS), default="text", show_default=True, help="Output format (stdout, or --output).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the output to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: error, or fail_on in the config).")
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None, help="Language of messages (default: sv, or lang in the config).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="plankoll.toml or pyproject.toml to use (default: the one in the current directory).")
@click.option("--select", "select", multiple=True, metavar="RULES",
              help="Only these rules: ids or prefixes, comma-separated or repeated (PK5, PK101); on top of the configuration.")
@click.option("--ignore", "ignore", multiple=True, metavar="RULES", help="Not these rules: ids or prefixes (PK6, PK305).")
@click.option("--baseline", "baseline_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON result of an earlier run: only violations that are new or changed since it make the exit code 1.")
@click.option("--baseline-ref", metavar="REF",
              help="Compare with the plan versions at REF, read from git (e.g. origin/main): only new and changed violations fail.")
@click.option("--fail-on-changed/--no-fail-on-changed", default=True, show_default=True,
              help="Whether a known violation whose figures changed (a total that got worse) fails the run.")
@click.option("--history", "with_history", is_flag=True, help="Say since which commit each violation stands (the inputs are in git).")
@_report_options
@click.option("--github", is_flag=True, help="Also print GitHub Actions workflow annotations to stdout, after the text output.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line (text output).")
@click.option("--statistics", is_flag=True, help="Print the number of violations per rule.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where parsed plan versions and the results of the last run are kept, so that a re-check only checks "
                   "what changed (default: $XDG_CACHE_HOME/plankoll or ~/.cache/plankoll).")
@click.option("--no-cache", is_flag=True, help="Check everything afresh; neither read nor write the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for checking many plan versions (default: CPU count, at most 8).")
@click.option("--timings", "timings_path", type=click.Path(dir_okay=False, path_type=Path), hidden=True,
              help="Write the run's wall time, CPU time of reading and of rules, and counts, as JSON (for the benchmark).")
def check(paths: tuple[Path, ...], fmt: str, output: Path | None, fail_on: str | None, lang: str | None, config_path: Path | None,
          select: tuple[str, ...], ignore: tuple[str, ...], baseline_path: Path | None, baseline_ref: str | None, fail_on_changed: bool,
          with_history: bool, github: bool, quiet: bool, statistics: bool, cache_dir: Path | None, no_cache: bool, jobs: int | None,
          timings_path: Path | None, **report_paths: Path | None) -> None:
    """Check the plan versions found under PATHS (files or directories, recursively; default: the
    current directory).

    A directory is searched for *.plan.yaml and Word, PDF and Excel documents (not Office's ~$ lock
    files); Markdown (.md) and text (.txt) documents are checked when named. Each --FORMAT FILE
    option writes one more report beside the --format output; several may be given in one run.
    """
    from plankoll.formats import stdout_conflict

    conflict = stdout_conflict(fmt, output is not None, github)
    if conflict:
        _fail(conflict)
    if baseline_path and baseline_ref:
        _fail("--baseline and --baseline-ref exclude each other")
    paths = paths or (Path("."),)
    config = _selected(_config(config_path), select, ignore)
    fail_on = fail_on or config.fail_on or "error"
    lang = lang or config.lang or "sv"
    base = _base(baseline_path, baseline_ref, list(paths), config, lang)
    # only the JSON report reads every kept result: it splices them in undecoded (see results.finish)
    json_only = fmt == "json" and not any(report_paths.values()) and not (
        base is not None or with_history or github or statistics)
    result, timings, inputs = _run(list(paths), config, fail_on, lang, jobs, None if no_cache else (cache_dir or default_cache_dir()), json_only)
    if base is not None:
        _apply_base(result, base, fail_on, fail_on_changed, baseline_path)
    if with_history:
        _mark_history(result, list(paths), config, lang)
    _finish(result, config, fmt, output, github, quiet, statistics, timings_path, timings, report_paths, inputs,
            {"paths": [str(p) for p in paths], "format": fmt, "fail_on": fail_on, "lang": lang, "baseline": baseline_path,
             "baseline_ref": baseline_ref, "select": list(select), "ignore": list(ignore), "github": github, "cache": not no_cache,
             **{k: v for k, v in report_paths.items() if v}})


def _selected(config, select: tuple[str, ...], ignore: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    def ids(values: tuple[str, ...]) -> list[str]:
        return [p.strip().upper() for v in values for p in v.split(",") if p.strip()]

    return replace(config, select=ids(select) or config.select, ignore=[*config.ignore, *ids(ignore)])


def _base(baseline_path: Path | None, baseline_ref: str | None, paths: list[Path], config, lang: str) -> dict | None:  # type: ignore[no-untyped-def]
    """The result to compare with: read from a JSON file, or checked from git at a ref (before the
    current check, so that a bad ref fails fast)."""
    if baseline_ref:
        from plankoll.gitbase import GitError, check_base
        from plankoll.rules import RulebookError

        try:
            return check_base(baseline_ref, paths, config, lang)
        except (GitError, RulebookError) as exc:
            _fail(str(exc))
    if baseline_path:
        import json

        try:
            base = json.loads(baseline_path.read_text(encoding="utf-8"))
        except RecursionError:
            _fail(f"{baseline_path}: cannot use as a baseline: nested too deeply")
        except (ValueError, OSError) as exc:
            _fail(f"{baseline_path}: cannot use as a baseline: {exc}")
        return base
    return None


def _run(paths: list[Path], config, fail_on: str, lang: str, jobs: int | None, cache_dir: Path | None,  # type: ignore[no-untyped-def]
         encoded: bool = False) -> tuple[dict, dict, dict]:
    """(result, timings, the size and SHA-256 of the inputs the run knows)."""
    from plankoll.rules import RulebookError
    from plankoll.run import check_paths

    timings: dict[str, float] = {}
    inputs: dict[str, dict] = {}
    try:
        result = check_paths(paths, config, fail_on=fail_on, lang=lang, jobs=jobs, progress=True, cache_dir=cache_dir, timings=timings,
                             inputs=inputs, encoded=encoded)
    except RulebookError as exc:
        _fail(str(exc))
    return result, timings, inputs


def _apply_base(result: dict, base: dict, fail_on: str, fail_on_changed: bool, baseline_path: Path | None) -> None:
    from plankoll.states import apply_states

    try:
        apply_states(result, base, fail_on, fail_on_changed)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        _fail(f"{baseline_path}: cannot use as a baseline: {exc}")
    if baseline_path:
        result["summary"]["baseline"] = {"file": str(baseline_path)}


def _mark_history(result: dict, paths: list[Path], config, lang: str) -> None:  # type: ignore[no-untyped-def]
    from plankoll.gitbase import GitError, repo_root_of
    from plankoll.history import history, mark_since, since

    try:
        mark_since(result, since(history(paths, repo_root_of(paths), config, lang)))
    except GitError as exc:
        _fail(str(exc))


def _finish(result: dict, config, fmt: str, output: Path | None, github: bool, quiet: bool, statistics: bool,  # type: ignore[no-untyped-def]
            timings_path: Path | None, timings: dict, report_paths: dict[str, Path | None], inputs: dict, options: dict) -> None:
    from plankoll import audit
    from plankoll.formats import render

    result["verdict"] = audit.verdict(result)
    if fmt == "json" or report_paths.get("html_path") or report_paths.get("sarif_path"):
        # the audit trail: when, with what rules and configuration, on which bytes, with which options
        result["run"] = audit.trail(result, config, options, inputs)
    text = render(fmt, result)
    # every report is rendered before any is written, and each is written whole (renamed into
    # place): an interrupted run leaves the previous reports as they were
    files = [(path, render(key.removesuffix("_path"), result)) for key, path in report_paths.items() if path]
    if output:
        files.insert(0, (output, text))
    if timings_path:
        import json

        files.append((timings_path, json.dumps(timings)))
    for path, content in files:
        _write(path, content)
    if not output:
        click.echo(text.rstrip("\n").rsplit("\n", 1)[-1] + "\n" if quiet and fmt == "text" else text, nl=False)
    if statistics:
        click.echo(_statistics(result), nl=False)
    if github:
        click.echo(render("github", result), nl=False)
    sys.exit(_exit_code(result))


def _statistics(result: dict) -> str:
    """Violations per rule, most first (waived ones apart), as ruff --statistics prints them."""
    from collections import Counter

    from plankoll.i18n import t

    counts = Counter((v["rule"], v["severity"]) for p in result["plans"] for v in p["violations"] if v["waived"] is None)
    titles = {r["id"]: r["title"] for r in result["rules"]}
    lang = result.get("lang", "sv")
    return "".join(f"{n:>5}  {rule:<6} {t(lang, severity):<8} {titles.get(rule, '')}\n" for (rule, severity), n in counts.most_common())


def _exit_code(result: dict) -> int:
    internal = [e for e in result["errors"] if e.get("internal")]
    if internal:
        click.echo(f"plankoll: internal error on {len(internal)} file(s); {_crash_note(internal)}", err=True)
        return EXIT_INTERNAL
    if result["errors"] or result["summary"].get("rules_failed"):
        return EXIT_INPUT
    return EXIT_VIOLATIONS if result["summary"]["failed"] else EXIT_CLEAN


def _crash_note(internal: list[dict]) -> str:
    """Write what a bug left behind to a file, and say where."""
    detail = "\n\n".join(f"{e['file']}:\n{e.get('detail') or e['message']}" for e in internal)
    return f"the traceback is in {crash_file(detail)} (please report it)"


def crash_file(detail: str) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile("w", prefix="plankoll-crash-", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write(detail)
        return fh.name


def default_cache_dir() -> Path:
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plankoll"


def _write(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed into place when complete."""
    import os
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
                # a file name that is not UTF-8 is written as its escape (\udce4), keeping the file UTF-8
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


@main.command(name="import")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the plan version (YAML) to FILE instead of stdout.")
@click.option("--explain", is_flag=True, help="Also say how each table was read (to stderr): column roles, totals, footnotes, notices.")
@click.option("--organisation", help="The organisation, when the document does not print it.")
@click.option("--body", help="The styrelse, nämnd or division, when the document does not print it.")
@click.option("--body-kind", type=click.Choice(["fullmäktige", "styrelse", "nämnd", "division", "förvaltning", "direktör"]))
@click.option("--document-kind", "document_kind",
              type=click.Choice(["regionplan", "verksamhetsplan", "delårsrapport", "tertialrapport", "årsredovisning", "rapport"]))
@click.option("--period", help="The plan period as FIRST-LAST, e.g. 2024-2026.")
@click.option("--version-label", help="The version, e.g. '0.3' or 'Fastställd 2024-06-12'.")
@click.option("--status", type=click.Choice(["utkast", "fastställd", "reviderad"]))
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True, help="Language of --explain's notices.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="plankoll.toml or pyproject.toml whose [import] and [vocabulary] sections apply (default: the one in the current directory).")
def import_(document: Path, output: Path | None, explain: bool, organisation: str | None, body: str | None, body_kind: str | None,
            document_kind: str | None, period: str | None, version_label: str | None, status: str | None, lang: str,
            config_path: Path | None) -> None:
    """Read a Word, Markdown or text DOCUMENT and write it as a plan version (*.plan.yaml).

    Figures are written as printed; every indicator, table and row names its place in the
    document. `plankoll check` on the document and on the written file give the same findings.
    """
    from plankoll import importer
    from plankoll.importer import explain_text, import_document, to_yaml
    from plankoll.interpret import MetadataMissing
    from plankoll.layout import ReadError
    from plankoll.readers import is_document

    if not is_document(document):
        _fail(f"{document}: not a document plankoll reads (.docx, .md, .txt)")
    importer.configure(_config(config_path))
    given = _given_meta(organisation, body, body_kind, document_kind, period, version_label, status)
    try:
        plan, result = import_document(document, given=given)
    except MetadataMissing as exc:
        _fail(f"{document}: {exc}: give them as options (--organisation, --body, --document-kind, --period, --version-label) "
              f"or in {document.name}.meta.yaml beside it")
    except (ReadError, ValueError) as exc:
        _fail(f"{document}: {exc}")
    text = to_yaml(plan, result.locations, str(document))
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)
    if explain:
        click.echo(explain_text(result, lang), err=True, nl=False)


def _given_meta(organisation: str | None, body: str | None, body_kind: str | None, document_kind: str | None, period: str | None,
                version_label: str | None, status: str | None) -> dict:
    given: dict = {"organisation": organisation, "body": body, "body_kind": body_kind, "document": document_kind}
    if period:
        import re

        m = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*|\s*(\d{4})\s*", period)
        if not m:
            _fail(f"--period must be FIRST-LAST (e.g. 2024-2026) or one year, not {period!r}")
        first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(3))
        given["period"] = {"first": int(first), "last": int(last)}
    if version_label or status:
        given["version"] = {"label": version_label or status, "status": status or "utkast"}
    return {k: v for k, v in given.items() if v is not None}


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the schema to FILE.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the plan-version format."""
    import json

    from plankoll.model import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def rules(lang: str | None, config_path: Path | None) -> None:
    """List the active rules (after the config's rulebooks, severities and disabled rules)."""
    from tabulate import tabulate

    from plankoll.config import active_rules
    from plankoll.rules import RulebookError

    config = _config(config_path)
    lang = lang or config.lang or "sv"
    try:
        ruleset = active_rules(config)
    except RulebookError as exc:
        _fail(str(exc))
    rows = [[r.id, r.kind, r.severity, r.spec.title.get(lang)] for r in ruleset.rules]
    rows += [[rule_id, "-", "disabled", f"({where})"] for rule_id, where in ruleset.disabled.items()]
    click.echo(tabulate(rows, headers=["id", "kind", "severity", "title"], tablefmt="simple"))


@main.command()
@click.argument("rule_id")
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def explain(rule_id: str, lang: str | None, config_path: Path | None) -> None:
    """Print the documentation of RULE_ID, generated from its metadata."""
    from plankoll.config import active_rules
    from plankoll.docs import explain_rule
    from plankoll.rules import RulebookError, load_rulebooks

    config = _config(config_path)
    lang = lang or config.lang or "sv"
    try:
        ruleset = active_rules(config)
        rule = ruleset.get(rule_id.upper()) or next((r for r in load_rulebooks(config.rulebooks) if r.id == rule_id.upper()), None)
    except RulebookError as exc:
        _fail(str(exc))
    if rule is None:
        _fail(f"unknown rule {rule_id} (see `plankoll rules`)")
    click.echo(explain_rule(rule, lang), nl=False)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def template(path: Path, force: bool) -> None:
    """Write the plankoll workbook (.xlsx) to PATH, to fill in: a sheet for the plan, one for the
    indicators and their values, one per table, with drop-downs, help on every header and a
    filled-in example. `plankoll check` and `plankoll import` read it back."""
    from plankoll.layout import ReadError
    from plankoll.workbook import write_template

    if path.suffix.lower() != ".xlsx":
        _fail(f"{path}: the workbook must be an .xlsx file")
    if path.exists() and not force:
        _fail(f"{path} exists: give --force to overwrite it")
    try:
        write_template(path)
    except ReadError as exc:
        _fail(str(exc))
    click.echo(f"wrote {path}", err=True)


@main.command()
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The workbook (.xlsx) to write.")
def export(plan_file: Path, output: Path) -> None:
    """Write the plan version PLAN_FILE (*.plan.yaml, or a document plankoll reads) as a plankoll
    workbook: figures as printed text, every field and value in its cell; `import` of the
    workbook gives the same plan version back."""
    from plankoll.layout import ReadError
    from plankoll.loader import LoadedPlan, load_file
    from plankoll.workbook import export_plan

    if output.suffix.lower() != ".xlsx":
        _fail(f"{output}: the workbook must be an .xlsx file")
    loaded = load_file(plan_file)
    if not isinstance(loaded, LoadedPlan):
        _fail("; ".join(f"{e.file}{f':{e.line}' if e.line else ''}: {e.message}" for e in loaded))
    try:
        export_plan(loaded.plan, output)
    except (ReadError, ValueError) as exc:
        _fail(f"{plan_file}: {exc}")
    click.echo(f"wrote {output}", err=True)


from plankoll import cli_git  # noqa: E402,F401 - registers `history` and `init` on the group
