"""The labels stage on real parses: appositives, predicates, institutions, descriptions and scare quotes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from rashomon.ingest import read_sources
from rashomon.model import (
    Article,
    ArticleMeta,
    Document,
    Entity,
    EntityType,
    Label,
    LabelKind,
    Mention,
    MentionKind,
    SourceFormat,
    Span,
)
from rashomon.nlp import Pipeline, get_stage
from rashomon.nlp.labels import INSTITUTION_NOUNS, find_labels, labels_stage
from rashomon.settings import Settings

Analyze = Callable[[str], Document]
STAGES = ("paragraphs", "sentences", "syntax", "ner", "labels")

A = LabelKind.APPOSITIVE
P = LabelKind.PREDICATE
I = LabelKind.INSTITUTION  # noqa: E741
T = LabelKind.TITLE
D = LabelKind.DESCRIPTION


@pytest.fixture(scope="module")
def parsed() -> Analyze:
    """The text parsed by the shipped pipeline, entities found, labels added."""
    pipeline = Pipeline(STAGES)

    def run(text: str) -> Document:
        return pipeline(Document(Article.create(text, ArticleMeta("test.txt"), SourceFormat.TEXT)))

    return run


@pytest.fixture(scope="module")
def examples(examples_dir: Path) -> dict[str, Document]:
    """The example corpus, as ingested (metadata, boilerplate rules), with labels; keyed by file name prefix."""
    pipeline = Pipeline(STAGES)
    articles = [a for a in read_sources([examples_dir], Settings()) if isinstance(a, Article)]
    return {Path(a.meta.source_path).name[:3]: pipeline(Document(a)) for a in articles}


def labels_of(doc: Document, name: str) -> list[Label]:
    entity = next((e for e in doc.entities if e.name == name), None)
    assert entity is not None, f"no entity {name!r} in {[e.name for e in doc.entities]}"
    return list(entity.labels)


def table(doc: Document, kinds: tuple[LabelKind, ...] = (A, P, I, D)) -> set[tuple[str, LabelKind, str]]:
    return {(e.name, lb.kind, lb.text) for e in doc.entities for lb in e.labels if lb.kind in kinds}


# -- appositives ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        (
            "Juan Andres Mejia, a Venezuelan opposition politician, disagreed.",
            "Juan Andres Mejia",
            "Venezuelan opposition politician",
        ),
        ("Venezuela's opposition leader, Juan Guaidó, said so.", "Juan Guaidó", "Venezuela's opposition leader"),
        (
            "And the country's defence minister, Vladimir Padrino, agreed.",
            "Vladimir Padrino",
            "country's defence minister",
        ),
        ("Jeremy Corbyn, the Labour leader, said he was sad.", "Jeremy Corbyn", "Labour leader"),
        ("Angela Smith, another Labour member of the APPG, said it.", "Angela Smith", "Labour member of the APPG"),
        (
            "“We have made clear that he received the most votes,” Matthew Miller, Department Spokesperson told "
            "reporters on Wednesday.",
            "Matthew Miller",
            "Department Spokesperson",
        ),
        # A relative clause is never part of the label.
        (
            "Juan Guaidó, a lawmaker who was elected to lead the National Assembly in January, spoke.",
            "Juan Guaidó",
            "lawmaker",
        ),
    ],
)
def test_appositive_labels(parsed: Analyze, text: str, name: str, label: str) -> None:
    doc = parsed(text)
    found = [lb for lb in labels_of(doc, name) if lb.kind is A]
    assert [lb.text for lb in found] == [label]
    mention = next(m for e in doc.entities if e.name == name for m in e.mentions)
    assert found[0].mention == mention.span
    assert found[0].span.of(text) == label


@pytest.mark.parametrize(
    "text",
    [
        "Maduro, Guaidó and Lopez met in Caracas.",  # a list of names
        "Russia, China and several other countries expressed their support for Maduro.",  # a list, several
        "They met in Caracas, Venezuela, on Friday.",  # a place beside a place
        # The parse hangs "Tuesday" on the name: not an appositive set off right after it.
        "Trump, who welcomed Shinzo Abe to his Florida resort Tuesday, said five places are under consideration.",
    ],
)
def test_no_appositive_labels(parsed: Analyze, text: str) -> None:
    assert table(parsed(text), (A,)) == set()


def test_a_dateline_is_no_appositive(parsed: Analyze) -> None:
    """Regression: "WASHINGTON — A series of memos" gave the dateline the label "series"."""
    doc = parsed(
        "Comey memos released to Congress, track his testimony and new book.\nWASHINGTON — A series of explosive "
        "memos prepared by former FBI director James Comey about his troubling encounters with President Trump were "
        "released Thursday."
    )
    assert table(doc, (A,)) == set()


def test_a_party_code_is_no_appositive(parsed: Analyze) -> None:
    """Regression: "Bob Goodlatte (R-Va.)" gave the label "R"."""
    doc = parsed("It came days after Chairman Bob Goodlatte (R-Va.) threatened to subpoena the memos.")
    assert table(doc, (A,)) == set()


def test_an_apposition_to_a_symbol_does_not_crash(parsed: Analyze) -> None:
    """Regression (ECB+, issue 5): in "posted $ 7,500 (U.S.) bail" the parse made "U.S." an apposition of the
    dollar sign, whose label phrase came out empty and crashed the stage."""
    doc = parsed("The 19-year-old was arrested. Daniel Villa posted $ 7,500 (U.S.) bail yesterday and was released.")
    assert "Daniel Villa" in {e.name for e in doc.entities}
    assert all(label.text for e in doc.entities for label in e.labels)


# -- predicates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Maduro is a dictator.", "Maduro", "dictator"),
        ("Guaidó was the head of the National Assembly.", "Guaidó", "head of the National Assembly"),
        ("Guaidó, who is a lawmaker, spoke.", "Guaidó", "lawmaker"),
        ("The US recognised Juan Guaidó as interim president.", "Juan Guaidó", "interim president"),
        ("The US recognised Juan Guaidó as interim president and called Maduro a usurper.", "Maduro", "usurper"),
        ("Maduro accused the US of trying to install Guaidó as his puppet.", "Guaidó", "his puppet"),
    ],
)
def test_predicate_labels(parsed: Analyze, text: str, name: str, label: str) -> None:
    assert [lb.text for lb in labels_of(parsed(text), name) if lb.kind is P] == [label]


@pytest.mark.parametrize(
    "text",
    [
        "Maduro is not a dictator.",
        "Maduro is never a democrat.",
        "Is Maduro a dictator?",
        "Maduro may be a dictator.",
        "If Maduro were a dictator, he would say so.",
        "The Lima Group refused to recognize Maduro as the elected President of Venezuela.",
        "The leader is a dictator, Maduro said.",  # the subject is not the name
    ],
)
def test_no_predicate_labels(parsed: Analyze, text: str) -> None:
    assert table(parsed(text), (P,)) == set()


def test_a_place_as_predicate_is_no_label(parsed: Analyze) -> None:
    """Regression: "Corbyn has been under pressure" gave Corbyn the label "pressure"."""
    assert table(parsed("Corbyn has been under pressure to speak out."), (P,)) == set()


def test_an_as_phrase_goes_to_the_name_right_before_it(parsed: Analyze) -> None:
    """Regression: "describing Japan as a great ally ... and Mr. Abe as a friend" gave Japan the friend."""
    doc = parsed("He described Japan as a great ally of the United States and Mr. Abe as a friend of Mr. Trump.")
    assert ("Japan", P, "friend of Mr. Trump") not in table(doc)


# -- institutions ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Critics say the Maduro regime has fallen.", "Maduro", "regime"),
        ("The Maduro government fell.", "Maduro", "government"),
        ("Maduro's government lied.", "Maduro", "government"),
        ("The brutal Maduro dictatorship ended.", "Maduro", "brutal dictatorship"),
        ("Corbyn praised the government led by President Maduro.", "Maduro", "government"),
        (
            "They overthrew the democratically elected government of President Nicolas Maduro.",
            "Nicolas Maduro",
            "democratically elected government",
        ),
        ("They condemn the Donald Trump administration for its support.", "Donald Trump", "administration"),
    ],
)
def test_institution_labels(parsed: Analyze, text: str, name: str, label: str) -> None:
    found = [lb for lb in labels_of(parsed(text), name) if lb.kind is I]
    assert [lb.text for lb in found] == [label]
    assert name.split()[-1] not in found[0].text  # the actor's name is never part of its institution's label


@pytest.mark.parametrize(
    "text",
    [
        "The Maduro family lives in Caracas.",  # not an institution noun
        "The Circle of the People's Movement signed the statement.",  # the noun opens a name of its own
        "Several of his attorneys donated to Democratic campaigns.",  # an adjective, not an actor
    ],
)
def test_no_institution_labels(parsed: Analyze, text: str) -> None:
    assert table(parsed(text), (I,)) == set()


def test_a_name_joined_by_and_owns_no_institution(parsed: Analyze) -> None:
    """Regression: "Democrats sue Russia and Trump campaign" gave Russia the campaign."""
    doc = parsed("Democrats sue Russia and Trump campaign for collusion.")
    assert not {label for label in table(doc, (I,)) if label[0] == "Russia"}


def test_institution_nouns_are_lowercase_words() -> None:
    assert all(w == w.lower() and " " not in w for w in INSTITUTION_NOUNS)


# -- descriptions ---------------------------------------------------------------------------------------------


def test_a_description_stands_for_the_one_entity_with_that_label(parsed: Analyze) -> None:
    text = "Labour leader Jeremy Corbyn spoke on Monday. Later the Labour leader said no."
    doc = parsed(text)
    corbyn = next(e for e in doc.entities if e.name == "Jeremy Corbyn")
    described = [m for m in corbyn.mentions if m.kind is MentionKind.DESCRIPTION]
    assert [(m.text, m.label) for m in described] == [("the Labour leader", None)]
    assert described[0].span.start == text.index("the Labour leader")
    (label,) = [lb for lb in corbyn.labels if lb.kind is D]
    assert (label.text, label.normal, label.mention) == ("Labour leader", "labour leader", described[0].span)
    assert list(corbyn.mentions) == sorted(corbyn.mentions, key=lambda m: m.span.start)


@pytest.mark.parametrize(
    "text",
    [
        # Two spokesmen before: ambiguous.
        "Government spokesman John Smith and Labour spokesman Tom Jones spoke. The spokesman said no.",
        # The description comes before the label.
        "The Labour leader spoke first. Then Labour leader Jeremy Corbyn left.",
        # Restricted to someone else.
        "CIA director Mike Pompeo spoke. He is close to the director of South Korea's intelligence service.",
        # Plural.
        "Labour leader Jeremy Corbyn spoke. The Labour leaders said no.",
    ],
)
def test_no_description(parsed: Analyze, text: str) -> None:
    doc = parsed(text)
    assert [m for e in doc.entities for m in e.mentions if m.kind is MentionKind.DESCRIPTION] == []
    assert table(doc, (D,)) == set()


# -- scare quotes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "kind", "label"),
    [
        ("The 'interim president' Juan Guaidó spoke.", "Juan Guaidó", T, "interim president"),
        ("The “interim president” Juan Guaidó spoke.", "Juan Guaidó", T, "interim president"),
        ("They recognised Juan Guaidó as “interim president” last week.", "Juan Guaidó", P, "interim president"),
        ('He denounced Mr. Kim as a "madman," and left.', "Kim", P, "madman"),
    ],
)
def test_scare_quoted_labels(parsed: Analyze, text: str, name: str, kind: LabelKind, label: str) -> None:
    found = [lb for lb in labels_of(parsed(text), name) if lb.kind is kind]
    assert [(lb.text, lb.normal, lb.scare_quoted) for lb in found] == [(label, label.lower(), True)]


@pytest.mark.parametrize(
    ("text", "name", "kind", "label"),
    [
        # Inside someone's long direct quote: their words, not the writer's distance.
        (
            "“We will never accept Juan Guaidó, a puppet of Washington,” said Maduro.",
            "Juan Guaidó",
            A,
            "puppet of Washington",
        ),
        ('"Maduro is a dictator who must go," said Smith.', "Maduro", P, "dictator"),
        ("Self-proclaimed President Juan Guaidó posted a video.", "Juan Guaidó", T, "Self-proclaimed President"),
    ],
)
def test_labels_not_scare_quoted(parsed: Analyze, text: str, name: str, kind: LabelKind, label: str) -> None:
    found = [lb for lb in labels_of(parsed(text), name) if lb.kind is kind]
    assert [(lb.text, lb.scare_quoted) for lb in found] == [(label, False)]


# -- the stage ------------------------------------------------------------------------------------------------


def test_the_stage_is_registered_after_ner() -> None:
    stage = get_stage("labels")
    assert stage.requires == {"sentences", "words", "entities"}
    assert stage.assigns == {"entities"}
    pipeline = Settings().pipeline
    if "labels" in pipeline:
        assert pipeline.index("labels") == pipeline.index("ner") + 1


def test_labels_are_sorted_and_never_twice(parsed: Analyze) -> None:
    text = (
        "Venezuela's opposition leader, Juan Guaidó, spoke. The US recognised Juan Guaidó as interim president. "
        "The Maduro regime fell, and Maduro's government lied."
    )
    doc = parsed(text)
    for entity in doc.entities:
        spans = [(lb.span.start, lb.span.end) for lb in entity.labels]
        assert spans == sorted(spans)
        assert len({(lb.span, lb.kind) for lb in entity.labels}) == len(entity.labels)
    # Running the stage again adds nothing.
    assert labels_stage(doc, Settings()).entities == doc.entities


def test_a_document_without_words_is_left_alone(parsed: Analyze) -> None:
    doc = replace(parsed("Maduro is a dictator."), words=())
    assert labels_stage(doc, Settings()).entities == doc.entities
    empty = Document(Article.create("", ArticleMeta("t.txt"), SourceFormat.TEXT))
    assert find_labels(empty) == ()


def test_mentions_off_word_boundaries_do_not_crash(parsed: Analyze) -> None:
    doc = parsed("Maduro is a dictator. The Maduro regime fell.")
    odd = Entity("odd", "aduro is", EntityType.PERSON, (Mention(Span(1, 9), "aduro is"), Mention(Span(40, 200), "x")))
    out = find_labels(replace(doc, entities=(*doc.entities, odd)))
    assert next(e for e in out if e.id == "odd").labels == ()
    assert ("Maduro", P, "dictator") in {(e.name, lb.kind, lb.text) for e in out for lb in e.labels}


# -- the example corpus ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "name", "kind", "label", "scare_quoted"),
    [
        ("000", "Maduro", I, "government", False),  # "the Maduro government"
        ("000", "Hugo Chavez", I, "socialist government", False),  # "the socialist government ... led by"
        ("001", "Angela Smith", A, "Labour member of the APPG", False),
        ("001", "Nicolas Maduro", I, "government", False),  # "Maduro's government"
        ("002", "Edmundo González", A, "opposition candidate", False),
        ("002", "Matthew Miller", A, "Department Spokesperson", False),
        ("003", "Juan Guaidó", T, "Self-proclaimed President", False),
        ("003", "Juan Guaidó", P, "his puppet", False),
        ("003", "Juan Guaidó", P, "interim leader of the country", False),  # "proclaimed himself"
        ("003", "Nicolás Maduro", T, "legitimate President", False),
        ("003", "Nicolás Maduro", P, "only legitimate president of Venezuela", False),
        ("003", "Nicolás Maduro", I, "military supporters", False),
        ("004", "Juan Guaido", P, "interim president", True),
        ("004", "Juan Guaido", D, "unelected and illegitimate interim president", True),
        ("004", "Nicolas Maduro", I, "democratically elected government", False),
        ("004", "Pinochet", I, "brutal dictatorship", False),
        ("004", "Donald Trump", I, "administration", False),
    ],
)
def test_example_labels(
    examples: dict[str, Document], article: str, name: str, kind: LabelKind, label: str, scare_quoted: bool
) -> None:
    found = {(lb.kind, lb.text, lb.scare_quoted) for lb in labels_of(examples[article], name)}
    assert (kind, label, scare_quoted) in found


@pytest.mark.parametrize(
    ("article", "name", "kind", "label"),
    [
        ("000", "Jeremy Corbyn", P, "pressure"),  # "under pressure"
        ("004", "Nicolas Maduro", P, "elected President of Venezuela"),  # "refused to recognize Maduro as"
    ],
)
def test_example_labels_absent(
    examples: dict[str, Document], article: str, name: str, kind: LabelKind, label: str
) -> None:
    doc = examples[article]
    assert (name, kind, label) not in table(doc, (kind,))


def test_example_guaido_is_the_unelected_interim_president(examples: dict[str, Document]) -> None:
    doc = examples["004"]
    guaido = next(e for e in doc.entities if e.name == "Juan Guaido")
    described = [m.text for m in guaido.mentions if m.kind is MentionKind.DESCRIPTION]
    assert described == ["the unelected and illegitimate “interim president”"]


def test_example_labels_are_few_and_short(examples: dict[str, Document]) -> None:
    for doc in examples.values():
        for entity in doc.entities:
            for label in entity.labels:
                assert 0 < len(label.text.split()) <= 8
                assert not any(mark in label.text for mark in '“”"')
