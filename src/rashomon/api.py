"""The Python API: analyse one text, or keep a corpus in a store and analyse, search, export and report it.

This is the library core the CLI is a thin layer over. A `Corpus` wires the parts together: ingest reads
sources into articles, the store de-duplicates them by content hash, the per-article pipeline analyses each
article not yet analysed by this pipeline version, and the corpus-level steps (actor linking, stories, quote
matching) run over the whole corpus afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Self, TextIO

import numpy as np

from rashomon import export as _export
from rashomon.corpus.actors import apply_links, link_actors
from rashomon.corpus.aliases import Aliases, load_aliases
from rashomon.corpus.dates import article_date
from rashomon.corpus.duplicates import DUPLICATES_VERSION, DuplicateGroup, Text, find_duplicates
from rashomon.corpus.events import EVENT_LEVEL, EVENTS_VERSION, STORY_LEVEL, Clustering, Previous, find_events
from rashomon.corpus.labels import MIN_COUNT, LabelMatrix, label_matrix
from rashomon.corpus.quotes import MATCHING_VERSION, QuoteMatch, find_quote_matches
from rashomon.corpus.stance import MIN_COUNT as STANCE_MIN_COUNT
from rashomon.corpus.stance import StanceMatrix, StanceVoice, stance_matrix
from rashomon.corpus.timeline import Timeline, timeline
from rashomon.corpus.vectors import VectorIndex, index_path
from rashomon.corpus.voices import VoiceShares, voice_shares
from rashomon.errors import NotFoundError, PipelineError
from rashomon.ingest import Metadata, load_metadata, read_sources
from rashomon.model import Article, ArticleMeta, Document, Event, IngestProblem, SourceFormat, Story
from rashomon.nlp import Pipeline
from rashomon.nlp.encoder import ENCODER_VERSION, embed_articles
from rashomon.report.html import write_report
from rashomon.settings import Settings
from rashomon.store import RunCounts, SearchHit, SQLiteStore, StoreInfo


class ExportFormat(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


class ExportTable(StrEnum):
    """What a CSV export holds: one row per quote, per voice of an article, outlet or story, per label of an actor
    in an outlet, or per actor in an outlet, story or article with its stance counts."""

    QUOTES = "quotes"
    VOICES = "voices"
    LABELS = "labels"
    STANCE = "stance"


# Where the JSON export holds what each CSV table holds.
_SECTIONS = {
    ExportTable.QUOTES: "articles",
    ExportTable.VOICES: "voices",
    ExportTable.LABELS: "label_matrix",
    ExportTable.STANCE: "stance_matrix",
}

_WRITERS = {
    ExportFormat.JSON: _export.write_json,
    ExportFormat.JSONL: _export.write_jsonl,
    ExportFormat.CSV: _export.write_csv,
}


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one `Corpus.add` did."""

    ingested: int = 0  # articles stored for the first time
    duplicates: int = 0  # articles already stored (same text), not stored again
    analyzed: int = 0  # articles analysed by this run
    reused: int = 0  # articles already analysed by this pipeline version, left as they were
    problems: tuple[IngestProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


# Called once per input item as it is handled, for progress displays.
Progress = Callable[[Article | IngestProblem], None]


def build_pipeline(settings: Settings | None = None) -> Pipeline:
    """The per-article pipeline the settings name."""
    settings = settings or Settings()
    return Pipeline(settings.pipeline, settings)


def analyze_text(
    text: str,
    *,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    settings: Settings | None = None,
) -> Document:
    """Analyse one text without a store: the typed `Document` with its quotes, entities and sentences."""
    meta = ArticleMeta("<text>", url=url, outlet=outlet, title=title, published=published)
    return build_pipeline(settings)(Document(Article.create(text, meta, SourceFormat.TEXT)))


class Corpus:
    """A collection of analysed articles in one SQLite database.

    >>> with Corpus("venezuela.db") as corpus:            # doctest: +SKIP
    ...     corpus.add(["examples/venezuela"])
    ...     for doc in corpus.documents():
    ...         print(doc.article.meta.outlet, len(doc.quotes))
    """

    def __init__(self, path: str | Path | None = None, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.path = Path(path) if path is not None else self.settings.db_path
        # The user's alias file, read once: a bad file fails here, before the store is opened.
        self.aliases: Aliases | None = load_aliases(self.settings.aliases) if self.settings.aliases else None
        self.store = SQLiteStore(self.path)
        self.pipeline = build_pipeline(self.settings)

    # -- lifecycle -------------------------------------------------------------------------------------------
    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- adding ----------------------------------------------------------------------------------------------
    def add(
        self,
        paths: Sequence[str | Path],
        metadata: Metadata | str | Path | None = None,
        *,
        progress: Progress | None = None,
        command: str = "analyze",
    ) -> RunSummary:
        """Ingest and analyse files, folders (recursively) or "-" for stdin.

        Every article is stored in its own transaction as soon as it is read, so a failure later in the batch
        loses nothing already stored. Bad inputs become `IngestProblem`s in the summary; the batch goes on.
        """
        if metadata is not None and not isinstance(metadata, Metadata):
            metadata = load_metadata(Path(metadata))
        version = self.pipeline.version
        run_id = self.store.start_run(command, version)
        done = self.store.analyzed_ids(version)
        ingested = duplicates = analyzed = reused = 0
        problems: list[IngestProblem] = []
        for item in read_sources([str(p) for p in paths], self.settings, metadata):
            if isinstance(item, IngestProblem):
                problems.append(item)
                self.store.record_problem(run_id, item)
            else:
                if self.store.add_article(item):
                    ingested += 1
                else:
                    duplicates += 1
                if item.id in done:
                    reused += 1
                else:
                    problem = self._analyze(item, version)
                    if problem is None:
                        analyzed += 1
                        done.add(item.id)
                    else:
                        problems.append(problem)
                        self.store.record_problem(run_id, problem)
            if progress is not None:
                progress(item)
        if analyzed or self._stale():
            self.refresh()
        summary = RunSummary(ingested, duplicates, analyzed, reused, tuple(problems))
        self.store.finish_run(
            run_id,
            RunCounts(ingested=ingested, duplicates=duplicates, analyzed=analyzed, problems=len(problems)),
        )
        return summary

    def _analyze(self, article: Article, version: str) -> IngestProblem | None:
        try:
            doc = self.pipeline(Document(article))
        except PipelineError as exc:
            return IngestProblem(article.meta.source_path, f"analysis failed: {exc}")
        self.store.save_analysis(doc, version)
        return None

    def refresh(self, *, rebuild: bool = False) -> None:
        """Recompute the corpus-level results (actor identities, copies, events and stories, quote matches) for the
        current pipeline version.

        Events and stories are incremental (`rashomon.corpus.events`): articles already placed by the same
        corpus steps keep their event and story, and only new articles are placed. ``rebuild`` clusters every
        article afresh, as a change of settings or encoder does.
        """
        version = self.pipeline.version
        docs = list(self.store.iter_documents(version))
        links = link_actors(docs, self.aliases)
        self.store.save_actor_links(version, links.as_mapping())
        linked = [apply_links(d, links) for d in docs]
        incremental = not rebuild and self.store.refreshed_steps(version) == self._corpus_steps()
        duplicates = find_duplicates([Text(d.id, d.text, article_date(d).date) for d in linked])
        clustering = self._cluster(linked, duplicates, incremental)
        self.store.save_stories(version, clustering.stories, clustering.events, duplicates)
        self.store.save_quote_matches(version, find_quote_matches(linked))
        self.store.mark_refreshed(version, self._corpus_steps())

    def _cluster(self, docs: Sequence[Document], duplicates: Sequence[DuplicateGroup], incremental: bool) -> Clustering:
        """Events and stories of ``docs``, embedding the articles not yet embedded (cached in the store) and keeping
        the vector index beside the database in step."""
        vectors = self.store.vectors(ENCODER_VERSION)
        missing = [d for d in docs if d.id not in vectors]
        if missing:
            new = embed_articles((d.article.meta.title, d.text) for d in missing)
            fresh = {d.id: new[i] for i, d in enumerate(missing)}
            self.store.save_vectors(ENCODER_VERSION, fresh)
            vectors.update(fresh)
        index = VectorIndex.open(ENCODER_VERSION, index_path(self.path))
        ids = sorted(d.id for d in docs)
        unindexed = [a for a in ids if a not in index]
        if unindexed:
            index.add(unindexed, np.vstack([vectors[a] for a in unindexed]))
            index.save()
        previous = None
        if incremental:
            event_of, story_of = self.store.event_assignment(self.pipeline.version)
            previous = Previous(event_of, story_of)
        return find_events(
            docs,
            vectors,
            previous=previous,
            index=index,
            duplicates=duplicates,
            event_level=replace(EVENT_LEVEL, threshold=self.settings.event_threshold),
            story_level=replace(STORY_LEVEL, threshold=self.settings.story_threshold),
        )

    def _corpus_steps(self) -> str:
        # What the stored corpus results depend on besides the analyses: when it changes, they are recomputed.
        # The alias file counts by its content, so editing it recomputes them.
        actors = "actors" if self.aliases is None else f"actors aliases={self.aliases.digest}"
        stories = (
            f"copies v{DUPLICATES_VERSION}; events v{EVENTS_VERSION} event={self.settings.event_threshold!r} "
            f"story={self.settings.story_threshold!r} encoder={ENCODER_VERSION}"
        )
        return f"{actors}; {stories}; quotes v{MATCHING_VERSION}"

    def _stale(self) -> bool:
        """Whether this version's corpus results are missing or were computed by other corpus steps."""
        version = self.pipeline.version
        if self.store.refreshed_steps(version) == self._corpus_steps():
            return False
        return bool(self.store.analyzed_ids(version))

    def _fresh(self) -> None:
        if self._stale():
            self.refresh()

    # -- reading ---------------------------------------------------------------------------------------------
    def documents(self) -> list[Document]:
        """Every analysed article, entity and speaker ids linked to corpus-wide actors."""
        docs = list(self.store.iter_documents(self.pipeline.version))
        links = link_actors(docs, self.aliases)
        return [apply_links(d, links) for d in docs]

    def stories(self) -> list[Story]:
        """The stories (chains of related events), largest first, as stored (`rashomon.corpus.events`)."""
        self._fresh()
        return self.store.stories(self.pipeline.version)

    def events(self) -> list[Event]:
        """The events (one happening each), story by story, each story's in time order."""
        self._fresh()
        return self.store.events(self.pipeline.version)

    def duplicates(self) -> list[DuplicateGroup]:
        """The groups of copies of one text (syndicated or lightly edited), as stored."""
        self._fresh()
        return self.store.duplicate_groups(self.pipeline.version)

    def _story(self, stories: Sequence[Story], story_id: str) -> Story:
        """The story with this id, or an error naming the database and the ids it has."""
        found = next((s for s in stories if s.id == story_id), None)
        if found is None:
            known = ", ".join(s.id for s in stories) or "none"
            raise NotFoundError(f"{self.path}: no story {story_id!r} (stories: {known})")
        return found

    def timelines(self, story: str | None = None) -> list[Timeline]:
        """Each story's events in time order with their articles and outlets (`rashomon.corpus.timeline`); with
        ``story`` (its id), that story's only."""
        stories, events, copies = self.stories(), self.events(), self.duplicates()
        if story is not None:
            stories = [self._story(stories, story)]
        docs = {d.id: d for d in self.store.iter_documents(self.pipeline.version)}
        return [timeline(s, events, docs, copies) for s in stories]

    def quote_matches(self) -> list[QuoteMatch]:
        """The groups of quotes that several articles carry (`rashomon.corpus.quotes`), as stored."""
        self._fresh()
        return self.store.quote_matches(self.pipeline.version)

    def actors(self, story: str | None = None, *, min_count: int = MIN_COUNT) -> LabelMatrix:
        """The label matrix (`rashomon.corpus.labels`): every actor x outlet with the labels used and their
        evidence, over the whole corpus or one story (its id, as `stories` gives it)."""
        docs = self.documents()
        if story is not None:
            found = self._story(self.stories(), story)
            members = set(found.article_ids)
            docs = [d for d in docs if d.id in members]
        return label_matrix(docs, min_count=min_count)

    def stance(
        self,
        story: str | None = None,
        *,
        min_count: int = STANCE_MIN_COUNT,
        voice: StanceVoice | str = StanceVoice.ALL,
    ) -> StanceMatrix:
        """The stance matrix (`rashomon.corpus.stance`): how each outlet casts each actor (counts of negative,
        neutral and positive mentions, a shrunk score with its interval, the evidence sentences), with a cell per
        story too; over the whole corpus or one story (its id). ``voice``: ``all`` mentions, the outlet's ``own``
        words only, or ``quoted`` words only. Empty when the pipeline has no `stance` stage."""
        docs, stories = self.documents(), self.stories()
        if story is not None:
            found = self._story(stories, story)
            members = set(found.article_ids)
            docs, stories = [d for d in docs if d.id in members], [found]
        return stance_matrix(docs, stories, min_count=min_count, voice=voice)

    def voices(self) -> VoiceShares:
        """Who is quoted, how often and at what length, per article, per outlet and per story."""
        return voice_shares(self.documents(), self.stories())

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article text and quotes (FTS5)."""
        return self.store.search(query, limit)

    def info(self) -> StoreInfo:
        return self.store.info()

    def iter_problems(self) -> Iterator[IngestProblem]:
        """The problems of the last run."""
        last = self.store.last_run()
        if last is not None:
            yield from self.store.run_problems(last.id)

    # -- output ----------------------------------------------------------------------------------------------
    def export(self, fmt: ExportFormat | str, out: TextIO, table: ExportTable | str = ExportTable.QUOTES) -> None:
        """Write the corpus in the export contract of docs/export.md.

        JSON holds every analysed article with its quotes (and their matches) and entities (with their labels and
        stance), the stories and events, the groups of copies, the voice shares, the label matrix and the stance
        matrix; JSON Lines the articles; CSV one row per quote, with ``table="voices"`` one row per voice, with
        ``table="labels"`` one row per label of an actor in an outlet, with ``table="stance"`` one row per actor in
        an outlet, story or article with its stance counts.
        """
        fmt, table = ExportFormat(fmt), ExportTable(table)
        if table is not ExportTable.QUOTES and fmt is not ExportFormat.CSV:
            section = _SECTIONS[table]
            raise ValueError(
                f"the {table.value} table is exported as CSV, not {fmt.value} (JSON holds it in '{section}')"
            )
        if table is ExportTable.VOICES:
            _export.write_voices_csv(self.documents(), self.stories(), out)
            return
        if table is ExportTable.LABELS:
            _export.write_labels_csv(self.documents(), out)
            return
        if table is ExportTable.STANCE:
            _export.write_stance_csv(self.documents(), self.stories(), out)
            return
        stories, matches = self.stories(), self.quote_matches()
        if fmt is ExportFormat.JSON:
            _export.write_json(
                self.documents(), stories, out, matches=matches, events=self.events(), duplicates=self.duplicates()
            )
            return
        _WRITERS[fmt](self.documents(), stories, out, matches=matches)

    def report(self, path: str | Path, title: str = "Rashomon report") -> Path:
        """Write the self-contained HTML report; returns its path."""
        out = Path(path)
        stories, matches = self.stories(), self.quote_matches()
        write_report(
            out,
            self.documents(),
            stories,
            title=title,
            matches=matches,
            events=self.events(),
            duplicates=self.duplicates(),
        )
        return out
