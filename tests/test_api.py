"""The Python API: analyze_text, and a Corpus that stores, de-duplicates and survives failing stages."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
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
        assert sorted(a for s in corpus.stories() for a in s.article_ids) == sorted(d.id for d in corpus.documents())


def test_same_text_in_two_files_is_stored_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The same article text, word for word, in two files.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The same  article text, word for word,\nin two files.\n", encoding="utf-8")
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
        assert "stage 'test-fails-on-boom'" in problem.message and "simulated model failure" in problem.message
        assert len(corpus.documents()) == 1
        assert len(corpus.store.article_ids()) == 2  # the article is kept; only its analysis is missing


def test_unknown_stage_in_settings_fails_before_reading(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="no stage named 'nope'"):
        rashomon.Corpus(tmp_path / "c.db", Settings(pipeline=("nope",)))


# --- corpus-level results: quote matches and voice shares -----------------------------------------------------

RULES = Settings(pipeline=("paragraphs", "sentences", "entities", "quotes"))  # no models: fast


def test_corpus_links_quote_versions_and_counts_voices(tmp_path: Path, examples_dir: Path) -> None:
    with rashomon.Corpus(tmp_path / "c.db", RULES) as corpus:
        corpus.add([examples_dir])
        docs = {d.id: d for d in corpus.documents()}
        matches = corpus.quote_matches()
        assert matches == corpus.store.quote_matches(corpus.pipeline.version)  # stored by the corpus step
        texts = {m.group_id: [docs[r.article_id].quotes[r.quote_index].text for r in m.members] for m in matches}
        condemn = next(m for m in matches if any("What I condemn" in t for t in texts[m.group_id]))
        assert {docs[a].article.meta.outlet for a in condemn.article_ids} == {"UK politics site", "UK broadcaster"}

        shares = corpus.voices()
        assert len(shares.articles) == 5 and len(shares.stories) == len(corpus.stories())
        politics = next(s for s in shares.outlets if s.key == "UK politics site")
        corbyn = next(v for v in politics.voices if v.speaker == "Jeremy Corbyn")
        own = [q for d in docs.values() if d.article.meta.outlet == "UK politics site" for q in d.quotes]
        assert corbyn.quotes == sum(1 for q in own if q.speaker == "Jeremy Corbyn") > 0
        assert politics.quotes == len(own)

        out = io.StringIO()
        corpus.export("json", out)
        exported = json.loads(out.getvalue())
        linked = [q for a in exported["articles"] for q in a["quotes"] if q["matches"]]
        assert len(linked) == sum(len(m.members) for m in matches)
        assert [o["outlet"] for o in exported["voices"]["outlets"]] == [s.key for s in shares.outlets]

        out = io.StringIO()
        corpus.export("csv", out, table="voices")
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert {r["scope"] for r in rows} == {"article", "outlet", "story"}
        with pytest.raises(ValueError, match="CSV"):
            corpus.export("json", io.StringIO(), table="voices")


def test_missing_corpus_results_are_computed_when_needed(tmp_path: Path, examples_dir: Path) -> None:
    db = tmp_path / "c.db"
    with rashomon.Corpus(db, RULES) as corpus:
        corpus.add([examples_dir])
        expected = corpus.quote_matches()
        version = corpus.pipeline.version
    # As a database made before quote matching existed: analyses, but no matches and no refresh recorded.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM quote_matches")
        conn.execute("DELETE FROM corpus_refreshes")
    with rashomon.Corpus(db, RULES) as corpus:
        assert corpus.store.quote_matches(version) == []
        summary = corpus.add([examples_dir])  # nothing new to analyse, but the corpus step runs
        assert summary.analyzed == 0
        assert corpus.store.quote_matches(version) == expected
        assert corpus.store.refreshed_steps(version) is not None
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM corpus_refreshes")
    with rashomon.Corpus(db, RULES.with_overrides(event_threshold=0.5)) as corpus:
        assert corpus.quote_matches() == expected  # reading recomputes too; so do other settings
        assert "event=0.5" in (corpus.store.refreshed_steps(version) or "")
