"""The HTML report: one self-contained file that shows how the outlets of a corpus tell their stories.

This module turns analysed documents into view records and renders them with one Jinja2 template. Everything
that comes from an article (text, title, outlet, speakers, labels, URLs) is untrusted: the template escapes it
(autoescape is on), the only markup built here is built around slices that are escaped first, only http(s)
URLs become links, and a Content-Security-Policy forbids scripts should anything slip through anyway. The file
needs no network: the stylesheet is inlined, and there are no fonts, scripts or images to fetch.

Pass documents whose entities are linked across the corpus (`rashomon.corpus.actors.apply_links`), so one
actor has one id in every article; the report groups speakers and actors by id and does not link them itself.
Pass the quote match groups the corpus step stored (`rashomon.corpus.quotes`), or let the report find them;
the voice shares (`rashomon.corpus.voices`) it computes from the documents and stories.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.corpus.labels import MIN_COUNT, Cell, label_matrix, outlet_of
from rashomon.corpus.quotes import (
    DiffOp,
    DiffToken,
    QuoteMatch,
    QuoteRef,
    comparable_words,
    diff_words,
    find_quote_matches,
    matches_by_quote,
    speaker_key,
)
from rashomon.corpus.stance import MIN_COUNT as STANCE_MIN_COUNT
from rashomon.corpus.stance import StanceCell, article_stances, stance_matrix
from rashomon.corpus.voices import Voice, VoiceShare, voice_shares
from rashomon.model import Document, EntityType, Event, Quote, Span, Story

_TEMPLATES = "templates"
_UNATTRIBUTED = "Unattributed"
_TITLE_CHARS = 110  # an untitled article is shown by its first line, cut to this length
# The voice share charts show this many speakers per outlet or story; the rest share one bar.
_SHARE_BARS = 8


# --- view records: what the template shows, all plain data ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article as it is named wherever the report refers to it."""

    anchor: str
    outlet: str
    date: str
    title: str


@dataclass(frozen=True, slots=True)
class QuoteView:
    anchor: str
    text: str
    kind: str
    speaker: str
    attributed: bool
    cue: str
    attribution: str
    mention: str  # the words that name the speaker at the attribution ("he", "Mr Corbyn"), if recorded


@dataclass(frozen=True, slots=True)
class EntityView:
    name: str
    type: str
    mentions: int
    labels: tuple[str, ...]  # distinct, as first written
    actor_anchor: str | None  # the row in the actor table, for people and organisations
    stance: str = ""  # its stance in this article: "-0.40 (5/1/0)" (score, negative/neutral/positive); "" if unscored
    stance_leaning: str = "neutral"


@dataclass(frozen=True, slots=True)
class RemovedView:
    line: int
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    ref: ArticleRef
    url: str | None  # only http(s) URLs, the only ones safe to link
    url_text: str | None
    source_path: str
    author: str | None
    language: str | None
    words: int
    story: StoryRef | None
    quotes: tuple[QuoteView, ...]
    entities: tuple[EntityView, ...]
    removed: tuple[RemovedView, ...]
    body: Markup
    share: ShareView | None = None  # the article's voice share chart


@dataclass(frozen=True, slots=True)
class StoryRef:
    anchor: str
    label: str


@dataclass(frozen=True, slots=True)
class SideView:
    """One article in an event's side-by-side row: where it stands, and its first lines."""

    ref: ArticleRef
    lead: str
    copy_of: ArticleRef | None  # the article whose text it copies (rashomon.corpus.duplicates)


@dataclass(frozen=True, slots=True)
class EventView:
    anchor: str
    label: str
    dates: str
    outlets: int
    texts: int  # distinct texts: copies of one text count once
    articles: tuple[SideView, ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    ref: StoryRef
    articles: tuple[ArticleRef, ...]
    outlets: int
    dates: str
    events: tuple[EventView, ...] = ()  # the story's timeline, when events were found


@dataclass(frozen=True, slots=True)
class VersionView:
    """One outlet's rendering of a quote."""

    article: ArticleRef
    quote_anchor: str
    kind: str
    cue: str
    text: Markup  # the quote with the words that differ from the group's first version marked
    differs: bool
    articles: int  # how many of the outlet's articles carry these very words
    speaker: str  # who this version is attributed to, when that is not the voice the group is shown under


@dataclass(frozen=True, slots=True)
class QuoteGroupView:
    versions: tuple[VersionView, ...]
    outlets: int
    differs: bool
    attributed_differently: bool  # some version credits another speaker (or none)


@dataclass(frozen=True, slots=True)
class VoiceView:
    anchor: str
    name: str
    actor_anchor: str | None
    quotes: int
    outlets: int
    groups: tuple[QuoteGroupView, ...]


@dataclass(frozen=True, slots=True)
class LabelChip:
    """One label of an actor in one outlet's column."""

    text: str  # the most used written form
    count: int
    scare_quoted: bool  # written in quotation marks at least once
    distinctive: bool  # sets this outlet apart (rashomon.corpus.labels)
    exclusive: bool  # no other outlet uses it for this actor
    tip: str  # how it was attached and where: kinds, counts and the words around its first uses
    anchor: str  # the article of its first use


@dataclass(frozen=True, slots=True)
class ActorRow:
    anchor: str
    name: str
    type: str
    outlets: int
    # Per outlet column: the labels it uses; () if it names the actor without one; None if it never names it.
    cells: tuple[tuple[LabelChip, ...] | None, ...]
    minor: bool  # named by one outlet only, without a label: nothing to compare, so shown collapsed


@dataclass(frozen=True, slots=True)
class StanceMark:
    """One actor x outlet cell of the stance chart. Positions and widths are CSS percentages of the -1..1 axis."""

    score: str  # "+0.25"
    mentions: int
    counts: str  # "5/1/1": negative/neutral/positive
    leaning: str  # "negative", "neutral" or "positive": where the 95% interval lies
    direction: str  # "negative", "neutral" or "positive": the score's sign, whatever its interval
    few: bool  # fewer than the minimum count of mentions: thin evidence
    bar_left: str  # the bar from the axis's centre to the score
    bar_width: str
    band_left: str  # the band of the 95% interval
    band_width: str
    tip: str  # counts, score, interval, and the first evidence sentences
    anchor: str  # the article of the first scored mention


@dataclass(frozen=True, slots=True)
class StanceRow:
    anchor: str
    name: str
    type: str
    mentions: int
    score: str  # over every outlet
    actor_anchor: str | None  # the actor's row in the label table, when it has one
    cells: tuple[StanceMark | None, ...]  # per outlet column; None where the outlet never mentions it (scored)
    minor: bool  # scored in one outlet only: nothing to compare, shown collapsed


@dataclass(frozen=True, slots=True)
class Summary:
    articles: int
    outlets: int
    stories: int
    shared_stories: int  # stories told by more than one article
    quotes: int
    attributed: int
    speakers: int
    actors: int
    words: int
    dates: str


@dataclass(frozen=True, slots=True)
class ShareBar:
    """One speaker's bar in a voice share chart. Widths are CSS percentages of the scope's quoted words."""

    name: str
    anchor: str | None  # the speaker's card in "Voices by speaker"
    attributed: bool
    quotes: int
    words: int
    direct_words: int
    indirect_words: int
    percent: str  # "42.1%"
    direct_width: str  # "30.5%"
    indirect_width: str


@dataclass(frozen=True, slots=True)
class ShareView:
    """The voice share chart of one outlet or story."""

    title: str
    anchor: str | None  # the story, for story charts
    articles: int
    quotes: int
    words: int
    bars: tuple[ShareBar, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    title: str
    generated: str
    summary: Summary
    stories: tuple[StoryView, ...]
    outlet_shares: tuple[ShareView, ...]
    story_shares: tuple[ShareView, ...]  # stories told by several articles
    voices: tuple[VoiceView, ...]
    articles: tuple[ArticleView, ...]
    outlets: tuple[str, ...]
    actors: tuple[ActorRow, ...]
    min_label_count: int  # uses a label needs to count as distinctive
    stance_outlets: tuple[str, ...] = ()
    stance: tuple[StanceRow, ...] = ()  # the actor x outlet stance chart
    stance_min_count: int = STANCE_MIN_COUNT


# --- public API -------------------------------------------------------------------------------------------


def render_report(
    docs: Sequence[Document],
    stories: Sequence[Story],
    *,
    title: str = "Rashomon report",
    generated: dt.date | None = None,
    matches: Sequence[QuoteMatch] | None = None,
    events: Sequence[Event] = (),
    duplicates: Sequence[DuplicateGroup] = (),
) -> str:
    """The report as one self-contained HTML page. ``generated`` defaults to today (fixed for tests).

    ``matches`` are the stored quote match groups; None finds them in ``docs``. ``events`` (with the groups of
    copies, ``duplicates``) give each story its timeline of events with their articles side by side.
    """
    view = build_view(
        docs,
        stories,
        title=title,
        generated=generated or dt.date.today(),
        matches=matches,
        events=events,
        duplicates=duplicates,
    )
    # The stylesheet is ours, not article data: Markup keeps autoescape from mangling its ">" selectors.
    return _template().render(view=view, css=Markup(_stylesheet()))


def write_report(
    path: str | Path,
    docs: Sequence[Document],
    stories: Sequence[Story],
    *,
    title: str = "Rashomon report",
    generated: dt.date | None = None,
    matches: Sequence[QuoteMatch] | None = None,
    events: Sequence[Event] = (),
    duplicates: Sequence[DuplicateGroup] = (),
) -> Path:
    """Render the report and write it to ``path`` (UTF-8, parent folders created). Returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    page = render_report(
        docs, stories, title=title, generated=generated, matches=matches, events=events, duplicates=duplicates
    )
    out.write_text(page, encoding="utf-8")
    return out


def build_view(
    docs: Sequence[Document],
    stories: Sequence[Story],
    *,
    title: str,
    generated: dt.date,
    matches: Sequence[QuoteMatch] | None = None,
    events: Sequence[Event] = (),
    duplicates: Sequence[DuplicateGroup] = (),
) -> ReportView:
    """Everything the template shows, computed from the documents, stories, events and quote matches. Pure."""
    unique = {doc.id: doc for doc in docs}
    story_of = {aid: story for story in stories for aid in story.article_ids if aid in unique}
    ordered = _article_order(unique, stories)
    refs = {doc.id: _article_ref(doc) for doc in ordered}
    actor_ids = {e.id for d in ordered for e in d.entities if e.type in _ACTOR_TYPES}
    copy_of = {a: g.original for g in duplicates for a, _ in g.copies}
    story_views = tuple(
        _story_view(s, unique, refs, events, copy_of) for s in stories if any(a in unique for a in s.article_ids)
    )
    if matches is None:
        matches = find_quote_matches(ordered)
    voices = _voices(ordered, refs, actor_ids, matches_by_quote(matches))
    shares = voice_shares(ordered, stories)
    voice_anchors = {v.anchor for v in voices}
    article_shares = {s.key: _share_view(s, None, voice_anchors) for s in shares.articles}
    articles = tuple(
        replace(_article_view(d, refs[d.id], story_of.get(d.id), actor_ids), share=article_shares.get(d.id))
        for d in ordered
    )
    outlet_shares = tuple(_share_view(s, None, voice_anchors) for s in shares.outlets)
    story_shares = tuple(
        _share_view(s, _anchor("story", s.key or ""), voice_anchors) for s in shares.stories if len(s.articles) > 1
    )
    outlets, actors = _actor_table(ordered)
    stance_outlets, stance_rows = _stance_chart(ordered, {a.anchor for a in actors})
    quotes = [q for d in ordered for q in d.quotes]
    summary = Summary(
        articles=len(ordered),
        outlets=len({outlet_of(d) for d in ordered}),
        stories=len(story_views),
        shared_stories=sum(1 for s in story_views if len(s.articles) > 1),
        quotes=len(quotes),
        attributed=sum(1 for q in quotes if q.speaker_id or q.speaker),
        speakers=sum(1 for v in voices if v.name != _UNATTRIBUTED),
        actors=len(actors),
        words=sum(len(d.text.split()) for d in ordered),
        dates=_date_range(d.article.meta.published for d in ordered),
    )
    return ReportView(
        title,
        generated.isoformat(),
        summary,
        story_views,
        outlet_shares,
        story_shares,
        voices,
        articles,
        outlets,
        actors,
        MIN_COUNT,
        stance_outlets,
        stance_rows,
        STANCE_MIN_COUNT,
    )


def highlight(text: str, marks: Iterable[tuple[Span, str, str, str]]) -> Markup:
    """``text`` with each ``(span, css class, title, element id)`` wrapped in ``<mark>``; overlaps dropped.

    Every slice of the text is escaped before it is wrapped, so untrusted text can never become markup.
    A mark that starts inside an earlier one is dropped (no nesting); empty spans and spans running past the
    end of the text are ignored.
    """
    out: list[str] = []
    pos = 0
    for span, css, tip, element_id in sorted(marks, key=lambda m: (m[0].start, -m[0].end)):
        if span.start < pos or span.end > len(text) or span.start == span.end:
            continue
        out.append(escape(text[pos : span.start]))
        id_attr = Markup(' id="{}"').format(element_id) if element_id else Markup("")
        out.append(Markup('<mark class="{}"{} title="{}">').format(css, id_attr, tip))
        out.append(escape(text[span.start : span.end]))
        out.append(Markup("</mark>"))
        pos = span.end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL, else None: ``javascript:`` and ``data:`` links must never be made."""
    if url and re.match(r"(?i)^https?://[^\s\"'<>]+$", url.strip()):
        return url.strip()
    return None


# --- building the views -----------------------------------------------------------------------------------

_ACTOR_TYPES = (EntityType.PERSON, EntityType.ORGANIZATION)


def _anchor(kind: str, key: str) -> str:
    # Ids are hashes and name keys, but they come from stored data: keep only characters safe in a fragment.
    return f"{kind}-" + re.sub(r"[^A-Za-z0-9_-]", "_", key)


def _date(doc: Document) -> str:
    published = doc.article.meta.published
    return published.isoformat() if published else "undated"


def _title(doc: Document) -> str:
    if doc.article.meta.title:
        return doc.article.meta.title
    first = next((line.strip() for line in doc.text.splitlines() if line.strip()), "")
    if not first:
        return "Untitled"
    return first if len(first) <= _TITLE_CHARS else first[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def _sort_key(doc: Document) -> tuple[bool, dt.date, str, str]:
    published = doc.article.meta.published
    return (published is None, published or dt.date.min, outlet_of(doc).casefold(), doc.id)


def _article_order(docs: dict[str, Document], stories: Sequence[Story]) -> list[Document]:
    """Story by story in the stories' order, each story's articles by date; articles in no story last."""
    seen: dict[str, Document] = {}
    for story in stories:
        for doc in sorted((docs[a] for a in story.article_ids if a in docs), key=_sort_key):
            seen.setdefault(doc.id, doc)
    rest = sorted((d for d in docs.values() if d.id not in seen), key=_sort_key)
    return [*seen.values(), *rest]


def _article_ref(doc: Document) -> ArticleRef:
    return ArticleRef(_anchor("article", doc.id), outlet_of(doc), _date(doc), _title(doc))


def _date_range(dates: Iterable[dt.date | None]) -> str:
    known = sorted(d for d in dates if d is not None)
    if not known:
        return "undated"
    first, last = known[0].isoformat(), known[-1].isoformat()
    return first if first == last else f"{first} – {last}"


def _story_view(
    story: Story,
    docs: dict[str, Document],
    refs: dict[str, ArticleRef],
    events: Sequence[Event] = (),
    copy_of: Mapping[str, str] | None = None,
) -> StoryView:
    members = sorted((docs[a] for a in story.article_ids if a in docs), key=_sort_key)
    dates = _date_range(d.article.meta.published for d in members)
    if story.first_date is not None:
        dates = _date_range([story.first_date, story.last_date])
    return StoryView(
        StoryRef(_anchor("story", story.id), story.label),
        tuple(refs[d.id] for d in members),
        len({outlet_of(d) for d in members}),
        dates,
        _timeline(story, events, docs, refs, copy_of or {}),
    )


# Characters of an article's beginning shown in a story's side-by-side view.
_LEAD_CHARS = 320


def _timeline(
    story: Story,
    events: Sequence[Event],
    docs: dict[str, Document],
    refs: dict[str, ArticleRef],
    copy_of: Mapping[str, str],
) -> tuple[EventView, ...]:
    """The story's events in time order (undated last), each with its articles side by side, by date."""
    own = sorted(
        (e for e in events if e.story_id == story.id),
        key=lambda e: (e.first_date is None, e.first_date or dt.date.min, e.id),
    )
    views = []
    for event in own:
        members = sorted((docs[a] for a in event.article_ids if a in docs), key=_sort_key)
        if not members:
            continue
        sides = tuple(
            SideView(refs[d.id], _lead(d), refs.get(copy_of[d.id]) if d.id in copy_of else None) for d in members
        )
        views.append(
            EventView(
                anchor=_anchor("event", event.id),
                label=event.label,
                dates=_date_range([event.first_date, event.last_date]),
                outlets=len({outlet_of(d) for d in members}),
                texts=max(1, sum(1 for d in members if d.id not in copy_of)),
                articles=sides,
            )
        )
    return tuple(views)


def _lead(doc: Document) -> str:
    """The article's first words, up to `_LEAD_CHARS` characters, cut at a word."""
    text = " ".join(doc.text.split())
    if len(text) <= _LEAD_CHARS:
        return text
    return text[:_LEAD_CHARS].rsplit(" ", 1)[0] + "…"


def _speaker(quote: Quote) -> str:
    return quote.speaker or _UNATTRIBUTED


def _quote_anchor(doc: Document, index: int) -> str:
    return _anchor("quote", f"{doc.id}-{index}")


def _article_view(doc: Document, ref: ArticleRef, story: Story | None, actor_ids: set[str]) -> ArticleView:
    meta = doc.article.meta
    quotes = tuple(
        QuoteView(
            anchor=_quote_anchor(doc, i),
            text=q.text,
            kind=str(q.kind),
            speaker=_speaker(q),
            attributed=bool(q.speaker_id or q.speaker),
            cue=q.cue or "",
            attribution=str(q.attribution),
            mention=q.speaker_mention.of(doc.text) if q.speaker_mention else "",
        )
        for i, q in enumerate(doc.quotes)
    )
    stances = {actor: s.counts for actor, s in article_stances(doc).items()}
    entities = tuple(
        EntityView(
            e.name,
            str(e.type),
            len(e.mentions),
            tuple({label.normal: label.text for label in reversed(e.labels)}.values())[::-1],
            _anchor("actor", e.id) if e.id in actor_ids and e.type in _ACTOR_TYPES else None,
            f"{c.score:+.2f} ({c.negative}/{c.neutral}/{c.positive})" if (c := stances.get(e.id)) else "",
            c.leaning.value if (c := stances.get(e.id)) else "neutral",
        )
        for e in sorted(doc.entities, key=lambda e: (-len(e.mentions), e.name.casefold()))
    )
    marks: list[tuple[Span, str, str, str]] = []
    for i, q in enumerate(doc.quotes):
        tip = f"{_speaker(q)} · {q.kind}" + (f" · {q.cue}" if q.cue else "")
        for n, part in enumerate(q.parts):
            marks.append((part, f"q q-{q.kind}", tip, _quote_anchor(doc, i) if n == 0 else ""))
        if q.speaker_mention is not None:
            marks.append((q.speaker_mention, "who", f"speaker of quote {i + 1}", ""))
        if q.cue_span is not None:
            marks.append((q.cue_span, "cue", f"cue of quote {i + 1}", ""))
    return ArticleView(
        ref=ref,
        url=safe_url(meta.url),
        url_text=meta.url,
        source_path=meta.source_path,
        author=meta.author,
        language=doc.language or meta.language,
        words=len(doc.text.split()),
        story=StoryRef(_anchor("story", story.id), story.label) if story else None,
        quotes=quotes,
        entities=entities,
        removed=tuple(RemovedView(r.line, r.rule, r.text) for r in doc.article.removed),
        body=highlight(doc.text, marks),
    )


# --- voices: one speaker's quotes across outlets, the versions of one quote side by side --------------------


def diff_markup(text: str, reference: str, tokens: Sequence[DiffToken] | None = None) -> tuple[Markup, bool]:
    """``text`` compared word by word with ``reference`` (`diff_words`); and whether they differ.

    Words of ``text`` that the reference does not have are marked (``<mark class="diff">``, one mark per run);
    reference words that ``text`` leaves out between two shared words are shown struck (``<del>``). Words
    beyond either end are not shown as missing: a partial quote is meant to be a fragment. Every slice of
    either text is escaped before it is wrapped.
    """
    if tokens is None:
        tokens = diff_words(reference, text)
    same = [k for k, t in enumerate(tokens) if t.op is DiffOp.SAME]
    out: list[str] = []
    pos = 0
    differs = False
    k = 0
    while k < len(tokens):
        op = tokens[k].op
        end = k
        while end < len(tokens) and tokens[end].op is op:
            end += 1
        run = tokens[k:end]
        if op is DiffOp.INSERTED:
            start, stop = run[0].span.start, run[-1].span.end
            out += [escape(text[pos:start]), Markup('<mark class="diff" title="not in the fullest version">')]
            out += [escape(text[start:stop]), Markup("</mark>")]
            pos = stop
            differs = True
        elif op is DiffOp.DELETED and same and same[0] < k and same[-1] >= end:
            # Left out between two shared words: shown where the next word of ``text`` begins.
            at = next(t.span.start for t in tokens[end:] if t.op is not DiffOp.DELETED)
            stop = run[-1].span.end
            while stop < len(reference) and not (reference[stop].isspace() or reference[stop].isalnum()):
                stop += 1  # the punctuation that ends the words: "side," reads better struck whole
            missing = reference[run[0].span.start : stop]
            out += [escape(text[pos:at]), Markup('<del title="left out here">{}</del> ').format(missing)]
            pos = at
            differs = True
        k = end
    out.append(escape(text[pos:]))
    return Markup("").join(out), differs


_Item = tuple[Document, int, Quote]


def _voices(
    docs: Sequence[Document],
    refs: dict[str, ArticleRef],
    actor_ids: set[str],
    group_of: dict[QuoteRef, QuoteMatch],
) -> tuple[VoiceView, ...]:
    by_speaker: dict[str, list[_Item]] = defaultdict(list)
    for doc in docs:
        for i, q in enumerate(doc.quotes):
            by_speaker[speaker_key(q) or ""].append((doc, i, q))
    by_id = {d.id: d for d in docs}

    voices = []
    for key, items in by_speaker.items():
        names = Counter(q.speaker for _, _, q in items if q.speaker)
        name = min(names, key=lambda n: (-names[n], n)) if names else _UNATTRIBUTED
        items.sort(key=_item_order)
        # The speaker's quotes, one group per match group (with every version, whoever it is attributed to),
        # each quote in no group on its own; in the order of each group's earliest quote.
        groups: dict[str, list[_Item]] = {}
        for doc, i, q in items:
            match = group_of.get(QuoteRef(doc.id, i))
            if match is None:
                groups[f"{doc.id}:{i}"] = [(doc, i, q)]
            elif match.group_id not in groups:
                members = [(by_id[m.article_id], m.quote_index) for m in match.members if m.article_id in by_id]
                groups[match.group_id] = sorted(
                    ((d, n, d.quotes[n]) for d, n in members if n < len(d.quotes)), key=_item_order
                )
        voices.append(
            VoiceView(
                anchor=_anchor("voice", key or "unattributed"),
                name=name,
                actor_anchor=_anchor("actor", key) if key in actor_ids else None,
                quotes=len(items),
                outlets=len({outlet_of(d) for d, _, _ in items}),
                groups=_quote_groups(list(groups.values()), key, refs),
            )
        )
    # Speakers heard through the most outlets first: they are where the comparison is; the unattributed last.
    voices.sort(key=lambda v: (v.name == _UNATTRIBUTED, -v.outlets, -v.quotes, v.name.casefold()))
    return tuple(voices)


def _item_order(item: _Item) -> tuple[tuple[bool, dt.date, str, str], int]:
    return _sort_key(item[0]), item[2].start


def _quote_groups(
    groups: Sequence[Sequence[_Item]], voice_key: str, refs: dict[str, ArticleRef]
) -> tuple[QuoteGroupView, ...]:
    views = [_quote_group(items, voice_key, refs) for items in groups]
    # Quotes several outlets carry first: they show how one statement travels.
    views.sort(key=lambda g: -g.outlets)
    return tuple(views)


def _quote_group(items: Sequence[_Item], voice_key: str, refs: dict[str, ArticleRef]) -> QuoteGroupView:
    keys = [comparable_words(q.text) for _, _, q in items]
    # The fullest version comes first and the others are compared with it: a partial quote is a fragment of
    # it, and a rewording shows as the words it does not share.
    first = max(range(len(items)), key=lambda i: len(keys[i]))
    reference = items[first][2].text
    # One outlet carrying the same words in several articles is one version, with a count.
    same: dict[tuple[str, str, str, str], list[int]] = {}
    for i in [first, *(i for i in range(len(items)) if i != first)]:
        doc, _, q = items[i]
        same.setdefault((outlet_of(doc), q.text, str(q.kind), speaker_key(q) or ""), []).append(i)
    versions = []
    for n, copies in enumerate(same.values()):
        doc, index, q = items[copies[0]]
        if n == 0 or keys[copies[0]] == keys[first]:
            text, differs = escape(q.text), False
        else:
            text, differs = diff_markup(q.text, reference)
        versions.append(
            VersionView(
                refs[doc.id],
                _quote_anchor(doc, index),
                str(q.kind),
                q.cue or "",
                text,
                differs,
                len(copies),
                "" if (speaker_key(q) or "") == voice_key else _speaker(q),
            )
        )
    return QuoteGroupView(
        tuple(versions),
        len({v.article.outlet for v in versions}),
        any(v.differs for v in versions),
        any(v.speaker for v in versions),
    )


# --- voice share: who gets how many quoted words, per outlet and per story ---------------------------------


def _share_view(share: VoiceShare, anchor: str | None, voice_anchors: set[str]) -> ShareView:
    total = share.words
    shown, rest = share.voices[:_SHARE_BARS], share.voices[_SHARE_BARS:]
    bars = [_share_bar(v.speaker or _UNATTRIBUTED, v, total, voice_anchors) for v in shown]
    if rest:
        others = Voice(
            "",
            None,
            None,
            sum(v.direct_quotes for v in rest),
            sum(v.direct_words for v in rest),
            sum(v.indirect_quotes for v in rest),
            sum(v.indirect_words for v in rest),
        )
        bars.append(_share_bar(f"{len(rest)} more speakers", others, total, set()))
    return ShareView(share.label, anchor, len(share.articles), share.quotes, total, tuple(bars))


def _share_bar(name: str, voice: Voice, total: int, voice_anchors: set[str]) -> ShareBar:
    anchor = _anchor("voice", voice.key or "unattributed")

    def percent(words: int) -> str:
        return f"{100 * words / total:.1f}%" if total else "0.0%"

    return ShareBar(
        name=name,
        anchor=anchor if anchor in voice_anchors else None,
        attributed=voice.speaker is not None,
        quotes=voice.quotes,
        words=voice.words,
        direct_words=voice.direct_words,
        indirect_words=voice.indirect_words,
        percent=percent(voice.words),
        direct_width=percent(voice.direct_words),
        indirect_width=percent(voice.indirect_words),
    )


# --- the actor x outlet table -----------------------------------------------------------------------------


def _actor_table(docs: Sequence[Document]) -> tuple[tuple[str, ...], tuple[ActorRow, ...]]:
    matrix = label_matrix(docs, types=frozenset(_ACTOR_TYPES))
    by_id = {d.id: d for d in docs}
    rows = []
    for actor in matrix.actors:
        cells = tuple(_label_chips(actor.cell(outlet), by_id) for outlet in matrix.outlets)
        named = [c for c in cells if c is not None]
        rows.append(
            ActorRow(
                anchor=_anchor("actor", actor.id),
                name=actor.name,
                type=str(actor.type),
                outlets=len(named),
                cells=cells,
                minor=len(named) == 1 and not named[0],
            )
        )
    return matrix.outlets, tuple(rows)


# How many uses of a label its tooltip quotes.
_TIP_USES = 3


def _label_chips(cell: Cell | None, docs: dict[str, Document]) -> tuple[LabelChip, ...] | None:
    if cell is None:
        return None
    chips = []
    for label in cell.labels:
        kinds = ", ".join(k.value for k in label.kinds)
        head = f"{label.count}× in {label.articles} article{'s' if label.articles != 1 else ''} ({kinds})"
        if label.others:
            head += f"; {label.others}× by other outlets"
        contexts = [_context(docs[u.article_id].text, u.span) for u in label.uses[:_TIP_USES]]
        chips.append(
            LabelChip(
                text=label.text,
                count=label.count,
                scare_quoted=label.scare_quoted > 0,
                distinctive=label.distinctive,
                exclusive=label.exclusive,
                tip=" · ".join([head, *contexts]),
                anchor=_anchor("article", label.uses[0].article_id),
            )
        )
    return tuple(chips)


# Characters of article text shown on each side of a label in its tooltip.
_CONTEXT_CHARS = 40


def _context(text: str, span: Span) -> str:
    start, end = max(0, span.start - _CONTEXT_CHARS), min(len(text), span.end + _CONTEXT_CHARS)
    before, after = text[start : span.start], text[span.end : end]
    return "…" + " ".join(f"{before}[{span.of(text)}]{after}".split()) + "…"


# --- the actor x outlet stance chart -----------------------------------------------------------------------

# How many scored mentions a stance cell's tooltip quotes.
_TIP_MENTIONS = 3


def _stance_chart(docs: Sequence[Document], actor_anchors: set[str]) -> tuple[tuple[str, ...], tuple[StanceRow, ...]]:
    matrix = stance_matrix(docs)
    by_id = {d.id: d for d in docs}
    rows = []
    for actor in matrix.actors:
        cells = tuple(_stance_mark(actor.cell(outlet), by_id) for outlet in matrix.outlets)
        anchor = _anchor("actor", actor.id)
        rows.append(
            StanceRow(
                anchor=_anchor("stance", actor.id),
                name=actor.name,
                type=str(actor.type),
                mentions=actor.counts.n,
                score=f"{actor.counts.score:+.2f}",
                actor_anchor=anchor if anchor in actor_anchors else None,
                cells=cells,
                minor=len(actor.cells) < 2,
            )
        )
    return matrix.outlets, tuple(rows)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def _stance_mark(cell: StanceCell | None, docs: dict[str, Document]) -> StanceMark | None:
    if cell is None:
        return None
    c = cell.counts
    low, high = c.interval
    # The axis runs from -1 (left edge) to +1 (right edge); its centre is 0.
    bar_left = (min(c.score, 0.0) + 1) / 2
    head = (
        f"{c.n} mention{'s' if c.n != 1 else ''}: {c.negative} negative, {c.neutral} neutral, {c.positive} positive"
        f"; score {c.score:+.2f} (95%: {low:+.2f} to {high:+.2f})"
    )
    if cell.quoted:
        head += f"; {cell.quoted} inside quotes"
    if cell.few:
        head += "; few mentions: not a finding"
    contexts = [
        f"{m.label.value}{' (quoted)' if m.quoted else ''}: {_context(docs[m.article_id].text, m.mention)}"
        for m in cell.evidence[:_TIP_MENTIONS]
        if m.article_id in docs
    ]
    return StanceMark(
        score=f"{c.score:+.2f}",
        mentions=c.n,
        counts=f"{c.negative}/{c.neutral}/{c.positive}",
        leaning=c.leaning.value,
        direction="negative" if c.score < 0 else "positive" if c.score > 0 else "neutral",
        few=cell.few,
        bar_left=_percent(bar_left),
        bar_width=_percent(abs(c.score) / 2),
        band_left=_percent((low + 1) / 2),
        band_width=_percent((high - low) / 2),
        tip=" · ".join([head, *contexts]),
        anchor=_anchor("article", cell.evidence[0].article_id),
    )


# --- template and stylesheet ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("rashomon.report", _TEMPLATES),
        autoescape=True,  # unconditionally, whatever the template's file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template() -> jinja2.Template:
    return _environment().get_template("report.html")


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    css = files("rashomon.report").joinpath(_TEMPLATES, "report.css").read_text(encoding="utf-8")
    # Inlined inside <style>: a stylesheet must not be able to close the element it stands in.
    if "</" in css:
        raise ValueError("report.css must not contain '</'")
    return css
