"""Dates of articles and of what they report: from metadata, URLs, datelines, and words such as "on Tuesday".

An article's date (`article_date`) is its publication date when the metadata gives one; else a date in its URL
(``/2018/04/17/``); else the dateline, a full date written in the first lines ("WASHINGTON, April 28, 2009 —",
"Updated: May 3, 2013"); else unknown. What it reports happened (`ArticleDate.happened`) is read from its lead
(the title and first sentences): the first of "on Tuesday", "yesterday", "last night" and "today" resolved against
the article's date, else the first full date written there; either only if it falls in the `HAPPENED_WINDOW_DAYS`
before the article's date (a date recalled from years ago is background); else the article's date itself.

Weekdays resolve to the most recent such day on or before the article's date ("on Tuesday" in a Wednesday
article: the day before; in a Tuesday article: that day), or, when the sentence speaks of the future before the
weekday ("will meet on Friday", "is due to vote on Tuesday"), to the next such day on or after it. Numeric dates
are read month first (US style, "05/02/2013" is 2 May) unless the first number cannot be a month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rashomon.model import Document, Span

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
# Written dates, most specific first. Word boundaries keep "Mayor" and "March on" from being months: a month
# needs a day and a year beside it.
_PATTERNS = (
    re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b"),
    re.compile(rf"(?i)\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"(?i)\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    re.compile(r"\b(?P<first>[0-3]?\d)\s*/\s*(?P<second>[0-3]?\d)\s*/\s*(?P<year>(?:1[89]|20)\d\d|\d\d)\b"),
)
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>[01]?\d)[/-](?P<day>[0-3]?\d)(?:/|[^\d]|$)")
_RELATIVE = re.compile(
    r"(?i)\b(?:(?P<last>last|this past)\s+)?(?P<weekday>"
    + "|".join(n for n in _WEEKDAYS if len(n) > 4)
    + r")\b|\b(?P<word>yesterday|today|tonight|last night)\b"
)
_FUTURE = re.compile(
    r"(?i)\b(?:will|'ll|shall|is to|are to|is due|are due|due to|plans? to|planned|is set to|are set to|"
    r"scheduled|expected to|next)\b"
)
# A date the text gives for the happening must not be long before the article: "in 2003" recalled in a 2005
# article is background, not the news.
HAPPENED_WINDOW_DAYS = 14
# How far into an article its dateline may stand, in characters.
DATELINE_CHARS = 300
# How much of the article is its lead, for what happened: the title and the first sentences.
LEAD_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date written in a text: where, which day, and how it was read ("absolute" or "relative")."""

    span: Span
    date: dt.date
    kind: str


@dataclass(frozen=True, slots=True)
class ArticleDate:
    """When an article was published (and where that was read), and when what it reports happened."""

    date: dt.date | None
    source: str | None  # "metadata", "url", "dateline" or None
    happened: dt.date | None


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 70 else 1900) if year < 100 else year


def absolute_dates(text: str) -> list[FoundDate]:
    """Every full date (day, month and year) written in ``text``, in text order, overlaps resolved first-come."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            groups = match.groupdict()
            if "first" in groups and groups.get("first") is not None:
                first, second = int(groups["first"]), int(groups["second"])
                month, day = (first, second) if first <= 12 else (second, first)
            else:
                raw = groups["month"]
                month = int(raw) if raw.isdigit() else _MONTHS[raw.lower().rstrip(".")]
                day = int(groups["day"])
            date = _make(_year(groups["year"]), month, day)
            if date is not None:
                found.append(FoundDate(Span(start, end), date, "absolute"))
                taken.append((start, end))
    return sorted(found, key=lambda f: f.span)


def parse_date(text: str | None) -> dt.date | None:
    """The first full date written in ``text`` ("May 03, 2013", "Tuesday 28 April 2009", "8 / 2 / 13")."""
    if not text:
        return None
    found = absolute_dates(text)
    return found[0].date if found else None


def url_date(url: str | None) -> dt.date | None:
    """The date in a news URL's path (``/2018/04/17/``, ``/2013-05-02/``), if it holds one."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if match is None:
        return None
    return _make(int(match["year"]), int(match["month"]), int(match["day"]))


def dateline_date(text: str) -> dt.date | None:
    """A full date written in the first `DATELINE_CHARS` characters: the dateline or the publication line."""
    return parse_date(text[:DATELINE_CHARS])


def relative_dates(text: str, reference: dt.date) -> list[FoundDate]:
    """Weekdays and "yesterday", "today", "tonight", "last night" in ``text``, resolved against ``reference``.

    A weekday directly followed by a written date ("Tuesday, 16 December 2008") is left to `absolute_dates`.
    """
    found = []
    absolute = [f.span for f in absolute_dates(text)]
    for match in _RELATIVE.finditer(text):
        start, end = match.span()
        if any(s.start <= end + 2 and start <= s.end for s in absolute):
            continue
        word = (match["word"] or "").lower()
        if word in ("today", "tonight"):
            date = reference
        elif word in ("yesterday", "last night"):
            date = reference - dt.timedelta(days=1)
        else:
            weekday = _WEEKDAYS[match["weekday"].lower()]
            sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
            future = not match["last"] and _FUTURE.search(text, sentence_start, start) is not None
            if future:
                date = reference + dt.timedelta(days=(weekday - reference.weekday()) % 7)
            else:
                back = (reference.weekday() - weekday) % 7
                if match["last"] and back == 0:
                    back = 7
                date = reference - dt.timedelta(days=back)
        found.append(FoundDate(Span(start, end), date, "relative"))
    return found


def _lead(doc: Document) -> str:
    if doc.sentences:
        end = doc.sentences[min(LEAD_SENTENCES, len(doc.sentences)) - 1].end
    else:
        end = len(" ".join(doc.text.split()[:80]))
    return doc.text[:end]


def article_date(doc: Document) -> ArticleDate:
    """The article's date and where it comes from, and when what it reports happened (see the module doc)."""
    meta = doc.article.meta
    date, source = meta.published, "metadata" if meta.published else None
    if date is None:
        date = url_date(meta.url)
        source = "url" if date else None
    if date is None:
        date = dateline_date(doc.text) or dateline_date(meta.title or "")
        source = "dateline" if date else None
    return ArticleDate(date, source, happened_date(doc, date))


def happened_date(doc: Document, date: dt.date | None) -> dt.date | None:
    """When what the article's lead reports happened, by the rules of the module doc; None if undated."""
    if date is None:
        return None
    lead = f"{doc.article.meta.title or ''}\n{_lead(doc)}"
    earliest = date - dt.timedelta(days=HAPPENED_WINDOW_DAYS)
    for found in [*relative_dates(lead, date), *absolute_dates(lead)]:
        if earliest <= found.date <= date:
            return found.date
    return date
