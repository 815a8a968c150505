"""Clustering scores (MUC, B-cubed, CEAF-e) on hand-made clusterings with scores computed by hand."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence

import numpy as np
import pytest

from rashomon.evaluate.clusters import ClusterScore, b_cubed, ceaf_e, max_weight_matching, muc

Metric = Callable[[Sequence[Collection[str]], Sequence[Collection[str]]], ClusterScore]


def triple(score: ClusterScore) -> tuple[float, float, float]:
    return score.precision, score.recall, score.f1


KEY = [{"a", "b", "c"}, {"d", "e"}, {"f"}]
# The response misses f, splits c from a and b, and merges c with d and e.
RESPONSE = [{"a", "b"}, {"c", "d", "e"}]


@pytest.mark.parametrize("metric", [muc, b_cubed, ceaf_e])
def test_identical_clusterings_score_one(metric: Metric) -> None:
    assert triple(metric(KEY, KEY)) == (1.0, 1.0, 1.0)


# By hand, for KEY and RESPONSE:
# MUC. Recall: {a,b,c} lies in 2 response pieces, so it keeps 3 - 2 = 1 of its 2 links; {d,e} keeps 1 of 1; {f} has
#   none to keep: 2/3. Precision: {a,b} is one key piece, 1 of 1 link; {c,d,e} spans 2 key pieces, 1 of 2: 2/3.
# B-cubed. Recall, per key mention: a, b get 2/3 each, c 1/3, d, e 2/2 each, f (missing) 0: (4/3 + 1/3 + 2) / 6 =
#   11/18. Precision, per response mention: a, b 2/2, c 1/3, d, e 2/3: (2 + 1/3 + 4/3) / 5 = 11/15. F1 = 2/3.
# CEAF-e. Similarities 2|K∩R|/(|K|+|R|): {a,b,c}~{a,b} 4/5, {a,b,c}~{c,d,e} 2/6, {d,e}~{c,d,e} 4/5. The best
#   one-to-one alignment takes the two 4/5: 1.6. Precision 1.6 / 2 response entities = 0.8; recall 1.6 / 3 key
#   entities; F1 = 0.64.
@pytest.mark.parametrize(
    ("metric", "expected"),
    [(muc, (2 / 3, 2 / 3, 2 / 3)), (b_cubed, (11 / 15, 11 / 18, 2 / 3)), (ceaf_e, (0.8, 1.6 / 3, 0.64))],
)
def test_a_known_imperfect_clustering(metric: Metric, expected: tuple[float, float, float]) -> None:
    assert triple(metric(KEY, RESPONSE)) == pytest.approx(expected)


@pytest.mark.parametrize(("key", "response"), [([], []), (KEY, []), ([], RESPONSE)])
@pytest.mark.parametrize("metric", [muc, b_cubed, ceaf_e])
def test_empty_clusterings_score_zero(metric: Metric, key: list[set[str]], response: list[set[str]]) -> None:
    assert triple(metric(key, response)) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    ("metric", "expected"), [(muc, (0.0, 0.0, 0.0)), (b_cubed, (1.0, 1.0, 1.0)), (ceaf_e, (1.0, 1.0, 1.0))]
)
def test_singletons_only(metric: Metric, expected: tuple[float, float, float]) -> None:
    # MUC counts links, and singletons have none; B-cubed and CEAF-e score them.
    assert triple(metric([{"a"}, {"b"}], [{"b"}, {"a"}])) == expected


@pytest.mark.parametrize("seed", range(5))
def test_max_weight_matching_finds_the_best_assignment(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns = (int(n) for n in rng.integers(1, 6, size=2))
    weights = rng.random((rows, columns)) * (rng.random((rows, columns)) < 0.6)
    small, large = sorted((rows, columns))
    square = weights if rows <= columns else weights.T
    best = max(sum(square[i, j] for i, j in enumerate(pick)) for pick in itertools.permutations(range(large), small))
    assert max_weight_matching(weights) == pytest.approx(best)
