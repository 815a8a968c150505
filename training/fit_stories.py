"""Fit the same-event weights of the event clustering (`rashomon.corpus.events.WEIGHTS`) on ECB+ train, and choose
the event threshold and cohesion there; report dev.

    python training/fit_stories.py --data ../shared/datasets [--cache build/ecbplus-stories.pkl]

1. read `ecbplus/docs.jsonl` (`rashomon.evaluate.stories.read_story_gold`), analyse every document with the
   default pipeline and link the actors across all of them, embed each with the bundled MiniLM (title and lead),
   exactly as `rashomon evaluate stories` does (``--cache`` keeps the analysed documents between runs);
2. for every pair of train documents (the ``split`` field: train topics only), the cosines the clustering compares
   (`rashomon.corpus.events.pair_cosines`), labelled 1 when both report the same gold event;
3. logistic regression (Newton's method, L2 penalty 1.0 on the weights, not the intercept) of the label on the six
   cosines; print the weights in the form `WEIGHTS` takes;
4. with those weights, cluster the train documents at each event threshold and cohesion (`Level.cohesion`) of a
   grid and keep the best B-cubed F1 (ties: the best mean over the neighbouring cells of the grid, then the lower
   cohesion and threshold); optionally (``--rounds``, 0 by default) a coordinate search on train B-cubed F1 (each
   weight scaled by 1.3 or 0.75, the threshold moved by 0.25, a change kept when it helps); print the chosen
   weights, threshold and cohesion, and their scores on train, dev and train+dev (each split clustered alone).

Nothing is written: the printed weights, threshold and cohesion are copied into `rashomon/corpus/events.py` by hand,
with the numbers into docs/models.md. Dev is never used to choose anything.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.corpus.duplicates import Text, find_duplicates
from rashomon.corpus.events import (
    EVENT_LEVEL,
    VIEWS,
    Idf,
    Weights,
    article_features,
    cluster,
)
from rashomon.corpus.vectors import nearest
from rashomon.evaluate.stories import analyse_gold, gold_article, read_story_gold, score_events
from rashomon.model import Document
from rashomon.nlp import Pipeline
from rashomon.nlp.encoder import embed_articles
from rashomon.settings import Settings

NAMES = ("embedding", *VIEWS)


def load(data: Path, cache: Path | None) -> tuple[list, list[Document], np.ndarray, dict[str, str]]:
    path = data / "ecbplus" / "docs.jsonl"
    splits = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                splits[str(record["doc_id"])] = record.get("split", "train")
    if cache is not None and cache.is_file():
        gold, docs, vectors = pickle.loads(cache.read_bytes())
        return gold, docs, vectors, splits
    gold = read_story_gold(path)
    settings = Settings()
    pipeline = Pipeline(settings.pipeline, settings)
    docs = analyse_gold(gold, lambda g: pipeline(Document(gold_article(g))))
    vectors = embed_articles((d.article.meta.title, d.text) for d in docs)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps((gold, docs, vectors)))
    return gold, docs, vectors, splits


def pair_matrix(features: list, idf: Idf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cosines of every pair (rows i < j) in the order of `NAMES`."""
    views = [idf.vectors(f) for f in features]
    n = len(features)
    first, second = np.triu_indices(n, 1)
    x = np.zeros((len(first), len(NAMES)))
    matrix = np.vstack([f.vector for f in features])
    x[:, 0] = np.einsum("ij,ij->i", matrix[first], matrix[second])
    for k, view in enumerate(VIEWS, start=1):
        # Sparse dot products through one dense matrix per view (the train documents' vocabulary is small).
        vocab = {t: i for i, t in enumerate(sorted({t for v in views for t in v[view]}))}
        dense = np.zeros((n, len(vocab)))
        for row, v in enumerate(views):
            for term, weight in v[view].items():
                dense[row, vocab[term]] = weight
        gram = dense @ dense.T
        x[:, k] = gram[first, second]
    return x, first, second


def fit(x: np.ndarray, y: np.ndarray, penalty: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method: [intercept, weights...]."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    ridge = np.full(design.shape[1], penalty)
    ridge[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        gradient = design.T @ (p - y) + ridge * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(ridge)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/datasets"))
    parser.add_argument("--cache", type=Path, default=None, help="Keep the analysed documents in this pickle.")
    parser.add_argument("--rounds", type=int, default=0, help="Rounds of the coordinate search (0: none).")
    args = parser.parse_args()
    gold, docs, vectors, splits = load(args.data, args.cache)
    features = [article_features(d, v) for d, v in zip(docs, vectors, strict=True)]
    train = [i for i, g in enumerate(gold) if splits[g.id] == "train"]
    dev = [i for i, g in enumerate(gold) if splits[g.id] == "dev"]
    idf = Idf([features[i] for i in train])
    x, first, second = pair_matrix([features[i] for i in train], idf)
    events = np.array([gold[i].event for i in train])
    y = (events[first] == events[second]).astype(float)
    fitted = Weights(*(round(float(v), 2) for v in fit(x, y)))
    print(f"pairs {len(y)} positive {int(y.sum())}")
    print("logistic regression", fitted)

    def score(rows: list[int], weights: Weights, threshold: float, cohesion: float) -> dict[str, Any]:
        sub_docs = [docs[i] for i in rows]
        sub = [features[i] for i in rows]
        ids = [f.id for f in sub]
        matrix = np.vstack([f.vector for f in sub])
        candidates = nearest(ids, ids, matrix, 20)
        copies = find_duplicates([Text(d.id, d.text, f.date) for d, f in zip(sub_docs, sub, strict=True)])
        level = dataclasses.replace(EVENT_LEVEL, threshold=threshold, cohesion=cohesion)
        result = cluster(sub, candidates, duplicates=copies, weights=weights, event_level=level)
        gold_id = {docs[i].id: gold[i].id for i in rows}
        scores = score_events(
            [gold[i] for i in rows],
            [[gold_id[a] for a in e.article_ids] for e in result.events],
            [[gold_id[a] for a in s.article_ids] for s in result.stories],
        )
        out = scores.as_json()
        out.pop("note")
        return out

    def f1(weights: Weights, threshold: float, cohesion: float) -> float:
        return float(score(train, weights, threshold, cohesion)["b_cubed"]["f1"])

    # The threshold and cohesion for the fitted weights, on train.
    thresholds = (-2.0, -1.75, -1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0)
    cohesions = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
    results = {(c, t): f1(fitted, t, c) for c in cohesions for t in thresholds}
    for c in cohesions:
        print(f"train cohesion {c}: " + " ".join(f"{t}:{results[(c, t)]:.4f}" for t in thresholds))

    def neighbourhood(c: float, t: float) -> float:
        i, j = cohesions.index(c), thresholds.index(t)
        cells = [
            results[(cohesions[a], thresholds[b])]
            for a in range(max(0, i - 1), min(len(cohesions), i + 2))
            for b in range(max(0, j - 1), min(len(thresholds), j + 2))
        ]
        return sum(cells) / len(cells)

    cohesion, threshold = max(results, key=lambda k: (results[k], neighbourhood(*k), -k[0], -k[1]))
    weights, best = fitted, results[(cohesion, threshold)]
    print(f"grid: cohesion {cohesion} threshold {threshold} B-cubed F1 {best:.4f}")
    # Coordinate search on train B-cubed F1: each weight scaled by 1.3 or 0.75, the threshold moved by 0.25; a change
    # is kept when it improves the score.
    for round_ in range(args.rounds):
        improved = False
        for name in (*NAMES, "threshold"):
            for step in (0.25, -0.25) if name == "threshold" else (1.3, 0.75):
                if name == "threshold":
                    trial_weights, trial_threshold = weights, threshold + step
                else:
                    value = round(getattr(weights, name) * step, 2)
                    trial_weights, trial_threshold = dataclasses.replace(weights, **{name: value}), threshold
                value = f1(trial_weights, trial_threshold, cohesion)
                if value > best + 1e-4:
                    weights, threshold, best, improved = trial_weights, trial_threshold, value, True
                    print(f"round {round_}: {name} -> B-cubed F1 {best:.4f}")
        if not improved:
            break
    print("chosen", weights, "threshold", threshold, "cohesion", cohesion)
    print("train", json.dumps(score(train, weights, threshold, cohesion)))
    print("dev", json.dumps(score(dev, weights, threshold, cohesion)))
    print("train+dev", json.dumps(score(list(range(len(gold))), weights, threshold, cohesion)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
