"""Stance: whether a sentence casts a given target (a mention of an actor) negatively, neutrally or positively.

The model (trained on NewsMTSC by `training/train_stance.py`, shipped in `rashomon/models/stance/`) is the
bundled all-MiniLM-L6-v2 encoder fine-tuned for target-dependent sentiment. The sentence is split into MiniLM's
word pieces; when the model's config says ``pair``, the target's words come first as a sentence pair
(``[CLS] target [SEP] sentence [SEP]``, at most `PAIR_PIECES` pieces of the target); the mention's pieces in the
sentence are marked (segment id 1); and a linear layer reads the [CLS] state and the mean state of the mention's
pieces. Encoder and head are shipped as an int8 ONNX graph (`stance.onnx`) run with onnxruntime; the word-piece
embedding matrix is not shipped but read from the bundled MiniLM package (`rashomon.nlp.minilm`), since training
left it frozen. No torch at run time.

`score_targets(sentence, targets)` scores every target of one sentence in one batch; `score_sentences` batches
many sentences. Both are pure: the same input gives the same `Stance` records.

The `stance` pipeline stage (`stance_stage`, `find_stances`) scores every mention of every actor of an article
(people, organisations, places: `STANCE_TYPES`; names, pronouns and descriptions alike) in its sentence, all of
the article's targets in one call, and records each as a `rashomon.model.TargetStance` with the quote (if any)
whose words hold the mention. The model reads English: articles identified as another language get none.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Protocol, TypeAlias

import numpy as np

from rashomon.errors import ModelNotFoundError
from rashomon.model import Document, EntityType, Quote, Span, TargetStance
from rashomon.nlp.minilm import embeddings, model_dir
from rashomon.nlp.pipeline import register
from rashomon.nlp.wordpiece import Tokenizer
from rashomon.settings import Settings

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "stance"
LABELS = ("negative", "neutral", "positive")
MAX_PIECES = 128  # word pieces per input, [CLS] and [SEP] included; longer sentences are windowed on the target
PAIR_PIECES = 16  # at most this many of the target's pieces before the sentence, when the model reads pairs


class SpanLike(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


Target: TypeAlias = "SpanLike | tuple[int, int]"


@dataclass(frozen=True, slots=True)
class Stance:
    """The model's reading of a sentence toward one target: class probabilities, label and a score in [-1, 1]."""

    negative: float
    neutral: float
    positive: float

    @property
    def label(self) -> str:
        probs = (self.negative, self.neutral, self.positive)
        return LABELS[probs.index(max(probs))]

    @property
    def score(self) -> float:
        """P(positive) - P(negative): -1 clearly negative, 0 neutral or undecided, 1 clearly positive."""
        return self.positive - self.negative


@dataclass(frozen=True, slots=True)
class Encoded:
    """One model input: word-piece ids and the target's pieces (1.0) within them."""

    ids: tuple[int, ...]
    target: tuple[float, ...]


def _bounds(target: Target) -> tuple[int, int]:
    if isinstance(target, tuple):
        return int(target[0]), int(target[1])
    return target.start, target.end


class TargetTokenizer(Tokenizer):
    """The word-piece tokenizer, making one model input per target of a sentence."""

    def encode(
        self, text: str, targets: Sequence[Target], markers: tuple[int, int] | None = None, pair: bool = False
    ) -> list[Encoded]:
        """One input per target: [CLS] pieces [SEP], cut to `MAX_PIECES` around the target if need be; with
        ``markers``, those two ids are put before and after the target's pieces (and count as the target's); with
        ``pair``, the target's own pieces (at most `PAIR_PIECES`) and [SEP] come first: [CLS] target [SEP]
        sentence [SEP], as in BERT-SPC (only the target's pieces within the sentence are marked)."""
        ids, spans = self.split(text)
        out = []
        for target in targets:
            start, end = _bounds(target)
            if not 0 <= start < end <= len(text):
                raise ValueError(f"target [{start}, {end}) is not a span of a sentence of {len(text)} characters")
            inside = [i for i, (s, e) in enumerate(spans) if s < end and start < e]
            prefix = [*ids[inside[0] : inside[-1] + 1][:PAIR_PIECES], self.sep] if pair and inside else []
            room = MAX_PIECES - 2 - (2 if markers else 0) - len(prefix)
            lo, hi = 0, len(ids)
            if len(ids) > room:
                centre = (inside[0] + inside[-1]) // 2 if inside else 0
                lo = max(0, min(centre - room // 2, len(ids) - room))
                hi = lo + room
            first = inside[0] if inside else hi
            last = inside[-1] + 1 if inside else hi
            if markers:
                first, last = max(first, lo), min(last, hi)
                pieces = [*ids[lo:first], markers[0], *ids[first:last], markers[1], *ids[last:hi]]
                marked = [first - lo, first - lo + last - first + 2]
            else:
                pieces = ids[lo:hi]
                marked = [max(first, lo) - lo, min(last, hi) - lo]
            target_row = [0.0] * len(pieces)
            for i in range(marked[0], marked[1]):
                target_row[i] = 1.0
            out.append(
                Encoded(
                    ids=(self.cls, *prefix, *pieces, self.sep), target=(0.0, *[0.0] * len(prefix), *target_row, 0.0)
                )
            )
        return out


def hide_target(encoded: Encoded, piece: int) -> Encoded:
    """``encoded`` with the target's pieces in the sentence replaced by the one ``piece`` (still marked), so a
    model trained so (config ``hide``) reads what the sentence says of the target, not who the target is."""
    marked = [i for i, t in enumerate(encoded.target) if t]
    if not marked:
        return encoded
    first, last = marked[0], marked[-1] + 1
    return Encoded(
        (*encoded.ids[:first], piece, *encoded.ids[last:]), (*encoded.target[:first], 1.0, *encoded.target[last:])
    )


def pad(batch: Sequence[Encoded]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids, attention mask and target indicator of a batch, padded to its longest input."""
    width = max(len(e.ids) for e in batch)
    ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros((len(batch), width), dtype=np.int64)
    target = np.zeros((len(batch), width), dtype=np.float32)
    for row, e in enumerate(batch):
        ids[row, : len(e.ids)] = e.ids
        mask[row, : len(e.ids)] = 1
        target[row, : len(e.ids)] = e.target
    return ids, mask, target


@cache
def tokenizer() -> TargetTokenizer:
    return TargetTokenizer(model_dir() / "vocab.txt")


class StanceModel:
    """The shipped graph, the frozen word-piece embeddings it reads, and the tokenizer.

    ``threads``: how many inputs run at once, each on one thread of onnxruntime (default: one per CPU). Inputs
    are small, so running several side by side uses the cores better than splitting each one's matrix products.
    """

    def __init__(self, folder: Path = MODEL_DIR, threads: int | None = None) -> None:
        graph = folder / "stance.onnx"
        if not graph.is_file():
            raise ModelNotFoundError(f"{graph}: the stance model is missing; train it with `make train-stance`")
        try:
            import onnxruntime as ort
        except ImportError:
            raise ModelNotFoundError("onnxruntime is not installed: run `pip install onnxruntime`") from None
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.mark = bool(self.config["mark_target"])
        self.embeddings = embeddings()
        self.markers: tuple[int, int] | None = None
        if self.config.get("markers"):  # two learned rows after the vocabulary: the target's markers
            rows = len(self.embeddings)
            self.embeddings = np.vstack([self.embeddings, np.load(folder / "markers.npy")])
            self.markers = (rows, rows + 1)
        self.pair = bool(self.config.get("pair", False))  # [CLS] target [SEP] sentence [SEP]
        self.tokenizer = tokenizer()
        self.hide = self.tokenizer.pieces.ids["[MASK]"] if self.config.get("hide") else None
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.threads = max(1, threads or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None

    def logits(self, encoded: Encoded) -> np.ndarray:
        ids, mask, target = pad([encoded])
        feed = {
            "embeds": self.embeddings[ids],
            "mask": mask,
            "types": target.astype(np.int64) if self.mark else np.zeros_like(ids),
            "target": target,
        }
        (out,) = self.session.run(None, feed)
        return np.asarray(out[0], dtype=np.float32)

    def probabilities(self, inputs: Sequence[Encoded]) -> np.ndarray:
        """Class probabilities (rows: inputs; columns: `LABELS`).

        Each input runs alone (never padded into a batch): the int8 graph quantises its activations with one
        scale per tensor, so in a batch one input's result would depend on the others.
        """
        if self.threads > 1 and len(inputs) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="stance")
            rows = list(self._pool.map(self.logits, inputs))
        else:
            rows = [self.logits(e) for e in inputs]
        out = np.array(rows, dtype=np.float32).reshape(len(inputs), len(LABELS))
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def score(self, items: Iterable[tuple[str, Sequence[Target]]]) -> list[list[Stance]]:
        inputs: list[Encoded] = []
        counts: list[int] = []
        for sentence, targets in items:
            encoded = self.tokenizer.encode(sentence, targets, self.markers, self.pair)
            if self.hide is not None:
                encoded = [hide_target(e, self.hide) for e in encoded]
            inputs.extend(encoded)
            counts.append(len(encoded))
        probs = self.probabilities(inputs).astype(float).round(6) if inputs else np.zeros((0, 3))
        stances = [Stance(float(n), float(u), float(p)) for n, u, p in probs]
        out, at = [], 0
        for n in counts:
            out.append(stances[at : at + n])
            at += n
        return out


@cache
def model() -> StanceModel:
    """The shipped model, loaded once per process."""
    return StanceModel()


def score_sentences(items: Iterable[tuple[str, Sequence[Target]]]) -> list[list[Stance]]:
    """The stance toward each target of each sentence: ``[(sentence, [(start, end), ...]), ...]`` in, one list of
    `Stance` per sentence out (in the targets' order). Offsets are characters of the sentence."""
    return model().score(items)


def score_targets(sentence: str, targets: Sequence[Target]) -> list[Stance]:
    """The stance of ``sentence`` toward each target (a `Span` or ``(start, end)`` character offsets)."""
    return score_sentences([(sentence, targets)])[0]


# --- the pipeline stage ---------------------------------------------------------------------------------------

# The actors whose mentions are scored: people, organisations and places (countries, cities). MISC names
# (laws, events, nationalities) are not actors one can be for or against in the NewsMTSC sense.
STANCE_TYPES = frozenset({EntityType.PERSON, EntityType.ORGANIZATION, EntityType.LOCATION})


def model_digest(folder: Path = MODEL_DIR) -> str:
    """A short hash of the shipped model's files: part of the stage's version, so new weights re-analyse stored
    articles (the store keys analyses by pipeline version) instead of mixing two models' stances."""
    digest = hashlib.sha256()
    for name in ("config.json", "stance.onnx", "markers.npy"):
        path = folder / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"missing")
    return digest.hexdigest()[:8]


def _sentence_of(sentences: Sequence[Span], starts: Sequence[int], mention: Span, text_length: int) -> Span:
    """The sentence holding ``mention``: the sentences it overlaps, joined; the whole text without sentences."""
    if not sentences:
        return Span(0, text_length)
    first = max(0, bisect.bisect_right(starts, mention.start) - 1)
    last = first
    while last + 1 < len(sentences) and sentences[last + 1].start < mention.end:
        last += 1
    span = Span(min(sentences[first].start, mention.start), max(sentences[last].end, mention.end))
    return span


def _quote_at(quotes: Sequence[Quote], mention: Span) -> int | None:
    """The index of the first quote one of whose parts holds ``mention``, None if it stands in no quote."""
    for index, quote in enumerate(quotes):
        if any(part.contains(mention) for part in quote.parts):
            return index
    return None


class Scorer(Protocol):
    """What `find_stances` needs of a model: `StanceModel.score`."""

    def score(self, items: Iterable[tuple[str, Sequence[Target]]]) -> list[list[Stance]]: ...


def find_stances(doc: Document, scorer: Scorer | None = None) -> tuple[TargetStance, ...]:
    """The stance toward every mention of every actor of ``doc`` (`STANCE_TYPES`), in text order.

    All the article's targets go to the model in one call (``scorer``, default the shipped model): each
    sentence once, with every mention it holds. A mention that two entities share is scored once.
    """
    mentions = sorted({m.span for e in doc.entities if e.type in STANCE_TYPES for m in e.mentions})
    mentions = [m for m in mentions if m.end > m.start and doc.text[m.start : m.end].strip()]
    if not mentions:
        return ()
    starts = [s.start for s in doc.sentences]
    by_sentence: dict[Span, list[Span]] = {}
    for mention in mentions:
        by_sentence.setdefault(_sentence_of(doc.sentences, starts, mention, len(doc.text)), []).append(mention)
    items = [
        (sentence.of(doc.text), [(m.start - sentence.start, m.end - sentence.start) for m in inside])
        for sentence, inside in by_sentence.items()
    ]
    scored = (scorer or model()).score(items)
    out = [
        TargetStance(m, sentence, st.negative, st.neutral, st.positive, _quote_at(doc.quotes, m))
        for (sentence, inside), stances in zip(by_sentence.items(), scored, strict=True)
        for m, st in zip(inside, stances, strict=True)
    ]
    out.sort(key=lambda t: t.mention)
    return tuple(out)


@register(
    "stance",
    requires=["sentences", "entities", "quotes"],
    assigns=["stances"],
    version=f"1+{model_digest()}",
)
def stance_stage(doc: Document, settings: Settings) -> Document:
    """Score how each sentence casts each actor mention in it (stance model, NewsMTSC), quoted voices marked."""
    if doc.language is not None and doc.language != "en":
        return replace(doc, stances=())
    return replace(doc, stances=find_stances(doc))
