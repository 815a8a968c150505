"""The label matrix: how each outlet labels each actor, and which labels set an outlet apart.

Input is linked documents (entity ids are corpus actor ids, `rashomon.corpus.actors`); each entity's `Label`s
are counted per actor and outlet under their normal form, with every occurrence kept as evidence. A label sets
an outlet apart when that outlet uses it for the actor markedly more than the other outlets do, measured by the
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"): a z-score
that stays small for labels seen once or twice, so a single use is shown as a single use, not as a finding.
Pure and deterministic: the same documents give the same matrix whatever their order.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rashomon.model import Document, EntityType, LabelKind, MentionKind, Span

# Prior strength of the log-odds contrast: the pooled label counts of the actor act as this many pseudo-uses.
PRIOR_WEIGHT = 10.0
# The z-score above which a label counts as distinctive (two-sided 95%).
DISTINCTIVE_Z = 1.96
# A label must be used at least this often by the outlet to count as distinctive.
MIN_COUNT = 2


def outlet_of(doc: Document) -> str:
    """The outlet an article counts for: its outlet, else its source file (an article without metadata stands
    for itself), as in the report."""
    return doc.article.meta.outlet or doc.article.meta.source_path


@dataclass(frozen=True, slots=True)
class LabelUse:
    """One occurrence of a label: the words behind it."""

    article_id: str
    span: Span
    text: str
    kind: LabelKind
    scare_quoted: bool


@dataclass(frozen=True, slots=True)
class LabelCount:
    """One label (by normal form) of one actor in one outlet, with its evidence and its contrast to the others."""

    normal: str
    text: str  # the most frequent written form
    count: int  # occurrences in this outlet's articles
    articles: int  # of this outlet's articles, how many use it
    kinds: tuple[LabelKind, ...]  # how it was attached, in `LabelKind` order
    scare_quoted: int  # of the occurrences, how many stand in quotation marks
    others: int  # occurrences for the same actor in the other outlets
    z: float  # log-odds z-score of this outlet against the others (0 when only one outlet names the actor)
    distinctive: bool  # z >= DISTINCTIVE_Z and count >= the minimum count
    uses: tuple[LabelUse, ...]  # every occurrence, in article and text order

    @property
    def exclusive(self) -> bool:
        """Used for this actor by this outlet and by no other."""
        return self.others == 0


@dataclass(frozen=True, slots=True)
class Cell:
    """How one outlet names and labels one actor."""

    outlet: str
    articles: int  # this outlet's articles naming the actor
    mentions: int
    labels: tuple[LabelCount, ...]  # the most used first


@dataclass(frozen=True, slots=True)
class ActorLabels:
    """One actor's row of the matrix: a cell per outlet that names it."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...]  # the names articles write for it, the most used first
    cells: tuple[Cell, ...]  # in `LabelMatrix.outlets` order, only outlets that name the actor

    @property
    def labelled(self) -> int:
        return sum(label.count for cell in self.cells for label in cell.labels)

    def cell(self, outlet: str) -> Cell | None:
        return next((c for c in self.cells if c.outlet == outlet), None)


@dataclass(frozen=True, slots=True)
class LabelMatrix:
    """Actors x outlets: who is named where, and with which labels."""

    outlets: tuple[str, ...]  # sorted case-insensitively
    actors: tuple[ActorLabels, ...]  # named by the most outlets first, then the most labelled, then by name
    min_count: int

    def actor(self, actor_id: str) -> ActorLabels | None:
        return next((a for a in self.actors if a.id == actor_id), None)


def label_matrix(
    docs: Iterable[Document],
    *,
    types: frozenset[EntityType] | None = None,
    min_count: int = MIN_COUNT,
) -> LabelMatrix:
    """The label matrix of ``docs`` (linked documents), for actors of ``types`` (default: all)."""
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, got {min_count}")
    ordered = sorted(docs, key=lambda d: d.id)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    type_votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    aliases: dict[str, Counter[str]] = defaultdict(Counter)
    articles: dict[tuple[str, str], int] = Counter()
    mentions: dict[tuple[str, str], int] = Counter()
    uses: dict[tuple[str, str], dict[str, list[LabelUse]]] = defaultdict(lambda: defaultdict(list))
    for doc in ordered:
        outlet = outlet_of(doc)
        for entity in doc.entities:
            if types is not None and entity.type not in types:
                continue
            key = (entity.id, outlet)
            names[entity.id][entity.name] += 1
            type_votes[entity.id][entity.type] += 1
            aliases[entity.id].update(m.text for m in entity.mentions if m.kind is MentionKind.NAME)
            articles[key] += 1
            mentions[key] += len(entity.mentions)
            for label in entity.labels:
                use = LabelUse(doc.id, label.span, label.text, label.kind, label.scare_quoted)
                uses[key][label.normal].append(use)

    outlets = tuple(sorted({o for _, o in articles}, key=lambda o: (o.casefold(), o)))
    actors = []
    for actor_id in names:
        counts = {o: Counter({n: len(u) for n, u in uses[(actor_id, o)].items()}) for o in outlets}
        cells = tuple(
            Cell(
                outlet=o,
                articles=articles[(actor_id, o)],
                mentions=mentions[(actor_id, o)],
                labels=_label_counts(uses[(actor_id, o)], o, counts, min_count),
            )
            for o in outlets
            if (actor_id, o) in articles
        )
        actors.append(
            ActorLabels(
                id=actor_id,
                name=min(names[actor_id], key=lambda n: (-names[actor_id][n], n)),
                type=min(type_votes[actor_id], key=lambda t: (-type_votes[actor_id][t], t.value)),
                aliases=tuple(sorted(aliases[actor_id], key=lambda a: (-aliases[actor_id][a], a))),
                cells=cells,
            )
        )
    actors.sort(key=lambda a: (-len(a.cells), -a.labelled, a.name.casefold(), a.id))
    return LabelMatrix(outlets, tuple(actors), min_count)


def _label_counts(
    by_normal: dict[str, list[LabelUse]], outlet: str, counts: dict[str, Counter[str]], min_count: int
) -> tuple[LabelCount, ...]:
    mine = counts[outlet]
    rest: Counter[str] = Counter()
    for other, c in counts.items():
        if other != outlet:
            rest.update(c)
    pooled = mine + rest
    result = []
    for normal, occurrences in by_normal.items():
        occurrences.sort(key=lambda u: (u.article_id, u.span))
        written = Counter(u.text for u in occurrences)
        z = log_odds_z(normal, mine, rest, pooled) if rest else 0.0
        result.append(
            LabelCount(
                normal=normal,
                text=min(written, key=lambda t: (-written[t], t)),
                count=len(occurrences),
                articles=len({u.article_id for u in occurrences}),
                kinds=tuple(k for k in LabelKind if any(u.kind is k for u in occurrences)),
                scare_quoted=sum(u.scare_quoted for u in occurrences),
                others=rest[normal],
                z=round(z, 3),
                distinctive=z >= DISTINCTIVE_Z and len(occurrences) >= min_count,
                uses=tuple(occurrences),
            )
        )
    result.sort(key=lambda c: (-c.count, -c.z, c.normal))
    return tuple(result)


def log_odds_z(word: str, mine: Counter[str], rest: Counter[str], pooled: Counter[str]) -> float:
    """The z-score of the log-odds ratio of ``word`` in ``mine`` against ``rest``, with an informative
    Dirichlet prior from ``pooled`` (Monroe et al. 2008, eq. 16-22).

    Positive when ``mine`` uses the word relatively more. The prior shrinks rare words towards no difference.
    """
    n_mine, n_rest, n_pool = sum(mine.values()), sum(rest.values()), sum(pooled.values())
    vocabulary = len(pooled)
    # The prior: each word's pooled share (add-half smoothed) times the prior weight.
    alpha = PRIOR_WEIGHT * (pooled[word] + 0.5) / (n_pool + 0.5 * vocabulary)
    alpha0 = PRIOR_WEIGHT
    y_mine, y_rest = mine[word], rest[word]
    others_mine, others_rest = n_mine + alpha0 - y_mine - alpha, n_rest + alpha0 - y_rest - alpha
    if others_mine <= 1e-9 or others_rest <= 1e-9:
        # The word is the whole vocabulary (every outlet gives the actor this one label): nothing to contrast.
        return 0.0
    delta = math.log((y_mine + alpha) / others_mine) - math.log((y_rest + alpha) / others_rest)
    variance = 1.0 / (y_mine + alpha) + 1.0 / (y_rest + alpha)
    return delta / math.sqrt(variance)
