"""A bidirectional LSTM token tagger evaluated with numpy: trained in PyTorch, run without it.

The network: per token, a dense vector (MiniLM static vector) and categorical ids (each with its own embedding
table) are concatenated, projected with ReLU, read by a stack of bidirectional LSTM layers, and scored per tag.
`BiLSTMTagger.probabilities` runs a batch of sequences at once (one matrix product per time step for the whole
batch), padded on the right and masked, which gives exactly what PyTorch's packed sequences give.

Weights are one `.npz` with PyTorch's parameter names (``embeddings.0.weight``, ``proj.weight``,
``lstm.weight_ih_l0``, ``lstm.weight_ih_l0_reverse``, ..., ``out.weight``); `training/train_attribution.py`
writes it and checks that this forward pass agrees with PyTorch's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rashomon.errors import ModelNotFoundError


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # = 1 / (1 + e^-x), without overflow warnings


@dataclass(frozen=True)
class BiLSTMTagger:
    """The weights of the tagger; `probabilities` is its forward pass."""

    embeddings: tuple[np.ndarray, ...]  # one table per categorical input column
    proj_w: np.ndarray
    proj_b: np.ndarray
    lstm: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]
    out_w: np.ndarray
    out_b: np.ndarray

    @classmethod
    def load(cls, path: Path) -> BiLSTMTagger:
        if not path.is_file():
            raise ModelNotFoundError(f"{path}: tagger weights not found (train them: make train-attribution)")
        with np.load(path) as data:
            return cls.from_weights({k: data[k] for k in data.files})

    @classmethod
    def from_weights(cls, stored: dict[str, np.ndarray]) -> BiLSTMTagger:
        """From PyTorch parameter names to arrays (other keys are ignored); computed in float32."""
        weights = {k: v.astype(np.float32) for k, v in stored.items() if v.dtype.kind == "f"}
        tables = tuple(weights[f"embeddings.{i}.weight"] for i in range(_count(weights, "embeddings.")))
        layers = []
        for n in range(_count(weights, "lstm.weight_ih_l", suffix="")):
            forward = weights[f"lstm.weight_ih_l{n}"], weights[f"lstm.weight_hh_l{n}"]
            backward = weights[f"lstm.weight_ih_l{n}_reverse"], weights[f"lstm.weight_hh_l{n}_reverse"]
            bias_f = weights[f"lstm.bias_ih_l{n}"] + weights[f"lstm.bias_hh_l{n}"]
            bias_b = weights[f"lstm.bias_ih_l{n}_reverse"] + weights[f"lstm.bias_hh_l{n}_reverse"]
            layers.append((forward[0], forward[1], bias_f, backward[0], backward[1], bias_b))
        return cls(
            tables,
            weights["proj.weight"],
            weights["proj.bias"],
            tuple(layers),
            weights["out.weight"],
            weights["out.bias"],
        )

    def probabilities(self, vectors: Sequence[np.ndarray], ids: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Tag probabilities (tokens x tags) for each sequence: ``vectors[k]`` (tokens x dims), ``ids[k]``
        (tokens x columns)."""
        if not vectors:
            return []
        lengths = [len(v) for v in vectors]
        steps = max(lengths)
        mask = np.zeros((len(vectors), steps), dtype=bool)
        dense = np.zeros((len(vectors), steps, vectors[0].shape[1]), dtype=np.float32)
        cats = np.zeros((len(vectors), steps, ids[0].shape[1]), dtype=np.int64)
        for k, (v, i) in enumerate(zip(vectors, ids, strict=True)):
            mask[k, : len(v)] = True
            dense[k, : len(v)] = v
            cats[k, : len(v)] = i
        x = np.concatenate([dense, *(table[cats[..., c]] for c, table in enumerate(self.embeddings))], axis=-1)
        x = np.maximum(x @ self.proj_w.T + self.proj_b, 0.0)
        for w_ih, w_hh, b, rw_ih, rw_hh, rb in self.lstm:
            x = np.concatenate(
                [_direction(x, mask, w_ih, w_hh, b, False), _direction(x, mask, rw_ih, rw_hh, rb, True)], -1
            )
        scores = x @ self.out_w.T + self.out_b
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        return [probs[k, :n] for k, n in enumerate(lengths)]


def _direction(
    x: np.ndarray, mask: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, bias: np.ndarray, reverse: bool
) -> np.ndarray:
    """One LSTM direction over a right-padded batch; padding never touches the state (as packed sequences)."""
    batch, steps, _ = x.shape
    hidden = w_hh.shape[1]
    gates_x = x @ w_ih.T + bias
    h = np.zeros((batch, hidden), dtype=np.float32)
    c = np.zeros((batch, hidden), dtype=np.float32)
    out = np.zeros((batch, steps, hidden), dtype=np.float32)
    w_hh_t = np.ascontiguousarray(w_hh.T)
    for t in range(steps - 1, -1, -1) if reverse else range(steps):
        g = gates_x[:, t] + h @ w_hh_t
        i = _sigmoid(g[:, :hidden])
        f = _sigmoid(g[:, hidden : 2 * hidden])
        cell = np.tanh(g[:, 2 * hidden : 3 * hidden])
        o = _sigmoid(g[:, 3 * hidden :])
        c_new = f * c + i * cell
        h_new = o * np.tanh(c_new)
        live = mask[:, t, None]
        c = np.where(live, c_new, c)
        h = np.where(live, h_new, h)
        out[:, t] = np.where(live, h_new, 0.0)
    return out


def _count(weights: dict[str, np.ndarray], prefix: str, suffix: str = ".weight") -> int:
    n = 0
    while f"{prefix}{n}{suffix}" in weights:
        n += 1
    return n
