"""The Python API: analyze_text, and a Corpus that stores, de-duplicates and survives failing stages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import rashomon
from rashomon.errors import PipelineError
from rashomon.model import Document, QuoteKind
from rashomon.nlp import register
from rashomon.settings import Settings


def test_analyze_text_returns_a_typed_document() -> None:
    doc = rashomon.analyze_text("“We hold the opposition accountable,” Lopez said.", outlet="VTV")
    assert isinstance(doc, Document)
    assert doc.article.meta.outlet == "VTV"
    assert doc.stages == Settings().pipeline
    (quote,) = doc.quotes
    assert (quote.speaker, quote.kind, quote.cue) == ("Lopez", QuoteKind.DIRECT, "said")
    assert doc.text[quote.start : quote.end] == quote.text


def test_corpus_add_is_idempotent(tmp_path: Path, examples_dir: Path) -> None:
    with rashomon.Corpus(tmp_path / "c.db") as corpus:
        first = corpus.add([examples_dir])
        second = corpus.add([examples_dir])
        assert (first.ingested, first.analyzed, first.ok) == (5, 5, True)
        assert (second.ingested, second.duplicates, second.analyzed, second.reused) == (0, 5, 0, 5)
        assert len(corpus.documents()) == 5
        assert corpus.stories()
        assert sorted(a for s in corpus.stories() for a in s.article_ids) == sorted(
            d.id for d in corpus.documents()
        )


def test_same_text_in_two_files_is_stored_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The same article text, word for word, in two files.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "The same  article text, word for word,\nin two files.\n", encoding="utf-8"
    )
    with rashomon.Corpus(tmp_path / "c.db") as corpus:
        summary = corpus.add([tmp_path / "a.txt", tmp_path / "b.txt"])
        assert (summary.ingested, summary.duplicates) == (1, 1)


@register("test-fails-on-boom", requires=["sentences"], assigns=["quotes"])
def _fails_on_boom(doc: Document, settings: Settings) -> Document:
    if "boom" in doc.text:
        raise RuntimeError("simulated model failure")
    return replace(doc, quotes=())


def test_a_failing_stage_loses_nothing_and_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("A calm article about the weather in Caracas.\n", encoding="utf-8")
    (tmp_path / "zz.txt").write_text("An article that goes boom in the middle.\n", encoding="utf-8")
    settings = Settings(pipeline=("paragraphs", "sentences", "test-fails-on-boom"))
    with rashomon.Corpus(tmp_path / "c.db", settings) as corpus:
        summary = corpus.add([tmp_path])
        assert summary.analyzed == 1 and summary.ingested == 2
        (problem,) = summary.problems
        assert Path(problem.source).name == "zz.txt"
        assert (
            "stage 'test-fails-on-boom'" in problem.message and "simulated model failure" in problem.message
        )
        assert len(corpus.documents()) == 1
        assert len(corpus.store.article_ids()) == 2  # the article is kept; only its analysis is missing


def test_unknown_stage_in_settings_fails_before_reading(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="no stage named 'nope'"):
        rashomon.Corpus(tmp_path / "c.db", Settings(pipeline=("nope",)))
