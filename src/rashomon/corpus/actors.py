"""Cross-article identity: which entities of different articles are the same actor.

Entity ids are already the key of each article's fullest name (`names.entity_key`), so one full name is one id
across the corpus. This module adds the one step an article cannot take alone: a short form ("Maduro", from an
article that only says "President Maduro") joins the longer name it abbreviates ("Nicolás Maduro") when the
corpus offers exactly one such name of the same type. Types are never mixed: a person "Jordan" and the country
"Jordan" stay two actors even though their names give the same key.

A user's alias file (`rashomon.corpus.aliases`) corrects this: names it forces together are one actor, and names
it keeps distinct never join each other, across articles or inside one (an article entity holding mentions of
two such names is split, each mention going to its own name's actor).
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rashomon.corpus.aliases import Aliases, ForcedActor
from rashomon.model import Document, Entity, EntityType, Mention, MentionKind, Quote
from rashomon.names import entity_key, is_short_form, name_tokens, strip_honorific


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
    # Pairs of entity ids an alias file keeps apart (each sorted, in sorted order): `apply_links` splits an
    # article's entity that holds mentions of both names, as `link_actors` did.
    distinct: tuple[tuple[str, str], ...] = ()
    _index: Mapping[tuple[str, EntityType], Actor] = field(init=False, repr=False, compare=False)
    _apart: Mapping[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {(entity_id, type_): actor for entity_id, type_, actor in self.links}
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_apart", _apart_index(self.distinct))

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


def link_actors(docs: Iterable[Document], aliases: Aliases | None = None) -> ActorLinks:
    """Map every entity of ``docs`` to its corpus actor. Pure and independent of the documents' order.

    With ``aliases``, the entities whose ids it forces into one actor are that actor, and a name never joins a
    name it keeps distinct (an article's entity holding both is split first, as `apply_links` splits it).
    """
    distinct = aliases.distinct_pairs() if aliases is not None else ()
    apart = _apart_index(distinct)
    spellings: dict[tuple[str, EntityType], Counter[str]] = defaultdict(Counter)
    roles: dict[tuple[str, EntityType], set[str]] = defaultdict(set)  # the labels articles give each name
    for doc in docs:
        for entity in _split_apart(doc.entities, apart) if apart else doc.entities:
            spellings[(entity.id, entity.type)][entity.name] += 1
            roles[(entity.id, entity.type)].update(label.normal for label in entity.labels)
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
    root = _forced_roots(spellings, aliases) if aliases is not None else {}
    # The names (entity ids) each actor holds so far, by its root's key, to keep names listed distinct apart. A
    # forced actor holds every name the file gives it, whether the corpus uses that name or not.
    members: dict[tuple[str, EntityType], set[str]] = defaultdict(set)
    held: dict[tuple[str, EntityType], set[str]] = defaultdict(set)  # the labels of each actor's names so far
    for (entity_id, type_), r in root.items():
        held[(r.id, r.type)] |= roles[(entity_id, type_)]
        forced = aliases.forced(entity_id, type_) if aliases is not None else None
        members[(r.id, r.type)].update(forced.keys if forced is not None else (entity_id,))
    for node in nodes:
        if (node.id, node.type) in root:  # forced by the alias file
            continue
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
        if node.id in apart:
            # An actor holding a name this one is kept apart from is no candidate. Names are resolved longest
            # first, so every pair of an actor's names is checked when the later of the two joins.
            roots = {k: r for k, r in roots.items() if not apart[node.id] & members[k]}
        mine = roles[(node.id, node.type)]
        if len(roots) > 1 and mine:
            # Several people share the name: the labels articles give this one ("President Trump") are the
            # evidence that picks one of them, when exactly one was given any of the same labels ("President
            # Donald Trump", not "first lady Melania Trump").
            fitting = {k: r for k, r in roots.items() if mine & held[k]}
            roots = fitting if len(fitting) == 1 else roots
        # One candidate actor: join it. None or several ("Jones" of two Joneses): the name is its own actor.
        chosen = next(iter(roots.values())) if len(roots) == 1 else node
        root[(node.id, node.type)] = chosen
        members[(chosen.id, chosen.type)].add(node.id)
        held[(chosen.id, chosen.type)] |= mine

    # A full name typed differently in different articles is one actor, of the type most articles give it: the
    # recogniser types a name by its sentence ("the Donald Trump administration" makes "Donald Trump" an ORG).
    # Single words stay apart by type: "Jordan" the person and "Jordan" the country are different actors.
    pinned = {key for key in root if aliases is not None and aliases.forced(*key) is not None}
    for (entity_id, type_), majority in _retyped(spellings, pinned).items():
        for key, r in root.items():
            if (r.id, r.type) == (entity_id, type_):
                root[key] = root[(entity_id, majority)]

    actor_ids = _actor_ids({(r.id, r.type) for r in root.values()})
    links = (
        (entity_id, type_, Actor(actor_ids[(r.id, r.type)], r.name, r.type)) for (entity_id, type_), r in root.items()
    )
    return ActorLinks(tuple(sorted(links, key=lambda link: (link[0], link[1]))), distinct)


def _retyped(
    spellings: Mapping[tuple[str, EntityType], Counter[str]], forced: set[tuple[str, EntityType]]
) -> dict[tuple[str, EntityType], EntityType]:
    """(entity id, type) -> the type to use instead, for multi-word names the corpus gives several types.

    The majority is counted in articles; ties go to a definite type before MISC, then `EntityType` order. Names an
    alias file forces keep their type.
    """
    types: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for (entity_id, type_), names in spellings.items():
        if (entity_id, type_) not in forced and "-" in entity_id:  # a key of two or more words
            types[entity_id][type_] += sum(names.values())
    order = list(EntityType)
    result = {}
    for entity_id, counts in types.items():
        if len(counts) < 2:
            continue
        majority = min(counts, key=lambda t: (-counts[t], t is EntityType.MISC, order.index(t)))
        result.update({(entity_id, t): majority for t in counts if t is not majority})
    return result


def _forced_roots(
    spellings: Mapping[tuple[str, EntityType], Counter[str]], aliases: Aliases
) -> dict[tuple[str, EntityType], _Node]:
    """The root of every (entity id, type) the alias file forces into an actor: one node per forced actor, named
    as the file names it, of the file's type or else the type most of its entities have."""
    groups: dict[ForcedActor, list[tuple[str, EntityType]]] = defaultdict(list)
    for entity_id, type_ in spellings:
        forced = aliases.forced(entity_id, type_)
        if forced is not None:
            groups[forced].append((entity_id, type_))
    order = list(EntityType)
    root: dict[tuple[str, EntityType], _Node] = {}
    for forced, keys in groups.items():
        counts: Counter[EntityType] = Counter()
        for key in keys:
            counts[key[1]] += sum(spellings[key].values())
        # Ties: a definite type before MISC, then the order of `EntityType` (PER, ORG, LOC).
        type_ = forced.type or min(counts, key=lambda t: (-counts[t], t is EntityType.MISC, order.index(t)))
        node = _Node(forced.id, type_, forced.name, name_tokens(forced.name))
        root.update(dict.fromkeys(keys, node))
    return root


def _actor_ids(roots: set[tuple[str, EntityType]]) -> dict[tuple[str, EntityType], str]:
    """An actor keeps its entity id, unless actors of other types share that id: then each gets ":type"."""
    types_of: dict[str, set[EntityType]] = defaultdict(set)
    for entity_id, type_ in roots:
        types_of[entity_id].add(type_)
    return {(eid, t): eid if len(types_of[eid]) == 1 else _qualified(eid, t) for eid, t in roots}


def apply_links(doc: Document, links: ActorLinks) -> Document:
    """A copy of ``doc`` whose entities and quote speakers carry actor ids and names.

    Entities of the article that belong to one actor become one entity (mentions and labels merged); entities
    the links do not know are kept unchanged. An entity holding mentions of names the links keep distinct is
    split first: each such mention (with the labels attached to it, and the quotes attributed at it) goes to its
    own name's actor. Applying the same links twice changes nothing more.
    """
    split, quotes = doc.entities, doc.quotes
    if links.distinct:
        split = _split_apart(doc.entities, links._apart)
        quotes = _follow_split(quotes, doc.entities, split)
    actor_of: dict[str, Actor] = {}
    merged: dict[str, list[Entity]] = {}
    for entity in split:
        actor = links.actor(entity.id, entity.type) or Actor(entity.id, entity.name, entity.type)
        actor_of[entity.id] = actor
        merged.setdefault(actor.id, []).append(entity)

    entities = tuple(_merge(actor_of[group[0].id], group) for group in merged.values())
    quotes = tuple(_relink_quote(q, actor_of, links) for q in quotes)
    return dataclasses.replace(doc, entities=entities, quotes=quotes)


def _apart_index(distinct: Iterable[tuple[str, str]]) -> Mapping[str, frozenset[str]]:
    """Entity id -> the ids it is kept apart from."""
    apart: dict[str, set[str]] = defaultdict(set)
    for a, b in distinct:
        apart[a].add(b)
        apart[b].add(a)
    return MappingProxyType({k: frozenset(v) for k, v in apart.items()})


def _split_apart(entities: Iterable[Entity], apart: Mapping[str, frozenset[str]]) -> tuple[Entity, ...]:
    return tuple(part for entity in entities for part in _split(entity, apart))


def _split(entity: Entity, apart: Mapping[str, frozenset[str]]) -> tuple[Entity, ...]:
    """``entity``, or, when the article grouped mentions of names kept apart into it ("Mr. Trump" into "Melania
    Trump"), the entity without them and one entity per such name, keyed by the name, with its mentions and the
    labels attached to them. Pronouns, descriptions and the entity's own name stay."""
    key_of = {m.span: entity_key(m.text) for m in entity.mentions if m.kind is MentionKind.NAME}
    present = {entity.id, *key_of.values()}
    moving = {k for k in present - {entity.id} if apart.get(k, frozenset()) & present}
    if not moving:
        return (entity,)
    moved = {span for span, key in key_of.items() if key in moving}
    parts = []
    rest = tuple(m for m in entity.mentions if m.span not in moved)
    if rest:
        labels = tuple(label for label in entity.labels if label.mention not in moved)
        parts.append(dataclasses.replace(entity, mentions=rest, labels=labels))
    for key in sorted(moving):
        mentions = tuple(m for m in entity.mentions if key_of.get(m.span) == key)
        spans = {m.span for m in mentions}
        labels = tuple(label for label in entity.labels if label.mention in spans)
        parts.append(Entity(key, _mention_name(mentions), entity.type, mentions, labels))
    return tuple(parts)


def _mention_name(mentions: Iterable[Mention]) -> str:
    # The fullest, properly cased form, without honorific or possessive ("Mr. Trump's" -> "Trump").
    name = max((m.text for m in mentions), key=lambda n: (len(n.split()), not n.isupper(), -len(n), n))
    for suffix in ("’s", "'s"):
        name = name.removesuffix(suffix)
    return strip_honorific(name)


def _follow_split(quotes: Iterable[Quote], before: Iterable[Entity], after: Iterable[Entity]) -> tuple[Quote, ...]:
    """Quotes attributed at a mention that moved to an entity of its own are that entity's."""
    owner_before = {m.span: e.id for e in before for m in e.mentions}
    owner_after = {m.span: e for e in after for m in e.mentions}
    result = []
    for q in quotes:
        span = q.speaker_mention
        new = owner_after.get(span) if span is not None else None
        if span is not None and new is not None and q.speaker_id == owner_before.get(span) and new.id != q.speaker_id:
            q = dataclasses.replace(q, speaker_id=new.id, speaker=new.name)
        result.append(q)
    return tuple(result)


def _merge(actor: Actor, group: list[Entity]) -> Entity:
    mentions: dict[tuple[int, int], Mention] = {}
    for entity in group:
        for m in entity.mentions:
            mentions.setdefault((m.span.start, m.span.end), m)
    # Labels in text order, each occurrence once (labels are records with their own spans).
    labels = sorted(set(label for e in group for label in e.labels), key=lambda label: (label.span, label.kind))
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
