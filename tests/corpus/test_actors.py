"""Cross-article actor linking: a short form joins its one full name; types and ambiguous names stay apart."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from builders import label_at
from rashomon.corpus.actors import Actor, ActorLinks, apply_links, link_actors
from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    Mention,
    Quote,
    QuoteKind,
    SourceFormat,
    Span,
)
from rashomon.names import entity_key

PER, ORG, LOC, MISC = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.LOCATION, EntityType.MISC


def entity(name: str, type_: EntityType = PER, *, at: int = 0) -> Entity:
    return Entity(entity_key(name), name, type_, (Mention(Span(at, at + len(name)), name),))


def doc(text: str, *entities: Entity, quotes: tuple[Quote, ...] = ()) -> Document:
    article = Article.create(text, ArticleMeta(source_path=f"{text[:10]}.txt"), SourceFormat.TEXT)
    return Document(article, entities=entities, quotes=quotes)


def corpus(*articles: tuple[tuple[str, EntityType], ...]) -> list[Document]:
    """One document per tuple of (name, type), each with distinct text."""
    return [doc(f"article {n}", *(entity(name, t) for name, t in names)) for n, names in enumerate(articles)]


# (what the corpus holds, the entity looked up, the actor id it must belong to)
LINK_CASES = [
    pytest.param(
        [(("Maduro", PER),), (("Nicolás Maduro", PER),)],
        ("maduro", PER),
        "nicolas-maduro",
        id="surname-joins",
    ),
    pytest.param(
        [(("Mr Maduro", PER),), (("Nicolas Maduro", PER),)], ("maduro", PER), "nicolas-maduro", id="honorific"
    ),
    pytest.param([(("Guaidó", PER),), (("Juan Guaido", PER),)], ("guaido", PER), "juan-guaido", id="accents-fold"),
    pytest.param(
        [(("Lopez", PER),), (("Vladimir Padrino Lopez", PER),)],
        ("lopez", PER),
        "vladimir-padrino-lopez",
        id="trailing-word-of-three",
    ),
    pytest.param(
        [(("Padrino Lopez", PER),), (("Vladimir Padrino Lopez", PER),)],
        ("padrino-lopez", PER),
        "vladimir-padrino-lopez",
        id="trailing-words",
    ),
    pytest.param(
        [(("Maduro", PER),), (("Nicolás Maduro", PER),), (("Nicolás Maduro Moros", PER),)],
        ("nicolas-maduro", PER),
        "nicolas-maduro",
        id="not-a-trailing-form-stays",
    ),
    pytest.param(
        [(("Maduro", PER),), (("Nicolás Maduro", PER), ("Maduro", PER))],
        ("maduro", PER),
        "nicolas-maduro",
        id="same-article",
    ),
    pytest.param([(("Jones", PER),), (("Graham Jones", PER),)], ("jones", PER), "graham-jones", id="one-jones-joins"),
    # negative cases
    pytest.param(
        [(("Jones", PER),), (("Graham Jones", PER),), (("Tom Jones", PER),)],
        ("jones", PER),
        "jones",
        id="two-joneses-ambiguous",
    ),
    pytest.param([(("Jones", PER),), (("Graham Jones Smith", PER),)], ("jones", PER), "jones", id="not-trailing"),
    pytest.param([(("Graham", PER),), (("Graham Jones", PER),)], ("graham", PER), "graham", id="first-name-stays"),
    pytest.param([(("Jordan", LOC),), (("Michael Jordan", PER),)], ("jordan", LOC), "jordan", id="loc-not-into-per"),
    pytest.param([(("Smith", ORG),), (("Angela Smith", PER),)], ("smith", ORG), "smith", id="org-not-into-per"),
    pytest.param([(("Jordan", PER),), (("Jordan", LOC),)], ("jordan", PER), "jordan:per", id="same-key-per-apart"),
    pytest.param([(("Jordan", PER),), (("Jordan", LOC),)], ("jordan", LOC), "jordan:loc", id="same-key-loc-apart"),
    pytest.param(
        [(("Jordan", PER),), (("Jordan", LOC),), (("Michael Jordan", PER),)],
        ("jordan", PER),
        "michael-jordan",
        id="per-jordan-joins-person-only",
    ),
    pytest.param(
        [(("Jordan", PER),), (("Jordan", LOC),), (("Michael Jordan", PER),)],
        ("jordan", LOC),
        "jordan",
        id="loc-jordan-keeps-its-id-once-the-person-moved",
    ),
]


@pytest.mark.parametrize(("articles", "lookup", "expected"), LINK_CASES)
def test_link_actors(
    articles: list[tuple[tuple[str, EntityType], ...]], lookup: tuple[str, EntityType], expected: str
) -> None:
    links = link_actors(corpus(*articles))
    actor = links.actor(*lookup)
    assert actor is not None
    assert actor.id == expected
    assert actor.type is lookup[1]


# (the corpus, the entity looked up, the actor it must belong to: id and type)
RETYPE_CASES = [
    # Regression (examples/venezuela): "the Donald Trump administration" made the recogniser type him ORG.
    pytest.param(
        [(("Donald Trump", ORG),), (("Donald Trump", PER),), (("Donald Trump", PER),)],
        ("donald-trump", ORG),
        ("donald-trump", PER),
        id="full-name-takes-the-majority-type",
    ),
    pytest.param(
        [(("Trump", ORG),), (("Donald Trump", ORG),), (("Donald Trump", PER),), (("Donald Trump", PER),)],
        ("trump", ORG),
        ("donald-trump", PER),
        id="its-short-form-follows",
    ),
    pytest.param(
        [(("Hugo Chavez", LOC),), (("Hugo Chavez", PER),)],
        ("hugo-chavez", LOC),
        ("hugo-chavez", PER),
        id="tie-goes-by-type-order",
    ),
    # negative: single words stay apart by type; one type only changes nothing
    pytest.param(
        [(("Jordan", PER),), (("Jordan", LOC),), (("Jordan", LOC),)],
        ("jordan", PER),
        ("jordan:per", PER),
        id="one-word-apart",
    ),
    pytest.param([(("Donald Trump", ORG),)], ("donald-trump", ORG), ("donald-trump", ORG), id="one-type-kept"),
]


@pytest.mark.parametrize(("articles", "lookup", "expected"), RETYPE_CASES)
def test_a_full_name_with_several_types_is_one_actor(
    articles: list[tuple[tuple[str, EntityType], ...]],
    lookup: tuple[str, EntityType],
    expected: tuple[str, EntityType],
) -> None:
    for order in itertools.permutations(articles):
        actor = link_actors(corpus(*order)).actor(*lookup)
        assert actor is not None and (actor.id, actor.type) == expected


@pytest.mark.parametrize(
    ("articles", "expected"),
    [
        # Regression (NewsWCL50, issue 5): "Comey" typed MISC never joined the person "James Comey".
        pytest.param([(("Comey", MISC),), (("James Comey", PER),)], ("james-comey", PER), id="surname-joins-person"),
        pytest.param([(("Comey", MISC),), (("Comey", PER),)], ("comey", PER), id="same-name-joins-person"),
        pytest.param([(("Cup", MISC),), (("World Cup", MISC),)], ("world-cup", MISC), id="misc-into-misc-as-before"),
        # negative: two actors of other types fit, so the MISC name stays its own actor
        pytest.param(
            [(("Jordan", MISC),), (("Jordan", LOC),), (("Michael Jordan", PER),)],
            ("jordan:misc", MISC),
            id="ambiguous-stays",
        ),
    ],
)
def test_a_misc_name_joins_the_one_actor_of_another_type_it_names(
    articles: list[tuple[tuple[str, EntityType], ...]], expected: tuple[str, EntityType]
) -> None:
    for order in itertools.permutations(articles):
        actor = link_actors(corpus(*order)).actor(_misc_key(articles), MISC)
        assert actor is not None and (actor.id, actor.type) == expected


def test_regression_a_misc_name_longer_than_the_person_of_its_id_does_not_crash() -> None:
    # ECB+: an id is the key of an article's fullest name, a node's words those of its most common spelling, so
    # one id can be spelt in more words as MISC than as PER; the PER node was not resolved yet (KeyError).
    misc = Entity("chin-gigante", "Vincent Chin Gigante", MISC, (Mention(Span(0, 20), "Vincent Chin Gigante"),))
    person = Entity("chin-gigante", "Gigante", PER, (Mention(Span(0, 7), "Gigante"),))
    for order in itertools.permutations([doc("article a", misc), doc("article b", person)]):
        actor = link_actors(order).actor("chin-gigante", MISC)
        assert actor is not None and (actor.id, actor.type) == ("chin-gigante", PER)


def _misc_key(articles: list[tuple[tuple[str, EntityType], ...]]) -> str:
    return next(entity_key(name) for names in articles for name, t in names if t is MISC)


def test_chain_of_short_forms_is_one_actor() -> None:
    links = link_actors(corpus((("Maduro", PER),), (("Nicolás Maduro", PER),), (("Nicolás Maduro Moros", PER),)))
    # "Maduro" is a short form of "Nicolás Maduro" only ("Moros" is the last word of the longest name).
    assert links.actor("maduro", PER) == links.actor("nicolas-maduro", PER)


def test_short_form_with_two_candidates_of_one_actor_is_not_ambiguous() -> None:
    links = link_actors(corpus((("Lopez", PER),), (("Padrino Lopez", PER),), (("Vladimir Padrino Lopez", PER),)))
    actors = {links.actor(key, PER) for key in ("lopez", "padrino-lopez", "vladimir-padrino-lopez")}
    assert actors == {Actor("vladimir-padrino-lopez", "Vladimir Padrino Lopez", PER)}


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [
        (["Juan Guaido", "Juan Guaidó"], "Juan Guaidó"),  # a tie: the accented spelling
        (["Juan Guaido", "Juan Guaido", "Juan Guaidó"], "Juan Guaido"),  # the majority
    ],
)
def test_display_name(spellings: list[str], expected: str) -> None:
    links = link_actors(corpus(*(((s, PER),) for s in spellings)))
    assert links.actor("juan-guaido", PER) == Actor("juan-guaido", expected, PER)


def test_short_form_takes_the_full_name() -> None:
    links = link_actors(corpus((("Maduro", PER),), (("Nicolás Maduro", PER),)))
    assert links.actor("maduro", PER) == Actor("nicolas-maduro", "Nicolás Maduro", PER)


def test_order_independent() -> None:
    articles = [
        (("Maduro", PER), ("Jones", PER)),
        (("Nicolás Maduro", PER), ("Graham Jones", PER)),
        (("Tom Jones", PER), ("Jordan", LOC)),
        (("Jordan", PER),),
    ]
    results = {link_actors(corpus(*perm)) for perm in itertools.permutations(articles)}
    assert len(results) == 1


def test_every_entity_is_linked_and_mapping_is_for_storage() -> None:
    docs = corpus((("Maduro", PER), ("Venezuela", LOC)), (("Nicolás Maduro", PER), ("Jordan", PER), ("Jordan", LOC)))
    mapping = link_actors(docs).as_mapping()
    assert mapping == {
        ("maduro", "PER"): ("nicolas-maduro", "Nicolás Maduro"),
        ("nicolas-maduro", "PER"): ("nicolas-maduro", "Nicolás Maduro"),
        ("venezuela", "LOC"): ("venezuela", "Venezuela"),
        # one id, two types: two actors
        ("jordan", "PER"): ("jordan:per", "Jordan"),
        ("jordan", "LOC"): ("jordan:loc", "Jordan"),
    }


def test_links_are_a_frozen_record() -> None:
    links = link_actors(corpus((("Maduro", PER),)))
    assert isinstance(links, ActorLinks)
    with pytest.raises(dataclasses.FrozenInstanceError):
        links.links = ()  # type: ignore[misc]
    assert links.actors == (Actor("maduro", "Maduro", PER),)


def test_empty() -> None:
    links = link_actors([])
    assert links.links == () and links.actors == () and links.as_mapping() == {}
    assert links.actor("anyone", PER) is None


# --- apply_links ------------------------------------------------------------------------------------------

TEXT = "President Maduro spoke. Socialist Nicolás Maduro said: “We will win.” Mr Guaidó disagreed."


def quote(words: str, speaker: str | None, speaker_id: str | None) -> Quote:
    start = TEXT.index(words)
    return Quote(
        words,
        (Span(start, start + len(words)),),
        QuoteKind.DIRECT,
        speaker=speaker,
        speaker_id=speaker_id,
        cue="said",
        attribution=Attribution.CUE_BEFORE,
    )


def mention(words: str) -> Mention:
    start = TEXT.index(words)  # the first occurrence
    return Mention(Span(start, start + len(words)), words)


def maduro_article() -> Document:
    short = Entity("maduro", "Maduro", PER, (mention("Maduro"),), (label_at(TEXT, "President"),))
    full = Entity("nicolas-maduro", "Nicolás Maduro", PER, (mention("Nicolás Maduro"),), (label_at(TEXT, "Socialist"),))
    guaido = Entity("guaido", "Guaidó", PER, (mention("Guaidó"),))
    return doc(TEXT, full, short, guaido, quotes=(quote("We will win.", "Maduro", "maduro"),))


def test_apply_links_merges_entities_of_one_actor() -> None:
    article = maduro_article()
    other = doc("Juan Guaidó said so.", entity("Juan Guaidó"))
    links = link_actors([article, other])
    linked = apply_links(article, links)

    assert [e.id for e in linked.entities] == ["nicolas-maduro", "juan-guaido"]
    maduro = linked.entity("nicolas-maduro")
    assert maduro is not None
    assert maduro.name == "Nicolás Maduro"
    assert [m.text for m in maduro.mentions] == ["Maduro", "Nicolás Maduro"]  # in text order
    assert [label.text for label in maduro.labels] == ["President", "Socialist"]  # in text order, from both entities
    guaido = linked.entity("juan-guaido")
    assert guaido is not None and guaido.name == "Juan Guaidó"

    (q,) = linked.quotes
    assert (q.speaker_id, q.speaker) == ("nicolas-maduro", "Nicolás Maduro")
    assert linked.text == article.text and linked.id == article.id
    assert article.entities[1].id == "maduro"  # the input is not changed


def test_apply_links_is_idempotent() -> None:
    article = maduro_article()
    links = link_actors([article])
    once = apply_links(article, links)
    assert apply_links(once, links) == once


@pytest.mark.parametrize(
    ("speaker_id", "expected"),
    [
        (None, None),  # unattributed quotes stay unattributed
        ("someone-else", "someone-else"),  # a speaker the links do not know is kept
        ("jordan", "jordan"),  # not among the article's entities and ambiguous across types: kept
        ("maduro", "nicolas-maduro"),  # not among the article's entities, one actor whatever the type
    ],
)
def test_apply_links_quote_speakers(speaker_id: str | None, expected: str | None) -> None:
    q = Quote("words", (Span(0, 5),), QuoteKind.DIRECT, speaker=speaker_id, speaker_id=speaker_id)
    article = doc("words of an article without entities", quotes=(q,))
    links = link_actors(corpus((("Maduro", PER),), (("Nicolás Maduro", PER),), (("Jordan", PER),), (("Jordan", LOC),)))
    (linked,) = apply_links(article, links).quotes
    assert linked.speaker_id == expected


def test_apply_links_keeps_unknown_entities() -> None:
    article = doc("Graham Jones spoke.", entity("Graham Jones"))
    linked = apply_links(article, link_actors([]))
    assert linked == article
