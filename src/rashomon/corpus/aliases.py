"""A user's alias file: names to force into one actor, and names never to merge (docs/aliases.md).

The file is TOML. Each ``[[actor]]`` lists names that are one actor whatever the automatic linking finds; each
``[[distinct]]`` lists names that are never one actor. Names are compared as entity ids are
(`rashomon.names.entity_key`: case, accents and honorifics do not matter, so "Mr Maduro" is "Maduro"). This
module only reads and checks the file into frozen records; `rashomon.corpus.actors.link_actors` applies them.
"""

from __future__ import annotations

import hashlib
import itertools
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rashomon.errors import AliasError
from rashomon.model import EntityType
from rashomon.names import entity_key


@dataclass(frozen=True, slots=True)
class ForcedActor:
    """One ``[[actor]]``: names that are one actor, shown as ``name`` and identified by its key."""

    name: str
    aliases: tuple[str, ...] = ()
    type: EntityType | None = None  # only entities of this type are forced; None = every type

    @property
    def id(self) -> str:
        return entity_key(self.name)

    @property
    def keys(self) -> frozenset[str]:
        """The entity ids of every name of the actor, the display name's included."""
        return frozenset(entity_key(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True, slots=True)
class DistinctNames:
    """One ``[[distinct]]``: names of which no two are one actor."""

    names: tuple[str, ...]

    def pairs(self) -> Iterator[tuple[str, str]]:
        """Every pair of the names' keys, each pair sorted."""
        yield from itertools.combinations(sorted({entity_key(n) for n in self.names}), 2)


@dataclass(frozen=True, slots=True)
class Aliases:
    """The checked content of an alias file."""

    actors: tuple[ForcedActor, ...] = ()
    distinct: tuple[DistinctNames, ...] = ()
    source: str = "<aliases>"  # the file, for messages
    digest: str = ""  # a hash of the file's bytes: the stored corpus results are recomputed when it changes
    _forced: Mapping[tuple[str, EntityType | None], ForcedActor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {(key, actor.type): actor for actor in reversed(self.actors) for key in actor.keys}
        object.__setattr__(self, "_forced", MappingProxyType(index))

    def forced(self, entity_id: str, type_: EntityType) -> ForcedActor | None:
        """The actor the file forces an entity into, or None."""
        return self._forced.get((entity_id, type_)) or self._forced.get((entity_id, None))

    def distinct_pairs(self) -> tuple[tuple[str, str], ...]:
        """Every pair of keys the file keeps apart, each pair sorted, in sorted order."""
        return tuple(sorted({pair for group in self.distinct for pair in group.pairs()}))


def load_aliases(path: str | Path) -> Aliases:
    """Read and check an alias file. Raises `AliasError` naming the file (and the entry) when it is wrong."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AliasError(source, f"cannot be read: {exc.strerror or exc}") from None
    return parse_aliases(data, source)


def parse_aliases(data: bytes | str, source: str = "<aliases>") -> Aliases:
    """Parse and check the text of an alias file; ``source`` names it in error messages."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        table = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise AliasError(source, "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise AliasError(source, f"is not valid TOML: {exc}") from None
    for key in table:
        if key not in _SECTIONS:
            raise AliasError(source, f"unknown key {key!r} (expected [[actor]] or [[distinct]] entries)")
    actors = tuple(_actor(source, f"[[actor]] #{i}", entry) for i, entry in _entries(source, table, "actor"))
    distinct = tuple(_distinct(source, f"[[distinct]] #{i}", entry) for i, entry in _entries(source, table, "distinct"))
    _check_forced_once(source, actors)
    _check_not_both(source, actors, distinct)
    return Aliases(actors, distinct, source, hashlib.sha256(raw).hexdigest()[:16])


_SECTIONS = ("actor", "distinct")
_ACTOR_KEYS = ("name", "aliases", "type")
_TYPES = ", ".join(t.value for t in EntityType)


def _entries(source: str, table: dict[str, Any], section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    entries = table.get(section, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise AliasError(source, f"{section!r} must be a list of tables, each written [[{section}]]")
    yield from enumerate(entries, start=1)


def _unknown_keys(source: str, entry: str, table: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in table:
        if key not in known:
            raise AliasError(source, f"unknown key {key!r} (expected {', '.join(known)})", entry)


def _name(source: str, entry: str, value: object, what: str) -> str:
    if not isinstance(value, str):
        raise AliasError(source, f"{what} must be a string, not {_toml_type(value)}", entry)
    if not value.strip():
        raise AliasError(source, f"{what} is empty", entry)
    return value.strip()


def _names(source: str, entry: str, value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise AliasError(source, f"{what} must be a list of names, not {_toml_type(value)}", entry)
    return tuple(_name(source, entry, v, f"{what}[{i}]") for i, v in enumerate(value))


def _actor(source: str, entry: str, table: dict[str, Any]) -> ForcedActor:
    if isinstance(table.get("name"), str) and table["name"].strip():
        entry = f'{entry} "{table["name"].strip()}"'  # the entry by its name from here on
    _unknown_keys(source, entry, table, _ACTOR_KEYS)
    if "name" not in table:
        raise AliasError(source, "has no 'name' (the actor's display name)", entry)
    name = _name(source, entry, table["name"], "name")
    aliases = _names(source, entry, table.get("aliases", []), "aliases")
    type_ = None
    if "type" in table:
        value = table["type"]
        if not isinstance(value, str) or value.strip().upper() not in {t.value for t in EntityType}:
            raise AliasError(source, f"type must be one of {_TYPES}, not {value!r}", entry)
        type_ = EntityType(value.strip().upper())
    return ForcedActor(name, aliases, type_)


def _distinct(source: str, entry: str, table: dict[str, Any]) -> DistinctNames:
    _unknown_keys(source, entry, table, ("names",))
    if "names" not in table:
        raise AliasError(source, "has no 'names' (the names to keep apart)", entry)
    names = _names(source, entry, table["names"], "names")
    if len(names) < 2:
        raise AliasError(source, "names must list at least two names", entry)
    seen: dict[str, str] = {}
    for name in names:
        first = seen.setdefault(entity_key(name), name)
        if first is not name:
            raise AliasError(source, f'"{first}" and "{name}" are the same name, they cannot be kept apart', entry)
    return DistinctNames(names)


def _check_forced_once(source: str, actors: tuple[ForcedActor, ...]) -> None:
    """A name belongs to one forced actor per type; an actor without a type claims its names for every type."""
    claimed: dict[str, list[tuple[int, ForcedActor]]] = {}
    for i, actor in enumerate(actors, start=1):
        for name in (actor.name, *actor.aliases):
            for j, other in claimed.get(entity_key(name), []):
                if j != i and (actor.type is None or other.type is None or actor.type is other.type):
                    message = f'"{name}" is already a name of [[actor]] #{j} "{other.name}"'
                    raise AliasError(source, message, f'[[actor]] #{i} "{actor.name}"')
        for key in actor.keys:
            claimed.setdefault(key, []).append((i, actor))


def _check_not_both(source: str, actors: tuple[ForcedActor, ...], distinct: tuple[DistinctNames, ...]) -> None:
    """No two names are both forced into one actor and kept apart."""
    for i, group in enumerate(distinct, start=1):
        for a, b in itertools.combinations(group.names, 2):
            for j, actor in enumerate(actors, start=1):
                if entity_key(a) in actor.keys and entity_key(b) in actor.keys:
                    raise AliasError(
                        source,
                        f'"{a}" and "{b}" are kept apart here but forced together by [[actor]] #{j} "{actor.name}"',
                        f"[[distinct]] #{i}",
                    )


def _toml_type(value: object) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", dict: "a table", list: "a list"}.get(
        type(value), type(value).__name__
    )
