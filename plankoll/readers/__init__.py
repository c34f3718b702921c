"""Readers: one per input format, each turning a file into a `plankoll.layout.Layout`.

Readers know formats and nothing of plans. The suffix decides the reader; plan-version YAML
(`*.plan.yaml`) is read by `plankoll.loader` itself.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from plankoll.layout import Layout, ReadError

# suffix → module of plankoll.readers (each has read(path, data) -> Layout)
READERS = {".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".pdf": "pdf", ".xlsx": "xlsx"}
# what a directory given to `check` is searched for, beside *.plan.yaml (Markdown and text files
# in a plan repository are mostly documentation, so they are read only when named)
DIRECTORY_SUFFIXES = (".docx", ".pdf", ".xlsx")


def is_document(path: Path) -> bool:
    return path.suffix.lower() in READERS


def found_in_directory(name: str) -> bool:
    """A document a directory search picks up: Word, PDF and Excel files, but not Office's lock files (~$plan.docx)."""
    return name.lower().endswith(DIRECTORY_SUFFIXES) and not name.startswith("~$")


def read_bytes(path: Path, limit: int, what: str) -> bytes:
    """A document's bytes, refused when the file is larger than `limit` ("too large for a Word
    document: over 200 MB"); the error names the file."""
    from plankoll.layout import Location

    try:
        if path.stat().st_size > limit:
            raise ReadError(f"too large for {what}: over {limit // 2**20} MB", Location(str(path)))
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror}", Location(str(path))) from None


def read(path: Path, data: bytes | None = None) -> Layout:
    """The layout of one document; ReadError when it cannot be read."""
    module = importlib.import_module(f"plankoll.readers.{READERS[path.suffix.lower()]}")
    return module.read(path, data)


__all__ = ["DIRECTORY_SUFFIXES", "READERS", "ReadError", "found_in_directory", "is_document", "read", "read_bytes"]
