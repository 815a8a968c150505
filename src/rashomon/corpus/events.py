"""Events and stories: which articles report one happening, and which happenings make one story.

**What is compared.** Each article (`ArticleFeatures`, from its analysed `Document`) has six views: its MiniLM
sentence embedding (title and lead, `rashomon.nlp.encoder`); TF-IDF vectors of the content words of its whole
text (``words``), of its title and lead with their numbers (``lead``), of the numbers in its text (``numbers``:
scores, sums, ages, magnitudes tell two similar events apart), of its places (``places``) and of the names it
writes (``names``: capitalised words that do not start a sentence, `names_of`: "Rahman" against "Thompson" tells
two title fights of one champion apart; "September" against "December" two patches of one browser); and its date
(`rashomon.corpus.dates`: published, else from its URL or dateline; when what it reports happened, from "on
Tuesday" and the like). The IDF of each view is computed over the corpus being clustered. Its actors (corpus actor
ids, weighted by mentions) label events; they are not compared (next to ``names`` their fitted weight fell below 0).

**How two groups are compared.** The affinity of two groups of articles is the mean, over every pair of articles
one from each group, of the pair's same-event log-odds, ``w0 + Σ w_view · cosine_view``, with weights fitted by
logistic regression on ECB+ train pairs and tuned on train clustering (`WEIGHTS`, `training/fit_stories.py`,
docs/models.md). Being linear in
the cosines, that mean is computed exactly from each group's summed unit vectors:
``mean cosine(A, B) = (ΣA · ΣB) / (|A| |B|)``, so a group of any size is compared at the cost of one dot product
per view. Then time: when both groups are dated, the gap between their date ranges beyond the level's grace
costs `Level.slope` log-odds per day, up to `Level.cap`; undated groups pay nothing. Then cohesion: when both
groups hold several articles, the affinity loses `Level.cohesion` times what it falls short of the groups' mean
cohesion (the mean log-odds of the pairs inside each, also exact from the sums), so a merge must reach a blend of
the threshold and the groups' own cohesion. Two tight groups that are only loosely alike (each topic of ECB+: the
same champion's title fights against two challengers) stay apart, while a lone article or a loose group joins by
the threshold alone.

**Two levels.** Events are found first: group-average agglomerative clustering of articles, always merging the
pair of groups with the highest affinity, while it reaches `EVENT_LEVEL.threshold`. Only groups linked by a
candidate edge are compared: each article's `NEIGHBOURS` nearest articles by embedding (`rashomon.corpus.vectors`),
and copies of one text (`rashomon.corpus.duplicates`), which start in one group. Stories are then the same
clustering over events, with `STORY_LEVEL`'s lower threshold and longer grace. So every event lies in one story.

**Incremental.** Given the previous assignment (`Previous`: each article's event and each event's story), the
previous events and stories are kept as they are ("frozen"): they never merge with each other nor split. Only
the new articles are clustered, by the same rule, together with the frozen events: a new article joins the
frozen event (or new group) of highest affinity if that reaches the threshold, and founds a new event
otherwise; a copy of an article already in an event joins that event. New events join a frozen story or found new
ones the same way. Candidate edges are looked up for the new articles only, so adding articles costs a nearest-
neighbour query and a few dot products each, not a reclustering. A full clustering (no `Previous`) is the same
with nothing frozen; it is what a changed setting or encoder recomputes.

**Ids.** An event's id is the hash of its founder, its earliest article (date, undated last, then id) when it was
created; a story's id the hash of its first event's founder. An event or story keeps its id as articles join it.
The same articles clustered from scratch give the same events, ids and labels whatever their input order.

**Labels.** An event's or story's label is its main actors (named by most of its articles, then most mentioned;
people and organisations before places) and its key phrases (words and two-word phrases of its headlines and
leads, by how many of its articles use them, a headline counting double, times their IDF; in a group of several
articles a phrase must be used by two), joined by " · ".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from rashomon.corpus.dates import LEAD_SENTENCES, ArticleDate, article_date
from rashomon.corpus.duplicates import DuplicateGroup, Text, find_duplicates
from rashomon.corpus.stories import STOPWORDS, content_words
from rashomon.corpus.vectors import VectorIndex, nearest
from rashomon.model import Document, EntityType, Event, Story
from rashomon.names import fold
from rashomon.nlp.minilm import DIMS

# The views two articles are compared by, besides the embedding. The actors (corpus actor ids) are kept for labels:
# next to ``names`` they added nothing (their fitted weight was below zero), see docs/models.md.
VIEWS = ("words", "lead", "numbers", "places", "names")
EVENTS_VERSION = 2


@dataclass(frozen=True, slots=True)
class Weights:
    """Same-event log-odds of a pair of articles: ``intercept + embedding·cos_emb + Σ view·cos_view``."""

    intercept: float
    embedding: float
    words: float
    lead: float
    numbers: float
    places: float
    names: float

    def view(self, name: str) -> float:
        return float(getattr(self, name))


@dataclass(frozen=True, slots=True)
class Level:
    """How groups merge at one level: the affinity needed, and what a gap in time costs."""

    threshold: float  # mean same-event log-odds a merge needs
    grace_days: int  # a gap up to this many days between date ranges costs nothing
    slope: float  # log-odds lost per day beyond the grace
    cap: float  # the most time can cost
    # How much a merge of two groups of several articles must also reach their own cohesion (the mean log-odds of
    # the pairs inside each): the affinity loses ``cohesion × (their mean cohesion − affinity)`` when below it.
    cohesion: float = 0.0


# Chosen on ECB+ train by `training/fit_stories.py` (make fit-stories): logistic regression on train pairs (the
# weights), then a grid of the event threshold and cohesion on train B-cubed F1; see docs/models.md, "Stories
# (issue 7)".
WEIGHTS = Weights(intercept=-8.64, embedding=7.10, words=2.17, lead=4.59, numbers=3.49, places=1.61, names=6.04)
EVENT_LEVEL = Level(threshold=-1.5, grace_days=30, slope=0.01, cap=3.0, cohesion=0.3)
STORY_LEVEL = Level(threshold=-2.5, grace_days=120, slope=0.02, cap=6.0)
# Candidate edges per article: its nearest articles by embedding.
NEIGHBOURS = 20
# How many actors and key phrases a label shows.
LABEL_ACTORS = 2
LABEL_PHRASES = 2
LABEL_SEPARATOR = " · "

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ACTOR_TYPES = (EntityType.PERSON, EntityType.ORGANIZATION, EntityType.MISC)

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What clustering compares of one article."""

    id: str
    vector: Vector  # unit length
    terms: Mapping[str, Mapping[str, int]]  # view -> term -> count
    date: dt.date | None = None  # the article's date: published, else from its URL or dateline
    happened: dt.date | None = None  # when what it reports happened (at most its date)
    names: Mapping[str, str] = field(default_factory=dict)  # actor or place id -> its name
    # Folded phrase of its headline and lead -> (as written, weight: 2 in the headline, else 1).
    phrases: Mapping[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[bool, dt.date, str]:
        return (self.date is None, self.date or dt.date.min, self.id)


def lead_text(doc: Document) -> str:
    """The title (when the text does not start with it) and the first `LEAD_SENTENCES` sentences."""
    if doc.sentences:
        lead = doc.text[: doc.sentences[min(LEAD_SENTENCES, len(doc.sentences)) - 1].end]
    else:
        lead = " ".join(doc.text.split()[:80])
    title = (doc.article.meta.title or "").strip()
    if title and not " ".join(doc.text.split()).casefold().startswith(" ".join(title.split()).casefold()):
        return f"{title}\n{lead}"
    return lead


def article_features(doc: Document, vector: Vector, dates: ArticleDate | None = None) -> ArticleFeatures:
    """The features of an analysed document (entities linked across the corpus) and its embedding."""
    dates = dates or article_date(doc)
    title = doc.article.meta.title or ""
    full = doc.text if not title or title in doc.text else f"{title}\n{doc.text}"
    lead = lead_text(doc)
    actors: Counter[str] = Counter()
    places: Counter[str] = Counter()
    names: dict[str, str] = {}
    for entity in doc.entities:
        target = places if entity.type is EntityType.LOCATION else actors
        target[entity.id] += max(1, len(entity.mentions))
        names.setdefault(entity.id, entity.name)
    terms = {
        "words": Counter(content_words(full)),
        "lead": Counter([*content_words(lead), *_NUMBER.findall(lead)]),
        "numbers": Counter(_NUMBER.findall(full)),
        "actors": actors,
        "places": places,
        "names": Counter(names_of(full)),
    }
    return ArticleFeatures(
        doc.id,
        np.asarray(vector, dtype=np.float32),
        terms,
        dates.date,
        dates.happened,
        names,
        _phrases(headline(doc), lead),
    )


_LINE_OR_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n")


def names_of(text: str) -> list[str]:
    """The capitalised words of ``text`` that do not start a sentence or a line, folded: the names of people,
    organisations, places, days and months as written ("Rahman", "Thompson", "Qeshm", "September"), whatever the
    entity recogniser made of them. Words in capitals ("DUI", a headline in capitals), words of one or two letters
    and stopwords are left out."""
    found = []
    for part in _LINE_OR_SENTENCE.split(text):
        for token in _TOKEN.findall(part)[1:]:
            if token[:1].isupper() and not token.isupper() and len(token) > 2:
                key = fold(token)
                if key not in STOPWORDS:
                    found.append(key)
    return found


_DATELINE = re.compile(r"^\s*[A-Z][A-Z .,'’()-]{1,60}?\s+(?:--|—|–|-)\s+")
_SENTENCE_END = re.compile(r"[.:;,]\s*$")


def headline(doc: Document) -> str:
    """The article's title, else its first line when that reads as a headline (at most 20 words, not ending like a
    sentence or a clause), else ""."""
    if doc.article.meta.title:
        return doc.article.meta.title.strip()
    first = next((line.strip() for line in doc.text.splitlines() if line.strip()), "")
    if len(first.split()) <= 20 and not _SENTENCE_END.search(first):
        return first
    return ""


def _phrases(head: str, lead: str) -> dict[str, tuple[str, float]]:
    """The words and two-word phrases that could be key phrases: content words side by side, not in capitals
    ("MOSCOW –", "MAJOR:"), and not in a dateline; those of the headline weigh double."""
    found: dict[str, tuple[str, float]] = {}
    for text, weight in ((head, 2.0), (_DATELINE.sub("", lead, count=1), 1.0)):
        tokens = [(fold(t), t) for t in _TOKEN.findall(text)]
        content = [
            len(k) > 2 and k not in STOPWORDS and not k.isdigit() and not (t.isupper() and len(t) > 1)
            for k, t in tokens
        ]
        for i, (key, word) in enumerate(tokens):
            if not content[i]:
                continue
            candidates = [(key, word)]
            # Not a word and the first name of someone ("candidate Edmundo"): a lower-case word, then a capital.
            following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if following and content[i + 1] and not (word[:1].islower() and following[:1].isupper()):
                candidates.append((f"{key} {tokens[i + 1][0]}", f"{word} {following}"))
            for phrase, shown in candidates:
                if phrase not in found or found[phrase][1] < weight:
                    found[phrase] = (shown, weight)
    return found


# --- the corpus statistics and the weighted vectors ----------------------------------------------------------


class Idf:
    """Inverse document frequencies of every view's terms over a corpus (smoothed, as scikit-learn's default)."""

    def __init__(self, features: Iterable[ArticleFeatures]) -> None:
        self.df: dict[str, Counter[str]] = {view: Counter() for view in VIEWS}
        self.phrase_df: Counter[str] = Counter()
        self.n = 0
        for f in features:
            self.n += 1
            for view in VIEWS:
                self.df[view].update(f.terms.get(view, {}).keys())
            self.phrase_df.update(f.phrases.keys())

    def weight(self, view: str, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df[view][term])) + 1.0

    def phrase_weight(self, phrase: str) -> float:
        return math.log((1 + self.n) / (1 + self.phrase_df[phrase])) + 1.0

    def vectors(self, f: ArticleFeatures) -> dict[str, dict[str, float]]:
        """Each view's unit TF-IDF vector (sublinear term frequency) of an article."""
        out = {}
        for view in VIEWS:
            terms = f.terms.get(view, {})
            weights = {t: (1.0 + math.log(c)) * self.weight(view, t) for t, c in terms.items() if c > 0}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            out[view] = {t: w / norm for t, w in sorted(weights.items())} if norm else {}
        return out


def pair_cosines(
    a: ArticleFeatures,
    b: ArticleFeatures,
    a_views: Mapping[str, Mapping[str, float]],
    b_views: Mapping[str, Mapping[str, float]],
) -> dict[str, float]:
    """The cosines two articles are compared by: ``embedding`` and each view (``a_views``: `Idf.vectors` of ``a``)."""
    out = {"embedding": float(a.vector @ b.vector)}
    for view in VIEWS:
        out[view] = _dot(a_views[view], b_views[view])
    return out


# --- groups and their affinity --------------------------------------------------------------------------------


class _Group:
    """A group of articles (an event) or of events (a story) while clustering: members and summed vectors."""

    __slots__ = (
        "_cohesion",
        "alive",
        "embedding",
        "first",
        "frozen",
        "id",
        "key",
        "last",
        "members",
        "neighbours",
        "norms",
        "size",
        "sums",
    )

    def __init__(self, key: tuple[bool, dt.date, str], frozen: bool = False, group_id: str | None = None) -> None:
        self.key = key  # the canonical order of groups: their earliest member
        self.frozen = frozen
        self.id = group_id
        self.members: list[int] = []
        self.size = 0
        self.embedding: npt.NDArray[np.float64] | None = None
        self.sums: dict[str, dict[str, float]] = {view: {} for view in VIEWS}
        # Σ of the members' squared lengths, per view and "embedding" (1 for each unit vector, 0 for an empty view).
        self.norms: dict[str, float] = dict.fromkeys(("embedding", *VIEWS), 0.0)
        self._cohesion: tuple[Weights, float] | None = None
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self.neighbours: set[int] = set()
        self.alive = True

    def absorb(
        self,
        members: Sequence[int],
        size: int,
        embedding: npt.NDArray[np.float64],
        sums: Mapping[str, Mapping[str, float]],
        dates: Iterable[dt.date | None],
        norms: Mapping[str, float] | None = None,
    ) -> None:
        """Add ``members`` (``size`` articles) by their summed vectors; ``norms`` as `norms` holds them, by default
        those of one article whose vectors are ``embedding`` and ``sums``."""
        self.members.extend(members)
        self.size += size
        self.embedding = embedding.copy() if self.embedding is None else self.embedding + embedding
        if norms is None:
            norms = {"embedding": float(embedding @ embedding)}
            norms |= {view: sum(w * w for w in sums[view].values()) for view in VIEWS}
        for key, value in norms.items():
            self.norms[key] += value
        self._cohesion = None
        for view in VIEWS:
            target = self.sums[view]
            for term, weight in sums[view].items():
                target[term] = target.get(term, 0.0) + weight
        for date in dates:
            if date is not None:
                self.first = date if self.first is None else min(self.first, date)
                self.last = date if self.last is None else max(self.last, date)

    def merge(self, other: _Group) -> None:
        assert other.embedding is not None
        self.absorb(other.members, other.size, other.embedding, other.sums, (other.first, other.last), other.norms)
        self.key = min(self.key, other.key)
        other.alive = False

    def cohesion(self, weights: Weights) -> float:
        """The mean same-event log-odds of the pairs of its members (two at least), exact from the sums:
        ``Σ_{i≠j} x_i · x_j = |Σ x|² − Σ |x_i|²`` in each view."""
        if self._cohesion is not None and self._cohesion[0] is weights:
            return self._cohesion[1]
        assert self.embedding is not None and self.size > 1
        pairs = self.size * (self.size - 1)
        score = weights.intercept
        score += weights.embedding * (float(self.embedding @ self.embedding) - self.norms["embedding"]) / pairs
        for view in VIEWS:
            square = sum(w * w for w in self.sums[view].values())
            score += weights.view(view) * (square - self.norms[view]) / pairs
        self._cohesion = (weights, score)
        return score


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in sorted(a.items()) if t in b)


def _gap(a: _Group, b: _Group) -> int:
    """Days between two groups' date ranges (0 if they overlap or either is undated)."""
    if a.first is None or b.first is None or a.last is None or b.last is None:
        return 0
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


def affinity(a: _Group, b: _Group, level: Level, weights: Weights = WEIGHTS) -> float:
    """Mean same-event log-odds of the pairs between two groups, less the cost of the time between them; and when
    both hold several articles and the level asks for it, less ``level.cohesion`` times what it falls short of
    their mean cohesion (so two tight groups that are only loosely alike stay apart)."""
    assert a.embedding is not None and b.embedding is not None
    pairs = a.size * b.size
    score = weights.intercept + weights.embedding * float(a.embedding @ b.embedding) / pairs
    for view in VIEWS:
        score += weights.view(view) * _dot(a.sums[view], b.sums[view]) / pairs
    gap = _gap(a, b)
    if gap > level.grace_days:
        score -= min(level.cap, level.slope * (gap - level.grace_days))
    if level.cohesion and a.size > 1 and b.size > 1:
        own = (a.cohesion(weights) + b.cohesion(weights)) / 2
        score -= level.cohesion * max(0.0, own - score)
    return score


def _agglomerate(groups: list[_Group], level: Level, weights: Weights) -> None:
    """Merge linked groups, best affinity first, while it reaches the level's threshold; frozen groups never merge
    with each other. Ties go to the pair of groups that come first in canonical order."""
    heap: list[tuple[float, tuple[bool, dt.date, str], tuple[bool, dt.date, str], int, int, int, int]] = []
    version = [0] * len(groups)

    def push(i: int, j: int) -> None:
        a, b = groups[i], groups[j]
        if a.frozen and b.frozen:
            return
        score = affinity(a, b, level, weights)
        if score >= level.threshold:
            first, second = (i, j) if a.key <= b.key else (j, i)
            entry = (-score, groups[first].key, groups[second].key, first, second, version[first], version[second])
            heapq.heappush(heap, entry)

    for i, group in enumerate(groups):
        for j in sorted(group.neighbours):
            if i < j:
                push(i, j)
    while heap:
        _, _, _, i, j, vi, vj = heapq.heappop(heap)
        a, b = groups[i], groups[j]
        if not (a.alive and b.alive) or version[i] != vi or version[j] != vj:
            continue
        # The surviving group: the frozen one (it keeps its id), else the one first in canonical order.
        keep, gone = (j, i) if b.frozen else (i, j)
        groups[keep].merge(groups[gone])
        version[keep] += 1
        linked = (groups[keep].neighbours | groups[gone].neighbours) - {keep, gone}
        groups[keep].neighbours = linked
        for n in sorted(linked):
            groups[n].neighbours.discard(gone)
            groups[n].neighbours.add(keep)
            if groups[n].alive:
                push(keep, n)


# --- clustering -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Previous:
    """The assignment a corpus had: each article's event, each event's story."""

    event_of: Mapping[str, str]  # article id -> event id
    story_of: Mapping[str, str]  # event id -> story id


@dataclass(frozen=True, slots=True)
class Clustering:
    """Events and stories, every article in exactly one event and every event in exactly one story."""

    events: tuple[Event, ...]  # by story order, then time
    stories: tuple[Story, ...]  # largest first, then id

    def assignment(self) -> Previous:
        return Previous({a: e.id for e in self.events for a in e.article_ids}, {e.id: e.story_id for e in self.events})


def _hash(kind: str, article_id: str) -> str:
    return hashlib.sha256(f"{kind}:{article_id}".encode()).hexdigest()[:16]


Neighbours = Mapping[str, Sequence[tuple[str, float]]]


def cluster(
    features: Sequence[ArticleFeatures],
    neighbours: Neighbours,
    *,
    previous: Previous | None = None,
    duplicates: Sequence[DuplicateGroup] = (),
    weights: Weights = WEIGHTS,
    event_level: Level = EVENT_LEVEL,
    story_level: Level = STORY_LEVEL,
) -> Clustering:
    """Events and stories of ``features`` (see the module doc).

    ``neighbours`` gives the candidate edges: for each article to place (every article, or with ``previous`` the
    articles it does not hold), its nearest articles (`rashomon.corpus.vectors.nearest`). Articles of
    ``previous`` that ``features`` no longer holds are dropped from their events; events left empty disappear.
    """
    unique = {f.id: f for f in features}
    ordered = sorted(unique.values(), key=lambda f: f.sort_key)
    index = {f.id: i for i, f in enumerate(ordered)}
    idf = Idf(ordered)
    vectors = [idf.vectors(f) for f in ordered]
    event_of = dict(previous.event_of) if previous else {}
    story_of = dict(previous.story_of) if previous else {}

    # Copies start together: a new copy of an article that is already placed joins that article's event.
    together = _copies(duplicates, index)

    groups: list[_Group] = []
    group_of: dict[int, int] = {}  # article -> its group
    frozen: dict[str, int] = {}
    for i, f in enumerate(ordered):
        event = event_of.get(f.id)
        if event is not None:
            if event not in frozen:
                frozen[event] = len(groups)
                groups.append(_Group(f.sort_key, frozen=True, group_id=event))
            group_of[i] = frozen[event]
    for i, f in enumerate(ordered):
        if i in group_of:
            continue
        placed = next((group_of[j] for j in together.get(i, ()) if j in group_of), None)
        if placed is None:
            placed = len(groups)
            groups.append(_Group(f.sort_key))
        group_of[i] = placed
    for i, f in enumerate(ordered):
        g = groups[group_of[i]]
        g.absorb([i], 1, f.vector.astype(np.float64), vectors[i], (f.happened or f.date, f.date))
        g.key = min(g.key, f.sort_key)
    for f in ordered:
        i = index[f.id]
        for other, _ in neighbours.get(f.id, ()):
            j = index.get(other)
            if j is not None and group_of[i] != group_of[j]:
                groups[group_of[i]].neighbours.add(group_of[j])
                groups[group_of[j]].neighbours.add(group_of[i])
    _agglomerate(groups, event_level, weights)
    events = [g for g in groups if g.alive]

    # Stories: the same clustering over events.
    story_groups: list[_Group] = []
    story_index: dict[str, int] = {}
    story_for_event: dict[int, int] = {}
    for e, g in enumerate(events):
        old = story_of.get(g.id) if g.id else None
        if old is not None:
            if old not in story_index:
                story_index[old] = len(story_groups)
                story_groups.append(_Group(g.key, frozen=True, group_id=old))
            s = story_index[old]
        else:
            s = len(story_groups)
            story_groups.append(_Group(g.key))
        story_for_event[e] = s
        sg = story_groups[s]
        assert g.embedding is not None
        sg.absorb([e], g.size, g.embedding, g.sums, (g.first, g.last), g.norms)
        sg.key = min(sg.key, g.key)
    event_at = {id(g): e for e, g in enumerate(events)}
    alive_of = {i: e for e, g in enumerate(events) for i in g.members}
    for e, g in enumerate(events):
        for n in g.neighbours:
            near = event_at.get(id(groups[n]))
            if near is not None and story_for_event[near] != story_for_event[e]:
                story_groups[story_for_event[e]].neighbours.add(story_for_event[near])
                story_groups[story_for_event[near]].neighbours.add(story_for_event[e])
    _agglomerate(story_groups, story_level, weights)
    return _records(ordered, idf, events, alive_of, story_groups)


def _copies(duplicates: Sequence[DuplicateGroup], index: Mapping[str, int]) -> dict[int, list[int]]:
    together: dict[int, list[int]] = {}
    for group in duplicates:
        members = sorted(index[a] for a in group.article_ids if a in index)
        for m in members:
            together[m] = [o for o in members if o != m]
    return together


def _records(
    ordered: Sequence[ArticleFeatures],
    idf: Idf,
    events: Sequence[_Group],
    event_of_article: Mapping[int, int],
    story_groups: Sequence[_Group],
) -> Clustering:
    members: dict[int, list[int]] = defaultdict(list)
    for article, e in sorted(event_of_article.items()):
        members[e].append(article)
    story_of_event = {e: s for s, g in enumerate(story_groups) if g.alive for e in g.members}
    event_ids = {}
    for e, g in enumerate(events):
        founder = ordered[min(members[e], key=lambda i: ordered[i].sort_key)]
        event_ids[e] = g.id or _hash("event", founder.id)
    story_members: dict[int, list[int]] = defaultdict(list)
    for e, s in story_of_event.items():
        story_members[s].append(e)
    story_ids = {}
    for s, evs in story_members.items():
        first = min(evs, key=lambda e: min(ordered[i].sort_key for i in members[e]))
        founder = ordered[min(members[first], key=lambda i: ordered[i].sort_key)]
        story_ids[s] = story_groups[s].id or _hash("story", founder.id)

    event_records: dict[int, Event] = {}
    for e in range(len(events)):
        arts = [ordered[i] for i in members[e]]
        actors, phrases = _label(arts, idf)
        event_records[e] = Event(
            id=event_ids[e],
            story_id=story_ids[story_of_event[e]],
            label=LABEL_SEPARATOR.join([*actors, *phrases]) or "untitled",
            article_ids=tuple(a.id for a in sorted(arts, key=lambda a: a.sort_key)),
            first_date=_first(a.happened or a.date for a in arts),
            last_date=_last(a.date for a in arts),
            actors=actors,
            phrases=phrases,
        )
    stories = []
    ordered_events: list[Event] = []
    for s, evs in story_members.items():
        records = sorted((event_records[e] for e in evs), key=_event_order)
        arts = [ordered[i] for e in evs for i in members[e]]
        actors, phrases = _label(arts, idf)
        stories.append(
            Story(
                id=story_ids[s],
                label=LABEL_SEPARATOR.join([*actors, *phrases]) or "untitled",
                article_ids=tuple(a.id for a in sorted(arts, key=lambda a: a.sort_key)),
                event_ids=tuple(r.id for r in records),
                first_date=_first(r.first_date for r in records),
                last_date=_last(r.last_date for r in records),
                actors=actors,
                phrases=phrases,
            )
        )
    stories.sort(key=lambda s: (-len(s.article_ids), s.id))
    by_id = {r.id: r for r in event_records.values()}
    for story in stories:
        ordered_events.extend(by_id[e] for e in story.event_ids)
    return Clustering(tuple(ordered_events), tuple(stories))


def _event_order(event: Event) -> tuple[bool, dt.date, str]:
    return (event.first_date is None, event.first_date or dt.date.min, event.id)


def _first(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def _last(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _label(articles: Sequence[ArticleFeatures], idf: Idf) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The main actors' names and the key phrases of a group of articles (see the module doc)."""
    named: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    is_place: dict[str, bool] = {}
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        for view in ("actors", "places"):
            for actor, count in a.terms[view].items():
                named[actor] += 1
                mentions[actor] += count
                is_place[actor] = view == "places"
                names[actor][a.names.get(actor, actor)] += 1
    ranked = sorted(named, key=lambda k: (is_place[k], -named[k], -mentions[k], k))
    actors: list[str] = []
    covered: set[str] = set()
    for key in ranked:
        name = min(names[key], key=lambda n: (-names[key][n], n))
        words = set(fold(name).split())
        if words & covered:
            continue
        actors.append(name)
        covered |= words
        if len(actors) == LABEL_ACTORS:
            break
    used: Counter[str] = Counter()  # articles using the phrase
    weight: dict[str, float] = defaultdict(float)  # their summed weights (a headline counts double)
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    for a in articles:
        for key, (text, w) in a.phrases.items():
            used[key] += 1
            weight[key] += w
            shown[key][text] += 1
    # A two-word phrase is preferred to its words when as many articles use it: it says more.
    scored = sorted(used, key=lambda k: (-weight[k] * idf.phrase_weight(k) * (1.25 if " " in k else 1.0), k))
    phrases: list[str] = []
    for key in scored:
        words = set(key.split())
        if words & covered or (used[key] < 2 and len(articles) > 1):
            continue
        phrases.append(min(shown[key], key=lambda t: (-shown[key][t], t)))
        covered |= words
        if len(phrases) == LABEL_PHRASES:
            break
    return tuple(actors), tuple(phrases)


# --- one article at a time -----------------------------------------------------------------------------------


class Assigner:
    """Places new articles one at a time among existing events, in time that does not grow with the corpus: a
    nearest-neighbour query of the vector index, then the affinity (the module doc's rule) with the events of the
    neighbours found, from each event's summed vectors. An article joins the event of highest affinity if it
    reaches the level's threshold (ties: the smaller event id), else it founds a new event (`assign` returns None).

    This is the incremental rule of `cluster` for a single article, with the events' sums kept between articles
    instead of recomputed; `Corpus.refresh` runs `cluster` (which also places several new articles at once).
    """

    def __init__(
        self,
        idf: Idf,
        index: VectorIndex,
        *,
        neighbours: int = NEIGHBOURS,
        level: Level = EVENT_LEVEL,
        weights: Weights = WEIGHTS,
    ) -> None:
        self.idf = idf
        self.index = index
        self.neighbours = neighbours
        self.level = level
        self.weights = weights
        self.event_of: dict[str, str] = {}
        self.events: dict[str, _Group] = {}

    def _single(self, f: ArticleFeatures) -> _Group:
        group = _Group(f.sort_key)
        group.absorb([0], 1, f.vector.astype(np.float64), self.idf.vectors(f), (f.happened or f.date, f.date))
        return group

    def add(self, f: ArticleFeatures, event_id: str, *, indexed: bool = False) -> None:
        """Put ``f`` into event ``event_id`` (created if new); ``indexed``: its vector is in the index already."""
        single = self._single(f)
        event = self.events.get(event_id)
        if event is None:
            self.events[event_id] = event = _Group(f.sort_key, frozen=True, group_id=event_id)
            event.absorb([], 0, np.zeros_like(single.embedding), {view: {} for view in VIEWS}, ())
        assert single.embedding is not None
        event.absorb([], 1, single.embedding, single.sums, (single.first, single.last), single.norms)
        self.event_of[f.id] = event_id
        if not indexed:
            self.index.add([f.id], f.vector[None, :])

    def add_profile(
        self,
        event_id: str,
        size: int,
        embedding: npt.NDArray[np.float64],
        sums: Mapping[str, Mapping[str, float]],
        first: dt.date | None = None,
        last: dt.date | None = None,
        norms: Mapping[str, float] | None = None,
    ) -> None:
        """Add an event by its summed vectors (``size`` articles; their ids go to `event_of` separately). ``norms``
        (see `_Group.norms`) only matter to the event's cohesion, which placing one article never uses; by default
        every article has every view the sums have."""
        if norms is None:
            norms = {"embedding": float(size)} | {view: float(size) if sums[view] else 0.0 for view in VIEWS}
        group = _Group((first is None, first or dt.date.min, event_id), frozen=True, group_id=event_id)
        group.absorb([], size, embedding, sums, (first, last), norms)
        self.events[event_id] = group

    def candidates(self, f: ArticleFeatures) -> list[str]:
        """The events of the article's nearest neighbours, by id."""
        (found,) = self.index.search(f.vector[None, :], self.neighbours)
        return sorted({self.event_of[a] for a, _ in found if a in self.event_of})

    def assign(self, f: ArticleFeatures) -> tuple[str | None, float]:
        """The event ``f`` joins (None: a new one) and its affinity with the best candidate (-inf if none)."""
        single = self._single(f)
        best_score, best_event = float("-inf"), None
        for event_id in self.candidates(f):  # in id order: a tie keeps the smaller id
            score = affinity(single, self.events[event_id], self.level, self.weights)
            if score > best_score:
                best_score, best_event = score, event_id
        return (best_event if best_score >= self.level.threshold else None), best_score


# --- from documents -------------------------------------------------------------------------------------------


def find_events(
    docs: Sequence[Document],
    vectors: Mapping[str, Vector],
    *,
    previous: Previous | None = None,
    index: VectorIndex | None = None,
    duplicates: Sequence[DuplicateGroup] | None = None,
    event_level: Level = EVENT_LEVEL,
    story_level: Level = STORY_LEVEL,
) -> Clustering:
    """Events and stories of analysed documents (entities linked across the corpus), given each one's embedding.

    With ``previous``, only the documents it does not hold are placed (see the module doc); ``index`` serves
    their nearest-neighbour queries in large corpora (`rashomon.corpus.vectors.nearest`). ``duplicates`` are the
    groups of copies (`rashomon.corpus.duplicates.find_duplicates`), found here when not given.
    """
    unique = {d.id: d for d in docs}
    ordered = [unique[k] for k in sorted(unique)]
    if duplicates is None:
        duplicates = find_duplicates([Text(d.id, d.text, article_date(d).date) for d in ordered])
    features = [article_features(d, vectors[d.id]) for d in ordered]
    ids = [f.id for f in features]
    matrix = np.vstack([f.vector for f in features]) if features else np.zeros((0, DIMS), dtype=np.float32)
    placed = previous.event_of if previous else {}
    queries = [a for a in ids if a not in placed]
    candidates = nearest(queries, ids, matrix, NEIGHBOURS, index)
    return cluster(
        features,
        candidates,
        previous=previous,
        duplicates=duplicates,
        event_level=event_level,
        story_level=story_level,
    )
