"""The export contract: analysed documents and their stories written as JSON, JSON Lines or CSV.

The shape is versioned by `EXPORT_VERSION`, described field by field in docs/export.md and checked by the JSON
Schema ``rashomon/schema/export.schema.json`` (see `export_schema`). Fields may be added in a minor version;
renaming or removing one, or changing its meaning, bumps the major version.

Output is deterministic: articles are ordered by id, quotes by position, stories by id; everything else keeps
the order of the `Document`. Speaker and entity ids are written as the documents carry them: a caller that
wants corpus-wide actor ids maps the documents first.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any, TextIO

from rashomon.model import Document, Entity, Mention, Quote, Span, Story

EXPORT_VERSION = "1.0"

CSV_COLUMNS: tuple[str, ...] = (
    "article_id",
    "source_path",
    "outlet",
    "title",
    "published",
    "speaker",
    "speaker_id",
    "kind",
    "cue",
    "start",
    "end",
    "text",
)

# Characters that str.splitlines() and some JSON Lines readers treat as line breaks, but that json.dumps
# leaves unescaped when ensure_ascii is off. Escaping them keeps "one record per line" true for every reader.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def write_json(docs: Iterable[Document], stories: Sequence[Story], out: TextIO) -> None:
    """Write one JSON object: ``{"version", "articles", "stories"}``, indented, UTF-8 characters unescaped."""
    json.dump(export_object(docs, stories), out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(docs: Iterable[Document], stories: Sequence[Story], out: TextIO) -> None:
    """Write one article object per line, in the same shape as in `write_json`, and nothing else.

    JSON Lines has no place for the export version or the stories, so ``stories`` is ignored (it is accepted
    so that all writers share one signature); use `write_json` to export stories.
    """
    del stories
    for doc in _ordered(docs):
        line = json.dumps(article_record(doc), ensure_ascii=False)
        for char, escape in _LINE_BREAKS.items():
            line = line.replace(
                char, escape
            )  # these can only occur inside JSON strings, where escaping is exact
        out.write(line + "\n")


def write_csv(docs: Iterable[Document], stories: Sequence[Story], out: TextIO) -> None:
    """Write one row per quote, with a header row of `CSV_COLUMNS`; stories are not part of the CSV.

    Missing values are empty cells. Rows end with ``\\n``; open a file with ``newline=""`` as the csv module
    asks, so line breaks inside quotes are kept as they are.
    """
    del stories
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in _ordered(docs):
        meta = doc.article.meta
        published = meta.published.isoformat() if meta.published else None
        for quote in _quotes(doc):
            row = (
                doc.id,
                meta.source_path,
                meta.outlet,
                meta.title,
                published,
                quote.speaker,
                quote.speaker_id,
                quote.kind.value,
                quote.cue,
                quote.start,
                quote.end,
                quote.text,
            )
            writer.writerow(["" if value is None else value for value in row])


def export_object(docs: Iterable[Document], stories: Sequence[Story]) -> dict[str, Any]:
    """The JSON-able object `write_json` writes."""
    return {
        "version": EXPORT_VERSION,
        "articles": [article_record(doc) for doc in _ordered(docs)],
        "stories": [story_record(story) for story in sorted(stories, key=lambda s: s.id)],
    }


def article_record(doc: Document) -> dict[str, Any]:
    """One article of the export: its metadata, text, removed lines, quotes and entities."""
    meta = doc.article.meta
    return {
        "id": doc.id,
        "source_path": meta.source_path,
        "url": meta.url,
        "outlet": meta.outlet,
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "language": doc.language,
        "charset": doc.article.charset,
        "text": doc.text,
        "removed": [{"line": r.line, "text": r.text, "rule": r.rule} for r in doc.article.removed],
        "quotes": [_quote_record(q) for q in _quotes(doc)],
        "entities": [_entity_record(e) for e in doc.entities],
    }


def story_record(story: Story) -> dict[str, Any]:
    return {"id": story.id, "label": story.label, "articles": list(story.article_ids)}


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `write_json`'s output, as shipped with the package."""
    text = resources.files("rashomon").joinpath("schema/export.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _ordered(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda doc: doc.id)


def _quotes(doc: Document) -> list[Quote]:
    for index, quote in enumerate(doc.quotes):
        if not quote.parts:
            raise ValueError(
                f"article {doc.id}: quote {index} ({quote.text[:40]!r}) has no position (no parts)"
            )
    return sorted(doc.quotes, key=lambda q: (q.start, q.end))  # stable: equal positions keep document order


def _quote_record(quote: Quote) -> dict[str, Any]:
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "speaker_id": quote.speaker_id,
        "kind": quote.kind.value,
        "cue": quote.cue,
        "start": quote.start,
        "end": quote.end,
        "parts": [_span(p) for p in quote.parts],
        "attribution": quote.attribution.value,
    }


def _entity_record(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type.value,
        "labels": list(entity.labels),
        "mentions": [_mention_record(m) for m in entity.mentions],
    }


def _mention_record(mention: Mention) -> dict[str, Any]:
    return {
        "start": mention.span.start,
        "end": mention.span.end,
        "text": mention.text,
        "kind": mention.kind.value,
        "label": mention.label,
    }


def _span(span: Span) -> list[int]:
    return [span.start, span.end]
