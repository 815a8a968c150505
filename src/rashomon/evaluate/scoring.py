"""Scores, as pure functions: entity-level exact match (conlleval semantics) and attachment scores.

Kept free of spaCy so the arithmetic is tested on hand-made gold and predictions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Entity = tuple[int, int, str]  # token start, token end (exclusive), label


def precision_recall_f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts, which may be fractional (averaged); 0.0 where undefined."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass(frozen=True, slots=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int  # gold items

    @classmethod
    def from_counts(cls, tp: int, fp: int, fn: int) -> PRF:
        return cls(*precision_recall_f1(tp, fp, fn), tp + fn)


@dataclass(frozen=True, slots=True)
class NERScores:
    overall: PRF
    per_label: dict[str, PRF]
    sentences: int

    def as_json(self) -> dict[str, object]:
        return {
            "precision": round(self.overall.precision, 4),
            "recall": round(self.overall.recall, 4),
            "f1": round(self.overall.f1, 4),
            "per_label": {
                label: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for label, s in sorted(self.per_label.items())
            },
            "sentences": self.sentences,
        }


def score_entities(pairs: Iterable[tuple[Sequence[Entity], Sequence[Entity]]]) -> NERScores:
    """Micro-averaged exact-match scores over (gold, predicted) entity lists, one pair per sentence."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    sentences = 0
    for gold, pred in pairs:
        sentences += 1
        g, p = set(gold), set(pred)
        for _, _, label in g & p:
            tp[label] += 1
        for _, _, label in p - g:
            fp[label] += 1
        for _, _, label in g - p:
            fn[label] += 1
    labels = set(tp) | set(fp) | set(fn)
    per_label = {label: PRF.from_counts(tp[label], fp[label], fn[label]) for label in labels}
    overall = PRF.from_counts(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return NERScores(overall, per_label, sentences)


@dataclass(frozen=True, slots=True)
class TokenAnalysis:
    """What a parser says (or the gold says) about one token."""

    head: int  # 0-based index of the head within the sentence; the token's own index for the root
    deprel: str
    upos: str
    lemma: str


@dataclass(frozen=True, slots=True)
class ParserScores:
    uas: float
    las: float  # universal relations only, as the CoNLL 2018 shared task's evaluation script scores
    las_full: float  # full labels, subtypes included ("nmod:poss" must match "nmod:poss"): stricter
    upos: float
    lemma: float
    sentences: int
    tokens: int

    def as_json(self) -> dict[str, object]:
        return {
            "uas": round(self.uas, 4),
            "las": round(self.las, 4),
            "las_full": round(self.las_full, 4),
            "upos": round(self.upos, 4),
            "lemma": round(self.lemma, 4),
            "sentences": self.sentences,
            "tokens": self.tokens,
        }


def _label(deprel: str) -> str:
    # spaCy names the root relation "ROOT"; UD writes "root".
    return deprel.lower()


def _universal(deprel: str) -> str:
    return _label(deprel).split(":")[0]


def score_parses(pairs: Iterable[tuple[Sequence[TokenAnalysis], Sequence[TokenAnalysis]]]) -> ParserScores:
    """Token-level scores over (gold, predicted) sentences of equal length (given tokens).

    As `conll18_ud_eval.py` scores them: every token counts (punctuation too); LAS compares the universal part
    of the relation. `las_full` also requires the subtype.
    """
    sentences = tokens = uas = las = las_full = upos = lemma = 0
    for gold, pred in pairs:
        if len(gold) != len(pred):
            raise ValueError(f"sentence {sentences + 1}: {len(gold)} gold tokens but {len(pred)} predicted")
        sentences += 1
        for g, p in zip(gold, pred, strict=True):
            tokens += 1
            if g.head == p.head:
                uas += 1
                las += _universal(g.deprel) == _universal(p.deprel)
                las_full += _label(g.deprel) == _label(p.deprel)
            upos += g.upos == p.upos
            lemma += g.lemma == p.lemma
    n = tokens or 1
    return ParserScores(uas / n, las / n, las_full / n, upos / n, lemma / n, sentences, tokens)
