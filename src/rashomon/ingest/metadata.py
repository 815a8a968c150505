"""The metadata sidecar: a CSV table giving, per input file, what the file itself does not say.

Plain-text articles rarely state their outlet or date. A sidecar ``metadata.csv`` gives them, a row per file::

    file,outlet,published,url,title,author
    000_773654e305254d5b.txt,UK politics site,,,,
    003_de6bcb39d1aac536.txt,Pro-Kremlin outlet,2019-04-30,,,

``file`` is matched against the input's path relative to the sidecar's folder, then against its base name; for
records of a JSON lines or CSV file, ``news.jsonl#3`` names one record and ``news.jsonl`` all of them. Empty
cells mean unknown. A value given in the sidecar wins over what the source says about itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from rashomon.errors import IngestError
from rashomon.ingest.decode import decode, read_path
from rashomon.ingest.values import parse_iso_date
from rashomon.model import ArticleMeta

SIDECAR_NAME = "metadata.csv"
COLUMNS = ("file", "outlet", "published", "url", "title", "author")
# A sidecar is a small table of file names; anything bigger is a mistake (an article CSV in the wrong place).
MAX_SIDECAR_BYTES = 10 * 1024 * 1024
# "news.jsonl#12": a record of a JSON lines or CSV file.
_RECORD_SUFFIX = re.compile(r"#\d+$")


@dataclass(frozen=True, slots=True)
class MetaOverride:
    """The metadata one sidecar row gives; None where its cell is empty."""

    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None

    def apply(self, meta: ArticleMeta) -> ArticleMeta:
        """``meta`` with every value this row gives replacing the source's own."""
        return ArticleMeta(
            source_path=meta.source_path,
            url=self.url if self.url is not None else meta.url,
            outlet=self.outlet if self.outlet is not None else meta.outlet,
            title=self.title if self.title is not None else meta.title,
            published=self.published if self.published is not None else meta.published,
            author=self.author if self.author is not None else meta.author,
            language=meta.language,
        )


class Metadata(Mapping[str, MetaOverride]):
    """A loaded sidecar: a read-only mapping from the ``file`` column to that row's values."""

    __slots__ = ("_entries", "folder")

    def __init__(self, entries: Mapping[str, MetaOverride] | None = None, folder: Path | None = None) -> None:
        self._entries: Mapping[str, MetaOverride] = MappingProxyType(dict(entries or {}))
        # Paths are matched relative to this folder (the sidecar's); None matches base names only.
        self.folder = folder

    def __getitem__(self, key: str) -> MetaOverride:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Metadata({len(self)} entries, folder={self.folder!s})"

    def lookup(self, source_path: str) -> MetaOverride | None:
        """The row for an article's ``source_path`` (``ArticleMeta.source_path``), if the sidecar has one."""
        return next((self[key] for key in self._keys_for(source_path) if key in self), None)

    def apply(self, meta: ArticleMeta) -> ArticleMeta:
        """``meta`` with the sidecar's values for its file, or unchanged if the sidecar does not list it."""
        override = self.lookup(meta.source_path)
        return override.apply(meta) if override is not None else meta

    def _keys_for(self, source_path: str) -> Iterator[str]:
        """The keys that may name ``source_path``, most specific first."""
        suffix_match = _RECORD_SUFFIX.search(source_path)
        suffix = suffix_match[0] if suffix_match else ""
        path = Path(source_path.removesuffix(suffix))
        names = [name for name in (self._relative(path), path.name) if name]
        for name in names:
            if suffix:
                yield name + suffix
        yield from names

    def _relative(self, path: Path) -> str | None:
        if self.folder is None:
            return None
        try:
            return path.resolve().relative_to(self.folder.resolve()).as_posix()
        except (ValueError, OSError):
            return None


def load_metadata(path: Path) -> Metadata:
    """Read the sidecar at ``path``; `IngestError` naming the sidecar and line if a row is wrong."""
    source = str(path)
    text = decode(read_path(path, source, MAX_SIDECAR_BYTES), source).text
    entries: dict[str, MetaOverride] = {}
    first_seen: dict[str, int] = {}
    for line, cells in _rows(text, source):
        key = _file_key(cells.get("file", ""), source, line)
        if key in first_seen:
            raise IngestError(source, f"{key!r} is listed twice (first on line {first_seen[key]})", line)
        first_seen[key] = line
        entries[key] = _override(cells, source, line)
    return Metadata(entries, path.parent)


def _rows(text: str, source: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The non-blank rows, each with the line it starts on, as cells by lower-cased column name."""
    reader = csv.reader(io.StringIO(text), strict=True)  # a broken quote must not swallow rows
    start = 1
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        if "file" not in header:
            raise IngestError(source, f"no 'file' column in the header (expected: {','.join(COLUMNS)})", 1)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            cells = {name: value.strip() for name, value in zip(header, row, strict=False)}
            if any(cells.values()):
                yield line, cells
    except csv.Error as exc:
        raise IngestError(source, f"malformed CSV: {exc}", start) from exc


def _file_key(value: str, source: str, line: int) -> str:
    if not value:
        raise IngestError(source, "the row names no file (the 'file' cell is empty)", line)
    # "./a.txt" and "sub\\a.txt" (written on Windows) name the same files as "a.txt" and "sub/a.txt".
    return PurePosixPath(value.replace("\\", "/")).as_posix()


def _override(cells: Mapping[str, str], source: str, line: int) -> MetaOverride:
    published = cells.get("published") or None
    try:
        date = parse_iso_date(published) if published else None
    except ValueError as exc:
        raise IngestError(source, f"published: {exc}", line) from None
    return MetaOverride(
        outlet=cells.get("outlet") or None,
        published=date,
        url=cells.get("url") or None,
        title=cells.get("title") or None,
        author=cells.get("author") or None,
    )
