"""Train the BiLSTM token tagger of the attribution model with PyTorch (training only; analysis runs numpy).

Tags every word of a paragraph as source, cue or content of an attribution (BIO), from the inputs
`rashomon.nlp.attribution.tagger_inputs` builds at analysis time: the word's MiniLM static vector (and, with
--context, the English pipeline's contextual vector) and ids for
its part of speech, dependency relation, entity type, quote state, lemma, shape, head direction and head lemma.
Sequences are packed, so padding never reaches the LSTM state, exactly as `rashomon.nlp.bilstm` computes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rashomon.nlp.attribution import TAGS, TokenVocab
from rashomon.nlp.bilstm import BiLSTMTagger

Example = tuple[np.ndarray, np.ndarray, np.ndarray]  # vectors (n x DIMS), ids (n x columns), tags (n)


class Tagger(nn.Module):
    def __init__(self, vocab: TokenVocab, dense: int, project: int = 192, hidden: int = 128, layers: int = 2) -> None:
        super().__init__()
        self.embeddings = nn.ModuleList(nn.Embedding(size, dim) for size, dim in vocab.columns())
        width = dense + sum(dim for _, dim in vocab.columns())
        self.proj = nn.Linear(width, project)
        self.drop = nn.Dropout(0.3)
        dropout = 0.2 if layers > 1 else 0.0  # PyTorch applies it between layers only
        self.lstm = nn.LSTM(project, hidden, num_layers=layers, bidirectional=True, batch_first=True, dropout=dropout)
        self.out = nn.Linear(2 * hidden, len(TAGS))

    def forward(self, vectors: torch.Tensor, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x = torch.cat([vectors] + [table(ids[..., c]) for c, table in enumerate(self.embeddings)], -1)
        x = self.drop(torch.relu(self.proj(x)))
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        return self.out(self.drop(h))


def _batches(data: Sequence[Example], size: int, rng: random.Random | None) -> Iterator[tuple[torch.Tensor, ...]]:
    order = list(range(len(data)))
    if rng is not None:
        rng.shuffle(order)
    for start in range(0, len(order), size):
        batch = [data[k] for k in order[start : start + size]]
        steps = max(len(t) for _, _, t in batch)
        vectors = np.zeros((len(batch), steps, batch[0][0].shape[1]), np.float32)
        ids = np.zeros((len(batch), steps, batch[0][1].shape[1]), np.int64)
        tags = np.full((len(batch), steps), -100, np.int64)
        for k, (v, i, t) in enumerate(batch):
            vectors[k, : len(t)], ids[k, : len(t)], tags[k, : len(t)] = v, i, t
        lengths = torch.tensor([len(t) for _, _, t in batch])
        yield torch.from_numpy(vectors), torch.from_numpy(ids), torch.from_numpy(tags), lengths


def token_f1(model: Tagger, data: Sequence[Example]) -> dict[str, float]:
    """Token-level F1 per role (source, cue, content) on ``data``: the selection signal between epochs."""
    model.eval()
    tp = np.zeros(3)
    predicted = np.zeros(3)
    gold = np.zeros(3)
    with torch.no_grad():
        for vectors, ids, tags, lengths in _batches(data, 64, None):
            pred = model(vectors, ids, lengths).argmax(-1)
            live = tags != -100
            for r in range(3):
                g = ((tags == 2 * r + 1) | (tags == 2 * r + 2)) & live
                p = ((pred == 2 * r + 1) | (pred == 2 * r + 2)) & live
                tp[r] += int((g & p).sum())
                predicted[r] += int(p.sum())
                gold[r] += int(g.sum())
    model.train()
    f1 = 2 * tp / np.maximum(predicted + gold, 1)
    return {"source": round(float(f1[0]), 4), "cue": round(float(f1[1]), 4), "content": round(float(f1[2]), 4)}


def train_tagger(
    train: Sequence[Example],
    dev: Sequence[Example],
    vocab: TokenVocab,
    epochs: int,
    seed: int,
    *,
    layers: int = 2,
    hidden: int = 128,
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Train with Adam; keep the epoch with the best dev content+source+cue token F1. Returns (weights, scores)."""
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = random.Random(seed)
    model = Tagger(vocab, dense=train[0][0].shape[1], hidden=hidden, layers=layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    best: tuple[float, dict[str, np.ndarray], dict[str, float]] | None = None
    for epoch in range(epochs):
        started = time.perf_counter()
        for vectors, ids, tags, lengths in _batches(train, 32, rng):
            scores = model(vectors, ids, lengths)
            loss = nn.functional.cross_entropy(scores.reshape(-1, len(TAGS)), tags.reshape(-1), ignore_index=-100)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
        f1 = token_f1(model, dev)
        print(f"tagger epoch {epoch}: dev token F1 {f1} ({time.perf_counter() - started:.0f} s)", flush=True)
        total = sum(f1.values())
        if best is None or total > best[0]:
            weights = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
            best = (total, weights, f1)
    assert best is not None
    _check_numpy_forward(model, best[1], dev[:16])
    return best[1], best[2]


def _check_numpy_forward(model: Tagger, weights: dict[str, np.ndarray], sample: Sequence[Example]) -> None:
    """The numpy forward pass used at analysis time must agree with PyTorch's on real sequences."""
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
    model.eval()
    ours = BiLSTMTagger.from_weights(weights).probabilities([v for v, _, _ in sample], [i for _, i, _ in sample])
    with torch.no_grad():
        for (v, i, t), mine in zip(sample, ours, strict=True):
            theirs = torch.softmax(
                model(torch.from_numpy(v)[None], torch.from_numpy(i)[None], torch.tensor([len(t)])), -1
            )
            gap = float(np.abs(theirs[0].numpy() - mine).max())
            if gap > 1e-4:
                raise AssertionError(f"numpy forward pass differs from PyTorch's by {gap}")


__all__ = ["token_f1", "train_tagger"]
