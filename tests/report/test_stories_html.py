"""The report's stories: each story's events in time order, their articles side by side, copies marked, all escaped."""

from __future__ import annotations

import datetime as dt
import re

from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.model import Article, ArticleMeta, Document, Event, SourceFormat, Story
from rashomon.report.html import build_view, render_report

DAY = dt.date(2026, 1, 1)


def article(text: str, outlet: str, published: dt.date | None, title: str | None = None) -> Document:
    meta = ArticleMeta(f"{outlet}.txt", outlet=outlet, published=published, title=title)
    return Document(Article.create(text, meta, SourceFormat.TEXT), "en")


SWORN = article("Maduro was sworn in for a second term. " * 20, "Reuters", dt.date(2019, 1, 10), "Maduro sworn in")
COPY = article("Maduro was sworn in for a second term. " * 20 + "(AP)", "Planet", dt.date(2019, 1, 11))
GUAIDO = article("Guaidó <script>alert(1)</script> declared himself president.", "BBC", dt.date(2019, 1, 23))
DOCS = [GUAIDO, COPY, SWORN]

EVENTS = [
    Event("e2", "s1", "Juan Guaidó · <b>interim</b>", (GUAIDO.id,), dt.date(2019, 1, 23), dt.date(2019, 1, 23)),
    Event("e1", "s1", "Nicolás Maduro · sworn in", (SWORN.id, COPY.id), dt.date(2019, 1, 10), dt.date(2019, 1, 11)),
]
STORY = Story(
    "s1", "Maduro · Guaidó", (SWORN.id, COPY.id, GUAIDO.id), ("e1", "e2"), dt.date(2019, 1, 10), dt.date(2019, 1, 23)
)
COPIES = [DuplicateGroup("g", SWORN.id, ((COPY.id, 0.9),))]


def test_story_timeline_view() -> None:
    view = build_view(DOCS, [STORY], title="t", generated=DAY, events=EVENTS, duplicates=COPIES)
    (story,) = view.stories
    assert story.dates == "2019-01-10 – 2019-01-23"
    assert [e.label for e in story.events] == ["Nicolás Maduro · sworn in", "Juan Guaidó · <b>interim</b>"]  # by date
    first = story.events[0]
    assert [s.ref.outlet for s in first.articles] == ["Reuters", "Planet"]  # by date
    assert (first.outlets, first.texts) == (2, 1)
    assert first.articles[0].copy_of is None and first.articles[1].copy_of is not None
    assert first.articles[1].copy_of.outlet == "Reuters"
    assert first.articles[0].lead.endswith("…") and len(first.articles[0].lead) <= 321


def test_story_timeline_page_is_escaped() -> None:
    page = render_report(DOCS, [STORY], generated=DAY, events=EVENTS, duplicates=COPIES)
    stories = page[page.index('<section id="stories">') : page.index('<section id="voice-share">')]
    assert stories.count('<li class="event"') == 2
    assert stories.count('class="side copy"') == 1 and "1 distinct text" in stories
    assert "<script>" not in page and "&lt;script&gt;" in stories
    assert "<b>interim</b>" not in page and "&lt;b&gt;interim&lt;/b&gt;" in stories
    assert re.search(r'id="event-e1".*id="event-e2"', stories, flags=re.S)  # time order


def test_without_events_the_story_lists_its_articles() -> None:
    page = render_report(DOCS, [Story("s1", "Maduro", (SWORN.id, COPY.id, GUAIDO.id))], generated=DAY)
    stories = page[page.index('<section id="stories">') : page.index('<section id="voice-share">')]
    assert 'class="timeline"' not in stories and stories.count('<li><span class="outlet">') == 3
