"""The export contract: JSON validated against the shipped schema, JSON Lines and CSV."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from builders import label_at
from jsonedit import Change, delete, put
from rashomon.corpus.quotes import QuoteMatch, QuoteRef
from rashomon.export import (
    CSV_COLUMNS,
    EXPORT_VERSION,
    VOICE_CSV_COLUMNS,
    export_schema,
    write_csv,
    write_json,
    write_jsonl,
    write_voices_csv,
)
from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    LabelKind,
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
            Mention(at(text, "The Labour leader"), "The Labour leader", MentionKind.DESCRIPTION, "Labour leader"),
            Mention(at(text, "he"), "he", MentionKind.PRONOUN),
        ),
        (
            label_at(text, "Labour leader", LabelKind.DESCRIPTION),
            label_at(text, "lifelong socialist", LabelKind.APPOSITIVE),
        ),
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
    assert data == {
        "version": EXPORT_VERSION,
        "articles": [],
        "stories": [],
        "events": [],
        "duplicates": [],
        "voices": {"articles": [], "outlets": [], "stories": []},
        "label_matrix": {"outlets": [], "min_count": 2, "actors": []},
        "stance_matrix": {"outlets": [], "min_count": 3, "voice": "all", "actors": []},
    }
    validate(data)


def test_json_export_shape() -> None:
    data = exported()
    assert data["version"] == "2.2"
    assert [a["id"] for a in data["articles"]] == sorted(d.id for d in DOCS)
    assert [s["id"] for s in data["stories"]] == ["story-a", "story-b"]
    assert data["stories"][0] == {
        "id": "story-a",
        "label": "Labour",
        "articles": [DOCS[0].id],
        "events": [],
        "first_date": None,
        "last_date": None,
        "actors": [],
        "phrases": [],
    }
    corbyn = next(a for a in data["articles"] if a["id"] == DOCS[0].id)
    assert {k: corbyn[k] for k in ("source_path", "outlet", "published", "language", "charset")} == {
        "source_path": "guardian.html",
        "outlet": "The Guardian",
        "published": None,
        "language": "en",
        "charset": "utf-8",
    }
    assert corbyn["removed"] == [{"line": 2, "text": "Share on Facebook", "rule": "share-links"}]
    leader, socialist = (DOCS[0].text.index(words) for words in ("Labour leader", "lifelong socialist"))
    assert corbyn["entities"][0]["labels"] == [
        {
            "text": "Labour leader",
            "normal": "labour leader",
            "kind": "description",
            "start": leader,
            "end": leader + len("Labour leader"),
            "mention": None,
            "scare_quoted": False,
        },
        {
            "text": "lifelong socialist",
            "normal": "lifelong socialist",
            "kind": "appositive",
            "start": socialist,
            "end": socialist + len("lifelong socialist"),
            "mention": None,
            "scare_quoted": False,
        },
    ]
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
        "speaker_span": None,
        "cue_span": None,
        "matches": [],
    }


def test_json_output_is_deterministic_readable_utf8() -> None:
    first, second = io.StringIO(), io.StringIO()
    write_json(DOCS, STORIES, first)
    write_json(tuple(reversed(DOCS)), tuple(reversed(STORIES)), second)
    assert first.getvalue() == second.getvalue()
    assert "Nicolás" in first.getvalue() and "\\u00e1" not in first.getvalue()  # ensure_ascii=False
    assert first.getvalue().startswith('{\n  "version": "2.2",\n  "articles": [\n    {\n      "id"')
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
        delete("label_matrix"),
        delete("voices"),
        put("3.0", "version"),
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
        put(["Labour leader"], "articles", 0, "entities", 0, "labels"),
        put("epithet", "articles", 0, "entities", 0, "labels", 0, "kind"),
        put("yes", "articles", 0, "entities", 0, "labels", 0, "scare_quoted"),
        put("", "articles", 0, "entities", 0, "labels", 0, "normal"),
        put([3], "articles", 0, "entities", 0, "labels", 0, "mention"),
        put("1.1", "version"),
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
        put("2.7", "version"),
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
        ("label", "kind", LabelKind),
    ],
)
def test_schema_enums_match_the_model(definition: str, field: str, enum: type[Any]) -> None:
    assert export_schema()["$defs"][definition]["properties"][field]["enum"] == [e.value for e in enum]


def test_documented_example_validates() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOCS_EXPORT.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "docs/export.md has no ```json example"
    for block in blocks:
        validate(json.loads(block))


# --- quote matches and voice shares (added in 1.1) ---------------------------------------------------------


def broadcaster_document() -> Document:
    """Another outlet carrying Corbyn's longer quote with one more word, listed before an earlier quote."""
    text = (
        'Mr Corbyn said Labour would "not stand idly by". Later he added: '
        '"This is a scandal, a real scandal, and it must end now."'
    )
    scandal = Quote(
        "This is a scandal, a real scandal, and it must end now.",
        (at(text, "This is a scandal, a real scandal, and it must end now."),),
        QuoteKind.DIRECT,
        "Jeremy Corbyn",
        "jeremy-corbyn",
        cue="added",
        attribution=Attribution.CUE_BEFORE,
    )
    idly = Quote(
        "not stand idly by",
        (at(text, "not stand idly by"),),
        QuoteKind.PARTIAL,
        "Jeremy Corbyn",
        "jeremy-corbyn",
        cue="said",
        attribution=Attribution.CUE_IN_SENTENCE,
    )
    article = Article.create(text, ArticleMeta("bbc.html", outlet="BBC"), SourceFormat.HTML)
    return Document(article, "en", quotes=(scandal, idly))  # document order is not position order


MATCHED = (corbyn_document(), maduro_document(), broadcaster_document())


def quote_of(data: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    article = next(a for a in data["articles"] if a["id"] == ref["article_id"])
    quote: dict[str, Any] = article["quotes"][ref["quote"]]
    return quote


def test_matches_point_at_the_other_versions_in_export_order() -> None:
    data = exported(MATCHED, STORIES)
    validate(data)
    guardian, bbc = (next(a for a in data["articles"] if a["id"] == d.id) for d in (MATCHED[0], MATCHED[2]))
    # The Guardian's quotes in position order: "We will not stand by.", "lifelong socialist", the scandal.
    assert guardian["quotes"][2]["matches"] == [{"article_id": bbc["id"], "quote": 1}]
    assert bbc["quotes"][1]["matches"] == [{"article_id": guardian["id"], "quote": 2}]
    assert quote_of(data, guardian["quotes"][2]["matches"][0])["text"].endswith("it must end now.")
    assert quote_of(data, bbc["quotes"][1]["matches"][0])["text"].endswith("it must end,")
    # "We will not stand by." and "not stand idly by" share three words, but are not the same quote.
    assert [q["matches"] for q in guardian["quotes"][:2]] == [[], []]
    assert bbc["quotes"][0]["matches"] == []
    assert all(q["matches"] == [] for a in data["articles"] if a["outlet"] == "El País" for q in a["quotes"])


def test_stored_matches_are_written_as_given() -> None:
    guardian, maduro, bbc = MATCHED
    given = [QuoteMatch("g1", (QuoteRef(guardian.id, 1), QuoteRef(maduro.id, 0), QuoteRef("not-exported", 4)))]
    out = io.StringIO()
    write_json(MATCHED, STORIES, out, matches=given)
    data = json.loads(out.getvalue())
    validate(data)
    by_id = {a["id"]: a for a in data["articles"]}
    # Guardian quote 1 in document order ("We will not stand by.") is quote 0 in export order.
    assert by_id[guardian.id]["quotes"][0]["matches"] == [{"article_id": maduro.id, "quote": 0}]
    assert by_id[maduro.id]["quotes"][0]["matches"] == [{"article_id": guardian.id, "quote": 0}]
    assert all(q["matches"] == [] for q in by_id[bbc.id]["quotes"])  # nothing computed when matches are given


def test_jsonl_quotes_carry_their_matches() -> None:
    out = io.StringIO()
    write_jsonl(MATCHED, STORIES, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == exported(MATCHED, STORIES)["articles"]
    assert sum(len(q["matches"]) for a in lines for q in a["quotes"]) == 2


def test_voices_section() -> None:
    data = exported()
    guardian, maduro = DOCS
    voices = data["voices"]
    assert [o["outlet"] for o in voices["outlets"]] == ["El País", "The Guardian"]
    assert [s["story"] for s in voices["stories"]] == ["story-a", "story-b"]
    the_guardian = voices["outlets"][1]
    assert (the_guardian["articles"], the_guardian["quotes"], the_guardian["words"]) == ([guardian.id], 3, 18)
    # Corbyn: "We will not stand by." (5 words) and the scandal quote (11 words), both direct; the unattributed
    # scare quote "lifelong socialist" (2 words) counts under speaker null.
    assert the_guardian["voices"] == [
        {
            "speaker": "Jeremy Corbyn",
            "speaker_id": "jeremy-corbyn",
            "quotes": 2,
            "words": 16,
            "share": 0.8889,
            "direct_quotes": 2,
            "direct_words": 16,
            "indirect_quotes": 0,
            "indirect_words": 0,
        },
        {
            "speaker": None,
            "speaker_id": None,
            "quotes": 1,
            "words": 2,
            "share": 0.1111,
            "direct_quotes": 1,
            "direct_words": 2,
            "indirect_quotes": 0,
            "indirect_words": 0,
        },
    ]
    venezuela = voices["stories"][1]
    assert (venezuela["label"], venezuela["articles"], venezuela["words"]) == ("Venezuela", [maduro.id], 6)
    assert [(v["speaker"], v["share"]) for v in venezuela["voices"]] == [("Nicolás Maduro", 1.0)]


def test_voices_csv() -> None:
    out = io.StringIO()
    write_voices_csv(DOCS, STORIES, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(out.getvalue().splitlines()[0].split(",")) == VOICE_CSV_COLUMNS
    guardian, maduro = DOCS
    article_rows = {
        guardian.id: [
            ("article", guardian.id, "Jeremy Corbyn", "16", "0.8889"),
            ("article", guardian.id, "", "2", "0.1111"),
        ],
        maduro.id: [("article", maduro.id, "Nicolás Maduro", "6", "1.0")],
    }
    assert [(r["scope"], r["key"], r["speaker"], r["words"], r["share"]) for r in rows] == [
        *(row for article_id in sorted(article_rows) for row in article_rows[article_id]),  # articles by id
        ("outlet", "El País", "Nicolás Maduro", "6", "1.0"),
        ("outlet", "The Guardian", "Jeremy Corbyn", "16", "0.8889"),
        ("outlet", "The Guardian", "", "2", "0.1111"),
        ("story", "story-a", "Jeremy Corbyn", "16", "0.8889"),
        ("story", "story-a", "", "2", "0.1111"),
        ("story", "story-b", "Nicolás Maduro", "6", "1.0"),
    ]
    corbyn = next(r for r in rows if r["scope"] == "article" and r["speaker"] == "Jeremy Corbyn")
    assert (corbyn["label"], corbyn["articles"]) == ("Corbyn: “not stand by”", "1")
    assert corbyn["speaker_id"] == "jeremy-corbyn"
    assert (corbyn["quotes"], corbyn["direct_quotes"], corbyn["indirect_quotes"]) == ("2", "2", "0")


def test_voices_csv_of_nothing_is_just_the_header() -> None:
    out = io.StringIO()
    write_voices_csv([], [], out)
    assert out.getvalue() == ",".join(VOICE_CSV_COLUMNS) + "\n"


def test_a_1_x_export_is_not_a_2_x_export() -> None:
    # 2.0 changed entity labels from strings to objects: a 1.x file must not pass as the current contract.
    data = exported()
    data["version"] = "1.1"
    for article in data["articles"]:
        for entity in article["entities"]:
            entity["labels"] = [label["text"] for label in entity["labels"]]
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        validate(data)


@pytest.mark.parametrize(
    "change",
    [
        put("none", "articles", 0, "quotes", 0, "matches"),
        put([{"article_id": "x"}], "articles", 0, "quotes", 0, "matches"),
        put([{"article_id": "x", "quote": -1}], "articles", 0, "quotes", 0, "matches"),
        put([{"article_id": "", "quote": 0}], "articles", 0, "quotes", 0, "matches"),
        put([], "voices"),
        delete("voices", "outlets"),
        delete("voices", "outlets", 0, "outlet"),
        delete("voices", "stories", 0, "label"),
        put(1.5, "voices", "outlets", 0, "voices", 0, "share"),
        put(-1, "voices", "outlets", 0, "voices", 0, "words"),
        put("2", "voices", "outlets", 0, "voices", 0, "quotes"),
        delete("voices", "outlets", 0, "voices", 0, "indirect_words"),
    ],
)
def test_schema_rejects_broken_matches_and_voices(change: Change) -> None:
    data = copy.deepcopy(exported((DOCS[0],)))
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


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


def test_speaker_and_cue_spans_point_at_the_attribution_words() -> None:
    corbyn = next(a for a in exported()["articles"] if a["id"] == DOCS[0].id)
    text = corbyn["text"]
    first = next(q for q in corbyn["quotes"] if q["text"] == "We will not stand by.")
    assert text[slice(*first["speaker_span"])] == "Jeremy Corbyn" and text[slice(*first["cue_span"])] == "said"
    scare = next(q for q in corbyn["quotes"] if q["kind"] == "partial")
    assert (scare["speaker_span"], scare["cue_span"]) == (None, None)


def test_voices_per_article_follow_the_articles() -> None:
    data = exported()
    per_article = data["voices"]["articles"]
    assert [v["article_id"] for v in per_article] == [a["id"] for a in data["articles"]]
    for entry, article in zip(per_article, data["articles"], strict=True):
        assert entry["articles"] == [article["id"]]
        assert entry["quotes"] == sum(v["quotes"] for v in entry["voices"]) == len(article["quotes"])
    validate(data)
