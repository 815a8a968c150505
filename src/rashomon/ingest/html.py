"""HTML articles: main text and metadata extracted with trafilatura, offline.

trafilatura separates the article from navigation, adverts and footers and reads the page's metadata (title,
date, author, site name, canonical URL). This module only ever hands it the markup: no URL is fetched. Its
paragraphs are kept apart by blank lines, and the boilerplate rules run over the result too, since some page
furniture sits inside the article element.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.settings import set_date_params
from trafilatura.xml import xmltotxt

from rashomon.errors import IngestError
from rashomon.ingest.boilerplate import Cleaned
from rashomon.ingest.decode import Decoded
from rashomon.ingest.text import clean_text
from rashomon.ingest.values import language_code, parse_date
from rashomon.model import Article, ArticleMeta, RemovedLine, SourceFormat

NO_TEXT = "no article text found in HTML"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True, slots=True)
class Page:
    """What an HTML page holds: its cleaned article text and the metadata it declares."""

    text: str
    removed: tuple[RemovedLine, ...] = ()
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    site_name: str | None = None
    language: str | None = None

    def meta(self, source: str) -> ArticleMeta:
        return ArticleMeta(
            source_path=source,
            url=self.url,
            outlet=self.site_name,
            title=self.title,
            published=self.published,
            author=self.author,
            language=self.language,
        )


def parse_html(decoded: Decoded, source: str) -> Article:
    """The article in an HTML page, with the page's own metadata."""
    page = extract_page(decoded.text, source)
    return Article.create(
        page.text, page.meta(source), SourceFormat.HTML, charset=decoded.charset, removed=page.removed
    )


def extract_page(html: str, source: str) -> Page:
    """Extract the article text and metadata from ``html``; `IngestError` if it holds no article text."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise IngestError(source, NO_TEXT)
    found = _run_trafilatura(tree, source)
    if found is None or found.body is None:
        raise IngestError(source, NO_TEXT)
    cleaned = _body_text(found, source)
    return Page(
        text=cleaned.text,
        removed=cleaned.removed,
        title=_nonblank(found.title),
        url=_nonblank(found.url),
        published=parse_date(found.date),
        author=_nonblank(found.author),
        site_name=_nonblank(found.sitename),
        language=_declared_language(tree),
    )


def _run_trafilatura(tree: HtmlElement, source: str) -> TrafilaturaDocument | None:
    try:
        found = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,  # readers' comments are not the article
            include_images=False,
            include_links=False,
            # no guessing a date from dates mentioned in the text: a wrong date is worse than none
            date_extraction_params=set_date_params(extensive=False),
        )
    # trafilatura and lxml can fail in many ways on odd markup; any failure is a problem with this file only.
    except Exception as exc:
        raise IngestError(source, f"HTML extraction failed: {type(exc).__name__}: {exc}") from exc
    return found if isinstance(found, TrafilaturaDocument) else None


def _body_text(found: TrafilaturaDocument, source: str) -> Cleaned:
    """The extracted blocks as blank-line separated paragraphs, without boilerplate and the headline."""
    blocks = [xmltotxt(block, False).strip() for block in found.body] if found.body is not None else []
    cleaned = clean_text("\n\n".join(block for block in blocks if block))
    text = _without_heading(cleaned.text, found.title)
    if not text:
        raise IngestError(source, NO_TEXT)
    return Cleaned(text, cleaned.removed)


def _without_heading(text: str, title: str | None) -> str:
    """The text without its first paragraph when that only repeats the title (kept in the metadata)."""
    first, _, rest = text.partition("\n\n")
    if title and _same_words(first, title) and rest.strip():
        return rest.strip("\n")
    return text


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def _declared_language(tree: HtmlElement) -> str | None:
    """The language the page declares: ``<html lang>``, ``Content-Language`` or ``og:locale``."""
    root = tree.getroottree().getroot()
    declared = root.get("lang") or root.get(_XML_LANG)
    if not declared:
        for meta in root.iterfind(".//meta[@content]"):
            key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
            if key in ("content-language", "og:locale"):
                declared = meta.get("content")
                break
    return language_code(declared)


def _nonblank(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None
