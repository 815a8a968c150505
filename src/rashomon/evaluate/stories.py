"""Scoring the corpus's events (articles grouped by the happening they report) against gold document clusters.

Reads a ``docs.jsonl`` (`read_story_gold`) in the ECB+ layout (``doc_id``, ``title``, ``text``, ``date_publish``,
``url``, gold ``event_cluster``, ``topic``; ``split`` ignored; a document with an empty ``text`` is read from
``text_tokenized_from_conll``) or the NewsWCL50 layout (``doc_id``, ``event_id``, ``outlet``, ``url``,
``text_tokenized``: whitespace-separated tokens, one sentence per line, rebuilt into text with one sentence per
line). Every
document is analysed, the entities linked across all of them, and the events and stories found as the corpus
finds them (`rashomon.corpus.events.find_events`).

Scores (`score_events`), over the documents of the file: B-cubed precision, recall and F1 of the predicted events
against the gold events (`rashomon.evaluate.clusters.b_cubed`); pairwise precision, recall and F1 (a pair of
documents is positive when they share a cluster); and, when the gold names topics (ECB+: each topic holds two
similar but distinct events), the B-cubed of the predicted stories against the topics, which says how well the
story level gathers related events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from rashomon.corpus.actors import apply_links, link_actors
from rashomon.corpus.dates import parse_date, url_date
from rashomon.evaluate.actors import detokenize
from rashomon.evaluate.clusters import ClusterScore, b_cubed
from rashomon.model import Article, ArticleMeta, Document, SourceFormat

H = TypeVar("H", bound=Hashable)


@dataclass(frozen=True, slots=True)
class GoldStoryDocument:
    """One document of the gold file: what to analyse, its metadata, and its gold event (and topic)."""

    id: str
    text: str
    event: str
    topic: str | None = None
    title: str | None = None
    published: str | None = None  # ISO date, when the file gives one that can be read
    url: str | None = None
    outlet: str | None = None


def _text(record: Mapping[str, Any]) -> str:
    text = record.get("text") or ""
    if text.strip():
        return str(text)
    tokenized = record.get("text_tokenized_from_conll") or record.get("text_tokenized") or ""
    # One line per sentence: each stays on a line of its own (a dateline, a headline, a paragraph's sentence).
    lines = [line.split() for line in str(tokenized).split("\n") if line.strip()]
    return detokenize([[*tokens, "\n"] for tokens in lines])[0].rstrip("\n")


def read_story_gold(path: Path) -> list[GoldStoryDocument]:
    """The documents of an ECB+ or NewsWCL50 ``docs.jsonl``; `ValueError` naming the line if one cannot be read."""
    documents = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict) or "doc_id" not in record:
                raise ValueError(f"{where}: not a document record (no doc_id)")
            gold = record.get("event_cluster", record.get("event_id"))
            if gold is None:
                raise ValueError(f"{where}: no gold event (event_cluster or event_id)")
            doc_id = str(record["doc_id"])
            if doc_id in seen:
                raise ValueError(f"{where}: document {doc_id} appears twice")
            seen.add(doc_id)
            published = parse_date(record.get("date_publish")) or url_date(record.get("url"))
            documents.append(
                GoldStoryDocument(
                    id=doc_id,
                    text=_text(record),
                    event=str(gold),
                    topic=str(record["topic"]) if record.get("topic") is not None else None,
                    title=record.get("title") or None,
                    published=published.isoformat() if published else None,
                    url=record.get("url") or None,
                    outlet=record.get("outlet") or None,
                )
            )
    if not documents:
        raise ValueError(f"{path}: no documents")
    return documents


def pairwise(key: Sequence[Collection[H]], response: Sequence[Collection[H]]) -> ClusterScore:
    """Pairwise precision and recall: the pairs of items put in one cluster by the response that the key puts in
    one cluster too, over the response's pairs (precision) and the key's (recall)."""

    def pairs(clusters: Sequence[Collection[H]]) -> int:
        return sum(len(c) * (len(c) - 1) // 2 for c in clusters)

    where = {m: i for i, c in enumerate(key) for m in c}
    shared = 0
    for cluster in response:
        counts: dict[int, int] = defaultdict(int)
        for m in cluster:
            if m in where:
                counts[where[m]] += 1
        shared += sum(n * (n - 1) // 2 for n in counts.values())
    predicted, gold = pairs(response), pairs(key)
    return ClusterScore(shared / predicted if predicted else 0.0, shared / gold if gold else 0.0)


@dataclass(frozen=True, slots=True)
class StoryScores:
    b_cubed: ClusterScore
    pairwise: ClusterScore
    stories_vs_topics: ClusterScore | None
    documents: int
    gold_events: int
    predicted_events: int
    predicted_stories: int
    gold_topics: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "b_cubed": self.b_cubed.as_json(),
            "pairwise": self.pairwise.as_json(),
            "stories_vs_topics_b_cubed": self.stories_vs_topics.as_json() if self.stories_vs_topics else None,
            "documents": self.documents,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "predicted_stories": self.predicted_stories,
            "gold_topics": self.gold_topics,
            "note": NOTE,
        }


NOTE = (
    "Event clusters over every document of the file (the split field is ignored). B-cubed and pairwise precision, "
    "recall and F1 of the predicted events against the gold events; stories_vs_topics_b_cubed scores the "
    "predicted stories against the gold topics where the file names them (ECB+)."
)


def score_events(
    gold: Sequence[GoldStoryDocument],
    events: Sequence[Collection[str]],
    stories: Sequence[Collection[str]] = (),
) -> StoryScores:
    """Scores of predicted events (and stories) given as clusters of gold document ids."""
    key: dict[str, list[str]] = defaultdict(list)
    topics: dict[str, list[str]] = defaultdict(list)
    for document in gold:
        key[document.event].append(document.id)
        if document.topic is not None:
            topics[document.topic].append(document.id)
    known = {d.id for d in gold}
    response = [[m for m in c if m in known] for c in events]
    response = [c for c in response if c]
    story_response = [c for c in ([m for m in s if m in known] for s in stories) if c]
    has_topics = bool(topics) and len(topics) == len({d.topic for d in gold})
    return StoryScores(
        b_cubed=b_cubed(list(key.values()), response),
        pairwise=pairwise(list(key.values()), response),
        stories_vs_topics=b_cubed(list(topics.values()), story_response) if has_topics and story_response else None,
        documents=len(gold),
        gold_events=len(key),
        predicted_events=len(response),
        predicted_stories=len(story_response),
        gold_topics=len(topics) if has_topics else None,
    )


def analyse_gold(gold: Sequence[GoldStoryDocument], analyze: Callable[[GoldStoryDocument], Document]) -> list[Document]:
    """Every gold document analysed, its entities linked across all of them; the per-word analysis dropped."""
    docs = [dataclasses.replace(analyze(document), words=(), word_vectors=None) for document in gold]
    links = link_actors(docs)
    return [apply_links(d, links) for d in docs]


def evaluate_stories(path: Path, analyze: Callable[[GoldStoryDocument], Document]) -> StoryScores:
    """Event scores on a gold ``docs.jsonl``: ``analyze`` turns a gold document into an analysed `Document`."""
    from rashomon.corpus.events import find_events
    from rashomon.nlp.encoder import embed_articles

    gold = read_story_gold(path)
    docs = analyse_gold(gold, analyze)
    vectors = embed_articles((d.article.meta.title, d.text) for d in docs)
    clustering = find_events(docs, {d.id: v for d, v in zip(docs, vectors, strict=True)})
    gold_id = {d.id: g.id for d, g in zip(docs, gold, strict=True)}
    events = [[gold_id[a] for a in e.article_ids] for e in clustering.events]
    stories = [[gold_id[a] for a in s.article_ids] for s in clustering.stories]
    return score_events(gold, events, stories)


def gold_article(document: GoldStoryDocument) -> Article:
    """The article of a gold document, with its title, date, URL and outlet; its id is made from the document id
    and text, so that two documents with the same words stay two articles."""
    meta = ArticleMeta(
        document.id,
        url=document.url,
        outlet=document.outlet,
        title=document.title,
        published=dt.date.fromisoformat(document.published) if document.published else None,
    )
    return Article(Article.make_id(f"{document.id}\n{document.text}"), document.text, meta, SourceFormat.TEXT)
