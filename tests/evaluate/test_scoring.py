"""Scoring arithmetic on hand-made gold and predictions."""

from __future__ import annotations

import pytest

from rashomon.evaluate.scoring import PRF, TokenAnalysis, score_entities, score_parses


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "expected"),
    [
        (2, 0, 0, (1.0, 1.0, 1.0)),
        (1, 1, 1, (0.5, 0.5, 0.5)),
        (3, 1, 0, (0.75, 1.0, 6 / 7)),
        (0, 0, 0, (0.0, 0.0, 0.0)),  # nothing to find, nothing found: defined as 0, not a division error
        (0, 2, 3, (0.0, 0.0, 0.0)),
    ],
)
def test_prf(tp: int, fp: int, fn: int, expected: tuple[float, float, float]) -> None:
    prf = PRF.from_counts(tp, fp, fn)
    assert (prf.precision, prf.recall, prf.f1) == pytest.approx(expected)
    assert prf.support == tp + fn


def test_entities_exact_match_only() -> None:
    gold = [(0, 2, "PER"), (3, 4, "LOC")]
    pred = [(0, 2, "PER"), (3, 4, "ORG"), (5, 6, "MISC")]  # right span, wrong label counts as wrong
    scores = score_entities([(gold, pred), ([(1, 3, "PER")], [(1, 2, "PER")])])  # a partial span is wrong
    assert scores.sentences == 2
    assert (scores.overall.precision, scores.overall.recall) == pytest.approx((1 / 4, 1 / 3))
    assert scores.per_label["PER"].f1 == pytest.approx(0.5)
    assert scores.per_label["LOC"].recall == 0.0 and scores.per_label["ORG"].precision == 0.0
    assert scores.as_json()["per_label"]["PER"]["support"] == 2


def test_parses() -> None:
    gold = [
        TokenAnalysis(1, "nsubj", "PROPN", "Maduro"),
        TokenAnalysis(1, "root", "VERB", "win"),
        TokenAnalysis(3, "nmod:poss", "PRON", "his"),
        TokenAnalysis(1, "obj", "NOUN", "vote"),
    ]
    pred = [
        TokenAnalysis(1, "obj", "PROPN", "Maduro"),  # head right, label wrong
        TokenAnalysis(1, "ROOT", "VERB", "won"),  # root == ROOT; lemma wrong
        TokenAnalysis(3, "nmod", "PRON", "his"),  # universal part right, subtype missing
        TokenAnalysis(0, "obj", "NOUN", "vote"),  # head wrong: no label credit
    ]
    scores = score_parses([(gold, pred)])
    assert (scores.uas, scores.las, scores.las_full) == (0.75, 0.5, 0.25)
    assert (scores.upos, scores.lemma, scores.tokens) == (1.0, 0.75, 4)


def test_parses_refuse_misaligned_tokens() -> None:
    with pytest.raises(ValueError, match="sentence 1: 1 gold tokens but 0 predicted"):
        score_parses([([TokenAnalysis(0, "root", "X", "x")], [])])
