"""Nearest neighbours among article vectors: exact for small corpora, an ANN index (usearch HNSW) for large ones.

`nearest` answers "which stored articles are most like these vectors": exactly, by blocked matrix products, when
the corpus holds at most `EXACT_LIMIT` vectors (deterministic, and fast enough: about 50 ms for 20,000 vectors);
with the HNSW graph of a `VectorIndex` beyond that (approximate: a true neighbour is occasionally missed, which
costs a candidate, not a wrong assignment, since candidates are scored exactly).

`VectorIndex` keeps one vector per article, keyed by the article id read as a 64-bit integer (article ids are 16
hex digits), in cosine metric with half-precision storage (768 bytes per article). It is persisted beside the
database (`index_path`: ``rashomon.db`` → ``rashomon.db.vectors.usearch``, with a ``.json`` sidecar naming the
encoder version and the count), so a new article is placed without rebuilding the graph. A missing, unreadable or
stale index (another encoder version, or fewer vectors than the store) is rebuilt from the stored vectors.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rashomon.nlp.minilm import DIMS

EXACT_LIMIT = 20_000
_BLOCK = 2048
# HNSW parameters: graph degree, and candidate-list sizes when adding and searching. Larger is more exact, slower.
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 64

Matrix = npt.NDArray[np.float32]


def index_path(db_path: str | Path) -> Path | None:
    """Where the vector index of a database lives; None for an in-memory database."""
    text = str(db_path)
    if text == ":memory:" or text.startswith("file::memory:"):
        return None
    return Path(text + ".vectors.usearch")


def exact_nearest(queries: Matrix, vectors: Matrix, k: int) -> tuple[npt.NDArray[np.int64], Matrix]:
    """For each query row, the ``k`` rows of ``vectors`` with the highest dot product, best first (ties: lower row
    first), as (row indices, similarities); fewer when ``vectors`` has fewer rows."""
    k = min(k, len(vectors))
    rows = np.zeros((len(queries), k), dtype=np.int64)
    sims = np.zeros((len(queries), k), dtype=np.float32)
    if k == 0:
        return rows, sims
    for start in range(0, len(queries), _BLOCK):
        block = queries[start : start + _BLOCK] @ vectors.T
        top = (
            np.argpartition(-block, k - 1, axis=1)[:, :k]
            if k < block.shape[1]
            else np.tile(np.arange(block.shape[1]), (len(block), 1))
        )
        scores = np.take_along_axis(block, top, axis=1)
        order = np.lexsort((top, -scores), axis=1)
        rows[start : start + len(block)] = np.take_along_axis(top, order, axis=1)
        sims[start : start + len(block)] = np.take_along_axis(scores, order, axis=1)
    return rows, sims


def _key(article_id: str) -> int:
    return int(article_id, 16)


def _article_id(key: int) -> str:
    return f"{key:016x}"


def _usearch_index() -> type[Any]:
    """usearch's `Index` class, with onnxruntime (the stance model's runtime) loaded first when it is installed.

    Loaded after usearch's compiled module, onnxruntime's own crashes the process with a segmentation fault
    (usearch 2.26.6, onnxruntime 1.32.0, Linux x86-64); loaded before it, both work. `rashomon analyze` needs both.
    """
    with contextlib.suppress(ImportError):
        import onnxruntime  # noqa: F401
    from usearch.index import Index

    return Index


class VectorIndex:
    """An HNSW index of article vectors (usearch), optionally persisted at ``path``."""

    def __init__(self, version: str, path: Path | None = None, dims: int = DIMS) -> None:
        Index = _usearch_index()

        self.version = version
        self.path = path
        self.dims = dims
        self._index = Index(
            ndim=dims,
            metric="cos",
            dtype="f16",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )

    @classmethod
    def open(cls, version: str, path: Path | None, dims: int = DIMS) -> VectorIndex:
        """The index persisted at ``path`` if it exists and was built for ``version``, else an empty one."""
        index = cls(version, path, dims)
        if path is None or not path.is_file():
            return index
        try:
            meta = json.loads(path.with_suffix(path.suffix + ".json").read_text(encoding="utf-8"))
            if meta.get("version") != version or meta.get("dims") != dims:
                return index
            index._index.load(str(path))
        except (OSError, ValueError, RuntimeError):
            return cls(version, path, dims)  # unreadable: rebuilt by the caller from the stored vectors
        return index

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and bool(self._index.contains(_key(article_id)))

    def add(self, article_ids: Sequence[str], vectors: Matrix) -> None:
        """Add vectors for articles not yet in the index (one thread: insertion order fixes the graph)."""
        new = [(i, a) for i, a in enumerate(article_ids) if a not in self]
        if not new:
            return
        keys = np.array([_key(a) for _, a in new], dtype=np.uint64)
        self._index.add(keys, np.ascontiguousarray(vectors[[i for i, _ in new]], dtype=np.float32), threads=1)

    def search(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        """For each query, up to ``k`` (article id, cosine similarity) pairs, most similar first."""
        if len(self) == 0 or k <= 0:
            return [[] for _ in range(len(queries))]
        found = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(self)), threads=1)
        keys = np.atleast_2d(found.keys)
        distances = np.atleast_2d(found.distances)
        # One query gives a `Matches` (no counts: its keys are all found), several a `BatchMatches`.
        counts = np.atleast_1d(np.asarray(getattr(found, "counts", keys.shape[1])))
        return [
            [(_article_id(int(keys[q, r])), float(1.0 - distances[q, r])) for r in range(int(counts[q]))]
            for q in range(len(queries))
        ]

    def save(self) -> None:
        """Write the index and its sidecar to ``path`` (nothing for an in-memory index)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._index.save(str(self.path))
        meta = {"version": self.version, "dims": self.dims, "count": len(self)}
        self.path.with_suffix(self.path.suffix + ".json").write_text(json.dumps(meta), encoding="utf-8")


def nearest(
    queries: Sequence[str],
    ids: Sequence[str],
    vectors: Matrix,
    k: int,
    index: VectorIndex | None = None,
) -> dict[str, list[tuple[str, float]]]:
    """For each query article (an id of ``ids``), its ``k`` nearest other articles among ``ids`` with their cosine
    similarity, most similar first (ties by id). Exact up to `EXACT_LIMIT` vectors or without an index; else
    through ``index``, which must hold every vector of ``ids``."""
    row = {a: i for i, a in enumerate(ids)}
    asked = [q for q in queries if q in row]
    if not asked:
        return {}
    matrix = vectors[[row[q] for q in asked]]
    result: dict[str, list[tuple[str, float]]] = {}
    if index is None or len(ids) <= EXACT_LIMIT:
        rows, sims = exact_nearest(matrix, vectors, k + 1)
        for q, found, scores in zip(asked, rows, sims, strict=True):
            pairs = [(ids[int(r)], float(s)) for r, s in zip(found, scores, strict=True) if ids[int(r)] != q]
            result[q] = _ordered(pairs)[:k]
        return result
    known = set(ids)
    for q, found in zip(asked, index.search(matrix, k + 1), strict=True):
        result[q] = _ordered([(a, s) for a, s in found if a != q and a in known])[:k]
    return result


def _ordered(pairs: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    return sorted(pairs, key=lambda p: (-p[1], p[0]))
