"""Stories: grouping the articles of a corpus that cover the same story.

Each article becomes a TF-IDF vector over its content words plus its entity ids (shared actors are strong
evidence of a shared story, so entity features weigh more than words). Articles whose cosine similarity
reaches the threshold are linked, and the connected groups (single-link clustering) are the stories. Pure
Python, no numeric libraries: the vectors are sparse dicts and the pairs are found through an inverted index,
so only articles that share at least one feature are compared.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.model import Document, EntityType, Story
from rashomon.names import fold

# How much more an entity id weighs than a content word with the same TF-IDF.
ENTITY_WEIGHT = 2.0
# How many terms/names make a story's label.
LABEL_TERMS = 3
LABEL_SEPARATOR = " · "

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_ENTITY_PREFIX = "\x00"  # entity features cannot collide with words, which never contain NUL

# Function words and the vocabulary of news reporting itself ("said", "told", "reported"), which every article
# shares whatever its story. English, the language of most corpora so far; other languages still cluster
# through their content words, at a lower threshold of evidence.
_STOPWORD_LIST = """
    a about above according after again against all almost also although always am among an and another any
    are around as at be became because become been before being below between both but by can could did do
    does doing done down during each either else even ever every few for from further get gets got had has
    have having he her here hers herself him himself his how however i if in into is it its itself just last
    least less like made make many may me might more most much must my myself near need never new next no nor
    not now of off often on once one only or other others our ours ourselves out over own per perhaps put
    rather really said same say saying says see seen several shall she should since so some still such than
    that the their theirs them themselves then there these they this those though three through thus to too
    told two under until up upon us very via was we well were what whatever when where whether which while
    who whom whose why will with within without would yet you your yours yourself yourselves year years
    today yesterday tomorrow week weeks day days time times mr mrs ms dr tell tells asked added reported
    reports including include includes don didn doesn isn wasn weren wouldn couldn shouldn
"""
STOPWORDS = frozenset(_STOPWORD_LIST.split())


def content_words(text: str) -> list[str]:
    """The folded content words of ``text``: lowercased, unaccented, no stopwords, no 1-2 letter words."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 2 and w not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class _Features:
    """One article's weighted sparse vector (unit length) and what each feature should be shown as."""

    weights: dict[str, float]
    display: dict[str, str]


def find_stories(docs: Sequence[Document], threshold: float) -> tuple[Story, ...]:
    """Group ``docs`` into stories; every article is in exactly one (a story may have a single article).

    Deterministic: the same set of documents gives the same stories, ids and labels whatever their order.
    Stories are ordered largest first, then by id; each story's articles by publication date, then id.
    """
    unique = {doc.id: doc for doc in docs}
    ordered = [unique[k] for k in sorted(unique)]  # a fixed order makes the float sums order-independent
    if not ordered:
        return ()
    features = _vectorise(ordered)
    n = len(ordered)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    if threshold <= 0:
        # Even articles sharing no feature (similarity 0, so never compared) are similar enough.
        for i in range(1, n):
            union(i - 1, i)
    else:
        # Articles with the very same features (syndicated copies) have similarity 1: join them to the first
        # of them and compare only that one with the rest, which spares the pairs between copies.
        first_of: dict[tuple[tuple[str, float], ...], int] = {}
        for i, f in enumerate(features):
            key = tuple(sorted(f.weights.items()))
            if key and threshold <= 1.0 and key in first_of:
                union(first_of[key], i)
            else:
                first_of.setdefault(key, i)
        distinct = sorted(set(first_of.values()))
        pairs = _similarities([features[i] for i in distinct])
        for (a, b), similarity in pairs.items():
            if similarity >= threshold:
                union(distinct[a], distinct[b])

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    stories = [_story([ordered[i] for i in members], [features[i] for i in members]) for members in groups.values()]
    return tuple(sorted(stories, key=lambda s: (-len(s.article_ids), s.id)))


def similarity_matrix(docs: Sequence[Document]) -> dict[tuple[str, str], float]:
    """The similarity of every pair of articles that share a feature, keyed by (smaller id, larger id)."""
    unique = {doc.id: doc for doc in docs}
    ordered = [unique[k] for k in sorted(unique)]
    return {(ordered[i].id, ordered[j].id): s for (i, j), s in _similarities(_vectorise(ordered)).items()}


def _vectorise(docs: Sequence[Document]) -> list[_Features]:
    counts: list[Counter[str]] = []
    display: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        terms: Counter[str] = Counter(content_words(doc.text))
        for surface in _WORD.findall(doc.text):
            key = fold(surface)
            if key in terms:
                display[key][surface] += 1
        for entity in doc.entities:
            # Places are named in every article of a region's news; they label a story but say little about
            # which one, so they count as words, not as boosted entities.
            if entity.type is EntityType.LOCATION:
                continue
            key = _ENTITY_PREFIX + entity.id
            terms[key] += max(1, len(entity.mentions))
            display[key][entity.name] += 1
        counts.append(terms)

    n = len(docs)
    df: Counter[str] = Counter(term for terms in counts for term in terms)
    # Smoothed IDF (as scikit-learn's default): a term in every article still counts a little.
    idf = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}
    shown = {key: min(c, key=lambda s: (-c[s], s)) for key, c in display.items()}

    result = []
    for terms in counts:
        weights = {
            t: (1.0 + math.log(c)) * idf[t] * (ENTITY_WEIGHT if t.startswith(_ENTITY_PREFIX) else 1.0)
            for t, c in terms.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        result.append(_Features({t: w / norm for t, w in weights.items()}, {t: shown.get(t, t) for t in terms}))
    return result


def _similarities(features: Sequence[_Features]) -> dict[tuple[int, int], float]:
    """Cosine similarity of every pair (i < j) that shares at least one feature."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, f in enumerate(features):
        for term in sorted(f.weights):
            postings[term].append((i, f.weights[term]))
    dots: dict[tuple[int, int], float] = defaultdict(float)
    for term in sorted(postings):
        plist = postings[term]
        for x, (i, wi) in enumerate(plist):
            for j, wj in plist[x + 1 :]:
                dots[(i, j)] += wi * wj
    return {pair: min(1.0, dot) for pair, dot in dots.items()}


def _story(docs: Sequence[Document], features: Sequence[_Features]) -> Story:
    ids = sorted(doc.id for doc in docs)
    story_id = hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()[:16]
    by_date = sorted(docs, key=lambda d: (d.article.meta.published is None, d.article.meta.published, d.id))
    return Story(story_id, _label(features), tuple(d.id for d in by_date))


def _label(features: Sequence[_Features]) -> str:
    """The story's most characteristic terms: the highest summed weights, a name's own words not repeated."""
    total: dict[str, float] = defaultdict(float)
    display: dict[str, str] = {}
    for f in features:
        for term, w in f.weights.items():
            total[term] += w
            display.setdefault(term, f.display[term])
    chosen: list[str] = []
    covered: set[str] = set()  # folded words already shown, so "Maduro" does not follow "Nicolás Maduro"
    for term in sorted(total, key=lambda t: (-total[t], t)):
        words = set(content_words(display[term])) or {fold(display[term])}
        if words & covered:
            continue
        chosen.append(display[term])
        covered |= words
        if len(chosen) == LABEL_TERMS:
            break
    return LABEL_SEPARATOR.join(chosen) or "untitled"
