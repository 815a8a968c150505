"""Entities from a recogniser's tags and speakers from a parse, on hand-built words (no model needed)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from rashomon.model import Article, ArticleMeta, Document, EntityType, SourceFormat, Word
from rashomon.nlp import Pipeline
from rashomon.nlp.entities import ner_stage
from rashomon.nlp.quotes import extract_quotes
from rashomon.settings import Settings


def patterns(doc: Document) -> Document:
    """The quotes the patterns find on a hand-made parse: the learned model is left out, since its features
    would read these partial parses as real ones."""
    quotes, entities = extract_quotes(doc)
    return replace(doc, quotes=quotes, entities=entities)


def words_of(text: str, analysis: dict[str, tuple[str, str, str]]) -> tuple[Word, ...]:
    """Words for each whitespace/punctuation token; ``analysis`` maps a word's text to (head text, dep, ent tag)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    texts = [text[s:e] for s, e in spans]
    out = []
    for i, (start, end) in enumerate(spans):
        head_text, dep, ent = analysis.get(texts[i], ("", "dep", "O"))
        head = texts.index(head_text) if head_text else i
        iob, _, etype = ent.partition("-")
        out.append(Word(start, end, "X", "X", texts[i].lower(), dep, head, iob or "O", etype))
    return tuple(out)


def segmented(text: str) -> Document:
    doc = Document(Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT))
    return Pipeline(["paragraphs", "sentences"])(doc)


def test_names_come_from_the_recogniser_with_labels() -> None:
    text = "Venezuelan Defense Minister Vladimir Padrino Lopez met Juan Guaidó in Caracas."
    tags = {
        "Vladimir": ("", "dep", "B-PER"),
        "Padrino": ("", "dep", "I-PER"),
        "Lopez": ("", "dep", "I-PER"),
        "Juan": ("", "dep", "B-PER"),
        "Guaidó": ("", "dep", "I-PER"),
        "Caracas": ("", "dep", "B-LOC"),
    }
    doc = replace(segmented(text), words=words_of(text, tags))
    table = {e.name: (e.type, tuple(label.text for label in e.labels)) for e in ner_stage(doc, Settings()).entities}
    assert table == {
        "Vladimir Padrino Lopez": (EntityType.PERSON, ("Venezuelan Defense Minister",)),
        "Juan Guaidó": (EntityType.PERSON, ()),
        "Caracas": (EntityType.LOCATION, ()),
    }


@pytest.mark.parametrize(
    ("text", "tags", "name", "expected"),
    [
        # A title in the text outranks the recogniser's guess.
        ("President Maduro spoke.", {"Maduro": ("", "dep", "B-LOC")}, "Maduro", EntityType.PERSON),
        # A known place outranks it too.
        ("They met in Caracas.", {"Caracas": ("", "dep", "B-PER")}, "Caracas", EntityType.LOCATION),
        # Without evidence in the text, the recogniser decides.
        ("They met Smartmatic.", {"Smartmatic": ("", "dep", "B-ORG")}, "Smartmatic", EntityType.ORGANIZATION),
    ],
)
def test_evidence_in_the_text_outranks_the_guess(
    text: str, tags: dict[str, tuple[str, str, str]], name: str, expected: EntityType
) -> None:
    doc = replace(segmented(text), words=words_of(text, tags))
    assert {e.name: e.type for e in ner_stage(doc, Settings()).entities}[name] is expected


def test_short_form_joins_the_full_name_despite_a_wrong_guess() -> None:
    text = "Jeremy Corbyn spoke. Later Corbyn left."
    tags = {"Jeremy": ("", "dep", "B-PER"), "Corbyn": ("", "dep", "I-PER")}
    words = list(words_of(text, tags))
    words[5] = replace(words[5], ent_iob="B", ent_type="ORG")  # the second "Corbyn", mistyped
    doc = ner_stage(replace(segmented(text), words=tuple(words)), Settings())
    (corbyn,) = doc.entities
    assert (corbyn.name, corbyn.type, len(corbyn.mentions)) == ("Jeremy Corbyn", EntityType.PERSON, 2)


def test_parse_gives_the_subject_where_patterns_would_guess() -> None:
    # Patterns alone read "Caracas said" here; the parse says the minister said it.
    text = "The minister who met the envoys in Caracas said “we will not resign”."
    analysis = {"minister": ("said", "nsubj", "O"), "said": ("", "ROOT", "O"), "Caracas": ("met", "obl", "B-LOC")}
    base = segmented(text)
    without_parse = patterns(
        ner_stage(replace(base, words=words_of(text, {"Caracas": ("", "dep", "B-LOC")})), Settings())
    )
    with_parse = patterns(ner_stage(replace(base, words=words_of(text, analysis)), Settings()))
    assert [q.speaker for q in with_parse.quotes] == ["minister"]
    assert [q.speaker for q in without_parse.quotes] != ["minister"]


def test_coordinated_cue_borrows_the_subject() -> None:
    text = "Moscow called for calm and said “violence must stop”."
    analysis = {
        "Moscow": ("called", "nsubj", "B-LOC"),
        "called": ("", "ROOT", "O"),
        "said": ("called", "conj", "O"),
    }
    doc = segmented(text)
    doc = patterns(ner_stage(replace(doc, words=words_of(text, analysis)), Settings()))
    (quote,) = doc.quotes
    assert (quote.speaker, quote.cue) == ("Moscow", "said")


def test_subject_name_runs_to_the_end_of_its_chain() -> None:
    # Regression: UD heads a name on its first word, so the parse alone would make "Jeremy" the speaker.
    text = "Jeremy Corbyn said “violence is not the answer”."
    analysis = {
        "Jeremy": ("said", "nsubj", "B-PER"),
        "Corbyn": ("Jeremy", "flat", "I-PER"),
        "said": ("", "ROOT", "O"),
    }
    doc = patterns(ner_stage(replace(segmented(text), words=words_of(text, analysis)), Settings()))
    assert [q.speaker for q in doc.quotes] == ["Jeremy Corbyn"]


def test_role_description_means_the_salient_person_not_the_last_speaker() -> None:
    # Regression: once a recogniser typed "Smartmatic" a person, "The Labour leader" went to it.
    text = (
        "Jeremy Corbyn condemned the violence. Corbyn was under pressure.\n"
        "Smartmatic said turnout was overstated.\n"
        "The Labour leader said: “I am very sad.”"
    )
    tags = {
        "Jeremy": ("", "dep", "B-PER"),
        "Corbyn": ("", "dep", "I-PER"),
        "Smartmatic": ("", "dep", "B-PER"),
    }
    words = list(words_of(text, tags))
    second_corbyn = [i for i, w in enumerate(words) if text[w.start : w.end] == "Corbyn"][1]
    words[second_corbyn] = replace(words[second_corbyn], ent_iob="B")
    doc = patterns(ner_stage(replace(segmented(text), words=tuple(words)), Settings()))
    direct = [q for q in doc.quotes if q.text == "I am very sad."]
    assert [q.speaker for q in direct] == ["Jeremy Corbyn"]


def test_punctuation_at_the_edges_of_a_recognised_name_is_dropped() -> None:
    # Regression: a span taking in a bracket made an actor named ") Liberation".
    text = "The Communist Party of India (Marxist-Leninist) Liberation signed."
    words = list(words_of(text, {}))
    inside = [i for i, w in enumerate(words) if text[w.start : w.end] in {")", "Liberation"}]
    for n, i in enumerate(inside):
        words[i] = replace(words[i], ent_iob="B" if n == 0 else "I", ent_type="ORG")
    doc = ner_stage(replace(segmented(text), words=tuple(words)), Settings())
    assert [e.name for e in doc.entities] == ["Liberation"]


@pytest.mark.parametrize(
    "text",
    ["Mr. Trump's decision is pending.", "Mr. Trump’s decision is pending.", "It was Trump's decision."],
)
def test_a_possessive_name_is_a_mention(text: str) -> None:
    # Regression (NewsWCL50, issue 5): spaCy tags "Trump" and "'s" apart, our tokens hold "Trump's" as one word,
    # and the name was dropped: 107 of the 192 Trump mentions the actor evaluation missed.
    words = list(words_of(text, {}))
    at = next(i for i, w in enumerate(words) if text[w.start : w.end] == "Trump")
    words[at] = replace(words[at], ent_iob="B", ent_type="PER")
    doc = ner_stage(replace(segmented(text), words=tuple(words)), Settings())
    assert [(e.name, [text[m.span.start : m.span.end] for m in e.mentions]) for e in doc.entities] == [
        ("Trump", ["Trump"])
    ]
