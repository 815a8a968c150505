"""Stories and events found from analysed documents: articles on one story group together, the others stay apart,
deterministically; the content words they are compared by."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from rashomon.corpus.events import Clustering, find_events
from rashomon.corpus.stories import content_words
from rashomon.model import Article, ArticleMeta, Document, Entity, EntityType, Mention, SourceFormat, Span
from rashomon.names import entity_key
from rashomon.nlp.encoder import embed_articles

ELECTION_A = (
    "Venezuela's electoral council declared Maduro the winner of the disputed presidential election. "
    "The opposition candidate González rejected the count and protesters filled the streets of Caracas."
)
ELECTION_B = (
    "Protesters marched in Caracas after the electoral council proclaimed Maduro winner of the presidential "
    "election; González, the opposition candidate, disputed the count."
)
FOOTBALL = "The striker scored twice as the home team won the cup final in extra time before a record crowd."
CHEESE = "A cheesemaker in Normandy ages camembert in cellars; the rind develops slowly over several weeks."


def doc(text: str, *names: str, published: dt.date | None = None, path: str = "a.txt") -> Document:
    """A document with ``text`` and a person entity for each name in ``names``."""
    entities = tuple(Entity(entity_key(n), n, EntityType.PERSON, (Mention(Span(0, 1), n),)) for n in names)
    article = Article.create(text, ArticleMeta(path, published=published), SourceFormat.TEXT)
    return Document(article, entities=entities)


def events_of(docs: list[Document]) -> Clustering:
    vectors = embed_articles((d.article.meta.title, d.text) for d in docs)
    return find_events(docs, {d.id: v for d, v in zip(docs, vectors, strict=True)})


def grouping(groups: tuple[tuple[str, ...], ...], docs: list[Document]) -> set[frozenset[int]]:
    """Groups of article ids as sets of indices into ``docs``."""
    index = {d.id: n for n, d in enumerate(docs)}
    return {frozenset(index[a] for a in g) for g in groups}


def test_same_story_groups_and_others_stay_apart() -> None:
    docs = [doc(ELECTION_A, "Nicolás Maduro"), doc(ELECTION_B, "Nicolás Maduro"), doc(FOOTBALL), doc(CHEESE)]
    result = events_of(docs)
    expected = {frozenset({0, 1}), frozenset({2}), frozenset({3})}
    assert grouping(tuple(e.article_ids for e in result.events), docs) == expected
    assert grouping(tuple(s.article_ids for s in result.stories), docs) == expected
    assert set(result.stories[0].article_ids) == {docs[0].id, docs[1].id}  # the largest story first


def test_every_article_in_exactly_one_event_and_story() -> None:
    docs = [doc(ELECTION_A), doc(ELECTION_B), doc(FOOTBALL), doc(CHEESE), doc("")]
    result = events_of(docs)
    assert sorted(a for e in result.events for a in e.article_ids) == sorted(d.id for d in docs)
    assert sorted(a for s in result.stories for a in s.article_ids) == sorted(d.id for d in docs)
    story_of = {e: s.id for s in result.stories for e in s.event_ids}
    assert all(story_of[e.id] == e.story_id for e in result.events)
    for story in result.stories:  # a story's articles are its events' articles
        events = [e for e in result.events if e.story_id == story.id]
        assert sorted(story.article_ids) == sorted(a for e in events for a in e.article_ids)


def test_deterministic_whatever_the_order() -> None:
    docs = [doc(ELECTION_A, "Maduro"), doc(ELECTION_B, "Maduro"), doc(FOOTBALL), doc(CHEESE)]
    vectors = dict(zip((d.id for d in docs), embed_articles((None, d.text) for d in docs), strict=True))
    results = {find_events(list(p), vectors) for p in itertools.permutations(docs)}
    assert len(results) == 1


def test_articles_ordered_by_date_undated_last() -> None:
    early = doc(ELECTION_B, published=dt.date(2024, 7, 29))
    late = doc(ELECTION_A + " Update.", published=dt.date(2024, 8, 2))
    undated = doc(ELECTION_A)
    result = events_of([undated, late, early])
    (event,) = result.events
    assert event.article_ids == (early.id, late.id, undated.id)
    assert (event.first_date, event.last_date) == (dt.date(2024, 7, 29), dt.date(2024, 8, 2))
    assert (result.stories[0].first_date, result.stories[0].last_date) == (event.first_date, event.last_date)


def test_label_names_the_main_actor_first() -> None:
    docs = [doc(ELECTION_A, "Nicolás Maduro"), doc(ELECTION_B, "Nicolás Maduro")]
    (event,) = events_of(docs).events
    parts = event.label.split(" · ")
    assert parts[0] == "Nicolás Maduro"
    assert event.actors == ("Nicolás Maduro",)
    assert "Maduro" not in parts  # a name's own words are not repeated as a phrase
    assert event.phrases and all(p in parts for p in event.phrases)


def test_label_of_empty_article() -> None:
    (event,) = events_of([doc("")]).events
    assert event.label == "untitled"


def test_duplicates_and_empty_input() -> None:
    assert find_events([], {}) == Clustering((), ())
    d = doc(ELECTION_A)
    vectors = {d.id: embed_articles([(None, d.text)])[0]}
    (event,) = find_events([d, d], vectors).events
    assert event.article_ids == (d.id,)


def test_copies_with_the_same_words_are_one_event() -> None:
    # Syndicated copies: the same text with a line added, so distinct article ids.
    long = " ".join([ELECTION_A, ELECTION_B, ELECTION_A.replace("Caracas", "Maracaibo")])
    copies = [doc(f"{long} Copy {n}.", path=f"{n}.txt") for n in range(4)]
    docs = [*copies, doc(CHEESE)]
    result = events_of(docs)
    assert grouping(tuple(e.article_ids for e in result.events), docs) == {frozenset({0, 1, 2, 3}), frozenset({4})}


def test_missing_vector_is_an_error_naming_the_article() -> None:
    d = doc(ELECTION_A)
    with pytest.raises(KeyError, match=d.id):
        find_events([d], {})


def test_vectors_are_used_as_given() -> None:
    # Two articles sharing nothing but a vector: the embedding alone does not make one event.
    a, b = doc(FOOTBALL), doc(CHEESE)
    same = np.ones(384, dtype=np.float32) / np.sqrt(384)
    result = find_events([a, b], {a.id: same, b.id: same})
    assert len(result.events) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The President said: “We will win.”", ["president", "win"]),
        ("Guaidó and Guaido", ["guaido", "guaido"]),  # accents fold
        ("US-backed coup in 2019", ["us-backed", "coup"]),  # numbers and short words out
        ("Amid the protests", ["protests"]),
        ("", []),
    ],
)
def test_content_words(text: str, expected: list[str]) -> None:
    assert content_words(text) == expected
