"""The log-odds contrast of a label that is an actor's whole vocabulary: no contrast, no crash (syndicated copies
give every outlet the same single label)."""

from __future__ import annotations

from collections import Counter

import pytest

from rashomon.corpus.labels import log_odds_z


@pytest.mark.parametrize(
    ("mine", "rest"),
    [
        (Counter({"opposition leader": 1}), Counter({"opposition leader": 1})),
        (Counter({"opposition leader": 3}), Counter({"opposition leader": 1})),
    ],
)
def test_a_label_that_is_the_whole_vocabulary_has_no_contrast(mine: Counter[str], rest: Counter[str]) -> None:
    assert log_odds_z("opposition leader", mine, rest, mine + rest) == 0.0


def test_contrast_is_still_measured_with_a_second_label() -> None:
    mine, rest = Counter({"dictator": 3}), Counter({"president": 3})
    assert log_odds_z("dictator", mine, rest, mine + rest) > 0
