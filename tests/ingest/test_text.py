"""Plain-text articles: title detection, body layout, boilerplate, ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.errors import IngestError
from rashomon.ingest.decode import Decoded
from rashomon.ingest.text import looks_like_title, parse_text, split_title, tidy
from rashomon.model import Article, RemovedLine, SourceFormat


def _parse(text: str, source: str = "a.txt") -> Article:
    return parse_text(Decoded(text, "utf-8"), source)


def _example(examples: Path, name: str) -> Article:
    return parse_text(Decoded((examples / name).read_text(encoding="utf-8"), "utf-8"), name)


@pytest.mark.parametrize(
    "line",
    [
        "Jeremy Corbyn condemns Venezuelan violence but refuses to criticise President Nicolas Maduro",
        "MAJOR: Russia backs Maduro against US-backed coup attempt",
        "Hands off Venezuela NOW! - Joint statement of Asia-Pacific Left Organisations",
        "Is Venezuela heading for civil war?",
        "Maduro hits back at the U.S.",
        "Talks",
    ],
)
def test_titles(line: str) -> None:
    assert looks_like_title(line)


@pytest.mark.parametrize(
    "line",
    [
        "Jeremy Corbyn has condemned the violence in Venezuela.",
        "The Labour leader said today:",
        "Pressed on whether he regretted supporting Mr Maduro,",
        "In a statement, Moscow called for calm;",
        "A headline-shaped line that nonetheless goes on and on for far too many words to be anything other "
        "than one long sentence of the article it opens",  # 26 words
        "x" * 201,
        "",
        "   ",
    ],
)
def test_not_titles(line: str) -> None:
    assert not looks_like_title(line)


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("Headline\n\nBody text.", "Headline", "Body text."),
        ("Headline\nBody text.", "Headline", "Body text."),
        ("\n\n  Headline  \n\nBody text.", "Headline", "Body text."),
        ("Only a headline-like line", None, "Only a headline-like line"),
        ("Headline\n\n   \n", None, "Headline\n\n   \n"),
        ("A sentence.\n\nMore text.", None, "A sentence.\n\nMore text."),
    ],
)
def test_split_title(text: str, title: str | None, body: str) -> None:
    assert split_title(text) == (title, body)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\n\nA\nB\n\n", "A\nB"),
        ("A\n\nB", "A\n\nB"),
        ("A\n\n\n\nB", "A\n\nB"),
        ("A  \n \nB\t", "A\n\nB"),
        ("  indented\nkept", "  indented\nkept"),
    ],
)
def test_tidy_keeps_paragraph_structure(raw: str, expected: str) -> None:
    assert tidy(raw) == expected


def test_001_has_a_title_excluded_from_the_body(examples: Path) -> None:
    article = _example(examples, "001_cd2fdecf35351671.txt")
    title = "Jeremy Corbyn condemns Venezuelan violence but refuses to criticise President Nicolas Maduro"
    assert article.meta.title == title
    assert article.text.startswith('Jeremy Corbyn has condemned violence "by all sides"')
    assert title not in article.text
    assert article.source_format is SourceFormat.TEXT
    assert article.meta.source_path == "001_cd2fdecf35351671.txt"


def test_001_captions_are_removed_and_paragraphs_kept(examples: Path) -> None:
    article = _example(examples, "001_cd2fdecf35351671.txt")
    assert (
        RemovedLine(17, "Police retreat as protesters throw explosives during clashes. Credit: AP", "photo-credit")
        in article.removed
    )
    assert "Credit: AP" not in article.text
    # the caption sat between two paragraphs: they stay separated by exactly one blank line
    assert (
        '"Violence is not going to solve the issue."\n\nPressed on whether he regretted supporting Mr Maduro'
        in article.text
    )


def test_000_gets_no_title_because_its_first_line_is_a_sentence(examples: Path) -> None:
    article = _example(examples, "000_773654e305254d5b.txt")
    source = (examples / "000_773654e305254d5b.txt").read_text(encoding="utf-8")
    assert article.meta.title is None
    assert article.text.startswith("Jeremy Corbyn has condemned the violence in committed by “all sides”")
    # single-newline paragraphs are kept as they are
    assert article.text == source.strip()
    assert article.removed == ()


def test_003_boilerplate_is_removed_and_recorded(examples: Path) -> None:
    article = _example(examples, "003_de6bcb39d1aac536.txt")
    assert article.meta.title == "MAJOR: Russia backs Maduro against US-backed coup attempt"
    assert article.text.startswith("MOSCOW – Venezuelan issues must be resolved")
    assert [(r.line, r.rule) for r in article.removed] == [
        (3, "share-counter"),
        (21, "advertisement"),
        (35, "newsletter"),
        (36, "signup-prompt"),
        (38, "subscribe-now"),
    ]
    for gone in ("- Advertisement -", "0 2,736", "Subscribe to our newsletter", "subscribe now"):
        assert gone not in article.text
    assert "to help depose legitimate President Nicolás Maduro.\n\n“We can characterize this act" in article.text
    assert article.text.endswith("as the only legitimate president of Venezuela.")


def test_004_leading_blank_lines_are_dropped(examples: Path) -> None:
    article = _example(examples, "004_fac259807c025de8.txt")
    assert article.meta.title == "Hands off Venezuela NOW! - Joint statement of Asia-Pacific Left Organisations"
    assert article.text.startswith("Friday 25 January 2019, by")
    assert "1. Socialist Party of Malaysia (PSM), Malaysia\n2. Jaringan Rakyat Tertindas" in article.text


def test_id_is_the_hash_of_the_body_whatever_the_file() -> None:
    first = _parse("Headline\n\nThe same words.", "one.txt")
    second = _parse("The same words.\n", "other/two.txt")
    assert first.id == second.id == Article.make_id("The same words.")
    assert first.meta.source_path != second.meta.source_path


def test_charset_is_recorded() -> None:
    assert parse_text(Decoded("Text.", "cp1252"), "a.txt").charset == "cp1252"


def test_only_boilerplate_is_a_problem() -> None:
    with pytest.raises(IngestError, match=r"^a.txt: no article text left after removing 2 boilerplate line"):
        _parse("- Advertisement -\n\nSubscribe to our newsletter\n")


def test_only_whitespace_is_a_problem() -> None:
    with pytest.raises(IngestError, match=r"^a.txt: no article text"):
        _parse(" \n\t\n")
