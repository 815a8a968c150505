"""Nearest neighbours: exact search, and the persisted HNSW index beside the database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.corpus import vectors as vectors_module
from rashomon.corpus.vectors import VectorIndex, exact_nearest, index_path, nearest


def unit_rows(n: int, seed: int = 0, dims: int = 384) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dims)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


IDS = [f"{n:016x}" for n in range(1000, 1300)]


def test_exact_nearest_finds_the_true_neighbours_best_first() -> None:
    matrix = unit_rows(300)
    rows, sims = exact_nearest(matrix[:5], matrix, 4)
    full = matrix[:5] @ matrix.T
    for q in range(5):
        assert rows[q, 0] == q  # itself
        assert list(rows[q]) == list(np.argsort(-full[q], kind="stable")[:4])
        assert np.all(np.diff(sims[q]) <= 0)


@pytest.mark.parametrize("k", [0, 1, 5, 300, 1000])
def test_exact_nearest_any_k(k: int) -> None:
    matrix = unit_rows(300)
    rows, _ = exact_nearest(matrix[:3], matrix, k)
    assert rows.shape == (3, min(k, 300))


def test_nearest_leaves_the_query_out_and_breaks_ties_by_id() -> None:
    matrix = unit_rows(3)
    matrix[2] = matrix[1]  # two identical vectors
    found = nearest([IDS[0]], IDS[:3], matrix, 2)
    assert [a for a, _ in found[IDS[0]]] == [IDS[1], IDS[2]]
    assert nearest(["unknown"], IDS[:3], matrix, 2) == {}


def test_index_search_finds_the_exact_neighbours(tmp_path: Path) -> None:
    matrix = unit_rows(300)
    index = VectorIndex("v1", tmp_path / "x.vectors.usearch")
    index.add(IDS, matrix)
    assert len(index) == 300 and IDS[7] in index and "ffffffffffffffff" not in index and 7 not in index
    found = index.search(matrix[:3], 5)
    rows, sims = exact_nearest(matrix[:3], matrix, 5)
    for q in range(3):
        assert [a for a, _ in found[q]] == [IDS[int(r)] for r in rows[q]]
        assert np.allclose([s for _, s in found[q]], sims[q], atol=2e-3)  # half-precision storage
    assert index.search(matrix[:1], 0) == [[]]


def test_index_is_persisted_and_reopened_only_for_its_version(tmp_path: Path) -> None:
    path = tmp_path / "c.db.vectors.usearch"
    index = VectorIndex("v1", path)
    index.add(IDS[:10], unit_rows(10))
    index.add(IDS[:10], unit_rows(10, seed=1))  # already there: not added twice
    index.save()
    assert len(VectorIndex.open("v1", path)) == 10
    assert len(VectorIndex.open("v2", path)) == 0  # another encoder: rebuilt by the caller
    path.write_bytes(b"not an index")
    assert len(VectorIndex.open("v1", path)) == 0  # unreadable: rebuilt
    assert len(VectorIndex.open("v1", tmp_path / "missing.usearch")) == 0


def test_nearest_goes_through_the_index_beyond_the_exact_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = unit_rows(300)
    index = VectorIndex("v1")
    index.add(IDS, matrix)
    monkeypatch.setattr(vectors_module, "EXACT_LIMIT", 10)
    through_index = nearest(IDS[:3], IDS, matrix, 5, index)
    monkeypatch.setattr(vectors_module, "EXACT_LIMIT", 10_000)
    exact = nearest(IDS[:3], IDS, matrix, 5, index)
    assert {q: [a for a, _ in v] for q, v in through_index.items()} == {q: [a for a, _ in v] for q, v in exact.items()}


@pytest.mark.parametrize(
    ("db", "expected"),
    [("rashomon.db", "rashomon.db.vectors.usearch"), (":memory:", None), ("file::memory:?cache=shared", None)],
)
def test_index_path(db: str, expected: str | None) -> None:
    found = index_path(db)
    assert (str(found) if found else None) == expected


def test_onnxruntime_imports_after_the_index_is_built() -> None:
    # Regression: importing onnxruntime after usearch's compiled module crashed the whole process (segfault), which
    # killed the test run whenever a stories test ran before the first stance test. Run in a fresh interpreter.
    code = (
        "from rashomon.corpus.vectors import VectorIndex\nVectorIndex('v1')\nimport onnxruntime\nprint('both loaded')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "both loaded"
