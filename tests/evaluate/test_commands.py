"""`rashomon evaluate ner|parser|quotes` end to end, on tiny fixtures with pipelines whose scores are known."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from typer.testing import CliRunner

from rashomon.api import analyze_text
from rashomon.cli import app
from rashomon.evaluate import AttributionSpans, spans_of_quotes
from rashomon.evaluate.attributions import read_polnear
from rashomon.evaluate.formats import read_conllu
from rashomon.model import Article, ArticleMeta, Document, Quote, QuoteKind, SourceFormat, Span

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "evaluate"
runner = CliRunner()


def evaluate(kind: str, file: Path, model: Path) -> dict[str, object]:
    result = runner.invoke(app, ["evaluate", kind, str(file), "--model", str(model)])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def ruler_pipeline(tmp_path: Path, patterns: list[dict[str, object]]) -> Path:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    nlp.to_disk(tmp_path / "ruler")
    return tmp_path / "ruler"


def phrase(label: str, words: str) -> dict[str, object]:
    return {"label": label, "pattern": [{"ORTH": w} for w in words.split()]}


GOLD = [
    phrase("PER", "Jeremy Corbyn"),
    phrase("LOC", "Caracas"),
    phrase("ORG", "Labour Party"),
    phrase("PER", "Nicolas Maduro"),
    phrase("PER", "Hugo Chavez"),
    phrase("ORG", "Reuters"),
    phrase("LOC", "London"),
]


def test_ner_perfect(tmp_path: Path) -> None:
    scores = evaluate("ner", FIXTURES / "tiny.conll", ruler_pipeline(tmp_path, GOLD))
    assert (scores["precision"], scores["recall"], scores["f1"], scores["sentences"]) == (1.0, 1.0, 1.0, 3)


def test_ner_known_imperfect(tmp_path: Path) -> None:
    patterns = [
        phrase("PER", "Corbyn"),  # partial span: wrong
        phrase("LOC", "Caracas"),
        phrase("PER", "Labour Party"),  # wrong label
        phrase("PER", "Nicolas Maduro"),
        phrase("LOC", "London"),
        phrase("MISC", "visited"),  # spurious
    ]
    scores = evaluate("ner", FIXTURES / "tiny.conll", ruler_pipeline(tmp_path, patterns))
    # 7 gold entities; 6 predicted, 3 right (Caracas, Nicolas Maduro, London)
    assert scores["precision"] == pytest.approx(0.5)
    assert scores["recall"] == pytest.approx(round(3 / 7, 4))
    per_label = scores["per_label"]
    assert isinstance(per_label, dict)
    assert per_label["LOC"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert per_label["ORG"]["recall"] == 0.0 and per_label["MISC"]["precision"] == 0.0


_GOLD_BY_TEXT: dict[str, list[tuple[int, str, str, str]]] = {}


@Language.component("test_oracle_parser")
def oracle_parser(doc: Doc) -> Doc:
    """Copies the gold analysis of the fixture (looked up by the words), to prove the plumbing is exact."""
    heads, deps, pos, lemmas = zip(*_GOLD_BY_TEXT[" ".join(t.text for t in doc)], strict=True)
    for token, head, dep, upos, lemma in zip(doc, heads, deps, pos, lemmas, strict=True):
        token.head, token.dep_, token.pos_, token.lemma_ = doc[head], dep, upos, lemma
    return doc


@Language.component("test_flat_parser")
def flat_parser(doc: Doc) -> Doc:
    """Attaches every token to the first, labels everything 'dep', tags NOUN, lemma = lowercase form."""
    for token in doc:
        token.head = doc[0]
        token.dep_ = "ROOT" if token.i == 0 else "dep"
        token.pos_ = "NOUN"
        token.lemma_ = token.text.lower()
    return doc


def parser_pipeline(tmp_path: Path, component: str) -> Path:
    for sentence in read_conllu(FIXTURES / "tiny.conllu"):
        key = " ".join(w.form for w in sentence)
        _GOLD_BY_TEXT[key] = [(w.head - 1 if w.head else i, w.deprel, w.upos, w.lemma) for i, w in enumerate(sentence)]
    nlp = spacy.blank("en")
    nlp.add_pipe(component)
    nlp.to_disk(tmp_path / component)
    return tmp_path / component


def test_parser_perfect(tmp_path: Path) -> None:
    scores = evaluate("parser", FIXTURES / "tiny.conllu", parser_pipeline(tmp_path, "test_oracle_parser"))
    assert scores == {"uas": 1.0, "las": 1.0, "las_full": 1.0, "upos": 1.0, "lemma": 1.0, "sentences": 2, "tokens": 8}


def test_parser_known_imperfect(tmp_path: Path) -> None:
    scores = evaluate("parser", FIXTURES / "tiny.conllu", parser_pipeline(tmp_path, "test_flat_parser"))
    # No gold head is the first token (sentence 1 hangs on "resign", sentence 2 on "grew"), so UAS = LAS = 0.
    # UPOS: NOUN is right once ("Protests"). Lemma = lowercase form is right for "resign" and both "." (3 of 8).
    assert scores == {
        "uas": 0.0,
        "las": 0.0,
        "las_full": 0.0,
        "upos": 0.125,
        "lemma": 0.375,
        "sentences": 2,
        "tokens": 8,
    }


_SENTENCES_SEEN: list[int] = []


@Language.component("test_sentence_counter")
def sentence_counter(doc: Doc) -> Doc:
    """Records how many sentences the parser would be allowed to make: tokens whose start is not fixed to False."""
    _SENTENCES_SEEN.append(sum(1 for t in doc if t.is_sent_start is not False))
    return flat_parser(doc)


def test_parser_is_given_each_gold_sentence_as_one_sentence(tmp_path: Path) -> None:
    # Regression: sentences were passed with free boundaries, so the parser could split a gold sentence in two
    # (87 of 2,001 EWT dev sentences with run 8), unlike the syntax stage, which fixes every boundary.
    _SENTENCES_SEEN.clear()
    evaluate("parser", FIXTURES / "tiny.conllu", parser_pipeline(tmp_path, "test_sentence_counter"))
    assert _SENTENCES_SEEN == [1, 1]


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", "ner", str(FIXTURES / "tiny.conll"), "--model", str(tmp_path)])
    assert result.exit_code == 2
    assert "no spaCy pipeline at" in result.stderr


POLNEAR = FIXTURES / "polnear"
QUOTE_KEYS = {
    "content",
    "source",
    "cue",
    "whole",
    "by_kind",
    "articles",
    "annotation_files",
    "multi_annotator_articles",
    "gold_attributions",
    "predicted_attributions",
    "note",
}
FULL = {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def quotes_of(text: str, attributions: Sequence[AttributionSpans]) -> Document:
    """A document whose quotes are the given attributions (as the quote stage would record them)."""
    quotes = tuple(
        Quote(
            text=" ".join(text[a:b] for a, b in spans.content),
            parts=tuple(Span(a, b) for a, b in spans.content),
            kind=QuoteKind.DIRECT,
            speaker_mention=Span(*spans.source[0]) if spans.source else None,
            cue_span=Span(*spans.cue[0]) if spans.cue else None,
        )
        for spans in attributions
    )
    return Document(Article.create(text, ArticleMeta("<text>"), SourceFormat.TEXT), quotes=quotes)


def test_quotes_scores_what_the_pipeline_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    # An oracle pipeline: the first annotator's attributions of each article, passed through Quote records.
    first = {article.text: article.versions[0] for article in read_polnear(POLNEAR)}
    monkeypatch.setattr("rashomon.api.analyze_text", lambda text, **_: quotes_of(text, first[text]))
    result = runner.invoke(app, ["evaluate", "quotes", str(POLNEAR)])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert set(scores) == QUOTE_KEYS
    # beta: 3 right of 3. alpha: its first annotator's 2 attributions score 2 of 2 against it and 1 of 2 (gold 1)
    # against the second: 1.5 right, 2 predicted, 1.5 gold. In all: 4.5 right, 5 predicted, 4.5 gold.
    assert scores["whole"] == {"precision": 0.9, "recall": 1.0, "f1": 0.9474}
    assert scores["content"]["exact"] == scores["whole"] and scores["source"]["overlap"]["precision"] == 0.875
    assert scores["by_kind"]["direct"] == {"content_overlap": FULL, "whole": FULL, "gold": 2.0}
    assert (scores["articles"], scores["annotation_files"], scores["multi_annotator_articles"]) == (2, 3, 1)
    assert (scores["gold_attributions"], scores["predicted_attributions"]) == (4.5, 5)

    result = runner.invoke(app, ["evaluate", "quotes", str(POLNEAR), "--limit", "1"])  # alpha only
    scores = json.loads(result.stdout)
    assert scores["whole"] == {"precision": 0.75, "recall": 1.0, "f1": 0.8571}
    assert (scores["articles"], scores["gold_attributions"], scores["predicted_attributions"]) == (1, 1.5, 2)


def test_quotes_agreement_scores_the_annotators_without_running_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(text: str, **_: object) -> Document:
        raise AssertionError("the pipeline must not run")

    monkeypatch.setattr("rashomon.api.analyze_text", never)
    result = runner.invoke(app, ["evaluate", "quotes", str(POLNEAR), "--agreement"])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert set(scores) == QUOTE_KEYS
    # alpha's two annotators, each against the other: 2 right, 3 predicted, 3 gold; beta (one annotator) skipped.
    assert scores["whole"] == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert (scores["articles"], scores["annotation_files"]) == (1, 2)


def test_quotes_with_the_default_pipeline() -> None:
    result = runner.invoke(app, ["evaluate", "quotes", str(POLNEAR)])
    assert result.exit_code == 0, result.stderr
    scores = json.loads(result.stdout)
    assert set(scores) == QUOTE_KEYS
    found = sum(len(spans_of_quotes(analyze_text(a.text))) for a in read_polnear(POLNEAR))
    assert (scores["articles"], scores["gold_attributions"], scores["predicted_attributions"]) == (2, 4.5, found)
    assert scores["by_kind"]["direct"]["gold"] == 2.0 and scores["by_kind"]["indirect"]["gold"] == 2.5


@pytest.mark.parametrize(
    ("folders", "message"),
    [
        ([], "not a PolNeAR split: no text/ or attributions/ folder"),
        (["text", "attributions"], "text: no .txt files"),
    ],
)
def test_quotes_errors(tmp_path: Path, folders: list[str], message: str) -> None:
    for folder in folders:
        (tmp_path / folder).mkdir()
    result = runner.invoke(app, ["evaluate", "quotes", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in " ".join(result.stderr.split())
    assert result.stdout == ""
