"""The numpy BiLSTM tagger: a hand-checked step, padding that never leaks into the state, and loading."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rashomon.errors import ModelNotFoundError
from rashomon.nlp.bilstm import BiLSTMTagger


def random_weights(seed: int = 0, dims: int = 5, hidden: int = 3, tags: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    w = {"embeddings.0.weight": rng.normal(size=(6, 2)), "proj.weight": rng.normal(size=(4, dims + 2))}
    w["proj.bias"] = rng.normal(size=4)
    for layer, width in ((0, 4), (1, 2 * hidden)):
        for suffix in ("", "_reverse"):
            w[f"lstm.weight_ih_l{layer}{suffix}"] = rng.normal(size=(4 * hidden, width))
            w[f"lstm.weight_hh_l{layer}{suffix}"] = rng.normal(size=(4 * hidden, hidden))
            w[f"lstm.bias_ih_l{layer}{suffix}"] = rng.normal(size=4 * hidden)
            w[f"lstm.bias_hh_l{layer}{suffix}"] = rng.normal(size=4 * hidden)
    w["out.weight"] = rng.normal(size=(tags, 2 * hidden))
    w["out.bias"] = rng.normal(size=tags)
    w["vocab.pos"] = np.array(["NOUN", "VERB"])  # strings stored beside the weights are not weights
    return w


def sequence(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 5)).astype(np.float32), rng.integers(0, 6, size=(n, 1))


def test_probabilities_are_distributions_of_the_right_shape() -> None:
    tagger = BiLSTMTagger.from_weights(random_weights())
    (probs,) = tagger.probabilities(*zip(sequence(7, 1), strict=True))
    assert probs.shape == (7, 4)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert len(tagger.lstm) == 2 and len(tagger.embeddings) == 1
    assert tagger.dense_width == 5  # proj input 5 + 2: the embedded id column's 2 dimensions are not dense


def test_padding_in_a_batch_changes_nothing() -> None:
    tagger = BiLSTMTagger.from_weights(random_weights())
    short, long = sequence(3, 2), sequence(9, 3)
    alone = tagger.probabilities([short[0]], [short[1]])[0]
    batched = tagger.probabilities([short[0], long[0]], [short[1], long[1]])
    assert batched[0].shape == (3, 4) and batched[1].shape == (9, 4)
    # The backward direction starts at the sequence's own last word, not at the batch's padding.
    assert np.allclose(alone, batched[0], atol=1e-6)


def test_one_step_matches_the_lstm_equations() -> None:
    w = random_weights(dims=1, hidden=1, tags=2)
    tagger = BiLSTMTagger.from_weights(w)
    vectors, ids = np.array([[0.5]], np.float32), np.array([[2]])
    (probs,) = tagger.probabilities([vectors], [ids])

    def sigmoid(x: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-x))

    def cell(x: np.ndarray, layer: int, suffix: str) -> np.ndarray:
        g = w[f"lstm.weight_ih_l{layer}{suffix}"] @ x + w[f"lstm.bias_ih_l{layer}{suffix}"]
        g = g + w[f"lstm.bias_hh_l{layer}{suffix}"]  # the previous state is zero for a single word
        i, _, c, o = sigmoid(g[0]), sigmoid(g[1]), np.tanh(g[2]), sigmoid(g[3])
        return np.array([o * np.tanh(i * c)])

    x = np.maximum(w["proj.weight"] @ np.concatenate([[0.5], w["embeddings.0.weight"][2]]) + w["proj.bias"], 0)
    h1 = np.concatenate([cell(x, 0, ""), cell(x, 0, "_reverse")])
    h2 = np.concatenate([cell(h1, 1, ""), cell(h1, 1, "_reverse")])
    scores = w["out.weight"] @ h2 + w["out.bias"]
    expected = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    assert np.allclose(probs[0], expected, atol=1e-5)


def test_empty_batch_and_missing_file(tmp_path: Path) -> None:
    assert BiLSTMTagger.from_weights(random_weights()).probabilities([], []) == []
    with pytest.raises(ModelNotFoundError, match=r"tagger\.npz"):
        BiLSTMTagger.load(tmp_path / "tagger.npz")
