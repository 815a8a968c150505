"""Disjoint sets over the integers 0..n-1 (union-find): which items end up linked, whatever the order of links.

Shared by everything that groups items by pairwise links: quotes across articles, coreference scoring, and
(later) stories.
"""

from __future__ import annotations

from collections import defaultdict


class DisjointSets:
    """Union-find with path halving; `union` keeps the smaller root, so a group's root is its first item."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self._parent[max(a, b)] = min(a, b)

    def groups(self) -> list[list[int]]:
        """The items of each set, in increasing order, sets ordered by their first item."""
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self._parent)):
            members[self.find(i)].append(i)
        return [members[root] for root in sorted(members)]
