"""CSV and TSV files: header mapping, delimiters, per-row problems with physical line numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rashomon.ingest.decode import Decoded
from rashomon.ingest.tabular import parse_csv, parse_tsv, sniff_delimiter
from rashomon.model import Article, IngestProblem, RemovedLine, SourceFormat


def _csv(text: str, source: str = "a.csv") -> list[Article | IngestProblem]:
    return list(parse_csv(Decoded(text, "utf-8"), source))


def _articles(items: list[Article | IngestProblem]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def _problems(items: list[Article | IngestProblem]) -> list[IngestProblem]:
    return [item for item in items if isinstance(item, IngestProblem)]


def test_media_cloud_fixture(fixtures: Path) -> None:
    items = _csv((fixtures / "mediacloud.csv").read_text(encoding="utf-8"), "mediacloud.csv")
    first, problem, third = items
    assert isinstance(first, Article) and isinstance(third, Article)
    # the first row's text spans lines 2-6; the next row starts on line 7
    assert first.meta.source_path == "mediacloud.csv#2"
    assert first.meta.title == "Opposition calls for talks"
    assert first.meta.outlet == "The Daily Example"
    assert first.meta.url == "https://news.example.org/talks"
    assert first.meta.published == dt.date(2019, 4, 30)
    assert first.meta.language == "en"
    assert first.source_format is SourceFormat.CSV
    assert first.text == (
        "The opposition leader called on Tuesday for talks with the government.\n\n"
        "Thousands of people marched towards the presidential palace, where security forces fired tear gas."
    )
    assert first.removed == (RemovedLine(5, "Photo: Reuters", "photo-credit"),)
    assert problem == IngestProblem(
        "mediacloud.csv",
        "no article text (expected a non-empty field named one of: maintext, text, story_text, body, content)",
        7,
    )
    assert third.meta.source_path == "mediacloud.csv#8"
    assert third.meta.title == "Talks, at last"
    assert third.text.startswith("Officials said 20 people had been arrested")


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("title,text,url", ","),
        ("title;text;url", ";"),
        ("title\ttext\turl", "\t"),
        ("title|text|url", "|"),
        ("text", ","),
        ("\n\ntitle;text", ";"),
    ],
)
def test_delimiter_is_read_from_the_header(header: str, delimiter: str) -> None:
    assert sniff_delimiter(header + "\nA, B; C\tD|E,F") == delimiter


def test_semicolon_csv_with_commas_in_the_text() -> None:
    (article,) = _csv('title;text\nT;"Maduro, Guaidó and others; all of them."\n')
    assert isinstance(article, Article)
    assert (article.meta.title, article.text) == ("T", "Maduro, Guaidó and others; all of them.")


def test_tsv() -> None:
    text = "title\tstory_text\tmedia_name\nT\tThe text, with a comma.\tBBC\n"
    (article,) = parse_tsv(Decoded(text, "utf-8"), "a.tsv")
    assert isinstance(article, Article)
    assert (article.text, article.meta.outlet, article.meta.source_path) == (
        "The text, with a comma.",
        "BBC",
        "a.tsv#2",
    )


def test_header_without_a_text_column_is_one_problem() -> None:
    (problem,) = _csv("title,url\nA,https://a\nB,https://b\n")
    assert isinstance(problem, IngestProblem)
    assert problem.line == 1
    assert problem.message.startswith("no text column in the header (columns: 'title', 'url'; delimiter ',')")


def test_header_only_is_a_problem() -> None:
    assert _csv("title,text\n") == [IngestProblem("a.csv", "no rows after the header")]


def test_blank_file_is_a_problem() -> None:
    (problem,) = _csv("\n\n")
    assert isinstance(problem, IngestProblem) and problem.message.startswith("no text column")


def test_row_with_too_many_fields_is_a_problem_and_the_rest_is_read() -> None:
    items = _csv("title,text\nA,one\nB,two,extra\nC,three\n")
    assert [a.text for a in _articles(items)] == ["one", "three"]
    assert _problems(items) == [IngestProblem("a.csv", "row has 3 fields but the header names 2", 3)]


def test_short_rows_have_empty_fields() -> None:
    (article,) = _csv("text,title,url\nHello\n")
    assert isinstance(article, Article)
    assert (article.text, article.meta.title, article.meta.url) == ("Hello", None, None)


def test_blank_lines_are_skipped_and_line_numbers_are_physical() -> None:
    items = _csv('title,text\n\nA,"one\nstill one"\n\n,\nB,two\n')
    assert [(a.meta.source_path, a.text) for a in _articles(items)] == [
        ("a.csv#3", "one\nstill one"),
        ("a.csv#7", "two"),
    ]


def test_large_fields_are_allowed() -> None:
    big = "word " * 60_000  # 300,000 characters: over the csv module's default field limit
    (article,) = _csv(f'text\n"{big}"\n')
    assert isinstance(article, Article) and len(article.text) == len(big.strip())


def test_html_in_a_cell_goes_through_the_html_extractor() -> None:
    html = "<html><head><title>Page title</title></head><body><article><p>" + "Words of the article. " * 20
    (article,) = _csv(f'text,url\n"{html}</p></article></body></html>",https://x.example\n')
    assert isinstance(article, Article)
    assert article.text.startswith("Words of the article.")
    assert (article.meta.title, article.meta.url) == ("Page title", "https://x.example")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('title,text\nA,one\nB,"two\nC,three\n', 3, "malformed CSV: unexpected end of data"),
        ('title,text\nA,one\nB,"two"x\nC,three\n', 3, "malformed CSV: ',' expected after '\"'"),
    ],
)
def test_broken_quote_stops_the_file_with_a_problem(text: str, line: int, message: str) -> None:
    items = _csv(text)
    assert [a.text for a in _articles(items)] == ["one"]
    (problem,) = _problems(items)
    assert problem.line == line
    assert problem.message.startswith(message)
