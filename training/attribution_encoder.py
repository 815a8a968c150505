"""Fine-tune the attribution model's encoder tagger (MiniLM, PyTorch; training only) and export it to int8 ONNX.

The tagger labels every word source, cue or content of an attribution (BIO, `rashomon.nlp.attribution.TAGS`),
reading the windows `rashomon.nlp.attribution_encoder.windows` builds at analysis time; the loss is taken at each
word's first piece. The bundled all-MiniLM-L6-v2 is fine-tuned end to end (its word-piece embedding matrix
frozen, so it need not be shipped) with a linear layer over each piece's last state: AdamW, layer-wise
learning-rate decay, linear warm-up and decay. `train_encoder` keeps the epoch whose tags give the best whole-
attribution F1 on dev (the caller's ``score`` function); `export` writes the graph run at analysis time.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel

from rashomon.nlp.attribution import TAGS
from rashomon.nlp.attribution_encoder import Window, softmax, word_probabilities
from rashomon.nlp.minilm import model_dir


@dataclass(frozen=True)
class Example:
    """One window and the gold tag of each piece (-100: not scored, for all but a word's first piece)."""

    window: Window
    labels: np.ndarray


@dataclass(frozen=True)
class Settings:
    epochs: int = 3
    lr: float = 1e-4  # the top layer's; layer k of L learns at lr * decay ** (L - k)
    head_lr: float = 1e-3
    layer_decay: float = 0.8
    batch_size: int = 16
    warmup: float = 0.1
    dropout: float = 0.1
    weight_decay: float = 0.01
    layers: int = 6
    seed: int = 0


class TaggerNet(nn.Module):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(model_dir()), add_pooling_layer=False)
        if settings.layers < len(self.encoder.encoder.layer):
            self.encoder.encoder.layer = self.encoder.encoder.layer[: settings.layers]
        self.drop = nn.Dropout(settings.dropout)
        self.out = nn.Linear(self.encoder.config.hidden_size, len(TAGS))

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return nn.functional.embedding(ids, self.encoder.embeddings.word_embeddings.weight)

    def forward(self, embeds: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(inputs_embeds=embeds, attention_mask=mask).last_hidden_state
        return self.out(self.drop(states))


def labelled(window: Window, word_tags: np.ndarray) -> Example:
    labels = np.full(len(window.ids), -100, dtype=np.int64)
    for word, at in zip(window.words, window.first, strict=True):
        if at >= 0:
            labels[at] = word_tags[word]
    return Example(window, labels)


def _padded(windows: Sequence[Window]) -> tuple[np.ndarray, np.ndarray]:
    steps = max(len(w.ids) for w in windows)
    ids = np.zeros((len(windows), steps), dtype=np.int64)
    mask = np.zeros((len(windows), steps), dtype=np.int64)
    for k, w in enumerate(windows):
        ids[k, : len(w.ids)] = w.ids
        mask[k, : len(w.ids)] = 1
    return ids, mask


def _batches(lengths: Sequence[int], size: int, rng: random.Random | None) -> Iterator[list[int]]:
    """Batches of inputs of similar length; with ``rng``, shuffled within and across buckets."""
    order = list(range(len(lengths)))
    if rng is None:
        order.sort(key=lengths.__getitem__)
        yield from (order[k : k + size] for k in range(0, len(order), size))
        return
    rng.shuffle(order)
    chunks = [sorted(order[k : k + size * 50], key=lengths.__getitem__) for k in range(0, len(order), size * 50)]
    groups = [chunk[k : k + size] for chunk in chunks for k in range(0, len(chunk), size)]
    rng.shuffle(groups)
    yield from groups


def piece_probabilities(net: TaggerNet, windows: Sequence[Window]) -> list[np.ndarray]:
    """Per-piece tag probabilities of each window (float32 network, padded batches)."""
    net.eval()
    out: list[np.ndarray] = [np.zeros(0)] * len(windows)
    with torch.no_grad():
        for rows in _batches([len(w.ids) for w in windows], 32, None):
            ids, mask = _padded([windows[r] for r in rows])
            logits = net(net.embed(torch.from_numpy(ids)), torch.from_numpy(mask)).numpy()
            for k, r in enumerate(rows):
                out[r] = softmax(logits[k, : len(windows[r].ids)])
    return out


class TorchTagger:
    """The network in training, behind the interface `AttributionModel` reads (for scoring dev)."""

    def __init__(self, net: TaggerNet, make_windows: Callable[[Sequence[str], Sequence[int]], list[Window]]) -> None:
        self.net = net
        self.make_windows = make_windows

    def probabilities(self, forms: Sequence[str], paragraphs: Sequence[int]) -> np.ndarray:
        windows = self.make_windows(forms, paragraphs)
        probs = piece_probabilities(self.net, windows)
        return word_probabilities(len(forms), list(zip(windows, probs, strict=True)), len(TAGS))


def train_encoder(
    train: Sequence[Example], settings: Settings, score: Callable[[TaggerNet], dict[str, float]], log: Path
) -> tuple[TaggerNet, list[dict[str, object]]]:
    """Fine-tune; after each epoch ``score`` the network (dev), keep the epoch with the best ``whole`` score."""
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    net = TaggerNet(settings)
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    groups: list[dict[str, object]] = [{"params": list(net.out.parameters()), "lr": settings.head_lr}]
    layers = list(net.encoder.encoder.layer)
    for depth, part in enumerate([net.encoder.embeddings, *layers]):
        body = [p for p in part.parameters() if p.requires_grad]
        if body:
            groups.append({"params": body, "lr": settings.lr * settings.layer_decay ** (len(layers) - depth)})
    optimizer = torch.optim.AdamW(groups, weight_decay=settings.weight_decay)  # type: ignore[arg-type]
    steps = settings.epochs * ((len(train) + settings.batch_size - 1) // settings.batch_size)
    warmup = int(settings.warmup * steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda k: min((k + 1) / max(warmup, 1), max(0.0, (steps - k) / max(steps - warmup, 1)))
    )
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    lengths = [len(e.window.ids) for e in train]
    history: list[dict[str, object]] = []
    best, best_state = -1.0, None
    for epoch in range(1, settings.epochs + 1):
        net.train()
        started, total, seen = time.perf_counter(), 0.0, 0
        for n, rows in enumerate(_batches(lengths, settings.batch_size, rng)):
            batch = [train[r] for r in rows]
            ids, mask = _padded([e.window for e in batch])
            labels = np.full(ids.shape, -100, dtype=np.int64)
            for k, e in enumerate(batch):
                labels[k, : len(e.labels)] = e.labels
            logits = net(net.embed(torch.from_numpy(ids)), torch.from_numpy(mask))
            loss = loss_fn(logits.reshape(-1, len(TAGS)), torch.from_numpy(labels).reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(rows)
            seen += len(rows)
            if n % 100 == 0:
                print(
                    f"epoch {epoch} batch {n}: loss {total / seen:.4f}, {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        record: dict[str, object] = {"epoch": epoch, "loss": round(total / len(train), 4)}
        record["seconds"] = round(time.perf_counter() - started)
        record["dev"] = score(net)
        history.append(record)
        with log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)
        whole = float(record["dev"]["whole"])  # type: ignore[index]
        if whole > best:
            best, best_state = whole, {k: v.detach().clone() for k, v in net.state_dict().items()}
    assert best_state is not None
    net.load_state_dict(best_state)
    return net, history


def export(net: TaggerNet, fp32: Path) -> None:
    """The encoder and head as an ONNX graph (float32): embeds, mask -> per-piece tag scores."""
    net.eval()
    ids = torch.tensor([[101, 2002, 2056, 1012, 102]])
    example = (net.embed(ids), torch.ones_like(ids))
    fp32.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        net,
        example,
        str(fp32),
        input_names=["embeds", "mask"],
        output_names=["logits"],
        dynamic_axes={
            "embeds": {0: "batch", 1: "pieces"},
            "mask": {0: "batch", 1: "pieces"},
            "logits": {0: "batch", 1: "pieces"},
        },
        opset_version=17,
        dynamo=False,
    )


def quantise(fp32: Path, path: Path) -> None:
    """int8 weights as the stance model has them (per output channel, 7-bit range: the same results on every
    CPU, with or without VNNI instructions)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
