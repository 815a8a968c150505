"""Cross-article identity: which entities of different articles are the same actor.

Entity ids are already the key of each article's fullest name (`names.entity_key`), so one full name is one id
across the corpus. This module adds the one step an article cannot take alone: a short form ("Maduro", from an
article that only says "President Maduro") joins the longer name it abbreviates ("Nicolás Maduro") when the
corpus offers exactly one such name of the same type. Types are never mixed: a person "Jordan" and the country
"Jordan" stay two actors even though their names give the same key.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rashomon.model import Document, Entity, EntityType, Mention, Quote
from rashomon.names import is_short_form, name_tokens


@dataclass(frozen=True, slots=True)
class Actor:
    """A person, organisation or place as one identity across the corpus."""

    id: str
    name: str  # the display name: the spelling most articles use for the fullest name
    type: EntityType


@dataclass(frozen=True, slots=True)
class ActorLinks:
    """The corpus actor of every (entity id, type) that occurs in the linked documents.

    The type is part of the key because one name key can name a person in one article and a place in another
    ("jordan"); those are different actors.
    """

    links: tuple[tuple[str, EntityType, Actor], ...]  # (entity id, entity type, actor), sorted
    _index: Mapping[tuple[str, EntityType], Actor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {(entity_id, type_): actor for entity_id, type_, actor in self.links}
        object.__setattr__(self, "_index", MappingProxyType(index))

    @property
    def actors(self) -> tuple[Actor, ...]:
        """Each actor once, ordered by id."""
        unique = {actor.id: actor for _, _, actor in self.links}
        return tuple(unique[k] for k in sorted(unique))

    def actor(self, entity_id: str, type_: EntityType) -> Actor | None:
        """The actor an entity belongs to, or None if no linked document had that entity."""
        return self._index.get((entity_id, type_))

    def as_mapping(self) -> dict[tuple[str, str], tuple[str, str]]:
        """For storage: ``(entity id, entity type) -> (actor id, actor name)``.

        Keyed by type too: an entity id that occurs with several types in the corpus ("jordan", a person and a
        place) names several actors.
        """
        return {(eid, type_.value): (actor.id, actor.name) for eid, type_, actor in self.links}


def _qualified(entity_id: str, type_: EntityType) -> str:
    # ":" never occurs in an entity key, so a qualified id cannot collide with another name's id.
    return f"{entity_id}:{type_.value.lower()}"


@dataclass(frozen=True, slots=True)
class _Node:
    """One (entity id, type) of the corpus, with the spelling that represents it."""

    id: str
    type: EntityType
    name: str
    tokens: tuple[str, ...]


def _display_name(names: Counter[str]) -> str:
    # The spelling most articles use; among equally common ones prefer the accented spelling (folding loses
    # accents, writers rarely add wrong ones), then the alphabetically first, for determinism.
    return min(names, key=lambda n: (-names[n], -sum(1 for c in n if ord(c) > 127), n))


def link_actors(docs: Iterable[Document]) -> ActorLinks:
    """Map every entity of ``docs`` to its corpus actor. Pure and independent of the documents' order."""
    spellings: dict[tuple[str, EntityType], Counter[str]] = defaultdict(Counter)
    for doc in docs:
        for entity in doc.entities:
            spellings[(entity.id, entity.type)][entity.name] += 1
    nodes = []
    for (entity_id, type_), names in spellings.items():
        name = _display_name(names)
        nodes.append(_Node(entity_id, type_, name, name_tokens(name)))

    # Every longer name, indexed by each of its proper trailing word sequences: the short forms it can have.
    by_suffix: dict[tuple[EntityType, tuple[str, ...]], list[_Node]] = defaultdict(list)
    for node in nodes:
        for k in range(1, len(node.tokens)):
            by_suffix[(node.type, node.tokens[-k:])].append(node)

    by_id: dict[str, list[_Node]] = defaultdict(list)
    for node in nodes:
        by_id[node.id].append(node)

    # Longest names first, so every candidate a short form could join is already resolved to its root: then
    # "Maduro" is unambiguous when "Nicolás Maduro" has itself joined "Nicolás Maduro Moros". MISC names come
    # after all others: they may join a name of another type (below), of any length ("Chin Gigante" typed MISC
    # and "Chin-Gigante" typed PER share an id), which must be resolved by then.
    nodes.sort(key=lambda n: (n.type is EntityType.MISC, -len(n.tokens), n.id, n.type))
    root: dict[tuple[str, EntityType], _Node] = {}
    for node in nodes:
        longer = [c for c in by_suffix.get((node.type, node.tokens), ()) if is_short_form(node.name, c.name)]
        if node.type is EntityType.MISC and not longer:
            # MISC is the recogniser's catch-all and its usual guess for a lone surname ("Comey" in an article
            # that never gives the first name): such a name joins the one person, organisation or place it is
            # or abbreviates elsewhere in the corpus, still only when exactly one actor fits.
            longer = [c for c in by_id[node.id] if c.type is not EntityType.MISC] + [
                c
                for t in EntityType
                if t is not EntityType.MISC
                for c in by_suffix.get((t, node.tokens), ())
                if is_short_form(node.name, c.name)
            ]
        roots = {(r.id, r.type): r for r in (root[(c.id, c.type)] for c in longer)}
        # One candidate actor: join it. None or several ("Jones" of two Joneses): the name is its own actor.
        root[(node.id, node.type)] = next(iter(roots.values())) if len(roots) == 1 else node

    actor_ids = _actor_ids({(r.id, r.type) for r in root.values()})
    links = (
        (entity_id, type_, Actor(actor_ids[(r.id, r.type)], r.name, r.type)) for (entity_id, type_), r in root.items()
    )
    return ActorLinks(tuple(sorted(links, key=lambda link: (link[0], link[1]))))


def _actor_ids(roots: set[tuple[str, EntityType]]) -> dict[tuple[str, EntityType], str]:
    """An actor keeps its entity id, unless actors of other types share that id: then each gets ":type"."""
    types_of: dict[str, set[EntityType]] = defaultdict(set)
    for entity_id, type_ in roots:
        types_of[entity_id].add(type_)
    return {(eid, t): eid if len(types_of[eid]) == 1 else _qualified(eid, t) for eid, t in roots}


def apply_links(doc: Document, links: ActorLinks) -> Document:
    """A copy of ``doc`` whose entities and quote speakers carry actor ids and names.

    Entities of the article that belong to one actor become one entity (mentions and labels merged); entities
    the links do not know are kept unchanged. Applying the same links twice changes nothing more.
    """
    actor_of: dict[str, Actor] = {}
    merged: dict[str, list[Entity]] = {}
    for entity in doc.entities:
        actor = links.actor(entity.id, entity.type) or Actor(entity.id, entity.name, entity.type)
        actor_of[entity.id] = actor
        merged.setdefault(actor.id, []).append(entity)

    entities = tuple(_merge(actor_of[group[0].id], group) for group in merged.values())
    quotes = tuple(_relink_quote(q, actor_of, links) for q in doc.quotes)
    return dataclasses.replace(doc, entities=entities, quotes=quotes)


def _merge(actor: Actor, group: list[Entity]) -> Entity:
    mentions: dict[tuple[int, int], Mention] = {}
    for entity in group:
        for m in entity.mentions:
            mentions.setdefault((m.span.start, m.span.end), m)
    # Labels in order of first use: the entity whose first mention comes first contributes its labels first.
    first = sorted(group, key=lambda e: min((m.span.start for m in e.mentions), default=0))
    labels = dict.fromkeys(label for e in first for label in e.labels)
    return Entity(
        id=actor.id,
        name=actor.name,
        type=actor.type,
        mentions=tuple(mentions[k] for k in sorted(mentions)),
        labels=tuple(labels),
    )


def _relink_quote(quote: Quote, actor_of: Mapping[str, Actor], links: ActorLinks) -> Quote:
    if quote.speaker_id is None:
        return quote
    actor = actor_of.get(quote.speaker_id)
    if actor is None:
        # The speaker is not among the article's entities, so its type is unknown: follow the links only when
        # every type agrees on one actor.
        found = {a for a in (links.actor(quote.speaker_id, t) for t in EntityType) if a is not None}
        if len(found) != 1:
            return quote
        actor = found.pop()
    return dataclasses.replace(quote, speaker_id=actor.id, speaker=actor.name)
