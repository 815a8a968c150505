"""The records the store returns besides the model's own: search hits, run counts and database summaries."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from rashomon.model import IngestProblem

# The markers `SearchHit.snippet` puts around the matched words. Chosen because news text practically never
# contains them (unlike « », [ ] or *), so a caller can replace them with its own highlighting unambiguously.
HIT_START = "⟦"
HIT_END = "⟧"
# What a snippet shows where it cuts the text short.
HIT_ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text match: an article (title or body) or a quote (its words or its speaker)."""

    kind: Literal["article", "quote"]
    article_id: str
    title: str | None
    outlet: str | None
    snippet: str  # the matching passage, matched words between HIT_START and HIT_END
    speaker: str | None  # for quotes: the speaker as resolved; always None for articles
    rank: float  # FTS5 bm25 score: lower is a better match

    def as_json(self) -> dict[str, Any]:
        """The hit as a JSON-able object with the field names above (for ``rashomon search --json``)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RunCounts:
    """What one command run did; each command fills in the counts that apply to it."""

    read: int = 0  # inputs (files or lines) read
    ingested: int = 0  # articles newly stored
    duplicates: int = 0  # articles already stored (same text)
    analyzed: int = 0  # articles analysed by the pipeline
    reused: int = 0  # articles not analysed again: this pipeline version had already analysed them
    problems: int = 0  # inputs that could not be read or analysed, see `SQLiteStore.record_problem`


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One row of the run log."""

    id: int
    command: str
    pipeline_version: str | None
    started_at: str  # ISO 8601, UTC
    finished_at: str | None  # None while running, or if the run crashed
    counts: RunCounts | None


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """What the database holds for one pipeline version."""

    pipeline_version: str
    analyses: int
    quotes: int
    entities: int
    stories: int
    last_analyzed: str  # ISO 8601 timestamp of the version's most recent analysis


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """A summary of a database, for `rashomon info`."""

    path: str
    schema_version: int
    size_bytes: int  # pages in use times page size; a pending -wal file is not counted
    articles: int
    versions: tuple[VersionInfo, ...]  # most recently analysed first
    runs: int
    last_run: RunRecord | None
    last_run_problems: tuple[IngestProblem, ...]

    @property
    def analyses(self) -> int:
        return sum(v.analyses for v in self.versions)

    @property
    def quotes(self) -> int:
        return sum(v.quotes for v in self.versions)

    @property
    def entities(self) -> int:
        return sum(v.entities for v in self.versions)

    @property
    def stories(self) -> int:
        return sum(v.stories for v in self.versions)

    def rows(self) -> list[tuple[str, str]]:
        """(name, value) lines for display, as ``rashomon info`` prints them."""
        lines = [
            ("schema version", str(self.schema_version)),
            ("size", _human_size(self.size_bytes)),
            ("articles", str(self.articles)),
        ]
        for v in self.versions:
            lines.append(
                (
                    f"pipeline {v.pipeline_version}",
                    f"{v.analyses} analyses, {v.quotes} quotes, {v.entities} entities, {v.stories} stories "
                    f"(last analysis {v.last_analyzed[:19].replace('T', ' ')} UTC)",
                )
            )
        lines.append(("runs", str(self.runs)))
        if self.last_run is not None:
            run, problems = self.last_run, len(self.last_run_problems)
            state = "finished" if run.finished_at else "not finished"
            lines.append(("last run", f"#{run.id} {run.command}, {state}, {problems} problems"))
        return lines


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
