"""Articles from records of a collection export (a JSON object, a CSV row): the field mapping.

JSON lines and CSV exports from news-please, Media Cloud and home-made scrapers name the same fields
differently. This module knows those names, reads one record into a typed `SourceRecord`, and turns that into
an `Article`: plain text through the boilerplate rules, HTML (text starting with ``<``) through the HTML
extractor, whose metadata fills in what the record does not say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rashomon.errors import IngestError
from rashomon.ingest.decode import normalize_newlines
from rashomon.ingest.html import Page, extract_page
from rashomon.ingest.text import clean_text
from rashomon.ingest.values import language_code, parse_date
from rashomon.model import Article, ArticleMeta, SourceFormat

# Field names by meaning, most specific first: news-please, then Media Cloud, then generic names.
TEXT_FIELDS = ("maintext", "text", "story_text", "body", "content")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
# Outlet names before domains: "BBC News" says more than "bbc.co.uk".
OUTLET_FIELDS = ("outlet", "media_name", "source", "media", "source_domain", "media_url")
DATE_FIELDS = ("date_publish", "publish_date", "published", "date")
AUTHOR_FIELDS = ("authors", "author")
LANGUAGE_FIELDS = ("language", "lang")

_MISSING_TEXT = f"no article text (expected a non-empty field named one of: {', '.join(TEXT_FIELDS)})"


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One record's article text and metadata, whatever the export called its fields."""

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None

    @property
    def is_html(self) -> bool:
        return self.text.lstrip().startswith("<")


def read_record(fields: Mapping[str, object], source: str, line: int) -> SourceRecord:
    """The record in ``fields`` (a parsed JSON object or CSV row); `IngestError` if it holds no text."""
    named = {str(key).strip().lower(): value for key, value in fields.items()}
    return SourceRecord(
        text=_text(named, source, line),
        title=_first_string(named, TITLE_FIELDS),
        url=_first_string(named, URL_FIELDS),
        outlet=_outlet(named),
        published=parse_date(_first_string(named, DATE_FIELDS)),
        author=_author(named),
        language=language_code(_first_string(named, LANGUAGE_FIELDS)),
    )


def has_text_field(names: Sequence[str]) -> bool:
    """Whether a header with these column names has a column for the article text."""
    return any(name.strip().lower() in TEXT_FIELDS for name in names)


def record_article(
    record: SourceRecord,
    *,
    source: str,
    line: int,
    source_path: str,
    source_format: SourceFormat,
    charset: str,
) -> Article:
    """The `Article` for ``record``; ``source`` and ``line`` locate it in error messages."""
    try:
        page = extract_page(record.text, source) if record.is_html else _plain_page(record.text)
    except IngestError as exc:
        raise IngestError(source, exc.message, line) from exc
    if not page.text:
        raise IngestError(source, "no article text left after removing boilerplate", line)
    return Article.create(
        page.text, _meta(record, page, source_path), source_format, charset=charset, removed=page.removed
    )


def json_type(value: object) -> str:
    """How JSON names the type of a parsed value, for messages: "a string", "a list", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _plain_page(text: str) -> Page:
    cleaned = clean_text(normalize_newlines(text))
    return Page(cleaned.text, cleaned.removed)


def _meta(record: SourceRecord, page: Page, source_path: str) -> ArticleMeta:
    """The record's own fields, with what an HTML page declares filling the gaps."""
    return ArticleMeta(
        source_path=source_path,
        url=record.url or page.url,
        outlet=record.outlet or page.site_name,
        title=record.title or page.title,
        published=record.published or page.published,
        author=record.author or page.author,
        language=record.language or page.language,
    )


def _text(named: Mapping[str, object], source: str, line: int) -> str:
    for name in TEXT_FIELDS:
        value = named.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str):
            raise IngestError(source, f"field {name!r} is not text but {json_type(value)}", line)
        return value
    raise IngestError(source, _MISSING_TEXT, line)


def _first_string(named: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = named.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _outlet(named: Mapping[str, object]) -> str | None:
    # Some Media Cloud exports nest the outlet: "media": {"name": "BBC", "url": "bbc.co.uk"}.
    media = named.get("media")
    if isinstance(media, Mapping) and isinstance(media.get("name"), str) and media["name"].strip():
        return str(media["name"]).strip()
    return _first_string(named, OUTLET_FIELDS)


def _author(named: Mapping[str, object]) -> str | None:
    # news-please gives a list of authors.
    authors = named.get("authors")
    if isinstance(authors, list):
        names = [a.strip() for a in authors if isinstance(a, str) and a.strip()]
        if names:
            return ", ".join(names)
    return _first_string(named, AUTHOR_FIELDS)
