"""Persistence: the SQLite database of articles, analyses, corpus results and runs."""

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
from rashomon.store.sqlite import SQLiteStore

__all__ = [
    "HIT_ELLIPSIS",
    "HIT_END",
    "HIT_START",
    "RunCounts",
    "RunRecord",
    "SQLiteStore",
    "SearchHit",
    "StoreInfo",
    "VersionInfo",
]
