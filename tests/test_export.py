"""The export contract: JSON validated against the shipped schema, JSON Lines and CSV."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from rashomon.export import (
    CSV_COLUMNS,
    EXPORT_VERSION,
    export_schema,
    write_csv,
    write_json,
    write_jsonl,
)
from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    RemovedLine,
    SourceFormat,
    Span,
    Story,
)

DOCS_EXPORT = Path(__file__).resolve().parents[1] / "docs" / "export.md"


def at(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words))


def corbyn_document() -> Document:
    text = (
        'Jeremy Corbyn said: "We will not stand by." '
        'The Labour leader, a "lifelong socialist", spoke in London.\n\n'
        '"This is a scandal, a real scandal,\n\nand it must end," he added.'
    )
    corbyn = Entity(
        "jeremy-corbyn",
        "Jeremy Corbyn",
        EntityType.PERSON,
        (
            Mention(at(text, "Jeremy Corbyn"), "Jeremy Corbyn"),
            Mention(
                at(text, "The Labour leader"), "The Labour leader", MentionKind.DESCRIPTION, "Labour leader"
            ),
            Mention(at(text, "he"), "he", MentionKind.PRONOUN),
        ),
        ("Labour leader", "lifelong socialist"),
    )
    london = Entity("london", "London", EntityType.LOCATION, (Mention(at(text, "London"), "London"),))
    later = Quote(  # listed first on purpose: the export orders quotes by position
        "This is a scandal, a real scandal, and it must end,",
        (at(text, "This is a scandal, a real scandal,"), at(text, "and it must end,")),
        QuoteKind.DIRECT,
        "Jeremy Corbyn",
        "jeremy-corbyn",
        at(text, "he"),
        "added",
        at(text, "added"),
        Attribution.CONTINUATION,
    )
    first = Quote(
        "We will not stand by.",
        (at(text, "We will not stand by."),),
        QuoteKind.DIRECT,
        "Jeremy Corbyn",
        "jeremy-corbyn",
        at(text, "Jeremy Corbyn"),
        "said",
        at(text, "said"),
        Attribution.CUE_BEFORE,
    )
    partial = Quote("lifelong socialist", (at(text, "lifelong socialist"),), QuoteKind.PARTIAL)
    article = Article.create(
        text,
        ArticleMeta("guardian.html", "https://guardian.example/c", "The Guardian", "Corbyn: “not stand by”"),
        SourceFormat.HTML,
        removed=(RemovedLine(2, "Share on Facebook", "share-links"),),
    )
    return Document(article, "en", entities=(corbyn, london), quotes=(later, first, partial))


def maduro_document() -> Document:
    text = "Nicolás Maduro afirmó que «ganaremos, diga lo que diga Washington».\nFin, coma; “comillas”."
    article = Article.create(
        text,
        ArticleMeta("elpais.txt", outlet="El País", published=dt.date(2019, 1, 23)),
        SourceFormat.TEXT,
        charset="iso-8859-1",
    )
    quote = Quote(
        "ganaremos, diga lo que diga Washington",
        (at(text, "ganaremos, diga lo que diga Washington"),),
        QuoteKind.DIRECT,
        "Nicolás Maduro",
        "nicolas-maduro",
        cue="afirmó que",
        attribution=Attribution.CUE_BEFORE,
    )
    return Document(article, None, quotes=(quote,))


DOCS = (corbyn_document(), maduro_document())
STORIES = (Story("story-b", "Venezuela", (DOCS[1].id,)), Story("story-a", "Labour", (DOCS[0].id,)))


def exported(docs: tuple[Document, ...] = DOCS, stories: tuple[Story, ...] = STORIES) -> dict[str, Any]:
    out = io.StringIO()
    write_json(docs, stories, out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def validate(data: Any) -> None:
    jsonschema.validate(data, export_schema(), cls=jsonschema.Draft202012Validator)


# --- JSON ---------------------------------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(export_schema())


def test_json_export_validates_against_the_schema() -> None:
    validate(exported())


def test_empty_export_validates() -> None:
    data = exported((), ())
    assert data == {"version": EXPORT_VERSION, "articles": [], "stories": []}
    validate(data)


def test_json_export_shape() -> None:
    data = exported()
    assert data["version"] == "1.0"
    assert [a["id"] for a in data["articles"]] == sorted(d.id for d in DOCS)
    assert [s["id"] for s in data["stories"]] == ["story-a", "story-b"]
    assert data["stories"][0] == {"id": "story-a", "label": "Labour", "articles": [DOCS[0].id]}
    corbyn = next(a for a in data["articles"] if a["id"] == DOCS[0].id)
    assert {k: corbyn[k] for k in ("source_path", "outlet", "published", "language", "charset")} == {
        "source_path": "guardian.html",
        "outlet": "The Guardian",
        "published": None,
        "language": "en",
        "charset": "utf-8",
    }
    assert corbyn["removed"] == [{"line": 2, "text": "Share on Facebook", "rule": "share-links"}]
    assert corbyn["entities"][0]["labels"] == ["Labour leader", "lifelong socialist"]
    assert corbyn["entities"][0]["mentions"][1] == {
        "start": DOCS[0].text.index("The Labour leader"),
        "end": DOCS[0].text.index("The Labour leader") + len("The Labour leader"),
        "text": "The Labour leader",
        "kind": "description",
        "label": "Labour leader",
    }
    maduro = next(a for a in data["articles"] if a["id"] == DOCS[1].id)
    assert (maduro["published"], maduro["language"], maduro["url"], maduro["entities"]) == (
        "2019-01-23",
        None,
        None,
        [],
    )


def test_quote_offsets_point_into_the_text() -> None:
    for article in exported()["articles"]:
        text = article["text"]
        for quote in article["quotes"]:
            assert [text[s:e] for s, e in quote["parts"]] and quote["start"] == quote["parts"][0][0]
            assert quote["end"] == quote["parts"][-1][1]
            if len(quote["parts"]) == 1:
                assert text[quote["start"] : quote["end"]] == quote["text"]
            else:
                assert " ".join(text[s:e] for s, e in quote["parts"]) == quote["text"]
        for entity in article["entities"]:
            for mention in entity["mentions"]:
                assert text[mention["start"] : mention["end"]] == mention["text"]


def test_quotes_are_ordered_by_position() -> None:
    corbyn = next(a for a in exported()["articles"] if a["id"] == DOCS[0].id)
    assert [q["text"] for q in corbyn["quotes"]] == [
        "We will not stand by.",
        "lifelong socialist",
        "This is a scandal, a real scandal, and it must end,",
    ]
    assert corbyn["quotes"][2]["attribution"] == "continuation"
    assert corbyn["quotes"][1] | {"text": None} == {
        "text": None,
        "speaker": None,
        "speaker_id": None,
        "kind": "partial",
        "cue": None,
        "start": corbyn["quotes"][1]["start"],
        "end": corbyn["quotes"][1]["end"],
        "parts": [[corbyn["quotes"][1]["start"], corbyn["quotes"][1]["end"]]],
        "attribution": "none",
    }


def test_json_output_is_deterministic_readable_utf8() -> None:
    first, second = io.StringIO(), io.StringIO()
    write_json(DOCS, STORIES, first)
    write_json(tuple(reversed(DOCS)), tuple(reversed(STORIES)), second)
    assert first.getvalue() == second.getvalue()
    assert "Nicolás" in first.getvalue() and "\\u00e1" not in first.getvalue()  # ensure_ascii=False
    assert first.getvalue().startswith('{\n  "version": "1.0",\n  "articles": [\n    {\n      "id"')
    assert first.getvalue().endswith("}\n")


def test_json_accepts_a_generator() -> None:
    out = io.StringIO()
    write_json((d for d in DOCS), [], out)
    assert len(json.loads(out.getvalue())["articles"]) == 2


def test_quote_without_position_cannot_be_exported() -> None:
    doc = Document(DOCS[1].article, quotes=(Quote("lost", (), QuoteKind.DIRECT),))
    with pytest.raises(ValueError, match=f"article {doc.id}: quote 0"):
        write_json([doc], [], io.StringIO())


# --- the schema's strictness --------------------------------------------------------------------------------

Change = Callable[[dict[str, Any]], None]


def delete(*path: str | int) -> Change:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def put(value: Any, *path: str | int) -> Change:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


REQUIRED_ARTICLE_FIELDS = (
    "id",
    "source_path",
    "url",
    "outlet",
    "title",
    "published",
    "language",
    "charset",
    "text",
    "removed",
    "quotes",
    "entities",
)
REQUIRED_QUOTE_FIELDS = (
    "text",
    "speaker",
    "speaker_id",
    "kind",
    "cue",
    "start",
    "end",
    "parts",
    "attribution",
)


@pytest.mark.parametrize(
    "change",
    [
        delete("version"),
        delete("articles"),
        delete("stories"),
        *(delete("articles", 0, name) for name in REQUIRED_ARTICLE_FIELDS),
        *(delete("articles", 0, "quotes", 0, name) for name in REQUIRED_QUOTE_FIELDS),
        delete("articles", 0, "entities", 0, "mentions"),
        delete("articles", 0, "entities", 0, "mentions", 0, "label"),
        delete("articles", 0, "removed", 0, "rule"),
        delete("stories", 0, "articles"),
        put("2.0", "version"),
        put(1.0, "version"),
        put({}, "articles"),
        put(None, "articles", 0, "id"),
        put(None, "articles", 0, "text"),
        put("23/01/2019", "articles", 0, "published"),
        put(3, "articles", 0, "outlet"),
        put("12", "articles", 0, "quotes", 0, "start"),
        put(-1, "articles", 0, "quotes", 0, "end"),
        put(True, "articles", 0, "quotes", 0, "end"),
        put("quoted", "articles", 0, "quotes", 0, "kind"),
        put("hearsay", "articles", 0, "quotes", 0, "attribution"),
        put([], "articles", 0, "quotes", 0, "parts"),
        put([[1, 2, 3]], "articles", 0, "quotes", 0, "parts"),
        put([[1]], "articles", 0, "quotes", 0, "parts"),
        put("PERSON", "articles", 0, "entities", 0, "type"),
        put("Labour leader", "articles", 0, "entities", 0, "labels"),
        put("nickname", "articles", 0, "entities", 0, "mentions", 0, "kind"),
        put(0, "articles", 0, "removed", 0, "line"),
        put([1], "stories", 0, "articles"),
    ],
)
def test_schema_rejects_broken_exports(change: Change) -> None:
    data = copy.deepcopy(exported((DOCS[0],)))  # the article with quotes, entities and removed lines
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


@pytest.mark.parametrize(
    "change",
    [
        put("added in 1.1", "articles", 0, "summary"),
        put({"score": 0.5}, "articles", 0, "quotes", 0, "stance"),
        put("1.7", "version"),
        put(None, "articles", 0, "quotes", 0, "speaker"),
    ],
)
def test_schema_accepts_additions_and_nulls(change: Change) -> None:
    data = copy.deepcopy(exported((DOCS[0],)))
    change(data)
    validate(data)


@pytest.mark.parametrize(
    ("definition", "field", "enum"),
    [
        ("quote", "kind", QuoteKind),
        ("quote", "attribution", Attribution),
        ("entity", "type", EntityType),
        ("mention", "kind", MentionKind),
    ],
)
def test_schema_enums_match_the_model(definition: str, field: str, enum: type[Any]) -> None:
    assert export_schema()["$defs"][definition]["properties"][field]["enum"] == [e.value for e in enum]


def test_documented_example_validates() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOCS_EXPORT.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "docs/export.md has no ```json example"
    for block in blocks:
        validate(json.loads(block))


# --- JSON Lines ---------------------------------------------------------------------------------------------


def test_jsonl_has_one_article_per_line_in_the_json_shape() -> None:
    out = io.StringIO()
    write_jsonl(DOCS, STORIES, out)
    lines = out.getvalue().split("\n")
    assert lines[-1] == ""  # every line ends with a newline
    assert [json.loads(line) for line in lines[:-1]] == exported()["articles"]


def test_jsonl_keeps_unicode_line_separators_escaped() -> None:
    text = "Primera\u2028segunda\u2029tercera\x85cuarta."
    doc = Document(Article.create(text, ArticleMeta("odd.txt"), SourceFormat.TEXT))
    out = io.StringIO()
    write_jsonl([doc], [], out)
    assert len(out.getvalue().splitlines()) == 1
    assert json.loads(out.getvalue())["text"] == text


# --- CSV ----------------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_quote() -> None:
    out = io.StringIO()
    write_csv(DOCS, STORIES, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]
    json_quotes = [
        (article, quote) for article in exported()["articles"] for quote in article["quotes"]
    ]  # the same order as the JSON
    assert len(records) == len(json_quotes) == 4
    for record, (article, quote) in zip(records, json_quotes, strict=True):
        assert record["article_id"] == article["id"]
        assert record["text"] == quote["text"]  # commas and quote marks survive the quoting
        assert (int(record["start"]), int(record["end"])) == (quote["start"], quote["end"])
        assert record["speaker"] == (quote["speaker"] or "")
        assert record["kind"] == quote["kind"]
        assert record["published"] == (article["published"] or "")


def test_csv_of_no_quotes_is_just_the_header() -> None:
    out = io.StringIO()
    write_csv([], [], out)
    assert out.getvalue() == ",".join(CSV_COLUMNS) + "\n"
