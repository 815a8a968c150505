"""Edits of a JSON document by path, shared by the tests that break an export to check the schema refuses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Change = Callable[[dict[str, Any]], None]


def _parent(data: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    return target


def delete(*path: str | int) -> Change:
    """A change removing the field or item at ``path``."""

    def change(data: dict[str, Any]) -> None:
        del _parent(data, path)[path[-1]]

    return change


def put(value: Any, *path: str | int) -> Change:
    """A change setting the field or item at ``path`` to ``value``."""

    def change(data: dict[str, Any]) -> None:
        _parent(data, path)[path[-1]] = value

    return change
