"""A bidirectional LSTM token tagger evaluated with numpy: trained in PyTorch, run without it.

The network: per token, a dense vector (MiniLM static vector) and categorical ids (each with its own embedding
table) are concatenated, projected with ReLU, read by a stack of bidirectional LSTM layers, and scored per tag.
`BiLSTMTagger.probabilities` runs a batch of sequences at once (one matrix product per time step for the whole
batch and both directions), padded on the right, which gives exactly what PyTorch's packed sequences give.

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


@dataclass(frozen=True)
class BiLSTMTagger:
    """The weights of the tagger; `probabilities` is its forward pass."""

    embeddings: tuple[np.ndarray, ...]  # one table per categorical input column
    proj_w: np.ndarray
    proj_b: np.ndarray
    lstm: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]
    out_w: np.ndarray
    out_b: np.ndarray

    @property
    def dense_width(self) -> int:
        """How many dense input dimensions each word takes, before its embedded id columns."""
        return int(self.proj_w.shape[1]) - sum(int(t.shape[1]) for t in self.embeddings)

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
        # Longest first: at each time step the sequences still running are a prefix of the batch, so padding
        # costs no arithmetic (see `_bidirectional`).
        order = sorted(range(len(vectors)), key=lambda k: -len(vectors[k]))
        vectors, ids = [vectors[k] for k in order], [ids[k] for k in order]
        lengths = [len(v) for v in vectors]
        steps = max(lengths)
        dense = np.zeros((len(vectors), steps, vectors[0].shape[1]), dtype=np.float32)
        cats = np.zeros((len(vectors), steps, ids[0].shape[1]), dtype=np.int64)
        for k, (v, i) in enumerate(zip(vectors, ids, strict=True)):
            dense[k, : len(v)] = v
            cats[k, : len(v)] = i
        x = np.concatenate([dense, *(table[cats[..., c]] for c, table in enumerate(self.embeddings))], axis=-1)
        x = np.maximum(x @ self.proj_w.T + self.proj_b, 0.0)
        for layer in self.lstm:
            x = _bidirectional(x, lengths, layer)
        scores = x @ self.out_w.T + self.out_b
        scores -= scores.max(axis=-1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=-1, keepdims=True)
        result: list[np.ndarray] = [probs[0, :0]] * len(order)
        for position, k in enumerate(order):
            result[k] = probs[position, : lengths[position]]
        return result


def _reversed(x: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
    """Each sequence's words in reverse order, still aligned to the left (padding stays at the end)."""
    out = np.zeros_like(x)
    for k, n in enumerate(lengths):
        out[k, :n] = x[k, n - 1 :: -1] if n else x[k, :0]
    return out


def _bidirectional(
    x: np.ndarray,
    lengths: Sequence[int],
    layer: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """One bidirectional LSTM layer over a right-padded batch, its sequences sorted longest first.

    The backward direction reads each sequence reversed and left-aligned, so both directions run forward in one
    loop (one batched matrix product per time step) and padding only ever follows a sequence's last word: its
    outputs there are never read, so no masking is needed.
    """
    w_ih, w_hh, bias, rw_ih, rw_hh, rbias = layer
    hidden = w_hh.shape[1]
    batch, steps, _ = x.shape
    # The input, forget and output gates are sigmoids: sigmoid(z) = (tanh(z / 2) + 1) / 2. Halving their rows of
    # the weights lets one tanh over all four gates serve, the cell candidate's rows being left as they are.
    half = np.ones(4 * hidden, dtype=np.float32)
    half[: 2 * hidden] = half[3 * hidden :] = 0.5
    gates_x = np.stack([(x @ w_ih.T + bias) * half, (_reversed(x, lengths) @ rw_ih.T + rbias) * half])
    w_hh_t = np.stack([w_hh.T * half, rw_hh.T * half])  # (2, hidden, 4 hidden)
    h = np.zeros((2, batch, hidden), dtype=np.float32)
    c = np.zeros((2, batch, hidden), dtype=np.float32)
    out = np.zeros((2, batch, steps, hidden), dtype=np.float32)
    running = batch
    for t in range(steps):
        if lengths[running - 1] <= t:  # lengths descend: the sequences that have ended drop off the end
            while lengths[running - 1] <= t:
                running -= 1
            h, c = h[:, :running], c[:, :running]
        z = np.tanh(gates_x[:, :running, t] + h @ w_hh_t)
        gate = z * 0.5 + 0.5  # the sigmoid gates (its cell-candidate slice is unused)
        c = gate[..., hidden : 2 * hidden] * c + gate[..., :hidden] * z[..., 2 * hidden : 3 * hidden]
        h = gate[..., 3 * hidden :] * np.tanh(c)
        out[:, :running, t] = h
    return np.concatenate([out[0], _reversed(out[1], lengths)], axis=-1)


def _count(weights: dict[str, np.ndarray], prefix: str, suffix: str = ".weight") -> int:
    n = 0
    while f"{prefix}{n}{suffix}" in weights:
        n += 1
    return n
