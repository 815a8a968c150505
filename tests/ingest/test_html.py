"""HTML pages: main text, metadata, paragraphs, boilerplate, and no network."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pytest

from rashomon.errors import IngestError
from rashomon.ingest.decode import Decoded
from rashomon.ingest.html import NO_TEXT, extract_page, parse_html
from rashomon.model import Article, RemovedLine, SourceFormat

_SENTENCE = "The minister said the talks would continue next week, despite the protests in the capital. "
_PARAGRAPH = f"<p>{_SENTENCE * 3}</p>"


def _page(body: str, head: str = "<title>Talks continue</title>", lang: str = "") -> str:
    return f"<html{lang}><head>{head}</head><body><article>{body}</article></body></html>"


@pytest.fixture
def news_page(fixtures: Path) -> Article:
    html = (fixtures / "news_page.html").read_text(encoding="utf-8")
    return parse_html(Decoded(html, "utf-8"), "news_page.html")


def test_metadata_of_the_news_page(news_page: Article) -> None:
    meta = news_page.meta
    assert meta.source_path == "news_page.html"
    assert meta.title == "Opposition leader calls for talks as protests continue"
    assert meta.published == dt.date(2019, 4, 30)
    assert meta.author == "Maria Lopez"
    assert meta.outlet == "The Daily Example"
    assert meta.url == "https://news.example.org/world/2019/04/30/opposition-talks"
    assert meta.language == "en"
    assert news_page.source_format is SourceFormat.HTML
    assert news_page.id == Article.make_id(news_page.text)


def test_main_text_keeps_the_article_and_its_quote(news_page: Article) -> None:
    text = news_page.text
    assert text.startswith("CARACAS – The opposition leader called on Tuesday for talks")
    assert "“We are ready to sit down with anyone who wants to find a peaceful way out of this crisis,”" in text
    assert text.endswith("expected to meet on Friday to discuss the situation.")
    assert text.count("\n\n") == 4  # five paragraphs, one blank line between each


@pytest.mark.parametrize(
    "furniture",
    [
        "Home",
        "Politics",
        "We use cookies",
        "Accept all cookies",
        "Advertisement",
        "Related stories",
        "Markets fall as oil price drops",
        "Subscribe to our newsletter",
        "All rights reserved",
        "Photo: Reuters",
        "About us",
        "dataLayer",
    ],
)
def test_page_furniture_is_not_article_text(news_page: Article, furniture: str) -> None:
    assert furniture not in news_page.text


def test_headline_is_not_repeated_in_the_text(news_page: Article) -> None:
    assert news_page.meta.title is not None
    assert news_page.meta.title not in news_page.text


def test_boilerplate_rules_run_on_the_extracted_text() -> None:
    body = (
        "<h1>Talks continue</h1>"
        + _PARAGRAPH
        + "<p>- Advertisement -</p>"
        + _PARAGRAPH
        + "<p>Read more: Why the talks failed</p><p>Protesters march in Caracas. Credit: AP</p>"
        + _PARAGRAPH
    )
    page = extract_page(_page(body), "talks.html")
    # line numbers count the lines of the extracted text, blank separator lines included
    assert page.removed == (
        RemovedLine(5, "- Advertisement -", "advertisement"),
        RemovedLine(9, "Read more: Why the talks failed", "read-more"),
        RemovedLine(11, "Protesters march in Caracas. Credit: AP", "photo-credit"),
    )
    assert page.text == "\n\n".join([(_SENTENCE * 3).strip()] * 3)


def test_line_breaks_inside_a_paragraph_are_kept_apart_from_paragraph_breaks() -> None:
    body = f"<p>First line<br>second line of one paragraph. {_SENTENCE}</p>{_PARAGRAPH}"
    page = extract_page(_page(body), "a.html")
    first, second = page.text.split("\n\n")
    assert first.startswith("First line\nsecond line of one paragraph.")
    assert second.startswith("The minister said")


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        (' lang="es"', "", "es"),
        (' lang="pt-BR"', "", "pt"),
        ("", '<meta http-equiv="Content-Language" content="fr">', "fr"),
        ("", '<meta property="og:locale" content="de_DE">', "de"),
        ("", "", None),
        (' lang="not a language"', "", None),
    ],
)
def test_declared_language(lang: str, head: str, expected: str | None) -> None:
    page = extract_page(_page(_PARAGRAPH, head=head + "<title>T</title>", lang=lang), "a.html")
    assert page.language == expected


def test_missing_metadata_is_none() -> None:
    page = extract_page(_page(_PARAGRAPH, head=""), "a.html")
    assert (page.title, page.published, page.author, page.url, page.site_name) == (None,) * 5


@pytest.mark.parametrize(
    "html",
    [
        "<html><body></body></html>",
        "<html><head><title>Nothing here</title></head><body><script>var x = 1;</script></body></html>",
        "<html><body><p>- Advertisement -</p></body></html>",
        "   ",
    ],
)
def test_no_article_text_is_a_problem(html: str) -> None:
    with pytest.raises(IngestError, match=rf"^empty.html: {NO_TEXT}$"):
        parse_html(Decoded(html, "utf-8"), "empty.html")


def test_never_touches_the_network(fixtures: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = (fixtures / "news_page.html").read_text(encoding="utf-8")
    assert parse_html(Decoded(html, "utf-8"), "news_page.html").meta.url is not None
