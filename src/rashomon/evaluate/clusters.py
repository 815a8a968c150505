"""Clustering scores for coreference-style evaluation, as pure functions: MUC, B-cubed and CEAF-e.

A key (gold) and a response (predicted) are each a sequence of clusters of hashable mentions. MUC (Vilain et al.
1995; a mention the response lacks is a partition of its own), B-cubed (Bagga & Baldwin 1998, as the CoNLL-2012
reference scorer extends it to missing mentions) and CEAF-e (Luo 2005: entity similarity 2|K∩R|/(|K|+|R|),
optimal one-to-one entity alignment by the Hungarian method), each with precision, recall and F1. Used by the
actor evaluation (`rashomon.evaluate.actors`), and by anything else that scores clusters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from rashomon.disjoint import DisjointSets

M = TypeVar("M", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ClusterScore:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_json(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _muc_recall(key: Sequence[Collection[M]], response: Sequence[Collection[M]]) -> float:
    # Each key entity needs |K| - 1 links; it has |K| - p(K), p(K) being the number of pieces the response cuts
    # it into (a mention the response lacks is a piece of its own).
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    needed = found = 0
    for cluster in filter(None, key):
        pieces = {where.get(m, ("alone", m)) for m in cluster}
        needed += len(cluster) - 1
        found += len(cluster) - len(pieces)
    return _ratio(found, needed)


def muc(key: Sequence[Collection[M]], response: Sequence[Collection[M]]) -> ClusterScore:
    """MUC (Vilain et al. 1995): the coreference links recovered. Singletons carry no link and do not count."""
    return ClusterScore(_muc_recall(response, key), _muc_recall(key, response))


def _b_cubed_recall(key: Sequence[Collection[M]], response: Sequence[Collection[M]]) -> float:
    where = {m: i for i, cluster in enumerate(response) for m in cluster}
    total = 0.0
    mentions = 0
    for cluster in filter(None, key):
        shared: dict[int, int] = defaultdict(int)
        for m in cluster:
            if m in where:
                shared[where[m]] += 1
        # Each mention's share of its key entity found in its response entity, summed over the entity's mentions.
        total += sum(n * n for n in shared.values()) / len(cluster)
        mentions += len(cluster)
    return _ratio(total, mentions)


def b_cubed(key: Sequence[Collection[M]], response: Sequence[Collection[M]]) -> ClusterScore:
    """B-cubed (Bagga & Baldwin 1998): per mention, the overlap of its key and response entities, averaged."""
    return ClusterScore(_b_cubed_recall(response, key), _b_cubed_recall(key, response))


def ceaf_e(key: Sequence[Collection[M]], response: Sequence[Collection[M]]) -> ClusterScore:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of key and response entities under the
    similarity 2|K∩R|/(|K|+|R|), divided by the number of response (precision) and key (recall) entities."""
    key_sets = [set(c) for c in key if c]
    response_sets = [set(c) for c in response if c]
    where = {m: j for j, cluster in enumerate(response_sets) for m in cluster}
    # Only overlapping entities can be aligned with a gain: solve each connected group of them on its own.
    sets = DisjointSets(len(key_sets) + len(response_sets))  # key entities first, then response entities
    for i, cluster in enumerate(key_sets):
        for m in cluster:
            if m in where:
                sets.union(i, len(key_sets) + where[m])
    similarity = 0.0
    for group in sets.groups():
        rows = [i for i in group if i < len(key_sets)]
        columns = [i - len(key_sets) for i in group if i >= len(key_sets)]
        if not rows or not columns:
            continue
        weights = np.array(
            [
                [2 * len(key_sets[i] & response_sets[j]) / (len(key_sets[i]) + len(response_sets[j])) for j in columns]
                for i in rows
            ]
        )
        similarity += max_weight_matching(weights)
    return ClusterScore(_ratio(similarity, len(response_sets)), _ratio(similarity, len(key_sets)))


def max_weight_matching(weights: npt.NDArray[np.float64]) -> float:
    """The largest total weight of a one-to-one assignment of rows to columns (Hungarian method, O(n²m))."""
    if weights.size == 0:
        return 0.0
    if weights.shape[0] > weights.shape[1]:
        weights = weights.T
    n, m = weights.shape
    cost = -weights
    # Potentials u (rows) and v (columns), and the row assigned to each column (1-based; column 0 is a sentinel).
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    row_of = np.zeros(m + 1, dtype=int)
    for i in range(1, n + 1):
        row_of[0] = i
        column = 0
        min_slack = np.full(m + 1, np.inf)
        previous = np.zeros(m + 1, dtype=int)
        used = np.zeros(m + 1, dtype=bool)
        while row_of[column]:
            used[column] = True
            row = row_of[column]
            slack = cost[row - 1] - u[row] - v[1:]
            better = ~used[1:] & (slack < min_slack[1:])
            min_slack[1:][better] = slack[better]
            previous[1:][better] = column
            candidates = np.where(used[1:], np.inf, min_slack[1:])
            next_column = int(np.argmin(candidates)) + 1
            delta = candidates[next_column - 1]
            u[row_of[used]] += delta
            v[used] -= delta
            min_slack[~used] -= delta
            column = next_column
        while column:  # augment along the path found
            before = previous[column]
            row_of[column] = row_of[before]
            column = before
    return float(sum(weights[row_of[j] - 1, j - 1] for j in range(1, m + 1) if row_of[j]))
