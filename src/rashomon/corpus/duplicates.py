"""Near-duplicates: syndicated and lightly edited copies of one text, grouped so that a wire story carried by twenty
outlets counts as one text with twenty carriers.

Each article becomes the set of its word shingles (`SHINGLE` consecutive words, lower-cased, accents folded,
punctuation ignored), each hashed to 32 bits. A MinHash signature (`PERMUTATIONS` hash functions (a·x + b) mod p,
p the largest 32-bit prime, with fixed seeds) estimates how much two sets overlap; locality-sensitive hashing
over `BANDS` bands of `ROWS` rows makes articles whose signatures agree on a whole band candidates, so only those
are compared, and the comparison is exact on the shingle sets. Two articles are copies when

- their Jaccard similarity (shared shingles / all shingles) is at least `JACCARD` (a copy with a new headline,
  a changed paragraph or a few reworded sentences), or
- the shorter one's shingles are at least `CONTAINMENT` inside the longer one (a copy cut short, or a longer
  version of a wire story); the shorter must hold at least `MIN_SHINGLES` shingles.

Copies form groups (a copy of a copy is in the group). Each group names its original: the earliest article
(by date, undated last), then the longest, then the smallest id. Deterministic: the same articles give the
same groups whatever their order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rashomon.disjoint import DisjointSets
from rashomon.names import fold

SHINGLE = 5
PERMUTATIONS = 126
BANDS = 42
ROWS = 3
JACCARD = 0.5
CONTAINMENT = 0.8
MIN_SHINGLES = 20  # shorter texts (a headline, a caption) are never called copies of anything
DUPLICATES_VERSION = 1

_PRIME = 4_294_967_291  # the largest prime below 2^32
_WORD = re.compile(r"\w+")
_RANDOM = np.random.default_rng(20241122)
_A = _RANDOM.integers(1, _PRIME, size=PERMUTATIONS, dtype=np.uint64)
_B = _RANDOM.integers(0, _PRIME, size=PERMUTATIONS, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Articles that carry one text: the original, and each copy with its similarity to the original."""

    id: str  # the hash of the original's article id
    original: str
    copies: tuple[tuple[str, float], ...]  # (article id, Jaccard similarity with the original), by article id

    @property
    def article_ids(self) -> tuple[str, ...]:
        return (self.original, *(a for a, _ in self.copies))


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """The 32-bit hashes of the text's word ``size``-grams (folded words; a shorter text is one shingle)."""
    words = _WORD.findall(fold(text))
    if not words:
        return frozenset()
    grams = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))]
    return frozenset(int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "little") for g in grams)


def signature(shingle_set: frozenset[int]) -> npt.NDArray[np.uint64]:
    """The MinHash signature of a shingle set (all-max for an empty set)."""
    if not shingle_set:
        return np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    x = np.fromiter(sorted(shingle_set), dtype=np.uint64, count=len(shingle_set))
    # a, x < 2^32 and b < 2^32: a·x + b < 2^64, so the arithmetic is exact in uint64.
    values = (_A[:, None] * x[None, :] + _B[:, None]) % np.uint64(_PRIME)
    out: npt.NDArray[np.uint64] = values.min(axis=1)
    return out


@dataclass(frozen=True, slots=True)
class Text:
    """What duplicate finding needs of an article."""

    id: str
    text: str
    date: dt.date | None = None


def find_duplicates(texts: Sequence[Text]) -> tuple[DuplicateGroup, ...]:
    """The groups of copies among ``texts`` (articles without a copy are in no group), ordered by original id."""
    unique = {t.id: t for t in texts}
    ordered = [unique[k] for k in sorted(unique)]
    sets = [shingles(t.text) for t in ordered]
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        if len(s) < MIN_SHINGLES:
            continue
        sig = signature(s)
        for band in range(BANDS):
            buckets[(band, sig[band * ROWS : (band + 1) * ROWS].tobytes())].append(i)
    candidates: set[tuple[int, int]] = set()
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                candidates.add((i, j))
    groups = DisjointSets(len(ordered))
    for i, j in sorted(candidates):
        if is_copy(sets[i], sets[j]):
            groups.union(i, j)
    result = []
    for members in groups.groups():
        if len(members) < 2:
            continue
        docs = [ordered[i] for i in members]
        by_id = {d.id: i for d, i in zip(docs, members, strict=True)}
        original = min(docs, key=lambda d: (d.date is None, d.date or dt.date.min, -len(d.text), d.id))
        copies = tuple(
            (d.id, round(jaccard(sets[by_id[original.id]], sets[by_id[d.id]]), 4))
            for d in sorted(docs, key=lambda d: d.id)
            if d.id != original.id
        )
        group_id = hashlib.sha256(f"copies:{original.id}".encode()).hexdigest()[:16]
        result.append(DuplicateGroup(group_id, original.id, copies))
    return tuple(sorted(result, key=lambda g: g.original))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def is_copy(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two shingle sets are copies of one text (the module doc's two rules)."""
    small = min(len(a), len(b))
    if small < MIN_SHINGLES:
        return False
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) >= JACCARD or shared / small >= CONTAINMENT
