"""The learned attribution model: parse-based candidates, cue spans, the shipped weights, and the merge into quotes."""

from __future__ import annotations

import dataclasses
import zlib
from pathlib import Path

import numpy as np
import pytest

from rashomon.errors import ModelNotFoundError
from rashomon.model import Article, ArticleMeta, Document, QuoteKind, SourceFormat, Span, Word
from rashomon.nlp import Pipeline
from rashomon.nlp.attribution import (
    HASH_BITS,
    TAGS,
    AttributionModel,
    Parse,
    TokenVocab,
    antecedent,
    content_candidates,
    cue_span,
    decode_bio,
    hashed,
    paragraph_sequences,
    shipped_model,
    source_candidates,
    tag_spans,
    tagger_inputs,
)


def parsed(text: str, analysis: list[tuple[str, str, str, str, int]]) -> Document:
    """A document with a hand-made parse: (form, pos, lemma, dep, head) per word, forms found in order."""
    words, at = [], 0
    for form, pos, lemma, dep, head in analysis:
        start = text.index(form, at)
        at = start + len(form)
        words.append(Word(start, at, pos, pos, lemma, dep, head))
    article = Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT)
    return Document(article, paragraphs=(Span(0, len(text)),), sentences=(Span(0, len(text)),), words=tuple(words))


# "Officials have not said that the plan was dead."
SAID = parsed(
    "Officials have not said that the plan was dead.",
    [
        ("Officials", "NOUN", "official", "nsubj", 3),
        ("have", "AUX", "have", "aux", 3),
        ("not", "PART", "not", "advmod", 3),
        ("said", "VERB", "say", "ROOT", 3),
        ("that", "SCONJ", "that", "mark", 8),
        ("the", "DET", "the", "det", 6),
        ("plan", "NOUN", "plan", "nsubj", 8),
        ("was", "AUX", "be", "cop", 8),
        ("dead", "ADJ", "dead", "ccomp", 3),
        (".", "PUNCT", ".", "punct", 3),
    ],
)

# "According to the report, officials who spoke called for calm."
ACCORDING = parsed(
    "According to the report, officials who spoke called for calm.",
    [
        ("According", "VERB", "accord", "case", 3),
        ("to", "ADP", "to", "fixed", 0),
        ("the", "DET", "the", "det", 3),
        ("report", "NOUN", "report", "obl", 8),
        (",", "PUNCT", ",", "punct", 3),
        ("officials", "NOUN", "official", "nsubj", 8),
        ("who", "PRON", "who", "nsubj", 7),
        ("spoke", "VERB", "speak", "acl:relcl", 5),
        ("called", "VERB", "call", "ROOT", 8),
        ("for", "ADP", "for", "case", 10),
        ("calm", "NOUN", "calm", "obl", 8),
        (".", "PUNCT", ".", "punct", 8),
    ],
)


def forms(p: Parse, idxs: tuple[int, ...]) -> str:
    return " ".join(p.form(i) for i in idxs)


@pytest.mark.parametrize(
    ("doc", "cue", "expected"),
    [
        (SAID, 3, "have not said"),  # auxiliaries and negation join the cue word
        (ACCORDING, 0, "According to"),
        (ACCORDING, 8, "called for"),  # the preposition right after the verb
        (ACCORDING, 7, "spoke"),  # nothing to add
    ],
)
def test_cue_span(doc: Document, cue: int, expected: str) -> None:
    p = Parse.of(doc)
    assert forms(p, cue_span(p, cue)) == expected


def test_content_candidates_hold_the_complement_clause_without_the_cue() -> None:
    p = Parse.of(SAID)
    candidates = dict(content_candidates(p, 3, cue_span(p, 3)))
    assert forms(p, candidates["child:ccomp:R"]) == "that the plan was dead"
    assert all(3 not in span for span in candidates.values())
    # "called for calm": "for" belongs to the cue, the content is what remains of the phrase.
    p = Parse.of(ACCORDING)
    assert forms(p, dict(content_candidates(p, 8, cue_span(p, 8)))["child:obl:R"]) == "calm"


def test_source_candidates_offer_phrases_and_none() -> None:
    p = Parse.of(SAID)
    candidates = source_candidates(p, 3, cue_span(p, 3))
    assert candidates[0] == (-1, ())  # "no source" always comes first
    assert [forms(p, span) for _, span in candidates[1:]] == ["Officials", "the plan"]
    assert p.path(0, 3) == "nsubj^" and p.path(6, 3) == "nsubj^ccomp^"


@pytest.mark.parametrize(("head", "expected"), [(6, "officials"), (5, ""), (-1, "")])
def test_relative_pronoun_source_has_an_antecedent(head: int, expected: str) -> None:
    p = Parse.of(ACCORDING)
    assert forms(p, antecedent(p, head)) == expected


def test_hashing_is_stable_across_processes() -> None:
    # CRC-32, not hash(): the trained weights must index the same rows in every process.
    assert hashed(["l=say"]).tolist() == [zlib.crc32(b"l=say") & ((1 << HASH_BITS) - 1)]


def test_shipped_model_finds_the_reported_clause_and_its_source() -> None:
    p = Parse.of(SAID)
    (report,) = list(shipped_model().find(p))
    assert forms(p, report.cue) == "have not said"
    assert forms(p, report.content) == "that the plan was dead"
    assert forms(p, report.source) == "Officials"
    assert 0.5 <= report.score <= 1.0


def test_model_round_trip_and_missing_files(tmp_path: Path) -> None:
    model = AttributionModel(np.ones(4), np.zeros(4), np.full(4, 2.0), frozenset({"say"}), 0.7)
    model.save(tmp_path)
    loaded = AttributionModel.load(tmp_path)
    assert loaded.cue_lemmas == {"say"} and loaded.threshold == pytest.approx(0.7)
    assert loaded.source.tolist() == [2.0] * 4
    with pytest.raises(ModelNotFoundError, match=r"nowhere.*weights\.npz"):
        AttributionModel.load(tmp_path / "nowhere")


def analysed(text: str) -> Document:
    stages = ["language", "paragraphs", "sentences", "syntax", "ner", "quotes"]
    return Pipeline(stages)(Document(Article.create(text, ArticleMeta("t.txt"), SourceFormat.TEXT)))


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        # Reported speech holding quoted words: one mixed quote over the whole clause.
        ("The senator insisted that the plan was “dead on arrival” in Congress.", QuoteKind.MIXED, "dead on arrival"),
        # Reported thought without quote marks.
        ("Most voters believe that the economy is getting worse.", QuoteKind.INDIRECT, "the economy is getting worse"),
    ],
)
def test_learned_attributions_join_the_quotes(text: str, kind: QuoteKind, words: str) -> None:
    doc = analysed(text)
    found = [q for q in doc.quotes if words in q.text]
    assert [q.kind for q in found] == [kind]


def test_scare_quote_without_a_cue_stays_partial_and_unattributed() -> None:
    doc = analysed("The so-called “interim president” travelled to Bogotá on Monday.")
    assert [(q.kind, q.speaker) for q in doc.quotes] == [(QuoteKind.PARTIAL, None)]


@pytest.mark.parametrize(
    ("tags", "role", "expected"),
    [
        ([0, 1, 2, 0, 3, 5, 6, 6], "source", [(1, 2)]),
        ([0, 1, 2, 0, 3, 5, 6, 6], "cue", [(4,)]),
        ([0, 1, 2, 0, 3, 5, 6, 6], "content", [(5, 6, 7)]),
        ([6, 6, 0, 6], "content", [(0, 1), (3,)]),  # inside tags with nothing to continue start a span
        ([5, 5, 6], "content", [(0,), (1, 2)]),  # a begin tag always starts a new span
        ([0, 0], "cue", []),
    ],
)
def test_tag_spans(tags: list[int], role: str, expected: list[tuple[int, ...]]) -> None:
    assert tag_spans(tags, role) == expected


def _probs(*rows: dict[int, float]) -> np.ndarray:
    """One row per word: the given tag probabilities, the rest spread evenly."""
    out = np.zeros((len(rows), len(TAGS)))
    for k, row in enumerate(rows):
        rest = (1 - sum(row.values())) / (len(TAGS) - len(row))
        out[k] = [row.get(t, rest) for t in range(len(TAGS))]
    return out


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        # A valid argmax is kept as it is.
        (_probs({0: 0.9}, {3: 0.8}, {5: 0.7}, {6: 0.7}), [0, 3, 5, 6]),
        # "O I-content I-content": the content begins at the first inside word, since B is likelier than O there.
        (_probs({0: 0.9}, {6: 0.5, 5: 0.3, 0: 0.1}, {6: 0.9}), [0, 5, 6]),
        # ... or the doubtful O in the middle of a content joins it, when I beats B after it.
        (_probs({5: 0.9}, {0: 0.5, 6: 0.4}, {6: 0.9, 5: 0.01}), [5, 6, 6]),
        # An inside tag never starts a sequence, and never follows another role's tags.
        (_probs({6: 0.9, 5: 0.05}), [5]),
        (_probs({1: 0.9}, {4: 0.6, 3: 0.3}), [1, 3]),
    ],
)
def test_decode_bio_repairs_invalid_sequences(probs: np.ndarray, expected: list[int]) -> None:
    assert decode_bio([probs])[0].tolist() == expected


def test_decode_bio_batches_sequences_of_different_lengths_like_one_at_a_time() -> None:
    rng = np.random.default_rng(0)
    sequences = [rng.dirichlet(np.full(len(TAGS), 0.3), size=n) for n in (1, 7, 30, 12)]
    together = decode_bio(sequences)
    assert [t.tolist() for t in together] == [decode_bio([s])[0].tolist() for s in sequences]
    assert decode_bio([]) == []


def test_tagger_inputs_and_vocabulary_round_trip() -> None:
    p = Parse.of(SAID)
    vocab = TokenVocab.build([p])
    assert TokenVocab.from_arrays(vocab.arrays()) == vocab
    vectors, ids = tagger_inputs(p, vocab)
    assert vectors.shape == (len(p.words), 384) and ids.shape == (len(p.words), len(vocab.columns()))
    said = 3
    assert ids[said, 6] == 0 and ids[0, 6] == 2  # "said" is the root; "Officials" has its head to the right
    assert ids[0, 7] == vocab.lemma["say"]  # the head's lemma
    unseen = TokenVocab({}, {}, {}, {})
    assert set(tagger_inputs(p, unseen)[1][:, 4]) == {1}  # lemmas unseen in training share one id
    assert paragraph_sequences(p) == [list(range(len(p.words)))]


@pytest.mark.parametrize(
    ("stored", "expected_tail"),
    [
        ("fitting", "the document's vectors"),
        (None, "zeros"),  # read back from a store: no vectors
        ("too narrow", "zeros"),  # parsed by a pipeline of another width
    ],
)
def test_tagger_inputs_append_the_contextual_vectors_when_they_fit(stored: str | None, expected_tail: str) -> None:
    n = len(SAID.words)
    context = np.arange(n * 4, dtype=np.float16).reshape(n, 4) + 1
    vectors_of = {"fitting": context, "too narrow": context[:, :3], None: None}
    p = Parse.of(dataclasses.replace(SAID, word_vectors=vectors_of[stored]))
    vectors, _ = tagger_inputs(p, TokenVocab.build([p]), context=4)
    assert vectors.shape == (n, 384 + 4) and vectors.dtype == np.float32
    tail = context.astype(np.float32) if expected_tail == "the document's vectors" else np.zeros((n, 4))
    assert np.array_equal(vectors[:, 384:], tail)
    assert tagger_inputs(p, TokenVocab.build([p]))[0].shape == (n, 384)  # no context asked, none given


@pytest.mark.parametrize(
    ("second", "cue", "speaker"),
    [
        ("We call upon our governments to denounce the coup.", "call upon", "We"),
        # Regression: the apposition made it a definite description, resolved to the last organisation.
        (
            "We, the undersigned organisations, strongly condemn the coup attempt.",
            "condemn",
            "We, the undersigned organisations",
        ),
    ],
)
def test_first_person_source_is_kept_as_written(second: str, cue: str, speaker: str) -> None:
    # In a statement, "we" are its authors, not the last organisation mentioned.
    doc = analysed("Washington said the vote was rigged. " + second)
    voices = [(q.speaker, q.speaker_id) for q in doc.quotes if q.cue and cue in q.cue]
    assert voices == [(speaker, None)]


def test_sources_pair_with_the_nearest_cue() -> None:
    # Regression: the first cue of the sentence ("Asked") took the only source; it belongs to "said" beside it.
    doc = analysed("Asked if he condemned the government, Mr Corbyn said that violence was wrong on all sides.")
    assert [(q.cue, q.speaker, q.text) for q in doc.quotes] == [
        ("Asked", None, "if he condemned the government"),
        ("said", "Corbyn", "that violence was wrong on all sides"),
    ]
