"""Target-dependent sentiment scores on NewsMTSC's JSONL format: reading the gold, scoring predictions.

One JSON object per line: ``sentence_normalized``, and ``targets``, each with character offsets ``from`` / ``to``
into the sentence, the ``mention`` those offsets cover, and ``polarity`` (2.0 negative, 4.0 neutral, 6.0
positive). Each target is scored on its own: accuracy, and F1 per class and their unweighted mean (F1 macro,
NewsMTSC's main measure). Reading and scoring are pure; `evaluate_sentiment` runs any scorer over a file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rashomon.evaluate.scoring import PRF

LABELS = ("negative", "neutral", "positive")
POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


@dataclass(frozen=True, slots=True)
class GoldTarget:
    start: int
    end: int
    mention: str
    label: str  # one of LABELS


@dataclass(frozen=True, slots=True)
class GoldSentence:
    id: str
    text: str
    targets: tuple[GoldTarget, ...]


def read_newsmtsc(path: Path) -> list[GoldSentence]:
    """The sentences of a NewsMTSC JSONL file; a malformed line is a ValueError naming the file and line."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record["sentence_normalized"]
                targets = []
                for t in record["targets"]:
                    start, end = int(t["from"]), int(t["to"])
                    if not 0 <= start < end <= len(text):
                        raise ValueError(f"target offsets [{start}, {end}) outside the sentence")
                    if "mention" in t and text[start:end] != t["mention"]:
                        raise ValueError(f"offsets [{start}, {end}) hold {text[start:end]!r}, not {t['mention']!r}")
                    if float(t["polarity"]) not in POLARITY:
                        raise ValueError(f"polarity {t['polarity']!r} is not 2, 4 or 6")
                    targets.append(
                        GoldTarget(start, end, t.get("mention", text[start:end]), POLARITY[float(t["polarity"])])
                    )
            except (KeyError, TypeError, ValueError) as exc:
                detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                raise ValueError(f"{path}:{number}: not a NewsMTSC record: {detail}") from None
            out.append(GoldSentence(str(record.get("primary_gid", number)), text, tuple(targets)))
    if not out:
        raise ValueError(f"{path}: no sentences")
    return out


@dataclass(frozen=True, slots=True)
class SentimentScores:
    accuracy: float
    per_class: dict[str, PRF]
    targets: int

    @property
    def f1_macro(self) -> float:
        return sum(s.f1 for s in self.per_class.values()) / len(self.per_class)

    def as_json(self) -> dict[str, object]:
        return {
            "f1_macro": round(self.f1_macro, 4),
            "accuracy": round(self.accuracy, 4),
            "per_class": {
                label: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for label, s in self.per_class.items()
            },
            "targets": self.targets,
        }


def score_sentiment(pairs: Iterable[tuple[str, str]]) -> SentimentScores:
    """Accuracy and per-class precision, recall, F1 over (gold, predicted) labels, one pair per target.

    F1 macro averages all three classes, including one with no gold and no predicted target (its F1 is 0).
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    n = 0
    for gold, pred in pairs:
        if gold not in LABELS or pred not in LABELS:
            raise ValueError(f"unknown label: {gold if gold not in LABELS else pred!r}")
        n += 1
        if gold == pred:
            tp[gold] += 1
        else:
            fp[pred] += 1
            fn[gold] += 1
    if not n:
        raise ValueError("no targets to score")
    return SentimentScores(
        accuracy=sum(tp.values()) / n,
        per_class={label: PRF.from_counts(tp[label], fp[label], fn[label]) for label in LABELS},
        targets=n,
    )


def evaluate_sentiment(
    path: Path, predict: Callable[[Sequence[GoldSentence]], Sequence[Sequence[str]]]
) -> SentimentScores:
    """Scores of ``predict`` (sentences -> one label per target of each) on a NewsMTSC file."""
    gold = read_newsmtsc(path)
    predicted = predict(gold)
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} sentences")
    pairs: list[tuple[str, str]] = []
    for sentence, labels in zip(gold, predicted, strict=True):
        if len(labels) != len(sentence.targets):
            raise ValueError(f"sentence {sentence.id}: {len(labels)} labels for {len(sentence.targets)} targets")
        pairs.extend((t.label, label) for t, label in zip(sentence.targets, labels, strict=True))
    return score_sentiment(pairs)


def stance_labels(sentences: Sequence[GoldSentence], folder: Path | None = None) -> list[list[str]]:
    """The stance model's label for each target (`rashomon.nlp.stance`): the shipped model, or the one in
    ``folder``."""
    from rashomon.nlp.stance import StanceModel, model

    scorer = StanceModel(folder) if folder is not None else model()
    results = scorer.score((s.text, [(t.start, t.end) for t in s.targets]) for s in sentences)
    return [[stance.label for stance in row] for row in results]
