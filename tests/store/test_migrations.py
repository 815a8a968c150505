"""Schema creation, upgrades and refusals: migrations from an empty database, newer and foreign files."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from rashomon.corpus.quotes import QuoteMatch, QuoteRef
from rashomon.errors import StoreError
from rashomon.model import Article, Document
from rashomon.store import SQLiteStore, serialize
from rashomon.store import migrations as migrations_module
from rashomon.store import sqlite as sqlite_module
from rashomon.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration

TABLES = {
    "articles",
    "analyses",
    "quotes",
    "entities",
    "stories",
    "story_articles",
    "actor_links",
    "runs",
    "problems",
    "articles_fts",
    "quotes_fts",
    "quote_matches",
    "corpus_refreshes",
    "stances",
}


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection, to inspect or tamper with a database behind the store's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        yield conn


def pragma(path: Path, name: str) -> int | str:
    with raw(path) as conn:
        value: int | str = conn.execute(f"PRAGMA {name}").fetchone()[0]
    return value


def test_migrations_are_numbered_one_to_n() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert all(m.description.strip() and m.sql.strip() for m in MIGRATIONS)
    assert MIGRATIONS[-1].version == SCHEMA_VERSION


def test_empty_database_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    SQLiteStore(db).close()
    assert pragma(db, "user_version") == SCHEMA_VERSION
    assert pragma(db, "application_id") == sqlite_module.APPLICATION_ID
    with raw(db) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names >= TABLES


def test_connection_settings(tmp_path: Path) -> None:
    db = tmp_path / "settings.db"
    with SQLiteStore(db) as store:
        conn = store._connection()
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == sqlite_module.BUSY_TIMEOUT_MS
    assert pragma(db, "journal_mode") == "wal"  # persistent: stored in the file


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path, article: Article) -> None:
    db = tmp_path / "reopen.db"
    with SQLiteStore(db) as store:
        store.add_article(article)
    with SQLiteStore(db) as store:
        assert store.get_article(article.id) == article
        assert store.info().schema_version == SCHEMA_VERSION


def test_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    SQLiteStore(db).close()
    with raw(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=rf"schema version {SCHEMA_VERSION + 1}, newer") as caught:
        SQLiteStore(db)
    assert str(db) in str(caught.value)
    assert pragma(db, "user_version") == SCHEMA_VERSION + 1  # left untouched


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("CREATE TABLE notes (body TEXT)", "not a Rashomon database"),
        ("CREATE TABLE notes (body TEXT); PRAGMA user_version = 3", "not a Rashomon database"),
    ],
)
def test_other_applications_databases_are_refused(tmp_path: Path, setup: str, message: str) -> None:
    db = tmp_path / "other.db"
    with raw(db) as conn:
        conn.executescript(setup)
    with pytest.raises(StoreError, match=message):
        SQLiteStore(db)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("These are my notes, not a database.\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.txt"):
        SQLiteStore(db)


def test_a_database_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        SQLiteStore(tmp_path / "missing" / "x.db")


def test_pending_migration_is_applied_to_an_existing_database(
    tmp_path: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "upgrade.db"
    with SQLiteStore(db) as store:
        store.add_article(article)
    step = Migration(
        SCHEMA_VERSION + 1,
        "article notes",
        "CREATE TABLE notes (article_id TEXT REFERENCES articles (id), body TEXT);\n"
        "ALTER TABLE articles ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0; -- a comment; with semicolons\n",
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", (*MIGRATIONS, step))
    with SQLiteStore(db) as store:
        assert store.info().schema_version == SCHEMA_VERSION + 1
        assert store.get_article(article.id) == article
    with raw(db) as conn:
        assert conn.execute("SELECT flagged FROM articles").fetchall() == [(0,)]


@pytest.mark.parametrize("old_version", range(1, SCHEMA_VERSION))
def test_an_old_database_is_upgraded_and_keeps_its_articles(
    tmp_path: Path, document: Document, monkeypatch: pytest.MonkeyPatch, old_version: int
) -> None:
    db = tmp_path / f"v{old_version}.db"
    monkeypatch.setattr(migrations_module, "MIGRATIONS", MIGRATIONS[:old_version])
    with SQLiteStore(db) as store:
        store.add_article(document.article)
    assert pragma(db, "user_version") == old_version
    monkeypatch.setattr(migrations_module, "MIGRATIONS", MIGRATIONS)
    with SQLiteStore(db) as store:
        assert store.info().schema_version == SCHEMA_VERSION
        assert store.get_article(document.id) == document.article  # the data survives the upgrade
        store.save_analysis(document, "p1")  # into the tables the later migrations added
        assert store.document(document.id, "p1") == document
        assert store.quote_matches("p1") == [] and store.refreshed_steps("p1") is None
        match = QuoteMatch("g", (QuoteRef(document.id, 0), QuoteRef(document.id, 2)))
        store.save_quote_matches("p1", [match])
        assert store.quote_matches("p1") == [match]
    labels = sum(len(e.labels) for e in document.entities)
    assert labels and _count(db, "entity_labels") == labels


def _count(db: Path, table: str) -> int:
    with raw(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "broken-upgrade.db"
    with SQLiteStore(db) as store:
        store.add_article(article)
    step = Migration(
        SCHEMA_VERSION + 1,
        "half-done step",
        "CREATE TABLE notes (body TEXT);\nINSERT INTO no_such_table VALUES (1);\n",
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", (*MIGRATIONS, step))
    with pytest.raises(StoreError, match=rf"migrating to schema version {SCHEMA_VERSION + 1}.*no_such_table"):
        SQLiteStore(db)
    assert pragma(db, "user_version") == SCHEMA_VERSION
    with raw(db) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'notes'").fetchall() == []
    monkeypatch.setattr(migrations_module, "MIGRATIONS", MIGRATIONS)
    with SQLiteStore(db) as store:
        assert store.article_ids() == {article.id}


def test_missing_fts5_is_reported_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulate a SQLite built without FTS5: the probe names a module that does not exist.
    monkeypatch.setattr(sqlite_module, "_FTS5_PROBE", "CREATE VIRTUAL TABLE temp.p USING fts5_not_built (x)")
    with pytest.raises(StoreError, match="lacks the FTS5 full-text extension"):
        SQLiteStore(":memory:")


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("CREATE TABLE a (x);", ["CREATE TABLE a (x);"]),
        ("CREATE TABLE a (x); CREATE TABLE b (y);\n", ["CREATE TABLE a (x);", "CREATE TABLE b (y);"]),
        ("INSERT INTO a VALUES ('x;y');", ["INSERT INTO a VALUES ('x;y');"]),
        (
            "-- note; with a semicolon\nCREATE TABLE a (x);",
            ["-- note; with a semicolon\nCREATE TABLE a (x);"],
        ),
        (
            "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; DELETE FROM c; END;\nSELECT 1;",
            ["CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b; DELETE FROM c; END;", "SELECT 1;"],
        ),
        ("CREATE TABLE a (x);\n-- trailing comment\n", ["CREATE TABLE a (x);"]),
        ("", []),
    ],
)
def test_sql_statements(script: str, expected: list[str]) -> None:
    assert list(sqlite_module.sql_statements(script)) == expected


def test_sql_statements_rejects_an_unterminated_statement() -> None:
    with pytest.raises(StoreError, match="unterminated"):
        list(sqlite_module.sql_statements("CREATE TABLE a (x);\nCREATE TABLE b (y)"))


def test_every_migration_statement_is_split_as_sqlite_expects() -> None:
    # Each statement the splitter yields must be one complete statement on its own.
    for migration in MIGRATIONS:
        for statement in sqlite_module.sql_statements(migration.sql):
            assert sqlite3.complete_statement(statement), statement


def test_regression_schema_4_analyses_survive_the_stance_migration(
    tmp_path: Path, document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database of schema 4 holds format-2 analyses (no stances). Upgrading to schema 5 (the stances table) keeps
    # them readable as they were, and new analyses fill the new table.
    db = tmp_path / "v4.db"
    monkeypatch.setattr(migrations_module, "MIGRATIONS", MIGRATIONS[:4])
    with SQLiteStore(db) as store:
        store.add_article(document.article)
    blob = {**serialize.analysis_to_json(document), "format": 2}
    del blob["stances"]
    with raw(db) as conn:
        conn.execute(
            "INSERT INTO analyses (article_id, pipeline_version, created_at, document) VALUES (?, 'old', '2026', ?)",
            (document.id, json.dumps(blob, ensure_ascii=False)),
        )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", MIGRATIONS)
    with SQLiteStore(db) as store:
        assert store.info().schema_version == SCHEMA_VERSION >= 5
        old = store.document(document.id, "old")
        assert old is not None and old.stances == () and old.quotes == document.quotes
        store.save_analysis(document, "new")
        assert store.document(document.id, "new") == document
    assert _count(db, "stances") == len(document.stances)
