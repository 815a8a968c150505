"""The event and story clustering on hand-made features: the affinity rule, time, the two levels, incremental
placement with frozen events, stable ids, copies and labels."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.corpus.events import (
    EVENT_LEVEL,
    STORY_LEVEL,
    VIEWS,
    WEIGHTS,
    ArticleFeatures,
    Assigner,
    Clustering,
    Idf,
    Level,
    Previous,
    _Group,
    _phrases,
    cluster,
    headline,
    names_of,
    pair_cosines,
)
from rashomon.corpus.vectors import VectorIndex, nearest
from rashomon.model import Article, ArticleMeta, Document, SourceFormat
from rashomon.settings import Settings

DIMS = 384


def unit(seed: int, near: np.ndarray | None = None, noise: float = 0.0) -> np.ndarray:
    """A random unit vector, or one at a controlled distance from ``near``."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(DIMS)
    if near is not None:
        v = near + noise * v / np.linalg.norm(v)
    return (v / np.linalg.norm(v)).astype(np.float32)


def features(
    article_id: str,
    vector: np.ndarray,
    words: Sequence[str] = (),
    actors: Sequence[str] = (),
    date: dt.date | None = None,
    places: Sequence[str] = (),
    numbers: Sequence[str] = (),
) -> ArticleFeatures:
    terms = {
        "words": {w: 2 for w in words},
        "lead": {w: 1 for w in words[:4]},
        "numbers": {n: 1 for n in numbers},
        "actors": {a: 3 for a in actors},
        "places": {p: 1 for p in places},
        # The names as written: the words of the actors' and places' names.
        "names": {word: 2 for name in (*actors, *places) for word in name.split("-")},
    }
    names = {a: a.replace("-", " ").title() for a in (*actors, *places)}
    phrases = {w: (w, 1.0) for w in words[:4]}
    return ArticleFeatures(article_id, vector, terms, date, date, names, phrases)


def run(
    items: Sequence[ArticleFeatures],
    previous: Previous | None = None,
    duplicates: Sequence[DuplicateGroup] = (),
    event_level: Level = EVENT_LEVEL,
) -> Clustering:
    ids = [f.id for f in items]
    matrix = np.vstack([f.vector for f in items])
    placed = previous.event_of if previous else {}
    queries = [a for a in ids if a not in placed]
    return cluster(
        items, nearest(queries, ids, matrix, 20), previous=previous, duplicates=duplicates, event_level=event_level
    )


def event_sets(result: Clustering) -> set[frozenset[str]]:
    return {frozenset(e.article_ids) for e in result.events}


VOTE = unit(1)
QUAKE = unit(2)
VOTE_WORDS = ["parliament", "vote", "budget", "minister", "opposition", "reform"]
QUAKE_WORDS = ["earthquake", "magnitude", "island", "villages", "aftershocks", "injured"]


def vote(n: int, date: dt.date | None = dt.date(2024, 3, 5), actor: str = "ana-lopez") -> ArticleFeatures:
    return features(f"{0xA0 + n:016x}", unit(100 + n, VOTE, 0.4), VOTE_WORDS, [actor, "labour-party"], date)


def quake(n: int, date: dt.date | None = dt.date(2024, 3, 6)) -> ArticleFeatures:
    return features(f"{0xB0 + n:016x}", unit(200 + n, QUAKE, 0.4), QUAKE_WORDS, [], date, ["qeshm"], ["5.6"])


def test_two_happenings_two_events() -> None:
    items = [vote(0), vote(1), vote(2), quake(0), quake(1)]
    result = run(items)
    assert event_sets(result) == {frozenset(f.id for f in items[:3]), frozenset(f.id for f in items[3:])}
    assert len(result.stories) == 2


def test_same_kind_of_happening_other_actors_and_numbers_stay_apart() -> None:
    # ECB+'s hard negatives: the same kind of event, with other participants and other figures.
    first = [quake(n) for n in range(3)]
    centre = unit(3, QUAKE, 1.2)  # near the first quake's meaning, not the same
    other = [
        features(
            f"{0xC0 + n:016x}",
            unit(300 + n, centre, 0.4),
            [*QUAKE_WORDS[:2], "tsunami", "coast", "dead", "warning"],
            [],
            dt.date(2024, 3, 6),
            ["sumatra"],
            ["7.9"],
        )
        for n in range(3)
    ]
    assert float(first[0].vector @ other[0].vector) > 0.4
    result = run([*first, *other])
    assert event_sets(result) == {frozenset(f.id for f in first), frozenset(f.id for f in other)}


FIGHT = unit(20)


def fight(n: int, opponent: str, centre: np.ndarray, words: Sequence[str]) -> ArticleFeatures:
    return features(
        f"{0xA00 + n:016x}",
        unit(2000 + n, centre, 0.3),
        ["heavyweight", "title", "round", "champion", *words],
        ["wladimir-klitschko", opponent],
        None,
    )


def test_tight_groups_loosely_alike_stay_apart() -> None:
    # One champion's title defences against two challengers (ECB+ topic 7): the same kind of article, the same
    # champion, but each fight's reports much closer to each other than to the other fight's.
    first = [fight(n, "hasim-rahman", unit(21, FIGHT, 1.5), ["seventh", "mannheim"]) for n in range(3)]
    second = [fight(10 + n, "tony-thompson", unit(22, FIGHT, 1.5), ["sixth", "berne"]) for n in range(3)]
    items = [*first, *second]
    apart = {frozenset(f.id for f in first), frozenset(f.id for f in second)}
    assert event_sets(run(items)) == apart
    # By the threshold alone, the mean link of the two groups would join them.
    assert len(run(items, event_level=dataclasses.replace(EVENT_LEVEL, cohesion=0.0)).events) == 1
    # A lone new report of the second fight joins its event: cohesion only weighs between groups of several.
    new = fight(20, "tony-thompson", unit(22, FIGHT, 1.5), ["sixth", "berne"])
    previous = run(items).assignment()
    placed = run([*items, new], previous=previous)
    assert next(e for e in placed.events if new.id in e.article_ids).id == previous.event_of[second[0].id]


def test_cohesion_is_the_mean_log_odds_inside_a_group() -> None:
    items = [vote(0), vote(1), vote(2, actor="lopez"), quake(0)]
    idf = Idf(items)
    views = [idf.vectors(f) for f in items]
    group = _Group(items[0].sort_key)
    for f, v in zip(items[:3], views[:3], strict=True):
        group.absorb([0], 1, f.vector.astype(np.float64), v, (None, None))
    pairs = []
    for i, j in itertools.combinations(range(3), 2):
        cosines = pair_cosines(items[i], items[j], views[i], views[j])
        pairs.append(WEIGHTS.intercept + sum(WEIGHTS.view(k) * c for k, c in cosines.items()))
    assert group.cohesion(WEIGHTS) == pytest.approx(sum(pairs) / len(pairs))


def test_names_are_capitalised_words_inside_sentences() -> None:
    text = (
        "Wladimir Klitschko stopped Tony Thompson in the sixth round on Saturday. He kept his IBF, WBA and WBO "
        "belts in Berne.\nKLITSCHKO WINS AGAIN\nThe Ukrainian's 59th win."
    )
    assert names_of(text) == ["klitschko", "tony", "thompson", "saturday", "berne", "ukrainian"]


@pytest.mark.parametrize(
    ("second_date", "same_event"),
    [
        (dt.date(2024, 3, 5), True),  # the same day
        (dt.date(2024, 3, 20), True),  # within the grace
        (None, True),  # undated: time says nothing
        (dt.date(2026, 3, 5), False),  # two years apart: costs the most
    ],
)
def test_time_between_groups(second_date: dt.date | None, same_event: bool) -> None:
    # Two articles above the event threshold without time, by less than time can cost.
    a = features(f"{1:016x}", VOTE, ["parliament", "vote", "budget", "river"], ["ana-lopez"], dt.date(2024, 3, 5))
    b = features(f"{2:016x}", unit(5, VOTE, 2.0), ["parliament", "vote", "tax", "bridge"], ["lopez"], second_date)
    c = features(f"{3:016x}", unit(6), ["cheese"], [], None)  # a third article, so that IDF tells words apart
    idf = Idf([a, b, c])
    cosines = pair_cosines(a, b, idf.vectors(a), idf.vectors(b))
    affinity = WEIGHTS.intercept + WEIGHTS.embedding * cosines["embedding"]
    affinity += sum(WEIGHTS.view(view) * cosines[view] for view in VIEWS)
    assert EVENT_LEVEL.threshold < affinity < EVENT_LEVEL.threshold + EVENT_LEVEL.cap
    result = run([a, b, c])
    result = Clustering(tuple(e for e in result.events if c.id not in e.article_ids), ())
    assert (len(result.events) == 1) is same_event


def test_story_level_gathers_related_events() -> None:
    # A vote, and a later follow-up on the same bill: separate happenings, one story.
    votes = [vote(n) for n in range(3)]
    centre = unit(4, VOTE, 0.5)
    follow = [
        features(
            f"{0xD0 + n:016x}",
            unit(400 + n, centre, 0.4),
            ["budget", "court", "appeal", "ruling", "judges", "challenge"],
            ["ana-lopez", "supreme-court"],
            dt.date(2024, 5, 20),
        )
        for n in range(3)
    ]
    result = run([*votes, *follow])
    assert len(result.events) == 2
    (story,) = result.stories
    assert len(story.event_ids) == 2
    first, second = (next(e for e in result.events if e.id == i) for i in story.event_ids)
    assert first.first_date == dt.date(2024, 3, 5) and second.first_date == dt.date(2024, 5, 20)  # time order


def test_ids_are_hashes_of_founders_and_survive_additions() -> None:
    items = [vote(0, dt.date(2024, 3, 6)), vote(1, dt.date(2024, 3, 5)), quake(0)]
    result = run(items)
    event = next(e for e in result.events if items[0].id in e.article_ids)
    founder = items[1].id  # the earliest article
    assert event.id == hashlib.sha256(f"event:{founder}".encode()).hexdigest()[:16]
    story = next(s for s in result.stories if event.id in s.event_ids)
    assert story.id == hashlib.sha256(f"story:{founder}".encode()).hexdigest()[:16]
    # An article dated before the founder joins later: the event keeps its id.
    later = run([*items, vote(2, dt.date(2024, 3, 1))], previous=result.assignment())
    assert next(e for e in later.events if items[0].id in e.article_ids).id == event.id


def test_incremental_keeps_events_and_places_new_articles() -> None:
    first = run([vote(0), vote(1), quake(0)])
    previous = first.assignment()
    result = run([vote(0), vote(1), quake(0), vote(2), quake(1), vote(3)], previous=previous)
    by_event = {e.id: set(e.article_ids) for e in result.events}
    vote_event = previous.event_of[vote(0).id]
    quake_event = previous.event_of[quake(0).id]
    assert by_event[vote_event] == {vote(n).id for n in range(4)}
    assert by_event[quake_event] == {quake(0).id, quake(1).id}
    assert {e.story_id for e in result.events} == set(previous.story_of.values())


def test_incremental_new_happening_founds_an_event() -> None:
    first = run([vote(0), vote(1)])
    other = features(f"{0xEE:016x}", unit(9), ["cheese", "cellar", "rind"], ["normandy-dairy"], dt.date(2024, 3, 7))
    result = run([vote(0), vote(1), other], previous=first.assignment())
    assert event_sets(result) == {frozenset({vote(0).id, vote(1).id}), frozenset({other.id})}
    assert len(result.stories) == 2


def test_incremental_never_merges_frozen_events() -> None:
    # Two previous events that a bridging article would join if they were new: they stay apart.
    a, b = vote(0), vote(1)
    previous = Previous({a.id: "event-a", b.id: "event-b"}, {"event-a": "story-a", "event-b": "story-b"})
    result = run([a, b, vote(2)], previous=previous)
    assert {e.id for e in result.events} == {"event-a", "event-b"}
    assert sum(len(e.article_ids) for e in result.events) == 3
    assert {s.id for s in result.stories} == {"story-a", "story-b"}


def test_articles_no_longer_present_leave_their_events() -> None:
    first = run([vote(0), vote(1), quake(0)])
    result = run([vote(1), quake(0)], previous=first.assignment())
    assert sorted(a for e in result.events for a in e.article_ids) == sorted([vote(1).id, quake(0).id])
    assert result.events[0].id in first.assignment().story_of


def test_incremental_equals_full_when_articles_come_in_time_order() -> None:
    items = [vote(0), quake(0), vote(1), quake(1), vote(2)]
    full = run(items)
    step = run(items[:2])
    for n in range(3, len(items) + 1):
        step = run(items[:n], previous=step.assignment())
    assert event_sets(step) == event_sets(full)


def test_order_of_input_does_not_matter() -> None:
    items = [vote(0), vote(1), quake(0), quake(1)]
    assert len({run(list(p)) for p in itertools.permutations(items)}) == 1


def test_copies_start_together_and_join_their_originals_event() -> None:
    # A copy whose features look unrelated (as they cannot for real copies) still goes with its original.
    a = vote(0)
    copy = features(f"{0xF0:016x}", unit(77), ["cheese"], [], dt.date(2024, 3, 5))
    group = DuplicateGroup("g", a.id, ((copy.id, 0.9),))
    assert event_sets(run([a, copy])) == {frozenset({a.id}), frozenset({copy.id})}
    assert event_sets(run([a, copy], duplicates=[group])) == {frozenset({a.id, copy.id})}
    previous = run([a, quake(0)]).assignment()
    result = run([a, quake(0), copy], previous=previous, duplicates=[group])
    assert previous.event_of[a.id] == next(e.id for e in result.events if copy.id in e.article_ids)


def test_threshold_extremes() -> None:
    items = [vote(0), vote(1), quake(0)]
    assert len(run(items, event_level=Level(-100.0, 0, 0.0, 0.0)).events) == 1
    assert len(run(items, event_level=Level(100.0, 0, 0.0, 0.0)).events) == 3


def test_labels_name_actors_then_phrases() -> None:
    result = run([vote(0), vote(1), vote(2)])
    (event,) = result.events
    assert event.actors == ("Ana Lopez", "Labour Party")
    assert event.label == " · ".join([*event.actors, *event.phrases])
    assert len(event.phrases) == 2 and set(event.phrases) <= set(VOTE_WORDS)


def test_settings_defaults_are_the_levels() -> None:
    assert Settings().event_threshold == EVENT_LEVEL.threshold
    assert Settings().story_threshold == STORY_LEVEL.threshold


def _doc(text: str, title: str | None = None) -> Document:
    return Document(Article.create(text, ArticleMeta("a.txt", title=title), SourceFormat.TEXT))


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Maduro sworn in", "Body.", "Maduro sworn in"),
        (None, "MAJOR: Russia backs Maduro against coup\n\nMOSCOW – Talks.", "MAJOR: Russia backs Maduro against coup"),
        (None, "Jeremy Corbyn has condemned the violence in Venezuela.\nMore.", ""),  # a sentence, not a headline
        (
            None,
            "BASSETERRE, St. Kitts -- AMID ongoing turmoil in Venezuela following the disputed general "
            "elections of July 28, leaders from several Latin American countries remain in contact.",
            "",
        ),
        (None, "", ""),
    ],
)
def test_headline(title: str | None, text: str, expected: str) -> None:
    assert headline(_doc(text, title)) == expected


def test_phrases_skip_capitals_datelines_and_name_starts() -> None:
    found = _phrases("MAJOR: Russia backs Maduro", "MOSCOW – The opposition candidate Edmundo González spoke.")
    assert "major" not in found and "moscow" not in found
    assert found["russia backs"] == ("Russia backs", 2.0)  # the headline weighs double
    assert "candidate edmundo" not in found  # a word, then someone's first name
    assert found["opposition candidate"] == ("opposition candidate", 1.0)


@pytest.mark.parametrize("new", [vote(5), quake(5), features(f"{0xEF:016x}", unit(11), ["cheese"], [], None)])
def test_assigner_places_one_article_as_cluster_does(new: ArticleFeatures) -> None:
    items = [vote(0), vote(1), vote(2), quake(0), quake(1)]
    first = run(items)
    incremental = run([*items, new], previous=first.assignment())
    expected = next(e.id for e in incremental.events if new.id in e.article_ids)
    assigner = Assigner(Idf([*items, new]), VectorIndex("test"))
    for f in items:
        assigner.add(f, first.assignment().event_of[f.id])
    event, score = assigner.assign(new)
    if expected in first.assignment().story_of:
        assert event == expected and score >= EVENT_LEVEL.threshold
    else:
        assert event is None  # a new event, as cluster founded one
