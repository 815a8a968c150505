"""The SQLite store: deduplication, versioned analyses, atomic writes, search, corpus results, run log."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from rashomon.corpus.quotes import QuoteMatch, QuoteRef
from rashomon.errors import StoreError
from rashomon.model import (
    Article,
    Document,
    Entity,
    EntityType,
    IngestProblem,
    Mention,
    Quote,
    QuoteKind,
    Span,
    Story,
)
from rashomon.store import HIT_END, HIT_START, RunCounts, SQLiteStore
from rashomon.store import sqlite as sqlite_module
from rashomon.store.migrations import SCHEMA_VERSION
from rashomon.store.records import _human_size

MakeArticle = Callable[..., Article]
MakeDocument = Callable[..., Document]


def rows(store: SQLiteStore, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Query the tables directly, as an SQL user would."""
    return store._connection().execute(sql, params).fetchall()


def reanalysed(doc: Document) -> Document:
    """The same article analysed differently: one quote and one entity, with other words."""
    text = doc.text
    at = text.index("Seguiremos en la calle.")
    quote = Quote("Seguiremos en la calle.", (Span(at, at + 23),), QuoteKind.DIRECT, "Juan Guaidó", "juan-guaido")
    at = text.index("Caracas")
    entity = Entity("caracas", "Caracas", EntityType.LOCATION, (Mention(Span(at, at + 7), "Caracas"),))
    return replace(doc, quotes=(quote,), entities=(entity,), stages=("quotes",))


# --- articles -----------------------------------------------------------------------------------------------


def test_the_same_article_twice_is_stored_once(store: SQLiteStore, article: Article) -> None:
    assert store.add_article(article) is True
    assert store.add_article(article) is False
    assert store.article_ids() == {article.id}
    assert rows(store, "SELECT COUNT(*) FROM articles_fts") == [(1,)]


@pytest.mark.parametrize(
    "variant",
    [
        {"text": "Nicolás Maduro dijo:   «Venceremos».\n\n\nEl líder habló."},  # other whitespace, same words
        {"source_path": "copy-of-elpais.html", "outlet": "El País (copia)"},  # same text from another file
    ],
)
def test_a_second_copy_keeps_the_first_articles_record(
    store: SQLiteStore, make_article: MakeArticle, variant: dict[str, Any]
) -> None:
    first = make_article("Nicolás Maduro dijo: «Venceremos».\nEl líder habló.")
    second = make_article(**{"text": first.text, **variant})
    assert second.id == first.id
    assert store.add_article(first) and not store.add_article(second)
    assert store.get_article(first.id) == first


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"url": None, "outlet": None, "title": None, "published": None, "author": None, "language": None},
        {
            "title": "Título con «comillas» y 'apóstrofos'; DROP TABLE articles; --",
            "published": dt.date(2000, 1, 1),
        },
    ],
)
def test_articles_round_trip_exactly(store: SQLiteStore, make_article: MakeArticle, meta: dict[str, Any]) -> None:
    article = make_article(**meta)
    store.add_article(article)
    assert store.get_article(article.id) == article
    assert list(store.iter_articles()) == [article]


def test_unknown_article_is_none(store: SQLiteStore) -> None:
    assert store.get_article("0123456789abcdef") is None


def test_iter_articles_pages_in_id_order_and_allows_writes(store: SQLiteStore, make_article: MakeArticle) -> None:
    articles = [make_article(f"Artículo número {n}.") for n in range(2 * sqlite_module._PAGE_SIZE + 7)]
    for article in articles:
        store.add_article(article)
    seen = []
    for article in store.iter_articles():  # writing while iterating, as the analyse loop does
        store.save_analysis(Document(article, language="es"), "v1")
        seen.append(article)
    assert seen == sorted(articles, key=lambda a: a.id)
    assert store.analyzed_ids("v1") == {a.id for a in articles}
    assert len(list(store.iter_documents("v1"))) == len(articles)


# --- analyses -----------------------------------------------------------------------------------------------


def test_saved_documents_are_rebuilt_exactly(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "aaaaaaaaaaaa")
    assert list(store.iter_documents("aaaaaaaaaaaa")) == [document]
    assert list(store.iter_documents()) == [document]
    assert store.document(document.id, "aaaaaaaaaaaa") == document
    assert store.document(document.id, "bbbbbbbbbbbb") is None


def test_save_analysis_stores_a_missing_article(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    assert store.get_article(document.id) == document.article


def test_normalised_rows_match_the_document(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    quotes = rows(store, 'SELECT idx, text, kind, speaker, speaker_id, cue, start, "end" FROM quotes ORDER BY idx')
    assert quotes == [
        (n, q.text, q.kind.value, q.speaker, q.speaker_id, q.cue, q.start, q.end) for n, q in enumerate(document.quotes)
    ]
    entities = rows(store, "SELECT entity_id, name, type, labels, mention_count FROM entities ORDER BY entity_id")
    assert ("juan-guaido", "Juan Guaidó", "PER", '["autoproclamado presidente"]', 2) in entities
    assert len(entities) == len(document.entities)


def test_reanalysis_with_a_new_version_keeps_the_old_one(store: SQLiteStore, document: Document) -> None:
    newer = reanalysed(document)
    store.save_analysis(document, "v1")
    store.save_analysis(newer, "v2")
    assert list(store.iter_documents("v1")) == [document]
    assert list(store.iter_documents("v2")) == [newer]
    assert list(store.iter_documents()) == [newer]  # None means the most recent version
    assert store.pipeline_versions() == ["v2", "v1"]
    assert store.analyzed_ids("v1") == store.analyzed_ids("v2") == {document.id}
    assert store.analyzed_ids("v3") == set()
    counts = rows(store, "SELECT pipeline_version, COUNT(*) FROM quotes GROUP BY 1 ORDER BY 1")
    assert counts == [("v1", len(document.quotes)), ("v2", 1)]


def test_most_recent_version_is_the_last_one_written(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v2")
    store.save_analysis(document, "v1")  # an older pipeline re-run later is now the most recent
    assert store.latest_version() == "v1"


def test_save_analysis_replaces_the_same_version(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    newer = reanalysed(document)
    store.save_analysis(newer, "v1")
    assert list(store.iter_documents("v1")) == [newer]
    assert rows(store, "SELECT text FROM quotes") == [("Seguiremos en la calle.",)]
    assert rows(store, "SELECT entity_id FROM entities") == [("caracas",)]
    assert [h.kind for h in store.search("venceremos")] == ["article"]  # the replaced quote left the index
    assert {h.kind for h in store.search("seguiremos")} == {"article", "quote"}


def assert_unchanged(store: SQLiteStore, document: Document) -> None:
    assert list(store.iter_documents("v1")) == [document]
    assert rows(store, "SELECT COUNT(*) FROM quotes") == [(len(document.quotes),)]
    assert rows(store, "SELECT COUNT(*) FROM entities") == [(len(document.entities),)]
    assert {h.kind for h in store.search("venceremos")} == {"article", "quote"}
    assert [h.kind for h in store.search("seguiremos calle")].count("quote") == 1


def test_failed_serialisation_stores_nothing(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    broken = replace(document, entities=(replace(document.entities[0], labels=(object(),)),))  # type: ignore[arg-type]
    with pytest.raises(StoreError, match=f"cannot encode the analysis of article {document.id}"):
        store.save_analysis(broken, "v1")
    assert_unchanged(store, document)


def test_failure_mid_write_rolls_back_everything(
    store: SQLiteStore, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_analysis(document, "v1")
    real_entity_rows = sqlite_module._entity_rows

    def crash_after_one_row(doc: Document, version: str) -> Iterator[tuple[Any, ...]]:
        # By now the old analysis is deleted and the new analysis and quote rows are inserted.
        yield next(real_entity_rows(doc, version))
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sqlite_module, "_entity_rows", crash_after_one_row)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save_analysis(reanalysed(document), "v1")
    assert_unchanged(store, document)
    monkeypatch.undo()
    store.save_analysis(reanalysed(document), "v1")  # the store is still usable
    assert list(store.iter_documents("v1")) == [reanalysed(document)]


def test_a_crash_mid_batch_keeps_the_committed_articles(tmp_path: Path, make_article: MakeArticle) -> None:
    db = tmp_path / "crash.db"
    articles = [make_article(f"Texto {n}.") for n in range(3)]
    with pytest.raises(KeyboardInterrupt), SQLiteStore(db) as store:
        for article in articles[:2]:
            store.add_article(article)
        raise KeyboardInterrupt
    with SQLiteStore(db) as store:
        assert store.article_ids() == {a.id for a in articles[:2]}


def test_analysis_of_a_differently_spaced_copy_is_refused(
    store: SQLiteStore, make_article: MakeArticle, make_document: MakeDocument
) -> None:
    document = make_document()
    respaced = make_article(document.text.replace("\n\n", "\n \n"))
    assert respaced.id == document.id
    store.add_article(respaced)
    with pytest.raises(StoreError, match=f"article {document.id} is stored with a different text"):
        store.save_analysis(document, "v1")
    assert store.analyzed_ids("v1") == set()


@pytest.mark.parametrize("version", ["", "   "])
def test_empty_pipeline_version_is_refused(store: SQLiteStore, document: Document, version: str) -> None:
    with pytest.raises(StoreError, match="pipeline version"):
        store.save_analysis(document, version)


def test_quote_without_position_is_refused(store: SQLiteStore, document: Document) -> None:
    broken = replace(document, quotes=(Quote("lost", (), QuoteKind.DIRECT),))
    with pytest.raises(StoreError, match=r"quote 0 .* has no parts"):
        store.save_analysis(broken, "v1")


def test_malformed_stored_analysis_names_the_article(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    with store._connection() as conn:
        conn.execute("UPDATE analyses SET document = json_set(document, '$.quotes[0].kind', 'shouted')")
    with pytest.raises(StoreError, match=f"analysis of article {document.id} by pipeline v1 is malformed"):
        list(store.iter_documents("v1"))


def test_no_analyses_means_no_documents(store: SQLiteStore, article: Article) -> None:
    store.add_article(article)
    assert list(store.iter_documents()) == []
    assert store.pipeline_versions() == []
    assert store.latest_version() is None


# --- search -------------------------------------------------------------------------------------------------


@pytest.fixture
def searchable(store: SQLiteStore, document: Document, make_article: MakeArticle) -> SQLiteStore:
    store.save_analysis(document, "v1")
    other = make_article("The weather in Lisbon was mild; nobody said anything.", title="Lisbon weather")
    store.add_article(other)
    return store


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("Caracas", ["article"]),  # body word
        ("Guaidó", ["article", "quote"]),  # in the text, and the speaker of two quotes
        ("guaido", ["article", "quote"]),  # case and accents do not matter
        ("Lisbon", ["article"]),  # title and body of the other article
        ("venceremos", ["article", "quote"]),
        ('"vuelta atrás"', ["article", "quote"]),  # a phrase
        ('"atrás vuelta"', []),  # words in another order are not the phrase
        ("dictad*", ["article", "quote"]),  # a prefix
        ("Caracas Lisbon", []),  # every word must match
        ("Caracas OR Lisbon", ["article"]),
        ("Guaidó NOT Maduro", ["quote"]),  # the article names both; a quote by Guaidó does not name Maduro
        ("title:Lisbon", ["article"]),
        ("speaker:guaido", ["quote"]),  # no "speaker" column in articles: searched there as plain words
        ("NEAR(Maduro Venceremos, 3)", ["article"]),
        ("Guaidó,", ["article", "quote"]),  # not FTS5 syntax: searched as plain words
        ('"Nicolás Maduro', ["article", "quote"]),  # an unbalanced quote mark, likewise
        ("nonexistentword", []),
    ],
)
def test_search_finds_articles_and_quotes(searchable: SQLiteStore, query: str, kinds: list[str]) -> None:
    assert sorted({hit.kind for hit in searchable.search(query)}) == kinds


def test_search_hit_fields(searchable: SQLiteStore, document: Document) -> None:
    hits = searchable.search("dictadura")
    quote = next(h for h in hits if h.kind == "quote")
    article = next(h for h in hits if h.kind == "article")
    assert quote.article_id == article.article_id == document.id
    assert (quote.title, quote.outlet, quote.speaker) == ("Maduro y Guaidó", "El País", "Juan Guaidó")
    assert f"{HIT_START}dictadura{HIT_END}" in quote.snippet
    assert f"{HIT_START}dictadura{HIT_END}" in article.snippet and article.speaker is None
    assert hits == sorted(hits, key=lambda h: h.rank)


def test_search_limit(searchable: SQLiteStore) -> None:
    assert len(searchable.search("Guaidó", limit=1)) == 1
    assert searchable.search("Guaidó", limit=0) == []


def test_search_uses_one_pipeline_version(searchable: SQLiteStore, document: Document) -> None:
    searchable.save_analysis(reanalysed(document), "v2")
    assert {h.kind for h in searchable.search("venceremos")} == {"article"}  # v2 has no such quote
    assert {h.kind for h in searchable.search("venceremos", pipeline_version="v1")} == {"article", "quote"}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"unbalanced',
        'a"b',
        "AND",
        "OR NOT",
        "Guaidó OR",
        "NEAR(Guaidó Maduro)",
        "title:Guaidó",
        "text : x",
        "*",
        "**",
        "^Guaidó",
        "(Guaidó",
        "Guaidó)",
        "'; DROP TABLE articles; --",
        "—",
        "«»",
        "🙂",
        "\\",
        "{a b}",
        "-Guaidó",
        "+Maduro",
        "a\x00b",
    ],
)
def test_search_never_fails_on_odd_input(searchable: SQLiteStore, query: str) -> None:
    assert isinstance(searchable.search(query), list)
    assert searchable.article_ids()  # and nothing was dropped


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Maduro", '"Maduro"'),
        ("two words", '"two" "words"'),
        ('"a phrase" word', '"a phrase" "word"'),
        ("pre*", '"pre"*'),
        ('say "hi', '"say" """hi"'),
        ("OR AND NOT", '"OR" "AND" "NOT"'),
        ('""', None),
        ("", None),
    ],
)
def test_fts_query(query: str, expected: str | None) -> None:
    assert sqlite_module.fts_query(query) == expected


# --- corpus results -----------------------------------------------------------------------------------------


def test_stories_round_trip_and_replace(store: SQLiteStore, make_article: MakeArticle) -> None:
    a, b, c = (make_article(f"Historia {n}.") for n in range(3))
    for article in (a, b, c):
        store.add_article(article)
    stories = [
        Story("s2", "Election", (c.id, a.id)),
        Story("s1", "Weather", (b.id,)),
        Story("s3", "Empty", ()),
    ]
    store.save_stories("v1", stories)
    assert store.stories("v1") == stories  # order of stories and of their articles kept
    store.save_stories("v1", [Story("s9", "Merged", (a.id, b.id, c.id))])
    assert store.stories("v1") == [Story("s9", "Merged", (a.id, b.id, c.id))]
    assert rows(store, "SELECT COUNT(*) FROM story_articles") == [(3,)]
    assert store.stories("v2") == []


def test_story_with_an_unknown_article_is_refused(store: SQLiteStore, article: Article) -> None:
    store.add_article(article)
    store.save_stories("v1", [Story("s1", "Kept", (article.id,))])
    with pytest.raises(StoreError, match="story s2 refers to articles that are not stored: ffffffffffffffff"):
        store.save_stories("v1", [Story("s2", "Bad", (article.id, "ffffffffffffffff"))])
    assert store.stories("v1") == [Story("s1", "Kept", (article.id,))]


def test_duplicate_story_ids_are_refused(store: SQLiteStore, article: Article) -> None:
    store.add_article(article)
    with pytest.raises(StoreError, match="saving the stories of pipeline v1 failed: UNIQUE"):
        store.save_stories("v1", [Story("s1", "A", (article.id,)), Story("s1", "B", ())])
    assert store.stories("v1") == []


def test_actor_links_round_trip_and_replace(store: SQLiteStore) -> None:
    links = {
        ("nicolas-maduro", "PER"): ("maduro", "Nicolás Maduro"),
        ("maduro", "PER"): ("maduro", "Nicolás Maduro"),
        ("jordan", "PER"): ("jordan:per", "Jordan"),
        ("jordan", "LOC"): ("jordan:loc", "Jordan"),  # one id, two types: two rows
    }
    store.save_actor_links("v1", links)
    assert store.actor_links("v1") == links
    store.save_actor_links("v1", {("juan-guaido", "PER"): ("guaido", "Juan Guaidó")})
    assert store.actor_links("v1") == {("juan-guaido", "PER"): ("guaido", "Juan Guaidó")}
    assert store.actor_links("v2") == {}


def two_analyses(store: SQLiteStore, make_article: MakeArticle, make_document: MakeDocument) -> list[Document]:
    """Two articles with the same three quotes (the second has one more line), analysed by pipeline v1."""
    first = make_document()
    second = make_document(make_article(first.text + "\n\nOtra línea.", outlet="El Mundo"))
    for doc in (first, second):
        store.save_analysis(doc, "v1")
    return [first, second]


def test_quote_matches_round_trip_and_replace(
    store: SQLiteStore, make_article: MakeArticle, make_document: MakeDocument
) -> None:
    first, second = two_analyses(store, make_article, make_document)
    group = QuoteMatch("g1", (QuoteRef(second.id, 0), QuoteRef(first.id, 0)))
    other = QuoteMatch("g2", (QuoteRef(first.id, 2), QuoteRef(second.id, 1), QuoteRef(second.id, 2)))
    store.save_quote_matches("v1", [other, group])
    assert store.quote_matches("v1") == sorted([group, other], key=lambda g: g.members)  # by first member
    stored = [("g1", first.id, 0), ("g1", second.id, 0), ("g2", first.id, 2), ("g2", second.id, 1)]
    stored.append(("g2", second.id, 2))
    assert rows(store, "SELECT group_id, article_id, idx FROM quote_matches ORDER BY 1, 2, 3") == sorted(stored)
    store.save_quote_matches("v1", [group])
    assert store.quote_matches("v1") == [group]
    assert store.quote_matches("v2") == []


def test_quote_match_of_an_unknown_quote_is_refused(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    kept = QuoteMatch("g1", (QuoteRef(document.id, 0), QuoteRef(document.id, 1)))
    store.save_quote_matches("v1", [kept])
    bad = QuoteMatch("g2", (QuoteRef(document.id, 0), QuoteRef(document.id, 7)))
    with pytest.raises(StoreError, match=rf"quote 7 of article {document.id} \(pipeline v1\) in match group g2"):
        store.save_quote_matches("v1", [bad])
    with pytest.raises(StoreError, match="quote 0 of article"):  # one quote, two groups
        store.save_quote_matches("v1", [kept, QuoteMatch("g3", (QuoteRef(document.id, 0),))])
    assert store.quote_matches("v1") == [kept]  # the failed saves changed nothing


def test_reanalysis_takes_the_article_out_of_its_match_groups(
    store: SQLiteStore, make_article: MakeArticle, make_document: MakeDocument
) -> None:
    first, second = two_analyses(store, make_article, make_document)
    store.save_quote_matches("v1", [QuoteMatch("g1", (QuoteRef(first.id, 0), QuoteRef(second.id, 0)))])
    store.save_analysis(reanalysed(first), "v1")  # its quotes are replaced: their group rows go with them
    assert store.quote_matches("v1") == [QuoteMatch("g1", (QuoteRef(second.id, 0),))]


def test_corpus_refresh_state(store: SQLiteStore) -> None:
    assert store.refreshed_steps("v1") is None
    store.mark_refreshed("v1", "actors; quotes v1")
    store.mark_refreshed("v1", "actors; quotes v2")  # replaced, not added
    assert store.refreshed_steps("v1") == "actors; quotes v2"
    assert store.refreshed_steps("v2") is None
    assert rows(store, "SELECT COUNT(*) FROM corpus_refreshes") == [(1,)]
    with pytest.raises(StoreError, match="non-empty"):
        store.mark_refreshed(" ", "x")


# --- runs and summary ---------------------------------------------------------------------------------------


def test_run_log(store: SQLiteStore) -> None:
    first = store.start_run("ingest", None)
    store.finish_run(first, RunCounts(read=1))
    run = store.start_run("ingest", "abcdef012345")
    problems = [IngestProblem("feed.jsonl", "not JSON", 3), IngestProblem("empty.txt", "no text")]
    for problem in problems:
        store.record_problem(run, problem)
    store.finish_run(run, RunCounts(read=5, ingested=2, duplicates=1, problems=2))
    info = store.info()
    assert info.runs == 2
    assert info.last_run is not None
    last = info.last_run
    assert (last.id, last.command, last.pipeline_version) == (run, "ingest", "abcdef012345")
    assert last.counts == RunCounts(read=5, ingested=2, duplicates=1, problems=2)
    assert last.finished_at is not None and last.started_at <= last.finished_at
    assert info.last_run_problems == tuple(problems)
    assert store.run_problems(first) == []


def test_unfinished_run_has_no_counts(store: SQLiteStore) -> None:
    store.start_run("analyze", "v1")
    last = store.last_run()
    assert last is not None and last.finished_at is None and last.counts is None


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda s: s.finish_run(42, RunCounts()), "no run 42 to finish"),
        (lambda s: s.record_problem(42, IngestProblem("x", "y")), "no run 42 to record"),
    ],
)
def test_unknown_run_is_refused(store: SQLiteStore, action: Callable[[SQLiteStore], None], message: str) -> None:
    with pytest.raises(StoreError, match=message):
        action(store)


def test_info_counts(store: SQLiteStore, document: Document, make_article: MakeArticle) -> None:
    empty = store.info()
    assert (empty.articles, empty.analyses, empty.versions, empty.last_run) == (0, 0, (), None)
    store.save_analysis(document, "v1")
    store.save_analysis(reanalysed(document), "v2")
    store.add_article(make_article("Otro texto."))
    store.save_stories("v2", [Story("s1", "One", (document.id,))])
    info = store.info()
    assert info.articles == 2
    assert [(v.pipeline_version, v.analyses, v.quotes, v.entities, v.stories) for v in info.versions] == [
        ("v2", 1, 1, 1, 1),
        ("v1", 1, len(document.quotes), len(document.entities), 0),
    ]
    assert (info.analyses, info.quotes, info.entities, info.stories) == (2, len(document.quotes) + 1, 4, 1)
    assert info.size_bytes > 0 and info.schema_version == SCHEMA_VERSION and info.path == ":memory:"


# --- lifecycle ----------------------------------------------------------------------------------------------


def test_closed_store_refuses_work(article: Article) -> None:
    with SQLiteStore(":memory:") as store:
        pass
    store.close()  # closing twice is harmless
    with pytest.raises(StoreError, match="closed"):
        store.add_article(article)


def test_two_stores_share_a_file(tmp_path: Path, document: Document) -> None:
    db = tmp_path / "shared.db"
    with SQLiteStore(db) as writer, SQLiteStore(db) as reader:
        writer.save_analysis(document, "v1")
        assert list(reader.iter_documents()) == [document]


def test_search_hit_as_json(searchable: SQLiteStore) -> None:
    hit = searchable.search("Lisbon")[0]
    assert hit.as_json() == {
        "kind": "article",
        "article_id": hit.article_id,
        "title": "Lisbon weather",
        "outlet": "El País",
        "snippet": hit.snippet,
        "speaker": None,
        "rank": hit.rank,
    }


def test_info_rows_for_display(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    run = store.start_run("analyze", "v1")
    store.record_problem(run, IngestProblem("bad.txt", "empty"))
    rows_ = dict(store.info().rows())
    assert rows_["articles"] == "1"
    assert rows_["pipeline v1"].startswith(f"1 analyses, {len(document.quotes)} quotes, 3 entities, 0 stories")
    assert rows_["last run"] == f"#{run} analyze, not finished, 1 problems"
    assert rows_["size"].endswith(("KB", "MB"))


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1536, "1.5 KB"),
        (5 * 1024**2, "5.0 MB"),
        (3 * 1024**4, "3072.0 GB"),
    ],
)
def test_sizes_are_shown_readably(size: int, shown: str) -> None:
    assert _human_size(size) == shown


# --- the documented queries (docs/export.md) -----------------------------------------------------------------

DOCS_EXPORT = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def documented_queries() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOCS_EXPORT.read_text(encoding="utf-8"), flags=re.S)


def test_the_documented_queries_run(tmp_path: Path, document: Document) -> None:
    db = tmp_path / "documented.db"
    with SQLiteStore(db) as store:
        store.save_analysis(document, "p1")
        store.save_actor_links("p1", {(e.id, e.type.value): (e.id, e.name) for e in document.entities})
    queries = documented_queries()
    assert len(queries) >= 4
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        for sql in queries:
            conn.execute(sql).fetchall()  # raises on a query the schema cannot run
        labels = next(q for q in queries if "FROM entity_labels" in q)
        rows = conn.execute(labels).fetchall()
    # the label query, for the actor it names, finds the fixture's label of Maduro with its kind
    assert rows == [(document.article.meta.outlet, "socialista", "description", 1, 0)]


# --- stances (issue 6) --------------------------------------------------------------------------------------


def test_stance_rows_match_the_document(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    stored = rows(
        store,
        "SELECT idx, entity_id, entity_type, mention_start, mention_end, sentence_start, sentence_end, "
        "negative, neutral, positive, label, score, quoted, quote_idx FROM stances ORDER BY idx",
    )
    holder = {m.span: e for e in document.entities for m in e.mentions}
    assert stored == [
        (
            n,
            holder[s.mention].id,
            holder[s.mention].type.value,
            s.mention.start,
            s.mention.end,
            s.sentence.start,
            s.sentence.end,
            s.negative,
            s.neutral,
            s.positive,
            s.label.value,
            s.score,
            int(s.quoted),
            s.quote,
        )
        for n, s in enumerate(document.stances)
    ]
    assert [r[10] for r in stored] == ["neutral", "negative", "neutral"]  # a tie between neutral and positive


def test_stance_rows_go_with_their_analysis(store: SQLiteStore, document: Document) -> None:
    store.save_analysis(document, "v1")
    store.save_analysis(document, "v2")
    store.save_analysis(replace(reanalysed(document), stances=()), "v1")  # replaced: its stance rows go
    assert rows(store, "SELECT pipeline_version, COUNT(*) FROM stances GROUP BY 1 ORDER BY 1") == [
        ("v2", len(document.stances))
    ]


def test_a_stance_no_entity_holds_is_stored_without_an_entity(store: SQLiteStore, document: Document) -> None:
    orphan = replace(document, entities=document.entities[2:])  # Maduro's and Guaidó's mentions held by no entity
    store.save_analysis(orphan, "v1")
    assert rows(store, "SELECT entity_id, entity_type FROM stances") == [(None, None)] * len(document.stances)
    assert store.document(document.id, "v1") == orphan


def test_the_documented_stance_query_counts_the_fixtures_mentions(tmp_path: Path, document: Document) -> None:
    db = tmp_path / "stance-query.db"
    with SQLiteStore(db) as store:
        store.save_analysis(document, "p1")
        store.save_actor_links("p1", {(e.id, e.type.value): (e.id, e.name) for e in document.entities})
    query = next(q for q in documented_queries() if "FROM stances" in q)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        result = conn.execute(query).fetchall()
    # Of Guaidó's two scored mentions in the fixture, one is marked as quoted: the outlet's own words hold one,
    # negative.
    assert result == [(document.article.meta.outlet, 1, 1, 0, 0, round((0 - 1) / (1 + 3), 3))]
