"""The attribution model's encoder tagger: MiniLM fine-tuned to tag each word as source, cue or content (BIO).

Trained on PolNeAR by `training/attribution_encoder.py` (run by `make train-attribution`) and shipped as an int8
ONNX graph, `tagger.onnx`, beside the attribution model's other weights. It reads word pieces, not the parse:

- `windows` packs an article's paragraphs, in order, into windows of at most `MAX_PIECES` word pieces
  (``[CLS] paragraph [SEP] paragraph [SEP] ...``), so each paragraph is read with its neighbours; a paragraph
  longer than a window is cut between words. A word's pieces are those MiniLM's tokenizer gives its text.
- The graph gives tag scores per piece; a word's tag probabilities are read at its first piece. A word with no
  piece (a run of spaces) takes those of the word before it, so it never cuts a span.

As for the stance model, the word-piece embedding matrix stayed frozen in training and is read from the bundled
MiniLM package (`rashomon.nlp.minilm`), not shipped; onnxruntime and numpy run it, without torch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from rashomon.errors import ModelNotFoundError
from rashomon.nlp.minilm import embeddings, model_dir
from rashomon.nlp.wordpiece import Tokenizer

MAX_PIECES = 256  # per window, [CLS] and [SEP]s included
MAX_WORD_PIECES = 16  # a longer word (a URL, a run of symbols) keeps its first pieces
GRAPH = "tagger.onnx"


@dataclass(frozen=True, slots=True)
class Window:
    """One input of the tagger: word-piece ids, the words they spell, and where each word's first piece is."""

    ids: tuple[int, ...]
    words: tuple[int, ...]  # indexes of the words read, in order
    first: tuple[int, ...]  # per word of `words`: the position of its first piece in `ids`, or -1 (no piece)


@cache
def tokenizer() -> Tokenizer:
    return Tokenizer(model_dir() / "vocab.txt")


def windows(
    forms: Sequence[str], paragraphs: Sequence[int], tok: Tokenizer, max_pieces: int = MAX_PIECES
) -> list[Window]:
    """The windows of one article: its words' texts (``forms``) and each word's paragraph number in, the
    tagger's inputs out. Every word is in exactly one window."""
    if len(forms) != len(paragraphs):
        raise ValueError(f"{len(forms)} words but {len(paragraphs)} paragraph numbers")
    budget = max_pieces - 2  # [CLS] and the [SEP] after the first chunk
    pieces = [tok.split(form)[0][:MAX_WORD_PIECES] for form in forms]
    # Chunks: runs of words of one paragraph that fit in a window.
    chunks: list[list[int]] = []
    size = 0
    for i, ps in enumerate(pieces):
        if not chunks or paragraphs[i] != paragraphs[chunks[-1][-1]] or size + len(ps) > budget:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        size += len(ps)
    # Windows: consecutive chunks, [SEP] after each, as many as fit.
    out: list[Window] = []
    ids: list[int] = []
    words: list[int] = []
    first: list[int] = []

    def close() -> None:
        if words:
            out.append(Window(tuple(ids), tuple(words), tuple(first)))

    for chunk in chunks:
        length = sum(len(pieces[i]) for i in chunk) + 1
        if words and len(ids) + length > max_pieces:
            close()
            ids, words, first = [], [], []
        if not ids:
            ids.append(tok.cls)
        for i in chunk:
            words.append(i)
            first.append(len(ids) if pieces[i] else -1)
            ids.extend(pieces[i])
        ids.append(tok.sep)
    close()
    return out


# Tag columns: O, then a begin and an inside tag per role (`rashomon.nlp.attribution.TAGS`).
_BEGIN, _INSIDE = slice(1, None, 2), slice(2, None, 2)


def word_probabilities(n_words: int, items: Sequence[tuple[Window, np.ndarray]], tags: int) -> np.ndarray:
    """Per-word tag probabilities from each window's per-piece probabilities, read at each word's first piece.

    A word without a piece (a no-break space the English tokenizer kept as a word) continues the word before it:
    its begin tags count as inside tags, so "PolitiFact\xa0says" never makes the space a source of its own. At an
    article's start it is O."""
    out = np.zeros((n_words, tags), dtype=np.float32)
    out[:, 0] = 1.0
    for window, probs in items:
        for word, at in zip(window.words, window.first, strict=True):
            if at >= 0:
                out[word] = probs[at]
            elif word > 0:
                out[word] = out[word - 1]
                out[word, _INSIDE] += out[word, _BEGIN]
                out[word, _BEGIN] = 0.0
    return out


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    np.exp(z, out=z)
    out: np.ndarray = z / z.sum(axis=-1, keepdims=True)
    return out


class EncoderTagger:
    """The shipped graph and the frozen embeddings it reads.

    Each window runs alone (never padded into a batch): the int8 graph quantises its activations with one scale
    per tensor, so in a batch one window's result would depend on the others. ``threads`` windows run at once,
    each on one thread of onnxruntime (default: one per CPU).
    """

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        graph = folder / GRAPH
        if not graph.is_file():
            raise ModelNotFoundError(f"{graph}: the attribution tagger is missing (train it: make train-attribution)")
        try:
            import onnxruntime as ort
        except ImportError:
            raise ModelNotFoundError("onnxruntime is not installed: run `pip install onnxruntime`") from None
        self.embeddings = embeddings()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.tags = int(self.session.get_outputs()[0].shape[-1])
        self.threads = max(1, threads or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None

    def piece_probabilities(self, window: Window) -> np.ndarray:
        ids = np.asarray(window.ids, dtype=np.int64)[None]
        feed = {"embeds": self.embeddings[ids], "mask": np.ones_like(ids)}
        (logits,) = self.session.run(None, feed)
        return softmax(np.asarray(logits[0], dtype=np.float32))

    def probabilities(self, forms: Sequence[str], paragraphs: Sequence[int]) -> np.ndarray:
        """Tag probabilities (rows: words; columns: `rashomon.nlp.attribution.TAGS`) of one article's words."""
        inputs = windows(forms, paragraphs, tokenizer())
        if self.threads > 1 and len(inputs) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="attribution")
            probs = list(self._pool.map(self.piece_probabilities, inputs))
        else:
            probs = [self.piece_probabilities(w) for w in inputs]
        return word_probabilities(len(forms), list(zip(inputs, probs, strict=True)), self.tags)
