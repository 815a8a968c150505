"""Story clustering: articles on one story group together, the others stay apart, deterministically."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest

from rashomon.corpus.stories import content_words, find_stories, similarity_matrix
from rashomon.model import (
    Article,
    ArticleMeta,
    Document,
    Entity,
    EntityType,
    Mention,
    SourceFormat,
    Span,
    Story,
)
from rashomon.names import entity_key

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


def grouping(stories: tuple[Story, ...], docs: list[Document]) -> set[frozenset[int]]:
    """The stories as sets of indices into ``docs``."""
    index = {d.id: n for n, d in enumerate(docs)}
    return {frozenset(index[a] for a in s.article_ids) for s in stories}


def test_same_story_groups_and_others_stay_apart() -> None:
    docs = [doc(ELECTION_A), doc(ELECTION_B), doc(FOOTBALL), doc(CHEESE)]
    stories = find_stories(docs, 0.2)
    assert grouping(stories, docs) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}
    assert stories[0].article_ids[0] in {docs[0].id, docs[1].id}  # the largest story first


def test_every_article_in_exactly_one_story() -> None:
    docs = [doc(ELECTION_A), doc(ELECTION_B), doc(FOOTBALL), doc(CHEESE), doc("")]
    stories = find_stories(docs, 0.2)
    ids = [a for s in stories for a in s.article_ids]
    assert sorted(ids) == sorted(d.id for d in docs)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (0.0, {frozenset({0, 1, 2, 3})}),  # everything is similar enough, even with nothing shared
        (-1.0, {frozenset({0, 1, 2, 3})}),
        (1.01, {frozenset({0}), frozenset({1}), frozenset({2}), frozenset({3})}),  # nothing is
    ],
)
def test_threshold_extremes(threshold: float, expected: set[frozenset[int]]) -> None:
    docs = [doc(ELECTION_A), doc(ELECTION_B), doc(FOOTBALL), doc(CHEESE)]
    assert grouping(find_stories(docs, threshold), docs) == expected


def test_identical_texts_have_similarity_one() -> None:
    docs = [doc(ELECTION_A, path="a.txt"), doc(ELECTION_A + " ", path="b.txt")]
    # Same words give the same article id: one article, one story.
    assert len(find_stories(docs, 0.99)) == 1


def test_shared_entities_boost_similarity() -> None:
    a = "The minister opened a bridge over the river on Monday and praised the engineers."
    b = "Engineers finished the tunnel under the mountain; the minister thanked the workers."
    plain = similarity_matrix([doc(a), doc(b)])
    boosted = similarity_matrix([doc(a, "Ana López"), doc(b, "Ana López")])
    assert boosted[next(iter(boosted))] > plain[next(iter(plain))]
    threshold = (plain[next(iter(plain))] + boosted[next(iter(boosted))]) / 2
    assert len(find_stories([doc(a), doc(b)], threshold)) == 2
    assert len(find_stories([doc(a, "Ana López"), doc(b, "Ana López")], threshold)) == 1


def test_single_link_chains() -> None:
    # a~b and b~c, but a and c share little: single-link puts all three in one story.
    a = "volcano eruption lava ash evacuation island villagers"
    b = "volcano eruption lava ash flights cancelled airport tourists"
    c = "flights cancelled airport tourists stranded airline refunds"
    docs = [doc(a), doc(b), doc(c), doc(CHEESE)]
    sims = similarity_matrix(docs)
    first, last = sorted((docs[0].id, docs[2].id))
    assert sims.get((first, last), 0.0) < 0.2
    assert grouping(find_stories(docs, 0.2), docs) == {frozenset({0, 1, 2}), frozenset({3})}


def test_deterministic_whatever_the_order() -> None:
    docs = [doc(ELECTION_A, "Maduro"), doc(ELECTION_B, "Maduro"), doc(FOOTBALL), doc(CHEESE)]
    results = {find_stories(list(p), 0.2) for p in itertools.permutations(docs)}
    assert len(results) == 1


def test_story_id_is_hash_of_sorted_article_ids() -> None:
    docs = [doc(ELECTION_A), doc(ELECTION_B)]
    (story,) = find_stories(docs, 0.2)
    ids = sorted(d.id for d in docs)
    assert story.id == hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]


def test_articles_ordered_by_date_undated_last() -> None:
    early = doc(ELECTION_B, published=dt.date(2024, 7, 29))
    late = doc(ELECTION_A + " Update.", published=dt.date(2024, 8, 2))
    undated = doc(ELECTION_A)
    (story,) = find_stories([undated, late, early], 0.2)
    assert story.article_ids == (early.id, late.id, undated.id)


def test_label_names_the_story() -> None:
    docs = [doc(ELECTION_A, "Nicolás Maduro"), doc(ELECTION_B, "Nicolás Maduro")]
    (story,) = find_stories(docs, 0.2)
    parts = story.label.split(" · ")
    assert len(parts) == 3
    assert parts[0] == "Nicolás Maduro"  # a shared entity weighs most; shown by its name
    assert "Maduro" not in parts  # a name's own words are not repeated


def test_label_of_empty_article() -> None:
    (story,) = find_stories([doc("")], 0.2)
    assert story.label == "untitled"


def test_duplicates_and_empty_input() -> None:
    assert find_stories([], 0.2) == ()
    d = doc(ELECTION_A)
    (story,) = find_stories([d, d], 0.2)
    assert story.article_ids == (d.id,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The President said: “We will win.”", ["president", "win"]),
        ("Guaidó and Guaido", ["guaido", "guaido"]),  # accents fold
        ("US-backed coup in 2019", ["us-backed", "coup"]),  # numbers and short words out
        ("", []),
    ],
)
def test_content_words(text: str, expected: list[str]) -> None:
    assert content_words(text) == expected


@pytest.mark.parametrize(("threshold", "stories"), [(0.2, 2), (1.0, 2), (1.01, 5)])
def test_copies_with_the_same_words_are_one_story(threshold: float, stories: int) -> None:
    # Syndicated copies: the same content words, different article ids (numbers and stopwords differ).
    copies = [doc(f"{ELECTION_A} Copy {n}.", path=f"{n}.txt") for n in range(4)]
    docs = [*copies, doc(CHEESE)]
    assert len({d.id for d in docs}) == 5
    assert len(find_stories(docs, threshold)) == stories
