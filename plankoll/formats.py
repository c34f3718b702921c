"""The output formats: one registry that the command line, the documentation and the tests read.

Each format has a name, the option that writes it to a file, whether it may go to stdout (as
`--format`, or as a flag that prints to stdout), and its renderer (a module of plankoll.reports
with `render(result) -> str`). Only one format may write to stdout in a run; the text output and
GitHub's annotations are the one pair that share it (annotations are commands to the runner,
read line by line, and the text is for the person reading the log).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # plankoll.reports.<module>
    file_option: str | None  # the option that writes it to a file ("--html FILE"); None: stdout only
    stdout: str  # "format": may be chosen by --format; "flag": printed to stdout by its own flag; "": file only
    help: str


FORMATS: tuple[Format, ...] = (
    Format("text", "text", None, "format", "Text grouped per plan version, with a summary line (the default)."),
    Format("json", "json_report", None, "format", "The JSON result (format version 1): every finding, notice, exception and the audit trail."),
    Format("markdown", "markdown", "--markdown", "format", "A Markdown summary for a pull-request comment (capped at 65,000 characters)."),
    Format("html", "html", "--html", "", "A self-contained HTML report for auditors."),
    Format("junit", "junit", "--junit", "", "JUnit XML for CI test views."),
    Format("sarif", "sarif", "--sarif", "", "SARIF 2.1.0 for code scanning."),
    Format("codequality", "codequality", "--codequality", "", "GitLab Code Quality JSON."),
    Format("github", "github", None, "flag", "GitHub Actions workflow annotations, printed to stdout (--github)."),
)
BY_NAME = {f.name: f for f in FORMATS}
STDOUT_FORMATS = tuple(f.name for f in FORMATS if f.stdout == "format")
FILE_FORMATS = tuple(f for f in FORMATS if f.file_option)


def render(name: str, result: dict) -> str:
    import importlib

    return importlib.import_module(f"plankoll.reports.{BY_NAME[name].module}").render(result)


def stdout_conflict(fmt: str, output: bool, github: bool) -> str | None:
    """Why the chosen formats cannot share stdout, or None."""
    if github and not output and fmt != "text":
        return f"--format {fmt} and --github would both write to stdout; give --output FILE for the {fmt} output"
    return None
