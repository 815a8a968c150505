"""Rashomon: how different news outlets tell the same story.

The Python API in one import::

    import rashomon
    doc = rashomon.analyze_text("“We will win,” said Lopez.")
    with rashomon.Corpus("news.db") as corpus:
        corpus.add(["examples/venezuela"])
"""

from importlib.metadata import PackageNotFoundError, version

from rashomon.api import Corpus, ExportFormat, ExportTable, RunSummary, analyze_text, build_pipeline
from rashomon.corpus.quotes import QuoteMatch, QuoteRef
from rashomon.corpus.voices import Voice, VoiceShare, VoiceShares
from rashomon.model import (
    Article,
    ArticleMeta,
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
from rashomon.settings import Settings

try:
    __version__ = version("rashomon")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
    __version__ = "0.0.0"

__all__ = [
    "Article",
    "ArticleMeta",
    "Corpus",
    "Document",
    "Entity",
    "EntityType",
    "ExportFormat",
    "ExportTable",
    "IngestProblem",
    "Mention",
    "Quote",
    "QuoteKind",
    "QuoteMatch",
    "QuoteRef",
    "RunSummary",
    "Settings",
    "Span",
    "Story",
    "Voice",
    "VoiceShare",
    "VoiceShares",
    "__version__",
    "analyze_text",
    "build_pipeline",
]
