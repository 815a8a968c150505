"""Disjoint sets: groups depend on the links made, never on their order."""

from __future__ import annotations

import itertools

import pytest

from rashomon.disjoint import DisjointSets


@pytest.mark.parametrize(
    ("n", "links", "expected"),
    [
        (0, [], []),
        (3, [], [[0], [1], [2]]),  # no links: every item alone
        (4, [(0, 1), (2, 3)], [[0, 1], [2, 3]]),
        (5, [(4, 2), (2, 0), (3, 3)], [[0, 2, 4], [1], [3]]),  # chains join; a self-link changes nothing
        (4, [(0, 1), (1, 0), (0, 1)], [[0, 1], [2], [3]]),  # repeated links change nothing
    ],
)
def test_groups(n: int, links: list[tuple[int, int]], expected: list[list[int]]) -> None:
    for order in itertools.permutations(links):
        sets = DisjointSets(n)
        for i, j in order:
            sets.union(i, j)
        assert sets.groups() == expected
        assert all(sets.find(i) == group[0] for group in expected for i in group)  # a group's root: its first item
