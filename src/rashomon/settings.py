"""The one settings object, and the one place its defaults are defined.

Every tunable (file size limit, languages, pipeline stages, database path) is a field here; the CLI and the
Python API construct a `Settings` and pass it down rather than reading their own defaults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_DB = Path("rashomon.db")

# Languages the identifier distinguishes between. Fewer languages make lingua faster and more accurate, so only
# those our users' corpora are known to contain are listed.
DEFAULT_LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "ru", "nl")

DEFAULT_PIPELINE = ("language", "paragraphs", "sentences", "syntax", "ner", "labels", "quotes", "stance")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be configured with."""

    db_path: Path = DEFAULT_DB
    # Files larger than this are rejected with an error instead of being read into memory.
    max_file_bytes: int = 20 * 1024 * 1024
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    pipeline: tuple[str, ...] = DEFAULT_PIPELINE
    # Articles whose text is shorter than this many characters are not given a language (too little evidence).
    min_language_chars: int = 20
    # The spaCy pipeline folder for the syntax stage; None = the one shipped in the package.
    spacy_model: Path | None = None
    # Events and stories (rashomon.corpus.events): two groups of articles join one event when the mean log-odds
    # that a pair of their articles reports one happening reaches this; two events join one story at the lower
    # story threshold. The same numbers as rashomon.corpus.events.EVENT_LEVEL and STORY_LEVEL.
    event_threshold: float = -1.5
    story_threshold: float = -2.5
    # A user's alias file forcing or forbidding actor merges (docs/aliases.md); None = automatic linking only.
    aliases: Path | None = None

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given fields changed; ``None`` values are ignored (unset CLI options)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults, overridden by ``RASHOMON_DB``, ``RASHOMON_MAX_FILE_BYTES`` and ``RASHOMON_ALIASES`` when they
        are set."""
        env = os.environ if environ is None else environ
        overrides: dict[str, Any] = {}
        if env.get("RASHOMON_DB"):
            overrides["db_path"] = Path(env["RASHOMON_DB"])
        if env.get("RASHOMON_MAX_FILE_BYTES"):
            overrides["max_file_bytes"] = int(env["RASHOMON_MAX_FILE_BYTES"])
        if env.get("RASHOMON_ALIASES"):
            overrides["aliases"] = Path(env["RASHOMON_ALIASES"])
        return cls().with_overrides(**overrides)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
