"""The export's events, copies and story timelines (export 2.1), validated against the shipped schema."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
from typing import Any

import jsonschema
import pytest

from jsonedit import delete, put
from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.export import EXPORT_VERSION, export_schema, write_json
from rashomon.model import Article, ArticleMeta, Document, Event, SourceFormat, Story


def article(text: str, outlet: str | None, published: dt.date | None = None) -> Document:
    meta = ArticleMeta(f"{outlet or 'file'}.txt", outlet=outlet, published=published)
    return Document(Article.create(text, meta, SourceFormat.TEXT), "en")


WIRE = article("Maduro was sworn in for a second term.", "Reuters", dt.date(2019, 1, 10))
COPY = article("Maduro was sworn in for a second term. (AP)", "Daily Planet", dt.date(2019, 1, 10))
OTHER = article("Guaidó declared himself interim president.", "BBC", dt.date(2019, 1, 23))
UNDATED = article("Protests continued in Caracas.", None)
DOCS = (WIRE, COPY, OTHER, UNDATED)

SWORN = Event(
    "e-sworn",
    "s-crisis",
    "Nicolás Maduro · sworn in",
    (WIRE.id, COPY.id),
    dt.date(2019, 1, 10),
    dt.date(2019, 1, 10),
    ("Nicolás Maduro",),
    ("sworn in",),
)
GUAIDO = Event(
    "e-guaido",
    "s-crisis",
    "Juan Guaidó · interim president",
    (OTHER.id, UNDATED.id),
    dt.date(2019, 1, 23),
    dt.date(2019, 1, 23),
    ("Juan Guaidó",),
    ("interim president",),
)
STORY = Story(
    "s-crisis",
    "Nicolás Maduro · Juan Guaidó · crisis",
    (WIRE.id, COPY.id, OTHER.id, UNDATED.id),
    ("e-sworn", "e-guaido"),
    dt.date(2019, 1, 10),
    dt.date(2019, 1, 23),
    ("Nicolás Maduro", "Juan Guaidó"),
    ("crisis",),
)
COPIES = DuplicateGroup("g-1", WIRE.id, ((COPY.id, 0.82),))


def exported() -> dict[str, Any]:
    out = io.StringIO()
    write_json(DOCS, [STORY], out, events=[SWORN, GUAIDO], duplicates=[COPIES])
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def validate(data: Any) -> None:
    jsonschema.validate(data, export_schema(), cls=jsonschema.Draft202012Validator)


def test_events_and_copies_are_exported_and_valid() -> None:
    data = exported()
    validate(data)
    assert data["version"] == EXPORT_VERSION == "2.2"  # 2.1 added the events; 2.2 the stance
    assert [e["id"] for e in data["events"]] == ["e-guaido", "e-sworn"]  # by id
    sworn = data["events"][1]
    assert sworn == {
        "id": "e-sworn",
        "story": "s-crisis",
        "label": "Nicolás Maduro · sworn in",
        "actors": ["Nicolás Maduro"],
        "phrases": ["sworn in"],
        "first_date": "2019-01-10",
        "last_date": "2019-01-10",
        "articles": [WIRE.id, COPY.id],
        "outlets": ["Reuters", "Daily Planet"],
        "texts": 1,  # the copy carries the same text
    }
    assert data["events"][0]["outlets"] == ["BBC", "file.txt"]  # an article without outlet counts as its file
    assert data["duplicates"] == [
        {"id": "g-1", "original": WIRE.id, "copies": [{"article_id": COPY.id, "similarity": 0.82}]}
    ]
    (story,) = data["stories"]
    assert story["events"] == ["e-sworn", "e-guaido"]
    assert (story["first_date"], story["last_date"]) == ("2019-01-10", "2019-01-23")
    assert story["actors"] == ["Nicolás Maduro", "Juan Guaidó"] and story["phrases"] == ["crisis"]


def test_a_2_0_export_without_events_still_validates() -> None:
    data = exported()
    data["version"] = "2.0"
    del data["events"], data["duplicates"]
    for story in data["stories"]:
        for field in ("events", "first_date", "last_date", "actors", "phrases"):
            del story[field]
    validate(data)


@pytest.mark.parametrize(
    "change",
    [
        delete("events", 0, "story"),
        put([], "events", 0, "articles"),
        put("23 January 2019", "events", 0, "first_date"),
        put(0, "events", 0, "texts"),
        put("2019-1-23", "stories", 0, "last_date"),
        put([], "duplicates", 0, "copies"),
        put(1.5, "duplicates", 0, "copies", 0, "similarity"),
        delete("duplicates", 0, "original"),
        put({"e-sworn": {}}, "events"),
    ],
)
def test_schema_rejects_broken_events(change: Any) -> None:
    data = copy.deepcopy(exported())
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)
