"""The user's alias file: parsing and checking it, forced merges, names kept apart, and splitting an article's
entity that holds mentions of two names kept apart."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from rashomon.corpus.actors import Actor, apply_links, link_actors
from rashomon.corpus.aliases import Aliases, DistinctNames, ForcedActor, load_aliases, parse_aliases
from rashomon.errors import AliasError, RashomonError
from rashomon.model import (
    Article,
    ArticleMeta,
    Attribution,
    Document,
    Entity,
    EntityType,
    Label,
    LabelKind,
    Mention,
    MentionKind,
    Quote,
    QuoteKind,
    SourceFormat,
    Span,
)
from rashomon.names import entity_key

PER, ORG, LOC, MISC = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.LOCATION, EntityType.MISC

EXAMPLE = """
# Force: these names are one actor.
[[actor]]
name = "Nicolás Maduro"
aliases = ["Maduro", "Nicolas Maduro Moros", "Mr Maduro"]
type = "PER"

[[actor]]
name = "Venezuela"
aliases = ["Bolivarian Republic of Venezuela"]
type = "loc"

# Forbid: these names are never one actor.
[[distinct]]
names = ["Donald Trump", "Melania Trump", "Trump"]
"""


def aliases(text: str) -> Aliases:
    return parse_aliases(text, "aliases.toml")


def entity(name: str, type_: EntityType = PER) -> Entity:
    return Entity(entity_key(name), name, type_, (Mention(Span(0, len(name)), name),))


def corpus(*articles: tuple[tuple[str, EntityType], ...]) -> list[Document]:
    """One document per tuple of (name, type), each with distinct text."""
    return [
        Document(
            Article.create(f"article {n}", ArticleMeta(f"{n}.txt"), SourceFormat.TEXT),
            entities=tuple(entity(name, t) for name, t in names),
        )
        for n, names in enumerate(articles)
    ]


# --- parsing ------------------------------------------------------------------------------------------------


def test_parse_the_documented_example() -> None:
    parsed = aliases(EXAMPLE)
    assert parsed.actors == (
        ForcedActor("Nicolás Maduro", ("Maduro", "Nicolas Maduro Moros", "Mr Maduro"), PER),
        ForcedActor("Venezuela", ("Bolivarian Republic of Venezuela",), LOC),  # the type in any case
    )
    assert parsed.distinct == (DistinctNames(("Donald Trump", "Melania Trump", "Trump")),)
    assert parsed.actors[0].id == "nicolas-maduro"
    assert parsed.actors[0].keys == {"nicolas-maduro", "maduro", "nicolas-maduro-moros"}  # "Mr Maduro" is "Maduro"
    assert parsed.distinct_pairs() == (
        ("donald-trump", "melania-trump"),
        ("donald-trump", "trump"),
        ("melania-trump", "trump"),
    )
    assert parsed.source == "aliases.toml"
    assert parsed.digest == aliases(EXAMPLE).digest != aliases(EXAMPLE + "\n").digest


@pytest.mark.parametrize(
    ("text", "lookup", "expected"),
    [
        pytest.param(EXAMPLE, ("mr-maduro", PER), None, id="honorific-folded-into-the-key"),
        pytest.param(EXAMPLE, ("maduro", PER), "Nicolás Maduro", id="alias"),
        pytest.param(EXAMPLE, ("MADURO".lower(), ORG), None, id="typed-actor-other-type"),
        pytest.param(EXAMPLE, ("venezuela", LOC), "Venezuela", id="display-name-is-a-name"),
        pytest.param('[[actor]]\nname = "Juan Guaidó"', ("juan-guaido", ORG), "Juan Guaidó", id="untyped-any-type"),
        pytest.param("", ("maduro", PER), None, id="empty-file"),
    ],
)
def test_forced_lookup(text: str, lookup: tuple[str, EntityType], expected: str | None) -> None:
    forced = aliases(text).forced(*lookup)
    assert (forced.name if forced else None) == expected


def test_one_name_may_name_two_actors_of_different_types() -> None:
    parsed = aliases(
        '[[actor]]\nname = "Michael Jordan"\naliases = ["Jordan"]\ntype = "PER"\n'
        '[[actor]]\nname = "Hashemite Kingdom of Jordan"\naliases = ["Jordan"]\ntype = "LOC"\n'
    )
    assert [parsed.forced("jordan", t) for t in (PER, LOC, ORG)] == [*parsed.actors, None]


# (file text, the entry the message must name, what the message must say)
ERROR_CASES = [
    pytest.param('[[actor]\nname = "x"', None, "is not valid TOML", id="bad-toml"),
    pytest.param(b"name = '\xff'", None, "is not UTF-8 text", id="not-utf8"),
    pytest.param("actors = []", None, "unknown key 'actors'", id="unknown-section"),
    pytest.param('actor = "Maduro"', None, "'actor' must be a list of tables", id="section-not-tables"),
    pytest.param("distinct = [1, 2]", None, "'distinct' must be a list of tables", id="distinct-not-tables"),
    pytest.param("[[actor]]\naliases = ['Maduro']", "[[actor]] #1", "has no 'name'", id="no-name"),
    pytest.param("[[actor]]\nname = 3", "[[actor]] #1", "name must be a string, not an integer", id="name-type"),
    pytest.param("[[actor]]\nname = '  '", "[[actor]] #1", "name is empty", id="empty-name"),
    pytest.param(
        "[[actor]]\nname = 'A B'\nalias = ['B']",
        '[[actor]] #1 "A B"',
        "unknown key 'alias' (expected name, aliases, type)",
        id="unknown-actor-key",
    ),
    pytest.param(
        "[[actor]]\nname = 'A B'\naliases = 'B'", '[[actor]] #1 "A B"', "aliases must be a list", id="aliases-type"
    ),
    pytest.param(
        "[[actor]]\nname = 'A B'\naliases = ['']", '[[actor]] #1 "A B"', "aliases[0] is empty", id="empty-alias"
    ),
    pytest.param(
        "[[actor]]\nname = 'A B'\naliases = ['B', 7]",
        '[[actor]] #1 "A B"',
        "aliases[1] must be a string, not an integer",
        id="alias-type",
    ),
    pytest.param(
        "[[actor]]\nname = 'A B'\ntype = 'PERSON'",
        '[[actor]] #1 "A B"',
        "type must be one of PER, ORG, LOC, MISC, not 'PERSON'",
        id="unknown-type",
    ),
    pytest.param("[[actor]]\nname = 'A B'\ntype = 1", '[[actor]] #1 "A B"', "type must be one of", id="type-type"),
    pytest.param("[[distinct]]\nnames = ['Trump']", "[[distinct]] #1", "at least two names", id="one-distinct-name"),
    pytest.param("[[distinct]]\nname = ['A', 'B']", "[[distinct]] #1", "unknown key 'name'", id="distinct-key"),
    pytest.param("[[distinct]]", "[[distinct]] #1", "has no 'names'", id="distinct-no-names"),
    pytest.param(
        "[[distinct]]\nnames = ['Trump', 'Mr. TRUMP']",
        "[[distinct]] #1",
        '"Trump" and "Mr. TRUMP" are the same name',
        id="distinct-from-itself",
    ),
    pytest.param(
        "[[actor]]\nname = 'Nicolás Maduro'\naliases = ['Maduro']\n[[actor]]\nname = 'Mr Maduro'",
        '[[actor]] #2 "Mr Maduro"',
        '"Mr Maduro" is already a name of [[actor]] #1 "Nicolás Maduro"',
        id="name-in-two-actors",
    ),
    pytest.param(
        "[[actor]]\nname = 'Michael Jordan'\naliases = ['Jordan']\ntype = 'PER'\n[[actor]]\nname = 'Jordan'",
        '[[actor]] #2 "Jordan"',
        '"Jordan" is already a name of [[actor]] #1 "Michael Jordan"',
        id="typed-and-untyped-actor-share-a-name",
    ),
    pytest.param(
        "[[actor]]\nname = 'Jordan'\ntype = 'LOC'\n"
        "[[actor]]\nname = 'Jordan River'\naliases = ['Jordan']\ntype = 'LOC'",
        '[[actor]] #2 "Jordan River"',
        '"Jordan" is already a name of [[actor]] #1 "Jordan"',
        id="same-type-share-a-name",
    ),
    pytest.param(
        "[[actor]]\nname = 'Donald Trump'\naliases = ['Trump']\n"
        "[[distinct]]\nnames = ['Mr Trump', 'Melania Trump', 'Donald Trump']",
        "[[distinct]] #1",
        '"Mr Trump" and "Donald Trump" are kept apart here but forced together by [[actor]] #1 "Donald Trump"',
        id="forced-and-distinct",
    ),
]


@pytest.mark.parametrize(("text", "entry", "message"), ERROR_CASES)
def test_errors_name_the_file_and_the_entry(text: str | bytes, entry: str | None, message: str) -> None:
    with pytest.raises(AliasError) as caught:
        parse_aliases(text, "aliases.toml")
    error = caught.value
    assert isinstance(error, RashomonError)
    assert str(error).startswith(f"aliases.toml: {entry}: " if entry else "aliases.toml: ")
    assert message in str(error)
    assert (error.source, error.entry) == ("aliases.toml", entry)


def test_load_reads_a_file_and_names_a_missing_one(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    assert load_aliases(path) == parse_aliases(EXAMPLE, str(path))
    with pytest.raises(AliasError, match=r"missing\.toml: cannot be read"):
        load_aliases(tmp_path / "missing.toml")


# --- forced merges ------------------------------------------------------------------------------------------

GUAIDO = '[[actor]]\nname = "Juan Guaidó"\naliases = ["Juan Gerardo Guaidó Márquez", "Guaido Marquez"]'
PADRINO = '[[actor]]\nname = "Vladimir Padrino López"\naliases = ["Vladimir Padrino"]\ntype = "PER"'

# (alias file, what the corpus holds, the entity looked up, the actor it must belong to; None = no actor)
FORCED_CASES = [
    pytest.param(
        GUAIDO,
        [(("Juan Gerardo Guaidó Márquez", PER),), (("Juan Guaido", PER),)],
        ("juan-gerardo-guaido-marquez", PER),
        Actor("juan-guaido", "Juan Guaidó", PER),
        id="different-spellings-across-articles",
    ),
    pytest.param(
        GUAIDO,
        [(("Guaido Marquez", PER), ("Venezuela", LOC)), (("Juan Gerardo Guaidó Márquez", PER),)],
        ("guaido-marquez", PER),
        Actor("juan-guaido", "Juan Guaidó", PER),
        id="display-name-need-not-occur",
    ),
    pytest.param(
        GUAIDO,
        [(("Guaidó", PER),), (("Juan Gerardo Guaidó Márquez", PER),)],
        ("guaido", PER),
        Actor("guaido", "Guaidó", PER),
        id="an-unlisted-short-form-of-an-unused-name-stays",
    ),
    pytest.param(
        PADRINO,
        [(("Padrino", PER),), (("Vladimir Padrino", PER),), (("Vladimir Padrino Lopez", PER),)],
        ("padrino", PER),
        Actor("vladimir-padrino-lopez", "Vladimir Padrino López", PER),
        id="a-short-form-of-a-forced-name-joins-it",
    ),
    pytest.param(
        PADRINO,
        [(("Vladimir Padrino", ORG),), (("Vladimir Padrino Lopez", PER),)],
        ("vladimir-padrino", ORG),
        Actor("vladimir-padrino", "Vladimir Padrino", ORG),
        id="typed-actor-leaves-other-types-alone",
    ),
    pytest.param(
        '[[actor]]\nname = "Venezuela"\naliases = ["Bolivarian Republic of Venezuela"]\ntype = "LOC"',
        [(("Venezuela", ORG),), (("Bolivarian Republic of Venezuela", LOC),), (("Venezuela", LOC),)],
        ("venezuela", ORG),
        Actor("venezuela:org", "Venezuela", ORG),
        id="other-type-with-the-same-key-is-another-actor",
    ),
    pytest.param(
        '[[actor]]\nname = "Venezuela"\naliases = ["Bolivarian Republic of Venezuela"]\ntype = "LOC"',
        [(("Venezuela", ORG),), (("Bolivarian Republic of Venezuela", LOC),), (("Venezuela", LOC),)],
        ("bolivarian-republic-of-venezuela", LOC),
        Actor("venezuela:loc", "Venezuela", LOC),
        id="typed-actor-merges-its-type",
    ),
    pytest.param(
        '[[actor]]\nname = "Donald Trump"\naliases = ["Trump"]',
        [(("Donald Trump", ORG),), (("Donald Trump", PER),), (("Trump", MISC), ("Donald Trump", PER))],
        ("donald-trump", ORG),
        Actor("donald-trump", "Donald Trump", PER),
        id="untyped-actor-takes-the-most-common-type",
    ),
    pytest.param(
        '[[actor]]\nname = "Donald Trump"\naliases = ["The Donald"]',
        [(("Donald Trump", ORG),), (("The Donald", MISC),)],
        ("the-donald", MISC),
        Actor("donald-trump", "Donald Trump", ORG),
        id="type-tie-prefers-a-definite-type",
    ),
    pytest.param(
        '[[actor]]\nname = "Graham Jones"\naliases = ["Jones"]',
        [(("Jones", PER),), (("Graham Jones", PER),), (("Tom Jones", PER),)],
        ("jones", PER),
        Actor("graham-jones", "Graham Jones", PER),
        id="forced-past-an-ambiguity",
    ),
    pytest.param(
        '[[actor]]\nname = "Graham Jones"\naliases = ["Jones"]',
        [(("Jones", PER),), (("Graham Jones", PER),), (("Tom Jones", PER),)],
        ("tom-jones", PER),
        Actor("tom-jones", "Tom Jones", PER),
        id="unlisted-name-stays",
    ),
    pytest.param(
        '[[actor]]\nname = "Nicolás Maduro"',
        [(("Nicolas Maduro", PER),), (("Nicolas Maduro", PER),)],
        ("nicolas-maduro", PER),
        Actor("nicolas-maduro", "Nicolás Maduro", PER),
        id="the-file-names-the-actor",
    ),
    pytest.param(
        '[[actor]]\nname = "Nicolás Maduro"',
        [(("Juan Guaidó", PER),)],
        ("nicolas-maduro", PER),
        None,
        id="no-actor-without-entities",
    ),
]


@pytest.mark.parametrize(("text", "articles", "lookup", "expected"), FORCED_CASES)
def test_forced_merges(
    text: str,
    articles: list[tuple[tuple[str, EntityType], ...]],
    lookup: tuple[str, EntityType],
    expected: Actor | None,
) -> None:
    for order in itertools.permutations(articles):
        assert link_actors(corpus(*order), aliases(text)).actor(*lookup) == expected


def test_forced_actor_collects_every_forced_entity() -> None:
    docs = corpus((("Maduro", PER),), (("Nicolas Maduro Moros", PER),), (("Nicolás Maduro", PER), ("Maduro", MISC)))
    links = link_actors(docs, aliases(EXAMPLE))
    maduro = Actor("nicolas-maduro", "Nicolás Maduro", PER)
    assert [a for a in links.actors if a.name.endswith("Maduro")] == [maduro]
    # The MISC "Maduro" is not forced (the actor is typed PER) but joins it by the automatic rule.
    assert {links.actor(k, t) for k, t in [("maduro", PER), ("nicolas-maduro-moros", PER), ("maduro", MISC)]} == {
        maduro
    }


# --- names kept apart ---------------------------------------------------------------------------------------

TRUMPS = [(("Donald Trump", PER),), (("Melania Trump", PER),), (("Trump", PER),)]

# (alias file, what the corpus holds, the entity looked up, the actor id it must belong to)
DISTINCT_CASES = [
    pytest.param(
        "", [(("Melania Trump", PER),), (("Trump", PER),)], ("trump", PER), "melania-trump", id="without-joins"
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Melania Trump", "Trump"]',
        [(("Melania Trump", PER),), (("Trump", PER),)],
        ("trump", PER),
        "trump",
        id="pair-kept-apart",
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Melania Trump", "Mr Trump"]',
        TRUMPS,
        ("trump", PER),
        "donald-trump",
        id="joins-the-one-candidate-left",
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Donald Trump", "Melania Trump", "Trump"]',
        [(("Donald Trump", PER),), (("Trump", PER),)],
        ("trump", PER),
        "trump",
        id="listed-with-all-its-own-actor",
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Donald Trump", "Melania Trump", "Trump"]',
        TRUMPS,
        ("melania-trump", PER),
        "melania-trump",
        id="full-names-stay-themselves",
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Comey", "James Comey"]',
        [(("Comey", MISC),), (("James Comey", PER),)],
        ("comey", MISC),
        "comey",
        id="misc-rule-too",
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Lopez", "Vladimir Padrino Lopez"]',
        [(("Lopez", PER),), (("Padrino Lopez", PER),), (("Vladimir Padrino Lopez", PER),)],
        ("lopez", PER),
        "lopez",
        id="not-into-an-actor-holding-the-name",
    ),
    pytest.param(
        '[[distinct]]\nnames = ["Lopez", "Vladimir Padrino Lopez"]',
        [(("Lopez", PER),), (("Padrino Lopez", PER),), (("Vladimir Padrino Lopez", PER),)],
        ("padrino-lopez", PER),
        "vladimir-padrino-lopez",
        id="other-names-still-join",
    ),
    pytest.param(
        '[[actor]]\nname = "Melania Trump"\naliases = ["Melania Knauss"]\n'
        '[[distinct]]\nnames = ["Melania Knauss", "Trump"]',
        [(("Melania Trump", PER),), (("Trump", PER),)],
        ("trump", PER),
        "trump",
        id="apart-from-a-forced-name-the-corpus-never-uses",
    ),
    pytest.param(
        '[[actor]]\nname = "Donald Trump"\naliases = ["Trump"]\n'
        '[[distinct]]\nnames = ["Melania Trump", "Donald Trump"]',
        TRUMPS,
        ("trump", PER),
        "donald-trump",
        id="forced-and-distinct-together",
    ),
]


@pytest.mark.parametrize(("text", "articles", "lookup", "expected"), DISTINCT_CASES)
def test_distinct_names_are_not_merged(
    text: str, articles: list[tuple[tuple[str, EntityType], ...]], lookup: tuple[str, EntityType], expected: str
) -> None:
    for order in itertools.permutations(articles):
        actor = link_actors(corpus(*order), aliases(text)).actor(*lookup)
        assert actor is not None and actor.id == expected


# --- no alias file: nothing changes -------------------------------------------------------------------------

UNCHANGED_CORPORA = [
    [(("Maduro", PER), ("Jones", PER)), (("Nicolás Maduro", PER), ("Graham Jones", PER))],
    [(("Jones", PER),), (("Graham Jones", PER),), (("Tom Jones", PER),), (("Jordan", LOC), ("Jordan", PER))],
    [(("Comey", MISC),), (("James Comey", PER),), (("Cup", MISC),), (("World Cup", MISC),)],
    TRUMPS,
]


@pytest.mark.parametrize("articles", UNCHANGED_CORPORA)
def test_no_alias_file_changes_nothing(articles: list[tuple[tuple[str, EntityType], ...]]) -> None:
    docs = corpus(*articles)
    plain = link_actors(docs)
    assert plain.distinct == ()
    assert link_actors(docs, None) == plain
    assert link_actors(docs, aliases("# nothing to correct\n")) == plain
    # An alias file about other names changes nothing either.
    assert link_actors(docs, aliases(GUAIDO + '\n[[distinct]]\nnames = ["A B", "B"]')).links == plain.links


def test_order_independent_with_aliases() -> None:
    articles = [
        (("Maduro", PER), ("Trump", PER)),
        (("Nicolas Maduro Moros", PER), ("Melania Trump", PER)),
        (("Donald Trump", PER), ("Venezuela", LOC), ("Venezuela", ORG)),
        (("Bolivarian Republic of Venezuela", LOC), ("Mr Trump", MISC)),
    ]
    text = EXAMPLE.replace('"Donald Trump", ', "")  # Trump stays free to join Donald Trump
    results = {link_actors(corpus(*perm), aliases(text)) for perm in itertools.permutations(articles)}
    assert len(results) == 1
    (links,) = results
    trump = links.actor("trump", PER)
    assert trump is not None and trump.id == "donald-trump"


# --- splitting an article's entity --------------------------------------------------------------------------

TEXT = "Melania Trump arrived in Caracas. President Mr. Trump said: “We stand with you.” She smiled."


def at(words: str) -> Span:
    start = TEXT.index(words)
    return Span(start, start + len(words))


def melania_article() -> Document:
    """The per-article grouping took "Mr. Trump" for a short form of "Melania Trump"."""
    first_lady = Label("First Lady", "first lady", LabelKind.APPOSITIVE, at("arrived"), mention=at("Melania Trump"))
    president = Label("President", "president", LabelKind.TITLE, at("President"), mention=at("Mr. Trump"))
    free = Label("guest", "guest", LabelKind.DESCRIPTION, at("Caracas"))
    melania = Entity(
        "melania-trump",
        "Melania Trump",
        PER,
        (
            Mention(at("Melania Trump"), "Melania Trump"),
            Mention(at("Mr. Trump"), "Mr. Trump"),
            Mention(at("She"), "She", MentionKind.PRONOUN),
        ),
        (first_lady, president, free),
    )
    caracas = Entity("caracas", "Caracas", LOC, (Mention(at("Caracas"), "Caracas"),))
    said = Quote(
        "We stand with you.",
        (at("We stand with you."),),
        QuoteKind.DIRECT,
        speaker="Melania Trump",
        speaker_id="melania-trump",
        speaker_mention=at("Mr. Trump"),
        cue="said",
        attribution=Attribution.CUE_BEFORE,
    )
    article = Article.create(TEXT, ArticleMeta("melania.txt"), SourceFormat.TEXT)
    return Document(article, entities=(melania, caracas), quotes=(said,))


def other_article() -> Document:
    article = Article.create("Donald Trump spoke.", ArticleMeta("donald.txt"), SourceFormat.TEXT)
    return Document(article, entities=(entity("Donald Trump"),))


@pytest.mark.parametrize(
    ("text", "trump"),
    [
        pytest.param('[[distinct]]\nnames = ["Melania Trump", "Trump"]', "donald-trump", id="to-the-one-trump-left"),
        pytest.param(EXAMPLE, "trump", id="to-its-own-actor"),
    ],
)
def test_an_entity_holding_names_kept_apart_is_split(text: str, trump: str) -> None:
    docs = [melania_article(), other_article()]
    links = link_actors(docs, aliases(text))
    linked = apply_links(docs[0], links)

    melania, moved = linked.entity("melania-trump"), linked.entity(trump)
    assert melania is not None and moved is not None
    assert [m.text for m in melania.mentions] == ["Melania Trump", "She"]  # a pronoun stays
    assert [label.text for label in melania.labels] == ["First Lady", "guest"]  # a free label stays
    assert [m.text for m in moved.mentions] == ["Mr. Trump"]
    assert [label.text for label in moved.labels] == ["President"]  # moves with its mention
    assert moved.name == ("Donald Trump" if trump == "donald-trump" else "Trump")
    assert linked.entity("caracas") is not None

    (q,) = linked.quotes  # attributed at the moved mention: the moved mention's actor
    assert (q.speaker_id, q.speaker) == (moved.id, moved.name)
    assert apply_links(linked, links) == linked  # idempotent


def test_no_split_without_names_kept_apart() -> None:
    docs = [melania_article(), other_article()]
    for text in ("", GUAIDO, '[[distinct]]\nnames = ["Donald Trump", "Trump"]'):
        linked = apply_links(docs[0], link_actors(docs, aliases(text)))
        melania = linked.entity("melania-trump")
        assert melania is not None and len(melania.mentions) == 3 and len(melania.labels) == 3
        assert linked.quotes[0].speaker_id == "melania-trump"


def test_split_is_order_independent() -> None:
    docs = [melania_article(), other_article()]
    parsed = aliases('[[distinct]]\nnames = ["Melania Trump", "Trump"]')
    assert link_actors(docs, parsed) == link_actors(docs[::-1], parsed)
    links = link_actors(docs, parsed)
    assert links.actor("trump", PER) == Actor("donald-trump", "Donald Trump", PER)  # the split-off name is linked


def test_the_documented_files_parse() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "aliases.md").read_text(encoding="utf-8")
    blocks = [block.split("```", 1)[0] for block in doc.split("```toml\n")[1:]]
    assert len(blocks) == 2
    for block in blocks:
        parsed = aliases(block)
        assert parsed.actors and parsed.distinct
