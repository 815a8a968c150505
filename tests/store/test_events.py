"""Events, copies and article vectors in the store: round trips, replacement with the stories, and bad input."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.errors import StoreError
from rashomon.model import Article, Event, Story
from rashomon.store import SQLiteStore

MakeArticle = Callable[..., Article]


def three(store: SQLiteStore, make_article: MakeArticle) -> tuple[Article, Article, Article]:
    a, b, c = (make_article(f"Text {n}.") for n in range(3))
    for article in (a, b, c):
        store.add_article(article)
    return a, b, c


def clustering(a: Article, b: Article, c: Article) -> tuple[list[Story], list[Event]]:
    e1 = Event(
        "e1",
        "s1",
        "Maduro · sworn in",
        (a.id, b.id),
        dt.date(2019, 1, 10),
        dt.date(2019, 1, 11),
        ("Nicolás Maduro",),
        ("sworn in",),
    )
    e2 = Event("e2", "s1", "Maduro · protests", (c.id,), None, None, ("Nicolás Maduro",), ("protests",))
    stories = [
        Story(
            "s1",
            "Maduro · crisis",
            (a.id, b.id, c.id),
            ("e1", "e2"),
            dt.date(2019, 1, 10),
            dt.date(2019, 1, 11),
            ("Nicolás Maduro",),
            ("crisis",),
        )
    ]
    return stories, [e2, e1]


def test_events_round_trip_in_story_then_time_order(store: SQLiteStore, make_article: MakeArticle) -> None:
    a, b, c = three(store, make_article)
    stories, events = clustering(a, b, c)
    store.save_stories("v1", stories, events)
    assert store.stories("v1") == stories
    assert store.events("v1") == sorted(events, key=lambda e: stories[0].event_ids.index(e.id))
    assert store.event_assignment("v1") == ({a.id: "e1", b.id: "e1", c.id: "e2"}, {"e1": "s1", "e2": "s1"})
    assert store.events("v2") == [] and store.event_assignment("v2") == ({}, {})


def test_replacing_stories_replaces_their_events(store: SQLiteStore, make_article: MakeArticle) -> None:
    a, b, c = three(store, make_article)
    store.save_stories("v1", *clustering(a, b, c))
    store.save_stories("v1", [Story("s9", "Other", (a.id,))])
    assert store.events("v1") == []
    assert store.stories("v1") == [Story("s9", "Other", (a.id,))]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (Event("e3", "s-unknown", "x", ()), "belongs to story s-unknown, which is not saved"),
        (Event("e3", "s1", "x", ("ffffffffffffffff",)), "cannot save the events"),
    ],
)
def test_bad_events_are_refused_and_nothing_changes(
    store: SQLiteStore, make_article: MakeArticle, event: Event, message: str
) -> None:
    a, b, c = three(store, make_article)
    stories, events = clustering(a, b, c)
    store.save_stories("v1", stories, events)
    with pytest.raises(StoreError, match=message):
        store.save_stories("v1", stories, [*events, event])
    assert store.stories("v1") == stories  # the transaction rolled back


def test_an_article_in_two_events_is_refused(store: SQLiteStore, make_article: MakeArticle) -> None:
    a, b, c = three(store, make_article)
    stories, events = clustering(a, b, c)
    twice = Event("e3", "s1", "x", (a.id,))
    with pytest.raises(StoreError, match="in one event only"):
        store.save_stories("v1", stories, [*events, twice])


def test_duplicates_round_trip(store: SQLiteStore, make_article: MakeArticle) -> None:
    a, b, c = three(store, make_article)
    groups = [DuplicateGroup("g1", a.id, tuple(sorted([(b.id, 0.8), (c.id, 0.55)])))]  # copies by article id
    store.save_stories("v1", [], (), groups)
    assert store.duplicate_groups("v1") == groups
    store.save_stories("v1", [], ())  # without duplicates: left as they were
    assert store.duplicate_groups("v1") == groups
    store.save_stories("v1", [], (), [])
    assert store.duplicate_groups("v1") == []


def test_vectors_round_trip_per_encoder_version(store: SQLiteStore, make_article: MakeArticle) -> None:
    a, b, _ = three(store, make_article)
    va, vb = np.random.default_rng(0).standard_normal((2, 384)).astype(np.float32)
    store.save_vectors("enc1", {a.id: va, b.id: vb})
    found = store.vectors("enc1")
    assert set(found) == {a.id, b.id} and np.array_equal(found[a.id], va) and found[a.id].dtype == np.float32
    assert set(store.vectors("enc1", [b.id, "nope"])) == {b.id}
    assert store.vectors("enc2") == {}
    store.save_vectors("enc1", {a.id: vb})  # replaced
    assert np.array_equal(store.vectors("enc1")[a.id], vb)


def test_vectors_of_unknown_articles_are_refused(store: SQLiteStore) -> None:
    with pytest.raises(StoreError, match="is every article stored"):
        store.save_vectors("enc1", {"ffffffffffffffff": np.zeros(384, dtype=np.float32)})
    with pytest.raises(StoreError, match="non-empty"):
        store.save_vectors(" ", {})


def test_migration_4_adds_the_tables(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    SQLiteStore(db).close()
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(stories)")}
    assert {"article_vectors", "events", "event_articles", "duplicates"} <= tables
    assert {"first_date", "last_date", "actors", "phrases"} <= columns
