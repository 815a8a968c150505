"""read_sources: paths, directory walks, dispatch, stdin, sidecars, and going on after problems."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from rashomon.ingest import Metadata, MetaOverride, read_sources
from rashomon.ingest.sources import is_skipped, walk
from rashomon.model import Article, IngestProblem, SourceFormat
from rashomon.settings import Settings

SETTINGS = Settings()
_TEXT = "The opposition leader called for talks with the government on Tuesday."
_HTML = f"<html><head><title>Page</title></head><body><article><p>{_TEXT * 3}</p></article></body></html>"


def _read(*paths: str | Path, settings: Settings = SETTINGS, metadata: Metadata | None = None) -> list[object]:
    return list(read_sources(paths, settings, metadata))


def _articles(items: list[object]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def _problems(items: list[object]) -> list[IngestProblem]:
    return [item for item in items if isinstance(item, IngestProblem)]


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_example_folder(examples: Path) -> None:
    items = _read(examples)
    assert _problems(items) == []
    articles = _articles(items)
    # README.md and metadata.csv are not articles; the rest come in sorted order
    assert [Path(a.meta.source_path).name[:3] for a in articles] == ["000", "001", "002", "003", "004"]
    assert [a.meta.outlet for a in articles] == [
        "UK politics site",
        "UK broadcaster",
        "Caribbean newspaper",
        "Pro-Kremlin outlet",
        "Asia-Pacific left organisations",
    ]
    assert articles[3].meta.published == dt.date(2019, 4, 30)
    assert articles[3].meta.source_path == str(examples / "003_de6bcb39d1aac536.txt")
    assert articles[1].meta.title is not None and articles[0].meta.title is None


def test_a_file_named_alone_gets_its_folders_sidecar(examples: Path) -> None:
    (article,) = _articles(_read(examples / "004_fac259807c025de8.txt"))
    assert article.meta.outlet == "Asia-Pacific left organisations"
    assert article.meta.published == dt.date(2019, 1, 25)


def test_explicit_metadata_wins_over_the_sidecar(examples: Path) -> None:
    metadata = Metadata({"000_773654e305254d5b.txt": MetaOverride(outlet="Given")})
    articles = _articles(_read(examples, metadata=metadata))
    assert articles[0].meta.outlet == "Given"
    # the folder's own sidecar is not consulted at all
    assert [a.meta.outlet for a in articles[1:]] == [None] * 4


@pytest.mark.parametrize(
    ("name", "content", "source_format"),
    [
        ("a.txt", _TEXT, SourceFormat.TEXT),
        ("a.text", _TEXT, SourceFormat.TEXT),
        ("a.md", _TEXT, SourceFormat.TEXT),
        ("a.TXT", _TEXT, SourceFormat.TEXT),
        ("a.html", _HTML, SourceFormat.HTML),
        ("a.htm", _HTML, SourceFormat.HTML),
        ("a.xhtml", _HTML, SourceFormat.HTML),
        ("a.jsonl", json.dumps({"text": _TEXT}), SourceFormat.JSONL),
        ("a.ndjson", json.dumps({"text": _TEXT}), SourceFormat.JSONL),
        ("a.json", json.dumps([{"text": _TEXT}]), SourceFormat.JSONL),
        ("a.csv", f"title,text\nT,{_TEXT}\n", SourceFormat.CSV),
        ("a.tsv", f"title\ttext\nT\t{_TEXT}\n", SourceFormat.CSV),
        # unknown extensions: sniffed
        ("a.dat", f"  \n{_HTML}", SourceFormat.HTML),
        ("a", _TEXT, SourceFormat.TEXT),
        ("a.log", json.dumps({"text": _TEXT}) + "\n", SourceFormat.JSONL),
        ("a.out", "{not json, just a brace}\n" + _TEXT, SourceFormat.TEXT),
    ],
)
def test_dispatch(tmp_path: Path, name: str, content: str, source_format: SourceFormat) -> None:
    (article,) = _read(_write(tmp_path / name, content))
    assert isinstance(article, Article)
    assert article.source_format is source_format
    assert _TEXT in article.text


def test_walk_is_recursive_sorted_and_skips_hidden_files_readmes_and_sidecars(tmp_path: Path) -> None:
    for name in [
        "b.txt",
        "a/z.txt",
        "a/b/c.txt",
        "c.txt",
        ".hidden.txt",
        ".git/x.txt",
        "README.md",
        "sub/readme.txt",
        "metadata.csv",
        "sub/metadata.csv",
    ]:
        _write(tmp_path / name, "file,outlet\n" if name.endswith(".csv") else _TEXT)
    walked = [p.relative_to(tmp_path).as_posix() for p in walk(tmp_path) if isinstance(p, Path)]
    assert walked == ["a/b/c.txt", "a/z.txt", "b.txt", "c.txt"]


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        (".DS_Store", True),
        ("metadata.csv", True),
        ("README", True),
        ("ReadMe.txt", True),
        ("story.txt", False),
        ("metadata.csv.bak", False),
        ("readme-story.txt", False),
        ("rashomon.db", True),
        ("rashomon.db-wal", True),
        ("corpus.sqlite3-shm", True),
        ("story.dbx", False),
    ],
)
def test_is_skipped(name: str, skipped: bool) -> None:
    assert is_skipped(name) is skipped


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", _TEXT)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert [p for p in walk(tmp_path)] == [tmp_path / "a.txt"]


def test_nearest_sidecar_applies_and_matches_relative_paths(tmp_path: Path) -> None:
    _write(tmp_path / "metadata.csv", "file,outlet\ntop.txt,Top\nsub/a.txt,Root names sub/a\nb.txt,Root\n")
    _write(tmp_path / "top.txt", _TEXT)
    _write(tmp_path / "sub" / "a.txt", _TEXT + " A")
    _write(tmp_path / "sub" / "b.txt", _TEXT + " B")
    _write(tmp_path / "other" / "metadata.csv", "file,outlet\nc.txt,Nearest\n")
    _write(tmp_path / "other" / "c.txt", _TEXT + " C")
    _write(tmp_path / "other" / "top.txt", _TEXT + " D")
    outlets = {
        Path(a.meta.source_path).relative_to(tmp_path).as_posix(): a.meta.outlet for a in _articles(_read(tmp_path))
    }
    assert outlets == {
        "top.txt": "Top",
        "sub/a.txt": "Root names sub/a",
        "sub/b.txt": "Root",  # base-name fallback
        "other/c.txt": "Nearest",
        "other/top.txt": None,  # the nearest sidecar does not list it, and sidecars do not merge
    }


def test_a_broken_sidecar_is_reported_once_and_the_files_still_read(tmp_path: Path) -> None:
    _write(tmp_path / "metadata.csv", "file,published\na.txt,yesterday\n")
    _write(tmp_path / "a.txt", _TEXT)
    _write(tmp_path / "b.txt", _TEXT + " B")
    items = _read(tmp_path)
    assert [a.meta.outlet for a in _articles(items)] == [None, None]
    (problem,) = _problems(items)
    assert (problem.source, problem.line) == (str(tmp_path / "metadata.csv"), 2)
    assert problem.message.startswith("published: 'yesterday' is not a date")


def test_one_bad_input_never_stops_the_rest(tmp_path: Path, fixtures: Path) -> None:
    for name in ["empty.txt", "nul_byte.txt", "latin1.txt"]:
        shutil.copy(fixtures / name, tmp_path / name)
    _write(tmp_path / "doc.pdf", b"%PDF-1.4\n%binary")
    items = _read(tmp_path / "missing.txt", tmp_path, tmp_path / "also-missing")
    assert [str(p) for p in _problems(items)] == [
        f"{tmp_path / 'missing.txt'}: no such file or directory",
        f"{tmp_path / 'doc.pdf'}: binary file (looks like PDF)",
        f"{tmp_path / 'empty.txt'}: empty file",
        f"{tmp_path / 'nul_byte.txt'}: binary file (contains NUL bytes)",
        f"{tmp_path / 'also-missing'}: no such file or directory",
    ]
    (article,) = _articles(items)
    assert article.charset == "cp1252"


def test_lines_of_a_jsonl_file_are_reported_with_their_numbers(fixtures: Path) -> None:
    items = _read(fixtures / "newsplease.jsonl")
    assert [(p.source, p.line) for p in _problems(items)] == [(str(fixtures / "newsplease.jsonl"), 2)]
    assert len(_articles(items)) == 2


def test_size_limit_from_settings(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", _TEXT)
    (problem,) = _read(path, settings=Settings(max_file_bytes=10))
    assert isinstance(problem, IngestProblem)
    assert "the limit is 10 bytes" in problem.message and "--max-file-bytes" in problem.message


def test_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "a.txt", _TEXT)

    def denied(self: Path, *args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    assert _read(path) == [IngestProblem(str(path), "cannot read: Permission denied")]


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    _write(tmp_path / ".hidden", _TEXT)
    (problem,) = _read(tmp_path)
    assert isinstance(problem, IngestProblem) and problem.message.startswith("no files to read")


def test_same_article_in_two_files_gets_the_same_id(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.txt", f"Headline\n\n{_TEXT}")
    second = _write(tmp_path / "b.jsonl", json.dumps({"text": _TEXT, "title": "Headline"}))
    a, b = _articles(_read(first, second))
    assert a.id == b.id
    assert a.meta.source_path != b.meta.source_path


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


@pytest.mark.parametrize(
    ("data", "source_format"),
    [
        (_TEXT.encode(), SourceFormat.TEXT),
        (_HTML.encode(), SourceFormat.HTML),
        (json.dumps({"text": _TEXT}).encode(), SourceFormat.JSONL),
        (_TEXT.encode("utf-16"), SourceFormat.TEXT),
    ],
)
def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch, data: bytes, source_format: SourceFormat) -> None:
    _stdin(monkeypatch, data)
    (article,) = _read("-")
    assert isinstance(article, Article)
    assert article.source_format is source_format
    assert article.meta.source_path.startswith("-")


def test_stdin_gets_explicit_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, _TEXT.encode())
    (article,) = _read("-", metadata=Metadata({"-": MetaOverride(outlet="Piped")}))
    assert isinstance(article, Article) and article.meta.outlet == "Piped"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "-: empty file"), (b"x" * 11, "-: file too large (more than 10 bytes")],
)
def test_stdin_problems(monkeypatch: pytest.MonkeyPatch, data: bytes, message: str) -> None:
    _stdin(monkeypatch, data)
    (problem,) = _read("-", settings=Settings(max_file_bytes=10))
    assert str(problem).startswith(message)


def test_a_single_path_string_is_refused(examples: Path) -> None:
    with pytest.raises(TypeError, match="a sequence of paths, not the single path"):
        list(read_sources(str(examples), SETTINGS))
