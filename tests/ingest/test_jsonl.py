"""JSON lines and .json files: field mapping, per-line problems, HTML records, arrays."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rashomon.ingest.decode import Decoded
from rashomon.ingest.jsonl import parse_json, parse_json_lines
from rashomon.model import Article, IngestProblem, RemovedLine, SourceFormat

_TEXT = "The opposition leader called for talks with the government on Tuesday."


def _lines(*records: object) -> Decoded:
    return Decoded("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records), "utf-8")


def _one(record: dict[str, object]) -> Article:
    (item,) = parse_json_lines(_lines(record), "a.jsonl")
    assert isinstance(item, Article), item
    return item


def _problems(items: list[Article | IngestProblem]) -> list[IngestProblem]:
    return [item for item in items if isinstance(item, IngestProblem)]


def _articles(items: list[Article | IngestProblem]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def test_news_please_fixture(fixtures: Path) -> None:
    text = (fixtures / "newsplease.jsonl").read_text(encoding="utf-8")
    items = list(parse_json_lines(Decoded(text, "utf-8"), "newsplease.jsonl"))
    first, problem, third = items
    assert isinstance(first, Article) and isinstance(third, Article)
    assert first.meta.source_path == "newsplease.jsonl#1"
    assert first.meta.title == "Russia backs Maduro"
    assert first.meta.url == "https://example-news.ru/russia-backs-maduro"
    assert first.meta.outlet == "example-news.ru"
    assert first.meta.author == "Maria Lopez, John Smith"
    assert first.meta.published == dt.date(2019, 4, 30)
    assert first.meta.language == "en"
    assert first.source_format is SourceFormat.JSONL
    assert first.removed == (RemovedLine(3, "- Advertisement -", "advertisement"),)
    assert first.text.endswith("\n\n“We hold the opposition accountable for all acts of violence,” Lopez said.")
    assert problem == IngestProblem("newsplease.jsonl", "malformed JSON: Expecting ',' delimiter (column 284)", 2)
    assert third.meta.source_path == "newsplease.jsonl#3"
    assert third.meta.published is None
    assert third.meta.language == "es"


@pytest.mark.parametrize(
    ("record", "field", "expected"),
    [
        # news-please
        ({"maintext": _TEXT, "date_publish": "2019-04-30 10:00:00"}, "published", dt.date(2019, 4, 30)),
        ({"maintext": _TEXT, "source_domain": "bbc.co.uk"}, "outlet", "bbc.co.uk"),
        ({"maintext": _TEXT, "authors": ["A", " ", "B"]}, "author", "A, B"),
        ({"maintext": _TEXT, "authors": []}, "author", None),
        # Media Cloud
        ({"story_text": _TEXT, "media_name": "BBC", "media_url": "bbc.co.uk"}, "outlet", "BBC"),
        ({"text": _TEXT, "media_url": "bbc.co.uk"}, "outlet", "bbc.co.uk"),
        ({"text": _TEXT, "media": {"name": "BBC", "url": "bbc.co.uk"}}, "outlet", "BBC"),
        ({"text": _TEXT, "media": "BBC"}, "outlet", "BBC"),
        ({"text": _TEXT, "publish_date": "2019-04-30 10:00:00.123456"}, "published", dt.date(2019, 4, 30)),
        ({"text": _TEXT, "language": "en-GB"}, "language", "en"),
        # generic
        ({"body": _TEXT, "outlet": "The Daily", "source": "daily.example"}, "outlet", "The Daily"),
        ({"content": _TEXT, "source": "daily.example"}, "outlet", "daily.example"),
        ({"body": _TEXT, "published": "30 April 2019"}, "published", dt.date(2019, 4, 30)),
        ({"body": _TEXT, "date": "not a date"}, "published", None),
        ({"body": _TEXT, "author": "Maria Lopez"}, "author", "Maria Lopez"),
        (
            {"body": _TEXT, "Title": "  Capitalised keys  ", "URL": "https://x.example"},
            "title",
            "Capitalised keys",
        ),
        ({"body": _TEXT, "title": 42}, "title", None),
        ({"body": _TEXT, "title": ""}, "title", None),
    ],
)
def test_field_mapping(record: dict[str, object], field: str, expected: object) -> None:
    assert getattr(_one(record).meta, field) == expected


@pytest.mark.parametrize(
    ("record", "text"),
    [
        ({"maintext": "news-please text", "text": "other"}, "news-please text"),
        ({"maintext": None, "text": "Media Cloud text"}, "Media Cloud text"),
        ({"maintext": "  ", "story_text": "story text"}, "story text"),
        ({"body": "line one\r\nline two"}, "line one\nline two"),
    ],
)
def test_text_field_precedence(record: dict[str, object], text: str) -> None:
    assert _one(record).text == text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "malformed JSON: Expecting property name enclosed in double quotes (column 2)"),
        ("[1, 2]", "expected a JSON object, found a list"),
        ('"just a string"', "expected a JSON object, found a string"),
        ('{"title": "No text here"}', "no article text (expected a non-empty field named one of: maintext"),
        ('{"text": ["a", "list"]}', "field 'text' is not text but a list"),
        ('{"text": "- Advertisement -"}', "no article text left after removing boilerplate"),
        ('{"text": "<html><body></body></html>"}', "no article text found in HTML"),
    ],
)
def test_bad_lines_are_problems_and_the_rest_is_read(line: str, message: str) -> None:
    items = list(parse_json_lines(_lines({"text": "before"}, line, {"text": "after"}), "a.jsonl"))
    assert [a.text for a in _articles(items)] == ["before", "after"]
    (problem,) = _problems(items)
    assert (problem.source, problem.line) == ("a.jsonl", 2)
    assert problem.message.startswith(message)


def test_blank_lines_are_skipped_and_line_numbers_stay_physical() -> None:
    items = list(parse_json_lines(_lines({"text": "one"}, "", "   ", {"text": "four"}), "a.jsonl"))
    assert [a.meta.source_path for a in _articles(items)] == ["a.jsonl#1", "a.jsonl#4"]


def test_blank_file_is_a_problem() -> None:
    assert list(parse_json_lines(Decoded("\n\n", "utf-8"), "a.jsonl")) == [
        IngestProblem("a.jsonl", "no JSON records (the file is blank)")
    ]


def test_html_text_goes_through_the_html_extractor(fixtures: Path) -> None:
    html = (fixtures / "news_page.html").read_text(encoding="utf-8")
    article = _one({"text": html, "title": "The record's own title", "url": None})
    assert article.text.startswith("CARACAS – The opposition leader")
    assert "Home" not in article.text
    assert article.meta.title == "The record's own title"  # the record's fields win...
    assert article.meta.outlet == "The Daily Example"  # ...and the page fills the gaps
    assert article.meta.url == "https://news.example.org/world/2019/04/30/opposition-talks"
    assert article.source_format is SourceFormat.JSONL


def test_same_text_in_two_records_gets_the_same_id() -> None:
    first, second = parse_json_lines(_lines({"text": _TEXT, "url": "a"}, {"body": _TEXT + "\n"}), "a.jsonl")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == second.id


def test_charset_is_recorded() -> None:
    (article,) = parse_json_lines(Decoded(json.dumps({"text": _TEXT}), "utf-16"), "a.jsonl")
    assert isinstance(article, Article) and article.charset == "utf-16"


def test_json_file_with_one_object_is_one_article() -> None:
    text = json.dumps({"maintext": _TEXT, "title": "T"}, indent=2)
    (article,) = parse_json(Decoded(text, "utf-8"), "story.json")
    assert isinstance(article, Article)
    assert (article.meta.source_path, article.meta.title) == ("story.json", "T")


def test_json_array_items_are_named_by_position_and_problems_by_line() -> None:
    text = json.dumps([{"text": "one"}, {"title": "no text"}, {"text": "three"}], indent=2)
    items = list(parse_json(Decoded(text, "utf-8"), "stories.json"))
    assert [a.meta.source_path for a in _articles(items)] == ["stories.json#1", "stories.json#3"]
    (problem,) = _problems(items)
    assert problem.line == 5
    assert problem.message.startswith("item 2: no article text")


def test_non_object_array_item_is_a_problem() -> None:
    items = list(parse_json(Decoded('[{"text": "one"}, 7]', "utf-8"), "s.json"))
    assert _problems(items) == [IngestProblem("s.json", "item 2: expected a JSON object, found a number", 1)]


@pytest.mark.parametrize(
    ("text", "message", "kept"),
    [
        ('[{"text": "one"},\n {"text": "two"\n', "malformed JSON", 1),
        ('[{"text": "one"} {"text": "two"}]', "malformed JSON: expected ',' or ']' after an array item", 1),
        ('[{"text": "one"},]', "malformed JSON: trailing comma", 1),
        ('[{"text": "one"}] trailing', "malformed JSON: extra data after the array", 1),
    ],
)
def test_malformed_array_keeps_the_items_before_the_error(text: str, message: str, kept: int) -> None:
    items = list(parse_json(Decoded(text, "utf-8"), "s.json"))
    assert len(_articles(items)) == kept
    (problem,) = _problems(items)
    assert problem.message.startswith(message)
    assert problem.line is not None


def test_empty_array_is_a_problem() -> None:
    assert list(parse_json(Decoded("[ ]", "utf-8"), "s.json")) == [
        IngestProblem("s.json", "empty JSON array: no articles")
    ]


def test_json_lines_under_a_json_name_are_read_as_lines() -> None:
    items = list(parse_json(_lines({"text": "one"}, "{broken", {"text": "three"}), "s.json"))
    assert [a.meta.source_path for a in _articles(items)] == ["s.json#1", "s.json#3"]
    assert [p.line for p in _problems(items)] == [2]


def test_json_scalar_document_is_a_problem() -> None:
    (problem,) = parse_json(Decoded('"text"', "utf-8"), "s.json")
    assert problem == IngestProblem("s.json", "expected a JSON object, found a string", 1)
