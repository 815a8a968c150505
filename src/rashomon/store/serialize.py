"""Conversion between the model's records and JSON-able structures (the stored analysis blob).

Encoding and decoding are exact inverses: ``document_from_json(document_to_json(doc)) == doc`` for every
record and enum in `rashomon.model`. Spans are ``[start, end]`` pairs, enums their string values, dates ISO
text, tuples JSON lists. The analysis blob (`analysis_to_json`) holds everything a `Document` carries beyond
its `Article`, which the store keeps in its own table. Malformed input raises `ValueError`, `KeyError` or
`TypeError` naming what was wrong; the store turns these into a `StoreError` naming the database and article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    Label,
    LabelKind,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    RemovedLine,
    SourceFormat,
    Span,
    TargetStance,
)

# Stored in every analysis blob; bump it (and teach `analysis_from_json` the old shape) if the shape changes.
# Format 2: entity labels are `Label` records (text, normal form, kind, spans), not strings. Format-1 blobs are
# not read: they were written by pipeline versions (ner < v4) whose analyses the current code never asks for, so
# a store holding them re-analyses those articles instead.
# Format 3: the blob gains `stances` (rashomon.model.TargetStance, issue 6). Format-2 blobs are read as they are,
# with no stances: they hold everything else a format-3 blob does.
ANALYSIS_FORMAT = 3
READABLE_FORMATS = frozenset({2, 3})

Json = dict[str, Any]


# --- small values -------------------------------------------------------------------------------------------


def span_to_json(span: Span) -> list[int]:
    return [span.start, span.end]


def span_from_json(data: Any) -> Span:
    if not isinstance(data, list) or len(data) != 2 or not all(type(v) is int for v in data):
        raise ValueError(f"a span must be a [start, end] pair of integers, not {data!r}")
    return Span(data[0], data[1])


def _optional_span(data: Any) -> Span | None:
    return None if data is None else span_from_json(data)


def _spans(data: Any) -> tuple[Span, ...]:
    return tuple(span_from_json(item) for item in _list(data))


def date_to_json(date: dt.date | None) -> str | None:
    return None if date is None else date.isoformat()


def date_from_json(data: Any) -> dt.date | None:
    return None if data is None else dt.date.fromisoformat(_str(data))


def _str(data: Any) -> str:
    if not isinstance(data, str):
        raise TypeError(f"expected a string, not {data!r}")
    return data


def _optional_str(data: Any) -> str | None:
    return None if data is None else _str(data)


def _int(data: Any) -> int:
    if type(data) is not int:  # bool is an int subclass, and never a valid offset or line number
        raise TypeError(f"expected an integer, not {data!r}")
    return data


def _optional_int(data: Any) -> int | None:
    return None if data is None else _int(data)


def _probability(data: Any) -> float:
    if type(data) not in (int, float):  # not bool, not a string
        raise TypeError(f"expected a probability, not {data!r}")
    return float(data)


def _list(data: Any) -> Sequence[Any]:
    if not isinstance(data, list):
        raise TypeError(f"expected a list, not {data!r}")
    return data


def _strs(data: Any) -> tuple[str, ...]:
    return tuple(_str(item) for item in _list(data))


# --- articles -----------------------------------------------------------------------------------------------


def removed_to_json(removed: Sequence[RemovedLine]) -> list[Json]:
    return [{"line": r.line, "text": r.text, "rule": r.rule} for r in removed]


def removed_from_json(data: Any) -> tuple[RemovedLine, ...]:
    return tuple(RemovedLine(_int(r["line"]), _str(r["text"]), _str(r["rule"])) for r in _list(data))


def meta_to_json(meta: ArticleMeta) -> Json:
    return {
        "source_path": meta.source_path,
        "url": meta.url,
        "outlet": meta.outlet,
        "title": meta.title,
        "published": date_to_json(meta.published),
        "author": meta.author,
        "language": meta.language,
    }


def meta_from_json(data: Json) -> ArticleMeta:
    return ArticleMeta(
        source_path=_str(data["source_path"]),
        url=_optional_str(data["url"]),
        outlet=_optional_str(data["outlet"]),
        title=_optional_str(data["title"]),
        published=date_from_json(data["published"]),
        author=_optional_str(data["author"]),
        language=_optional_str(data["language"]),
    )


def article_to_json(article: Article) -> Json:
    return {
        "id": article.id,
        "text": article.text,
        "meta": meta_to_json(article.meta),
        "source_format": article.source_format.value,
        "charset": article.charset,
        "removed": removed_to_json(article.removed),
    }


def article_from_json(data: Json) -> Article:
    return Article(
        id=_str(data["id"]),
        text=_str(data["text"]),
        meta=meta_from_json(data["meta"]),
        source_format=SourceFormat(data["source_format"]),
        charset=_str(data["charset"]),
        removed=removed_from_json(data["removed"]),
    )


# --- annotations --------------------------------------------------------------------------------------------


def mention_to_json(mention: Mention) -> Json:
    return {
        "span": span_to_json(mention.span),
        "text": mention.text,
        "kind": mention.kind.value,
        "label": mention.label,
    }


def mention_from_json(data: Json) -> Mention:
    return Mention(
        span=span_from_json(data["span"]),
        text=_str(data["text"]),
        kind=MentionKind(data["kind"]),
        label=_optional_str(data["label"]),
    )


def label_to_json(label: Label) -> Json:
    return {
        "text": label.text,
        "normal": label.normal,
        "kind": label.kind.value,
        "span": span_to_json(label.span),
        "mention": None if label.mention is None else span_to_json(label.mention),
        "scare_quoted": label.scare_quoted,
    }


def label_from_json(data: Json) -> Label:
    scare = data["scare_quoted"]
    if not isinstance(scare, bool):
        raise TypeError(f"expected true or false for scare_quoted, got {type(scare).__name__}")
    return Label(
        text=_str(data["text"]),
        normal=_str(data["normal"]),
        kind=LabelKind(data["kind"]),
        span=span_from_json(data["span"]),
        mention=_optional_span(data["mention"]),
        scare_quoted=scare,
    )


def entity_to_json(entity: Entity) -> Json:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type.value,
        "mentions": [mention_to_json(m) for m in entity.mentions],
        "labels": [label_to_json(label) for label in entity.labels],
    }


def entity_from_json(data: Json) -> Entity:
    return Entity(
        id=_str(data["id"]),
        name=_str(data["name"]),
        type=EntityType(data["type"]),
        mentions=tuple(mention_from_json(m) for m in _list(data["mentions"])),
        labels=tuple(label_from_json(label) for label in _list(data["labels"])),
    )


def quote_to_json(quote: Quote) -> Json:
    return {
        "text": quote.text,
        "parts": [span_to_json(p) for p in quote.parts],
        "kind": quote.kind.value,
        "speaker": quote.speaker,
        "speaker_id": quote.speaker_id,
        "speaker_mention": None if quote.speaker_mention is None else span_to_json(quote.speaker_mention),
        "cue": quote.cue,
        "cue_span": None if quote.cue_span is None else span_to_json(quote.cue_span),
        "attribution": quote.attribution.value,
    }


def quote_from_json(data: Json) -> Quote:
    return Quote(
        text=_str(data["text"]),
        parts=_spans(data["parts"]),
        kind=QuoteKind(data["kind"]),
        speaker=_optional_str(data["speaker"]),
        speaker_id=_optional_str(data["speaker_id"]),
        speaker_mention=_optional_span(data["speaker_mention"]),
        cue=_optional_str(data["cue"]),
        cue_span=_optional_span(data["cue_span"]),
        attribution=Attribution(data["attribution"]),
    )


def stance_to_json(stance: TargetStance) -> Json:
    return {
        "mention": span_to_json(stance.mention),
        "sentence": span_to_json(stance.sentence),
        "probabilities": [stance.negative, stance.neutral, stance.positive],
        "quote": stance.quote,
    }


def stance_from_json(data: Json) -> TargetStance:
    probabilities = _list(data["probabilities"])
    if len(probabilities) != 3:
        raise ValueError(f"stance probabilities are [negative, neutral, positive], not {probabilities!r}")
    negative, neutral, positive = (_probability(p) for p in probabilities)
    return TargetStance(
        mention=span_from_json(data["mention"]),
        sentence=span_from_json(data["sentence"]),
        negative=negative,
        neutral=neutral,
        positive=positive,
        quote=_optional_int(data["quote"]),
    )


# --- documents ----------------------------------------------------------------------------------------------


def analysis_to_json(doc: Document) -> Json:
    """The analysis blob: everything ``doc`` holds beyond its article, except its words.

    `Document.words` (the syntax stage's tokens) is an intermediate the later stages consume: kept, it would
    multiply the size of every analysis several times over, and it can be recomputed from the text.
    """
    return {
        "format": ANALYSIS_FORMAT,
        "language": doc.language,
        "paragraphs": [span_to_json(s) for s in doc.paragraphs],
        "sentences": [span_to_json(s) for s in doc.sentences],
        "entities": [entity_to_json(e) for e in doc.entities],
        "quotes": [quote_to_json(q) for q in doc.quotes],
        "stances": [stance_to_json(s) for s in doc.stances],
        "stages": list(doc.stages),
    }


def analysis_from_json(article: Article, data: Json) -> Document:
    """The `Document` an analysis blob describes, for ``article`` (the article it was computed from)."""
    found = data.get("format")
    if type(found) is not int or found not in READABLE_FORMATS:
        readable = ", ".join(str(f) for f in sorted(READABLE_FORMATS))
        raise ValueError(f"unknown analysis format {found!r} (this code reads formats {readable})")
    return Document(
        article=article,
        language=_optional_str(data["language"]),
        paragraphs=_spans(data["paragraphs"]),
        sentences=_spans(data["sentences"]),
        entities=tuple(entity_from_json(e) for e in _list(data["entities"])),
        quotes=tuple(quote_from_json(q) for q in _list(data["quotes"])),
        stances=tuple(stance_from_json(s) for s in _list(data["stances"])) if found >= 3 else (),
        stages=_strs(data["stages"]),
    )


def document_to_json(doc: Document) -> Json:
    """A whole document, article included."""
    return {"article": article_to_json(doc.article), **analysis_to_json(doc)}


def document_from_json(data: Json) -> Document:
    return analysis_from_json(article_from_json(data["article"]), data)
