"""Ingesting news articles: reading files, directories or stdin into `Article` records.

This package's one concern is getting from bytes on disk to clean article text with its metadata. It accepts
plain text, HTML, JSON lines (and JSON arrays) and CSV/TSV exports, decodes any character encoding, removes
page furniture (ads, sign-up prompts, share counters, captions) and applies a metadata sidecar. It does no
analysis and no de-duplication: an article's id is a hash of its text, so the store can spot duplicates.

`read_sources` never raises for a bad input: it yields an `IngestProblem` naming the file (and line) and goes
on with the next. See docs/ingest.md for the formats, field mappings, the sidecar and the boilerplate rules.
"""

from __future__ import annotations

from rashomon.ingest.metadata import SIDECAR_NAME, Metadata, MetaOverride, load_metadata
from rashomon.ingest.sources import STDIN, read_sources

__all__ = ["SIDECAR_NAME", "STDIN", "MetaOverride", "Metadata", "load_metadata", "read_sources"]
