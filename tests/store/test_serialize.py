"""Round-trips of every model record and enum through the JSON structures of rashomon.store.serialize."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

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
)
from rashomon.store import serialize


def through_json(data: Any) -> Any:
    """What the store reads back: the structure written out as JSON text and parsed again."""
    return json.loads(json.dumps(data, ensure_ascii=False))


def test_document_round_trip(document: Document) -> None:
    assert serialize.document_from_json(through_json(serialize.document_to_json(document))) == document


def test_analysis_round_trip_attaches_the_given_article(document: Document) -> None:
    blob = through_json(serialize.analysis_to_json(document))
    assert "article" not in blob and "text" not in blob  # the article is stored in its own table
    assert serialize.analysis_from_json(document.article, blob) == document


def test_empty_document_round_trip(article: Article) -> None:
    doc = Document(article)
    assert serialize.document_from_json(through_json(serialize.document_to_json(doc))) == doc


@pytest.mark.parametrize("source_format", list(SourceFormat))
@pytest.mark.parametrize(
    "meta",
    [
        ArticleMeta("a.txt"),
        ArticleMeta("-", "https://x.example/1", "Outlet", "Título «raro»", dt.date(2024, 2, 29), "Ana", "pt"),
        ArticleMeta("feed.jsonl#12", published=dt.date(1999, 12, 31)),
    ],
)
def test_article_round_trip(source_format: SourceFormat, meta: ArticleMeta) -> None:
    article = Article.create("Some text.\nMore “text”.", meta, source_format, charset="latin-1")
    assert serialize.article_from_json(through_json(serialize.article_to_json(article))) == article


@pytest.mark.parametrize(
    "removed",
    [
        (),
        (RemovedLine(1, "Share this", "share"),),
        (RemovedLine(3, "", "blank"), RemovedLine(9, "Ñ ©", "legal")),
    ],
)
def test_removed_lines_round_trip(removed: tuple[RemovedLine, ...]) -> None:
    assert serialize.removed_from_json(through_json(serialize.removed_to_json(removed))) == removed


@pytest.mark.parametrize("kind", list(MentionKind))
@pytest.mark.parametrize("label", [None, "self-proclaimed President"])
def test_mention_round_trip(kind: MentionKind, label: str | None) -> None:
    mention = Mention(Span(3, 9), "Corbyn", kind, label)
    assert serialize.mention_from_json(through_json(serialize.mention_to_json(mention))) == mention


@pytest.mark.parametrize("entity_type", list(EntityType))
def test_entity_round_trip(entity_type: EntityType) -> None:
    labels = tuple(Label("a b", "a b", kind, Span(0, 3), Span(5, 7), n % 2 == 0) for n, kind in enumerate(LabelKind))
    entity = Entity("x", "X Y", entity_type, (Mention(Span(0, 3), "X Y"), Mention(Span(5, 7), "he")), labels)
    assert serialize.entity_from_json(through_json(serialize.entity_to_json(entity))) == entity


@pytest.mark.parametrize("kind", list(QuoteKind))
@pytest.mark.parametrize("attribution", list(Attribution))
def test_quote_round_trip(kind: QuoteKind, attribution: Attribution) -> None:
    quote = Quote("a b", (Span(10, 11), Span(20, 21)), kind, "S", "s", Span(0, 1), "said", Span(2, 6), attribution)
    assert serialize.quote_from_json(through_json(serialize.quote_to_json(quote))) == quote


def test_quote_round_trip_without_speaker() -> None:
    quote = Quote("words", (Span(1, 6),), QuoteKind.PARTIAL)
    assert serialize.quote_from_json(through_json(serialize.quote_to_json(quote))) == quote


def test_round_trip_gives_tuples_and_enums(document: Document) -> None:
    doc = serialize.document_from_json(through_json(serialize.document_to_json(document)))
    assert isinstance(doc.quotes, tuple) and isinstance(doc.quotes[0].parts, tuple)
    assert type(doc.quotes[0].kind) is QuoteKind and type(doc.entities[0].type) is EntityType
    assert hash(doc.quotes[0].parts[0]) == hash(document.quotes[0].parts[0])  # hashable, as the model's are


def test_enums_are_stored_as_their_values(document: Document) -> None:
    blob = serialize.analysis_to_json(document)
    assert blob["quotes"][0]["kind"] == "direct"
    assert blob["quotes"][0]["attribution"] == "cue-before"
    assert blob["entities"][0]["type"] == "PER"
    assert blob["paragraphs"][0] == [0, document.paragraphs[0].end]


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(blob: dict[str, Any]) -> None:
        target: Any = blob
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def change(blob: dict[str, Any]) -> None:
        target: Any = blob
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (_set(("format",), 99), ValueError),
        (_delete(("quotes",)), KeyError),
        (_set(("quotes", 0, "kind"), "quoted"), ValueError),
        (_set(("quotes", 0, "attribution"), "hearsay"), ValueError),
        (_set(("entities", 0, "type"), "PERSON"), ValueError),
        (_set(("paragraphs", 0), [0]), ValueError),
        (_set(("paragraphs", 0), [5, 2]), ValueError),
        (_set(("paragraphs", 0), [True, 2]), ValueError),
        (_set(("sentences",), "0-10"), TypeError),
        (_set(("quotes", 0, "speaker"), 7), TypeError),
        (_set(("entities", 0, "labels"), ["socialista"]), TypeError),
        (_set(("entities", 0, "labels", 0, "kind"), "epithet"), ValueError),
        (_set(("entities", 0, "labels", 0, "scare_quoted"), 1), TypeError),
        (_delete(("entities", 0, "labels", 0, "normal")), KeyError),
        (_delete(("entities", 0, "mentions", 0, "span")), KeyError),
        # the stances (format 3)
        (_set(("format",), 1), ValueError),
        (_set(("format",), "3"), ValueError),
        (_set(("format",), True), ValueError),
        (_delete(("stances",)), KeyError),
        (_set(("stances",), {}), TypeError),
        (_set(("stances", 0, "probabilities"), [0.5, 0.5]), ValueError),
        (_set(("stances", 0, "probabilities"), [0.5, 0.5, 0.5]), ValueError),  # not a distribution
        (_set(("stances", 0, "probabilities"), [1.5, -0.25, -0.25]), ValueError),
        (_set(("stances", 0, "probabilities"), ["0.2", 0.5, 0.3]), TypeError),
        (_set(("stances", 0, "probabilities"), [True, False, False]), TypeError),
        (_set(("stances", 0, "sentence"), [20, 30]), ValueError),  # the mention is not inside it
        (_set(("stances", 0, "quote"), 1.0), TypeError),
        (_delete(("stances", 0, "quote")), KeyError),
        (_delete(("stances", 0, "mention")), KeyError),
    ],
)
def test_malformed_blob_is_rejected(
    document: Document, change: Callable[[dict[str, Any]], None], error: type[Exception]
) -> None:
    blob = through_json(serialize.analysis_to_json(document))
    change(blob)
    with pytest.raises(error):
        serialize.analysis_from_json(document.article, blob)


@pytest.mark.parametrize("value", ["2019-02-30", "23/01/2019", 20190123])
def test_malformed_date_is_rejected(value: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        serialize.date_from_json(value)


# --- stances (issue 6): analysis format 3 -----------------------------------------------------------------------


def test_stances_round_trip_with_their_quote(document: Document) -> None:
    assert document.stances and any(s.quoted for s in document.stances)
    blob = through_json(serialize.analysis_to_json(document))
    assert blob["format"] == serialize.ANALYSIS_FORMAT == 3
    assert blob["stances"][0] == {
        "mention": [0, 14],
        "sentence": [document.paragraphs[0].start, document.paragraphs[0].end],
        "probabilities": [0.125, 0.75, 0.125],
        "quote": None,
    }
    assert serialize.analysis_from_json(document.article, blob).stances == document.stances


def test_regression_format_2_blobs_are_still_read_without_stances(document: Document) -> None:
    # Analyses stored before issue 6 (format 2, no "stances") must stay readable: nothing stored is lost.
    blob = through_json(serialize.analysis_to_json(document))
    blob["format"] = 2
    del blob["stances"]
    doc = serialize.analysis_from_json(document.article, blob)
    assert doc.stances == () and doc.quotes == document.quotes and doc.entities == document.entities
