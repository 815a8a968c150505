"""Timelines: each story's events in time order, with their articles and outlets.

An event stands on the timeline at the day it happened (`Event.first_date`: the earliest day its articles say it
happened, from their dates and their "on Tuesday"s, `rashomon.corpus.dates`), undated events last; its articles
follow in date order (undated last, then outlet), each with its date, where that date was read (metadata, URL,
dateline), and, for a copy of another article's text (`rashomon.corpus.duplicates`), which one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rashomon.corpus.dates import article_date
from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.corpus.labels import outlet_of
from rashomon.model import Document, Event, Story


@dataclass(frozen=True, slots=True)
class TimelineArticle:
    """One article of an event on the timeline."""

    article_id: str
    outlet: str  # the outlet, else the file the article was read from
    title: str | None
    date: dt.date | None  # the article's date
    date_source: str | None  # "metadata", "url", "dateline", or None when undated
    happened: dt.date | None  # when what it reports happened, as it says
    copy_of: str | None = None  # the original's id, when this article carries a copy of its text


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    event: Event
    articles: tuple[TimelineArticle, ...]

    @property
    def date(self) -> dt.date | None:
        return self.event.first_date

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets that report the event, in the order of their first article."""
        return tuple(dict.fromkeys(a.outlet for a in self.articles))

    @property
    def texts(self) -> int:
        """How many distinct texts the event's articles carry (copies of one text count once)."""
        return sum(1 for a in self.articles if a.copy_of is None)


@dataclass(frozen=True, slots=True)
class Timeline:
    story: Story
    events: tuple[TimelineEvent, ...]


def _article_key(a: TimelineArticle) -> tuple[bool, dt.date, str, str]:
    return (a.date is None, a.date or dt.date.min, a.outlet.casefold(), a.article_id)


def _event_key(e: TimelineEvent) -> tuple[bool, dt.date, str]:
    return (e.date is None, e.date or dt.date.min, e.event.id)


def timeline(
    story: Story,
    events: Iterable[Event],
    docs: Mapping[str, Document],
    duplicates: Sequence[DuplicateGroup] = (),
) -> Timeline:
    """The timeline of ``story`` from its events (others are ignored) and the documents they name; articles
    missing from ``docs`` are left out."""
    copy_of = {a: g.original for g in duplicates for a, _ in g.copies}
    entries = []
    for event in events:
        if event.story_id != story.id:
            continue
        articles = []
        for article_id in event.article_ids:
            doc = docs.get(article_id)
            if doc is None:
                continue
            dates = article_date(doc)
            articles.append(
                TimelineArticle(
                    article_id,
                    outlet_of(doc),
                    doc.article.meta.title,
                    dates.date,
                    dates.source,
                    dates.happened,
                    copy_of.get(article_id),
                )
            )
        entries.append(TimelineEvent(event, tuple(sorted(articles, key=_article_key))))
    return Timeline(story, tuple(sorted(entries, key=_event_key)))


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def timeline_record(t: Timeline) -> dict[str, object]:
    """A timeline as JSON (`rashomon stories --json`): the story, then its events in time order with their
    articles."""
    story = t.story
    return {
        "id": story.id,
        "label": story.label,
        "actors": list(story.actors),
        "phrases": list(story.phrases),
        "first_date": _iso(story.first_date),
        "last_date": _iso(story.last_date),
        "articles": len(story.article_ids),
        "outlets": list(dict.fromkeys(o for e in t.events for o in e.outlets)),
        "events": [
            {
                "id": e.event.id,
                "label": e.event.label,
                "actors": list(e.event.actors),
                "phrases": list(e.event.phrases),
                "first_date": _iso(e.event.first_date),
                "last_date": _iso(e.event.last_date),
                "outlets": list(e.outlets),
                "texts": e.texts,
                "articles": [
                    {
                        "article_id": a.article_id,
                        "outlet": a.outlet,
                        "title": a.title,
                        "date": _iso(a.date),
                        "date_source": a.date_source,
                        "happened": _iso(a.happened),
                        "copy_of": a.copy_of,
                    }
                    for a in e.articles
                ],
            }
            for e in t.events
        ],
    }
