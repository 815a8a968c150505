"""The export contract: analysed documents, stories, quote matches, voice shares, the label matrix and the stance
matrix as JSON, JSONL or CSV.

The shape is versioned by `EXPORT_VERSION`, described field by field in docs/export.md and checked by the JSON
Schema ``rashomon/schema/export.schema.json`` (see `export_schema`). Fields may be added in a minor version;
renaming or removing one, or changing its meaning, bumps the major version.

Output is deterministic: articles are ordered by id, quotes by position, stories by id; everything else keeps
the order of the `Document`. Speaker and entity ids are written as the documents carry them: a caller that
wants corpus-wide actor ids maps the documents first. Quote matches (`rashomon.corpus.quotes`) are passed in
when they are stored, else computed from the documents; voice shares (`rashomon.corpus.voices`) are computed
from the documents and stories.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, TextIO

from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.corpus.labels import ActorLabels, LabelCount, LabelMatrix, label_matrix, outlet_of
from rashomon.corpus.quotes import QuoteMatch, find_quote_matches, matches_by_quote
from rashomon.corpus.stance import MIN_COUNT as STANCE_MIN_COUNT
from rashomon.corpus.stance import (
    ArticleStance,
    MentionStance,
    StanceCell,
    StanceCounts,
    StanceMatrix,
    StanceVoice,
    article_stances,
    stance_matrix,
)
from rashomon.corpus.voices import Voice, VoiceScope, VoiceShare, voice_shares
from rashomon.model import Document, Entity, Event, Label, Mention, Quote, Span, Story

# 2.0: entity `labels` are objects (text, normal form, kind, evidence span), not strings; `label_matrix` added.
# 2.1: `events` and `duplicates` added; stories gain their events, date range, actors and key phrases.
# 2.2: entities gain `sentiment` (their stance in the article, with evidence); `stance_matrix` added.
EXPORT_VERSION = "2.2"

CSV_COLUMNS: tuple[str, ...] = (
    "article_id",
    "source_path",
    "outlet",
    "title",
    "published",
    "speaker",
    "speaker_id",
    "kind",
    "cue",
    "start",
    "end",
    "text",
)

# The columns of the voice share table (`write_voices_csv`): one row per speaker of an article, outlet or story.
VOICE_CSV_COLUMNS: tuple[str, ...] = (
    "scope",
    "key",
    "label",
    "articles",
    "speaker",
    "speaker_id",
    "quotes",
    "words",
    "share",
    "direct_quotes",
    "direct_words",
    "indirect_quotes",
    "indirect_words",
)

# The columns of the label table (`write_labels_csv`): one row per label of an actor in an outlet.
LABEL_CSV_COLUMNS: tuple[str, ...] = (
    "actor_id",
    "actor",
    "type",
    "outlet",
    "label",
    "text",
    "kinds",
    "count",
    "articles",
    "scare_quoted",
    "others",
    "z",
    "distinctive",
    "exclusive",
    "evidence",
)

# The columns of the stance table (`write_stance_csv`): one row per actor in an article, outlet or story.
STANCE_CSV_COLUMNS: tuple[str, ...] = (
    "scope",
    "key",
    "label",
    "actor_id",
    "actor",
    "type",
    "mentions",
    "negative",
    "neutral",
    "positive",
    "score",
    "low",
    "high",
    "few",
    "quoted",
    "articles",
    "evidence",
)

# Digits of a share (a fraction of quoted words) in the export: enough to tell 1 word in 10,000 apart.
SHARE_DIGITS = 4
# Digits of a mention's score (P(positive) - P(negative)) in the export.
SCORE_DIGITS = 4

# Characters that str.splitlines() and some JSON Lines readers treat as line breaks, but that json.dumps
# leaves unescaped when ensure_ascii is off. Escaping them keeps "one record per line" true for every reader.
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def write_json(
    docs: Iterable[Document],
    stories: Sequence[Story],
    out: TextIO,
    *,
    matches: Sequence[QuoteMatch] | None = None,
    events: Sequence[Event] = (),
    duplicates: Sequence[DuplicateGroup] = (),
) -> None:
    """Write one JSON object: ``{"version", "articles", "stories", "events", "duplicates", "voices",
    "label_matrix", "stance_matrix"}``, indented, UTF-8 unescaped.

    ``matches`` are the quote match groups to write (as stored by the corpus step); None computes them from
    ``docs``. ``events`` and ``duplicates`` are the stored events and groups of copies.
    """
    obj = export_object(docs, stories, matches=matches, events=events, duplicates=duplicates)
    json.dump(obj, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(
    docs: Iterable[Document],
    stories: Sequence[Story],
    out: TextIO,
    *,
    matches: Sequence[QuoteMatch] | None = None,
) -> None:
    """Write one article object per line, in the same shape as in `write_json`, and nothing else.

    JSON Lines has no place for the export version, the stories or the voice shares, so ``stories`` is ignored
    (it is accepted so that all writers share one signature); use `write_json` to export them.
    """
    del stories
    ordered = _ordered(docs)
    links = _match_links(ordered, matches)
    for doc in ordered:
        line = json.dumps(article_record(doc, links), ensure_ascii=False)
        for char, escape in _LINE_BREAKS.items():
            line = line.replace(char, escape)  # these can only occur inside JSON strings, where escaping is exact
        out.write(line + "\n")


def write_csv(
    docs: Iterable[Document],
    stories: Sequence[Story],
    out: TextIO,
    *,
    matches: Sequence[QuoteMatch] | None = None,
) -> None:
    """Write one row per quote, with a header row of `CSV_COLUMNS`; stories and matches are not part of it.

    Missing values are empty cells. Rows end with ``\\n``; open a file with ``newline=""`` as the csv module
    asks, so line breaks inside quotes are kept as they are.
    """
    del stories, matches
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in _ordered(docs):
        meta = doc.article.meta
        published = meta.published.isoformat() if meta.published else None
        for quote in _quotes(doc):
            row = (
                doc.id,
                meta.source_path,
                meta.outlet,
                meta.title,
                published,
                quote.speaker,
                quote.speaker_id,
                quote.kind.value,
                quote.cue,
                quote.start,
                quote.end,
                quote.text,
            )
            writer.writerow(["" if value is None else value for value in row])


def write_voices_csv(docs: Iterable[Document], stories: Sequence[Story], out: TextIO) -> None:
    """Write the voice share table: a header row of `VOICE_CSV_COLUMNS`, then one row per voice.

    Articles come first (by id), then outlets (by name, articles without an outlet last), then stories (by
    id); within each, the voices with the most quoted words first. ``key`` is the article id, the outlet or
    the story id; ``articles`` the number of articles counted.
    """
    shares = voice_shares(list(docs), stories)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(VOICE_CSV_COLUMNS)
    scopes = (*shares.articles, *shares.outlets, *sorted(shares.stories, key=lambda s: s.key or ""))
    for scope in scopes:
        for voice in scope.voices:
            row = (
                scope.scope.value,
                scope.key,
                scope.label,
                len(scope.articles),
                voice.speaker,
                voice.speaker_id,
                voice.quotes,
                voice.words,
                _share(scope, voice),
                voice.direct_quotes,
                voice.direct_words,
                voice.indirect_quotes,
                voice.indirect_words,
            )
            writer.writerow(["" if value is None else value for value in row])


def write_labels_csv(docs: Iterable[Document], out: TextIO, *, min_count: int | None = None) -> None:
    """Write the label matrix as a table: a header row of `LABEL_CSV_COLUMNS`, then one row per label of an
    actor in an outlet, in the matrix's order (`rashomon.corpus.labels`).

    ``kinds`` joins the label's kinds with ";"; ``evidence`` lists every use as ``article_id:start-end``,
    space-separated; booleans are ``true``/``false``.
    """
    matrix = label_matrix(docs) if min_count is None else label_matrix(docs, min_count=min_count)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LABEL_CSV_COLUMNS)
    for actor in matrix.actors:
        for cell in actor.cells:
            for label in cell.labels:
                writer.writerow(
                    (
                        actor.id,
                        actor.name,
                        actor.type.value,
                        cell.outlet,
                        label.normal,
                        label.text,
                        ";".join(k.value for k in label.kinds),
                        label.count,
                        label.articles,
                        label.scare_quoted,
                        label.others,
                        label.z,
                        str(label.distinctive).lower(),
                        str(label.exclusive).lower(),
                        " ".join(f"{u.article_id}:{u.span.start}-{u.span.end}" for u in label.uses),
                    )
                )


def write_stance_csv(
    docs: Iterable[Document], stories: Sequence[Story], out: TextIO, *, min_count: int | None = None
) -> None:
    """Write the stance matrix as a table: a header row of `STANCE_CSV_COLUMNS`, then, actor by actor in the
    matrix's order (`rashomon.corpus.stance`), one row per outlet, then per story, then per article mentioning it.

    ``few`` is ``true`` for a row with fewer than ``min_count`` mentions; ``quoted`` counts the mentions inside
    quotes; ``evidence`` lists every mention as ``article_id:start-end:label``, space-separated.
    """
    matrix = stance_matrix(docs, stories, min_count=STANCE_MIN_COUNT if min_count is None else min_count)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STANCE_CSV_COLUMNS)
    for actor in matrix.actors:
        scoped = [("outlet", c) for c in actor.cells] + [("story", c) for c in actor.stories]
        rows: list[tuple[str, str, str, StanceCounts, bool, int, int, tuple[MentionStance, ...]]] = [
            (scope, c.key, c.label, c.counts, c.few, c.quoted, len(c.articles), c.evidence) for scope, c in scoped
        ]
        articles = sorted((a for c in actor.cells for a in c.articles), key=lambda a: a.article_id)
        rows += [
            ("article", a.article_id, a.outlet, a.counts, a.counts.n < matrix.min_count, a.quoted, 1, a.evidence)
            for a in articles
        ]
        for scope, key, label, counts, few, quoted, n_articles, evidence in rows:
            low, high = counts.interval
            writer.writerow(
                (
                    scope,
                    key,
                    label,
                    actor.id,
                    actor.name,
                    actor.type.value,
                    counts.n,
                    counts.negative,
                    counts.neutral,
                    counts.positive,
                    counts.score,
                    low,
                    high,
                    str(few).lower(),
                    quoted,
                    n_articles,
                    " ".join(f"{m.article_id}:{m.mention.start}-{m.mention.end}:{m.label.value}" for m in evidence),
                )
            )


def export_object(
    docs: Iterable[Document],
    stories: Sequence[Story],
    *,
    matches: Sequence[QuoteMatch] | None = None,
    events: Sequence[Event] = (),
    duplicates: Sequence[DuplicateGroup] = (),
) -> dict[str, Any]:
    """The JSON-able object `write_json` writes."""
    ordered = _ordered(docs)
    links = _match_links(ordered, matches)
    shares = voice_shares(ordered, stories)
    outlets = {doc.id: outlet_of(doc) for doc in ordered}
    copies = {a for g in duplicates for a, _ in g.copies}
    return {
        "version": EXPORT_VERSION,
        "articles": [article_record(doc, links) for doc in ordered],
        "stories": [story_record(story) for story in sorted(stories, key=lambda s: s.id)],
        "events": [event_record(e, outlets, copies) for e in sorted(events, key=lambda e: e.id)],
        "duplicates": [duplicate_record(g) for g in sorted(duplicates, key=lambda g: g.original)],
        "voices": {
            "articles": [voice_share_record(s) for s in shares.articles],
            "outlets": [voice_share_record(s) for s in shares.outlets],
            "stories": [voice_share_record(s) for s in sorted(shares.stories, key=lambda s: s.key or "")],
        },
        "label_matrix": label_matrix_record(label_matrix(ordered)),
        "stance_matrix": stance_matrix_record(stance_matrix(ordered, stories), sentences=False),
    }


def stance_matrix_record(matrix: StanceMatrix, *, sentences: bool = True) -> dict[str, Any]:
    """The stance matrix: actors x outlets (and x stories), each cell with its counts, score, interval and
    evidence. ``sentences`` adds each evidence sentence's words (the export leaves them out: its articles hold
    the text the offsets point into)."""
    return {
        "outlets": list(matrix.outlets),
        "min_count": matrix.min_count,
        "voice": matrix.voice.value,
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "type": a.type.value,
                **_counts_record(a.counts),
                "outlets": [{"outlet": c.key, **_cell_record(c, sentences)} for c in a.cells],
                "stories": [{"story": c.key, "label": c.label, **_cell_record(c, sentences)} for c in a.stories],
            }
            for a in matrix.actors
        ],
    }


def _counts_record(counts: StanceCounts) -> dict[str, Any]:
    return {
        "mentions": counts.n,
        "negative": counts.negative,
        "neutral": counts.neutral,
        "positive": counts.positive,
        "score": counts.score,
        "interval": list(counts.interval),
    }


def _cell_record(cell: StanceCell, sentences: bool) -> dict[str, Any]:
    return {
        **_counts_record(cell.counts),
        "few": cell.few,
        "quoted": cell.quoted,
        "articles": [{"article_id": a.article_id, **_counts_record(a.counts)} for a in cell.articles],
        "evidence": [_evidence_record(m, sentences) for m in cell.evidence],
    }


def _evidence_record(m: MentionStance, sentence: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "article_id": m.article_id,
        "start": m.mention.start,
        "end": m.mention.end,
        "text": m.mention_text,
        "sentence": _span(m.sentence),
        "label": m.label.value,
        "score": round(m.score, SCORE_DIGITS),
        "quoted": m.quoted,
        "speaker": m.speaker,
    }
    if sentence:
        record["sentence_text"] = m.sentence_text
    return record


def label_matrix_record(matrix: LabelMatrix) -> dict[str, Any]:
    """The label matrix: actors x outlets, each label with its counts, contrast and evidence."""
    return {
        "outlets": list(matrix.outlets),
        "min_count": matrix.min_count,
        "actors": [_actor_labels_record(a) for a in matrix.actors],
    }


def _actor_labels_record(actor: ActorLabels) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "type": actor.type.value,
        "aliases": list(actor.aliases),
        "outlets": [
            {
                "outlet": cell.outlet,
                "articles": cell.articles,
                "mentions": cell.mentions,
                "labels": [_label_count_record(label) for label in cell.labels],
            }
            for cell in actor.cells
        ],
    }


def _label_count_record(label: LabelCount) -> dict[str, Any]:
    return {
        "label": label.normal,
        "text": label.text,
        "kinds": [k.value for k in label.kinds],
        "count": label.count,
        "articles": label.articles,
        "scare_quoted": label.scare_quoted,
        "others": label.others,
        "z": label.z,
        "distinctive": label.distinctive,
        "exclusive": label.exclusive,
        "evidence": [
            {
                "article_id": u.article_id,
                "start": u.span.start,
                "end": u.span.end,
                "text": u.text,
                "kind": u.kind.value,
                "scare_quoted": u.scare_quoted,
            }
            for u in label.uses
        ],
    }


# For each quote of the exported articles (article id, index in `Document.quotes`): its other versions, as
# (article id, index in that article's exported `quotes`).
MatchLinks = dict[tuple[str, int], list[tuple[str, int]]]


def article_record(doc: Document, links: MatchLinks | None = None) -> dict[str, Any]:
    """One article of the export: its metadata, text, removed lines, quotes and entities.

    ``links`` gives each quote's other versions (see `_match_links`); without it every ``matches`` is empty.
    """
    links = links or {}
    meta = doc.article.meta
    stances = article_stances(doc)
    own = article_stances(doc, StanceVoice.OWN)
    quote_position = {index: n for n, index in enumerate(_quote_order(doc))}
    return {
        "id": doc.id,
        "source_path": meta.source_path,
        "url": meta.url,
        "outlet": meta.outlet,
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "language": doc.language,
        "charset": doc.article.charset,
        "text": doc.text,
        "removed": [{"line": r.line, "text": r.text, "rule": r.rule} for r in doc.article.removed],
        "quotes": [_quote_record(doc.quotes[i], links.get((doc.id, i), [])) for i in _quote_order(doc)],
        "entities": [
            _entity_record(e, _sentiment_record(stances.get(e.id), own.get(e.id), quote_position)) for e in doc.entities
        ],
    }


def story_record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "label": story.label,
        "articles": list(story.article_ids),
        "events": list(story.event_ids),
        "first_date": _date(story.first_date),
        "last_date": _date(story.last_date),
        "actors": list(story.actors),
        "phrases": list(story.phrases),
    }


def event_record(event: Event, outlets: Mapping[str, str], copies: Collection[str] = ()) -> dict[str, Any]:
    """One event: its story, label and its parts, dates, articles, the outlets reporting it (``outlets``: article id
    to outlet) and how many distinct texts its articles carry (``copies``: the ids of articles that copy another)."""
    return {
        "id": event.id,
        "story": event.story_id,
        "label": event.label,
        "actors": list(event.actors),
        "phrases": list(event.phrases),
        "first_date": _date(event.first_date),
        "last_date": _date(event.last_date),
        "articles": list(event.article_ids),
        "outlets": list(dict.fromkeys(outlets[a] for a in event.article_ids if a in outlets)),
        "texts": max(1, sum(1 for a in event.article_ids if a not in copies)),
    }


def duplicate_record(group: DuplicateGroup) -> dict[str, Any]:
    return {
        "id": group.id,
        "original": group.original,
        "copies": [{"article_id": a, "similarity": similarity} for a, similarity in group.copies],
    }


def _date(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def voice_share_record(share: VoiceShare) -> dict[str, Any]:
    """One article's, outlet's or story's voices: who is quoted, with how many quotes and words, direct and indirect."""
    if share.scope is VoiceScope.ARTICLE:
        scope: dict[str, Any] = {"article_id": share.key}
    elif share.scope is VoiceScope.OUTLET:
        scope = {"outlet": share.key}
    else:
        scope = {"story": share.key, "label": share.label}
    return {
        **scope,
        "articles": list(share.articles),
        "quotes": share.quotes,
        "words": share.words,
        "voices": [_voice_record(share, v) for v in share.voices],
    }


def _voice_record(share: VoiceShare, voice: Voice) -> dict[str, Any]:
    return {
        "speaker": voice.speaker,
        "speaker_id": voice.speaker_id,
        "quotes": voice.quotes,
        "words": voice.words,
        "share": _share(share, voice),
        "direct_quotes": voice.direct_quotes,
        "direct_words": voice.direct_words,
        "indirect_quotes": voice.indirect_quotes,
        "indirect_words": voice.indirect_words,
    }


def _share(share: VoiceShare, voice: Voice) -> float:
    return round(share.share(voice), SHARE_DIGITS)


def export_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `write_json`'s output, as shipped with the package."""
    text = resources.files("rashomon").joinpath("schema/export.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _ordered(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda doc: doc.id)


def _quotes(doc: Document) -> list[Quote]:
    return [doc.quotes[i] for i in _quote_order(doc)]


def _quote_order(doc: Document) -> list[int]:
    """The indices of ``doc``'s quotes in export order: by position, equal positions in document order."""
    for index, quote in enumerate(doc.quotes):
        if not quote.parts:
            raise ValueError(f"article {doc.id}: quote {index} ({quote.text[:40]!r}) has no position (no parts)")
    return sorted(range(len(doc.quotes)), key=lambda i: (doc.quotes[i].start, doc.quotes[i].end))


def _match_links(docs: Sequence[Document], matches: Sequence[QuoteMatch] | None) -> MatchLinks:
    """Every exported quote's other versions, as (article id, index in the exported ``quotes``), in order.

    Members of articles that are not exported, or that are no longer quotes of their article, are left out.
    """
    if matches is None:
        matches = find_quote_matches(docs)
    position = {
        (doc.id, index): n for doc in docs for n, index in enumerate(_quote_order(doc))
    }  # document index -> export index
    links: MatchLinks = {}
    for ref, match in matches_by_quote(matches).items():
        if (ref.article_id, ref.quote_index) not in position:
            continue
        others = sorted(
            (m.article_id, position[(m.article_id, m.quote_index)])
            for m in match.members
            if m != ref and (m.article_id, m.quote_index) in position
        )
        links[(ref.article_id, ref.quote_index)] = others
    return links


def _quote_record(quote: Quote, matches: Sequence[tuple[str, int]] = ()) -> dict[str, Any]:
    return {
        "text": quote.text,
        "speaker": quote.speaker,
        "speaker_id": quote.speaker_id,
        "kind": quote.kind.value,
        "cue": quote.cue,
        "start": quote.start,
        "end": quote.end,
        "parts": [_span(p) for p in quote.parts],
        "attribution": quote.attribution.value,
        "speaker_span": _span(quote.speaker_mention) if quote.speaker_mention else None,
        "cue_span": _span(quote.cue_span) if quote.cue_span else None,
        "matches": [{"article_id": article_id, "quote": index} for article_id, index in matches],
    }


def _entity_record(entity: Entity, sentiment: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type.value,
        "labels": [_label_record(label) for label in entity.labels],
        "mentions": [_mention_record(m) for m in entity.mentions],
        "sentiment": sentiment,
    }


def _sentiment_record(
    stance: ArticleStance | None, own: ArticleStance | None, quote_position: Mapping[int, int]
) -> dict[str, Any] | None:
    """An entity's stance in its article: counts, score and interval over all its scored mentions, the same over
    those in the outlet's own words (``own``), and every scored mention (``evidence``); None when none was
    scored (an entity that is no actor, or a pipeline without the stance stage)."""
    if stance is None:
        return None
    return {
        **_counts_record(stance.counts),
        "quoted": stance.quoted,
        "own": _counts_record(own.counts if own is not None else StanceCounts()),
        "evidence": [
            {
                "start": m.mention.start,
                "end": m.mention.end,
                "sentence": _span(m.sentence),
                "label": m.label.value,
                "negative": m.negative,
                "neutral": m.neutral,
                "positive": m.positive,
                "quote": quote_position.get(m.quote) if m.quote is not None else None,
            }
            for m in stance.evidence
        ],
    }


def _label_record(label: Label) -> dict[str, Any]:
    return {
        "text": label.text,
        "normal": label.normal,
        "kind": label.kind.value,
        "start": label.span.start,
        "end": label.span.end,
        "mention": _span(label.mention) if label.mention else None,
        "scare_quoted": label.scare_quoted,
    }


def _mention_record(mention: Mention) -> dict[str, Any]:
    return {
        "start": mention.span.start,
        "end": mention.span.end,
        "text": mention.text,
        "kind": mention.kind.value,
        "label": mention.label,
    }


def _span(span: Span) -> list[int]:
    return [span.start, span.end]
