"""Rule-based entities: names, types, the labels writers attach, and grouping of short forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rashomon.model import Document, EntityType

Analyze = Callable[[str], Document]


def entity_table(doc: Document) -> dict[str, tuple[EntityType, tuple[str, ...]]]:
    return {e.name: (e.type, tuple(label.text for label in e.labels)) for e in doc.entities}


@pytest.mark.parametrize(
    ("text", "name", "etype", "labels"),
    [
        (
            "Self-proclaimed President Juan Guaidó posted a video.",
            "Juan Guaidó",
            EntityType.PERSON,
            ("Self-proclaimed President",),
        ),
        (
            "It was raised by backbench Labour MP Frank Field on Sunday.",
            "Frank Field",
            EntityType.PERSON,
            ("backbench Labour MP",),
        ),
        (
            "They took to the streets to help depose legitimate President Nicolás Maduro.",
            "Nicolás Maduro",
            EntityType.PERSON,
            ("legitimate President",),
        ),
        (
            "And Venezuelan opposition politician Juan Andres Mejia disagreed.",
            "Juan Andres Mejia",
            EntityType.PERSON,
            ("Venezuelan opposition politician",),
        ),
        (
            "The ruling came from the Foreign Ministry in Moscow.",
            "Foreign Ministry",
            EntityType.ORGANIZATION,
            (),
        ),
        ("The ruling came from the Foreign Ministry in Moscow.", "Moscow", EntityType.LOCATION, ()),
        ("They met in the United States last week.", "United States", EntityType.LOCATION, ()),
        ("Socialist Mr Maduro spoke.", "Maduro", EntityType.PERSON, ("Socialist", "Mr")),
        ("Dr. Jane Goodall spoke.", "Jane Goodall", EntityType.PERSON, ("Dr",)),  # the period stepped over
        ("Members of the APPG objected.", "APPG", EntityType.ORGANIZATION, ()),
        (
            "The United Socialist Party of Venezuela won.",
            "United Socialist Party of Venezuela",
            EntityType.ORGANIZATION,
            (),
        ),
    ],
)
def test_names_types_and_labels(
    analyze: Analyze, text: str, name: str, etype: EntityType, labels: tuple[str, ...]
) -> None:
    assert entity_table(analyze(text))[name] == (etype, labels)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "Protests have led to at least 20 deaths.",
            "Protests",
        ),  # a capitalised sentence start, nothing more
        ("However, nothing changed on Tuesday.", "Tuesday"),  # calendar words name no actor
        ("The South American country slid into crisis.", "South American"),  # a demonym is a label
        ("“I’m very sad,” he said.", "I’m"),
        ("AMID ongoing turmoil, talks resumed.", "AMID"),
    ],
)
def test_not_entities(analyze: Analyze, text: str, absent: str) -> None:
    assert absent not in entity_table(analyze(text))


def test_short_forms_join_the_full_name(analyze: Analyze) -> None:
    doc = analyze("Jeremy Corbyn spoke. Mr Corbyn then left. Later Corbyn returned.")
    corbyn = [e for e in doc.entities if "Corbyn" in e.name]
    assert len(corbyn) == 1
    assert corbyn[0].name == "Jeremy Corbyn" and corbyn[0].id == "jeremy-corbyn"
    assert [m.text for m in corbyn[0].mentions] == ["Jeremy Corbyn", "Corbyn", "Corbyn"]


def test_ambiguous_short_form_stays_apart(analyze: Analyze) -> None:
    doc = analyze("Graham Jones spoke. Then Alan Jones spoke. Later Jones left.")
    names = {e.name for e in doc.entities}
    assert {"Graham Jones", "Alan Jones", "Jones"} <= names


def test_mentions_point_at_the_text(analyze: Analyze) -> None:
    text = "Socialist Mr Maduro faces accusations, and President Nicolas Maduro denied them."
    doc = analyze(text)
    maduro = next(e for e in doc.entities if e.name == "Nicolas Maduro")
    assert all(m.span.of(text) == m.text for m in maduro.mentions)
    assert [label.text for label in maduro.labels] == ["Socialist", "Mr", "President"]  # honorifics are labels too
    assert all(label.span.of(text) == label.text for label in maduro.labels)
