"""Plan versions as they stand at a git revision, read straight from git's objects.

The CI gate compares a pull request with its target branch. Instead of a worktree and a JSON file
from a separate run, the base versions are read with the `git` program (`rev-parse`, `ls-tree`,
`cat-file --batch`) and checked from a temporary directory that is removed afterwards; nothing is
checked out and the repository's index and worktree are never touched.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from plankoll.loader import SUFFIXES

SIDECAR = ".meta.yaml"  # a document's metadata beside it (plankoll.importer.SIDECAR): its reading depends on it
FETCH_HINT = ("fetch it first (e.g. `git fetch origin main`; in GitHub Actions give actions/checkout `fetch-depth: 0`, "
              "in GitLab CI set `GIT_DEPTH: 0`)")


class GitError(Exception):
    """git could not answer: no repository, an unknown revision, a shallow clone without it."""


def git(repo_root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run git in the repository; --literal-pathspecs so that a file name is never a pattern."""
    try:
        done = subprocess.run(["git", "-C", str(repo_root), "--literal-pathspecs", *args],  # noqa: S603, S607 - git from PATH, no shell
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("the git program is not installed (or not on PATH)") from None
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
        raise GitError(f"git {args[0]}: {message}")
    return done


def repo_root_of(paths: Iterable[Path]) -> Path:
    """The top of the git repository holding the first path (or the current directory)."""
    start = next(iter(paths), Path("."))
    start = Path(os.path.abspath(start))
    while not start.is_dir() and start != start.parent:
        start = start.parent  # a path deleted in the worktree still belongs to the repository above it
    done = git(start, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise GitError(f"{start} is not inside a git repository (--baseline-ref and history read plan versions from git)")
    return Path(done.stdout.decode("utf-8", "surrogateescape").strip())


def is_shallow(repo_root: Path) -> bool:
    return git(repo_root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"


def resolve(ref: str, repo_root: Path) -> str:
    """The commit REF names; a GitError saying how to fetch it when this clone does not have it."""
    if not ref or ref.startswith("-"):
        raise GitError(f"{ref!r} is not a revision")  # never an option of rev-parse
    done = git(repo_root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if done.returncode == 0:
        return done.stdout.decode("ascii").strip()
    if is_shallow(repo_root):
        raise GitError(f"{ref} is not in this repository, which is a shallow clone: {FETCH_HINT}")
    raise GitError(f"{ref} is not a commit in this repository: {FETCH_HINT}")


def relative_paths(paths: Iterable[Path], repo_root: Path) -> list[str]:
    """The paths as git names them: relative to the top of the repository, with '/' ('' for the top)."""
    top = os.path.realpath(repo_root)
    out = []
    for path in paths:
        real = os.path.realpath(path)
        rel = os.path.relpath(real, top)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            raise GitError(f"{path} is outside the git repository {repo_root}")
        out.append("" if rel == os.curdir else rel.replace(os.sep, "/"))
    return out


def found(name: str) -> bool:
    """A file plankoll's directory search picks up (as plankoll.loader._walk does)."""
    from plankoll.readers import found_in_directory

    return name.endswith(SUFFIXES) or found_in_directory(name)


def wanted(path: str, rels: list[str]) -> bool:
    """Whether `check rels...` would read this file (or it is a document's sidecar under them)."""
    name = path.rsplit("/", 1)[-1]
    for rel in rels:
        if path == rel:
            return True  # a file named on the command line is read whatever its suffix
        if rel == "" or path.startswith(rel + "/"):
            if found(name) or (name.endswith(SIDECAR) and found(name[: -len(SIDECAR)])):
                return True
    return False


def listing(commit: str, rels: list[str], repo_root: Path) -> dict[str, str]:
    """{path: blob id} of the plan versions (and sidecars) under rels at a commit, from `git ls-tree`."""
    pathspecs = [r for r in rels if r] if all(rels) else []
    out = git(repo_root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs).stdout
    entries = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, blob = meta.split(b" ")
        path = name.decode("utf-8", "surrogateescape")
        # symbolic links (120000) and submodules (commit) hold no plan version of their own
        if kind == b"blob" and mode in (b"100644", b"100755") and wanted(path, rels):
            entries[path] = blob.decode("ascii")
    return entries


class Blobs:
    """One `git cat-file --batch` process for all the blobs a run reads (not one process per file)."""

    def __init__(self, repo_root: Path):
        self.process = subprocess.Popen(["git", "-C", str(repo_root), "cat-file", "--batch"],  # noqa: S603, S607
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def read(self, blob: str) -> bytes:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(blob.encode("ascii") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3:
            raise GitError(f"git cat-file: cannot read object {blob}")
        data = self.process.stdout.read(int(header[2]) + 1)  # the object and a newline
        return data[:-1]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def base_files(ref: str, paths: list[Path], repo_root: Path) -> dict[str, bytes]:
    """{path relative to the repository: bytes} of the plan versions under `paths` at REF.

    A path that does not exist at REF contributes nothing (an empty base is not an error)."""
    commit = resolve(ref, repo_root)
    entries = listing(commit, relative_paths(paths, repo_root), repo_root)
    with Blobs(repo_root) as blobs:
        return {path: blobs.read(blob) for path, blob in entries.items()}


def materialise(root: Path, files: dict[str, bytes]) -> None:
    """Write files under root at their relative paths (documents are read by file name, sidecars beside them)."""
    for rel, data in files.items():
        target = root.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def targets(root: Path, rels: list[str], files: dict[str, bytes]) -> list[tuple[Path, str]]:
    """(path in the mirror, relative path) of each given path that exists at the base, in the given order."""
    out = []
    for rel in rels:
        under = [f for f in files if rel == "" or f == rel or f.startswith(rel + "/")]
        if under:
            out.append((root.joinpath(*rel.split("/")) if rel else root, rel))
    return out


def relabel(value: Any, renames: list[tuple[str, str]]) -> Any:
    """The result with every mirror path written as the user wrote the path it stands for."""
    if isinstance(value, dict):
        return {k: relabel(v, renames) for k, v in value.items()}
    if isinstance(value, list):
        return [relabel(v, renames) for v in value]
    if isinstance(value, str):
        for old, new in renames:
            # with the separator, so that plans/ never rewrites plans2/
            value = new if value == old else value.replace(old + os.sep, new + os.sep if new else "")
    return value


def empty_result(config: Any, fail_on: str, lang: str) -> dict[str, Any]:
    """The result of a base without plan versions (a first pull request): nothing known yet."""
    from plankoll import results
    from plankoll.config import active_rules

    return results.finish([], [], active_rules(config), fail_on, lang)


def check_base(ref: str, paths: list[Path], config: Any, lang: str = "sv", repo_root: Path | None = None,
               fail_on: str = "never") -> dict[str, Any]:
    """The result of checking the plan versions under `paths` as they stand at REF (no cache).

    Files are named as the user named `paths` (relative to the repository when run from its top),
    and the result says which commit it is: result["baseline_ref"] = {"ref", "commit"}."""
    from plankoll.run import check_paths

    root = repo_root or repo_root_of(paths)
    commit = resolve(ref, root)
    rels = relative_paths(paths, root)
    files = base_files(commit, paths, root)
    with tempfile.TemporaryDirectory(prefix="plankoll-base-") as tmp:
        mirror = Path(tmp)
        materialise(mirror, files)
        chosen = targets(mirror, rels, files)
        result = check_paths([p for p, _ in chosen], config, fail_on=fail_on, lang=lang) if chosen else empty_result(config, fail_on, lang)
        spelled = dict(zip(rels, paths, strict=True))
        renames = sorted(((str(p), str(spelled[rel])) for p, rel in chosen), key=lambda r: -len(r[0]))
        result = relabel(result, renames)
    result["baseline_ref"] = {"ref": ref, "commit": commit}
    return result


def iter_commits(rels: list[str], repo_root: Path) -> Iterator[dict[str, Any]]:
    """The commits that changed the paths, oldest first: commit, parents, date (ISO 8601), author, subject."""
    pathspecs = [r for r in rels if r] if all(rels) else []
    out = git(repo_root, "log", "--reverse", "--format=%H%x00%P%x00%aI%x00%an%x00%s", "--", *pathspecs).stdout
    for line in out.decode("utf-8", "replace").splitlines():
        commit, parents, date, author, subject = line.split("\0")
        yield {"commit": commit, "parents": parents.split(), "date": date, "author": author, "subject": subject}
