"""Stance aggregation: how each outlet, and each story, casts each actor.

Input is linked documents (entity ids are corpus actor ids, `rashomon.corpus.actors`) whose `stance` stage scored
every actor mention (`rashomon.model.TargetStance`). Four levels, each keeping the evidence behind it:

* **mention** (`MentionStance`): one scored mention, its sentence, the model's probabilities and label, and
  whether it stands in a quote (someone else's voice) or in the outlet's own words;
* **article x actor** (`ArticleStance`): the counts of negative, neutral and positive mentions and a score;
* **outlet x actor** and **story x actor** (`StanceCell`): the same, pooled over the outlet's (story's)
  articles, with each article's share.

**The score.** Each mention counts once, under its most probable class. With ``neg``, ``neu`` and ``pos`` the
counts and ``n`` their sum, the shares of the three classes get a uniform Dirichlet(1, 1, 1) prior, and the score
is the posterior mean of P(positive) - P(negative)::

    score = (pos - neg) / (n + 3)

It lies in (-1, 1): 0 is neutral (or no evidence), and it nears -1 or 1 only when many mentions agree. One
positive mention scores 0.25, not 1; twenty negative mentions out of twenty score -0.87. The **interval** is
score ± 1.96 posterior standard deviations (the normal approximation of the Dirichlet posterior's 95% interval),
clipped to [-1, 1]: wide for a handful of mentions (one mention: about ±0.73), narrow for many. A cell with fewer
than ``min_count`` mentions (`MIN_COUNT`) is marked ``few``: shown as its counts, not as a finding.

``voice`` chooses the mentions counted: all of them, only those in the outlet's own words (``own``: the writer's
stance), or only those inside quotes (``quoted``: the stance of the voices the outlet chose to quote).

Pure and deterministic: the same documents give the same result whatever their order.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rashomon.corpus.labels import outlet_of
from rashomon.model import Document, Entity, EntityType, Span, StanceLabel, Story, TargetStance

# A cell needs at least this many scored mentions not to be marked as thin evidence.
MIN_COUNT = 3
# The Dirichlet prior's pseudo-count per class (uniform): 3 pseudo-mentions in all.
PRIOR = 1.0
# The interval's half-width in posterior standard deviations (two-sided 95%, normal approximation).
INTERVAL_Z = 1.96
# Digits the scores and intervals are rounded to.
SCORE_DIGITS = 3


class StanceVoice(StrEnum):
    """Which mentions count: every one, those in the outlet's own words, or those inside quotes."""

    ALL = "all"
    OWN = "own"
    QUOTED = "quoted"

    def admits(self, stance: TargetStance) -> bool:
        if self is StanceVoice.OWN:
            return not stance.quoted
        if self is StanceVoice.QUOTED:
            return stance.quoted
        return True


@dataclass(frozen=True, slots=True)
class StanceCounts:
    """How many mentions were cast negatively, neutrally and positively, with the score they give."""

    negative: int = 0
    neutral: int = 0
    positive: int = 0

    def __post_init__(self) -> None:
        if min(self.negative, self.neutral, self.positive) < 0:
            raise ValueError(f"stance counts cannot be negative: {self}")

    @property
    def n(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def score(self) -> float:
        """The posterior mean of P(positive) - P(negative) under a uniform Dirichlet prior (module docstring)."""
        return round((self.positive - self.negative) / (self.n + 3 * PRIOR), SCORE_DIGITS)

    @property
    def interval(self) -> tuple[float, float]:
        """The score ± `INTERVAL_Z` posterior standard deviations, clipped to [-1, 1]."""
        neg, pos = self.negative + PRIOR, self.positive + PRIOR
        total = self.n + 3 * PRIOR
        mean = (pos - neg) / total
        # Var(Xp - Xn) for a Dirichlet: [ap(a0 - ap) + an(a0 - an) + 2 ap an] / (a0^2 (a0 + 1)).
        variance = (pos * (total - pos) + neg * (total - neg) + 2 * pos * neg) / (total**2 * (total + 1))
        half = INTERVAL_Z * math.sqrt(variance)
        return round(max(-1.0, mean - half), SCORE_DIGITS), round(min(1.0, mean + half), SCORE_DIGITS)

    @property
    def leaning(self) -> StanceLabel:
        """Where the interval lies: negative or positive only when it excludes 0, else neutral."""
        low, high = self.interval
        if high < 0:
            return StanceLabel.NEGATIVE
        if low > 0:
            return StanceLabel.POSITIVE
        return StanceLabel.NEUTRAL

    def __add__(self, other: StanceCounts) -> StanceCounts:
        return StanceCounts(
            self.negative + other.negative, self.neutral + other.neutral, self.positive + other.positive
        )

    @classmethod
    def of(cls, labels: Iterable[StanceLabel]) -> StanceCounts:
        counts = Counter(labels)
        return cls(counts[StanceLabel.NEGATIVE], counts[StanceLabel.NEUTRAL], counts[StanceLabel.POSITIVE])


@dataclass(frozen=True, slots=True)
class MentionStance:
    """One scored mention of an actor: the words behind a count."""

    article_id: str
    actor_id: str
    mention: Span
    mention_text: str
    sentence: Span
    sentence_text: str  # the sentence the model read, as written
    label: StanceLabel
    negative: float
    neutral: float
    positive: float
    quote: int | None  # the index in `Document.quotes` of the quote holding the mention; None: the outlet's words
    speaker: str | None  # for a quoted mention: who is quoted, as resolved (None when unattributed)

    @property
    def quoted(self) -> bool:
        return self.quote is not None

    @property
    def score(self) -> float:
        return self.positive - self.negative


@dataclass(frozen=True, slots=True)
class ArticleStance:
    """One actor in one article: the counts and the scored mentions, in text order."""

    article_id: str
    outlet: str
    actor_id: str
    counts: StanceCounts
    evidence: tuple[MentionStance, ...]

    @property
    def quoted(self) -> int:
        return sum(1 for m in self.evidence if m.quoted)


@dataclass(frozen=True, slots=True)
class StanceCell:
    """One actor in one outlet's articles (or one story's): the pooled counts, and each article's."""

    key: str  # the outlet, or the story id
    label: str  # the outlet, or the story's label
    counts: StanceCounts
    articles: tuple[ArticleStance, ...]  # by article id
    few: bool  # fewer than the matrix's min_count mentions: thin evidence, not a finding

    @property
    def quoted(self) -> int:
        """Of the mentions counted, how many stand inside quotes."""
        return sum(a.quoted for a in self.articles)

    @property
    def evidence(self) -> tuple[MentionStance, ...]:
        return tuple(m for a in self.articles for m in a.evidence)


@dataclass(frozen=True, slots=True)
class ActorStance:
    """One actor's row: a cell per outlet that mentions it (scored), and per story."""

    id: str
    name: str
    type: EntityType
    counts: StanceCounts  # over the whole corpus (the documents given)
    cells: tuple[StanceCell, ...]  # in `StanceMatrix.outlets` order, only outlets with scored mentions
    stories: tuple[StanceCell, ...]  # in the stories' order, only stories with scored mentions

    def cell(self, outlet: str) -> StanceCell | None:
        return next((c for c in self.cells if c.key == outlet), None)

    def story(self, story_id: str) -> StanceCell | None:
        return next((c for c in self.stories if c.key == story_id), None)


@dataclass(frozen=True, slots=True)
class StanceMatrix:
    """Actors x outlets (and x stories): how each casts each actor."""

    outlets: tuple[str, ...]  # sorted case-insensitively
    actors: tuple[ActorStance, ...]  # mentioned by the most outlets first, then the most mentions, then by name
    min_count: int
    voice: StanceVoice

    def actor(self, actor_id: str) -> ActorStance | None:
        return next((a for a in self.actors if a.id == actor_id), None)


def mention_stances(doc: Document, voice: StanceVoice = StanceVoice.ALL) -> list[tuple[Entity, MentionStance]]:
    """Each scored mention of ``doc`` that ``voice`` admits, with the entity holding it (mentions no entity holds,
    which a stance of an unlinked or edited document may have, are left out), in text order."""
    holder = {m.span: e for e in doc.entities for m in e.mentions}
    out = []
    for s in doc.stances:
        entity = holder.get(s.mention)
        if entity is None or not voice.admits(s):
            continue
        quote = doc.quotes[s.quote] if s.quote is not None and 0 <= s.quote < len(doc.quotes) else None
        out.append(
            (
                entity,
                MentionStance(
                    article_id=doc.id,
                    actor_id=entity.id,
                    mention=s.mention,
                    mention_text=s.mention.of(doc.text),
                    sentence=s.sentence,
                    sentence_text=" ".join(s.sentence.of(doc.text).split()),
                    label=s.label,
                    negative=s.negative,
                    neutral=s.neutral,
                    positive=s.positive,
                    quote=s.quote,
                    speaker=quote.speaker if quote is not None else None,
                ),
            )
        )
    return out


def article_stances(doc: Document, voice: StanceVoice = StanceVoice.ALL) -> dict[str, ArticleStance]:
    """Each actor of ``doc`` with a scored mention: its counts and evidence, by actor (entity) id."""
    by_actor: dict[str, list[MentionStance]] = defaultdict(list)
    for entity, mention in mention_stances(doc, voice):
        by_actor[entity.id].append(mention)
    outlet = outlet_of(doc)
    return {
        actor: ArticleStance(doc.id, outlet, actor, StanceCounts.of(m.label for m in mentions), tuple(mentions))
        for actor, mentions in by_actor.items()
    }


def stance_matrix(
    docs: Iterable[Document],
    stories: Sequence[Story] = (),
    *,
    min_count: int = MIN_COUNT,
    voice: StanceVoice | str = StanceVoice.ALL,
    types: frozenset[EntityType] | None = None,
) -> StanceMatrix:
    """The stance matrix of ``docs`` (linked documents): per actor, a cell per outlet and per story of ``stories``.

    ``types`` keeps the actors of those types (default: all that were scored).
    """
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    voice = StanceVoice(voice)
    ordered = sorted({d.id: d for d in docs}.values(), key=lambda d: d.id)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    type_votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    per_article: dict[str, dict[str, ArticleStance]] = defaultdict(dict)  # actor -> article id -> its stance
    outlet_articles: dict[tuple[str, str], list[ArticleStance]] = defaultdict(list)
    for doc in ordered:
        entities = {e.id: e for e in doc.entities}
        for actor, stance in article_stances(doc, voice).items():
            entity = entities[actor]
            if types is not None and entity.type not in types:
                continue
            names[actor][entity.name] += 1
            type_votes[actor][entity.type] += 1
            per_article[actor][doc.id] = stance
            outlet_articles[(actor, stance.outlet)].append(stance)
    outlets = tuple(sorted({o for _, o in outlet_articles}, key=lambda o: (o.casefold(), o)))
    actors = []
    for actor, by_article in per_article.items():
        cells = tuple(
            _cell(outlet, outlet, outlet_articles[(actor, outlet)], min_count)
            for outlet in outlets
            if (actor, outlet) in outlet_articles
        )
        story_cells = []
        for story in stories:
            members = [by_article[a] for a in sorted(set(story.article_ids)) if a in by_article]
            if members:
                story_cells.append(_cell(story.id, story.label, members, min_count))
        actors.append(
            ActorStance(
                id=actor,
                name=min(names[actor], key=lambda n: (-names[actor][n], n)),
                type=min(type_votes[actor], key=lambda t: (-type_votes[actor][t], t.value)),
                counts=sum((s.counts for s in by_article.values()), StanceCounts()),
                cells=cells,
                stories=tuple(story_cells),
            )
        )
    actors.sort(key=lambda a: (-len(a.cells), -a.counts.n, a.name.casefold(), a.id))
    return StanceMatrix(outlets, tuple(actors), min_count, voice)


def _cell(key: str, label: str, articles: Sequence[ArticleStance], min_count: int) -> StanceCell:
    ordered = tuple(sorted(articles, key=lambda a: a.article_id))
    counts = sum((a.counts for a in ordered), StanceCounts())
    return StanceCell(key, label, counts, ordered, counts.n < min_count)
