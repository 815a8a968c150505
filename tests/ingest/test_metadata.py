"""The metadata sidecar: loading, errors naming the sidecar and line, matching files, overriding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rashomon.errors import IngestError
from rashomon.ingest.metadata import Metadata, MetaOverride, load_metadata
from rashomon.model import ArticleMeta


def _sidecar(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "metadata.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_example_sidecar(examples: Path) -> None:
    metadata = load_metadata(examples / "metadata.csv")
    assert len(metadata) == 5
    assert metadata["000_773654e305254d5b.txt"] == MetaOverride(outlet="UK politics site")
    assert metadata["003_de6bcb39d1aac536.txt"] == MetaOverride(
        outlet="Pro-Kremlin outlet", published=dt.date(2019, 4, 30)
    )
    assert metadata.folder == examples


def test_empty_cells_are_unknown_and_extra_columns_ignored(tmp_path: Path) -> None:
    path = _sidecar(tmp_path, "File,Outlet,Published,URL,Title,Author,Notes\na.txt, BBC ,,,, ,ignored\n")
    assert load_metadata(path)["a.txt"] == MetaOverride(outlet="BBC")


def test_excel_bom_and_blank_rows(tmp_path: Path) -> None:
    path = _sidecar(tmp_path, "file,outlet\n\na.txt,BBC\n,\n", encoding="utf-8-sig")
    assert dict(load_metadata(path)) == {"a.txt": MetaOverride(outlet="BBC")}


@pytest.mark.parametrize(
    ("published", "date"),
    [
        ("2019-04-30", dt.date(2019, 4, 30)),
        ("2019-04-30T23:30:00", dt.date(2019, 4, 30)),
        ("2019-04-30T23:30:00+05:00", dt.date(2019, 4, 30)),
        ("2019-04-30 10:00", dt.date(2019, 4, 30)),
    ],
)
def test_iso_dates_and_datetimes(tmp_path: Path, published: str, date: dt.date) -> None:
    path = _sidecar(tmp_path, f"file,published\na.txt,{published}\n")
    assert load_metadata(path)["a.txt"].published == date


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("file,published\na.txt,2019-04-30\nb.txt,30/04/2019\n", 3, "published: '30/04/2019' is not a date"),
        ("file,published\na.txt,2019-02-30\n", 2, "published: '2019-02-30' is not a date"),
        ("file,outlet\na.txt,BBC\n,CNN\n", 3, "the row names no file"),
        ("file,outlet\na.txt,BBC\n./a.txt,CNN\n", 3, "'a.txt' is listed twice (first on line 2)"),
        ("name,outlet\na.txt,BBC\n", 1, "no 'file' column in the header"),
        ('file,outlet\n"a.txt,BBC\n', 2, "malformed CSV"),
    ],
)
def test_errors_name_the_sidecar_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = _sidecar(tmp_path, text)
    with pytest.raises(IngestError) as caught:
        load_metadata(path)
    assert (caught.value.source, caught.value.line) == (str(path), line)
    assert caught.value.message.startswith(message)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_sidecar_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        load_metadata(tmp_path / "metadata.csv")


def test_sidecar_values_override_the_source() -> None:
    meta = ArticleMeta("a.txt", url="u", outlet="From page", title="Page title", language="en")
    override = MetaOverride(outlet="From sidecar", published=dt.date(2019, 1, 25))
    assert override.apply(meta) == ArticleMeta(
        "a.txt",
        url="u",
        outlet="From sidecar",
        title="Page title",
        published=dt.date(2019, 1, 25),
        language="en",
    )


@pytest.mark.parametrize(
    ("source_path", "outlet"),
    [
        ("a.txt", "by name"),
        ("elsewhere/a.txt", "by name"),  # outside the sidecar's folder: base name
        ("{root}/sub/a.txt", "by relative path"),
        ("{root}/other/a.txt", "by name"),
        ("news.jsonl#3", "record 3"),
        ("news.jsonl#4", "whole file"),
        ("{root}/sub/news.jsonl#4", "whole file"),
        ("unlisted.txt", None),
        ("-", None),
    ],
)
def test_lookup(tmp_path: Path, source_path: str, outlet: str | None) -> None:
    metadata = Metadata(
        {
            "a.txt": MetaOverride(outlet="by name"),
            "sub/a.txt": MetaOverride(outlet="by relative path"),
            "news.jsonl": MetaOverride(outlet="whole file"),
            "news.jsonl#3": MetaOverride(outlet="record 3"),
        },
        folder=tmp_path,
    )
    meta = metadata.apply(ArticleMeta(source_path.format(root=tmp_path)))
    assert meta.outlet == outlet


def test_relative_path_lookup_from_a_relative_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "corpus" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    metadata = Metadata({"sub/a.txt": MetaOverride(outlet="X")}, folder=Path("corpus"))
    assert metadata.lookup("corpus/sub/a.txt") == MetaOverride(outlet="X")


def test_metadata_is_read_only() -> None:
    metadata = Metadata({"a.txt": MetaOverride()})
    with pytest.raises(TypeError):
        metadata["b.txt"] = MetaOverride()  # type: ignore[index]
    with pytest.raises(AttributeError):
        metadata.extra = 1  # type: ignore[attr-defined]
