"""Dates: written dates in their many forms, URL dates, datelines, and "on Tuesday" resolved against the article."""

from __future__ import annotations

import datetime as dt

import pytest

from rashomon.corpus.dates import (
    absolute_dates,
    article_date,
    dateline_date,
    parse_date,
    relative_dates,
    url_date,
)
from rashomon.model import Article, ArticleMeta, Document, SourceFormat, Span

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 03, 2013", D(2013, 5, 3)),
        ("PUBLISHED : THURSDAY, MAY 2, 2013, 1 : 32 PM", D(2013, 5, 2)),
        ("Fri., May. 3, 2013 11 : 45 AM PDT", D(2013, 5, 3)),
        ("December 15th, 2008, 7 : 35 am", D(2008, 12, 15)),
        ("Sat Nov 12 2011, 01 : 19 hrs", D(2011, 11, 12)),
        ("14 June 2013", D(2013, 6, 14)),
        ("Tuesday 28 April 2009 22.34 BST", D(2009, 4, 28)),
        ("Friday 25 January 2019, by the Left Parties", D(2019, 1, 25)),
        ("2019-01-23", D(2019, 1, 23)),
        ("05 / 02 / 2013", D(2013, 5, 2)),  # month first
        ("8 / 2 / 13 at 1 : 30 PM", D(2013, 8, 2)),  # two-digit year
        ("11 / 28 / 05", D(2005, 11, 28)),
        ("28/11/2005", D(2005, 11, 28)),  # the first number cannot be a month: day first
        ("Sept. 9, 2013", D(2013, 9, 9)),
        # Not dates.
        ("Mayor 3, 2013", None),
        ("May 2013", None),  # no day
        ("March on Washington", None),
        ("February 30, 2013", None),  # no such day
        ("13 / 13 / 2013", None),
        ("1 : 30 PM", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_absolute_dates_in_order_without_overlaps() -> None:
    text = "On 2019-01-23 and then May 3, 2013, and 05/02/2013."
    found = absolute_dates(text)
    assert [f.date for f in found] == [D(2019, 1, 23), D(2013, 5, 3), D(2013, 5, 2)]
    assert [f.span.of(text) for f in found] == ["2019-01-23", "May 3, 2013", "05/02/2013"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nytimes.com/2018/04/17/world/asia/trump.html", D(2018, 4, 17)),
        ("http://www.foxnews.com/politics/2018/04/17/cia-director.html", D(2018, 4, 17)),
        ("https://example.org/news/2013-05-02/story", D(2013, 5, 2)),
        ("https://example.org/2018/13/40/x", None),
        ("https://www.huffingtonpost.com/entry/mike-pompeo_us_5ad68f54e4b029ebe01ef17a", None),
        ("https://example.org/2018/story", None),
        (None, None),
    ],
)
def test_url_date(url: str | None, expected: dt.date | None) -> None:
    assert url_date(url) == expected


WEDNESDAY = D(2019, 1, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maduro spoke on Tuesday.", [("Tuesday", D(2019, 1, 22))]),
        ("Maduro spoke on Wednesday.", [("Wednesday", D(2019, 1, 23))]),  # the article's own day
        ("Maduro spoke on Thursday.", [("Thursday", D(2019, 1, 17))]),  # past tense: last week's
        ("Maduro will speak on Friday.", [("Friday", D(2019, 1, 25))]),  # future: the coming one
        ("The vote is due on Wednesday.", [("Wednesday", D(2019, 1, 23))]),
        ("He spoke last Wednesday.", [("last Wednesday", D(2019, 1, 16))]),
        ("Yesterday it rained; today it snows.", [("Yesterday", D(2019, 1, 22)), ("today", D(2019, 1, 23))]),
        ("Protests last night.", [("last night", D(2019, 1, 22))]),
        ("Tuesday, 16 December 2008", []),  # a weekday with its written date is that date
        ("The Monday Club met.", [("Monday", D(2019, 1, 21))]),
        ("No days here.", []),
    ],
)
def test_relative_dates(text: str, expected: list[tuple[str, dt.date]]) -> None:
    assert [(f.span.of(text), f.date) for f in relative_dates(text, WEDNESDAY)] == expected


def doc(text: str, published: dt.date | None = None, url: str | None = None, title: str | None = None) -> Document:
    meta = ArticleMeta("a.txt", url=url, title=title, published=published)
    return Document(Article.create(text, meta, SourceFormat.TEXT), sentences=_sentences(text))


def _sentences(text: str) -> tuple[Span, ...]:
    spans, start = [], 0
    for n, char in enumerate(text):
        if char == "." and (n + 1 == len(text) or text[n + 1] == " "):
            spans.append(Span(start, n + 1))
            start = n + 2
    return tuple(spans)


@pytest.mark.parametrize(
    ("article", "date", "source", "happened"),
    [
        (doc("Maduro spoke on Tuesday.", published=WEDNESDAY), WEDNESDAY, "metadata", D(2019, 1, 22)),
        (
            doc("Maduro spoke on Tuesday.", url="https://x.org/2019/01/23/maduro"),
            WEDNESDAY,
            "url",
            D(2019, 1, 22),
        ),
        (
            doc("CARACAS, January 23, 2019 - Maduro spoke yesterday."),
            WEDNESDAY,
            "dateline",
            D(2019, 1, 22),
        ),
        (doc("Maduro spoke.", title="Updated: January 23, 2019"), WEDNESDAY, "dateline", WEDNESDAY),
        (doc("Maduro spoke on Tuesday."), None, None, None),  # undated: nothing to resolve against
        # A date recalled from long ago is background, not when the news happened.
        (
            doc("The 2003 quake of December 26, 2003 is remembered.", published=WEDNESDAY),
            WEDNESDAY,
            "metadata",
            WEDNESDAY,
        ),
        # Metadata wins over a dateline that says otherwise.
        (doc("CARACAS, January 1, 2019 - Talks.", published=WEDNESDAY), WEDNESDAY, "metadata", WEDNESDAY),
    ],
)
def test_article_date(article: Document, date: dt.date | None, source: str | None, happened: dt.date | None) -> None:
    found = article_date(article)
    assert (found.date, found.source, found.happened) == (date, source, happened)


def test_dateline_only_at_the_start() -> None:
    assert dateline_date("CARACAS, January 23, 2019 - Talks.") == WEDNESDAY
    assert dateline_date("x " * 200 + "January 23, 2019") is None
