"""The export's stance (export 2.2): each entity's sentiment per article, the stance matrix and the stance CSV table,
validated against the shipped schema."""

from __future__ import annotations

import copy
import csv
import io
import json
from typing import Any

import jsonschema
import pytest

from builders import NEG, NEU, POS, stance_document
from jsonedit import put
from rashomon.export import (
    EXPORT_VERSION,
    STANCE_CSV_COLUMNS,
    export_object,
    export_schema,
    write_jsonl,
    write_stance_csv,
)
from rashomon.model import Document, Story

ALPHA = stance_document(
    "Alpha",
    [
        ("Maduro crushed the protests.", [("Maduro", NEG)]),
        ("Guaidó rallied crowds against Maduro.", [("Guaidó", POS), ("Maduro", NEG)]),
        ("«Maduro is our president», a supporter said.", [("Maduro", POS)]),
    ],
)
BETA = stance_document("Beta", [("Maduro spoke in Caracas.", [("Maduro", NEU), ("Caracas", NEU)])])
DOCS = (ALPHA, BETA)
STORIES = (Story("s-1", "Maduro", (ALPHA.id, BETA.id)),)


def validate(data: Any) -> None:
    jsonschema.validate(data, export_schema(), cls=jsonschema.Draft202012Validator)


def entity(data: dict[str, Any], doc: Document, entity_id: str) -> dict[str, Any]:
    article = next(a for a in data["articles"] if a["id"] == doc.id)
    found: dict[str, Any] = next(e for e in article["entities"] if e["id"] == entity_id)
    return found


def test_export_with_stances_validates_and_is_version_2_2() -> None:
    data = export_object(DOCS, STORIES)
    validate(data)
    assert data["version"] == EXPORT_VERSION == "2.2"


def test_entity_sentiment_counts_its_mentions_with_evidence() -> None:
    data = export_object(DOCS, STORIES)
    sentiment = entity(data, ALPHA, "maduro")["sentiment"]
    assert {k: sentiment[k] for k in ("negative", "neutral", "positive", "mentions", "quoted")} == {
        "negative": 2,
        "neutral": 0,
        "positive": 1,
        "mentions": 3,
        "quoted": 1,
    }
    assert sentiment["score"] == round((1 - 2) / (3 + 3), 3) and sentiment["interval"][0] < sentiment["score"]
    assert sentiment["own"]["negative"] == 2 and sentiment["own"]["positive"] == 0  # the outlet's own words
    text = ALPHA.text
    for ev in sentiment["evidence"]:
        assert text[ev["start"] : ev["end"]] == "Maduro"
        assert ev["sentence"][0] <= ev["start"] < ev["end"] <= ev["sentence"][1]
    quoted = [ev for ev in sentiment["evidence"] if ev["quote"] is not None]
    (ev,) = quoted
    article = next(a for a in data["articles"] if a["id"] == ALPHA.id)
    quote = article["quotes"][ev["quote"]]  # an index into the exported quotes
    assert quote["start"] <= ev["start"] and ev["end"] <= quote["end"] and ev["label"] == "positive"


def test_regression_an_entity_without_scored_mentions_has_null_sentiment() -> None:
    bare = Document(ALPHA.article, entities=ALPHA.entities)  # analysed without the stance stage
    data = export_object([bare], ())
    validate(data)
    assert all(e["sentiment"] is None for e in data["articles"][0]["entities"])
    assert data["stance_matrix"]["actors"] == []


def test_stance_matrix_in_the_export_points_into_the_articles() -> None:
    data = export_object(DOCS, STORIES)
    matrix = data["stance_matrix"]
    assert matrix["outlets"] == ["Alpha", "Beta"] and matrix["voice"] == "all" and matrix["min_count"] == 3
    maduro = next(a for a in matrix["actors"] if a["id"] == "maduro")
    alpha = next(c for c in maduro["outlets"] if c["outlet"] == "Alpha")
    assert (alpha["negative"], alpha["neutral"], alpha["positive"], alpha["few"]) == (2, 0, 1, False)
    beta = next(c for c in maduro["outlets"] if c["outlet"] == "Beta")
    assert beta["few"] is True and beta["mentions"] == 1
    (story,) = maduro["stories"]
    assert story["story"] == "s-1" and story["mentions"] == 4
    texts = {a["id"]: a["text"] for a in data["articles"]}
    for ev in alpha["evidence"]:
        assert "sentence_text" not in ev  # the export's articles hold the text
        assert texts[ev["article_id"]][ev["start"] : ev["end"]] == ev["text"] == "Maduro"
    assert [ev["speaker"] for ev in alpha["evidence"] if ev["quoted"]] == ["Someone"]


def test_jsonl_articles_carry_the_sentiment_too() -> None:
    out = io.StringIO()
    write_jsonl(DOCS, STORIES, out)
    first = json.loads(out.getvalue().splitlines()[0])
    assert all("sentiment" in e for e in first["entities"])


def _maduro_alpha(data: dict[str, Any]) -> dict[str, Any]:
    article = next(i for i, a in enumerate(data["articles"]) if a["id"] == ALPHA.id)
    index = next(i for i, e in enumerate(data["articles"][article]["entities"]) if e["id"] == "maduro")
    return {"article": article, "entity": index}


@pytest.mark.parametrize(
    "change",
    [
        ("sentiment", "score", 1.5),
        ("sentiment", "negative", -1),
        ("sentiment", "interval", [0.1]),
        ("sentiment", "own", None),
        ("sentiment", "evidence", 0, "label", "hostile"),
        ("sentiment", "evidence", 0, "positive", 2.0),
        ("sentiment", "evidence", 0, "quote", -1),
        ("sentiment", "evidence", 0, "sentence", [1, 2, 3]),
    ],
)
def test_schema_rejects_a_malformed_sentiment(change: tuple[Any, ...]) -> None:
    data = copy.deepcopy(export_object(DOCS, STORIES))
    where = _maduro_alpha(data)
    *path, value = change
    put(value, "articles", where["article"], "entities", where["entity"], *path)(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


@pytest.mark.parametrize(
    "change",
    [
        put("some", "stance_matrix", "voice"),
        put(0, "stance_matrix", "min_count"),
        put("yes", "stance_matrix", "actors", 0, "outlets", 0, "few"),
        put(-2, "stance_matrix", "actors", 0, "score"),
    ],
)
def test_schema_rejects_a_malformed_stance_matrix(change: Any) -> None:
    data = copy.deepcopy(export_object(DOCS, STORIES))
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_regression_a_2_1_export_without_sentiment_still_validates() -> None:
    # Readers validating older 2.x files against the shipped schema must keep working: the new fields are optional.
    data = copy.deepcopy(export_object(DOCS, STORIES))
    data["version"] = "2.1"
    del data["stance_matrix"]
    for article in data["articles"]:
        for e in article["entities"]:
            del e["sentiment"]
    validate(data)


def test_stance_csv_rows_per_outlet_story_and_article() -> None:
    out = io.StringIO()
    write_stance_csv(DOCS, STORIES, out)
    assert tuple(out.getvalue().splitlines()[0].split(",")) == STANCE_CSV_COLUMNS
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    maduro = [r for r in rows if r["actor_id"] == "maduro"]
    assert [r["scope"] for r in maduro] == ["outlet", "outlet", "story", "article", "article"]
    alpha = maduro[0]
    assert (alpha["key"], alpha["negative"], alpha["neutral"], alpha["positive"], alpha["few"]) == (
        "Alpha",
        "2",
        "0",
        "1",
        "false",
    )
    assert alpha["quoted"] == "1" and alpha["evidence"].count(":negative") == 2
    assert float(alpha["low"]) <= float(alpha["score"]) <= float(alpha["high"])
    assert maduro[1]["few"] == "true"  # Beta: one mention
    caracas = [r for r in rows if r["actor_id"] == "caracas"]
    assert [r["scope"] for r in caracas] == ["outlet", "story", "article"]
