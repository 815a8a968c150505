"""The SQLite store: the one module through which Rashomon reads and writes its database.

`SQLiteStore` keeps articles (once per distinct text), their analyses (one per article and pipeline version),
corpus results (stories, actor links, quote match groups) and a run log, behind small typed methods. It creates
and migrates the schema (`rashomon.store.migrations`), keeps the full-text indexes in step with the data, and
makes every write one transaction, so an interrupted batch never leaves half an article or half an analysis
behind. Every `sqlite3` error leaves this module as a `StoreError` naming the database and the operation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, fields
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from rashomon.corpus.duplicates import DuplicateGroup
from rashomon.corpus.quotes import QuoteMatch, QuoteRef
from rashomon.errors import StoreError
from rashomon.model import Article, ArticleMeta, Document, Event, IngestProblem, SourceFormat, Story
from rashomon.store import migrations as _migrations
from rashomon.store import serialize
from rashomon.store.records import (
    HIT_ELLIPSIS,
    HIT_END,
    HIT_START,
    RunCounts,
    RunRecord,
    SearchHit,
    StoreInfo,
    VersionInfo,
)

# How long a writer waits for another process's write transaction before giving up with "database is locked".
BUSY_TIMEOUT_MS = 10_000

# Written to the database header with the first migration; a file with a schema version but another
# application id was made by some other program, and is not touched.
APPLICATION_ID = 0x52534D4E  # "RSMN"

# Rows fetched per query when iterating; see `_pages`.
_PAGE_SIZE = 200

# Words of context a search snippet shows.
_SNIPPET_TOKENS = 16

# Any FTS5 table creation fails with "no such module: fts5" when FTS5 is not compiled in.
_FTS5_PROBE = "CREATE VIRTUAL TABLE temp.rashomon_fts5_probe USING fts5 (x)"

_ARTICLE_COLUMNS = (
    "id, source_path, url, outlet, title, published, author, language_declared, source_format, charset, text, removed"
)
_INSERT_ARTICLE = f"""
    INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}, ingested_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_ANALYSIS = """
    INSERT INTO analyses (article_id, pipeline_version, created_at, document) VALUES (?, ?, ?, ?)
"""
_INSERT_QUOTE = """
    INSERT INTO quotes (article_id, pipeline_version, idx, text, kind, speaker, speaker_id, cue, start, "end")
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_ENTITY = """
    INSERT INTO entities (article_id, pipeline_version, entity_id, name, type, labels, mention_count)
    VALUES (?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_LABEL = """
    INSERT INTO entity_labels
        (article_id, pipeline_version, entity_id, idx, kind, text, normal, start, "end", scare_quoted)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_STANCE = """
    INSERT INTO stances
        (article_id, pipeline_version, idx, entity_id, entity_type, mention_start, mention_end, sentence_start,
         sentence_end, negative, neutral, positive, label, score, quoted, quote_idx)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_STORY = """
    INSERT INTO stories (pipeline_version, story_id, label, position, first_date, last_date, actors, phrases)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_EVENT = """
    INSERT INTO events
        (pipeline_version, event_id, story_id, label, actors, phrases, first_date, last_date, position)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_EVENT_ARTICLE = """
    INSERT INTO event_articles (pipeline_version, event_id, position, article_id) VALUES (?, ?, ?, ?)
"""
_INSERT_DUPLICATE = """
    INSERT INTO duplicates (pipeline_version, group_id, article_id, original, similarity) VALUES (?, ?, ?, ?, ?)
"""
_UPSERT_VECTOR = """
    INSERT INTO article_vectors (article_id, encoder_version, vector) VALUES (?, ?, ?)
    ON CONFLICT (article_id, encoder_version) DO UPDATE SET vector = excluded.vector
"""
_INSERT_STORY_ARTICLE = """
    INSERT INTO story_articles (pipeline_version, story_id, position, article_id) VALUES (?, ?, ?, ?)
"""
_INSERT_ACTOR_LINK = """
    INSERT INTO actor_links (pipeline_version, entity_id, entity_type, actor_id, actor_name)
    VALUES (?, ?, ?, ?, ?)
"""
_INSERT_QUOTE_MATCH = """
    INSERT INTO quote_matches (pipeline_version, group_id, article_id, idx) VALUES (?, ?, ?, ?)
"""
_UPSERT_REFRESH = """
    INSERT INTO corpus_refreshes (pipeline_version, steps, refreshed_at) VALUES (?, ?, ?)
    ON CONFLICT (pipeline_version) DO UPDATE SET steps = excluded.steps, refreshed_at = excluded.refreshed_at
"""
_LAST_RUN = """
    SELECT id, command, pipeline_version, started_at, finished_at, counts FROM runs ORDER BY id DESC LIMIT 1
"""
# Most recent first; rowid breaks ties between analyses saved within the same microsecond.
_VERSIONS_BY_RECENCY = (
    "SELECT pipeline_version, COUNT(*), MAX(created_at) FROM analyses GROUP BY pipeline_version "
    "ORDER BY MAX(created_at) DESC, MAX(rowid) DESC"
)
_SEARCH_ARTICLES = f"""
    SELECT articles_fts.article_id, a.title, a.outlet,
           snippet(articles_fts, -1, ?, ?, ?, {_SNIPPET_TOKENS}),
           bm25(articles_fts, 0.0, 2.0, 1.0) AS score  -- a match in the title counts twice
    FROM articles_fts JOIN articles AS a ON a.id = articles_fts.article_id
    WHERE articles_fts MATCH ?
    ORDER BY score LIMIT ?
"""
_SEARCH_QUOTES = f"""
    SELECT q.article_id, a.title, a.outlet,
           snippet(quotes_fts, -1, ?, ?, ?, {_SNIPPET_TOKENS}),
           q.speaker, bm25(quotes_fts) AS score
    FROM quotes_fts JOIN quotes AS q ON q.id = quotes_fts.rowid JOIN articles AS a ON a.id = q.article_id
    WHERE quotes_fts MATCH ? AND q.pipeline_version = ?
    ORDER BY score LIMIT ?
"""


class SQLiteStore:
    """A Rashomon database at ``path`` (a file, created if missing, or ``":memory:"``).

    Opening it applies any pending schema migrations; a database written by a newer Rashomon is refused.
    Use it as a context manager, or call `close`.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        try:
            # isolation_level=None: transactions are begun explicitly (see `_write`) rather than implicitly
            # by the sqlite3 module, which would begin them DEFERRED and leave schema changes outside them.
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self._conn: sqlite3.Connection | None = conn
        try:
            self._configure()
            self._check_fts5()
            self._migrate(_migrations.MIGRATIONS)
        except BaseException:
            self.close()
            raise

    # --- lifecycle ------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; further calls raise `StoreError`. Closing twice is harmless."""
        if self._conn is None:
            return
        with suppress(sqlite3.Error):  # an unreadable or locked database must still close
            self._conn.execute("PRAGMA optimize")  # cheap; keeps the query planner's statistics useful
        self._conn.close()
        self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # --- articles -------------------------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store ``article``; False if an article with its id (the same text) is already stored."""
        with self._write(f"storing article {article.id} from {article.meta.source_path}") as conn:
            return conn.execute(_INSERT_ARTICLE, _article_row(article)).rowcount == 1

    def get_article(self, article_id: str) -> Article | None:
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?"
        rows = self._read(sql, (article_id,), f"reading article {article_id}")
        return self._article(rows[0]) if rows else None

    def article_ids(self) -> set[str]:
        return {row[0] for row in self._read("SELECT id FROM articles", (), "listing articles")}

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article, in id order. The store may be written to while iterating."""
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id > ? ORDER BY id LIMIT ?"
        for row in self._pages(sql, (), "reading articles"):
            yield self._article(row)

    # --- analyses -------------------------------------------------------------------------------------------

    def analyzed_ids(self, pipeline_version: str) -> set[str]:
        """Ids of the articles that have an analysis by ``pipeline_version``."""
        sql = "SELECT article_id FROM analyses WHERE pipeline_version = ?"
        return {row[0] for row in self._read(sql, (pipeline_version,), "listing analyses")}

    def save_analysis(self, doc: Document, pipeline_version: str) -> None:
        """Store ``doc`` as the analysis of its article by ``pipeline_version``, replacing an earlier one.

        The article is stored too if it is not yet. If it is, the analysis is attached to the stored article:
        its text must be identical (the offsets refer to it), while its metadata is the first ingest's.
        The analysis row, its quotes and entities rows and the search index change together or not at all.
        """
        _check_version(pipeline_version)
        try:
            blob = json.dumps(serialize.analysis_to_json(doc), ensure_ascii=False, allow_nan=False)
        except (AttributeError, TypeError, ValueError) as exc:  # a record of the wrong type
            raise StoreError(f"{self.path}: cannot encode the analysis of article {doc.id}: {exc}") from exc
        for index, quote in enumerate(doc.quotes):
            if not quote.parts:
                raise StoreError(f"{self.path}: quote {index} of article {doc.id} has no parts (no position)")
        with self._write(f"saving the analysis of article {doc.id} by pipeline {pipeline_version}") as conn:
            stored = conn.execute("SELECT text FROM articles WHERE id = ?", (doc.id,)).fetchone()
            if stored is None:
                conn.execute(_INSERT_ARTICLE, _article_row(doc.article))
            elif stored[0] != doc.text:
                raise StoreError(
                    f"{self.path}: article {doc.id} is stored with a different text (same words, other "
                    "whitespace?); the analysis's offsets would not match it"
                )
            # Deleting the old analysis cascades to its quotes and entities rows, and the quotes trigger
            # removes them from quotes_fts.
            key = (doc.id, pipeline_version)
            conn.execute("DELETE FROM analyses WHERE article_id = ? AND pipeline_version = ?", key)
            conn.execute(_INSERT_ANALYSIS, (*key, _now(), blob))
            conn.executemany(_INSERT_QUOTE, _quote_rows(doc, pipeline_version))
            conn.executemany(_INSERT_ENTITY, _entity_rows(doc, pipeline_version))
            conn.executemany(_INSERT_LABEL, _label_rows(doc, pipeline_version))
            conn.executemany(_INSERT_STANCE, _stance_rows(doc, pipeline_version))

    def document(self, article_id: str, pipeline_version: str) -> Document | None:
        """The analysis of one article by ``pipeline_version``, or None if there is none."""
        sql = (
            f"SELECT {_prefixed(_ARTICLE_COLUMNS, 'a')}, an.document, an.pipeline_version "
            "FROM analyses AS an JOIN articles AS a ON a.id = an.article_id "
            "WHERE an.article_id = ? AND an.pipeline_version = ?"
        )
        what = f"reading the analysis of article {article_id}"
        rows = self._read(sql, (article_id, pipeline_version), what)
        return self._document(rows[0]) if rows else None

    def iter_documents(self, pipeline_version: str | None = None) -> Iterator[Document]:
        """The analyses by ``pipeline_version`` (default: the most recent version), in article id order.

        Each `Document` equals the one saved, with the article as stored. The store may be written to while
        iterating.
        """
        version = pipeline_version if pipeline_version is not None else self.latest_version()
        if version is None:
            return
        sql = (
            f"SELECT {_prefixed(_ARTICLE_COLUMNS, 'a')}, an.document, an.pipeline_version "
            "FROM analyses AS an JOIN articles AS a ON a.id = an.article_id "
            "WHERE an.pipeline_version = ? AND an.article_id > ? ORDER BY an.article_id LIMIT ?"
        )
        for row in self._pages(sql, (version,), f"reading analyses by pipeline {version}"):
            yield self._document(row)

    def pipeline_versions(self) -> list[str]:
        """The pipeline versions that have analyses, the most recently used first."""
        return [row[0] for row in self._read(_VERSIONS_BY_RECENCY, (), "listing pipeline versions")]

    def latest_version(self) -> str | None:
        """The pipeline version that saved the most recent analysis, None if there are no analyses."""
        versions = self.pipeline_versions()
        return versions[0] if versions else None

    # --- corpus results -------------------------------------------------------------------------------------

    def save_stories(
        self,
        pipeline_version: str,
        stories: Iterable[Story],
        events: Iterable[Event] = (),
        duplicates: Iterable[DuplicateGroup] | None = None,
    ) -> None:
        """Replace the stories found with ``pipeline_version`` by ``stories`` (their order is kept), with their
        ``events`` (each story's events in the order of its `Story.event_ids`), in one transaction. ``duplicates``,
        when given, replaces the version's groups of copies too."""
        _check_version(pipeline_version)
        stories = tuple(stories)
        events = tuple(events)
        story_ids = {s.id for s in stories}
        for event in events:
            if event.story_id not in story_ids:
                raise StoreError(f"{self.path}: event {event.id} belongs to story {event.story_id}, which is not saved")
        position = {e: n for s in stories for n, e in enumerate(s.event_ids)}
        with self._write(f"saving the stories of pipeline {pipeline_version}") as conn:
            known = {row[0] for row in conn.execute("SELECT id FROM articles")}
            for story in stories:
                missing = sorted(set(story.article_ids) - known)
                if missing:
                    raise StoreError(
                        f"{self.path}: story {story.id} refers to articles that are not stored: {', '.join(missing)}"
                    )
            # Deleting the stories cascades to their events and the events' articles.
            conn.execute("DELETE FROM stories WHERE pipeline_version = ?", (pipeline_version,))
            conn.executemany(
                _INSERT_STORY,
                [
                    (
                        pipeline_version,
                        s.id,
                        s.label,
                        n,
                        serialize.date_to_json(s.first_date),
                        serialize.date_to_json(s.last_date),
                        json.dumps(list(s.actors), ensure_ascii=False),
                        json.dumps(list(s.phrases), ensure_ascii=False),
                    )
                    for n, s in enumerate(stories)
                ],
            )
            conn.executemany(
                _INSERT_STORY_ARTICLE,
                [(pipeline_version, s.id, n, a) for s in stories for n, a in enumerate(s.article_ids)],
            )
            try:
                conn.executemany(
                    _INSERT_EVENT,
                    [
                        (
                            pipeline_version,
                            e.id,
                            e.story_id,
                            e.label,
                            json.dumps(list(e.actors), ensure_ascii=False),
                            json.dumps(list(e.phrases), ensure_ascii=False),
                            serialize.date_to_json(e.first_date),
                            serialize.date_to_json(e.last_date),
                            position.get(e.id, n),
                        )
                        for n, e in enumerate(events)
                    ],
                )
                conn.executemany(
                    _INSERT_EVENT_ARTICLE,
                    [(pipeline_version, e.id, n, a) for e in events for n, a in enumerate(e.article_ids)],
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(
                    f"{self.path}: cannot save the events of pipeline {pipeline_version}: {exc} "
                    "(is every article stored, and in one event only?)"
                ) from exc
            if duplicates is not None:
                conn.execute("DELETE FROM duplicates WHERE pipeline_version = ?", (pipeline_version,))
                conn.executemany(
                    _INSERT_DUPLICATE,
                    [
                        row
                        for g in duplicates
                        for row in [
                            (pipeline_version, g.id, g.original, 1, 1.0),
                            *((pipeline_version, g.id, a, 0, float(sim)) for a, sim in g.copies),
                        ]
                    ],
                )

    def stories(self, pipeline_version: str) -> list[Story]:
        """The stories saved for ``pipeline_version``, in the order they were saved, with their events' ids."""
        sql = (
            "SELECT s.story_id, s.label, s.first_date, s.last_date, s.actors, s.phrases, sa.article_id "
            "FROM stories AS s LEFT JOIN story_articles AS sa USING (pipeline_version, story_id) "
            "WHERE s.pipeline_version = ? ORDER BY s.position, sa.position"
        )
        grouped: dict[str, tuple[tuple[Any, ...], list[str]]] = {}
        for story_id, *fields_, article_id in self._read(sql, (pipeline_version,), "reading stories"):
            _, members = grouped.setdefault(story_id, (tuple(fields_), []))
            if article_id is not None:
                members.append(article_id)
        events: dict[str, list[str]] = defaultdict(list)
        sql = "SELECT story_id, event_id FROM events WHERE pipeline_version = ? ORDER BY story_id, position, event_id"
        for story_id, event_id in self._read(sql, (pipeline_version,), "reading the events of stories"):
            events[story_id].append(event_id)
        return [
            Story(
                story_id,
                label,
                tuple(members),
                tuple(events.get(story_id, ())),
                serialize.date_from_json(first),
                serialize.date_from_json(last),
                tuple(json.loads(actors)),
                tuple(json.loads(phrases)),
            )
            for story_id, ((label, first, last, actors, phrases), members) in grouped.items()
        ]

    def events(self, pipeline_version: str) -> list[Event]:
        """The events saved for ``pipeline_version``: story by story in the stories' order, each story's in time
        order."""
        sql = (
            "SELECT e.event_id, e.story_id, e.label, e.first_date, e.last_date, e.actors, e.phrases, ea.article_id "
            "FROM events AS e JOIN stories AS s USING (pipeline_version, story_id) "
            "LEFT JOIN event_articles AS ea USING (pipeline_version, event_id) "
            "WHERE e.pipeline_version = ? ORDER BY s.position, e.position, e.event_id, ea.position"
        )
        grouped: dict[str, tuple[tuple[Any, ...], list[str]]] = {}
        for event_id, *fields_, article_id in self._read(sql, (pipeline_version,), "reading events"):
            _, members = grouped.setdefault(event_id, (tuple(fields_), []))
            if article_id is not None:
                members.append(article_id)
        return [
            Event(
                event_id,
                story_id,
                label,
                tuple(members),
                serialize.date_from_json(first),
                serialize.date_from_json(last),
                tuple(json.loads(actors)),
                tuple(json.loads(phrases)),
            )
            for event_id, ((story_id, label, first, last, actors, phrases), members) in grouped.items()
        ]

    def event_assignment(self, pipeline_version: str) -> tuple[dict[str, str], dict[str, str]]:
        """(article id -> event id, event id -> story id) as saved for ``pipeline_version``."""
        articles = {
            a: e
            for a, e in self._read(
                "SELECT article_id, event_id FROM event_articles WHERE pipeline_version = ?",
                (pipeline_version,),
                "reading the event of each article",
            )
        }
        stories = {
            e: s
            for e, s in self._read(
                "SELECT event_id, story_id FROM events WHERE pipeline_version = ?",
                (pipeline_version,),
                "reading the story of each event",
            )
        }
        return articles, stories

    def duplicate_groups(self, pipeline_version: str) -> list[DuplicateGroup]:
        """The groups of copies saved for ``pipeline_version``, by original id; copies by article id."""
        sql = (
            "SELECT group_id, article_id, original, similarity FROM duplicates WHERE pipeline_version = ? "
            "ORDER BY group_id, original DESC, article_id"
        )
        originals: dict[str, str] = {}
        copies: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for group_id, article_id, original, similarity in self._read(sql, (pipeline_version,), "reading copies"):
            if original:
                originals[group_id] = article_id
            else:
                copies[group_id].append((article_id, float(similarity)))
        groups = [DuplicateGroup(g, originals[g], tuple(copies[g])) for g in originals]
        return sorted(groups, key=lambda g: g.original)

    # --- article vectors ------------------------------------------------------------------------------------

    def save_vectors(self, encoder_version: str, vectors: Mapping[str, npt.NDArray[np.float32]]) -> None:
        """Store (or replace) the embeddings of articles by ``encoder_version``, in one transaction."""
        _check_version(encoder_version)
        rows = [(a, encoder_version, np.asarray(v, dtype="<f4").tobytes()) for a, v in sorted(vectors.items())]
        with self._write(f"saving {len(rows)} article vectors") as conn:
            try:
                conn.executemany(_UPSERT_VECTOR, rows)
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"{self.path}: cannot save article vectors: {exc} (is every article stored?)") from exc

    def vectors(
        self, encoder_version: str, article_ids: Iterable[str] | None = None
    ) -> dict[str, npt.NDArray[np.float32]]:
        """The stored embeddings by ``encoder_version`` of ``article_ids`` (default: every article that has one)."""
        sql = "SELECT article_id, vector FROM article_vectors WHERE encoder_version = ?"
        rows = self._read(sql, (encoder_version,), "reading article vectors")
        wanted = None if article_ids is None else set(article_ids)
        return {
            a: np.frombuffer(blob, dtype="<f4").astype(np.float32) for a, blob in rows if wanted is None or a in wanted
        }

    def save_actor_links(self, pipeline_version: str, links: Mapping[tuple[str, str], tuple[str, str]]) -> None:
        """Replace the actor links of ``pipeline_version``: (entity id, entity type) -> (actor id, actor name)."""
        _check_version(pipeline_version)
        rows = [(pipeline_version, eid, etype, actor[0], actor[1]) for (eid, etype), actor in links.items()]
        with self._write(f"saving the actor links of pipeline {pipeline_version}") as conn:
            conn.execute("DELETE FROM actor_links WHERE pipeline_version = ?", (pipeline_version,))
            conn.executemany(_INSERT_ACTOR_LINK, rows)

    def actor_links(self, pipeline_version: str) -> dict[tuple[str, str], tuple[str, str]]:
        """(Entity id, entity type) -> (actor id, actor name), as saved for ``pipeline_version``."""
        sql = (
            "SELECT entity_id, entity_type, actor_id, actor_name FROM actor_links "
            "WHERE pipeline_version = ? ORDER BY 1, 2"
        )
        return {(e, t): (a, n) for e, t, a, n in self._read(sql, (pipeline_version,), "reading actor links")}

    def save_quote_matches(self, pipeline_version: str, matches: Iterable[QuoteMatch]) -> None:
        """Replace the quote match groups of ``pipeline_version``; every member must be a stored quote."""
        _check_version(pipeline_version)
        rows = [(pipeline_version, m.group_id, r.article_id, r.quote_index) for m in matches for r in m.members]
        with self._write(f"saving the quote matches of pipeline {pipeline_version}") as conn:
            conn.execute("DELETE FROM quote_matches WHERE pipeline_version = ?", (pipeline_version,))
            for row in rows:
                try:
                    conn.execute(_INSERT_QUOTE_MATCH, row)
                except sqlite3.IntegrityError as exc:
                    raise StoreError(
                        f"{self.path}: cannot put quote {row[3]} of article {row[2]} (pipeline {pipeline_version}) "
                        f"in match group {row[1]}: {exc} (is the quote stored, and in one group only?)"
                    ) from exc

    def quote_matches(self, pipeline_version: str) -> list[QuoteMatch]:
        """The quote match groups saved for ``pipeline_version``: members sorted, groups by their first member."""
        sql = "SELECT group_id, article_id, idx FROM quote_matches WHERE pipeline_version = ?"
        members: dict[str, list[QuoteRef]] = defaultdict(list)
        for group_id, article_id, idx in self._read(sql, (pipeline_version,), "reading quote matches"):
            members[group_id].append(QuoteRef(article_id, int(idx)))
        groups = [QuoteMatch(group_id, tuple(sorted(refs))) for group_id, refs in members.items()]
        return sorted(groups, key=lambda g: g.members)

    def mark_refreshed(self, pipeline_version: str, steps: str) -> None:
        """Record that ``steps`` (a description of the corpus steps and their settings) computed the corpus-level
        results of ``pipeline_version`` just now."""
        _check_version(pipeline_version)
        with self._write(f"recording the corpus refresh of pipeline {pipeline_version}") as conn:
            conn.execute(_UPSERT_REFRESH, (pipeline_version, steps, _now()))

    def refreshed_steps(self, pipeline_version: str) -> str | None:
        """The ``steps`` of the last `mark_refreshed` of ``pipeline_version``; None if it was never refreshed."""
        sql = "SELECT steps FROM corpus_refreshes WHERE pipeline_version = ?"
        rows = self._read(sql, (pipeline_version,), "reading the corpus refresh state")
        return str(rows[0][0]) if rows else None

    # --- run log --------------------------------------------------------------------------------------------

    def start_run(self, command: str, pipeline_version: str | None) -> int:
        """Log the start of a command run; returns the run id for `record_problem` and `finish_run`."""
        with self._write(f"logging the start of {command!r}") as conn:
            cursor = conn.execute(
                "INSERT INTO runs (started_at, pipeline_version, command) VALUES (?, ?, ?)",
                (_now(), pipeline_version, command),
            )
            run_id = cursor.lastrowid
        if run_id is None:  # cannot happen after a successful INSERT; narrows the type
            raise StoreError(f"{self.path}: logging the start of {command!r}: no run id was assigned")
        return run_id

    def record_problem(self, run_id: int, problem: IngestProblem) -> None:
        with self._write(f"recording a problem of run {run_id}") as conn:
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                raise StoreError(f"{self.path}: there is no run {run_id} to record a problem for")
            conn.execute(
                "INSERT INTO problems (run_id, source, line, message) VALUES (?, ?, ?, ?)",
                (run_id, problem.source, problem.line, problem.message),
            )

    def finish_run(self, run_id: int, counts: RunCounts) -> None:
        with self._write(f"logging the end of run {run_id}") as conn:
            updated = conn.execute(
                "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
                (_now(), json.dumps(asdict(counts)), run_id),
            ).rowcount
            if updated != 1:
                raise StoreError(f"{self.path}: there is no run {run_id} to finish")

    def last_run(self) -> RunRecord | None:
        rows = self._read(_LAST_RUN, (), "reading the run log")
        if not rows:
            return None
        run_id, command, version, started, finished, counts = rows[0]
        return RunRecord(run_id, command, version, started, finished, _counts(counts))

    def run_problems(self, run_id: int) -> list[IngestProblem]:
        """The problems recorded for a run, in the order they were recorded."""
        sql = "SELECT source, message, line FROM problems WHERE run_id = ? ORDER BY id"
        return [IngestProblem(s, m, line) for s, m, line in self._read(sql, (run_id,), "reading problems")]

    # --- search and summary ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, pipeline_version: str | None = None) -> list[SearchHit]:
        """Articles (title, text) and quotes (words, speaker) matching ``query``, best first.

        ``query`` is read as an FTS5 query: words (all must match), ``"a phrase"``, ``prefix*``, ``AND``,
        ``OR``, ``NOT``, ``NEAR(a b)``, ``title:word`` or ``speaker:word``. Input that is not valid FTS5
        syntax for an index (a stray quote, an apostrophe, an unknown column) is searched there as plain
        words instead (see `fts_query`), so no input fails. Matching ignores case and accents.

        Quotes are searched in ``pipeline_version``'s analyses (default: the most recent version). Hits of
        both kinds are merged by their bm25 rank, at most ``limit`` of them; snippets mark the matched words
        with `HIT_START` and `HIT_END`.
        """
        if fts_query(query) is None or limit <= 0:
            return []
        hits = [
            SearchHit("article", article_id, title, outlet, snippet, None, score)
            for article_id, title, outlet, snippet, score in self._match(_SEARCH_ARTICLES, query, (limit,))
        ]
        version = pipeline_version if pipeline_version is not None else self.latest_version()
        if version is not None:
            hits += [
                SearchHit("quote", article_id, title, outlet, snippet, speaker, score)
                for article_id, title, outlet, snippet, speaker, score in self._match(
                    _SEARCH_QUOTES, query, (version, limit)
                )
            ]
        hits.sort(key=lambda hit: (hit.rank, hit.kind, hit.article_id))
        return hits[:limit]

    def info(self) -> StoreInfo:
        """Counts and versions: what is in the database."""
        what = "summarising the database"

        def counts_by_version(table: str) -> dict[str, int]:
            sql = f"SELECT pipeline_version, COUNT(*) FROM {table} GROUP BY pipeline_version"
            return {version: count for version, count in self._read(sql, (), what)}

        quotes, entities, stories = (counts_by_version(t) for t in ("quotes", "entities", "stories"))
        versions = tuple(
            VersionInfo(v, analyses, quotes.get(v, 0), entities.get(v, 0), stories.get(v, 0), last)
            for v, analyses, last in self._read(_VERSIONS_BY_RECENCY, (), what)
        )
        last_run = self.last_run()
        return StoreInfo(
            path=self.path,
            schema_version=self._pragma_int("user_version"),
            size_bytes=self._pragma_int("page_count") * self._pragma_int("page_size"),
            articles=self._count("articles"),
            versions=versions,
            runs=self._count("runs"),
            last_run=last_run,
            last_run_problems=tuple(self.run_problems(last_run.id)) if last_run else (),
        )

    # --- internals ------------------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._conn

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn sqlite3 errors into a `StoreError` that names the database and the operation."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {what} failed: {exc}") from exc

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed if the block completes, rolled back if anything raises.

        BEGIN IMMEDIATE takes the write lock at the start. A deferred transaction that read first would fail
        with "database is locked" at its first write if another process wrote meanwhile, without waiting.
        """
        conn = self._connection()
        with self._errors(what):
            conn.execute("BEGIN IMMEDIATE")
            with conn:  # commit on success, rollback on any exception
                yield conn

    def _read(self, sql: str, params: Sequence[Any], what: str) -> list[Any]:
        conn = self._connection()
        with self._errors(what):
            return conn.execute(sql, params).fetchall()

    def _match(self, sql: str, query: str, params: Sequence[Any]) -> list[Any]:
        """Run a search ``sql`` for ``query`` as FTS5 syntax, or, if FTS5 rejects that, as plain words."""
        markers = (HIT_START, HIT_END, HIT_ELLIPSIS)
        try:
            return self._connection().execute(sql, (*markers, query, *params)).fetchall()
        except sqlite3.OperationalError:
            # A query syntax error ("fts5: syntax error", "unterminated string", "no such column"). Were it
            # anything else, such as a locked database, the plain-words query below fails and reports it.
            pass
        return self._read(sql, (*markers, fts_query(query), *params), f"searching for {query!r}")

    def _pages(self, sql: str, params: Sequence[Any], what: str) -> Iterator[Any]:
        """The rows of a keyset-paginated query (its last two parameters: the last key seen, and a limit).

        Each page is a complete query, so no statement stays open between the rows handed to the caller,
        who may therefore write to the store while iterating (as the analyse loop does).
        """
        last = ""  # sorts before every id
        while True:
            rows = self._read(sql, (*params, last, _PAGE_SIZE), what)
            yield from rows
            if len(rows) < _PAGE_SIZE:
                return
            last = rows[-1][0]

    def _count(self, table: str) -> int:
        return int(self._read(f"SELECT COUNT(*) FROM {table}", (), f"counting {table}")[0][0])

    def _pragma_int(self, name: str) -> int:
        return int(self._read(f"PRAGMA {name}", (), f"reading {name}")[0][0])

    def _article(self, row: Sequence[Any]) -> Article:
        try:
            return _article_from_row(row)
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"{self.path}: stored article {row[0]} is malformed: {exc}") from exc

    def _document(self, row: Sequence[Any]) -> Document:
        """A Document from the article columns followed by the analysis blob and its pipeline version."""
        article = self._article(row[:-2])
        blob, version = row[-2], row[-1]
        try:
            return serialize.analysis_from_json(article, json.loads(blob))
        except (KeyError, TypeError, ValueError) as exc:
            where = f"{self.path}: the analysis of article {article.id} by pipeline {version}"
            raise StoreError(f"{where} is malformed: {exc!r}") from exc

    def _configure(self) -> None:
        conn = self._connection()
        with self._errors("opening the database"):
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # WAL lets readers (a report) run while a writer (an ingest) works. An in-memory database stays
            # in "memory" mode, which is fine.
            conn.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last commits only.
            conn.execute("PRAGMA synchronous = NORMAL")

    def _check_fts5(self) -> None:
        conn = self._connection()
        try:
            conn.execute(_FTS5_PROBE)
            conn.execute("DROP TABLE temp.rashomon_fts5_probe")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"the SQLite library this Python uses (version {sqlite3.sqlite_version}) lacks the FTS5 "
                f"full-text extension, which Rashomon needs for search ({exc}); use a Python build whose "
                "sqlite3 module includes FTS5 (the python.org and most distribution builds do)"
            ) from exc

    def _migrate(self, migrations: Sequence[_migrations.Migration]) -> None:
        """Apply the migrations newer than the database, each in its own transaction."""
        latest = migrations[-1].version if migrations else 0
        current = self._pragma_int("user_version")
        if current > 0 and self._pragma_int("application_id") != APPLICATION_ID:
            raise StoreError(f"{self.path} is not a Rashomon database (its header names another application)")
        if current == 0 and self._count("sqlite_master") > 0:
            raise StoreError(f"{self.path} is not a Rashomon database (it has tables but no Rashomon schema)")
        if current > latest:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this Rashomon supports ({latest}); "
                "it was written by a newer Rashomon: upgrade Rashomon to use it"
            )
        for migration in migrations:
            if migration.version <= current:
                continue
            what = f"migrating to schema version {migration.version} ({migration.description})"
            with self._write(what) as conn:
                # Re-read under the write lock: another process may have applied it since we looked.
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= migration.version:
                    continue
                for statement in sql_statements(migration.sql):
                    conn.execute(statement)
                # PRAGMAs take no parameters; both values are ints, so formatting them in is safe.
                conn.execute(f"PRAGMA user_version = {int(migration.version)}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# --- helpers ------------------------------------------------------------------------------------------------


def sql_statements(script: str) -> Iterator[str]:
    """Split an SQL script into statements, for running them one by one inside a transaction.

    (``executescript`` would commit first.) A ``;`` ends a statement only where `sqlite3.complete_statement`
    agrees, so semicolons in strings, comments and trigger bodies are handled.
    """
    *pieces, tail = script.split(";")
    pending = ""
    for piece in pieces:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if _has_sql(pending):
                yield pending.strip()
            pending = ""
    pending += tail
    if _has_sql(pending):
        raise StoreError(f"unterminated SQL statement in migration script: {pending.strip()[:80]!r}")


def _has_sql(text: str) -> bool:
    without_comments = re.sub(r"--[^\n]*", "", text)
    return bool(without_comments.strip(" \t\r\n;"))


_FTS_TERM = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression that searches ``query`` as plain words: every word or ``"phrase"`` must match.

    Each term is passed as an FTS5 string, so operators (AND, OR, NOT, NEAR, ``:``, ``^``, parentheses) and
    stray punctuation are searched literally instead of being parsed; a trailing ``*`` asks for a prefix.
    None when the query has no terms.
    """
    terms = []
    for match in _FTS_TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if phrase.strip():
                terms.append(_fts_string(phrase))
        elif len(word) > 1 and word.endswith("*"):
            terms.append(_fts_string(word.rstrip("*")) + "*")
        else:
            terms.append(_fts_string(word))
    return " ".join(terms) or None


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _check_version(pipeline_version: str) -> None:
    if not pipeline_version or not pipeline_version.strip():
        raise StoreError(f"a pipeline version must be a non-empty string, not {pipeline_version!r}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _prefixed(columns: str, alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


def _article_row(article: Article) -> tuple[Any, ...]:
    meta = article.meta
    return (
        article.id,
        meta.source_path,
        meta.url,
        meta.outlet,
        meta.title,
        serialize.date_to_json(meta.published),
        meta.author,
        meta.language,
        article.source_format.value,
        article.charset,
        article.text,
        json.dumps(serialize.removed_to_json(article.removed), ensure_ascii=False),
        _now(),
    )


def _article_from_row(row: Sequence[Any]) -> Article:
    article_id, source_path, url, outlet, title, published, author, language = row[:8]
    source_format, charset, text, removed = row[8:]
    meta = ArticleMeta(source_path, url, outlet, title, serialize.date_from_json(published), author, language)
    removed_lines = serialize.removed_from_json(json.loads(removed))
    return Article(article_id, text, meta, SourceFormat(source_format), charset, removed_lines)


def _quote_rows(doc: Document, pipeline_version: str) -> Iterator[tuple[Any, ...]]:
    for index, q in enumerate(doc.quotes):
        yield (
            doc.id,
            pipeline_version,
            index,
            q.text,
            q.kind.value,
            q.speaker,
            q.speaker_id,
            q.cue,
            q.start,
            q.end,
        )


def _entity_rows(doc: Document, pipeline_version: str) -> Iterator[tuple[Any, ...]]:
    for e in doc.entities:
        labels = json.dumps(list(dict.fromkeys(label.normal for label in e.labels)), ensure_ascii=False)
        yield (doc.id, pipeline_version, e.id, e.name, e.type.value, labels, len(e.mentions))


def _label_rows(doc: Document, pipeline_version: str) -> Iterator[tuple[Any, ...]]:
    for e in doc.entities:
        for idx, label in enumerate(e.labels):
            yield (
                doc.id,
                pipeline_version,
                e.id,
                idx,
                label.kind.value,
                label.text,
                label.normal,
                label.span.start,
                label.span.end,
                int(label.scare_quoted),
            )


def _stance_rows(doc: Document, pipeline_version: str) -> Iterator[tuple[Any, ...]]:
    holder = {m.span: e for e in doc.entities for m in e.mentions}
    for idx, s in enumerate(doc.stances):
        entity = holder.get(s.mention)
        yield (
            doc.id,
            pipeline_version,
            idx,
            entity.id if entity else None,
            entity.type.value if entity else None,
            s.mention.start,
            s.mention.end,
            s.sentence.start,
            s.sentence.end,
            s.negative,
            s.neutral,
            s.positive,
            s.label.value,
            max(-1.0, min(1.0, s.score)),
            int(s.quoted),
            s.quote,
        )


def _counts(data: str | None) -> RunCounts | None:
    """RunCounts from the runs.counts JSON; unknown keys (from another Rashomon version) are ignored."""
    if data is None:
        return None
    stored = json.loads(data)
    return RunCounts(**{f.name: int(stored.get(f.name, 0)) for f in fields(RunCounts)})
