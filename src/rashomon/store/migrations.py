"""The database schema, as an ordered list of migrations.

Each `Migration` takes the database from ``version - 1`` to ``version``; `rashomon.store.sqlite` applies
the pending ones in order, each in its own transaction, and records the version reached in
``PRAGMA user_version``.
Released migrations are never edited: a schema change is a new migration appended to `MIGRATIONS`.
This module holds SQL text only; it does not touch a database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: the version it produces, what it does, and the SQL script that does it."""

    version: int
    description: str
    sql: str


_INITIAL_SCHEMA = """
-- One row per distinct article text: `id` is Article.make_id, so an article ingested twice is stored once.
CREATE TABLE articles (
    id                TEXT PRIMARY KEY,
    source_path       TEXT NOT NULL,
    url               TEXT,
    outlet            TEXT,
    title             TEXT,
    published         TEXT CHECK (published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- ISO date
    author            TEXT,
    language_declared TEXT,
    source_format     TEXT NOT NULL,
    charset           TEXT NOT NULL,
    text              TEXT NOT NULL,
    removed           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(removed)),
    ingested_at       TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles (outlet);
CREATE INDEX articles_published ON articles (published);

-- One analysis per article and pipeline version: re-analysing with a new pipeline keeps the old results.
-- `document` is the JSON blob of rashomon.store.serialize (everything the Document holds beyond the Article).
CREATE TABLE analyses (
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    pipeline_version TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    document         TEXT NOT NULL CHECK (json_valid(document)),
    PRIMARY KEY (article_id, pipeline_version)
);
CREATE INDEX analyses_version ON analyses (pipeline_version, created_at);

-- Normalised copies of the blob's quotes and entities, for SQL users. They are derived data: written and
-- deleted together with their analysis row (the cascade removes them when an analysis is replaced).
-- `id` is an INTEGER PRIMARY KEY because quotes_fts refers to quotes by rowid, and VACUUM may renumber the
-- implicit rowids of tables that lack one.
CREATE TABLE quotes (
    id               INTEGER PRIMARY KEY,
    article_id       TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    idx              INTEGER NOT NULL,
    text             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    speaker          TEXT,
    speaker_id       TEXT,
    cue              TEXT,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    UNIQUE (article_id, pipeline_version, idx),
    FOREIGN KEY (article_id, pipeline_version)
        REFERENCES analyses (article_id, pipeline_version) ON DELETE CASCADE
);
CREATE INDEX quotes_speaker ON quotes (pipeline_version, speaker_id);

CREATE TABLE entities (
    article_id       TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    name             TEXT NOT NULL,
    type             TEXT NOT NULL,
    labels           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(labels)),
    mention_count    INTEGER NOT NULL,
    PRIMARY KEY (article_id, pipeline_version, entity_id),
    FOREIGN KEY (article_id, pipeline_version)
        REFERENCES analyses (article_id, pipeline_version) ON DELETE CASCADE
);
CREATE INDEX entities_entity ON entities (pipeline_version, entity_id);

-- Corpus-level results, one set per pipeline version. `position` keeps the order the corpus step gave.
CREATE TABLE stories (
    pipeline_version TEXT NOT NULL,
    story_id         TEXT NOT NULL,
    label            TEXT NOT NULL,
    position         INTEGER NOT NULL,
    PRIMARY KEY (pipeline_version, story_id)
);

CREATE TABLE story_articles (
    pipeline_version TEXT NOT NULL,
    story_id         TEXT NOT NULL,
    position         INTEGER NOT NULL,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (pipeline_version, story_id, position),
    FOREIGN KEY (pipeline_version, story_id)
        REFERENCES stories (pipeline_version, story_id) ON DELETE CASCADE
);
CREATE INDEX story_articles_article ON story_articles (article_id);

-- Which corpus-wide actor each per-article entity id stands for (written by the corpus identity step).
CREATE TABLE actor_links (
    pipeline_version TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    entity_type      TEXT NOT NULL,  -- one id may name a person in one article and a place in another
    actor_id         TEXT NOT NULL,
    actor_name       TEXT NOT NULL,
    PRIMARY KEY (pipeline_version, entity_id, entity_type)
);

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    pipeline_version TEXT,
    command          TEXT NOT NULL,
    counts           TEXT CHECK (counts IS NULL OR json_valid(counts))
);

CREATE TABLE problems (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    source  TEXT NOT NULL,
    line    INTEGER,
    message TEXT NOT NULL
);
CREATE INDEX problems_run ON problems (run_id);

-- Full-text search. articles_fts keeps its own copy of title and text: articles has a TEXT primary key, so
-- there is no stable integer rowid an external-content index could point at. Articles are written once and
-- never updated by Rashomon; the triggers keep the index right if someone edits the table by hand.
-- remove_diacritics makes "Jose" find "José", which matters for the Spanish and Portuguese corpora.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    article_id UNINDEXED, title, text,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (article_id, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_fts WHERE article_id = old.id;
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, text ON articles BEGIN
    DELETE FROM articles_fts WHERE article_id = old.id;
    INSERT INTO articles_fts (article_id, title, text) VALUES (new.id, new.title, new.text);
END;

-- quotes_fts is an external-content index over quotes (no second copy of the words), kept in step by
-- triggers; the delete trigger also fires for rows removed by the ON DELETE CASCADE of a replaced analysis.
CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    text, speaker,
    content = 'quotes', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
END;
CREATE TRIGGER quotes_fts_update AFTER UPDATE OF id, text, speaker ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker)
        VALUES ('delete', old.id, old.text, old.speaker);
    INSERT INTO quotes_fts (rowid, text, speaker) VALUES (new.id, new.text, new.speaker);
END;
"""

_QUOTE_MATCHES = """
-- Quotes that several articles carry: each row puts one quote of an analysis into a match group (written by
-- the corpus step, rashomon.corpus.quotes, and replaced as a whole per pipeline version). A quote whose
-- analysis is replaced takes its rows along (the cascade), until the next corpus step regroups it.
CREATE TABLE quote_matches (
    pipeline_version TEXT NOT NULL,
    group_id         TEXT NOT NULL,
    article_id       TEXT NOT NULL,
    idx              INTEGER NOT NULL,
    PRIMARY KEY (pipeline_version, article_id, idx),
    FOREIGN KEY (article_id, pipeline_version, idx)
        REFERENCES quotes (article_id, pipeline_version, idx) ON DELETE CASCADE
);
CREATE INDEX quote_matches_group ON quote_matches (pipeline_version, group_id);

-- Which corpus steps last computed the corpus-level results of a pipeline version, and when. Results that
-- other steps computed (an older Rashomon, other settings), or that were never computed, are recomputed.
CREATE TABLE corpus_refreshes (
    pipeline_version TEXT PRIMARY KEY,
    steps            TEXT NOT NULL,
    refreshed_at     TEXT NOT NULL
);
"""

_ENTITY_LABELS = """
-- Every label an article attaches to one of its entities (rashomon.model.Label), one row per occurrence, for
-- queries such as "which articles call someone a dictator". `entities.labels` holds the distinct normal forms.
-- Entity ids are the article's own; `actor_links` maps them to corpus actors.
CREATE TABLE entity_labels (
    article_id       TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    entity_id        TEXT NOT NULL,
    idx              INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    text             TEXT NOT NULL,
    normal           TEXT NOT NULL,
    start            INTEGER NOT NULL,
    "end"            INTEGER NOT NULL,
    scare_quoted     INTEGER NOT NULL CHECK (scare_quoted IN (0, 1)),
    PRIMARY KEY (article_id, pipeline_version, entity_id, idx),
    FOREIGN KEY (article_id, pipeline_version, entity_id)
        REFERENCES entities (article_id, pipeline_version, entity_id) ON DELETE CASCADE
);
CREATE INDEX entity_labels_normal ON entity_labels (pipeline_version, normal);
"""

_STORIES = """
-- Sentence embeddings of articles (rashomon.nlp.encoder), computed once per article and encoder version and kept
-- across pipeline versions: `vector` is the unit vector as little-endian float32 (4 bytes per dimension).
CREATE TABLE article_vectors (
    article_id      TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    encoder_version TEXT NOT NULL,
    vector          BLOB NOT NULL CHECK (length(vector) > 0 AND length(vector) % 4 = 0),
    PRIMARY KEY (article_id, encoder_version)
);

-- Events (rashomon.corpus.events): one happening and the articles reporting it, each in one story. Written with
-- the stories by the corpus step; replacing a version's stories removes its events (the cascade).
CREATE TABLE events (
    pipeline_version TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    story_id         TEXT NOT NULL,
    label            TEXT NOT NULL,
    actors           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(actors)),
    phrases          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(phrases)),
    first_date       TEXT CHECK (first_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    last_date        TEXT CHECK (last_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    position         INTEGER NOT NULL,  -- the event's place in its story's time order
    PRIMARY KEY (pipeline_version, event_id),
    FOREIGN KEY (pipeline_version, story_id)
        REFERENCES stories (pipeline_version, story_id) ON DELETE CASCADE
);
CREATE INDEX events_story ON events (pipeline_version, story_id);

CREATE TABLE event_articles (
    pipeline_version TEXT NOT NULL,
    event_id         TEXT NOT NULL,
    position         INTEGER NOT NULL,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (pipeline_version, event_id, position),
    UNIQUE (pipeline_version, article_id),  -- an article reports one event
    FOREIGN KEY (pipeline_version, event_id)
        REFERENCES events (pipeline_version, event_id) ON DELETE CASCADE
);
CREATE INDEX event_articles_article ON event_articles (article_id);

-- Copies of one text (rashomon.corpus.duplicates): syndicated or lightly edited versions. Each group has one
-- original (original = 1, similarity 1) and its copies, with their Jaccard similarity to it.
CREATE TABLE duplicates (
    pipeline_version TEXT NOT NULL,
    group_id         TEXT NOT NULL,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    original         INTEGER NOT NULL CHECK (original IN (0, 1)),
    similarity       REAL NOT NULL CHECK (similarity BETWEEN 0 AND 1),
    PRIMARY KEY (pipeline_version, article_id)
);
CREATE INDEX duplicates_group ON duplicates (pipeline_version, group_id);

-- A story's date range and the two parts of its label.
ALTER TABLE stories ADD COLUMN first_date TEXT;
ALTER TABLE stories ADD COLUMN last_date TEXT;
ALTER TABLE stories ADD COLUMN actors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE stories ADD COLUMN phrases TEXT NOT NULL DEFAULT '[]';
"""

_STANCES = """
-- The stance toward each scored actor mention of an analysis (rashomon.model.TargetStance, the `stance` stage),
-- one row per mention, for queries such as "which outlets cast Maduro negatively in their own words". Derived
-- from the analysis blob, written and deleted with it. `entity_id` and `entity_type` are the article's own
-- entity holding the mention (`actor_links` maps them to corpus actors); NULL if no entity holds it. `label` is
-- the most probable class, `score` P(positive) - P(negative); `quote_idx` the quote (quotes.idx) whose words
-- hold the mention, NULL when it stands in the outlet's own words.
CREATE TABLE stances (
    article_id       TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    idx              INTEGER NOT NULL,
    entity_id        TEXT,
    entity_type      TEXT,
    mention_start    INTEGER NOT NULL,
    mention_end      INTEGER NOT NULL,
    sentence_start   INTEGER NOT NULL,
    sentence_end     INTEGER NOT NULL,
    negative         REAL NOT NULL CHECK (negative BETWEEN 0 AND 1),
    neutral          REAL NOT NULL CHECK (neutral BETWEEN 0 AND 1),
    positive         REAL NOT NULL CHECK (positive BETWEEN 0 AND 1),
    label            TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
    score            REAL NOT NULL CHECK (score BETWEEN -1 AND 1),
    quoted           INTEGER NOT NULL CHECK (quoted IN (0, 1)),
    quote_idx        INTEGER,
    PRIMARY KEY (article_id, pipeline_version, idx),
    FOREIGN KEY (article_id, pipeline_version)
        REFERENCES analyses (article_id, pipeline_version) ON DELETE CASCADE
);
CREATE INDEX stances_entity ON stances (pipeline_version, entity_id);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles, analyses, quotes, entities, stories, actor links, runs, problems and full-text indexes",
        _INITIAL_SCHEMA,
    ),
    Migration(2, "quote match groups across articles, and the state of the corpus steps", _QUOTE_MATCHES),
    Migration(3, "one row per label an article attaches to an entity", _ENTITY_LABELS),
    Migration(4, "article embeddings, events within stories, copies of one text, story dates and labels", _STORIES),
    Migration(5, "one row per scored actor mention: the stance of its sentence toward it", _STANCES),
)

# The schema version this code writes; a database with a higher user_version was made by a newer Rashomon.
SCHEMA_VERSION: int = MIGRATIONS[-1].version
