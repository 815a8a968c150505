"""Which inputs to read and how: stdin, files, directory walks, format dispatch and metadata sidecars.

Every input yields articles or problems, never an exception: a missing path, an unreadable file or a broken
record is reported as an `IngestProblem` and the next input is read.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from rashomon.errors import IngestError
from rashomon.ingest.decode import Decoded, decode, read_path, read_stream
from rashomon.ingest.html import parse_html
from rashomon.ingest.jsonl import parse_json, parse_json_lines
from rashomon.ingest.metadata import SIDECAR_NAME, Metadata, load_metadata
from rashomon.ingest.tabular import parse_csv, parse_tsv
from rashomon.ingest.text import parse_text
from rashomon.model import Article, IngestProblem
from rashomon.settings import Settings

STDIN = "-"
# A corpus folder may hold the Rashomon database itself (rashomon.db, with SQLite's companion files while it
# is open); a walk passes over such files rather than report each as a binary file.
DATABASE_SUFFIXES = tuple(
    base + companion for base in (".db", ".sqlite", ".sqlite3") for companion in ("", "-wal", "-shm", "-journal")
)

Item = Article | IngestProblem
Parser = Callable[[Decoded, str], Iterable[Item]]


def _single(parse: Callable[[Decoded, str], Article]) -> Parser:
    """A parser for formats holding one article per file, in the shape of the many-article ones."""

    def parse_one(decoded: Decoded, source: str) -> Iterable[Item]:
        return (parse(decoded, source),)

    return parse_one


PARSERS_BY_SUFFIX: Mapping[str, Parser] = {
    ".txt": _single(parse_text),
    ".text": _single(parse_text),
    ".md": _single(parse_text),
    ".html": _single(parse_html),
    ".htm": _single(parse_html),
    ".xhtml": _single(parse_html),
    ".jsonl": parse_json_lines,
    ".ndjson": parse_json_lines,
    ".json": parse_json,
    ".csv": parse_csv,
    ".tsv": parse_tsv,
}


def read_sources(
    paths: Sequence[str | Path], settings: Settings, metadata: Metadata | None = None
) -> Iterator[Article | IngestProblem]:
    """Read every input in ``paths`` ("-" is stdin; directories are walked); see `rashomon.ingest`."""
    if isinstance(paths, str | Path):
        # a lone "corpus" would otherwise be read as the paths "c", "o", "r", ...
        raise TypeError(f"read_sources takes a sequence of paths, not the single path {str(paths)!r}")
    for raw in paths:
        if str(raw) == STDIN:
            yield from _read_stdin(settings, metadata)
        else:
            yield from _read_path(Path(raw), str(raw), settings, metadata)


def sniff_parser(text: str) -> Parser:
    """The parser for text whose format its name does not tell: HTML, JSON lines or plain text."""
    start = text.lstrip()
    if start.startswith("<"):
        return _single(parse_html)
    if start.startswith("{") and _is_json_object(start.partition("\n")[0]):
        return parse_json_lines
    if start.startswith("["):
        return parse_json
    return _single(parse_text)


def parser_for(path: Path, decoded: Decoded) -> Parser:
    """The parser for ``path`` by its extension, or by sniffing its text when the extension is unknown."""
    return PARSERS_BY_SUFFIX.get(path.suffix.lower()) or sniff_parser(decoded.text)


def is_skipped(name: str) -> bool:
    """Whether a directory walk passes over this name: hidden, the sidecar, a README, a database file."""
    return (
        name.startswith(".")
        or name == SIDECAR_NAME
        or Path(name).stem.lower() == "readme"
        or name.lower().endswith(DATABASE_SUFFIXES)
    )


def walk(folder: Path) -> Iterator[Path | IngestProblem]:
    """The files under ``folder``, in sorted order, depth first; problems for folders that cannot be listed.

    Symbolic links to folders are not followed, so a link loop cannot make the walk endless.
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield IngestProblem(str(folder), f"cannot list directory: {exc.strerror or exc}")
        return
    for entry in entries:
        if is_skipped(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(folder / entry.name)
        elif entry.is_file():
            yield folder / entry.name


def _read_stdin(settings: Settings, metadata: Metadata | None) -> Iterator[Item]:
    try:
        decoded = decode(read_stream(sys.stdin.buffer, STDIN, settings.max_file_bytes), STDIN)
    except IngestError as exc:
        yield _problem(exc)
        return
    yield from _parse(sniff_parser(decoded.text), decoded, STDIN, metadata)


def _read_file(path: Path, source: str, settings: Settings, metadata: Metadata | None) -> Iterator[Item]:
    try:
        decoded = decode(read_path(path, source, settings.max_file_bytes), source)
    except IngestError as exc:
        yield _problem(exc)
        return
    yield from _parse(parser_for(path, decoded), decoded, source, metadata)


def _parse(parser: Parser, decoded: Decoded, source: str, metadata: Metadata | None) -> Iterator[Item]:
    try:
        for item in parser(decoded, source):
            yield _with_metadata(item, metadata)
    except IngestError as exc:
        yield _problem(exc)


def _read_path(path: Path, source: str, settings: Settings, metadata: Metadata | None) -> Iterator[Item]:
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # e.g. a parent folder we may not enter
        yield IngestProblem(source, f"cannot read: {exc.strerror or exc}")
        return
    if is_dir:
        yield from _read_directory(path, settings, metadata)
    elif exists:
        yield from _read_with_sidecar(path, source, settings, metadata, _Sidecars(path.parent))
    else:
        yield IngestProblem(source, "no such file or directory")


def _read_directory(root: Path, settings: Settings, metadata: Metadata | None) -> Iterator[Item]:
    sidecars = _Sidecars(root)
    found = False
    for entry in walk(root):
        if isinstance(entry, IngestProblem):
            yield entry
        else:
            found = True
            yield from _read_with_sidecar(entry, str(entry), settings, metadata, sidecars)
    if not found:
        yield IngestProblem(str(root), "no files to read (hidden, README, metadata.csv and database files are skipped)")


def _read_with_sidecar(
    path: Path, source: str, settings: Settings, metadata: Metadata | None, sidecars: _Sidecars
) -> Iterator[Item]:
    """Read ``path`` with the explicit ``metadata`` if there is one, else with its nearest sidecar."""
    if metadata is None:
        metadata, problem = sidecars.nearest(path)
        if problem is not None:
            yield problem
    yield from _read_file(path, source, settings, metadata)


class _Sidecars:
    """The sidecars of a directory walk: each file gets the nearest one up to the walk's root, loaded once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[Path, Metadata | None] = {}

    def nearest(self, file: Path) -> tuple[Metadata | None, IngestProblem | None]:
        """The sidecar for ``file``, and a problem the first time a sidecar turns out to be unreadable."""
        folder = file.parent
        while True:
            if (folder / SIDECAR_NAME).is_file():
                return self._load(folder)
            if folder == self.root or folder == folder.parent:
                return None, None
            folder = folder.parent

    def _load(self, folder: Path) -> tuple[Metadata | None, IngestProblem | None]:
        if folder in self._loaded:
            return self._loaded[folder], None
        try:
            self._loaded[folder] = load_metadata(folder / SIDECAR_NAME)
            return self._loaded[folder], None
        except IngestError as exc:
            # The files are still read, without the sidecar's values; the problem tells the user to fix it.
            self._loaded[folder] = None
            return None, _problem(exc)


def _with_metadata(item: Item, metadata: Metadata | None) -> Item:
    if metadata is None or not isinstance(item, Article):
        return item
    return replace(item, meta=metadata.apply(item.meta))


def _problem(exc: IngestError) -> IngestProblem:
    return IngestProblem(exc.source, exc.message, exc.line)


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False
